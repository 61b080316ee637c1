"""The sample project: transcripts, the shared codebook and two coders' codings."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from workbench.formats.codebook_file import read_yaml
from workbench.services.sample import build_sample_project

REPO = Path(__file__).resolve().parent.parent


def test_sample_codebook_file_is_complete():
    entries = read_yaml(REPO / "codebooks" / "codebook.yaml")
    codes = [e for e in entries if e.kind == "code"]
    themes = [e for e in entries if e.kind == "theme"]
    assert len(codes) >= 15 and 4 <= len([t for t in themes if not t.parent_id]) <= 6
    assert any(t.parent_id for t in themes), "one theme has a sub-theme"
    for c in codes:
        assert c.definition and c.inclusion and c.exclusion and c.example and c.colour, c.name
    survey = yaml.safe_load((REPO / "codebooks" / "survey_themes.yaml").read_text(encoding="utf-8"))
    known = {str(t["id"]) for t in survey["survey_themes"]}
    assert {s for e in entries for s in e.survey_themes} <= known


def test_sample_project_has_two_coders_on_three_interviews(sample_project):
    db = sample_project.db
    assert db.execute("select count(*) from codes where kind = 'code'").fetchone()[0] >= 15
    per_coder = dict(db.execute(
        "select coder, count(distinct transcript_id) from codings group by coder").fetchall())
    assert per_coder["anna"] >= 3 and per_coder["bram"] >= 3
    shared = db.execute(
        "select count(*) from (select transcript_id from codings group by transcript_id "
        "having count(distinct coder) = 2)").fetchone()[0]
    assert shared >= 3


def test_sample_coders_partly_agree(sample_project):
    """Per shared interview, the share of anna's codings that bram matched with the same code
    on overlapping text is neither 0 nor 1."""
    db = sample_project.db
    rows = list(db.query(
        "select a.id, exists(select 1 from codings b where b.coder = 'bram' and b.transcript_id = "
        "a.transcript_id and b.code_id = a.code_id and b.start < a.end and a.start < b.end) as matched "
        "from codings a where a.coder = 'anna' and a.transcript_id in "
        "(select transcript_id from codings where coder = 'bram')"))
    share = sum(r["matched"] for r in rows) / len(rows)
    assert 0.3 < share < 0.95


def test_building_twice_changes_nothing(sample_project, tmp_path):
    target = tmp_path / "again"
    shutil.copytree(sample_project.root, target)
    before = _counts(sample_project.db)
    project = build_sample_project(REPO, target)
    try:
        assert _counts(project.db) == before
    finally:
        project.close()


def _counts(db) -> tuple:
    return tuple(db.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("transcripts", "codes", "codings", "changes", "survey_links"))
