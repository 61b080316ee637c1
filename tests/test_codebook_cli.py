"""CLI: workbench codebook add/rename/edit/move/merge/split/delete/list/check/export/import."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from workbench.cli.main import cli


@pytest.fixture
def run(project, add_transcript):
    add_transcript("T1")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--project", str(project.root), *args])

    return invoke


def test_build_a_codebook(run, project):
    assert run("codebook", "add", "Werving", "--kind", "theme").exit_code == 0
    assert run("codebook", "add", "Online", "--kind", "theme", "--parent", "Werving").exit_code == 0
    out = run("codebook", "add", "ronselen op school", "--theme", "Werving", "--definition", "op school",
              "--colour", "#112233")
    assert out.exit_code == 0 and "added code 'ronselen op school'" in out.output
    warn = run("codebook", "add", "Ronselen op scholen")
    assert warn.exit_code == 0 and "close to the existing code 'ronselen op school'" in warn.output
    assert run("codebook", "add", "ronselen op school").exit_code == 1
    assert "renamed code" in run("codebook", "rename", "Ronselen op scholen", "Snapchat").output
    assert "changed definition" in run("codebook", "edit", "Snapchat", "--definition", "app").output
    assert run("codebook", "edit", "Snapchat").exit_code == 2
    assert "under theme 'Online'" in run("codebook", "move", "Snapchat", "--theme", "Online").output
    assert "under no theme" in run("codebook", "move", "Snapchat", "--no-theme").output
    assert run("codebook", "move", "Snapchat").exit_code == 2
    listing = run("codebook", "list")
    assert listing.exit_code == 0 and "[Werving]" in listing.output and "Snapchat" in listing.output
    data = json.loads(run("codebook", "list", "--json").output)
    assert {d["name"] for d in data} == {"Werving", "Online", "ronselen op school", "Snapchat"}
    assert all({"codings", "transcripts", "respondents"} <= set(d) for d in data)


def test_merge_split_delete(run, project):
    run("codebook", "add", "Snapchat")
    run("codebook", "add", "Instagram")
    run("code", "T1", "Snapchat", "--turn", "1")
    run("code", "T1", "Instagram", "--turn", "3")
    merged = run("codebook", "merge", "Instagram", "Snapchat")
    assert merged.exit_code == 0 and "1 coding(s) moved" in merged.output
    ids = [r[0] for r in project.db.execute("select id from codings order by start")]
    split = run("codebook", "split", "Snapchat", "Instagram", "--codings", ids[1])
    assert split.exit_code == 0 and "1 coding(s) moved to new code 'Instagram'" in split.output
    refused = run("codebook", "delete", "Instagram")
    assert refused.exit_code == 1 and "--force" in refused.output
    forced = run("codebook", "delete", "Instagram", "--force")
    assert forced.exit_code == 0 and "1 coding(s)" in forced.output
    assert "undone" in run("undo").output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 2


def test_check_lists_close_pairs(run):
    run("codebook", "add", "meisjes")
    run("codebook", "add", "Meisjetje")
    run("codebook", "add", "Geweld")
    out = run("codebook", "check")
    assert out.exit_code == 0 and "meisjes" in out.output and "Meisjetje" in out.output and "Geweld" not in out.output
    data = json.loads(run("codebook", "check", "--json").output)
    assert len(data) == 1 and data[0]["score"] == 100


def test_export_import_conflict_flow(run, project):
    run("codebook", "add", "Signalen", "--kind", "theme")
    run("codebook", "add", "Spijbelen", "--theme", "Signalen", "--definition", "verzuim")
    exported = run("codebook", "export")
    assert exported.exit_code == 0 and project.codebook_file.is_file()
    doc = yaml.safe_load(project.codebook_file.read_text(encoding="utf-8"))
    doc["themes"][0]["codes"][0]["name"] = "Schoolverzuim"
    project.codebook_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    run("codebook", "rename", "Spijbelen", "Verzuim")
    dry = run("codebook", "import", "--dry-run")
    assert dry.exit_code == 0 and "CONFLICT" in dry.output
    failed = run("codebook", "import")
    assert failed.exit_code == 3 and "nothing was changed" in failed.output and "--theirs" in failed.output
    assert project.db.execute("select name from codes where kind = 'code'").fetchone()[0] == "Verzuim"
    assert run("codebook", "import", "--theirs", "--ours").exit_code == 2
    ok = run("codebook", "import", "--theirs")
    assert ok.exit_code == 0 and "1 conflict(s) resolved with --theirs" in ok.output
    assert project.db.execute("select name from codes where kind = 'code'").fetchone()[0] == "Schoolverzuim"
    assert "already up to date" in run("codebook", "import").output


def test_import_bad_file_and_unknown_suffix(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nthemes:\n  - nam: x\n", encoding="utf-8")
    result = run("codebook", "import", str(bad))
    assert result.exit_code == 1 and "bad.yaml, line 3" in result.output
    other = tmp_path / "book.txt"
    other.write_text("x", encoding="utf-8")
    assert ".qdc" in run("codebook", "import", str(other)).output

