"""Writing the files a user sees (exports, the codebook file, archives): whole or not at all.

Data goes to a temporary file in the target folder that is then renamed over the target, so a
failure leaves nothing half-written. The temporary file is created with ``open(..., "xb")`` so
that it gets the permissions the user's umask gives (``tempfile.mkstemp`` would make every
export readable by its owner only). An existing file is replaced only with ``force``; a missing
folder is an error unless ``create_parents`` (a typo must not create a tree of folders). A
project's own database, its journal files and its backups are never a target, not even with
``force``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.errors import ConflictError, WorkbenchError

DB_NAME = "workbench.db"
_DB_SIDE_FILES = ("", "-wal", "-shm", "-journal")
_SQLITE_HEADER = b"SQLite format 3\x00"


def protected_reason(path: Path | str) -> str | None:
    """Why no output may be written at ``path``, or None. A project's own files are
    untouchable, whatever the path (symbolic links followed) or ``--force``: its database and
    the database's ``-wal``/``-shm``/``-journal`` files, anything in its backups folder, and any
    SQLite database (no output of the workbench is one)."""
    path = Path(path)
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = path.absolute()
    for target in {path.absolute(), real}:
        if any(target.name == DB_NAME + side for side in _DB_SIDE_FILES):
            return "is a workbench project database (or one of its journal files)"
        for parent in target.parents:
            if parent.name == "backups" and parent.parent.name == "exports" and \
                    (parent.parent.parent / DB_NAME).is_file():
                return "lies in the project's backups folder"
    try:
        with open(real, "rb") as fh:
            if fh.read(16) == _SQLITE_HEADER:
                return "is an SQLite database"
    except OSError:
        pass
    return None


@contextmanager
def replacing(path: Path | str, *, force: bool = False, create_parents: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` in one rename.

    A project's own files are refused whatever ``force`` says (:func:`protected_reason`)."""
    path = Path(path)
    why = protected_reason(path)
    if why:
        raise WorkbenchError(f"{why}: no export or output is ever written over it (nothing was "
                             "written); choose another file name", path=path)
    if path.is_dir():
        raise WorkbenchError("is a folder", path=path)
    if path.exists() and not force:
        raise ConflictError("exists already; use --force to overwrite it", path=path)
    if not path.parent.is_dir():
        if not create_parents:
            raise WorkbenchError(f"the folder {path.parent} does not exist; create it first", path=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkbenchError(f"cannot create the folder: {exc.strerror or exc}", path=path.parent) from exc
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        open(tmp, "xb").close()  # noqa: SIM115 - permissions from the umask
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbenchError(f"cannot write the file: {exc.strerror or exc}", path=path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(
    path: Path | str, data: str | bytes, *, force: bool = False, create_parents: bool = False
) -> Path:
    """Write ``data`` (text is UTF-8 with ``\\n`` line ends) to ``path`` in one piece."""
    with replacing(path, force=force, create_parents=create_parents) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def write_with(
    path: Path | str, writer: Callable[[Path], None], *, force: bool = False,
    create_parents: bool = False,
) -> Path:
    """Let ``writer`` write a temporary file (a .docx, a ZIP archive), then put it in place."""
    with replacing(path, force=force, create_parents=create_parents) as tmp:
        writer(tmp)
    return Path(path)
