"""A project on disk: its folders, its database and its settings.

A project is a folder with ``transcripts/``, ``codebooks/``, ``exports/`` and ``workbench.db``.
:class:`Project` finds and opens one; every command and the app go through it.
"""

from __future__ import annotations

import getpass
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from workbench.errors import NotAProjectError, WorkbenchError

DB_NAME = "workbench.db"
FOLDERS = ("transcripts", "codebooks", "exports")


@dataclass
class Project:
    """An opened project. ``db`` is a connection for the current thread."""

    root: Path
    _local: threading.local = field(default_factory=threading.local, repr=False)

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

    @property
    def db(self) -> sqlite_utils.Database:
        """A connection owned by the calling thread (SQLite objects are thread-bound)."""
        db = getattr(self._local, "db", None)
        if db is None:
            from workbench.db.connection import open_database

            db = open_database(self.db_path)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def coder(self, explicit: str | None = None) -> str:
        """The coder acting now: ``--coder``, else ``WORKBENCH_CODER``, else the project
        default, else the login name. An explicit name that is empty is refused."""
        if explicit is not None:
            return validate_name(explicit, what="coder name (--coder)")
        for candidate in (explicit, os.environ.get("WORKBENCH_CODER"), self.get_setting("default_coder")):
            if candidate and candidate.strip():
                return validate_name(candidate.strip(), what="coder name")
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name on some systems
            return "coder"

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str | None = None) -> Project:
        """Open the project in ``root`` (default: the current directory)."""
        path = Path(root) if root is not None else Path.cwd()
        path = path.expanduser().resolve()
        if path.is_file() and path.name == DB_NAME:
            path = path.parent
        if not (path / DB_NAME).is_file():
            raise NotAProjectError(
                f"{path} is not a workbench project (no {DB_NAME}). Create one with "
                f"'workbench init {path}' or pass --project DIR."
            )
        project = cls(path)
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
    """Refuse empty names and names with control characters; return the trimmed name."""
    cleaned = name.strip()
    if not cleaned:
        raise WorkbenchError(f"the {what} is empty")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned):
        raise WorkbenchError(f"the {what} {cleaned!r} contains control characters")
    return cleaned
