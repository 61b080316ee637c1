"""On the sample project, a chapter draft has at least three survey themes, each with its
prevalence and attributed quotes (links from the sample codebook, or made here with
``workbench survey link`` when the codebook has none yet)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.reporting import survey

QUOTE_LINE = re.compile(r"^> “.+” \((?:[A-Z][\w\- ]*)\)( \[niet geselecteerd\])?$")


def test_sample_chapter_draft(sample_project) -> None:
    project = sample_project
    db = project.db
    runner = CliRunner()
    base = ["--project", str(project.root)]
    themes = [r for r in db.query("select id, name from codes where kind = 'theme' and parent_id is null order by position")]
    if len(themes) < 3:
        pytest.skip("the sample codebook (codebooks/codebook.yaml) has fewer than three themes yet")
    linked = {r["survey_theme_id"] for r in survey.links(db)}
    if len(linked) < 3:
        # Link three themes the way a user would; the lead copies such links into the codebook.
        for theme, sid in zip(themes, ("4.1", "4.3", "4.4"), strict=False):
            res = runner.invoke(cli, [*base, "survey", "link", theme["id"], sid])
            assert res.exit_code == 0, res.output
        linked = {r["survey_theme_id"] for r in survey.links(db)}
    res = runner.invoke(cli, [*base, "export", "chapter", "--format", "md"])
    assert res.exit_code == 0, res.output
    (path,) = project.exports_dir.glob("chapter-all-*.md")
    md = path.read_text(encoding="utf-8")
    sections = re.split(r"^# ", md, flags=re.M)[1:]
    with_content = []
    for sec in sections:
        sid = sec.split()[0]
        if sid not in linked:
            continue
        assert "## Verdieping op de resultaten" in sec
        assert re.search(r"komt in .+ voor \(\d+ van \d+ interviews, \d+ respondent(en)?\)\.", sec), sid
        quotes = [line for line in sec.splitlines() if line.startswith("> ")]
        assert quotes and all(QUOTE_LINE.match(q) for q in quotes), quotes
        with_content.append(sid)
    assert len(with_content) >= 3
