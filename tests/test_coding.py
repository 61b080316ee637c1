"""Coding: spans from quotes, memos, coder isolation, listing, codings files, themes overview."""

from __future__ import annotations

import textwrap

import pytest

from workbench.errors import NotFoundError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import themes
from workbench.services.coding import passages as coding
from workbench.services.coding.codings_file import dump_codings, load_codings

TURNS = [
    ("I", "Welke signalen zie je?"),
    ("R", "Dure kleding, nieuwe schoenen, een tweede telefoon. Dat is zo’n klassieker, die tweede "
          "telefoon. En angst: als een jongen schrikt van een auto, dan klopt er iets niet."),
    ("I", "Hoe worden ze benaderd?"),
    ("R", "Via Snapchat vooral. Daar staan verhaaltjes: “wie wil er snel geld verdienen”. "
          "Ook op school. Ook op school, bij de ingang van de kantine."),
]


@pytest.fixture
def db(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    db = project.db
    codebook.add(db, "anna", "Signalen", kind="theme")
    codebook.add(db, "anna", "Materiële signalen", parent="Signalen")
    codebook.add(db, "anna", "Angst", parent="Signalen")
    codebook.add(db, "anna", "Online ronselen")
    return db


def _text(db):
    return db["transcripts"].get("T1")["text"]


def test_span_for_quote_exact(db):
    start, end = coding.span_for_quote(db, "T1", "een tweede telefoon.")
    assert _text(db)[start:end] == "een tweede telefoon."


def test_span_for_quote_tolerates_spacing_case_and_quote_marks(db):
    start, end = coding.span_for_quote(db, "T1", "dat is zo'n   KLASSIEKER,\n die tweede telefoon")
    assert _text(db)[start:end] == "Dat is zo’n klassieker, die tweede telefoon"
    start, end = coding.span_for_quote(db, "T1", '"wie wil er snel geld verdienen"')
    assert _text(db)[start:end] == "wie wil er snel geld verdienen"


def test_span_for_quote_fuzzy_match(db):
    start, end = coding.span_for_quote(db, "T1", "als een jongen schrikt van de auto, dan klopt er iets niet")
    assert _text(db)[start:end].startswith("als een jongen schrikt van een auto")
    assert _text(db)[start:end].endswith("klopt er iets niet")


def test_span_for_quote_refuses_weak_and_ambiguous(db):
    with pytest.raises(WorkbenchError, match="not in T1.*similar"):
        coding.span_for_quote(db, "T1", "de politie kwam langs met een hond en een busje")
    with pytest.raises(WorkbenchError, match="occurs 2 times"):
        coding.span_for_quote(db, "T1", "Ook op school")
    with pytest.raises(WorkbenchError, match="too short"):
        coding.span_for_quote(db, "T1", "a")
    with pytest.raises(NotFoundError):
        coding.span_for_quote(db, "T9", "Dure kleding")


def test_span_for_quote_refuses_two_equally_good_fuzzy_matches(project, add_transcript):
    add_transcript("T2", turns=[("I", "Vraag?"), ("R", "Hij kreeg een schuld van duizend euro bij hen."),
                                ("I", "En toen?"), ("R", "Zij kreeg een schuld van duizend euro bij hen.")])
    with pytest.raises(WorkbenchError, match="two passages"):
        coding.span_for_quote(project.db, "T2", "Wij kregen een schuld van duizend euro bij hen")


def test_apply_code_is_idempotent_per_coder_and_coders_do_not_collide(db):
    s, e = coding.span_for_quote(db, "T1", "een tweede telefoon.")
    a = coding.apply_code(db, "anna", "T1", "Materiële signalen", s, e)
    again = coding.apply_code(db, "anna", "T1", "materiële signalen", s, e)
    b = coding.apply_code(db, "bram", "T1", "Materiële signalen", s, e)
    assert again["id"] == a["id"] and b["id"] != a["id"]
    with pytest.raises(WorkbenchError, match="is a theme"):
        coding.apply_code(db, "anna", "T1", "Signalen", s, e)
    with pytest.raises(WorkbenchError, match="outside the text"):
        coding.apply_code(db, "anna", "T1", "Angst", 0, 10_000)


def test_coder_isolation_on_remove_and_memo(db):
    s, e = coding.sentence_span(db, "T1", 1)
    a = coding.apply_code(db, "anna", "T1", "Angst", s, e)
    with pytest.raises(WorkbenchError, match="belongs to coder 'anna'"):
        coding.remove_coding(db, "bram", a["id"])
    with pytest.raises(WorkbenchError, match="another coder"):
        coding.set_memo(db, "bram", a["id"], "mijn mening")
    assert coding.get_coding(db, a["id"])["memo"] == ""
    assert coding.set_memo(db, "anna", a["id"][:6], "  sterk signaal ")["memo"] == "sterk signaal"
    coding.remove_coding(db, "anna", a["id"])
    with pytest.raises(NotFoundError):
        coding.get_coding(db, a["id"])


def test_list_codings_filters(db):
    s, e = coding.turn_span(db, "T1", 1)
    coding.apply_code(db, "anna", "T1", "Angst", s, e)
    coding.apply_code(db, "bram", "T1", "Materiële signalen", s, e)
    coding.apply_code(db, "bram", "T1", "Online ronselen", *coding.turn_span(db, "T1", 3))
    assert len(coding.list_codings(db)) == 3
    assert {r["code"] for r in coding.list_codings(db, coder="bram")} == {"Materiële signalen", "Online ronselen"}
    assert len(coding.list_codings(db, theme="Signalen")) == 2
    rows = coding.list_codings(db, code="Angst", transcript="T1")
    assert len(rows) == 1 and rows[0]["label"] == "Jongerenwerker" and rows[0]["text"].startswith("Dure kleding")
    assert rows[0]["theme"] == "Signalen" and rows[0]["coder"] == "anna" and rows[0]["created_at"]


def test_load_codings_yaml_is_all_or_nothing_and_idempotent(project, db, tmp_path):
    good = tmp_path / "codings.yaml"
    good.write_text(textwrap.dedent("""\
        codings:
          - transcript: T1
            code: Materiële signalen
            coder: anna
            quote: een tweede telefoon.
            memo: klassiek
          - transcript: Jongerenwerker
            code: angst
            coder: bram
            quote: "als een jongen schrikt van een auto"
          - transcript: T1
            code: Online ronselen
            start: 0
            end: 5
    """), encoding="utf-8")
    report = load_codings(project, good)
    assert report.added == 3 and report.by_coder == {"anna": 2, "bram": 1}
    rows = {r["code"]: r for r in coding.list_codings(db)}
    assert rows["Materiële signalen"]["memo"] == "klassiek" and rows["Online ronselen"]["coder"] == "anna"
    again = load_codings(project, good)
    assert (again.added, again.unchanged) == (0, 3)

    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""\
        codings:
          - transcript: T1
            code: Angst
            quote: Dure kleding
          - transcript: T1
            code: Bestaat niet
            quote: Dure kleding
          - transcript: T1
            code: Angst
            quote: helemaal iets anders dat er nergens staat en ook niet lijkt
    """), encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        load_codings(project, bad)
    assert "line 5" in str(err.value) and "line 8" in str(err.value) and "bad.yaml" in str(err.value)
    assert len(coding.list_codings(db)) == 3


def test_dump_and_load_csv_round_trip(project, db, tmp_path):
    coding.apply_code(db, "anna", "T1", "Angst", *coding.sentence_span(db, "T1", 1), memo="m")
    coding.apply_code(db, "bram", "T1", "Angst", *coding.sentence_span(db, "T1", 2))
    for suffix in (".csv", ".yaml"):
        path = tmp_path / f"all{suffix}"
        assert dump_codings(db, path) == 2
        db.execute("delete from codings")
        report = load_codings(project, path)
        assert report.added == 2
        assert {(r["coder"], r["memo"]) for r in coding.list_codings(db)} == {("anna", "m"), ("bram", "")}


def test_themes_overview_and_cooccurrence(db):
    turn = coding.turn_span(db, "T1", 1)
    first = coding.sentence_span(db, "T1", 1)
    coding.apply_code(db, "anna", "T1", "Materiële signalen", *turn)
    coding.apply_code(db, "anna", "T1", "Angst", *first)
    coding.apply_code(db, "bram", "T1", "Online ronselen", *first)  # another coder: not co-occurrence
    coding.apply_code(db, "bram", "T1", "Angst", *coding.turn_span(db, "T1", 3))
    data = themes.overview(db)
    signalen = data[0]
    assert signalen["name"] == "Signalen" and signalen["codings"] == 3 and signalen["interviews"] == 1
    assert {c["name"]: c["codings"] for c in signalen["codes"]} == {"Materiële signalen": 1, "Angst": 2}
    assert data[-1]["id"] is None and data[-1]["codes"][0]["name"] == "Online ronselen"
    pairs = themes.cooccurrence(db)
    assert [(p["name_a"], p["name_b"]) in {("Angst", "Materiële signalen"), ("Materiële signalen", "Angst")} for p in pairs] == [True]
    assert pairs[0]["count"] == 1
    assert len(themes.cooccurrence(db, same_coder=False)) == 3
    assert themes.cooccurrence(db, min_count=2) == []
    only_bram = themes.overview(db, coder="bram")
    assert only_bram[0]["codings"] == 1


def test_themes_word_counts_as_prevalence_does(db):
    """`workbench themes` and `workbench prevalence`/the chapter word the same counts the same way
    (one function: prevalence.wording)."""
    from workbench.services import prevalence

    coding.apply_code(db, "anna", "T1", "Angst", *coding.sentence_span(db, "T1", 1))
    total = db.execute("select count(*) from transcripts").fetchone()[0]
    angst = next(c for t in themes.overview(db) for c in t["codes"] if c["name"] == "Angst")
    assert angst["spread"] == prevalence.wording(1, total) == "in één interview"
    assert angst["spread_category"] == "one"
    by_name = {p.name: p for p in prevalence.compute(db).values()}
    assert by_name["Angst"].wording == angst["spread"]


def test_code_span_is_the_one_use_case_with_its_warnings(project, add_transcript):
    """Issue 16: 'workbench code' and the reader call coding.code_span: the coding, whether it
    was stored, a new code, and the warnings (a close name, interviewer text)."""
    from workbench.errors import NotFoundError
    from workbench.services.codebook import codes as codebook
    from workbench.services.coding import passages as coding

    tid = add_transcript("T9", turns=[("I", "Hoe gaat het met de jongeren?"),
                                      ("R", "Ze hangen veel op straat rond.")])
    db = project.db
    text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
    codebook.add(db, "anna", "Jongeren op straat")
    r0, r1 = text.index("Ze hangen"), text.index("rond.") + 4
    with pytest.raises(NotFoundError):
        coding.code_span(db, "anna", tid, "Jongeren op strat", r0, r1)
    assert db.execute("select count(*) from codes").fetchone()[0] == 1
    done = coding.code_span(db, "anna", tid, "Jongeren op strat", r0, r1, create=True)
    assert done.stored and done.code_created and done.code["name"] == "Jongeren op strat"
    assert done.name_warnings and "Jongeren op straat" in done.name_warnings[0]
    assert done.interviewer_warning == "" and done.all_warnings == done.name_warnings
    again = coding.code_span(db, "anna", tid, "Jongeren op strat", r0, r1, create=True)
    assert not again.stored and not again.code_created and again.name_warnings == []
    i0 = text.index("Hoe gaat")
    asked = coding.code_span(db, "anna", tid, "Jongeren op straat", i0, r1)
    assert asked.interviewer_turns == [0] and "interviewer's turn 0" in asked.interviewer_warning
    assert asked.all_warnings == [asked.interviewer_warning]
