"""Shared checks for the bad-input tests (tests/test_bad_input_*.py): run a command as a user
would, and prove that a refused command changed nothing.

A snapshot is every row of every table (``iterdump``, without the migrations table) plus every
file in the project folder except the database files themselves, so that a command that writes
half a file, creates folders or leaves a backup behind is caught as well.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from workbench.cli.main import cli
from workbench.project import DB_NAME, Project

DB_FILES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"}


def db_dump(root: Path) -> list[str]:
    con = sqlite3.connect(root / DB_NAME)
    try:
        return [line for line in con.iterdump() if "_sqlite_migrations" not in line]
    finally:
        con.close()


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name not in DB_FILES
    }


def snapshot(project: Project) -> tuple[list[str], dict[str, bytes]]:
    return db_dump(project.root), files_of(project.root)


def run(project: Project | Path | None, *args: str) -> Result:
    """``workbench --project ROOT ARGS…`` through click's test runner (stderr in the output)."""
    prefix = ["--project", str(project.root if isinstance(project, Project) else project)] if project else []
    return CliRunner().invoke(cli, [*prefix, *args])


def assert_clean_failure(result: Result, *, message: str | list[str], code: int = 1,
                         line: int | None = None, path: Path | str | None = None) -> str:
    """A refusal: the exit code, the message (and file and line), no traceback."""
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback instead of a message: {result.exception!r}\n{out}")
    assert result.exit_code == code, f"exit code {result.exit_code}, expected {code}:\n{out}"
    assert "Traceback" not in out
    for m in [message] if isinstance(message, str) else message:
        assert m in out, f"{m!r} not in:\n{out}"
    if path is not None:
        assert str(path) in out, f"{path} not named in:\n{out}"
    if line is not None:
        assert f"line {line}" in out, f"line {line} not named in:\n{out}"
    return out


def refused(project: Project, *args: str, message: str | list[str], code: int = 1,
            line: int | None = None, path: Path | str | None = None) -> str:
    """Run a command that must be refused; check the message and that nothing changed."""
    Project.open(project.root).close()  # migrations (added by other areas) happen before the snapshot
    before = snapshot(project)
    result = run(project, *args)
    out = assert_clean_failure(result, message=message, code=code, line=line, path=path)
    after = snapshot(project)
    assert after[0] == before[0], "the database changed: " + "; ".join(
        sorted(set(after[0]) ^ set(before[0]))[:5])
    assert after[1].keys() == before[1].keys(), (
        f"files changed: {sorted(set(after[1]) ^ set(before[1]))}")
    assert after[1] == before[1], "a file in the project changed"
    return out
