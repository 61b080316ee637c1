"""Reconciliation: deciding disagreements into the codings of the coder ``consensus``.

After two coders discussed their differences, each decision about a unit (keep coder A's
codes, keep B's, both, neither) is stored as codings of the coder named ``consensus``; the
original coders' codings are never touched. A consensus coding covers the whole unit (the
sentence, turn or transcript), so by the more-than-half rule the consensus has exactly the
decided codes on that unit. Each decision is one recorded change of the person running it, so
``workbench undo`` takes it back. Agreement before and after discussion are then both
available: ``workbench agreement --coders anna,bram`` and ``--coders anna,consensus``.

:func:`seed_agreed` copies what the coders already agree on into ``consensus`` (one unit-span
coding per agreed code and unit), so that the consensus is complete once every disagreement is
decided. The CLI ``workbench reconcile`` seeds automatically (``--no-seed`` to skip); the
service functions do only what they are called for.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from workbench.agreement.units import (
    CONSENSUS,
    UnitCodings,
    collect,
    covered_length,
    merge_spans,
    parse_coders,
)
from workbench.clock import now_iso
from workbench.db.changes import ChangeSet, record
from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.services.coding import check_span, new_coding_id
from workbench.services.disagreements import _code_filter
from workbench.services.transcripts import resolve_transcript

DECISIONS = ("a", "b", "both", "neither")


def _coders(db: sqlite_utils.Database, coders: str | Sequence[str] | None) -> tuple[str, ...]:
    names = parse_coders(db, coders)
    if CONSENSUS in names:
        raise WorkbenchError(
            f"'{CONSENSUS}' holds the reconciled codings; reconcile the original coders (e.g. "
            "--coders anna,bram)"
        )
    return names


def parse_unit_ref(ref: str | dict) -> tuple[str, int]:
    """``"T01:12"`` (transcript id or label, unit number) or a disagreement row -> (ref, idx).

    A bare ``"T01"`` means unit 0 (used for whole-transcript units)."""
    if isinstance(ref, dict):
        return ref["transcript"], int(ref["idx"])
    text = ref.strip()
    if ":" not in text:
        return text, 0
    tid, _, n = text.rpartition(":")
    try:
        return tid.strip(), int(n)
    except ValueError:
        raise WorkbenchError(
            f"'{ref}' is not a unit: write TRANSCRIPT:NUMBER, e.g. int01:12"
        ) from None


def _chosen(decision: str, names: tuple[str, ...]) -> list[str]:
    d = decision.strip().lower()
    if d in ("a", "b"):
        return [names[0 if d == "a" else 1]]
    if d in ("both", "all"):
        return list(names)
    if d == "neither":
        return []
    for n in names:
        if n.lower() == d:
            return [n]
    raise WorkbenchError(
        f"unknown decision '{decision}': use a ({names[0]}), b ({names[1]}), both, neither"
        + (", or a coder's name" if len(names) > 2 else "")
    )


def _unit_of(uc: UnitCodings, db: sqlite_utils.Database, tid: str, idx: int):
    pos = uc.position(tid, idx)
    if pos is not None:
        return pos, uc.units[pos]
    for ex in uc.excluded:
        if ex["transcript"] == tid:
            raise WorkbenchError(f"{tid} takes no part in the comparison: {ex['reason']}")
    what = {"sentence": "sentence", "turn": "turn", "transcript": "unit"}[uc.unit]
    raise NotFoundError(f"{tid} has no {what} {idx}")


def _consensus_spans(db: sqlite_utils.Database, tid: str, code_ids: set[str]) -> list[dict]:
    if not code_ids:
        return []
    marks = ",".join("?" for _ in code_ids)
    return list(db.query(
        f"select * from codings where coder = ? and transcript_id = ? and code_id in ({marks})",
        [CONSENSUS, tid, *sorted(code_ids)],
    ))


def _insert_unit_coding(cs: ChangeSet, text: str, tid: str, code_id: str, start: int, end: int, memo: str) -> dict:
    start, end = check_span(text, start, end)
    return cs.insert("codings", {
        "id": new_coding_id(), "transcript_id": tid, "code_id": code_id, "coder": CONSENSUS,
        "start": start, "end": end, "memo": memo, "flag": None, "created_at": now_iso(),
    })


def decide(
    db: sqlite_utils.Database,
    coder: str,
    unit_ref: str | dict,
    decision: str,
    coders: str | Sequence[str] | None = None,
    code: str | None = None,
    unit: str = "sentence",
) -> dict:
    """Decide the disagreement on one unit, as ``coder`` (the person running it).

    ``unit_ref`` is ``"TRANSCRIPT:N"`` (sentence or turn number N) or a row of
    :func:`workbench.services.disagreements.list`; ``decision`` is ``a``/``b`` (the first or
    second of ``coders``), a coder's name, ``both`` or ``neither``. Only the codes the coders
    differ on (limited to ``code``, a code or a theme, when given) are decided: ``consensus``
    then has each of them on the unit exactly when the chosen coder(s) had it. Returns what
    changed: ``{"transcript", "idx", "unit", "decision", "added", "removed", "consensus"}``.
    """
    names = _coders(db, coders)
    ref, idx = parse_unit_ref(unit_ref)
    t = resolve_transcript(db, ref)
    tid = t["id"]
    uc = collect(db, names, unit, transcripts=[tid])
    pos, u = _unit_of(uc, db, tid, idx)
    sets = {c: uc.codes_on(c, pos) for c in names}
    differing = set().union(*sets.values()) - set.intersection(*sets.values())
    wanted = _code_filter(db, code)
    if wanted is not None:
        differing &= wanted
    where = f"{unit} {idx} of {tid}"
    if not differing:
        raise WorkbenchError(
            f"{', '.join(names)} agree on {where}" + (f" for '{code}'" if code else "")
            + ": nothing to decide"
        )
    chosen = _chosen(decision, names)
    keep = set().union(*(sets[c] for c in chosen)) & differing if chosen else set()
    code_names = {r[0]: r[1] for r in db.execute("select id, name from codes")}
    label = "neither" if not chosen else ("both" if len(chosen) > 1 else f"kept {chosen[0]}")
    memo = f"reconciled by {coder}: {label}"

    existing = _consensus_spans(db, tid, differing)
    touching = [r for r in existing if r["start"] < u.end and r["end"] > u.start]
    inside = [r for r in touching if r["start"] >= u.start and r["end"] <= u.end]
    outside = [r for r in touching if r not in inside]
    for r in outside:
        if r["code_id"] not in keep:
            span = f"[{r['start']}:{r['end']}]"
            raise ConflictError(
                f"consensus coding {r['id']} ({code_names.get(r['code_id'])}, {span}) reaches "
                f"beyond {where}; remove or shorten it first ('workbench uncode {r['id']} "
                f"--coder {CONSENSUS}')"
            )
    added, removed = [], []
    summary = f"reconcile {where}: {label} ({', '.join(sorted(code_names[c] for c in differing))})"
    with record(db, coder, "reconcile.decide", summary) as cs:
        for r in inside:
            cs.delete("codings", r["id"])
        for cid in sorted(differing):
            had = any(r["code_id"] == cid for r in inside)
            if cid in keep:
                _insert_unit_coding(cs, t["text"], tid, cid, u.start, u.end, memo)
                if not had:
                    added.append(code_names[cid])
            elif had:
                removed.append(code_names[cid])
    now = {
        r[0] for r in db.execute(
            "select code_id from codings where coder = ? and transcript_id = ? and start < ? "
            "and [end] > ?",
            [CONSENSUS, tid, u.end, u.start],
        )
    }
    return {
        "transcript": tid,
        "idx": u.idx,
        "unit": unit,
        "decision": label,
        "added": sorted(added),
        "removed": sorted(removed),
        "consensus": sorted(code_names.get(c, c) for c in now),
    }


def consensus_codes(db: sqlite_utils.Database, tid: str, start: int, end: int) -> list[str]:
    """The code names ``consensus`` has on ``[start, end)`` by the more-than-half rule."""
    by_code: dict[str, list[tuple[int, int]]] = {}
    for cid, s, e in db.execute(
        "select code_id, start, [end] from codings where coder = ? and transcript_id = ? "
        "and start < ? and [end] > ?",
        [CONSENSUS, tid, end, start],
    ):
        by_code.setdefault(cid, []).append((s, e))
    names = {r[0]: r[1] for r in db.execute("select id, name from codes")}
    out = []
    for cid, spans in by_code.items():
        merged = merge_spans(spans)
        if 2 * covered_length(merged, [s for s, _ in merged], start, end) > end - start:
            out.append(names.get(cid, cid))
    return sorted(out, key=str.lower)


def seed_agreed(
    db: sqlite_utils.Database,
    coder: str,
    coders: str | Sequence[str] | None = None,
    unit: str = "sentence",
    code: str | None = None,
) -> int:
    """Give ``consensus`` every code all ``coders`` applied to a unit (a unit-span coding),
    where ``consensus`` does not have it on that unit yet. One recorded change (undoable);
    returns the number of codings added (0: nothing to do, nothing recorded)."""
    names = _coders(db, coders)
    uc = collect(db, names, unit)
    wanted = _code_filter(db, code)
    agreed: dict[str, set[int]] = {}
    for cid in set().union(*(uc.applied.get(c, {}).keys() for c in names)):
        if wanted is not None and cid not in wanted:
            continue
        common = set.intersection(*(uc.applied.get(c, {}).get(cid, set()) for c in names))
        if common:
            agreed[cid] = common
    if not agreed:
        return 0
    have: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for tid, cid, s, e in db.execute(
        "select transcript_id, code_id, start, [end] from codings where coder = ?", [CONSENSUS]
    ):
        have.setdefault((tid, cid), []).append((s, e))
    merged = {k: merge_spans(v) for k, v in have.items()}
    texts: dict[str, str] = {}
    todo: list[tuple[str, str, int, int]] = []
    for cid, positions in agreed.items():
        for pos in sorted(positions):
            u = uc.units[pos]
            m = merged.get((u.transcript_id, cid), [])
            if m and 2 * covered_length(m, [s for s, _ in m], u.start, u.end) > u.end - u.start:
                continue
            todo.append((u.transcript_id, cid, u.start, u.end))
    if not todo:
        return 0
    with record(db, coder, "reconcile.seed", f"consensus: {len(todo)} agreed codings of {', '.join(names)}") as cs:
        for tid, cid, s, e in sorted(todo):
            if tid not in texts:
                texts[tid] = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
            _insert_unit_coding(cs, texts[tid], tid, cid, s, e, f"agreed by {', '.join(names)}")
    return len(todo)
