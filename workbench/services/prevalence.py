"""How widespread each theme and code is across the interviews, in numbers and in Dutch words.

For every theme and code: the interviews (distinct transcripts) and respondents (distinct
respondent labels) in which it occurs, out of all interviews in the project. A theme occurs
wherever any of its codes, or its sub-themes' codes, occurs. Whose codings count:

- ``coder=None`` (the default): the union over all coders;
- ``coder="anna"``: one coder's codings only;
- ``coder="consensus"``: the reconciled codings, where the second-coder workflow produced them.

The wording follows the report's house style (:func:`wording`, the one wording every view
uses: ``workbench prevalence``, ``workbench themes`` and the chapter); the thresholds are
:class:`Thresholds`, overridable in ``codebooks/prevalence.yaml`` and then in the project
setting ``prevalence_thresholds`` (a JSON object with the same keys).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.files import read_text_file
from workbench.project import Project

THRESHOLDS_FILE = "prevalence.yaml"
THRESHOLDS_KEY = "prevalence_thresholds"

PHRASES = {
    "none": "in geen enkel interview",
    "all": "in alle interviews",
    "almost_all": "in bijna alle interviews",
    "more_than_half": "in meer dan de helft van de interviews",
    "about_half": "in ongeveer de helft van de interviews",
    "several": "in meerdere interviews",
    "few": "in enkele interviews",
    "one": "in één interview",
}


@dataclass(frozen=True)
class Thresholds:
    """When each wording applies (percentages of all interviews; counts of interviews).

    In this order: 0 → "geen enkel"; with at least ``few_min`` interviews: all → "alle",
    ≥ ``almost_all_pct`` → "bijna alle", > ``more_than_half_pct`` → "meer dan de helft",
    ≥ ``about_half_low_pct`` (up to ``more_than_half_pct``) → "ongeveer de helft"; then
    ≥ ``several_min`` → "meerdere", ≥ ``few_min`` → "enkele", 1 → "één".
    """

    almost_all_pct: float = 90.0
    more_than_half_pct: float = 55.0
    about_half_low_pct: float = 45.0
    several_min: int = 3
    few_min: int = 2

    def validate(self, where: Path | str | None = None) -> Thresholds:
        if not 0 <= self.about_half_low_pct <= self.more_than_half_pct <= self.almost_all_pct <= 100:
            raise WorkbenchError(
                "prevalence thresholds must satisfy 0 ≤ about_half_low_pct ≤ more_than_half_pct ≤ "
                f"almost_all_pct ≤ 100 (got {self.about_half_low_pct}, {self.more_than_half_pct}, "
                f"{self.almost_all_pct})", path=where)
        if not 2 <= self.few_min < self.several_min:
            raise WorkbenchError(
                f"prevalence thresholds must satisfy 2 ≤ few_min < several_min (got {self.few_min}, "
                f"{self.several_min})", path=where)
        return self


def _merge(base: Thresholds, data: object, where: str | Path) -> Thresholds:
    if data is None:
        return base
    if not isinstance(data, dict):
        raise WorkbenchError("prevalence thresholds must be a mapping of names to numbers", path=where)
    names = {f.name: f.type for f in fields(Thresholds)}
    values = asdict(base)
    for key, value in data.items():
        if key not in names:
            raise WorkbenchError(f"unknown prevalence threshold '{key}'; known: {', '.join(names)}", path=where)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise WorkbenchError(f"prevalence threshold '{key}' must be a number, not {value!r}", path=where)
        if key.endswith("_min") and value != int(value):
            raise WorkbenchError(f"prevalence threshold '{key}' must be a whole number", path=where)
        values[key] = int(value) if key.endswith("_min") else float(value)
    return Thresholds(**values).validate(where)


def _root_of(db: sqlite_utils.Database) -> Path | None:
    """The project folder of a project database (None for one in memory)."""
    from workbench.store.connection import db_file

    path = db_file(db)
    return path.parent if path is not None else None


def load_thresholds(project: Project | None = None, db: sqlite_utils.Database | None = None
                    ) -> Thresholds:
    """Defaults, then ``codebooks/prevalence.yaml``, then the ``prevalence_thresholds`` setting.

    Give the project, or only its database (the project folder is found from the database
    file), so that every view words the same counts the same way."""
    thr = Thresholds()
    if project is not None:
        db = db or project.db
    root = Path(project.root) if project is not None else (_root_of(db) if db is not None else None)
    if root is not None:
        path = root / "codebooks" / THRESHOLDS_FILE
        if path.is_file():
            from workbench.yamlfile import load

            data = load(read_text_file(path, what="prevalence file"), path)
            if isinstance(data, dict) and "prevalence" in data:
                data = data["prevalence"]
            thr = _merge(thr, data, path)
    if db is not None:
        row = db.execute("select value from meta where key = ?", [THRESHOLDS_KEY]).fetchone()
        if row and row[0].strip():
            try:
                data = json.loads(row[0])
            except (json.JSONDecodeError, RecursionError) as exc:
                raise WorkbenchError(f"the setting {THRESHOLDS_KEY} is not valid JSON: {exc}") from exc
            thr = _merge(thr, data, f"setting {THRESHOLDS_KEY}")
    return thr


def category(n: int, total: int, thresholds: Thresholds | None = None) -> str:
    """The wording category of ``n`` out of ``total`` interviews (a key of :data:`PHRASES`)."""
    t = thresholds or Thresholds()
    if n < 0 or total < 0 or n > total:
        raise WorkbenchError(f"cannot word {n} of {total} interviews")
    if n == 0:
        return "none"
    if n >= t.few_min:
        pct = 100.0 * n / total
        if n == total:
            return "all"
        if pct >= t.almost_all_pct:
            return "almost_all"
        if pct > t.more_than_half_pct:
            return "more_than_half"
        if pct >= t.about_half_low_pct:
            return "about_half"
        if n >= t.several_min:
            return "several"
        return "few"
    return "one"


def wording(n: int, total: int, thresholds: Thresholds | None = None) -> str:
    """``in meer dan de helft van de interviews`` and the like."""
    return PHRASES[category(n, total, thresholds)]


def respondent_wording(n: int, thresholds: Thresholds | None = None) -> str:
    """How the narrative names a number of respondents: "een enkele respondent" and so on."""
    t = thresholds or Thresholds()
    if n <= 0:
        return "geen enkele respondent"
    if n == 1:
        return "een enkele respondent"
    if n < t.several_min:
        return "enkele respondenten"
    return "meerdere respondenten"


@dataclass
class Prevalence:
    code_id: str
    kind: str
    name: str
    interviews: int
    respondents: int
    total_interviews: int
    wording: str
    category: str
    transcript_ids: list[str] = field(default_factory=list)

    def counts_text(self) -> str:
        """``5 van 7 interviews, 5 respondenten``"""
        resp = "respondent" if self.respondents == 1 else "respondenten"
        return f"{self.interviews} van {self.total_interviews} interviews, {self.respondents} {resp}"

    def sentence(self) -> str:
        """``Dit thema komt in meer dan de helft van de interviews voor (5 van 7 interviews, 5 respondenten).``"""
        subject = "Dit thema" if self.kind == "theme" else "Deze code"
        return f"{subject} komt {self.wording} voor ({self.counts_text()})."

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sentence": self.sentence()}


def compute(
    db: sqlite_utils.Database,
    *,
    coder: str | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, Prevalence]:
    """Prevalence of every theme and code, keyed by id, in codebook order."""
    thr = thresholds or Thresholds()
    total = db.execute("select count(*) from transcripts").fetchone()[0]
    labels = {r[0]: r[1] for r in db.execute("select id, label from transcripts")}
    codes = list(db.query("select id, kind, name, parent_id from codes order by position, name"))
    where, args = "", []
    if coder:
        known = db.execute("select 1 from codings where coder = ? limit 1", [coder]).fetchone()
        if known is None and not db.execute("select 1 from coders where name = ?", [coder]).fetchone():
            raise WorkbenchError(f"no coder '{coder}' in this project")
        where, args = " where coder = ?", [coder]
    occurs: dict[str, set[str]] = {}
    for r in db.execute(f"select distinct code_id, transcript_id from codings{where}", args):
        occurs.setdefault(r[0], set()).add(r[1])
    children: dict[str | None, list[str]] = {}
    for c in codes:
        children.setdefault(c["parent_id"], []).append(c["id"])

    def tree(cid: str, depth: int = 0) -> set[str]:
        out = set(occurs.get(cid, ()))
        if depth < 10:
            for child in children.get(cid, []):
                out |= tree(child, depth + 1)
        return out

    result: dict[str, Prevalence] = {}
    for c in codes:
        tids = tree(c["id"]) if c["kind"] == "theme" else set(occurs.get(c["id"], ()))
        n = len(tids)
        cat = category(n, total, thr)
        result[c["id"]] = Prevalence(
            c["id"], c["kind"], c["name"], n, len({labels.get(t, t) for t in tids}), total,
            PHRASES[cat], cat, sorted(tids),
        )
    return result
