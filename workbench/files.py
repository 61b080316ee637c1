"""Writing the files a user sees (exports, the codebook file, archives): whole or not at all.

Data goes to a temporary file in the target folder that is then renamed over the target, so a
failure leaves nothing half-written. The temporary file is created with ``open(..., "xb")`` so
that it gets the permissions the user's umask gives (``tempfile.mkstemp`` would make every
export readable by its owner only). An existing file is replaced only with ``force``; a missing
folder is an error unless ``create_parents`` (a typo must not create a tree of folders).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.errors import ConflictError, WorkbenchError


@contextmanager
def replacing(path: Path | str, *, force: bool = False, create_parents: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` in one rename."""
    path = Path(path)
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
