"""Consistent copies of the project database (SQLite online backup) and restoring them.

The automatic backups (before a migration, merge, replace, archive import or restore, and
``workbench backup`` without ``--to``) go to ``exports/backups/``, which is created when
missing. An explicit target (``workbench backup --to FILE``) must be in a folder that exists: a
typo must not create folders.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from workbench.clock import stamp
from workbench.errors import WorkbenchError


class ProjectFile(Protocol):
    """What the backup needs of a project: its database, the file's path, and closing it (the
    store knows no more of :class:`workbench.project.Project`)."""

    @property
    def db(self) -> sqlite_utils.Database: ...

    @property
    def db_path(self) -> Path: ...

    def close(self) -> None: ...


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "exports" / "backups"


def backup_to(db: sqlite_utils.Database, target: Path, *, create_parents: bool = False) -> Path:
    """Write a consistent copy of ``db`` to ``target`` (which must not exist). A missing folder
    is created only with ``create_parents`` (the automatic exports/backups/ folder)."""
    target = Path(target)
    if target.is_dir():
        raise WorkbenchError("is a folder; give the backup a file name, e.g. copy.db", path=target)
    if target.exists():
        raise WorkbenchError("a backup with this name exists already", path=target)
    if not target.parent.is_dir() and not create_parents:
        raise WorkbenchError(f"the folder {target.parent} does not exist; create it first", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            db.conn.backup(dest)
            # one self-contained file (no -wal/-shm beside it when it is opened or copied)
            dest.execute("PRAGMA journal_mode = DELETE")
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
    return backup_to(db, target, create_parents=True)


def backup_now(project: ProjectFile, target: Path | None = None) -> Path:
    """``workbench backup``: a timestamped copy in exports/backups/ (created when missing), or
    ``target`` (its folder must exist)."""
    if target is not None:
        return backup_to(project.db, Path(target))
    base = backups_dir(project.db_path) / f"workbench-{stamp()}.db"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.stem}-{n}.db")
    return backup_to(project.db, target, create_parents=True)


def _open_backup(source: Path) -> sqlite3.Connection:
    """``source`` opened read-only and checked: a sound workbench database. Opened as
    immutable, so that reading it leaves no -wal or -shm file beside it."""
    try:
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        ok = src.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in src.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        raise WorkbenchError(f"not a workbench backup: {exc}", path=source) from exc
    if ok != "ok" or "transcripts" not in tables:
        src.close()
        raise WorkbenchError("not a usable workbench backup (integrity check failed or no "
                             "transcripts table)", path=source)
    return src


def _replace_damaged(db_path: Path, src: sqlite3.Connection) -> Path:
    """Put the backup ``src`` in place of a damaged database file: the damaged file and its
    write-ahead log are kept in exports/backups/ as they are, byte for byte, then the backup
    is written to a new file that replaces the damaged one in one step. Returns the kept
    copy. No connection of this process may be open on ``db_path``."""
    import os
    import shutil

    folder = backups_dir(db_path)
    base = folder / f"workbench-{stamp()}-damaged.db"
    kept, n = base, 1
    while kept.exists():
        n += 1
        kept = base.with_name(f"{base.stem}-{n}.db")
    fresh = db_path.with_name(f"{db_path.name}.restoring")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, kept)
        wal = Path(f"{db_path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            shutil.copy2(wal, Path(f"{kept}-wal"))
        dest = sqlite3.connect(str(fresh))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")
        finally:
            dest.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, db_path)
    except (OSError, sqlite3.Error) as exc:
        fresh.unlink(missing_ok=True)
        raise WorkbenchError(f"restore failed, nothing was changed: {exc}", path=db_path) from exc
    return kept


def restore_unopenable(db_path: Path, source: Path) -> Path:
    """Restore a project whose database is too damaged to open at all (a damaged header, a
    truncated or emptied file); returns the kept copy of the damaged file."""
    src = _open_backup(source)
    try:
        return _replace_damaged(Path(db_path), src)
    finally:
        src.close()


def restore_from(project: ProjectFile, source: Path) -> Path:
    """Replace the project's database content with ``source``; returns the pre-restore backup
    (for a damaged project: the damaged file, kept as it was)."""
    from workbench.store.schema import ensure_schema

    src = _open_backup(source)
    why = getattr(project.db, "read_only", None)
    if why is not None and why.kind == "damaged":
        try:
            project.close()  # the damaged file's read-only connection
            kept = _replace_damaged(project.db_path, src)
        finally:
            src.close()
        project.db  # noqa: B018 - reopen: checked, migrated
        return kept
    before = backup_before(project.db, project.db_path, reason="restore")
    try:
        src.backup(project.db.conn)
    finally:
        src.close()
    ensure_schema(project.db, path=project.db_path, before_migrating=lambda: backup_before(
        project.db, project.db_path, reason="migration"))
    return before


def integrity_report(db: sqlite_utils.Database) -> dict[str, Any]:
    problems: list[str] = []
    result = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        problems.extend(f"integrity: {r}" for r in result)
    for r in db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"foreign key: table {r[0]} row {r[1]} points to missing {r[2]}")
    bad = db.execute(
        "select c.id from codings c join transcripts t on t.id = c.transcript_id "
        "where c.start < 0 or c.end > length(t.text) or c.start >= c.end"
    ).fetchall()
    problems.extend(f"coding {r[0]}: span outside its transcript" for r in bad)
    if result == ["ok"]:
        from workbench.store import consistency

        problems.extend(consistency.problems(db))
    return {"ok": not problems, "problems": problems, "flagged_codings": flagged_codings(db)}


def flagged_codings(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Codings flagged for a look (e.g. their text changed when the transcript was re-imported
    with --replace): not damage, but each needs the coder's check. One dict per coding."""
    return list(db.query(
        "select x.id, x.transcript_id, x.coder, c.name as code, x.start, x.end, x.flag "
        "from codings x left join codes c on c.id = x.code_id "
        "where coalesce(x.flag, '') != '' order by x.transcript_id, x.start, x.id"
    ))
