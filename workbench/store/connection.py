"""Opening the project database: WAL mode, a busy timeout, foreign keys, and migrations.

Connections are cheap; each thread (a Textual worker, the CLI) opens its own with
:func:`open_database`. Writes are short transactions (``with db.atomic():``) so that the UI and
the CLI can write to one project at the same time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.store import integrity

BUSY_TIMEOUT_MS = 15_000
#: Environment variable: how many seconds a write waits for another process's write before it
#: gives up with an error (default :data:`BUSY_TIMEOUT_MS`).
LOCK_TIMEOUT_ENV = "WORKBENCH_LOCK_TIMEOUT"
#: After this long waiting for another writer, :data:`on_wait` is told (once per write).
WAIT_NOTICE_MS = 1000

#: Called with a message when a write has waited :data:`WAIT_NOTICE_MS` for another process
#: (the CLI prints it on stderr); None: nobody is told.
on_wait: Callable[[str], None] | None = None

#: Called with a message before an existing project's database is migrated to this version
#: (a backup first, then the migrations: seconds on a large project, once); the CLI prints it
#: on stderr, before the terminal UI takes the screen. None: nobody is told.
on_migrating: Callable[[str], None] | None = None

#: The longest a write on the main thread waits for another process, when set: the terminal UI
#: sets it (its screen cannot repaint while the main thread waits), so that after it the write
#: gives up with the locked-project error as a notice instead of freezing the screen for
#: :func:`lock_timeout_ms`. None (the CLI): :func:`lock_timeout_ms` everywhere.
main_thread_wait_ms: int | None = None


def wait_limit_ms() -> int:
    """How long a write on this thread waits for another process's write (see
    :data:`main_thread_wait_ms`)."""
    import threading

    total = lock_timeout_ms()
    if main_thread_wait_ms is not None and threading.current_thread() is threading.main_thread():
        return min(total, main_thread_wait_ms)
    return total


def lock_timeout_ms() -> int:
    """How long a write waits for another process's write: ``WORKBENCH_LOCK_TIMEOUT`` seconds
    if set (a positive number), else :data:`BUSY_TIMEOUT_MS`."""
    import os

    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        seconds = float(raw) if raw else 0.0
    except ValueError:
        seconds = 0.0
    return int(seconds * 1000) if seconds > 0 else BUSY_TIMEOUT_MS


class _ImmediateConnection(sqlite3.Connection):
    """Starts every explicit transaction with ``BEGIN IMMEDIATE``.

    sqlite-utils' ``atomic()`` issues a plain (deferred) ``BEGIN``. In WAL mode a deferred
    transaction that reads first and writes later fails at once with SQLITE_BUSY when another
    process (the UI and a CLI command, two windows) committed in between; taking the write lock
    at ``BEGIN`` lets the busy timeout wait for the other writer instead.
    """

    #: The database file as opened (``(st_dev, st_ino)``) and its path: a write transaction
    #: first makes sure the path still names that file (see :func:`replaced`).
    file_id: tuple[int, int] | None = None
    file_path: Path | None = None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.strip().upper() in ("BEGIN", "BEGIN;", "BEGIN DEFERRED", "BEGIN IMMEDIATE"):
            cursor = self._begin(*args)
            problem = _replaced(self)
            if problem is not None:
                super().execute("ROLLBACK")
                raise problem
            return cursor
        return super().execute(sql, *args)


    def _begin(self, *args: Any) -> sqlite3.Cursor:
        """``BEGIN IMMEDIATE``, waiting for another process's write: after
        :data:`WAIT_NOTICE_MS` :data:`on_wait` is told, after :func:`lock_timeout_ms` the
        SQLITE_BUSY error is raised (:func:`explain` words it)."""
        total = wait_limit_ms()
        first = min(WAIT_NOTICE_MS, total)
        super().execute(f"PRAGMA busy_timeout = {first}")
        try:
            return super().execute("BEGIN IMMEDIATE", *args)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc).lower():
                raise
            if total <= first:
                raise
            if on_wait is not None:
                on_wait("waiting for another workbench process to finish writing to the "
                        f"project (at most {total / 1000:.0f} s; {LOCK_TIMEOUT_ENV} sets it)…")
            super().execute(f"PRAGMA busy_timeout = {total - first}")
            return super().execute("BEGIN IMMEDIATE", *args)
        finally:
            super().execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


REPLACED_ADVICE = ("this window writes nothing more to it (two files sharing one write-ahead "
                   "log would damage both): quit and open the project again")


def _replaced(conn: sqlite3.Connection) -> StorageError | None:
    """Whether another program deleted the database file or put another file in its place
    since ``conn`` opened it (``mv``, a sync tool, a checkout): writing on would go to a file
    that is gone, or mix two databases through their shared ``-wal``."""
    path, opened = getattr(conn, "file_path", None), getattr(conn, "file_id", None)
    if path is None or opened is None:
        return None
    now = _identity(path)
    if now == opened:
        return None
    what = "deleted" if now is None else "replaced by another file"
    return StorageError(f"the project database {path.name} was {what} by another program after "
                        "this window opened it", REPLACED_ADVICE, kind="replaced", path=path)


def replaced(db: sqlite_utils.Database) -> StorageError | None:
    """:func:`_replaced` for a project connection (None: its file is still in place)."""
    return _replaced(db.conn)


class StorageError(WorkbenchError):
    """The project's storage refused an action: a full disk, a read-only project, a lock held
    too long by another program, a damaged file. ``kind`` says which; nothing was changed."""

    def __init__(self, reason: str, advice: str, *, kind: str, path: Path | str | None = None) -> None:
        super().__init__(f"{reason}: {advice}", path=path)
        self.reason = reason  # what is wrong, without what to do about it
        self.kind = kind


def db_file(db: sqlite_utils.Database) -> Path | None:
    """The file of ``db``'s main database (None for one in memory)."""
    for row in db.execute("pragma database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


FULL_BELOW = 1_000_000
"""Free bytes under which an I/O error is taken to be a full disk."""


def _free_bytes(folder: Path) -> int | None:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _writable(path: Path) -> bool:
    import os

    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def explain(exc: sqlite3.Error, path: Path | str | None) -> StorageError:
    """The SQLite error ``exc`` on the project database at ``path`` in words a researcher can
    act on: the disk is full, the project is read-only, another program holds the lock, the
    file is damaged; always with "nothing was changed" (each action is one transaction)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    db_path = Path(path) if path is not None else None
    folder = db_path.parent if db_path is not None else None
    free = _free_bytes(folder) if folder is not None and folder.exists() else None
    io = name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")) or "disk I/O" in text
    if name.startswith("SQLITE_FULL") or "disk is full" in text or (io and free is not None and free < FULL_BELOW):
        where = f" ({free // 1024:,} KB free in {folder})" if free is not None else ""
        return StorageError(f"the disk is full{where}", "free some space and try again; nothing "
                            "was changed", kind="full", path=path)
    if name.startswith("SQLITE_READONLY") or "readonly" in text or (
            io and db_path is not None and not _writable(db_path)):
        return StorageError("the project is read-only (no permission to write the project folder "
                            "or its database)", "nothing was changed; work on a copy, or ask for "
                            "write permission", kind="read-only", path=path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StorageError(f"the project database is locked by another program for more than "
                            f"{wait_limit_ms() / 1000:.0f} s (a long import in another window, a sync "
                            "or backup tool?)", "nothing was changed; try again when it is done",
                            kind="locked", path=path)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "not a database" in text or "malformed" in text:
        return StorageError(f"the project database is damaged ({text})", "nothing was changed; "
                            "'workbench restore FILE' brings back a backup from exports/backups/",
                            kind="damaged", path=path)
    return StorageError(f"database error: {text}", "nothing was changed", kind="io", path=path)


def explain_for(db: sqlite_utils.Database | None, exc: sqlite3.Error, path: Path | str | None) -> StorageError:
    """:func:`explain`, but a write refused by a database opened read-only for a reason (damage,
    a full disk) says that reason (``db.read_only``)."""
    problem = explain(exc, path)
    why: StorageError | None = getattr(db, "read_only", None) if db is not None else None
    if why is not None and problem.kind in ("read-only", "full", "io"):
        if why.kind in ("damaged", "checking", "replaced"):
            return why
        return StorageError(why.reason, "nothing was changed", kind=why.kind, path=path)
    return problem


class ProjectDatabase(sqlite_utils.Database):
    """A project's database: sqlite-utils' ``Database`` that also says why it was opened
    read-only (``read_only``: damage, a full disk or read-only medium, a pending check; None
    when it is writable)."""

    read_only: StorageError | None = None

    def __init__(self, conn: sqlite3.Connection) -> None:
        # No sqlite-utils plugins on a project's connection: finding them scans every
        # installed package's entry points (35 ms of each start-up), and a plugin installed
        # for something else has no business changing how the project's database behaves.
        super().__init__(conn, execute_plugins=False)


def connect(path: Path | str) -> ProjectDatabase:
    """Open a SQLite file with the workbench's pragmas, without running migrations.

    A project on a full disk or a read-only medium cannot open the way WAL needs (it writes a
    shared-memory file): it is then opened read-only, so that reading still works, when no
    unfinished write-ahead log exists; ``db.read_only`` (a :class:`StorageError`, else None)
    says why, and any write fails with the reason (see :func:`explain_for`)."""
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
        problem = explain(exc, path)
        if problem.kind in ("full", "read-only"):
            fallback = _open_read_only(Path(path))
            if fallback is not None:
                fallback.read_only = problem
                return fallback
        raise WorkbenchError(f"cannot open the project database: {problem.message}", path=path) from exc
    return ProjectDatabase(conn)


_VERIFIED: set[str] = set()
"""Database files this process has found sound (checked, or as the workbench left them)."""


CHECKING_REASON = ("the project is being checked (its file was changed outside the "
                   "workbench since it was last closed)")


def read_only_reason(db: sqlite_utils.Database) -> StorageError | None:
    """Why ``db`` was opened read-only (damage, a full disk, a pending check), or None."""
    why: StorageError | None = getattr(db, "read_only", None)
    return why


def check_pending(db: sqlite_utils.Database) -> bool:
    """Whether ``db`` waits for the check that :func:`open_database` put off."""
    why = getattr(db, "read_only", None)
    return why is not None and why.kind == "checking"


def _damaged_reader(path: Path, problem: str) -> ProjectDatabase:
    damaged = StorageError(f"the project database is damaged ({problem[:200]})",
                           integrity.DAMAGED_ADVICE, kind="damaged", path=path)
    reader = _reader(path)
    if reader is None:
        raise StorageError(f"the project database is damaged ({problem[:200]}) and cannot be "
                           "opened, not even for reading", integrity.UNOPENABLE_ADVICE,
                           kind="damaged", path=path)
    reader.read_only = damaged
    return reader


def finish_check(db: ProjectDatabase, path: Path, problem: str | None) -> ProjectDatabase:
    """The connection to use once the check that :func:`open_database` put off is done
    (``problem``: what it found, None when the file is sound): a writable connection, or the
    read-only one with the damage named. ``db`` (read-only while checking) is closed."""
    if problem is not None:
        db.read_only = StorageError(f"the project database is damaged ({problem[:200]})",
                                    integrity.DAMAGED_ADVICE, kind="damaged", path=path)
        return db
    integrity.record_clean(path)
    _VERIFIED.add(str(path.resolve()))
    db.close()
    return open_database(path)


def _reader(path: Path) -> ProjectDatabase | None:
    """``path`` opened for reading only (with its write-ahead log, so that it follows other
    processes): such a connection never writes the database or its log, not even the
    checkpoint a closing connection makes. None when it cannot be opened."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                               factory=_ImmediateConnection)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return _open_read_only(path, allow_wal=True)
    return ProjectDatabase(conn)


def _open_read_only(path: Path, *, allow_wal: bool = False) -> ProjectDatabase | None:
    """``path`` opened for reading only, without the files WAL needs; None when a write-ahead
    log holds changes not yet in the database file (reading without it would show old data)."""
    wal = Path(f"{path}-wal")
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0 and not allow_wal):
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               check_same_thread=False, factory=_ImmediateConnection)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return None
    return ProjectDatabase(conn)


def open_database(path: Path | str, *, migrate: bool = True,
                  check_later: bool = False) -> ProjectDatabase:
    """Open (and, by default, migrate) a project database; see :func:`_open_database`. The
    connection remembers which file it opened, so that a write transaction refuses to go on
    once another program deleted or replaced it."""
    db = _open_database(Path(path), migrate=migrate, check_later=check_later)
    conn = db.conn
    if isinstance(conn, _ImmediateConnection):
        conn.file_path = Path(path)
        conn.file_id = _identity(Path(path))
    return db


def _open_database(path: Path, *, migrate: bool, check_later: bool) -> ProjectDatabase:
    """Open (and, by default, migrate) a project database.

    A file that is not as the workbench left it is checked first, on a read-only
    connection (a damaged file is then opened read-only with the damage named, and nothing
    is written to it, not even a checkpoint). ``check_later``: do not check now (the
    terminal UI checks in a worker, so that a large project opens at once); until
    :func:`finish_check` the connection is read-only and ``db.read_only`` says the check is
    running. A database that needs migrating is always checked first: migrating writes."""
    from workbench.store.schema import ensure_schema, migrations, refuse_newer

    path = Path(path)
    key = str(path.resolve())
    if path.is_file() and path.stat().st_size == 0:  # not a new database: an emptied one
        raise StorageError("the project database is empty (0 bytes): whatever wrote it last "
                           "left nothing of the project", integrity.UNOPENABLE_ADVICE,
                           kind="damaged", path=path)
    if key not in _VERIFIED and path.is_file():
        check = integrity.needs_check(path) or integrity.log_left_behind(path)
        if check and check_later:
            reader = _reader(path)
            try:
                later = reader is not None and not migrations.pending(reader)
            except sqlite3.DatabaseError:  # too damaged to read the schema: check now
                later = False
            if later and reader is not None:
                try:
                    refuse_newer(reader, path=path)
                except WorkbenchError:
                    reader.close()
                    raise
                reader.read_only = StorageError(CHECKING_REASON, "nothing was changed; try "
                                                "again in a moment", kind="checking", path=path)
                return reader
            if reader is not None:
                reader.close()
        problem = integrity.check_file(path, whole=check)
        if problem is not None:
            return _damaged_reader(path, problem)
        if check:
            integrity.record_clean(path)
        _VERIFIED.add(key)  # once per process: later connections (workers) trust it

    db = connect(path)
    if migrate and db.read_only:
        if migrations.pending(db):
            db.close()
            raise WorkbenchError(f"{db.read_only.reason}, and the project needs an upgrade of its "
                                 "database first, which cannot be written; nothing was changed",
                                 path=path)
    elif migrate:
        from workbench.store.backup import backup_before

        def before_migrating() -> None:
            if on_migrating is not None:
                on_migrating(f"updating the project database {path} to this version of workbench "
                             "(once; a backup comes first; a large project takes some seconds)…")
            backup_before(db, Path(path), reason="migration")

        ensure_schema(db, path=Path(path), before_migrating=before_migrating)
    return db
