"""Writing a drawing or table to ``exports/``: a name that says what and when, never
overwriting without ``force``, and never a half-written file (write aside, then rename)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from workbench.clock import stamp
from workbench.errors import ConflictError, WorkbenchError


def slug(text: str) -> str:
    """``Codes × respondent`` → ``codes-x-respondent`` (ASCII, lower case, dashes)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"


def export_path(exports_dir: Path, what: str, suffix: str, *, when: str | None = None) -> Path:
    """``exports/<what>-<YYYYmmdd-HHMMSS>.<suffix>``."""
    return exports_dir / f"{slug(what)}-{when or stamp()}.{suffix.lstrip('.')}"


def write_export(path: Path, data: str | bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` in one step; refuse an existing file unless ``force``."""
    if path.exists() and not force:
        raise ConflictError("exists already; pass --force to overwrite it", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        fh = open(tmp, "xb")  # noqa: SIM115 - closed below; respects the umask, unlike mkstemp
    except OSError as exc:
        raise WorkbenchError(f"cannot write here: {exc.strerror or exc}", path=path.parent) from exc
    try:
        with fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WorkbenchError(f"cannot write the file: {exc.strerror or exc}", path=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
