"""The common writer of exports: file names that say what and when, and no silent overwrite.

A name is ``<what>-<scope>-<YYYYMMDD-HHMMSS>.<ext>`` (to the second, like map and matrix),
e.g. ``quotes-4.3-20261123-181502.md`` or ``chapter-all-20261123-181502.docx``. Files are
written whole (to a temporary file that is then renamed), so an export that fails leaves
nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path


def slug(text: str) -> str:
    """A file-name-safe form of a theme name or id (keeps dots: 4.3)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-.").lower()
    return out[:40] or "x"


def scope_name(parts: Sequence[str] | str | None) -> str:
    """``all`` for no filter, ``4.1_4.3`` for up to three, ``5-themes`` beyond."""
    if parts is None or (not isinstance(parts, str) and not parts):
        return "all"
    if isinstance(parts, str):
        return slug(parts)
    if len(parts) > 3:
        return f"{len(parts)}-themes"
    return "_".join(slug(p) for p in parts)


def export_path(
    exports_dir: Path | str,
    what: str,
    scope: Sequence[str] | str | None,
    fmt: str,
    when: datetime | None = None,
) -> Path:
    """The path an export of ``what`` (``quotes``, ``chapter``) for ``scope`` gets now."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(exports_dir) / f"{what}-{scope_name(scope)}-{stamp}.{fmt}"


def write_file(path: Path | str, data: str | bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` in one piece; refuse to replace a file unless ``force``."""
    from workbench.files import write_atomic

    return write_atomic(path, data, force=force, create_parents=True)
