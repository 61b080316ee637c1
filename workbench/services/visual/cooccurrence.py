"""Code co-occurrence: two codings co-occur when the same coder coded overlapping spans of
the same transcript (at least one shared character) with two different codes.

This is the one definition the map's co-occurrence edges, the code × code matrix and the
extracts behind a matrix cell share. Overlaps are found per transcript and coder with a sweep
over codings sorted by start, so the cost grows with the overlaps, not with all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils


def coder_filter(coders: Iterable[str] | None, column: str = "coder") -> tuple[str, list[str]]:
    """An SQL condition (``"1"`` when all coders count) and its arguments."""
    names = [c for c in (coders or []) if c]
    if not names:
        return "1", []
    return f"{column} in ({','.join('?' * len(names))})", names


def overlapping_pairs(
    db: sqlite_utils.Database, coders: Iterable[str] | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every unordered pair of overlapping codings (same transcript and coder, different codes),
    each coding as ``{id, transcript_id, code_id, coder, start, end}``."""
    where, args = coder_filter(coders)
    rows = db.execute(
        "select id, transcript_id, code_id, coder, start, end from codings "
        f"where {where} order by transcript_id, coder, start, end, id",
        args,
    ).fetchall()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for cid, tid, code, coder, start, end in rows:
        groups[(tid, coder)].append(
            {"id": cid, "transcript_id": tid, "code_id": code, "coder": coder,
             "start": start, "end": end}
        )
    for items in groups.values():
        active: list[dict[str, Any]] = []
        for c in items:
            active = [a for a in active if a["end"] > c["start"]]
            for a in active:
                if a["code_id"] != c["code_id"]:
                    yield a, c
            active.append(c)
