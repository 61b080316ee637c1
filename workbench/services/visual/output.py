"""Writing a drawing or table to ``exports/``: a name that says what and when, never
overwriting without ``force``, and never a half-written file (write aside, then rename)."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.clock import stamp


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
    from workbench.files import write_atomic

    return write_atomic(path, data, force=force, create_parents=True)
