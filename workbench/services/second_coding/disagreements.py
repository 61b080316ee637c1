"""Where coders disagree: every unit on which the compared coders applied different codes.

A unit (sentence, turn or whole transcript) is a disagreement when the sets of codes the
coders applied to it (by the more-than-half coverage rule of
:mod:`workbench.agreement.units`) differ; with ``code`` given, only when they differ on that
code (or, for a theme, on one of its codes). Only transcripts every compared coder coded take
part, and (unless ``include_interviewer``) only the respondent's units, as for the agreement
figures.

:func:`list` is what the CLI (``workbench disagreements``), reconciliation and the TUI call.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from workbench.agreement.units import UnitCodings, collect, parse_coders


def _code_filter(db: sqlite_utils.Database, code: str | None) -> set[str] | None:
    if code is None:
        return None
    from workbench.services.codebook import codes as codebook

    row = codebook.resolve(db, code)
    if row["kind"] == "code":
        return {row["id"]}
    return {
        r[0]
        for r in db.execute(
            f"{codebook.SUBTREE_CTE} select id from codes where kind = 'code' and id in "
            "(select id from tree)",
            [row["id"]],
        )
    }


def rows_from(
    db: sqlite_utils.Database, uc: UnitCodings, wanted: set[str] | None = None
) -> builtins.list[dict[str, Any]]:
    """The disagreement rows of an already collected :class:`UnitCodings`."""
    per_coder = uc.unit_codes()
    positions = sorted(set().union(*(p.keys() for p in per_coder.values())))
    names = {r[0]: r[1] for r in db.execute("select id, name from codes")}
    labels = {r[0]: r[1] for r in db.execute("select id, label from transcripts")}
    out = []
    texts: dict[str, str] = {}

    def named(ids: set[str]) -> builtins.list[str]:
        return sorted((names.get(i, i) for i in ids), key=str.lower)

    for pos in positions:
        sets = {c: per_coder[c].get(pos, set()) for c in uc.coders}
        every = set().union(*sets.values())
        common = set.intersection(*sets.values())
        differing = every - common
        if wanted is not None:
            differing &= wanted
        if not differing:
            continue
        u = uc.units[pos]
        if u.transcript_id not in texts:
            texts[u.transcript_id] = db.execute(
                "select text from transcripts where id = ?", [u.transcript_id]
            ).fetchone()[0]
        text = texts[u.transcript_id][u.start:u.end]

        out.append({
            "transcript": u.transcript_id,
            "label": labels.get(u.transcript_id, ""),
            "unit": uc.unit,
            "idx": u.idx,
            "start": u.start,
            "end": u.end,
            "text": text,
            "codes": {c: named(s) for c, s in sets.items()},
            "code_ids": {c: sorted(s) for c, s in sets.items()},
            "differing": named(differing),
            "differing_ids": sorted(differing),
        })
    return out


def list(  # noqa: A001 - the name the UI calls
    db: sqlite_utils.Database,
    coders: str | Sequence[str] | None = None,
    unit: str = "sentence",
    code: str | None = None,
    *,
    transcripts: Sequence[str] | None = None,
    include_interviewer: bool = False,
) -> builtins.list[dict[str, Any]]:
    """Every unit where ``coders`` (default: the two with most codings) applied different codes.

    Each row: ``transcript``, ``label`` (the respondent label), ``unit``, ``idx`` (sentence or
    turn number), ``start``/``end`` (offsets in the transcript text), ``text``, ``codes`` (per
    coder: the code names they applied to the unit), ``code_ids`` (the same as ids),
    ``differing`` / ``differing_ids`` (the codes not applied by every coder). The units are the
    respondent's only unless ``include_interviewer``.
    """
    names = parse_coders(db, coders)
    uc = collect(db, names, unit, transcripts=transcripts, include_interviewer=include_interviewer)
    return rows_from(db, uc, _code_filter(db, code))
