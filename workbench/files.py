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
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
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
        if real.is_file():  # never open a pipe or a device: that could block
            with open(real, "rb") as fh:
                if fh.read(16) == _SQLITE_HEADER:
                    return "is an SQLite database"
    except OSError:
        pass
    return None


INPUT_LIMIT = 64_000_000
"""Largest input file read whole (a codebook, codings, survey or settings file)."""


def read_input(path: Path | str, *, limit: int = INPUT_LIMIT) -> bytes:
    """The bytes of a file the user gave, read safely: a folder, a pipe, a device (``/dev/zero``)
    or a socket is refused before it is opened (reading one could block or never end), and
    so is a file over ``limit`` bytes. A missing file raises :class:`FileNotFoundError` for
    the caller's own message."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    if stat.S_ISDIR(info.st_mode):
        raise WorkbenchError("is a folder, not a file", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise WorkbenchError("is not a regular file (a pipe, a device or a socket); give a file",
                             path=path)
    if info.st_size > limit:
        raise WorkbenchError(f"the file is {info.st_size:,} bytes; at most {limit:,} are read",
                             path=path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    if len(data) > limit:
        raise WorkbenchError(f"the file grew past {limit:,} bytes while it was read", path=path)
    return data


def read_input_text(path: Path | str, *, encoding: str = "utf-8-sig", limit: int = INPUT_LIMIT) -> str:
    """:func:`read_input` decoded (a :class:`UnicodeDecodeError` is left to the caller's
    message); line breaks as in the file."""
    return read_input(path, limit=limit).decode(encoding)


def read_text_file(path: Path | str, *, what: str = "file", limit: int = INPUT_LIMIT,
                   missing: WorkbenchError | None = None) -> str:
    """The text of a UTF-8 file the user gave (see :func:`read_input`), every problem as the
    project's error naming the file: ``missing`` (default: "no such <what>") for a file that
    is not there, "the <what> is not UTF-8 text" with the line of the first bad byte, and what
    :func:`read_input` refuses."""
    try:
        return read_input_text(path, limit=limit)
    except FileNotFoundError as exc:
        raise (missing or WorkbenchError(f"no such {what}", path=path)) from exc
    except UnicodeDecodeError as exc:
        raise WorkbenchError(f"the {what} is not UTF-8 text", path=path,
                             line=line_of_byte(Path(path), exc.start)) from exc


def line_of_byte(path: Path, offset: int) -> int:
    """The line number (1-based) of byte ``offset`` in ``path``."""
    try:
        with open(path, "rb") as fh:
            return fh.read(offset).count(b"\n") + 1
    except OSError:
        return 1


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


# -- export files ------------------------------------------------------------------------------

def slug(text: str) -> str:
    """A file-name-safe form of a theme's name or id: ASCII, lower case, dashes; dots kept
    (``4.3``); at most 40 characters."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-.").lower()
    return out[:40] or "x"


def scope_name(parts: Sequence[str] | str | None) -> str:
    """The themes an export is limited to, for its file name: ``all`` for none, ``4.1_4.3``
    for up to three, ``5-themes`` beyond."""
    if parts is None or (not isinstance(parts, str) and not parts):
        return "all"
    if isinstance(parts, str):
        return slug(parts)
    if len(parts) > 3:
        return f"{len(parts)}-themes"
    return "_".join(slug(p) for p in parts)


def export_path(exports_dir: Path | str, what: str, fmt: str, *, scope: str = "",
                when: datetime | None = None) -> Path:
    """Where an export goes: ``<exports>/<what>[-<scope>]-<YYYYmmdd-HHMMSS>.<fmt>``, a name that
    says what, for which themes (:func:`scope_name`) and when, to the second
    (``quotes-4.3-20261123-181502.md``, ``thematic-map-20261123-181502.svg``)."""
    from workbench.clock import stamp

    when_text = when.strftime("%Y%m%d-%H%M%S") if when is not None else stamp()
    name = f"{what}-{scope}" if scope else what
    return Path(exports_dir) / f"{name}-{when_text}.{fmt.lstrip('.')}"


def write_export(path: Path | str, data: str | bytes, *, force: bool = False) -> Path:
    """Write an export whole (aside, then renamed: never half-written), creating its folder;
    an existing file is refused unless ``force``, the project's database always."""
    return write_atomic(path, data, force=force, create_parents=True)
