"""Agreement figures for a project: per code, per theme, overall, and segment matching.

:func:`compute` returns the documented JSON structure (see ``docs/agreement.md``) that the CLI
(``workbench agreement``), the Markdown report and the TUI's agreement screen all show.

Per code, the variable is binary per unit (the code is present or absent, by the more-than-half
coverage rule of :mod:`workbench.agreement.units`); every coder has a value for every unit of
the included transcripts. Per theme, the theme's own codes (the codes directly under it) are the
categories of one nominal variable per unit: a unit a coder gave none of them is *missing* for
that coder; a unit a coder gave two or more of them is a *conflict*, counted and treated as
missing. Overall, the per-code binary variables are stacked (pooled) and the per-code figures
are averaged (mean over the codes whose figure is defined).

The figures are those of :mod:`workbench.agreement.metrics` (same definitions, same reasons for
undefined figures), computed here from the counts of each distinct *pattern* of values (one
pattern per unit: the tuple of the coders' values) so that 70,000 units × 40 codes take
milliseconds. The test suite checks these against :mod:`metrics` on random data.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import chain, permutations

import sqlite_utils

from workbench.agreement.metrics import Figure
from workbench.agreement.units import (
    Row,
    UnitCodings,
    collect,
    parse_coders,
)
from workbench.errors import WorkbenchError

Pattern = tuple[Hashable | None, ...]
#: How many units have each pattern (the codes or presence each coder gave a unit).
Patterns = Counter[Pattern]
PRESENT, ABSENT = "present", "absent"
METRICS = ("percent_agreement", "cohen_kappa", "krippendorff_alpha")
OVERLAP_DEFINITION = (
    "a segment (one coding) of one coder counts as matched when the other coder's codings of "
    "the same code, taken together, cover at least the overlap share of the segment's "
    "characters (intersection / the segment's length)"
)


# -- the figures from pattern counts -------------------------------------------------------------

def _pairable(patterns: Patterns) -> list[tuple[Counter[Hashable], int]]:
    """Per pattern with two or more values: how often each value occurs in it, and the count."""
    out: list[tuple[Counter[Hashable], int]] = []
    for pattern, count in patterns.items():
        values = [v for v in pattern if v is not None]
        if len(values) >= 2 and count:
            out.append((Counter(values), count))
    if not out:
        raise _Undefined("no unit was coded by two or more coders (no pairable values)")
    return out


class _Undefined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def percent_agreement(patterns: Patterns) -> float:
    """As :func:`metrics.percent_agreement`, from pattern counts."""
    agreements = 0.0
    n = 0
    for unit, count in _pairable(patterns):
        m = unit.total()
        agreements += count * sum(c * (c - 1) for c in unit.values()) / (m - 1)
        n += count * m
    return agreements / n


def cohen_kappa(patterns: Patterns) -> float:
    """As :func:`metrics.cohen_kappa` (two coders), from pattern counts."""
    n = agree = 0
    count_a: Counter[Hashable] = Counter()
    count_b: Counter[Hashable] = Counter()
    for (x, y), count in patterns.items():
        if x is None or y is None or not count:
            continue
        n += count
        agree += count if x == y else 0
        count_a[x] += count
        count_b[y] += count
    if n == 0:
        raise _Undefined("no unit was coded by both coders")
    chance = sum(c * count_b[k] for k, c in count_a.items())
    if chance == n * n:
        (category,) = count_a
        raise _Undefined(f"both coders used only the category {category!r}: expected agreement is 1")
    return (n * agree - chance) / (n * n - chance)


def krippendorff_alpha(patterns: Patterns) -> float:
    """As :func:`metrics.krippendorff_alpha` at the nominal level, from pattern counts."""
    units = _pairable(patterns)
    n_c: Counter[Hashable] = Counter()
    for unit, count in units:
        for value, k in unit.items():
            n_c[value] += k * count
    if len(n_c) < 2:
        (only,) = n_c
        raise _Undefined(f"no variation: every pairable value is {only!r}, so expected disagreement is 0")
    observed = math.fsum(
        count * (unit.total() ** 2 - sum(k * k for k in unit.values())) / (unit.total() - 1)
        for unit, count in units
    )
    n = n_c.total()
    expected = n * n - sum(k * k for k in n_c.values())
    return 1.0 - (n - 1) * observed / expected


def figures_of(patterns: Patterns, n_coders: int) -> dict[str, Figure]:
    """The three figures (undefined ones with their reason) for one variable."""
    out: dict[str, Figure] = {}
    for name, fn in (("percent_agreement", percent_agreement), ("cohen_kappa", cohen_kappa),
                     ("krippendorff_alpha", krippendorff_alpha)):
        if name == "cohen_kappa" and n_coders != 2:
            out[name] = Figure(None, "Cohen's kappa compares exactly two coders; see Krippendorff's alpha")
            continue
        try:
            out[name] = Figure(float(fn(patterns)))
        except _Undefined as exc:
            out[name] = Figure(None, exc.reason)
    return out


def encode(figure: Figure) -> float | Row:
    """A figure in the JSON: a number, or ``{"value": null, "undefined": reason}``."""
    if figure.value is not None:
        return figure.value
    return {"value": None, "undefined": figure.reason}


def decode(value: float | Row | None) -> Figure:
    """The inverse of :func:`encode` (for the report and the UI)."""
    if isinstance(value, dict):
        return Figure(None, value.get("undefined") or "undefined")
    if value is None:
        return Figure(None, "not computed")
    return Figure(float(value))


# -- the project's variables ----------------------------------------------------------------------

def codebook_order(db: sqlite_utils.Database) -> tuple[list[Row], list[Row]]:
    """Codes and themes in codebook order (themes before their codes, by position then name)."""
    rows = list(db.query("select id, kind, name, parent_id from codes order by position, name"))
    by_parent: dict[str | None, list[Row]] = {}
    for r in rows:
        by_parent.setdefault(r["parent_id"], []).append(r)
    names = {r["id"]: r["name"] for r in rows}
    codes: list[Row] = []
    themes: list[Row] = []
    seen: set[str] = set()

    def walk(parent: str | None) -> None:
        for r in by_parent.get(parent, []):
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            if r["kind"] == "theme":
                themes.append(r)
            else:
                codes.append({**r, "theme": names.get(r["parent_id"]) if r["parent_id"] else None})
            walk(r["id"])

    walk(None)
    for r in rows:  # anything under a missing parent
        if r["id"] not in seen and r["kind"] == "code":
            codes.append({**r, "theme": None})
    return codes, themes


def _select(db: sqlite_utils.Database, row: Row | None) -> tuple[list[Row], list[Row]]:
    codes, themes = codebook_order(db)
    if row is None:
        return codes, themes
    if row["kind"] == "code":
        return [c for c in codes if c["id"] == row["id"]], []
    return [c for c in codes if c["parent_id"] == row["id"]], [t for t in themes if t["id"] == row["id"]]


def _masks(sets: Sequence[set[int]]) -> dict[int, int]:
    """Per unit in any of the sets, a bit mask of the sets it is in."""
    if len(sets) == 2:
        a, b = sets
        out = dict.fromkeys(a - b, 1)
        out.update(dict.fromkeys(b - a, 2))
        out.update(dict.fromkeys(a & b, 3))
        return out
    masks: dict[int, int] = {}
    for i, s in enumerate(sets):
        bit = 1 << i
        for u in s:
            masks[u] = masks.get(u, 0) | bit
    return masks


def code_patterns(uc: UnitCodings, code_id: str) -> Patterns:
    """Per unit, the tuple of the coders' present/absent values for one code, counted."""
    k = len(uc.coders)
    sets = [uc.applied.get(c, {}).get(code_id, set()) for c in uc.coders]
    masks = _masks(sets)
    patterns: Patterns = Counter()
    for mask, count in Counter(masks.values()).items():
        patterns[tuple(PRESENT if mask >> i & 1 else ABSENT for i in range(k))] = count
    rest = len(uc.units) - len(masks)
    if rest:
        patterns[(ABSENT,) * k] += rest
    return patterns


_CONFLICT = object()


def theme_patterns(uc: UnitCodings, code_ids: Sequence[str]) -> tuple[Patterns, dict[str, int], dict[str, int]]:
    """Per unit, the tuple of the coders' codes of the theme (None: none, or a conflict).

    Returns the pattern counts, per coder the units with a conflict (two or more of the theme's
    codes), and per coder the units with exactly one of them.
    """
    per_coder: list[dict[int, object]] = []
    conflicts, coded = {}, {}
    for coder in uc.coders:
        applied = uc.applied.get(coder, {})
        sets = [applied[c] for c in code_ids if applied.get(c)]
        given: dict[int, object] = {}
        for code, units in zip(code_ids, (applied.get(c, ()) for c in code_ids), strict=True):
            given.update(dict.fromkeys(units, code))
        seen = Counter(chain.from_iterable(sets))
        clash = [u for u, n in seen.items() if n > 1] if len(seen) < sum(map(len, sets)) else []
        given.update(dict.fromkeys(clash, None))
        conflicts[coder] = len(clash)
        coded[coder] = len(given) - len(clash)
        per_coder.append(given)
    all_units: set[int] = set().union(*(g.keys() for g in per_coder))
    patterns: Patterns = Counter(zip(*(map(g.get, all_units) for g in per_coder), strict=True))
    return patterns, conflicts, coded


def pairable_units(patterns: Patterns) -> int:
    """How many units the figures of these patterns compare: those with values from two or
    more coders."""
    return sum(n for pattern, n in patterns.items() if sum(v is not None for v in pattern) >= 2)


def theme_basis(compared: int, total: int, coders: int) -> str:
    """What a theme's figures were computed on, in words (always a subset of the units unless
    every unit got one of the theme's codes from every coder)."""
    who = "both coders" if coders == 2 else "at least two coders"
    if compared == total:
        return f"on all {total} units ({who} gave each one of the theme's codes)"
    return (f"on {compared} of the {total} units only: those where {who} gave one of the theme's "
            "codes (a unit one coder left without a code of the theme, or gave two of them, is "
            "not compared)")


def _rename(figs: dict[str, Figure], names: dict[str, str]) -> dict[str, Figure]:
    """Show code names, not ids, in the reasons of undefined theme figures."""
    out = {}
    for k, f in figs.items():
        if not f.defined and f.reason:
            reason = f.reason
            for cid, name in names.items():
                reason = reason.replace(repr(cid), repr(name))
            f = Figure(None, reason)
        out[k] = f
    return out


def segment_matching(uc: UnitCodings, code_ids: Sequence[str], overlap: float) -> dict[tuple[str, str, str], tuple[int, int]]:
    """``(coder, other, code_id) -> (segments, matched)`` over the included transcripts."""
    out: dict[tuple[str, str, str], tuple[int, int]] = {}
    wanted = set(code_ids)
    for a, b in permutations(uc.coders, 2):
        for tid in uc.transcripts:
            mine = uc.spans[a].get(tid, {})
            theirs = uc.merged[b].get(tid, {})
            for code, segs in mine.items():
                if code not in wanted:
                    continue
                merged = theirs.get(code)
                n = sum(1 for s, e in segs if e > s)
                matched = 0
                if merged:
                    starts = [s for s, _ in merged]
                    m = len(merged)
                    for s, e in segs:
                        if e <= s:
                            continue
                        i = bisect_right(starts, s) - 1
                        if i < 0:
                            i = 0
                        covered = 0
                        while i < m:
                            ms, me = merged[i]
                            if ms >= e:
                                break
                            hi = e if e < me else me
                            lo = s if s > ms else ms
                            if hi > lo:
                                covered += hi - lo
                            i += 1
                        if covered >= overlap * (e - s) - 1e-9:
                            matched += 1
                n0, m0 = out.get((a, b, code), (0, 0))
                out[(a, b, code)] = (n0 + n, m0 + matched)
    return out


def _share(segments: int, matched: int, coder: str) -> Figure:
    if segments == 0:
        return Figure(None, f"{coder} has no coded segments here")
    return Figure(matched / segments)


# -- the whole picture ----------------------------------------------------------------------------

def compute(
    db: sqlite_utils.Database,
    coders: str | Sequence[str] | None = None,
    unit: str = "sentence",
    overlap: float = 0.9,
    code: Row | None = None,
    *,
    include_interviewer: bool = False,
) -> Row:
    """Agreement between ``coders`` (default: the two with the most codings, not ``consensus``)
    on ``unit``s; ``overlap`` is the segment-matching threshold as a fraction (0.9 = 90%);
    ``code`` (a code's or theme's row, see :func:`workbench.services.second_coding.agreement.compute` for a
    name) limits the figures to one code, or to one theme and its codes. The units are the
    respondent's only unless ``include_interviewer``.

    Returns the JSON structure documented in ``docs/agreement.md``.
    """
    if not (0 < overlap <= 1):
        raise WorkbenchError(f"the overlap must lie above 0 and at most 1 (100%), not {overlap}")
    coder_names = parse_coders(db, coders)
    codes, themes = _select(db, code)
    uc = collect(db, coder_names, unit, include_interviewer=include_interviewer)
    picture = _Picture(uc, coder_names, codes, include_interviewer)
    code_rows = picture.code_rows()  # first: it adds up what the overall figures pool
    return {
        "coders": list(coder_names),
        "unit": unit,
        "include_interviewer": include_interviewer,
        "transcripts": uc.transcripts,
        "excluded_transcripts": uc.excluded,
        "units": len(uc.units),
        "codes": code_rows,
        "themes": picture.theme_rows(themes),
        "overall": picture.overall(),
        "segments": picture.segments(overlap),
    }


class _Picture:
    """The figures of one comparison over the same units (``uc``) and coders: per code, per
    theme, overall, and by segment matching."""

    def __init__(self, uc: UnitCodings, coder_names: Sequence[str], codes: list[Row],
                 include_interviewer: bool) -> None:
        self.uc = uc
        self.coder_names = coder_names
        self.codes = codes
        self.k = len(coder_names)
        self.names = {c["id"]: c["name"] for c in codes}
        self.pooled: Patterns = Counter()
        self.per_metric: dict[str, list[float]] = {m: [] for m in METRICS}
        self.no_units: Figure | None = None
        if not uc.units:
            if uc.transcripts and not include_interviewer:
                self.no_units = Figure(None, "the compared transcripts have no respondent text")
            else:
                self.no_units = Figure(
                    None, "no transcript was coded by all of " + ", ".join(coder_names))

    def figures(self, patterns: Patterns) -> dict[str, Figure]:
        if self.no_units is not None:
            return {m: self.no_units for m in METRICS}
        return figures_of(patterns, self.k)

    def code_rows(self) -> list[Row]:
        """One row per code; adds up the pooled patterns and each metric's defined values."""
        uc, rows = self.uc, []
        for c in self.codes:
            patterns = code_patterns(uc, c["id"])
            self.pooled.update(patterns)
            sets = [uc.applied.get(x, {}).get(c["id"], set()) for x in self.coder_names]
            figs = self.figures(patterns)
            if not any(sets) and uc.units:
                figs = {
                    m: f if f.defined else Figure(None, "no coder applied this code in the compared transcripts")
                    for m, f in figs.items()
                }
            for m, f in figs.items():
                if f.value is not None:
                    self.per_metric[m].append(f.value)
            rows.append({
                "code": c["name"],
                "code_id": c["id"],
                "theme": c["theme"],
                "compared": len(uc.units),
                "basis": f"on all {len(uc.units)} units",
                "coded": {x: len(s) for x, s in zip(self.coder_names, sets, strict=True)},
                "both": len(set.intersection(*sets)) if sets else 0,
                **{m: encode(f) for m, f in figs.items()},
            })
        return rows

    def theme_rows(self, themes: list[Row]) -> list[Row]:
        rows = []
        for t in themes:
            ids = [c["id"] for c in self.codes if c["parent_id"] == t["id"]]
            if not ids:
                continue
            patterns, conflicts, coded = theme_patterns(self.uc, ids)
            figs = _rename(self.figures(patterns), self.names)
            compared = pairable_units(patterns)
            rows.append({
                "theme": t["name"],
                "theme_id": t["id"],
                "codes": [self.names[i] for i in ids],
                "compared": compared,
                "basis": theme_basis(compared, len(self.uc.units), self.k),
                "units": sum(patterns.values()),
                "coded": coded,
                "conflicts": conflicts,
                **{m: encode(f) for m, f in figs.items()},
            })
        return rows

    def overall(self) -> Row:
        """Pooled over the codes, and the mean of the codes' figures (after :meth:`code_rows`)."""
        if self.codes:
            pooled_figs = self.figures(self.pooled)
        else:
            pooled_figs = {m: Figure(None, "no codes to compare") for m in METRICS}
        mean = {}
        for m in METRICS:
            values = self.per_metric[m]
            mean[m] = encode(Figure(sum(values) / len(values)) if values else Figure(
                None, "no code has a defined figure"))
        return {
            "codes": len(self.codes),
            "pooled": {"units": sum(self.pooled.values()),
                       **{m: encode(f) for m, f in pooled_figs.items()}},
            "mean": {**mean, "defined": {m: len(self.per_metric[m]) for m in METRICS}},
        }

    def segments(self, overlap: float) -> Row:
        """Segment matching at ``overlap``: per ordered pair of coders, and per code."""
        matches = segment_matching(self.uc, [c["id"] for c in self.codes], overlap)
        pairs = []
        for a, b in permutations(self.coder_names, 2):
            n = sum(v[0] for (x, y, _), v in matches.items() if (x, y) == (a, b))
            hit = sum(v[1] for (x, y, _), v in matches.items() if (x, y) == (a, b))
            pairs.append({"coder": a, "other": b, "segments": n, "matched": hit,
                          "share": encode(_share(n, hit, a))})
        seg_codes = []
        for c in self.codes:
            cp = []
            for a, b in permutations(self.coder_names, 2):
                n, hit = matches.get((a, b, c["id"]), (0, 0))
                cp.append({"coder": a, "other": b, "segments": n, "matched": hit,
                           "share": encode(_share(n, hit, a))})
            seg_codes.append({"code": c["name"], "code_id": c["id"], "pairs": cp})
        return {"overlap": overlap, "definition": OVERLAP_DEFINITION, "pairs": pairs,
                "codes": seg_codes}
