"""Units of analysis for agreement, and which codes each coder applied to each unit.

A *unit* is a sentence (table ``sentences``, the default), a turn (table ``turns``) or a whole
transcript. A coder has applied a code to a unit when the union of that coder's codings of the
code covers **more than half** of the unit's characters (exactly half is not enough). Coverage is
computed with interval unions: each coder's spans of one code in one transcript are sorted and
merged, and each merged interval is swept over the units it touches (found by bisection), so
the work grows with the number of codings, not with codes × units.

Only transcripts that every compared coder has coded (at least one coding of any code) take
part; the others are listed with the reason (``"not coded by bram"``).

By default only the **respondent's** text counts: sentences and turns of turns whose role is
not ``interviewer``, and for whole-transcript units the respondent's characters (a transcript
unit is applied when the coder's codings cover more than half of the respondent's text).
Interviewer sentences are almost never coded, so counting them as units where "both coders
agree the code is absent" would inflate percent agreement. ``include_interviewer=True`` counts
every unit, as before.

:func:`collect` reads everything with one query per coder for the codings and one query for
the units; the agreement figures, the disagreement list and reconciliation all start from its
:class:`UnitCodings`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple, overload

import sqlite_utils

from workbench.errors import WorkbenchError

UNIT_KINDS = ("sentence", "turn", "transcript")
CONSENSUS = "consensus"

Span = tuple[int, int]


class Unit(NamedTuple):
    """One unit: ``text[start:end]`` of transcript ``transcript_id``; ``idx`` is the sentence
    or turn number (0 for a whole transcript)."""

    transcript_id: str
    idx: int
    start: int
    end: int


#: A row as the store and the JSON report hold it (a code, a theme, an excluded transcript).
Row = dict[str, Any]


class UnitList(Sequence["Unit"]):
    """The units as read from the database (plain rows), seen as :class:`Unit`s."""

    def __init__(self, rows: list[tuple[str, int, int, int]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> Unit: ...

    @overload
    def __getitem__(self, i: slice) -> list[Unit]: ...

    def __getitem__(self, i: int | slice) -> Unit | list[Unit]:
        if isinstance(i, slice):
            return [Unit._make(r) for r in self.rows[i]]
        return Unit._make(self.rows[i])


@dataclass
class UnitCodings:
    """Everything the agreement figures need, for a set of coders and a kind of unit.

    ``units`` lists the units of the included transcripts in transcript and text order; a unit is
    referred to by its position in that list. ``applied[coder][code_id]`` is the set of unit
    positions the coder applied the code to. ``spans[coder][transcript_id][code_id]`` are the
    coder's codings (raw spans) in included transcripts, ``merged[…]`` the same as their union.
    """

    unit: str
    coders: tuple[str, ...]
    transcripts: list[str]
    excluded: list[Row]
    units: Sequence[Unit]
    applied: dict[str, dict[str, set[int]]]
    spans: dict[str, dict[str, dict[str, list[Span]]]]
    merged: dict[str, dict[str, dict[str, list[Span]]]] = field(default_factory=dict)
    include_interviewer: bool = False
    #: for whole-transcript units of the respondent's text only: per transcript, the
    #: respondent's spans (sorted, disjoint); coverage is measured over these characters
    segments: dict[str, list[Span]] | None = None
    _by_key: dict[tuple[str, int], int] = field(default_factory=dict, repr=False)

    def position(self, transcript_id: str, idx: int) -> int | None:
        """The position of unit ``idx`` of a transcript in :attr:`units` (None: not included)."""
        if not self._by_key:
            rows = self.units.rows if isinstance(self.units, UnitList) else self.units
            self._by_key = {(r[0], r[1]): i for i, r in enumerate(rows)}
        return self._by_key.get((transcript_id, idx))

    def unit_length(self, position: int) -> int:
        """The characters of the unit that count (for a respondent-only transcript unit, the
        respondent's characters)."""
        u = self.units[position]
        if self.segments is not None:
            return sum(e - s for s, e in self.segments.get(u.transcript_id, []))
        return u.end - u.start

    def covers(self, merged: Sequence[Span], position: int) -> bool:
        """Whether the merged spans apply to the unit at ``position`` (more than half)."""
        u = self.units[position]
        starts = [s for s, _ in merged]
        if self.segments is not None:
            covered = sum(covered_length(merged, starts, s, e)
                          for s, e in self.segments.get(u.transcript_id, []))
        else:
            covered = covered_length(merged, starts, u.start, u.end)
        return applies(covered, self.unit_length(position))

    def codes_on(self, coder: str, position: int) -> set[str]:
        """The code ids ``coder`` applied to the unit at ``position``."""
        return {code for code, units in self.applied.get(coder, {}).items() if position in units}

    def unit_codes(self) -> dict[str, dict[int, set[str]]]:
        """Per coder: unit position -> code ids applied (only units with at least one code)."""
        out: dict[str, dict[int, set[str]]] = {}
        for coder in self.coders:
            per_unit: dict[int, set[str]] = defaultdict(set)
            for code, units in self.applied.get(coder, {}).items():
                for u in units:
                    per_unit[u].add(code)
            out[coder] = dict(per_unit)
        return out


def check_unit(unit: str) -> str:
    if unit not in UNIT_KINDS:
        raise WorkbenchError(f"unknown unit '{unit}': use one of {', '.join(UNIT_KINDS)}")
    return unit


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """The union of spans as sorted, non-overlapping, non-touching intervals."""
    if len(spans) == 1:
        s, e = spans[0]
        return [(s, e)] if e > s else []
    out: list[Span] = []
    cur_s = cur_e = -1
    for s, e in sorted(spans):
        if e <= s:
            continue
        if cur_e >= 0 and s <= cur_e:
            if e > cur_e:
                cur_e = e
        else:
            if cur_e >= 0:
                out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_e >= 0:
        out.append((cur_s, cur_e))
    return out


def covered_length(merged: Sequence[Span], starts: Sequence[int], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` the merged intervals cover (``starts`` are the
    intervals' starts, for bisection)."""
    i = max(bisect_right(starts, start) - 1, 0)
    total = 0
    while i < len(merged) and merged[i][0] < end:
        s, e = merged[i]
        lo, hi = max(s, start), min(e, end)
        if hi > lo:
            total += hi - lo
        i += 1
    return total


def applies(covered: int, length: int) -> bool:
    """The more-than-half rule: ``covered`` characters of a unit of ``length`` characters."""
    return length > 0 and 2 * covered > length


def coders_by_codings(db: sqlite_utils.Database, *, include_consensus: bool = False) -> list[tuple[str, int]]:
    """Coders with their number of codings, most first (``consensus`` left out by default)."""
    rows = db.execute(
        "select coder, count(*) as n from codings group by coder order by n desc, coder"
    ).fetchall()
    return [(r[0], r[1]) for r in rows if include_consensus or r[0] != CONSENSUS]


def default_coders(db: sqlite_utils.Database) -> tuple[str, ...]:
    """The two coders with the most codings, leaving out ``consensus``."""
    ranked = coders_by_codings(db)
    if len(ranked) < 2:
        have = ", ".join(f"{c} ({n})" for c, n in ranked) or "nobody"
        raise WorkbenchError(
            f"agreement needs two coders with codings; coded so far: {have}. Let a second coder "
            "code with 'workbench code … --coder NAME'"
        )
    return (ranked[0][0], ranked[1][0])


def parse_coders(db: sqlite_utils.Database, coders: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"anna,bram"`` or a sequence -> a tuple of at least two distinct known coders."""
    if coders is None or (isinstance(coders, str) and not coders.strip()):
        return default_coders(db)
    names = [c.strip() for c in (coders.split(",") if isinstance(coders, str) else coders)]
    names = [c for c in names if c]
    if len(names) < 2:
        raise WorkbenchError("give at least two coders, e.g. --coders anna,bram")
    if len(set(names)) != len(names):
        raise WorkbenchError(f"a coder is named twice in {','.join(names)}")
    known = {c for c, _ in coders_by_codings(db, include_consensus=True)}
    unknown = [c for c in names if c not in known]
    if unknown:
        have = ", ".join(sorted(known)) or "none"
        raise WorkbenchError(
            f"no codings by {', '.join(unknown)} (coders with codings: {have})"
        )
    return tuple(names)


_NOT_INTERVIEWER = "coalesce(t.role, '') != 'interviewer'"


def _load_units(
    db: sqlite_utils.Database, unit: str, transcripts: Sequence[str], *, all_of_them: bool,
    include_interviewer: bool = True,
) -> dict[str, list[tuple[str, int, int, int]]]:
    """Per transcript, its units as rows ``(transcript_id, idx, start, end)`` in text order
    (without ``include_interviewer``: the units of respondent turns only)."""
    marks = ",".join("?" for _ in transcripts)
    if unit == "transcript":
        sql, args = "select id, 0, 0, length(text) from transcripts", []
        if not all_of_them:
            sql += f" where id in ({marks})"
            args = list(transcripts)
        rows = db.execute(sql, args).fetchall()
    else:
        if unit == "turn":
            sql = "select t.transcript_id, t.idx, t.start, t.[end] from turns t"
        else:
            sql = ("select s.transcript_id, s.idx, s.start, s.[end] from sentences s left join "
                   "turns t on t.transcript_id = s.transcript_id and t.idx = s.turn_idx")
        where = [] if include_interviewer else [_NOT_INTERVIEWER]
        args = []
        if not all_of_them:
            prefix = "t" if unit == "turn" else "s"
            where.append(f"{prefix}.transcript_id in ({marks})")
            args = list(transcripts)
        if where:
            sql += " where " + " and ".join(where)
        order = "t.transcript_id, t.idx" if unit == "turn" else "s.transcript_id, s.idx"
        rows = db.execute(f"{sql} order by {order}", args).fetchall()
    wanted = set(transcripts)
    out: dict[str, list[tuple[str, int, int, int]]] = {t: [] for t in transcripts}
    for tid, group in groupby(rows, key=itemgetter(0)):
        if tid not in wanted:
            continue
        t_rows = [r for r in group if r[3] > r[2]]
        starts = [r[2] for r in t_rows]
        if starts != sorted(starts):
            t_rows.sort(key=itemgetter(2, 1))
        out[tid] = t_rows
    return out


def respondent_segments(db: sqlite_utils.Database, transcripts: Sequence[str]) -> dict[str, list[Span]]:
    """Per transcript, the spans of its respondent turns (merged). A transcript without any
    turns counts as the respondent's text throughout."""
    out: dict[str, list[Span]] = {}
    if not transcripts:
        return out
    marks = ",".join("?" for _ in transcripts)
    has_turns: set[str] = set()
    spans: dict[str, list[Span]] = {}
    for tid, role, start, end in db.execute(
        f"select transcript_id, role, start, [end] from turns where transcript_id in ({marks})",
        list(transcripts),
    ):
        has_turns.add(tid)
        if role != "interviewer":
            spans.setdefault(tid, []).append((start, end))
    lengths = dict(db.execute(
        f"select id, length(text) from transcripts where id in ({marks})", list(transcripts)
    ).fetchall())
    for tid in transcripts:
        if tid not in has_turns:
            out[tid] = [(0, lengths.get(tid, 0))] if lengths.get(tid) else []
        else:
            out[tid] = merge_spans(spans.get(tid, []))
    return out


def interviewer_unit(db: sqlite_utils.Database, unit: str, transcript_id: str, idx: int) -> bool:
    """Whether sentence or turn ``idx`` of the transcript exists and is the interviewer's."""
    if unit == "turn":
        row = db.execute("select role from turns where transcript_id = ? and idx = ?",
                         [transcript_id, idx]).fetchone()
    elif unit == "sentence":
        row = db.execute(
            "select t.role from sentences s join turns t on t.transcript_id = s.transcript_id "
            "and t.idx = s.turn_idx where s.transcript_id = ? and s.idx = ?",
            [transcript_id, idx]).fetchone()
    else:
        return False
    return row is not None and row[0] == "interviewer"


def _intersection(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Characters in both of two sorted, disjoint span lists."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _coder_spans(db: sqlite_utils.Database, coders: Sequence[str],
                 limit: set[str] | None) -> dict[str, dict[str, dict[str, list[Span]]]]:
    """Each coder's coded spans: coder -> transcript -> code -> spans (in the store's order)."""
    raw: dict[str, dict[str, dict[str, list[Span]]]] = {}
    for coder in coders:
        per_t: dict[str, dict[str, list[Span]]] = {}
        sql = "select transcript_id, code_id, start, [end] from codings where coder = ?"
        args: list[str] = [coder]
        if limit is not None:
            sql += f" and transcript_id in ({','.join('?' for _ in limit)})"
            args += sorted(limit)
        for tid, code, start, end in db.execute(sql, args):
            by_code = per_t.get(tid)
            if by_code is None:
                by_code = per_t[tid] = {}
            lst = by_code.get(code)
            if lst is None:
                by_code[code] = [(start, end)]
            else:
                lst.append((start, end))
        raw[coder] = per_t
    return raw


def _compared_transcripts(
    rows: Sequence[tuple[str, str]], coders: Sequence[str],
    raw: dict[str, dict[str, dict[str, list[Span]]]], limit: set[str] | None,
) -> tuple[list[str], list[Row]]:
    """The transcripts every coder coded, and the others with the reason they are left out."""
    included: list[str] = []
    excluded: list[Row] = []
    for tid, label in rows:
        if limit is not None and tid not in limit:
            continue
        missing = [c for c in coders if tid not in raw[c]]
        if missing:
            excluded.append({
                "transcript": tid,
                "label": label,
                "reason": "not coded by " + ", ".join(missing),
            })
        else:
            included.append(tid)
    return included, excluded


def _units_covered(merged: Sequence[Span], starts: Sequence[int], ends: Sequence[int]) -> list[int]:
    """The units (by index) more than half covered by ``merged`` spans.

    A sweep: the merged spans are sorted and disjoint, the units sorted and disjoint, so a
    unit's coverage is summed over consecutive spans."""
    hits: list[int] = []
    n = len(starts)
    cur, acc = -1, 0
    for s, e in merged:
        i = bisect_right(starts, s) - 1
        if i < 0:
            i = 0
        while i < n:
            us = starts[i]
            if us >= e:
                break
            ue = ends[i]
            hi = e if e < ue else ue
            lo = s if s > us else us
            if hi > lo:
                if i != cur:
                    if cur >= 0 and 2 * acc > ends[cur] - starts[cur]:
                        hits.append(cur)
                    cur, acc = i, 0
                acc += hi - lo
            i += 1
    if cur >= 0 and 2 * acc > ends[cur] - starts[cur]:
        hits.append(cur)
    return hits


def collect(
    db: sqlite_utils.Database,
    coders: Sequence[str],
    unit: str = "sentence",
    *,
    transcripts: Sequence[str] | None = None,
    include_interviewer: bool = False,
) -> UnitCodings:
    """Which codes each coder applied to each unit of the transcripts all of them coded.

    ``transcripts`` limits the work to those transcript ids (e.g. one unit's transcript when
    reconciling); the exclusion rule still applies to them. Without ``include_interviewer``
    the units are the respondent's only (see the module docstring).
    """
    check_unit(unit)
    coders = tuple(coders)
    limit = set(transcripts) if transcripts is not None else None
    raw = _coder_spans(db, coders, limit)
    all_rows = db.execute("select id, label from transcripts order by date, id").fetchall()
    included, excluded = _compared_transcripts(all_rows, coders, raw, limit)

    every = limit is None and len(included) > len(all_rows) // 2
    units_by_t = _load_units(db, unit, included, all_of_them=every,
                             include_interviewer=include_interviewer)
    segments = None
    if unit == "transcript" and not include_interviewer:
        segments = respondent_segments(db, included)
        for tid in included:
            if not segments.get(tid):  # no respondent text: no unit
                units_by_t[tid] = []
    rows: list[tuple[str, int, int, int]] = []
    applied: dict[str, dict[str, set[int]]] = {c: {} for c in coders}
    spans: dict[str, dict[str, dict[str, list[Span]]]] = {c: {} for c in coders}
    merged_all: dict[str, dict[str, dict[str, list[Span]]]] = {c: {} for c in coders}
    for tid in included:
        t_rows = units_by_t[tid]
        base = len(rows)
        rows.extend(t_rows)
        starts = [r[2] for r in t_rows]
        ends = [r[3] for r in t_rows]
        for coder in coders:
            by_code = raw[coder][tid]
            spans[coder][tid] = by_code
            merged_t = merged_all[coder][tid] = {}
            hits_of = applied[coder]
            for code, code_spans in by_code.items():
                merged = merged_t[code] = merge_spans(code_spans)
                if segments is not None:  # the transcript is the unit: its respondent text
                    resp = segments[tid]
                    if t_rows and applies(_intersection(merged, resp), sum(e - s for s, e in resp)):
                        hits_of.setdefault(code, set()).add(base)
                    continue
                covered = _units_covered(merged, starts, ends)
                if covered:
                    hits_of.setdefault(code, set()).update(base + i for i in covered)
    return UnitCodings(
        unit=unit,
        coders=coders,
        transcripts=included,
        excluded=excluded,
        units=UnitList(rows),
        applied=applied,
        spans=spans,
        merged=merged_all,
        include_interviewer=include_interviewer,
        segments=segments,
    )
