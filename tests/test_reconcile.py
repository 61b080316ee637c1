"""Disagreements between coders and reconciling them into the coder 'consensus'."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.agreement import figures
from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.second_coding import disagreements, reconcile
from workbench.services.transcripts.library import get_sentences
from workbench.store.changes import undo_last

TURNS = [
    ("I", "Hoe begon het?"),
    ("R", "Het begon op school. Daarna ging het snel. Ze kregen geld. Ze moesten pakketjes rijden."),
    ("I", "Wat deed u?"),
    ("R", "Ik belde de wijkagent."),
    ("I", "En daarna?"),
    ("R", "We maakten een plan. Het hielp niet altijd. Soms is het te laat."),
]
# sentences: 0 I | 1-4 R (turn 1) | 5 I | 6 R (all of turn 3) | 7 I | 8-10 R (turn 5)


@pytest.fixture
def coded(project, add_transcript):
    db = project.db
    add_transcript("T1", turns=TURNS, role="wijkagent")
    for name in ("School", "Geld", "Politie"):
        codebook.add(db, "anna", name)
    sents = get_sentences(db, "T1")

    def code(coder, name, n):
        coding.apply_code(db, coder, "T1", name, sents[n]["start"], sents[n]["end"])

    code("anna", "School", 1)
    code("bram", "School", 1)      # agree
    code("anna", "Geld", 3)        # only anna
    code("bram", "Politie", 6)
    code("anna", "Geld", 6)        # differ: Geld vs Politie
    code("anna", "Politie", 8)
    code("bram", "Politie", 8)     # agree
    return db, sents


def originals(db):
    return sorted(
        (r["coder"], r["code_id"], r["start"], r["end"])
        for r in db.query("select * from codings where coder != 'consensus'")
    )


def test_disagreements_list_units_with_text_label_and_codes(coded):
    db, sents = coded
    rows = disagreements.list(db, ("anna", "bram"))
    assert [r["idx"] for r in rows] == [3, 6]
    r = rows[1]
    assert r["transcript"] == "T1" and r["label"] == "Wijkagent" and r["unit"] == "sentence"
    assert (r["start"], r["end"]) == (sents[6]["start"], sents[6]["end"])
    assert r["text"] == sents[6]["text"]
    assert r["codes"] == {"anna": ["Geld"], "bram": ["Politie"]}
    assert r["differing"] == ["Geld", "Politie"]
    only_politie = disagreements.list(db, "anna,bram", code="Politie")
    assert [r["idx"] for r in only_politie] == [6]
    turns = disagreements.list(db, ("anna", "bram"), unit="turn")
    # a single sentence is less than half of turn 1; sentence 6 is all of turn 3
    assert [r["idx"] for r in turns] == [3]


def test_disagreements_cli_json(coded, project):
    out = CliRunner().invoke(cli, ["-p", str(project.root), "disagreements", "--json"])
    assert out.exit_code == 0, out.output
    assert [r["idx"] for r in json.loads(out.output)] == [3, 6]


def test_decide_creates_consensus_codings_and_leaves_originals(coded):
    db, sents = coded
    before = originals(db)
    out = reconcile.decide(db, "anna", "T1:6", "b", coders=("anna", "bram"))
    assert out["consensus"] == ["Politie"] and out["added"] == ["Politie"]
    rows = list(db.query("select * from codings where coder = 'consensus'"))
    assert [(r["start"], r["end"]) for r in rows] == [(sents[6]["start"], sents[6]["end"])]
    assert originals(db) == before
    # change of mind: both
    out = reconcile.decide(db, "anna", "T1:6", "both", coders=("anna", "bram"))
    assert out["consensus"] == ["Geld", "Politie"]
    # "neither" where consensus has nothing yet changes nothing (and records nothing)
    assert reconcile.decide(db, "anna", "T1:3", "neither", coders=("anna", "bram"))["consensus"] == []
    # the changes are anna's: her undo takes the last decision back
    undo_last(db, "anna")
    assert reconcile.consensus_codes(db, "T1", sents[6]["start"], sents[6]["end"]) == ["Politie"]
    undo_last(db, "anna")
    assert reconcile.consensus_codes(db, "T1", sents[6]["start"], sents[6]["end"]) == []
    assert originals(db) == before


def test_decide_refuses_units_without_disagreement_and_bad_input(coded):
    db, _ = coded
    with pytest.raises(WorkbenchError, match="agree on sentence 1"):
        reconcile.decide(db, "anna", "T1:1", "a", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="unknown decision"):
        reconcile.decide(db, "anna", "T1:6", "maybe", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="no sentence 99"):
        reconcile.decide(db, "anna", "T1:99", "a", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="not a unit"):
        reconcile.decide(db, "anna", "T1:x", "a", coders=("anna", "bram"))


def test_seed_then_decide_gives_full_consensus_and_agreement_after_discussion(coded):
    db, _ = coded
    assert reconcile.seed_agreed(db, "anna", ("anna", "bram")) == 2
    assert reconcile.seed_agreed(db, "anna", ("anna", "bram")) == 0  # idempotent
    reconcile.decide(db, "anna", "T1:3", "a", coders=("anna", "bram"))
    reconcile.decide(db, "anna", "T1:6", "a", coders=("anna", "bram"))
    after = figures.compute(db, ("anna", "consensus"))
    assert after["overall"]["pooled"]["percent_agreement"] == 1.0
    before = figures.compute(db, ("anna", "bram"))
    assert before["overall"]["pooled"]["percent_agreement"] < 1.0
    # consensus is not a default coder
    assert figures.compute(db)["coders"] == ["anna", "bram"]


def test_reconcile_cli_with_decisions_seeds_and_decides(coded, project):
    db, sents = coded
    base = ["-p", str(project.root)]
    out = CliRunner().invoke(cli, [*base, "reconcile", "--coders", "anna,bram", "T1:3=neither", "T1:6=bram", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["seeded"] == 2
    assert [d["consensus"] for d in data["decisions"]] == [[], ["Politie"]]
    # no decisions and no terminal: a clear error
    out = CliRunner().invoke(cli, [*base, "reconcile"])
    assert out.exit_code != 0 and "UNIT=CHOICE" in out.output
    out = CliRunner().invoke(cli, [*base, "agreement", "--coders", "anna,consensus", "--json"])
    assert json.loads(out.output)["coders"] == ["anna", "consensus"]


def test_interactive_walk_asks_for_each_disagreement(coded, project, monkeypatch):
    from workbench.cli import agreement_cmds

    db, sents = coded
    monkeypatch.setattr(agreement_cmds, "_is_terminal", lambda: True)
    out = CliRunner().invoke(cli, ["-p", str(project.root), "reconcile"], input="b\nboth\n")
    assert out.exit_code == 0, out.output
    assert "[1/2] T1 (Wijkagent), sentence 3" in out.output
    assert "2 decisions recorded" in out.output
    assert reconcile.consensus_codes(db, "T1", sents[3]["start"], sents[3]["end"]) == []
    assert reconcile.consensus_codes(db, "T1", sents[6]["start"], sents[6]["end"]) == ["Geld", "Politie"]
    assert reconcile.consensus_codes(db, "T1", sents[1]["start"], sents[1]["end"]) == ["School"]
    # quit at once: nothing more is decided
    out = CliRunner().invoke(cli, ["-p", str(project.root), "reconcile"], input="q\n")
    assert out.exit_code == 0 and "0 decisions recorded" in out.output


def _counts(db):
    changes = db.execute("select count(*) from changes").fetchone()[0]
    consensus = db.execute("select count(*) from codings where coder = 'consensus'").fetchone()[0]
    return changes, consensus


def test_a_call_with_a_bad_decision_writes_nothing_and_lists_every_problem(coded, project):
    db, _ = coded
    before = _counts(db)
    args = ["-p", str(project.root), "reconcile", "--coders", "anna,bram",
            "T1:1=both", "T1:3=maybe", "T1:6=bram", "T1:99=a", "T1:5=a", "garbage", "NOPE:1=a"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 1, out.output
    text = out.output
    assert "nothing was changed: 6 of 7 decisions cannot be made" in text
    for problem in ("T1:1=both: anna, bram agree on sentence 1 of T1: nothing to decide",
                    "T1:3=maybe: unknown decision 'maybe'",
                    "T1:99=a: T1 has no sentence 99",
                    "T1:5=a: sentence 5 of T1 is the interviewer's",
                    "garbage: 'garbage' is not a decision",
                    "NOPE:1=a: no transcript 'NOPE'"):
        assert problem in text, (problem, text)
    assert "T1:6=bram:" not in text  # the valid one is not a problem …
    assert _counts(db) == before  # … but nothing at all was written, not even the seeding
    with pytest.raises(WorkbenchError, match="decided twice"):
        reconcile.decide_many(db, "anna", ["T1:3=a", "t1:3=b"], coders=("anna", "bram"))
    assert _counts(db) == before


def test_a_valid_call_is_one_change_and_says_what_it_did(coded, project):
    db, sents = coded
    changes, _ = _counts(db)
    out = CliRunner().invoke(cli, ["-p", str(project.root), "reconcile", "T1:3=neither", "T1:6=bram"])
    assert out.exit_code == 0, out.output
    assert "consensus: 2 codings both coders agree on copied in" in out.output
    assert "T1:6: kept bram (added Politie); consensus now: Politie" in out.output
    assert "T1:3: neither (no change to consensus)" in out.output
    assert "recorded as one change: 2 decisions and 2 agreed codings" in out.output
    assert _counts(db) == (changes + 1, 3)
    row = db.execute("select action, summary from changes order by id desc limit 1").fetchone()
    assert row[0] == "reconcile" and "2 decisions" in row[1] and "2 agreed codings" in row[1]
    undo_last(db, "anna")  # one undo takes the seeding and both decisions back
    assert _counts(db)[1] == 0
    assert reconcile.consensus_codes(db, "T1", sents[6]["start"], sents[6]["end"]) == []


def test_interviewer_units_only_with_include_interviewer(coded, project):
    db, sents = coded
    # both coders coded the interviewer's question differently
    coding.apply_code(db, "anna", "T1", "School", sents[5]["start"], sents[5]["end"])
    assert [r["idx"] for r in disagreements.list(db, ("anna", "bram"))] == [3, 6]
    every = disagreements.list(db, ("anna", "bram"), include_interviewer=True)
    assert [r["idx"] for r in every] == [3, 5, 6]
    with pytest.raises(WorkbenchError, match="interviewer's.*--include-interviewer"):
        reconcile.decide(db, "anna", "T1:5", "a", coders=("anna", "bram"))
    out = reconcile.decide(db, "anna", "T1:5", "a", coders=("anna", "bram"), include_interviewer=True)
    assert out["consensus"] == ["School"]
    base = ["-p", str(project.root)]
    res = CliRunner().invoke(cli, [*base, "disagreements", "--include-interviewer", "--json"])
    assert [r["idx"] for r in json.loads(res.output)] == [3, 5, 6]
    res = CliRunner().invoke(cli, [*base, "agreement", "--json"])
    assert json.loads(res.output)["units"] == 8 and json.loads(res.output)["include_interviewer"] is False


def test_a_call_that_changes_nothing_says_so_and_records_nothing(coded, project):
    db, _ = coded
    before = _counts(db)
    out = CliRunner().invoke(cli, ["-p", str(project.root), "reconcile", "--no-seed", "T1:3=neither"])
    assert out.exit_code == 0, out.output
    assert "nothing changed" in out.output and "recorded as one change" not in out.output
    assert _counts(db) == before


# -- whole passages (issue 14) ------------------------------------------------------------------

@pytest.fixture
def passage(project, add_transcript):
    """anna and bram both code sentences 1-4 (all of turn 1) 'School', except that bram left
    out sentence 3; sentence 8 is coded by both, 9 by anna only."""
    db = project.db
    add_transcript("T1", turns=TURNS, role="wijkagent")
    codebook.add(db, "anna", "School")
    sents = get_sentences(db, "T1")

    def code(coder, a, b):
        coding.apply_code(db, coder, "T1", "School", sents[a]["start"], sents[b]["end"])

    code("anna", 1, 4)
    code("bram", 1, 2)
    code("bram", 4, 4)
    code("anna", 8, 9)
    code("bram", 8, 8)
    return db, sents


def consensus(db):
    return [(r["start"], r["end"]) for r in db.query(
        "select start, end from codings where coder = 'consensus' order by start")]


def test_consensus_codings_are_whole_passages(passage):
    db, sents = passage
    result = reconcile.decide_many(db, "anna", ["T1:3=a", "T1:9=a"], "anna,bram")
    assert result["seeded"] == 4 and len(result["decisions"]) == 2
    # sentences 1-4 (one turn, decided or agreed the same way) are one coding; 8-9 another
    assert consensus(db) == [(sents[1]["start"], sents[4]["end"]), (sents[8]["start"], sents[9]["end"])]
    memo = db.execute("select memo from codings where coder = 'consensus' order by start").fetchone()[0]
    assert "agreed by anna, bram" in memo and "reconciled by anna: kept anna" in memo
    # the agreement of anna with the consensus is the same as unit by unit
    data = figures.compute(db, "anna,consensus")
    assert data["codes"][0]["percent_agreement"] == 1.0
    joined = consensus(db)
    undo_last(db, "anna")  # one change, though rows were written twice within it
    assert consensus(db) == []
    from workbench.store.changes import redo_last

    redo_last(db, "anna")
    assert consensus(db) == joined


def test_a_sentence_decided_away_splits_the_passage(passage):
    db, sents = passage
    reconcile.decide_many(db, "anna", ["T1:3=a"], "anna,bram")
    assert consensus(db)[0] == (sents[1]["start"], sents[4]["end"])
    coding.apply_code(db, "bram", "T1", "School", sents[3]["start"], sents[3]["end"])
    coding.remove_coding(db, "anna", next(r["id"] for r in db.query(
        "select id from codings where coder = 'anna' and start = ?", [sents[1]["start"]])))
    coding.apply_code(db, "anna", "T1", "School", sents[1]["start"], sents[2]["end"])
    coding.apply_code(db, "anna", "T1", "School", sents[4]["start"], sents[4]["end"])
    # now anna lacks sentence 3 and bram has it; decide it away (anna's side)
    out = reconcile.decide(db, "anna", "T1:3", "a", "anna,bram")
    assert out["removed"] == ["School"] and out["consensus"] == []
    assert consensus(db)[:2] == [(sents[1]["start"], sents[2]["end"]), (sents[4]["start"], sents[4]["end"])]
    undo_last(db, "anna")
    assert consensus(db)[0] == (sents[1]["start"], sents[4]["end"])


def test_seeding_alone_joins_agreed_neighbours(passage):
    db, sents = passage
    assert reconcile.seed_agreed(db, "anna", "anna,bram") == 4
    assert consensus(db) == [(sents[1]["start"], sents[2]["end"]), (sents[4]["start"], sents[4]["end"]),
                             (sents[8]["start"], sents[8]["end"])]


def test_agreement_rows_say_how_many_units_they_compared(coded, project, tmp_path):
    db, _sents = coded
    theme = codebook.add(db, "anna", "Werving", kind="theme")
    for name in ("School", "Geld"):
        codebook.move(db, "anna", name, theme["id"])
    data = figures.compute(db, "anna,bram")
    assert all(c["compared"] == data["units"] and c["basis"] == f"on all {data['units']} units"
               for c in data["codes"])
    (t,) = data["themes"]
    assert t["compared"] < data["units"] and f"on {t['compared']} of the {data['units']} units only" in t["basis"]
    runner = CliRunner()
    out = runner.invoke(cli, ["-p", str(project.root), "agreement", "--coders", "anna,bram"])
    assert out.exit_code == 0, out.output
    assert "units" in out.output.splitlines()[3] or "units" in out.output
    assert f"Werving: computed on {t['compared']} of the {data['units']} units only" in out.output
    assert f"{t['compared']} of {data['units']}" in out.output
    report = tmp_path / "agreement.md"
    out = runner.invoke(cli, ["-p", str(project.root), "agreement", "--coders", "anna,bram", "--report", str(report)])
    text = report.read_text(encoding="utf-8")
    assert "Sentences compared" in text and f"computed on {t['compared']} of the {data['units']} units only" in text
