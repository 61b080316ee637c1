"""Opening the project database: WAL mode, a busy timeout, foreign keys, and migrations.

Connections are cheap; each thread (a Textual worker, the CLI) opens its own with
:func:`open_database`. Writes are short transactions (``with db.atomic():``) so that the UI and
the CLI can write to one project at the same time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from workbench.errors import WorkbenchError

BUSY_TIMEOUT_MS = 15_000


class _ImmediateConnection(sqlite3.Connection):
    """Starts every explicit transaction with ``BEGIN IMMEDIATE``.

    sqlite-utils' ``atomic()`` issues a plain (deferred) ``BEGIN``. In WAL mode a deferred
    transaction that reads first and writes later fails at once with SQLITE_BUSY when another
    process (the UI and a CLI command, two windows) committed in between; taking the write lock
    at ``BEGIN`` lets the busy timeout wait for the other writer instead.
    """

    def execute(self, sql: str, *args):  # type: ignore[override]
        if sql.strip().upper() in ("BEGIN", "BEGIN;", "BEGIN DEFERRED"):
            sql = "BEGIN IMMEDIATE"
        return super().execute(sql, *args)


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open a SQLite file with the workbench's pragmas, without running migrations."""
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=_ImmediateConnection,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise WorkbenchError(f"cannot open the project database: {exc}", path=path) from exc
    return sqlite_utils.Database(conn)


def open_database(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and, by default, migrate) a project database."""
    from workbench.db.schema import ensure_schema

    db = connect(path)
    if migrate:
        ensure_schema(db, path=Path(path))
    return db
