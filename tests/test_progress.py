"""The phase dashboard counts what the database holds: read, coded per coder, codes not in a
theme, themes without definition, survey themes without starred quotes, agreement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_visual_data import build_demo

from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.services.reporting import quotes
from workbench.services.visual.progress import build_progress, progress_lines

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(project, add_transcript):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    return project, build_demo(project, add_transcript)


def test_empty_project(project):
    p = build_progress(project)
    assert p["phase1"] == {"transcripts": 0, "read": 0, "unread": [], "by_transcript": []}
    assert p["phase2"]["coders"] == []
    assert p["phase6"]["survey_themes"] == 0
    assert p["agreement"]["done"] is False
    lines = progress_lines(p)
    assert not any(done for _phase, _text, done in lines)


def test_read_means_memo_or_coding(project, add_transcript):
    db = project.db
    for tid in ("T1", "T2", "T3"):
        add_transcript(tid)
    c = codebook.add(db, "anna", "Signaal")["id"]
    coding.apply_code(db, "bob", "T1", c, 0, 10)
    memos.add(db, "anna", "transcript", "T2", "Eerste indruk: veel over Snapchat.")
    p1 = build_progress(project)["phase1"]
    assert p1["read"] == 2 and p1["unread"] == ["T3"]
    by = {t["id"]: t for t in p1["by_transcript"]}
    assert by["T1"]["read_by"] == ["bob"] and not by["T1"]["memo"]
    assert by["T2"]["read_by"] == ["anna"] and by["T2"]["memo"]


def test_dashboard_on_demo(demo):
    project, info = demo
    db = project.db
    p = build_progress(project)
    assert p["phase1"]["read"] == 7
    coders = {c["coder"]: c for c in p["phase2"]["coders"]}
    for name in ("anna", "bob"):
        want = db.execute("select count(distinct transcript_id) from codings where coder = ?", [name]).fetchone()[0]
        assert coders[name]["coded"] == want
    assert coders["bob"]["uncoded"] == ["INT06", "INT07"]
    assert {c["name"] for c in p["phase3"]["unthemed"]} == {"Invloed van corona", "Overlap met seksuele uitbuiting"}
    assert {t["name"] for t in p["phase4"]["themes_without_codes"]} == {"Leeg thema"}
    assert {t["name"] for t in p["phase5"]["without_definition"]} == {
        "Kennis en bewustwording", "Leeg thema", "Online werving", "Werving op straat en school"}
    assert p["phase6"]["survey_themes"] == 11 and p["phase6"]["source"] == "file"
    assert len(p["phase6"]["without_quotes"]) == 11

    # a starred quote of a code under a sub-theme counts for the survey themes of its theme
    code = info["codes"]["Snapchat en Telegram"]
    cid = db.execute("select id from codings where code_id = ? limit 1", [code]).fetchone()[0]
    quotes.star(db, "anna", cid)
    # and a code linked directly
    corona = info["codes"]["Invloed van corona"]
    cid2 = db.execute("select id from codings where code_id = ? limit 1", [corona]).fetchone()[0]
    quotes.star(db, "anna", cid2)
    p6 = build_progress(project)["phase6"]
    assert p6["quotes"] == 2
    assert p6["quotes_per_survey_theme"]["4.3"] == 1 and p6["quotes_per_survey_theme"]["4.4"] == 1
    assert p6["quotes_per_survey_theme"]["4.8"] == 1
    assert {s["id"] for s in p6["without_quotes"]} == {
        "4.1", "4.2", "4.5", "4.6", "4.7", "4.9", "4.10", "4.11"}


def test_agreement_done_by_consensus_or_report(demo):
    project, info = demo
    db = project.db
    assert build_progress(project)["agreement"]["done"] is False
    (project.exports_dir / "agreement-20260101-120000.md").write_text("# Agreement\n", encoding="utf-8")
    ag = build_progress(project)["agreement"]
    assert ag["done"] and ag["reports"] == ["agreement-20260101-120000.md"]
    (project.exports_dir / "agreement-20260101-120000.md").unlink()
    coding.apply_code(db, "consensus", "INT01", info["codes"]["Drugsrunnen"], 0, 10)
    p = build_progress(project)
    assert p["agreement"] == {"done": True, "consensus_codings": 1, "reports": []}
    assert "consensus" not in {c["coder"] for c in p["phase2"]["coders"]}


def test_survey_themes_from_links_without_file(project, add_transcript):
    db = project.db
    add_transcript("T1")
    t = codebook.add(db, "anna", "Thema", kind="theme", definition="Iets.")["id"]
    codebook.set_survey_themes(db, "anna", t, ["2", "10"])
    p6 = build_progress(project)["phase6"]
    assert p6["source"] == "links"
    assert [s["id"] for s in p6["without_quotes"]] == ["2", "10"]


def test_bad_survey_file_names_the_file(project):
    from workbench.errors import WorkbenchError

    (project.codebooks_dir / "survey_themes.yaml").write_text("survey_themes: [\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        build_progress(project)
    assert "survey_themes.yaml" in str(err.value)
