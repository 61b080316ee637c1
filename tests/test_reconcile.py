"""Disagreements between coders and reconciling them into the coder 'consensus'."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.agreement import figures
from workbench.cli.main import cli
from workbench.db.changes import undo_last
from workbench.errors import WorkbenchError
from workbench.services import codebook, coding, disagreements, reconcile
from workbench.services.transcripts import get_sentences

TURNS = [
    ("I", "Hoe begon het?"),
    ("R", "Het begon op school. Daarna ging het snel. Ze kregen geld. Ze moesten pakketjes rijden."),
    ("I", "Wat deed u?"),
    ("R", "Ik belde de wijkagent. We maakten een plan. Het hielp niet altijd. Soms is het te laat."),
]


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
    code("bram", "Politie", 5)
    code("anna", "Geld", 5)        # differ: Geld vs Politie
    code("anna", "Politie", 7)
    code("bram", "Politie", 7)     # agree
    return db, sents


def originals(db):
    return sorted(
        (r["coder"], r["code_id"], r["start"], r["end"])
        for r in db.query("select * from codings where coder != 'consensus'")
    )


def test_disagreements_list_units_with_text_label_and_codes(coded):
    db, sents = coded
    rows = disagreements.list(db, ("anna", "bram"))
    assert [r["idx"] for r in rows] == [3, 5]
    r = rows[1]
    assert r["transcript"] == "T1" and r["label"] == "Wijkagent" and r["unit"] == "sentence"
    assert (r["start"], r["end"]) == (sents[5]["start"], sents[5]["end"])
    assert r["text"] == sents[5]["text"]
    assert r["codes"] == {"anna": ["Geld"], "bram": ["Politie"]}
    assert r["differing"] == ["Geld", "Politie"]
    only_politie = disagreements.list(db, "anna,bram", code="Politie")
    assert [r["idx"] for r in only_politie] == [5]
    turns = disagreements.list(db, ("anna", "bram"), unit="turn")
    # a single sentence is less than half of turn 1; sentence 5 is all of turn 2
    assert [r["idx"] for r in turns] == [2]


def test_disagreements_cli_json(coded, project):
    out = CliRunner().invoke(cli, ["-p", str(project.root), "disagreements", "--json"])
    assert out.exit_code == 0, out.output
    assert [r["idx"] for r in json.loads(out.output)] == [3, 5]


def test_decide_creates_consensus_codings_and_leaves_originals(coded):
    db, sents = coded
    before = originals(db)
    out = reconcile.decide(db, "anna", "T1:5", "b", coders=("anna", "bram"))
    assert out["consensus"] == ["Politie"] and out["added"] == ["Politie"]
    rows = list(db.query("select * from codings where coder = 'consensus'"))
    assert [(r["start"], r["end"]) for r in rows] == [(sents[5]["start"], sents[5]["end"])]
    assert originals(db) == before
    # change of mind: both
    out = reconcile.decide(db, "anna", "T1:5", "both", coders=("anna", "bram"))
    assert out["consensus"] == ["Geld", "Politie"]
    # "neither" where consensus has nothing yet changes nothing (and records nothing)
    assert reconcile.decide(db, "anna", "T1:3", "neither", coders=("anna", "bram"))["consensus"] == []
    # the changes are anna's: her undo takes the last decision back
    undo_last(db, "anna")
    assert reconcile.consensus_codes(db, "T1", sents[5]["start"], sents[5]["end"]) == ["Politie"]
    undo_last(db, "anna")
    assert reconcile.consensus_codes(db, "T1", sents[5]["start"], sents[5]["end"]) == []
    assert originals(db) == before


def test_decide_refuses_units_without_disagreement_and_bad_input(coded):
    db, _ = coded
    with pytest.raises(WorkbenchError, match="agree on sentence 1"):
        reconcile.decide(db, "anna", "T1:1", "a", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="unknown decision"):
        reconcile.decide(db, "anna", "T1:5", "maybe", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="no sentence 99"):
        reconcile.decide(db, "anna", "T1:99", "a", coders=("anna", "bram"))
    with pytest.raises(WorkbenchError, match="not a unit"):
        reconcile.decide(db, "anna", "T1:x", "a", coders=("anna", "bram"))


def test_seed_then_decide_gives_full_consensus_and_agreement_after_discussion(coded):
    db, _ = coded
    assert reconcile.seed_agreed(db, "anna", ("anna", "bram")) == 2
    assert reconcile.seed_agreed(db, "anna", ("anna", "bram")) == 0  # idempotent
    reconcile.decide(db, "anna", "T1:3", "a", coders=("anna", "bram"))
    reconcile.decide(db, "anna", "T1:5", "a", coders=("anna", "bram"))
    after = figures.compute(db, ("anna", "consensus"))
    assert after["overall"]["pooled"]["percent_agreement"] == 1.0
    before = figures.compute(db, ("anna", "bram"))
    assert before["overall"]["pooled"]["percent_agreement"] < 1.0
    # consensus is not a default coder
    assert figures.compute(db)["coders"] == ["anna", "bram"]


def test_reconcile_cli_with_decisions_seeds_and_decides(coded, project):
    db, sents = coded
    base = ["-p", str(project.root)]
    out = CliRunner().invoke(cli, [*base, "reconcile", "--coders", "anna,bram", "T1:3=neither", "T1:5=bram", "--json"])
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
    assert reconcile.consensus_codes(db, "T1", sents[5]["start"], sents[5]["end"]) == ["Geld", "Politie"]
    assert reconcile.consensus_codes(db, "T1", sents[1]["start"], sents[1]["end"]) == ["School"]
    # quit at once: nothing more is decided
    out = CliRunner().invoke(cli, ["-p", str(project.root), "reconcile"], input="q\n")
    assert out.exit_code == 0 and "0 decisions recorded" in out.output
