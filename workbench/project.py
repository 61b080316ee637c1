"""A project on disk: its folders, its database and its settings.

A project is a folder with ``transcripts/``, ``codebooks/``, ``exports/`` and ``workbench.db``.
:class:`Project` finds and opens one; every command and the app go through it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import NotAProjectError, WorkbenchError

if TYPE_CHECKING:
    from workbench.store.connection import ProjectDatabase

DB_NAME = "workbench.db"
NOT_SET = "not set"
NO_CODER = (
    "no coder is set for this project: say who is coding with --coder NAME, set "
    "WORKBENCH_CODER, or make NAME the project's default with `workbench coder NAME` (a coder "
    "is a person: their name appears on every coding)"
)


class NoCoderError(WorkbenchError):
    """An action needs a coder and none is given, in the environment or as project default."""

    def __init__(self) -> None:
        super().__init__(NO_CODER)
FOLDERS = ("transcripts", "codebooks", "exports")


@dataclass
class Project:
    """An opened project. ``db`` is a connection for the current thread."""

    root: Path
    _local: threading.local = field(default_factory=threading.local, repr=False)
    #: Asked for a coder's name when an action needs one and none is set (the CLI asks in a
    #: terminal); the answer becomes the project's default coder. ``None``: refuse instead.
    ask_coder: Callable[[], str] | None = field(default=None, repr=False)
    #: Open the first connection without checking a file that something else touched; the
    #: terminal UI checks it in a worker (see :meth:`finish_check`).
    check_later: bool = field(default=False, repr=False)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def transcripts_dir(self) -> Path:
        return self.root / "transcripts"

    @property
    def codebooks_dir(self) -> Path:
        return self.root / "codebooks"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def codebook_file(self) -> Path:
        return self.codebooks_dir / "codebook.yaml"

    #: Set when another program deleted or replaced the database file under an open window:
    #: the window's connection is closed and no new one is opened (it would be another file).
    gone: Exception | None = field(default=None, repr=False)

    @property
    def db(self) -> ProjectDatabase:
        """A connection owned by the calling thread (SQLite objects are thread-bound)."""
        if self.gone is not None:
            raise self.gone
        db = getattr(self._local, "db", None)
        if db is None:
            from workbench.store.connection import open_database

            db = open_database(self.db_path, check_later=self.check_later)
            self.check_later = False
            self._local.db = db
        return db

    def finish_check(self, problem: str | None) -> None:
        """The check put off at open is done (``problem``: what it found, None when sound):
        this thread's connection becomes writable, or read-only with the damage named."""
        from workbench.store.connection import finish_check

        db = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = finish_check(db, self.db_path, problem)

    def abandon(self, problem: Exception) -> None:
        """The database file was deleted or replaced by another program: close this thread's
        connection at once, after a checkpoint that writes its last commits into the file it
        opened (wherever that file now is: moved away, it is whole) and empties the
        write-ahead log the two files would share; record no clean close, open no other."""
        import sqlite3

        db = getattr(self._local, "db", None)
        if db is not None:
            db.read_only = problem  # no clean-close record for a file that is not ours
            try:  # this connection's commits into the file it opened, and the log emptied:
                # otherwise the file now at the path would be read through our log
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
        self.close()
        self.gone = problem

    def close(self) -> None:
        """Close this thread's connection; a clean close of a sound, writable database is
        remembered, so that the next open need not check the file again."""
        db = getattr(self._local, "db", None)
        if db is not None:
            clean = getattr(db, "read_only", None) is None
            db.close()
            self._local.db = None
            if clean:
                from workbench.store.integrity import record_clean

                record_clean(self.db_path)

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    def coder(self, explicit: str | None = None) -> str:
        """The coder acting now: ``--coder``, else ``WORKBENCH_CODER``, else the project
        default. An explicit name that is empty is refused.

        A coder is a person, never the machine's login name: with none of these set, the
        :attr:`ask_coder` callback (if any) asks for a name, which then becomes the project's
        default coder; without one, :class:`NoCoderError` says how to set a coder."""
        name, _source = self.coder_source(explicit)
        if name is not None:
            return name
        if self.ask_coder is None:
            raise NoCoderError()
        return self.set_default_coder(self.ask_coder())

    def coder_or_none(self, explicit: str | None = None) -> str | None:
        """The acting coder, or None when none is set (never asks)."""
        return self.coder_source(explicit)[0]

    def coder_source(self, explicit: str | None = None) -> tuple[str | None, str]:
        """The acting coder and where the name came from: ``"--coder"``,
        ``"WORKBENCH_CODER"`` or ``"project default"``; ``(None, "not set")`` without one."""
        if explicit is not None:
            return validate_name(explicit, what="coder name (--coder)"), "--coder"
        for candidate, source in (
            (os.environ.get("WORKBENCH_CODER"), "WORKBENCH_CODER"),
            (self.get_setting("default_coder"), "project default"),
        ):
            if candidate and candidate.strip():
                return validate_name(candidate.strip(), what="coder name"), source
        return None, NOT_SET

    def set_default_coder(self, name: str) -> str:
        """Make ``name`` the project's default coder; returns the cleaned name."""
        cleaned = validate_name(name, what="coder name")
        self.set_setting("default_coder", cleaned)
        return cleaned

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str | None = None, *, check_later: bool = False) -> Project:
        """Open the project in ``root`` (default: the current directory). ``check_later``:
        a database file that something else touched is checked later (see
        :meth:`finish_check`), not now."""
        path = Path(root) if root is not None else Path.cwd()
        path = path.expanduser().resolve()
        if path.is_file() and path.name == DB_NAME:
            path = path.parent
        if not (path / DB_NAME).is_file():
            raise NotAProjectError(
                f"{path} is not a workbench project (no {DB_NAME}). Create one with "
                f"'workbench init {path}' or pass --project DIR."
            )
        project = cls(path, check_later=check_later)
        project.db  # noqa: B018 - open and migrate now so that errors surface here
        return project

    @classmethod
    def init(cls, root: Path | str, *, default_coder: str | None = None) -> Project:
        """Create the project folders and database (an existing project is left as is)."""
        path = Path(root).expanduser().resolve()
        if path.exists() and not path.is_dir():
            raise WorkbenchError("exists and is not a folder", path=path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            for name in FOLDERS:
                (path / name).mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkbenchError(f"cannot create the project: {exc.strerror}", path=path) from exc
        project = cls(path)
        project.db  # noqa: B018 - creates and migrates the database
        if default_coder:
            project.set_setting("default_coder", validate_name(default_coder, what="coder name"))
        return project


def validate_name(name: str, *, what: str = "name") -> str:
    """Refuse empty names, names that are too long and names with control, bidi or invisible
    characters; return the trimmed name (see :func:`workbench.textsafety.check_name`)."""
    from workbench.textsafety import check_name

    return check_name(name, what=what)
