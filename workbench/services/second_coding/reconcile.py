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

:func:`decide_many` is all or nothing: every decision is checked first, and when any cannot be
made nothing is written (not even the seeding); otherwise the seeding and all decisions are one
recorded change. Units are the respondent's only unless ``include_interviewer`` (as for the
agreement figures and the disagreement list, whose unit numbers the decisions use).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from workbench.agreement.units import (
    CONSENSUS,
    Unit,
    UnitCodings,
    collect,
    covered_length,
    interviewer_unit,
    merge_spans,
    parse_coders,
)
from workbench.clock import now_iso
from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.services.coding.passages import check_span, new_coding_id
from workbench.services.second_coding.disagreements import _code_filter
from workbench.services.transcripts.library import resolve_transcript
from workbench.store.changes import ChangeSet, record

DECISIONS = ("a", "b", "both", "neither")


def checked_coders(db: sqlite_utils.Database, coders: str | Sequence[str] | None) -> tuple[str, ...]:
    """The coders to reconcile (``"anna,bram"``, a sequence, or None for the default two);
    ``consensus`` is refused."""
    names = parse_coders(db, coders)
    if CONSENSUS in names:
        raise WorkbenchError(
            f"'{CONSENSUS}' holds the reconciled codings; reconcile the original coders (e.g. "
            "--coders anna,bram)"
        )
    return names


def parse_unit_ref(ref: str | dict[str, Any]) -> tuple[str, int]:
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


def _unit_of(uc: UnitCodings, db: sqlite_utils.Database, tid: str, idx: int) -> tuple[int, Unit]:
    pos = uc.position(tid, idx)
    if pos is not None:
        return pos, uc.units[pos]
    for ex in uc.excluded:
        if ex["transcript"] == tid:
            raise WorkbenchError(f"{tid} takes no part in the comparison: {ex['reason']}")
    what = {"sentence": "sentence", "turn": "turn", "transcript": "unit"}[uc.unit]
    if not uc.include_interviewer and interviewer_unit(db, uc.unit, tid, idx):
        raise WorkbenchError(
            f"{what} {idx} of {tid} is the interviewer's: agreement and reconciliation count the "
            "respondent's units only (add --include-interviewer to count the interviewer's too)"
        )
    if uc.unit == "transcript" and not uc.include_interviewer and idx == 0:
        raise WorkbenchError(f"{tid} has no respondent text to decide on")
    raise NotFoundError(f"{tid} has no {what} {idx}")


def _consensus_spans(db: sqlite_utils.Database, tid: str, code_ids: set[str]) -> list[dict[str, Any]]:
    if not code_ids:
        return []
    marks = ",".join("?" for _ in code_ids)
    return list(db.query(
        f"select * from codings where coder = ? and transcript_id = ? and code_id in ({marks})",
        [CONSENSUS, tid, *sorted(code_ids)],
    ))


def _insert_unit_coding(cs: ChangeSet, text: str, tid: str, code_id: str, start: int, end: int, memo: str) -> dict[str, Any]:
    start, end = check_span(text, start, end)
    return cs.insert("codings", {
        "id": new_coding_id(), "transcript_id": tid, "code_id": code_id, "coder": CONSENSUS,
        "start": start, "end": end, "memo": memo, "flag": None, "created_at": now_iso(),
    })


@dataclass
class _Plan:
    """One checked decision, ready to be written."""

    transcript: dict[str, Any]
    unit: Unit
    unit_kind: str
    differing: set[str]
    keep: set[str]
    inside: list[dict[str, Any]]
    label: str
    memo: str
    where: str
    across: list[dict[str, Any]]  # consensus codings of the decided codes reaching beyond the unit


def _plan(
    db: sqlite_utils.Database,
    coder: str,
    names: tuple[str, ...],
    unit_ref: str | dict[str, Any],
    decision: str,
    *,
    code: str | None,
    unit: str,
    include_interviewer: bool,
    code_names: dict[str, str],
    cache: dict[str, UnitCodings] | None = None,
) -> _Plan:
    """Check one decision against the project as it is; raises WorkbenchError when it cannot be
    made. Writes nothing."""
    ref, idx = parse_unit_ref(unit_ref)
    t = resolve_transcript(db, ref)
    tid = t["id"]
    uc = cache.get(tid) if cache is not None else None
    if uc is None:
        uc = collect(db, names, unit, transcripts=[tid], include_interviewer=include_interviewer)
        if cache is not None:
            cache[tid] = uc
    pos, u = _unit_of(uc, db, tid, idx)
    sets = {c: uc.codes_on(c, pos) for c in names}
    values = list(sets.values())
    agreed = values[0].intersection(*values[1:]) if values else set()
    differing = set().union(*values) - agreed
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
    label = "neither" if not chosen else ("both" if len(chosen) > 1 else f"kept {chosen[0]}")
    existing = _consensus_spans(db, tid, differing)
    touching = [r for r in existing if r["start"] < u.end and r["end"] > u.start]
    inside = [r for r in touching if r["start"] >= u.start and r["end"] <= u.end]
    across = [r for r in touching if r not in inside]
    for r in across:
        if r["code_id"] not in keep and _has_quotes(db, r["id"]):
            span = f"[{r['start']}:{r['end']}]"
            raise ConflictError(
                f"consensus coding {r['id']} ({code_names.get(r['code_id'])}, {span}) reaches "
                f"beyond {where} and is starred as a quote; unstar it first ('workbench quote "
                f"remove {r['id']}')"
            )
    return _Plan(t, u, unit, differing, keep, inside, label, f"reconciled by {coder}: {label}", where,
                 across)


def _has_quotes(db: sqlite_utils.Database, coding_id: str) -> bool:
    return db.execute("select 1 from quotes where coding_id = ? limit 1", [coding_id]).fetchone() is not None


def _apply(cs: ChangeSet, plan: _Plan, code_names: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write one checked decision into the change set; returns the code names added/removed.

    A consensus passage that runs beyond the unit keeps its parts outside the unit when its
    code is decided away, and is left as it is when its code is kept."""
    added, removed = [], []
    u, tid = plan.unit, plan.transcript["id"]
    text = plan.transcript["text"]
    for r in plan.inside:
        cs.delete("codings", r["id"])
    for r in plan.across:
        if r["code_id"] in plan.keep:
            continue
        cs.delete("codings", r["id"])
        for a, b in ((r["start"], u.start), (u.end, r["end"])):
            if b > a and text[a:b].strip():
                start, end = check_span(text, a, b)
                cs.insert("codings", {**r, "id": new_coding_id(), "start": start, "end": end})
    for cid in sorted(plan.differing):
        had = any(r["code_id"] == cid for r in plan.inside + plan.across)
        if cid in plan.keep:
            if not any(r["code_id"] == cid for r in plan.across):
                _insert_unit_coding(cs, text, tid, cid, u.start, u.end, plan.memo)
            if not had:
                added.append(code_names[cid])
        elif had:
            removed.append(code_names[cid])
    return sorted(added), sorted(removed)


def join_passages(cs: ChangeSet, db: sqlite_utils.Database) -> int:
    """Join the consensus codings this change wrote with their neighbours into whole passages:
    codings of one code in one turn with nothing but whitespace between them (or overlapping)
    become one coding. A coding starred as a quote is left as it is. Returns how many codings
    were joined away."""
    touched = {(row["transcript_id"], row["code_id"])
               for table, _pk, before, after in cs.rows if table == "codings"
               for row in (before, after) if row is not None and row["coder"] == CONSENSUS}
    joined = 0
    texts: dict[str, str] = {}
    for tid, cid in sorted(touched):
        if tid not in texts:
            texts[tid] = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
        text = texts[tid]
        turns = [(r[0], r[1]) for r in db.execute(
            "select start, [end] from turns where transcript_id = ? order by idx", [tid])]

        def turn_of(offset: int, turns: list[tuple[int, int]] = turns) -> int:
            return next((i for i, (a, b) in enumerate(turns) if a <= offset < b), -1)

        rows = [r for r in db.query(
            "select * from codings where coder = ? and transcript_id = ? and code_id = ? "
            "order by start, [end]", [CONSENSUS, tid, cid]) if not _has_quotes(db, r["id"])]
        group: list[dict[str, Any]] = []
        for r in [*rows, None]:
            if r is not None and group and turn_of(r["start"]) == turn_of(group[0]["start"]) and (
                    r["start"] <= max(g["end"] for g in group)
                    or not text[max(g["end"] for g in group):r["start"]].strip()):
                group.append(r)
                continue
            if len(group) > 1:
                memos = list(dict.fromkeys(g["memo"] for g in group if g["memo"]))
                cs.update("codings", group[0]["id"], {"end": max(g["end"] for g in group),
                                                      "memo": "; ".join(memos)})
                for g in group[1:]:
                    cs.delete("codings", g["id"])
                joined += len(group) - 1
            group = [r] if r is not None else []
    return joined


def _outcome(db: sqlite_utils.Database, plan: _Plan, added: list[str], removed: list[str],
             code_names: dict[str, str]) -> dict[str, Any]:
    u, tid = plan.unit, plan.transcript["id"]
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
        "unit": plan.unit_kind,
        "decision": plan.label,
        "added": added,
        "removed": removed,
        "consensus": sorted(code_names.get(c, c) for c in now),
    }


def _code_names(db: sqlite_utils.Database) -> dict[str, str]:
    return {r[0]: r[1] for r in db.execute("select id, name from codes")}


def decide(
    db: sqlite_utils.Database,
    coder: str,
    unit_ref: str | dict[str, Any],
    decision: str,
    coders: str | Sequence[str] | None = None,
    code: str | None = None,
    unit: str = "sentence",
    *,
    include_interviewer: bool = False,
) -> dict[str, Any]:
    """Decide the disagreement on one unit, as ``coder`` (the person running it).

    ``unit_ref`` is ``"TRANSCRIPT:N"`` (sentence or turn number N) or a row of
    :func:`workbench.services.second_coding.disagreements.list`; ``decision`` is ``a``/``b`` (the first or
    second of ``coders``), a coder's name, ``both`` or ``neither``. Only the codes the coders
    differ on (limited to ``code``, a code or a theme, when given) are decided: ``consensus``
    then has each of them on the unit exactly when the chosen coder(s) had it. One recorded
    change. Returns what changed:
    ``{"transcript", "idx", "unit", "decision", "added", "removed", "consensus"}``.
    """
    names = checked_coders(db, coders)
    code_names = _code_names(db)
    plan = _plan(db, coder, names, unit_ref, decision, code=code, unit=unit,
                 include_interviewer=include_interviewer, code_names=code_names)
    summary = (f"reconcile {plan.where}: {plan.label} "
               f"({', '.join(sorted(code_names[c] for c in plan.differing))})")
    with record(db, coder, "reconcile.decide", summary) as cs:
        added, removed = _apply(cs, plan, code_names)
        join_passages(cs, db)
    return _outcome(db, plan, added, removed, code_names)


def parse_decision(text: str) -> tuple[str, str]:
    """``"INT01:12=a"`` -> ``("INT01:12", "a")``."""
    ref, sep, choice = text.rpartition("=")
    if not sep or not ref.strip() or not choice.strip():
        raise WorkbenchError(f"'{text}' is not a decision: write UNIT=CHOICE, e.g. int01:12=a")
    return ref.strip(), choice.strip()


def decide_many(
    db: sqlite_utils.Database,
    coder: str,
    decisions: Sequence[str | tuple[str | dict[str, Any], str]],
    coders: str | Sequence[str] | None = None,
    code: str | None = None,
    unit: str = "sentence",
    *,
    seed: bool = True,
    include_interviewer: bool = False,
) -> dict[str, Any]:
    """Several decisions (``"UNIT=CHOICE"`` strings or ``(unit_ref, decision)`` pairs), all or
    nothing.

    Every decision is checked first; if any cannot be made (a malformed decision, an unknown
    transcript or unit, a unit the coders agree on, an unknown choice, a unit decided twice,
    a consensus coding in the way) a WorkbenchError lists every problem and nothing is written.
    Otherwise, with ``seed``, the agreed codes are copied into ``consensus`` first (as
    :func:`seed_agreed`), and the seeding and all decisions are **one** recorded change, so one
    ``workbench undo`` takes all of it back. Returns
    ``{"seeded": n, "decisions": [as decide() returns], "recorded": bool}`` (``recorded``:
    whether anything changed, i.e. whether there is a change to undo).
    """
    names = checked_coders(db, coders)
    code_names = _code_names(db)
    _code_filter(db, code)  # an unknown --code is one error for the whole call
    problems: list[str] = []
    plans: list[_Plan] = []
    seen: dict[tuple[str, int], str] = {}
    cache: dict[str, UnitCodings] = {}
    for item in decisions:
        shown = item if isinstance(item, str) else f"{_ref_text(item[0])}={item[1]}"
        try:
            ref, choice = parse_decision(item) if isinstance(item, str) else item
            plan = _plan(db, coder, names, ref, choice, code=code, unit=unit,
                         include_interviewer=include_interviewer, code_names=code_names,
                         cache=cache)
        except WorkbenchError as exc:
            problems.append(f"{shown}: {exc}")
            continue
        key = (plan.transcript["id"], plan.unit.idx)
        if key in seen:
            problems.append(f"{shown}: {plan.where} is decided twice in this call "
                            f"(also {seen[key]})")
            continue
        seen[key] = shown
        plans.append(plan)
    if problems:
        n = len(problems)
        raise WorkbenchError(
            f"nothing was changed: {n} of {len(decisions)} decision{'s' if len(decisions) != 1 else ''} "
            f"cannot be made (fix {'them' if n != 1 else 'it'} and run the whole call again):\n  "
            + "\n  ".join(problems)
        )
    todo = _seed_plan(db, names, unit, code, include_interviewer) if seed else []
    if not todo and not plans:
        return {"seeded": 0, "decisions": [], "recorded": False}
    parts = []
    if plans:
        listed = [f"{p.transcript['id']}:{p.unit.idx} {p.label}" for p in plans]
        more = f", … {len(listed) - 6} more" if len(listed) > 8 else ""
        parts.append(f"{len(plans)} decision{'s' if len(plans) != 1 else ''} ("
                     + ", ".join(listed[:6] if more else listed) + more + ")")
    if todo:
        parts.append(f"{len(todo)} agreed codings of {', '.join(names)} copied")
    changed: list[tuple[list[str], list[str]]] = []
    with record(db, coder, "reconcile", "reconcile: " + "; ".join(parts)) as cs:
        _apply_seed(cs, db, todo, names)
        for plan in plans:
            changed.append(_apply(cs, plan, code_names))
        join_passages(cs, db)
        recorded = bool(cs.rows)
    results = [_outcome(db, plan, a, r, code_names) for plan, (a, r) in zip(plans, changed, strict=True)]
    return {"seeded": len(todo), "decisions": results, "recorded": recorded}


def _ref_text(ref: str | dict[str, Any]) -> str:
    if isinstance(ref, dict):
        return f"{ref['transcript']}:{ref['idx']}"
    return str(ref)


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


def _seed_plan(
    db: sqlite_utils.Database,
    names: tuple[str, ...],
    unit: str,
    code: str | None,
    include_interviewer: bool,
) -> list[tuple[str, str, int, int]]:
    """The unit-span codings ``(transcript, code, start, end)`` that seeding would add."""
    uc = collect(db, names, unit, include_interviewer=include_interviewer)
    wanted = _code_filter(db, code)
    agreed: dict[str, set[int]] = {}
    for cid in set().union(*(uc.applied.get(c, {}).keys() for c in names)):
        if wanted is not None and cid not in wanted:
            continue
        common = set.intersection(*(uc.applied.get(c, {}).get(cid, set()) for c in names))
        if common:
            agreed[cid] = common
    if not agreed:
        return []
    have: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for tid, cid, s, e in db.execute(
        "select transcript_id, code_id, start, [end] from codings where coder = ?", [CONSENSUS]
    ):
        have.setdefault((tid, cid), []).append((s, e))
    merged = {k: merge_spans(v) for k, v in have.items()}
    todo: list[tuple[str, str, int, int]] = []
    for cid, positions in agreed.items():
        for pos in sorted(positions):
            u = uc.units[pos]
            m = merged.get((u.transcript_id, cid), [])
            if m and uc.covers(m, pos):
                continue
            todo.append((u.transcript_id, cid, u.start, u.end))
    return sorted(todo)


def _apply_seed(cs: ChangeSet, db: sqlite_utils.Database, todo: list[tuple[str, str, int, int]],
                names: tuple[str, ...]) -> None:
    texts: dict[str, str] = {}
    for tid, cid, s, e in todo:
        if tid not in texts:
            texts[tid] = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
        _insert_unit_coding(cs, texts[tid], tid, cid, s, e, f"agreed by {', '.join(names)}")


def seed_agreed(
    db: sqlite_utils.Database,
    coder: str,
    coders: str | Sequence[str] | None = None,
    unit: str = "sentence",
    code: str | None = None,
    *,
    include_interviewer: bool = False,
) -> int:
    """Give ``consensus`` every code all ``coders`` applied to a unit (a unit-span coding),
    where ``consensus`` does not have it on that unit yet. One recorded change (undoable);
    returns the number of codings added (0: nothing to do, nothing recorded)."""
    names = checked_coders(db, coders)
    todo = _seed_plan(db, names, unit, code, include_interviewer)
    if not todo:
        return 0
    with record(db, coder, "reconcile.seed", f"consensus: {len(todo)} agreed codings of {', '.join(names)}") as cs:
        _apply_seed(cs, db, todo, names)
        join_passages(cs, db)
    return len(todo)
