"""Finding the row a user means by an id or a unique prefix of one, for every use case
that takes such a reference (codings are removed, moved, quoted and split by their id)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from workbench.errors import NotFoundError, WorkbenchError

__all__ = ["get_coding"]


def get_coding(db: sqlite_utils.Database, coding_id: str) -> dict[str, Any]:
    """The coding with id ``coding_id``, or the one whose id starts with it (four characters
    at least); an unknown or ambiguous reference is a clear error."""
    rows = list(db.query("select * from codings where id = ?", [coding_id]))
    if not rows:
        prefix = coding_id.strip()
        rows = list(db.query(  # a prefix, compared as text (no LIKE: '_' and '%' are no wildcards)
            "select * from codings where substr(id, 1, ?) = ?", [len(prefix), prefix]
        )) if len(prefix) >= 4 else []
        if len(rows) > 1:
            raise WorkbenchError(f"coding id '{coding_id}' is ambiguous; give more characters")
    if not rows:
        raise NotFoundError(f"no coding '{coding_id}' (see 'workbench codings')")
    return rows[0]
