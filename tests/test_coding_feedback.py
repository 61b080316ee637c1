"""What `workbench code` and friends tell the user: interviewer text, fuzzy matches, unknown
codes, flagged codings (in `codings` and `check`), the acting coder (`workbench coder`, the note
when falling back to the login name) and filter wording of --coder."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding


@pytest.fixture
def run(project, add_transcript):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Dure spullen")
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None):
        return runner.invoke(cli, ["--project", str(project.root), *args], env=env or {})

    return invoke


def test_interviewer_turn_is_coded_with_a_warning(run, project):
    out = run("code", "T1", "Dure spullen", "--turn", "0")
    assert out.exit_code == 0, out.output
    assert "coded" in out.stdout
    assert "interviewer's turn 0" in out.stderr and "not counted in agreement" in out.stderr
    assert "cannot be quoted" in out.stderr
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 1


def test_span_across_turns_warns_and_respondent_text_does_not(run, project):
    t0 = coding.turn_span(project.db, "T1", 0)
    t1 = coding.turn_span(project.db, "T1", 1)
    across = run("code", "T1", "Dure spullen", "--span", f"{t0[1] - 5}:{t1[0] + 10}")
    assert across.exit_code == 0 and "interviewer's turn 0" in across.stderr
    clean = run("code", "T1", "Dure spullen", "--turn", "1")
    assert clean.exit_code == 0 and "warning" not in clean.output
    data = json.loads(run("code", "T1", "Dure spullen", "--turn", "2", "--json").stdout)
    assert data["interviewer_turns"] == [2] and data["warnings"]


def test_interviewer_turns_service(project, add_transcript):
    add_transcript("T1")
    db = project.db
    s0, e0 = coding.turn_span(db, "T1", 0)
    s1, e1 = coding.turn_span(db, "T1", 1)
    assert coding.interviewer_turns(db, "T1", s0, e0) == [0]
    assert coding.interviewer_turns(db, "T1", s1, e1) == []
    assert coding.interviewer_turns(db, "T1", s0, e1) == [0]


def test_fuzzy_quote_says_what_was_coded(run, project):
    out = run("code", "T1", "Dure spullen", "--quote", "Dure kleding en nieuwe telefoontjes")
    assert out.exit_code == 0, out.output
    assert "fuzzy match, " in out.stdout and "% similar (a fuzzy match needs 90%): coded [" in out.stdout
    row = project.db.execute("select start, end from codings").fetchone()
    text = project.db["transcripts"].get("T1")["text"]
    assert f"coded [{row[0]}:{row[1]}] " in out.stdout and f"«{text[row[0]:row[1]]}»" in out.stdout
    assert text[row[0]:row[1]].startswith("Dure kleding")  # not the '?' before it
    assert "interviewer" not in out.stderr
    exact = run("code", "T1", "Dure spullen", "--quote", "Ze spijbelen ook vaak.")
    assert exact.exit_code == 0 and "fuzzy" not in exact.output


def test_find_quote_reports_how(project, add_transcript):
    add_transcript("T1")
    db = project.db
    assert coding.find_quote(db, "T1", "Ze spijbelen ook vaak.").how == "exact"
    assert coding.find_quote(db, "T1", "ze  SPIJBELEN ook vaak").how == "words"
    fuzzy = coding.find_quote(db, "T1", "Dure kleding en nieuwe telefoontjes")
    assert fuzzy.how == "fuzzy" and 90 <= fuzzy.score < 100
    exact = coding.find_quote(db, "T1", "Ze spijbelen ook vaak.")
    assert coding.span_for_quote(db, "T1", "Ze spijbelen ook vaak.") == (exact.start, exact.end)


def test_unknown_code_mentions_new_and_close_names(run):
    out = run("code", "T1", "Dure spulletjes", "--turn", "1")
    assert out.exit_code == 1
    assert "did you mean 'Dure spullen'?" in out.output and "Add --new to create it" in out.output
    plain = run("code", "T1", "Iets heel anders", "--turn", "1")
    assert plain.exit_code == 1 and "Add --new" in plain.output and "did you mean" not in plain.output
    created = run("code", "T1", "Iets heel anders", "--turn", "1", "--new")
    assert created.exit_code == 0 and "added code 'Iets heel anders'" in created.output


# -- flagged codings ------------------------------------------------------------------------------

def test_flagged_codings_show_in_codings_and_check(run, project, tmp_path):
    from workbench.services.transcripts.library import import_paths

    assert run("code", "T1", "Dure spullen", "--quote", "Dure kleding en nieuwe telefoons.").exit_code == 0
    assert run("code", "T1", "Dure spullen", "--quote", "Ze spijbelen ook vaak.").exit_code == 0
    clean = run("check")
    assert clean.exit_code == 0 and "flagged" not in clean.output
    source = tmp_path / "incoming" / "T1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Dure kleding en nieuwe telefoons",
                                                                   "Merkkleding"), encoding="utf-8")
    results = import_paths(project, [source], replace=True)
    assert results[0].status == "replaced"
    flagged = [r for r in coding.list_codings(project.db) if r["flag"]]
    assert len(flagged) == 1

    table = run("codings")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].startswith("!")
    marked = [ln for ln in lines if ln.startswith("! ") and flagged[0]["id"] in ln]
    assert marked, table.output
    assert "2 coding(s), 1 flagged (!)" in table.output
    assert f"! {flagged[0]['id'][:8]}  text changed on re-import" in table.output

    check = run("check")
    assert check.exit_code == 0, check.output
    assert f"flagged coding {flagged[0]['id'][:8]} (anna, 'Dure spullen', T1" in check.output
    assert "text changed on re-import" in check.output and "1 flagged coding(s) need a look" in check.output
    data = json.loads(run("check", "--json").output)
    assert [f["id"] for f in data["flagged_codings"]] == [flagged[0]["id"]] and data["ok"]


# -- the acting coder -------------------------------------------------------------------------

def test_coder_command_shows_and_sets_the_default(run, project):
    shown = run("coder")
    assert shown.exit_code == 0 and "acting as coder 'anna' (project default)" in shown.output
    assert "acting as coder 'bram' (--coder)" in run("coder", "--coder", "bram").output
    env = run("coder", env={"WORKBENCH_CODER": "carla"})
    assert "acting as coder 'carla' (WORKBENCH_CODER)" in env.output
    changed = run("coder", "eva")
    assert changed.exit_code == 0 and "default coder of this project: eva (was anna)" in changed.output
    assert project.get_setting("default_coder") == "eva"
    assert run("coder", "   ").exit_code == 1
    unset = run("coder", "--unset", env={"USER": "tester", "LOGNAME": "tester"})
    assert unset.exit_code == 0 and project.get_setting("default_coder") is None
    assert "no coder is set" in unset.output and "tester" not in unset.output


def test_no_coder_is_refused_never_the_login_name(project, add_transcript, monkeypatch):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Dure spullen")
    project.db.execute("delete from meta where key = 'default_coder'")
    project.db.conn.commit()
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    runner = CliRunner()
    out = runner.invoke(cli, ["--project", str(project.root), "code", "T1", "Dure spullen", "--turn", "1"])
    assert out.exit_code == 1 and "no coder is set for this project" in out.output
    assert "workbench coder NAME" in out.output and "root" not in out.output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 0
    assert project.db.execute("select count(*) from coders where name = 'root'").fetchone()[0] == 0
    with_coder = runner.invoke(cli, ["--project", str(project.root), "--coder", "anna", "code", "T1",
                                     "Dure spullen", "--turn", "3"])
    assert with_coder.exit_code == 0, with_coder.output
    listing = runner.invoke(cli, ["--project", str(project.root), "codings"])
    assert listing.exit_code == 0  # a filter command acts as no one
    themes = runner.invoke(cli, ["--project", str(project.root), "themes"])
    assert themes.exit_code == 0 and themes.output.startswith("counts: all coders' codings (no coder is set")


def test_a_terminal_asks_who_is_coding_and_keeps_the_answer(project, add_transcript, monkeypatch):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Dure spullen")
    project.db.execute("delete from meta where key = 'default_coder'")
    project.db.conn.commit()
    monkeypatch.setattr("workbench.cli.common._interactive", lambda: True)
    out = CliRunner().invoke(cli, ["--project", str(project.root), "code", "T1", "Dure spullen", "--turn", "1"],
                             input="  \nsanne\n")
    assert out.exit_code == 0, out.output
    assert "Who is coding?" in out.output and "'sanne' is now this project's default coder" in out.output
    assert project.db.execute("select coder from codings").fetchone()[0] == "sanne"
    assert project.get_setting("default_coder") == "sanne"


def test_project_coder_source(project, monkeypatch):
    from workbench.project import NoCoderError

    assert project.coder_source() == ("anna", "project default")
    project.db.execute("delete from meta where key = 'default_coder'")
    monkeypatch.setattr("getpass.getuser", lambda: "login")
    assert project.coder_source() == (None, "not set") and project.coder_or_none() is None
    with pytest.raises(NoCoderError):
        project.coder()
    project.ask_coder = lambda: "fleur"
    assert project.coder() == "fleur" and project.get_setting("default_coder") == "fleur"
    monkeypatch.setenv("WORKBENCH_CODER", "eva")
    assert project.coder_source() == ("eva", "WORKBENCH_CODER")
    assert project.set_default_coder(" bram ") == "bram"


@pytest.mark.parametrize("command", ["codings", "history"])
def test_filter_commands_say_coder_filters(command):
    out = CliRunner().invoke(cli, [command, "--help"])
    assert out.exit_code == 0
    assert "Filter:" in out.output and "by this coder" in out.output and "Act as" not in out.output


@pytest.mark.parametrize("command", [["code"], ["uncode"], ["codebook", "split"], ["coder"]])
def test_acting_commands_say_act_as(command):
    out = CliRunner().invoke(cli, [*command, "--help"])
    assert "Act as this coder" in out.output


def test_codings_list_interviewer_words_under_the_interviewer(run, project):
    assert run("code", "T1", "Dure spullen", "--turn", "0").exit_code == 0
    assert run("code", "T1", "Dure spullen", "--turn", "1").exit_code == 0
    out = run("codings")
    lines = [line for line in out.stdout.splitlines() if "Dure spullen" in line]
    assert len(lines) == 2
    assert "Interviewer (Jongerenwerker)" in lines[0] and "Interviewer" not in lines[1]
    data = json.loads(run("codings", "--json").stdout)
    assert [d["interviewer"] for d in data] == [1, 0]
