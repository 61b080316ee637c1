"""Consistent copies of the project database (SQLite online backup) and restoring them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from workbench.clock import stamp
from workbench.errors import WorkbenchError


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "exports" / "backups"


def backup_to(db: sqlite_utils.Database, target: Path) -> Path:
    """Write a consistent copy of ``db`` to ``target`` (which must not exist)."""
    if target.exists():
        raise WorkbenchError("a backup with this name exists already", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise WorkbenchError(f"backup failed: {exc}", path=target) from exc
    return target


def backup_before(db: sqlite_utils.Database, db_path: Path, *, reason: str) -> Path:
    """The automatic backup taken before a migration, merge, replace or archive import."""
    base = backups_dir(db_path) / f"workbench-{stamp()}-before-{reason}.db"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.stem}-{n}.db")
    return backup_to(db, target)
