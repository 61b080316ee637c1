"""The anonymity audit through the project layer: categories, the allow list, decisions kept
across runs, replacement with shifted offsets (and undo), flagged spans, and the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import WorkbenchError
from workbench.services.anonymity import audit as A
from workbench.services.codebook.codes import add
from workbench.services.coding.passages import apply_code, list_codings
from workbench.store.changes import undo_last
from workbench.store.lemma_edits import decode as decode_lemmas

# (sentence, the flagged text, its category); each is positive for that category.
POSITIVE = [
    ("Ik sprak met Mohammed Yilmaz over zijn broer.", "Mohammed Yilmaz", "person"),
    ("Zijn oom woont in Zwolle, dat is niet ver.", "Zwolle", "place"),
    ("Ze woont aan de Dorpsstraat 14 bij haar moeder.", "Dorpsstraat 14", "address"),
    ("Ze lag toen in het Antonius Ziekenhuis.", "Antonius Ziekenhuis", "institution"),
    ("Dat was op 12 maart 2021 in de avond.", "12 maart 2021", "date"),
    ("Hij was toen 15 jaar oud.", "15", "age"),
    ("Bel me gerust op 06-12345678 als er iets is.", "06-12345678", "phone"),
    ("Mail maar naar kevin@example.nl als er iets is.", "kevin@example.nl", "email"),
    ("Kijk op www.voorbeeld.nl voor meer.", "www.voorbeeld.nl", "url"),
    ("Zijn BSN is 111222333 stond op het formulier.", "111222333", "bsn"),
    ("De auto had kenteken 12-ABC-3 toen.", "12-ABC-3", "licence_plate"),
    ("Hij heeft een account @kevin_2007 waar hij berichten stuurt.", "@kevin_2007", "social_handle"),
    ("Hij zat op het Da Vinci College in de tweede klas.", "Da Vinci College", "school"),
]
NEGATIVE = [
    "De jongeren worden via Snapchat benaderd en krijgen dan geld.",
    "Halt en Veilig Thuis werken samen met de politie en de Raad voor de Kinderbescherming.",
    "De jongerenwerker in Utrecht ziet dat steeds vaker.",
    "Het Openbaar Ministerie en de GGD zijn ook betrokken, net als de gemeente.",
]


def _audit_only(project, tid):
    A.run_audit(project, [tid])
    return A.list_flags(project.db, transcript=tid)


@pytest.mark.parametrize(("sentence", "flagged", "category"), POSITIVE, ids=[p[2] for p in POSITIVE])
def test_each_category_is_flagged(project, add_transcript, sentence, flagged, category):
    tid = add_transcript("P1", municipality="Utrecht", turns=[("I", "Vertel eens?"), ("R", sentence)])
    flags = _audit_only(project, tid)
    assert [(f["text"], f["category"]) for f in flags] == [(flagged, category)]
    f = flags[0]
    text = project.db["transcripts"].get(tid)["text"]
    assert text[f["start"]:f["end"]] == flagged
    assert f["suggested"] == A.PLACEHOLDERS[category]
    assert "»" + flagged + "«" in f["context"]


def test_nine_digits_failing_the_eleven_test_are_no_bsn(project, add_transcript):
    tid = add_transcript("P2", turns=[("I", "Welk nummer?"), ("R", "Het nummer 123456789 klopt niet.")])
    flags = _audit_only(project, tid)
    assert all(f["category"] != "bsn" for f in flags)


def test_clean_text_and_public_bodies_give_no_flags(project, add_transcript):
    tid = add_transcript("P3", municipality="Utrecht", turns=[("I", "Met wie werkt u samen?")]
                         + [("R", s) for s in NEGATIVE])
    assert _audit_only(project, tid) == []


def test_allow_list_seeding_add_and_remove(project, add_transcript):
    db = project.db
    tid = add_transcript("P4", municipality="Zwolle", turns=[("I", "Waar?"), ("R", "Dat speelt in Zwolle en in Deventer.")])
    flags = _audit_only(project, tid)
    assert [f["text"] for f in flags] == ["Deventer"]  # the project's own municipality is allowed
    terms = {r["term"]: r["added_by"] for r in A.list_allow(db)}
    for t in ("Zwolle", "Halt", "Veilig Thuis", "Raad voor de Kinderbescherming", "Jongerenwerker", "jongerenwerker"):
        assert t in terms or t.lower() in {k.lower() for k in terms}
    assert terms["Zwolle"] == A.AUTO_BY
    A.allow_add(db, "anna", "Deventer")
    assert A.list_flags(db, transcript=tid) == []  # open flag on it dropped at once
    assert _audit_only(project, tid) == []
    # removing an automatic term sticks: it is not seeded again
    A.allow_remove(db, "anna", "zwolle")
    flags = _audit_only(project, tid)
    assert [f["text"] for f in flags] == ["Zwolle"]
    assert "Zwolle" not in {r["term"] for r in A.list_allow(db)}
    with pytest.raises(WorkbenchError):
        A.allow_remove(db, "anna", "nooit toegevoegd")
    with pytest.raises(WorkbenchError):
        A.allow_add(db, "anna", "   ")
    # undo of an allow-list change
    A.allow_add(db, "anna", "Kampen")
    undo_last(db, "anna")
    assert "Kampen" not in {r["term"] for r in A.list_allow(db)}


def test_decisions_survive_a_rerun(project, add_transcript):
    db = project.db
    tid = add_transcript("P5", turns=[("I", "Wie?"), ("R", "Ik sprak met Mohammed Yilmaz. Bel 06-12345678.")])
    flags = _audit_only(project, tid)
    assert len(flags) == 2
    person = next(f for f in flags if f["category"] == "person")
    A.decide(db, "anna", person["id"][:5], "dismiss")
    summary = A.run_audit(project)
    assert summary.new == 0 and summary.open == 1 and summary.decided == 1
    open_flags = A.list_flags(db)
    assert [f["category"] for f in open_flags] == ["phone"]
    assert open_flags[0]["id"] == next(f["id"] for f in flags if f["category"] == "phone")  # same id
    all_flags = A.list_flags(db, decision=None)
    assert {f["decision"] for f in all_flags} == {"open", "dismissed"}
    assert [s.category for s in A.flagged_spans(db, tid)] == ["phone"]
    A.decide(db, "anna", person["id"], "open")
    assert len(A.flagged_spans(db, tid)) == 2
    with pytest.raises(WorkbenchError):
        A.decide(db, "anna", person["id"], "maybe")
    with pytest.raises(WorkbenchError):
        A.decide(db, "anna", "zzzzzzzz", "dismiss")


def test_map_span_cases():
    # replace [10, 20) by 5 characters
    assert A.map_span(0, 5, 10, 20, 5) == (0, 5)        # before
    assert A.map_span(0, 10, 10, 20, 5) == (0, 10)      # ends where the span starts
    assert A.map_span(20, 30, 10, 20, 5) == (15, 25)    # starts where it ends
    assert A.map_span(25, 30, 10, 20, 5) == (20, 25)    # after
    assert A.map_span(5, 25, 10, 20, 5) == (5, 20)      # contains: shrinks with it
    assert A.map_span(10, 20, 10, 20, 5) == (10, 15)    # exactly
    assert A.map_span(5, 15, 10, 20, 5) == (5, 15)      # ends inside: takes the placeholder
    assert A.map_span(15, 25, 10, 20, 5) == (10, 20)    # starts inside
    assert A.map_span(5, 25, 10, 20, 30) == (5, 45)     # grows


def _coding_texts(db, tid):
    text = db["transcripts"].get(tid)["text"]
    return {c["id"]: text[c["start"]:c["end"]] for c in list_codings(db, transcript=tid)}


def test_replace_shifts_codings_and_undo_restores_everything(project, add_transcript):
    db = project.db
    tid = add_transcript("P6", turns=[
        ("I", "Kunt u een voorbeeld geven?"),
        ("R", "Een jongen werd geronseld. Ik sprak met Mohammed Yilmaz over zijn broer. "
              "Daarna ging het snel."),
        ("I", "En toen?"),
        ("R", "Toen kwam de politie."),
    ])
    add(db, "anna", "Ronselen")
    add(db, "bert", "Contact")
    text = db["transcripts"].get(tid)["text"]

    def at(fragment):
        s = text.index(fragment)
        return s, s + len(fragment)

    before_id = apply_code(db, "anna", tid, "Ronselen", *at("Een jongen werd geronseld."))["id"]
    contain_id = apply_code(db, "bert", tid, "Contact", *at("Ik sprak met Mohammed Yilmaz over zijn broer."))["id"]
    after_id = apply_code(db, "anna", tid, "Contact", *at("Daarna ging het snel."))["id"]
    later_turn_id = apply_code(db, "anna", tid, "Contact", *at("Toen kwam de politie."))["id"]
    partial_id = apply_code(db, "anna", tid, "Ronselen", *at("Yilmaz over zijn broer"))["id"]

    def rows(table):
        return list(db[table].rows_where("1 = 1", order_by=", ".join(db[table].pks)))

    snapshot = {t: rows(t) for t in ("transcripts", "turns", "sentences", "codings", "audit_flags")}
    A.run_audit(project)
    flags = A.list_flags(db)
    person = next(f for f in flags if f["category"] == "person")
    snapshot["audit_flags"] = rows("audit_flags")

    row = A.replace(db, "anna", person["id"])
    assert row["decision"] == "replaced" and row["placeholder"] == "[naam]"
    new_text = db["transcripts"].get(tid)["text"]
    assert "Mohammed" not in new_text and "Ik sprak met [naam] over zijn broer." in new_text
    texts = _coding_texts(db, tid)
    assert texts[before_id] == "Een jongen werd geronseld."
    assert texts[contain_id] == "Ik sprak met [naam] over zijn broer."
    assert texts[after_id] == "Daarna ging het snel."
    assert texts[later_turn_id] == "Toen kwam de politie."
    assert texts[partial_id] == "[naam] over zijn broer"
    # turns and sentences follow the text
    for t in db["turns"].rows_where("transcript_id = ?", [tid]):
        assert not new_text[t["start"]:t["end"]].startswith((" ", "\n"))
    sents = list(db["sentence_texts"].rows_where("transcript_id = ?", [tid], order_by="idx"))
    for s in sents:
        assert new_text[s["start"]:s["end"]] == s["text"]
    changed = next(s for s in sents if "[naam]" in s["text"])
    lemma_words = decode_lemmas(changed["text"], changed["lemmas"], changed["lemma_edits"])
    assert "mohammed" not in lemma_words and "broer" in lemma_words and "spreken" in lemma_words
    # search sees the new text, not the name
    from workbench.services.search import search

    assert search(db, "Mohammed") == [] and search(db, "Mohammed", mode="lemma") == []
    assert search(db, "broer", mode="lemma") != []
    assert search(db, "Mohammed") == [] and search(db, "Yilmaz", mode="fuzzy") == []
    assert A.flagged_spans(db, tid) == []
    # a re-run does not raise the replaced name again, and the placeholder is no flag
    A.run_audit(project)
    assert A.list_flags(db) == []

    undone = undo_last(db, "anna")
    assert undone["action"] == "audit.replace"
    for table, saved in snapshot.items():
        assert rows(table) == saved, table
    assert search(db, "Mohammed")


def test_replace_refuses_stale_or_bad_input(project, add_transcript):
    db = project.db
    tid = add_transcript("P7", turns=[("I", "Wie?"), ("R", "Ik sprak met Mohammed Yilmaz. Bel 06-12345678.")])
    flags = _audit_only(project, tid)
    phone = next(f for f in flags if f["category"] == "phone")
    with pytest.raises(WorkbenchError):
        A.replace(db, "anna", phone["id"], "twee\nregels")
    row = A.replace(db, "anna", phone["id"], "[nummer]")
    assert "[nummer]" in db["transcripts"].get(tid)["text"]
    with pytest.raises(WorkbenchError):
        A.replace(db, "anna", phone["id"])
    with pytest.raises(WorkbenchError):
        A.decide(db, "anna", row["id"], "dismiss")
    # the person flag was moved along and still matches its text
    person = next(f for f in A.list_flags(db) if f["category"] == "person")
    assert db["transcripts"].get(tid)["text"][person["start"]:person["end"]] == "Mohammed Yilmaz"


def test_audit_cli(project, add_transcript):
    from workbench.cli.main import cli

    add_transcript("P8", municipality="Utrecht", turns=[
        ("I", "Wie?"), ("R", "Ik sprak met Mohammed Yilmaz in Utrecht. Bel 06-12345678.")])
    runner = CliRunner()
    base = ["--project", str(project.root)]
    result = runner.invoke(cli, [*base, "audit", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {f["category"] for f in data["flags"]} == {"person", "phone"}
    person = next(f for f in data["flags"] if f["category"] == "person")
    phone = next(f for f in data["flags"] if f["category"] == "phone")
    result = runner.invoke(cli, [*base, "audit"])
    assert result.exit_code == 0 and "Mohammed Yilmaz" in result.output and "[naam]" in result.output
    result = runner.invoke(cli, [*base, "audit", "dismiss", phone["id"]])
    assert result.exit_code == 0 and "dismissed" in result.output
    result = runner.invoke(cli, [*base, "audit", "replace", person["id"], "--with", "[jongen]"])
    assert result.exit_code == 0, result.output
    assert "[jongen]" in project.db["transcripts"].get("P8")["text"]
    result = runner.invoke(cli, [*base, "audit", "replace", "nonexistent"])
    assert result.exit_code != 0 and "no audit flag" in result.output
    result = runner.invoke(cli, [*base, "allow", "add", "Bureau Jeugdzorg"])
    assert result.exit_code == 0
    result = runner.invoke(cli, [*base, "allow", "list", "--json"])
    assert "Bureau Jeugdzorg" in {r["term"] for r in json.loads(result.output)}
    result = runner.invoke(cli, [*base, "allow", "remove", "Bureau Jeugdzorg"])
    assert result.exit_code == 0
    result = runner.invoke(cli, [*base, "audit", "--transcript", "P8", "--all", "--json"])
    assert {f["decision"] for f in json.loads(result.output)["flags"]} == {"dismissed", "replaced"}


def test_bad_references_change_nothing(project, add_transcript):
    db = project.db
    add_transcript("P9")
    with pytest.raises(WorkbenchError, match="no transcript 'NOPE'"):
        A.run_audit(project, ["NOPE"], use_deduce=False)
    assert db.execute("select count(*) from allow_list").fetchone()[0] == 0
    with pytest.raises(WorkbenchError, match="control characters"):
        A.allow_add(db, "anna", "a\x01b")
    assert db.execute("select count(*) from allow_list").fetchone()[0] == 0


def test_replace_all_occurrences_is_one_undoable_change(project, add_transcript):
    from workbench.cli.main import cli

    db = project.db
    add_transcript("Q1", turns=[("I", "Wie?"), ("R", "Ik sprak met Mohammed Yilmaz. Later belde Mohammed Yilmaz nog.")])
    add_transcript("Q2", turns=[("I", "En?"), ("R", "Ook hier kwam Mohammed  Yilmaz langs. Bel 06-12345678.")])
    add(db, "anna", "Contact")
    t1 = db["transcripts"].get("Q1")["text"]
    s = t1.index("Later belde")
    coding = apply_code(db, "anna", "Q1", "Contact", s, s + len("Later belde Mohammed Yilmaz nog."))["id"]
    A.run_audit(project)
    persons = [f for f in A.list_flags(db) if f["category"] == "person"]
    assert len(persons) == 3
    snapshot = {t: list(db[t].rows_where("1 = 1", order_by=", ".join(db[t].pks)))
                for t in ("transcripts", "sentences", "codings", "audit_flags")}
    result = CliRunner().invoke(cli, ["--project", str(project.root), "audit", "replace", persons[0]["id"], "--all"])
    assert result.exit_code == 0, result.output
    assert "3 time(s) in Q1, Q2" in result.output
    assert "Yilmaz" not in db["transcripts"].get("Q1")["text"]
    assert "Yilmaz" not in db["transcripts"].get("Q2")["text"]
    assert _coding_texts(db, "Q1")[coding] == "Later belde [naam] nog."
    assert [f["category"] for f in A.list_flags(db)] == ["phone"]
    undo_last(db, "anna")
    for t, saved in snapshot.items():
        assert list(db[t].rows_where("1 = 1", order_by=", ".join(db[t].pks))) == saved, t


def test_the_first_deduce_build_reports_progress_to_a_log(monkeypatch, capsys):
    """Issue 26: with stderr going to a file, the two-minute first build still shows it is
    alive: a line when it starts and one every few seconds after (not one line, then silence)."""
    import threading
    import time

    from workbench.audit import deduce_engine
    from workbench.cli import language_cmds

    monkeypatch.setattr(language_cmds._StderrProgress, "EVERY", 0.05)
    monkeypatch.setattr(deduce_engine, "is_ready", lambda: False)
    monkeypatch.setattr(deduce_engine, "engine_info", lambda: {"ready": True})

    def fake_build(progress, **_kw):
        def run():
            start = time.monotonic()
            message = "Building deduce lookup tables (first run on this machine, about 2 minutes)"
            progress(message, None)
            while time.monotonic() - start < 0.4:  # the ticker: once a "second"
                time.sleep(0.01)
                progress(f"{message} ({time.monotonic() - start:.2f} s)", None)
            progress("deduce ready (0.4 s)", 1.0)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    monkeypatch.setattr(deduce_engine, "build_in_background", fake_build)
    language_cmds._wait_for_deduce(quiet=False)
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("Building")]
    assert len(lines) >= 4, lines  # not one line, then silence
    assert any(x.endswith(" s)") for x in lines[1:])
