"""The map, matrix and progress commands: files in exports/ named by what and when, never
overwritten without --force, and the same figures as the services."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest
from click.testing import CliRunner
from test_visual_data import build_demo

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(project, add_transcript):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    return project, build_demo(project, add_transcript)


def run(project, *args: str, ok: bool = True):
    result = CliRunner().invoke(cli, ["--project", str(project.root), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_map_svg_written_to_exports_and_never_overwritten(demo, monkeypatch):
    project, _info = demo
    monkeypatch.setattr("workbench.clock.stamp", lambda: "20260102-030405")
    out = run(project, "map")
    path = project.exports_dir / "thematic-map-20260102-030405.svg"
    assert path.is_file() and str(path) in out.output
    root = DET.parse(str(path)).getroot()
    assert "Signalen en vermoedens" in " ".join(root.itertext())
    again = run(project, "map", ok=False)
    assert again.exit_code != 0 and "--force" in again.output and path.name in again.output
    before = path.read_bytes()
    codebook.rename(project.db, "anna", "Dwangmiddelen", "Dwang en drang")
    run(project, "map", "--force")
    assert b"Dwang en drang" in path.read_bytes() and path.read_bytes() != before
    assert not [p for p in project.exports_dir.iterdir() if p.name.startswith(".")]


def test_map_png_and_mermaid(demo, monkeypatch):
    project, _info = demo
    monkeypatch.setattr("workbench.clock.stamp", lambda: "20260102-030405")
    run(project, "map", "--format", "png", "--cooccurrence", "--min", "1")
    png = project.exports_dir / "thematic-map-cooccurrence-20260102-030405.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run(project, "map", "--format", "mermaid")
    mmd = (project.exports_dir / "thematic-map-20260102-030405.mmd").read_text(encoding="utf-8")
    assert "flowchart LR" in mmd and "Signalen en vermoedens" in mmd
    text = run(project, "map", "--format", "md", "--stdout").output
    assert text.startswith("# Thematische kaart") and "```mermaid" in text
    assert "%% getallen zijn interviews" in text and "numbers are" not in text
    titled = run(project, "map", "--format", "md", "--stdout", "--title", "Kaart A").output
    assert titled.startswith("# Kaart A") and "%% Kaart A: gemaakt " in titled
    assert run(project, "map", "--format", "svg", "--stdout", ok=False).exit_code != 0


def test_map_json_counts_equal_codebook_list(demo):
    project, _info = demo
    data = json.loads(run(project, "map", "--json").output)
    listed = {r["id"]: r["transcripts"] for r in codebook.list_codebook(project.db)}
    stack = list(data["groups"])
    seen = 0
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        if node["kind"] != "unthemed":
            assert node["interviews"] == listed[node["id"]]
            seen += 1
    assert seen == len(listed)


def test_themes_json_agrees_when_the_command_exists(demo):
    """`workbench themes --json` (coding helper) and the map give the same interview counts."""
    project, _info = demo
    if "themes" not in cli.commands:
        pytest.skip("the themes command is not registered yet")
    themes = json.loads(run(project, "themes", "--all-coders", "--json").output)  # the map counts every coder
    m = json.loads(run(project, "map", "--json").output)
    ours = {}
    stack = list(m["groups"])
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        ours[node["name"]] = node["interviews"]
    found = 0
    stack = list(themes if isinstance(themes, list) else themes.get("themes", []))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        for key in ("codes", "children", "subthemes", "sub_themes"):
            stack.extend(node.get(key) or [])
        name = node.get("name")
        count = node.get("interviews", node.get("transcripts"))
        if name in ours and count is not None and node.get("id") is not None:
            assert ours[name] == count, name
            found += 1
    assert found >= 20


def test_matrix_csv_and_refusal(demo, monkeypatch):
    project, _info = demo
    monkeypatch.setattr("workbench.clock.stamp", lambda: "20260102-030405")
    run(project, "matrix", "--by", "domain", "--rows", "themes", "--count", "extracts", "--format", "csv")
    path = project.exports_dir / "matrix-themes-by-domain-extracts-20260102-030405.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    listed = {r["name"]: r["codings"] for r in codebook.list_codebook(project.db) if r["kind"] == "theme"}
    assert {r["theme"]: int(r["total"]) for r in rows} == listed
    assert run(project, "matrix", "--by", "domain", "--rows", "themes", "--count", "extracts",
               "--format", "csv", ok=False).exit_code != 0
    run(project, "matrix", "--by", "code", "--format", "svg")
    svg = project.exports_dir / "matrix-codes-by-code-interviews-20260102-030405.svg"
    DET.parse(str(svg))
    out = run(project, "matrix", "--by", "respondent", "--format", "md", "--stdout").output
    assert out.startswith("**Codes × respondent: interviews**") and "| Dure spullen en geld |" in out
    bad = run(project, "matrix", "--by", "nowhere", ok=False)
    assert bad.exit_code != 0


def test_progress_command(demo):
    project, _info = demo
    data = json.loads(run(project, "progress", "--json").output)
    assert data["phase1"]["read"] == 7
    text = run(project, "progress").output
    assert "2 of 21 codes not in a theme" in text
    assert "Agreement" in text and "not yet" in text
