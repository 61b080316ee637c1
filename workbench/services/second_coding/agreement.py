"""Agreement between coders, the use case behind ``workbench agreement`` and the agreement
screen: the figures of :func:`workbench.agreement.figures.compute` (pure computation over the
codings), for a code or theme given by name, id or prefix as a user types it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from workbench.agreement import figures
from workbench.services.codebook import codes as codebook

__all__ = ["compute"]


def compute(
    db: sqlite_utils.Database,
    coders: str | Sequence[str] | None = None,
    unit: str = "sentence",
    overlap: float = 0.9,
    code: str | None = None,
    *,
    include_interviewer: bool = False,
) -> dict[str, Any]:
    """Agreement between ``coders`` on ``unit``s (see :func:`workbench.agreement.figures.compute`),
    limited to ``code`` (a code, or a theme and its codes) when given."""
    row = codebook.resolve(db, code) if code else None
    return figures.compute(db, coders, unit, overlap, row, include_interviewer=include_interviewer)
