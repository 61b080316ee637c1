"""Codebook operations: add, rename, edit, move, merge, split, delete, near-duplicates."""

from __future__ import annotations

import pytest

from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import neardup
from workbench.services.coding.passages import apply_code, list_codings

TURNS = [
    ("I", "Hoe worden jongeren benaderd?"),
    ("R", "Vaak via Snapchat. Soms ook op school bij de ingang. Ze krijgen eerst sneakers."),
    ("I", "Welke dwang zie je?"),
    ("R", "Schulden vooral. En dreiging naar de familie."),
]


@pytest.fixture
def book(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    add_transcript("T2", role="wijkagent", turns=[("I", "Tweede gesprek."), *TURNS[1:]], date="2023-02-02")
    db = project.db
    theme = codebook.add(db, "anna", "Werving", kind="theme")
    other = codebook.add(db, "anna", "Dwang", kind="theme")
    online = codebook.add(db, "anna", "Online ronselen", parent=theme["id"], definition="via apps")
    school = codebook.add(db, "anna", "Ronselen op school", parent=theme["id"], memo="eerste idee")
    return {"db": db, "theme": theme, "other": other, "online": online, "school": school}


def _span(db, tid, words):
    text = db["transcripts"].get(tid)["text"]
    start = text.index(words)
    return start, start + len(words)


def test_add_keeps_fields_and_refuses_exact_duplicate(book):
    db = book["db"]
    row = codebook.add(db, "anna", "Schulden", parent="Dwang", definition="geld", inclusion="in",
                       exclusion="ex", example="Schulden vooral.", colour="#ABCDEF")
    assert (row["definition"], row["inclusion"], row["exclusion"], row["example"]) == ("geld", "in", "ex", "Schulden vooral.")
    assert row["colour"] == "#abcdef" and row["parent_id"] == book["other"]["id"]
    with pytest.raises(ConflictError, match="exists already"):
        codebook.add(db, "anna", "schulden")
    with pytest.raises(WorkbenchError, match="not a colour"):
        codebook.add(db, "anna", "Kleur", colour="#12")


def test_sub_themes_nest_one_level(book):
    db = book["db"]
    sub = codebook.add(db, "anna", "Online", kind="theme", parent="Werving")
    with pytest.raises(WorkbenchError, match="one level"):
        codebook.add(db, "anna", "Dieper", kind="theme", parent=sub["id"])
    with pytest.raises(WorkbenchError, match="only themes"):
        codebook.add(db, "anna", "Onder code", parent=book["online"]["id"])


def test_rename_warns_about_dutch_near_duplicates(book):
    db = book["db"]
    codebook.add(db, "anna", "Geweld")
    row, warnings = codebook.rename(db, "bram", "Geweld", "Ronselen op scholen")
    assert row["name"] == "Ronselen op scholen" and row["updated_by"] == "bram"
    assert len(warnings) == 1 and "Ronselen op school" in warnings[0] and book["school"]["id"] in warnings[0]
    with pytest.raises(ConflictError):
        codebook.rename(db, "anna", row["id"], "online ronselen")
    same, none = codebook.rename(db, "anna", row["id"], "Ronselen op scholen")
    assert same["name"] == "Ronselen op scholen" and none == []


def test_update_fields_and_refusals(book):
    db = book["db"]
    row = codebook.update_fields(db, "anna", "Online ronselen", definition="via Snapchat", colour="red", memo="")
    assert (row["definition"], row["colour"], row["memo"]) == ("via Snapchat", "red", "")
    with pytest.raises(WorkbenchError, match="rename"):
        codebook.update_fields(db, "anna", "Online ronselen", name="x")
    with pytest.raises(WorkbenchError, match="unknown field"):
        codebook.update_fields(db, "anna", "Online ronselen", colourr="red")


def test_move_to_theme_and_out(book):
    db = book["db"]
    row = codebook.move(db, "anna", "Online ronselen", "Dwang")
    assert row["parent_id"] == book["other"]["id"]
    row = codebook.move(db, "anna", "Online ronselen", None)
    assert row["parent_id"] is None
    with pytest.raises(NotFoundError):
        codebook.move(db, "anna", "Online ronselen", "Bestaat niet")
    with pytest.raises(WorkbenchError, match="only themes"):
        codebook.move(db, "anna", "Online ronselen", book["school"]["id"])


def test_merge_keeps_every_coding_and_collapses_identical(book):
    db = book["db"]
    s1 = _span(db, "T1", "Vaak via Snapchat.")
    s2 = _span(db, "T1", "Soms ook op school bij de ingang.")
    a = apply_code(db, "anna", "T1", "Online ronselen", *s1, memo="anna over snapchat")
    apply_code(db, "anna", "T1", "Ronselen op school", *s1)  # identical span, other code
    b = apply_code(db, "bram", "T1", "Online ronselen", *s1)
    c = apply_code(db, "anna", "T2", "Online ronselen", *_span(db, "T2", "Vaak via Snapchat."))
    d = apply_code(db, "anna", "T1", "Ronselen op school", *s2)
    codebook.set_survey_themes(db, "anna", "Online ronselen", ["4.3", "4.4"])
    codebook.set_survey_themes(db, "anna", "Ronselen op school", ["4.3"])
    before = {(r["transcript_id"], r["coder"], r["start"], r["end"]) for r in list_codings(db)}
    result = codebook.merge(db, "anna", "Online ronselen", "Ronselen op school")
    assert result["moved_codings"] == 2 and result["collapsed_codings"] == 1
    after = list_codings(db)
    assert {(r["transcript_id"], r["coder"], r["start"], r["end"]) for r in after} == before
    assert {r["code"] for r in after} == {"Ronselen op school"}
    ids = {r["id"] for r in after}
    assert {b["id"], c["id"], d["id"]} <= ids and a["id"] not in ids
    kept = [r for r in after if r["coder"] == "anna" and (r["start"], r["end"]) == s1 and r["transcript_id"] == "T1"]
    assert len(kept) == 1 and "anna over snapchat" in kept[0]["memo"]
    assert codebook.survey_themes_of(db, book["school"]["id"]) == ["4.3", "4.4"]
    target = codebook.resolve(db, "Ronselen op school")
    assert "eerste idee" in target["memo"] and "via apps" in target["memo"]
    with pytest.raises(NotFoundError):
        codebook.resolve(db, "Online ronselen")


def test_merge_moves_quotes_of_collapsed_codings(book):
    db = book["db"]
    s1 = _span(db, "T1", "Vaak via Snapchat.")
    a = apply_code(db, "anna", "T1", "Online ronselen", *s1)
    twin = apply_code(db, "anna", "T1", "Ronselen op school", *s1)
    db["quotes"].insert({"id": "q1", "coding_id": a["id"], "text": "Vaak via Snapchat.", "position": 0,
                         "created_by": "anna", "created_at": "2023"})
    codebook.merge(db, "anna", "Online ronselen", "Ronselen op school")
    assert db["quotes"].get("q1")["coding_id"] == twin["id"]


def test_merge_themes_moves_children_and_refuses_mixed_kinds(book):
    db = book["db"]
    codebook.merge(db, "anna", "Werving", "Dwang")
    assert codebook.resolve(db, "Online ronselen")["parent_id"] == book["other"]["id"]
    assert codebook.resolve(db, "Ronselen op school")["parent_id"] == book["other"]["id"]
    with pytest.raises(WorkbenchError, match="codes into codes"):
        codebook.merge(db, "anna", "Online ronselen", "Dwang")
    with pytest.raises(WorkbenchError, match="itself"):
        codebook.merge(db, "anna", "Dwang", "dwang")


def test_split_moves_only_the_listed_codings(book):
    db = book["db"]
    codebook.set_survey_themes(db, "anna", "Online ronselen", ["4.3"])
    c1 = apply_code(db, "anna", "T1", "Online ronselen", *_span(db, "T1", "Vaak via Snapchat."))
    c2 = apply_code(db, "bram", "T1", "Online ronselen", *_span(db, "T1", "Soms ook op school"))
    c3 = apply_code(db, "anna", "T2", "Online ronselen", *_span(db, "T2", "Vaak via Snapchat."))
    new = codebook.split(db, "anna", "Online ronselen", "Ronselen via Snapchat", [c1["id"], c3["id"][:6]],
                         definition="alleen Snapchat")
    assert new["parent_id"] == book["theme"]["id"] and new["definition"] == "alleen Snapchat"
    assert codebook.survey_themes_of(db, new["id"]) == ["4.3"]
    by_id = {r["id"]: r["code"] for r in list_codings(db)}
    assert by_id == {c1["id"]: "Ronselen via Snapchat", c2["id"]: "Online ronselen", c3["id"]: "Ronselen via Snapchat"}
    with pytest.raises(WorkbenchError, match="is not coded with"):
        codebook.split(db, "anna", "Ronselen op school", "Nog een", [c2["id"]])
    with pytest.raises(WorkbenchError, match="name the codings"):
        codebook.split(db, "anna", "Online ronselen", "Leeg", [])
    with pytest.raises(NotFoundError):
        codebook.split(db, "anna", "Online ronselen", "Onbekend", ["ffffffffff"])


def test_delete_refused_with_codings_unless_forced(book):
    db = book["db"]
    c1 = apply_code(db, "anna", "T1", "Online ronselen", *_span(db, "T1", "Vaak via Snapchat."))
    apply_code(db, "bram", "T1", "Online ronselen", *_span(db, "T1", "Vaak via Snapchat."))
    with pytest.raises(ConflictError, match="2 coding\\(s\\) by anna, bram"):
        codebook.delete(db, "anna", "Online ronselen")
    assert codebook.resolve(db, "Online ronselen")
    row = codebook.delete(db, "anna", "Online ronselen", force=True)
    assert row["removed_codings"] == 2
    assert db.execute("select count(*) from codings where id = ?", [c1["id"]]).fetchone()[0] == 0
    change = db.execute("select action, summary from changes order by id desc limit 1").fetchone()
    assert change[0] == "code.delete" and "2 coding(s)" in change[1]


def test_delete_theme_moves_its_codes_up(book):
    db = book["db"]
    sub = codebook.add(db, "anna", "Online", kind="theme", parent="Werving")
    codebook.move(db, "anna", "Online ronselen", sub["id"])
    codebook.delete(db, "anna", sub["id"])
    assert codebook.resolve(db, "Online ronselen")["parent_id"] == book["theme"]["id"]
    codebook.delete(db, "anna", "Werving")
    assert codebook.resolve(db, "Online ronselen")["parent_id"] is None


def test_list_codebook_counts_codings_transcripts_respondents(book):
    db = book["db"]
    apply_code(db, "anna", "T1", "Online ronselen", *_span(db, "T1", "Vaak via Snapchat."))
    apply_code(db, "bram", "T2", "Online ronselen", *_span(db, "T2", "Vaak via Snapchat."))
    rows = {r["name"]: r for r in codebook.list_codebook(db)}
    assert (rows["Online ronselen"]["codings"], rows["Online ronselen"]["transcripts"], rows["Online ronselen"]["respondents"]) == (2, 2, 2)
    assert rows["Werving"]["codings"] == 2 and rows["Ronselen op school"]["codings"] == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ronselen op school", "Ronselen op scholen"),
        ("meisje", "meisjes"),
        ("meisje", "meisjetje"),
        ("meisjes", "meisjetjes"),
        ("Auto's", "auto"),
        ("Schuld als dwangmiddel", "Schulden als dwangmiddel"),
        ("Jongere", "jongeren"),
        ("Sociale media", "social media"),
        ("Ronselen op straat", "Straat: ronselen op"),
        ("Café", "cafe"),
    ],
)
def test_near_duplicates_on_dutch_variants(a, b):
    assert neardup.score(a, b) >= neardup.DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ronselen op school", "Ronselen via sociale media"), ("Geweld", "Geld"), ("Schulden", "Schaamte")],
)
def test_different_codes_are_not_flagged(a, b):
    assert neardup.score(a, b) < neardup.DEFAULT_THRESHOLD


def test_normalise_name():
    assert neardup.normalise_name("Ronselen op Scholen!") == neardup.normalise_name("ronselen op school")
    assert neardup.normalise_name("  Meisjetjes ") == neardup.normalise_name("meisje")
    assert neardup.normalise_name("") == ""


def test_similar_and_close_pairs(book):
    db = book["db"]
    codebook.add(db, "anna", "meisjes")
    codebook.add(db, "anna", "Meisjetje")
    hits = neardup.similar(db, "ronselen op scholen")
    assert [h[0]["name"] for h in hits] == ["Ronselen op school"] and hits[0][1] == 100
    assert neardup.similar(db, "Ronselen op school", exclude_id=book["school"]["id"]) == []
    assert neardup.similar(db, "Werven", kind="theme", threshold=60)[0][0]["name"] == "Werving"
    pairs = {(a["name"], b["name"]) for a, b, _s in neardup.close_pairs(db)}
    assert ("meisjes", "Meisjetje") in pairs or ("Meisjetje", "meisjes") in pairs
    assert all("Online ronselen" not in p for p in pairs)
