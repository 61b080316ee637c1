"""A write that waits for another process's write says so after a second and gives up after
the configured time with a clear error (workbench.store.connection)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.project import Project
from workbench.store import connection


def test_a_waiting_write_is_announced_and_gives_up_after_the_configured_time(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(connection, "on_wait", told.append)
    monkeypatch.setenv(connection.LOCK_TIMEOUT_ENV, "2")
    other = sqlite3.connect(str(project.root / "workbench.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        start = time.monotonic()
        with pytest.raises(sqlite3.OperationalError) as caught:
            with project.db.atomic():
                project.db.execute("insert into coders (name, created_at) values ('x', 'now')")
        waited = time.monotonic() - start
        assert 1.5 <= waited < 10
        assert len(told) == 1 and "waiting for another workbench process" in told[0]
        assert "2 s" in connection.explain(caught.value, project.root / "workbench.db").message
    finally:
        other.execute("ROLLBACK")
        other.close()
    with project.db.atomic():  # free again: no wait, no notice
        project.db.execute("insert into coders (name, created_at) values ('y', 'now')")
    assert len(told) == 1


def test_a_short_wait_writes_without_a_word(project: Project,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(connection, "on_wait", told.append)
    with project.db.atomic():
        project.db.execute("insert into coders (name, created_at) values ('z', 'now')")
    assert told == []
    assert connection.lock_timeout_ms() == connection.BUSY_TIMEOUT_MS
    monkeypatch.setenv(connection.LOCK_TIMEOUT_ENV, "nonsense")
    assert connection.lock_timeout_ms() == connection.BUSY_TIMEOUT_MS


def test_the_cli_says_it_is_waiting_and_fails_with_a_clear_error(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from workbench.cli.main import cli

    monkeypatch.setenv(connection.LOCK_TIMEOUT_ENV, "2")
    path = Path(project.root)
    project.close()
    other = sqlite3.connect(str(path / "workbench.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(cli, ["--project", str(path), "codebook", "add", "Ronselen"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code != 0
    assert "waiting for another workbench process" in result.output
    assert "locked by another program for more than 2 s" in result.output
    assert not isinstance(result.exception, WorkbenchError | sqlite3.Error)  # handled, not raised
