"""CLI: code, uncode, codings, codings-import, memo, undo, redo, history, themes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook


@pytest.fixture
def run(project, add_transcript):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen", kind="theme")
    codebook.add(project.db, "anna", "Dure spullen", parent="Signalen")
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None):
        return runner.invoke(cli, ["--project", str(project.root), *args], env=env or {})

    return invoke


def test_code_by_quote_and_uncode(run, project):
    result = run("code", "T1", "Dure spullen", "--quote", "Dure kleding en nieuwe telefoons.", "--memo", "klassiek")
    assert result.exit_code == 0, result.output
    assert "coded" in result.output and "as anna" in result.output
    row = project.db.execute("select id, memo, coder from codings").fetchone()
    assert row[1:] == ("klassiek", "anna")
    again = run("code", "T1", "Dure spullen", "--quote", "Dure kleding en nieuwe telefoons.")
    assert again.exit_code == 0 and "already coded" in again.output
    refused = run("uncode", row[0], "--coder", "bram")
    assert refused.exit_code == 1 and "belongs to coder 'anna'" in refused.output
    removed = run("uncode", row[0][:8])
    assert removed.exit_code == 0 and project.db.execute("select count(*) from codings").fetchone()[0] == 0


def test_code_span_sentence_turn_and_coder_sources(run, project):
    assert run("code", "T1", "Dure spullen", "--sentence", "1", "--coder", "bram").exit_code == 0
    assert run("code", "T1", "Dure spullen", "--turn", "3", env={"WORKBENCH_CODER": "carla"}).exit_code == 0
    assert run("code", "T1", "Dure spullen", "--span", "0:5").exit_code == 0
    coders = sorted(r[0] for r in project.db.execute("select coder from codings"))
    assert coders == ["anna", "bram", "carla"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["code", "T1", "Dure spullen"], "exactly one of"),
        (["code", "T1", "Dure spullen", "--span", "5"], "START:END"),
        (["code", "T1", "Dure spullen", "--span", "0:99999"], "outside the text"),
        (["code", "T1", "Dure spullen", "--sentence", "99"], "no sentence 99"),
        (["code", "T1", "Signalen", "--turn", "1"], "is a theme"),
        (["code", "T1", "Onbekend", "--turn", "1"], "no code or theme 'Onbekend'"),
        (["code", "T1", "Dure spullen", "--quote", "iets wat er echt helemaal niet in voorkomt"], "not in T1"),
        (["uncode", "deadbeef"], "no coding"),
    ],
)
def test_code_errors_exit_non_zero(run, args, message):
    result = run(*args)
    assert result.exit_code != 0 and message in result.output


def test_code_new_creates_code_with_near_duplicate_warning(run, project):
    result = run("code", "T1", "dure spulletjes", "--turn", "1", "--new")
    assert result.exit_code == 0, result.output
    assert "added code 'dure spulletjes'" in result.output and "close to the existing code 'Dure spullen'" in result.output


def test_codings_listing_and_json(run):
    run("code", "T1", "Dure spullen", "--turn", "1")
    run("code", "T1", "Dure spullen", "--turn", "3", "--coder", "bram")
    table = run("codings", "--coder", "bram")
    assert table.exit_code == 0 and "bram" in table.output and "1 coding(s)" in table.output
    data = json.loads(run("codings", "--json", "--theme", "Signalen").output)
    assert {d["coder"] for d in data} == {"anna", "bram"} and all(d["label"] == "Jongerenwerker" for d in data)
    assert run("codings", "--code", "Nope").exit_code == 1


def test_memo_commands(run, project):
    assert run("memo", "add", "Eerste indrukken").exit_code == 0
    assert run("memo", "add", "Veel signalen", "--transcript", "T1").exit_code == 0
    assert run("memo", "add", "Code-memo", "--code", "Dure spullen").exit_code == 0
    listed = run("memo", "list")
    assert all(t in listed.output for t in ("Eerste indrukken", "Veel signalen", "Code-memo"))
    data = json.loads(run("memo", "list", "--transcript", "T1", "--json").output)
    assert [d["text"] for d in data] == ["Veel signalen"]
    assert run("memo", "edit", data[0]["id"], "Aangepast").exit_code == 0
    assert run("memo", "delete", data[0]["id"], "--coder", "bram").exit_code == 1
    assert run("memo", "delete", data[0]["id"]).exit_code == 0
    assert run("memo", "add", "x", "--transcript", "T1", "--code", "Dure spullen").exit_code == 2


def test_undo_redo_history(run, project):
    run("code", "T1", "Dure spullen", "--turn", "1")
    undone = run("undo")
    assert undone.exit_code == 0 and "undone: code 'Dure spullen'" in undone.output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 0
    assert "redone" in run("redo").output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 1
    assert "nothing to undo for coder 'bram'" in run("undo", "--coder", "bram").output
    hist = run("history", "--limit", "3")
    assert hist.exit_code == 0 and "redo" in hist.output and "coding.apply" in hist.output
    data = json.loads(run("history", "--json", "--coder", "anna").output)
    assert data[0]["action"] == "redo"


def test_themes_command(run):
    run("code", "T1", "Dure spullen", "--turn", "1")
    out = run("themes")
    assert out.exit_code == 0 and "[Signalen]: 1 extract(s), 1 interview(s), 1 respondent(s)" in out.output
    assert out.output.startswith("counts: anna's codings")
    data = json.loads(run("themes", "--json").output)
    assert data["themes"][0]["codes"][0]["name"] == "Dure spullen" and data["cooccurrence"] == []
    assert data["coder"] == "anna"


def test_themes_counts_one_coder_unless_asked(run):
    run("code", "T1", "Dure spullen", "--turn", "1")
    run("code", "T1", "Dure spullen", "--turn", "3", "--coder", "bram")
    run("code", "T1", "Dure spullen", "--turn", "1", "--coder", "bram")
    mine = run("themes")
    assert "[Signalen]: 1 extract(s)" in mine.output
    theirs = run("themes", "--coder", "bram")
    assert theirs.output.startswith("counts: bram's codings") and "[Signalen]: 2 extract(s)" in theirs.output
    everyone = run("themes", "--all-coders")
    assert everyone.output.startswith("counts: all coders' codings") and "[Signalen]: 3 extract(s)" in everyone.output
    assert json.loads(run("themes", "--all-coders", "--json").output)["coder"] is None
    unknown = run("themes", "--coder", "bob")
    assert unknown.exit_code == 1 and "no coder 'bob'" in unknown.output and "anna, bram" in unknown.output
    assert run("themes", "--coder", "bram", "--all-coders").exit_code == 2


def test_codings_import_reports_errors_with_lines(run, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("codings:\n  - transcript: T1\n    code: Nope\n    quote: Dure kleding\n", encoding="utf-8")
    result = run("codings-import", str(path))
    assert result.exit_code == 1 and "line 2" in result.output and "nothing was changed" in result.output
    path.write_text("codings:\n  - transcript: T1\n    code: Dure spullen\n    quote: Dure kleding\n", encoding="utf-8")
    ok = run("codings-import", str(path))
    assert ok.exit_code == 0 and "1 coding(s) added (anna: 1)" in ok.output
    out = tmp_path / "all.csv"
    assert run("codings-export", str(out)).exit_code == 0 and "Dure kleding" in out.read_text(encoding="utf-8")


def test_new_code_and_its_coding_are_one_change(run, project):
    out = run("code", "T1", "Nieuwe code", "--turn", "1", "--new")
    assert out.exit_code == 0, out.output
    assert "added code 'Nieuwe code'" in out.output and "removes the new code and this coding together" in out.output
    db = project.db
    assert db.execute("select count(*) from codes where name = 'Nieuwe code'").fetchone()[0] == 1
    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert db.execute("select count(*) from codes where name = 'Nieuwe code'").fetchone()[0] == 0
    assert db.execute("select count(*) from codings").fetchone()[0] == 0
    assert run("redo").exit_code == 0
    assert db.execute("select count(*) from codings").fetchone()[0] == 1
    # a bad span creates nothing
    bad = run("code", "T1", "Nog een code", "--span", "5:2", "--new")
    assert bad.exit_code != 0
    assert db.execute("select count(*) from codes where name = 'Nog een code'").fetchone()[0] == 0
    data = json.loads(run("code", "T1", "Derde code", "--turn", "3", "--new", "--json").stdout)
    assert data["new_code"] and data["existed"] is False
