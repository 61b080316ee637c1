"""The fingerprint of an import as the store keeps it: a hash of everything an import stores
(the text, each turn's span, speaker, role and time, the metadata columns), kept in
``transcripts.import_fingerprint`` so that a re-import notices a changed role or turn although
the text is the same. Here, below the use cases, because a migration computes it for rows from
before the column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

__all__ = ["METADATA_COLUMNS", "import_fingerprint", "stored_fingerprint"]

#: The transcript columns that come from an import's metadata.
METADATA_COLUMNS = ("role", "municipality", "domain", "date", "interviewer")


def import_fingerprint(text: str, turns: Iterable[dict[str, Any]], fields: dict[str, Any]) -> str:
    """A hash of everything an import stores: the text, each turn's span, speaker label, role
    and time, and the metadata columns (so a changed role or interviewer shows, although the
    text is the same)."""
    try:
        extra = json.loads(fields.get("metadata") or "{}")
    except ValueError:
        extra = fields.get("metadata")
    payload = {
        "text": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "turns": [[t["start"], t["end"], t["speaker"] or "", t["role"] or "", t["time"] or None] for t in turns],
        "metadata": {k: str(fields.get(k) or "") for k in METADATA_COLUMNS},
        "extra": extra,
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def stored_fingerprint(db: sqlite_utils.Database, tid: str) -> str:
    """:func:`import_fingerprint` of a transcript as stored (for rows from before the column)."""
    row = db.table("transcripts").get(tid)
    turns = db.table("turns").rows_where("transcript_id = ?", [tid], order_by="idx")
    return import_fingerprint(row["text"], turns, row)
