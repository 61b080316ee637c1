"""The themes overview for Braun & Clarke phases 3–5: collating codes into themes.

:func:`overview` gives each theme (sub-themes nested) with its codes and, for every theme and
code, the number of coded extracts (codings), distinct interviews and distinct respondents,
and how widespread that is in the words Dutch reports use (``in meer dan de helft van de
interviews``), worded by :func:`workbench.services.prevalence.wording` with the project's
thresholds, so that ``workbench themes``, ``workbench prevalence`` and the chapter agree. Codes
without a theme are gathered under a pseudo-theme with id ``None``.
:func:`cooccurrence` lists pairs of codes applied to overlapping text, to help see which codes
belong together.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from workbench.services import prevalence

UNGROUPED = "(zonder thema)"


def _stats(db: sqlite_utils.Database, code_ids: list[str], coder: str | None) -> dict[str, Any]:
    if not code_ids:
        return {"codings": 0, "interviews": 0, "respondents": 0}
    marks = ", ".join("?" for _ in code_ids)
    sql = (
        "select count(*), count(distinct x.transcript_id), count(distinct t.label) from codings x "
        f"join transcripts t on t.id = x.transcript_id where x.code_id in ({marks})"
    )
    args = [*code_ids]
    if coder:
        sql += " and x.coder = ?"
        args.append(coder)
    n, interviews, respondents = db.execute(sql, args).fetchone()
    return {"codings": n, "interviews": interviews, "respondents": respondents}


def check_coder(db: sqlite_utils.Database, coder: str) -> str:
    """``coder`` when the project knows it (a registered coder, or one with codings); else a
    clear error listing the coders there are."""
    from workbench.errors import WorkbenchError
    from workbench.services.team import coders

    known = coders(db)
    name = coder.strip()
    if name not in known:
        raise WorkbenchError(f"no coder '{name}' in this project (coders: {', '.join(known) or 'none yet'})")
    return name


def overview(db: sqlite_utils.Database, *, coder: str | None = None,
             thresholds: prevalence.Thresholds | None = None) -> list[dict[str, Any]]:
    """Themes in codebook order, each ``{id, name, definition, colour, survey_themes, codings,
    interviews, respondents, spread, spread_category, codes: [...], subthemes: [...]}``; a code
    is ``{id, name, colour, codings, interviews, respondents, spread, spread_category}``. Counts
    are over all coders unless ``coder`` is given. ``spread`` is :func:`prevalence.wording`
    (thresholds: the project's, found from the database, unless given)."""
    from workbench.services.codebook.codes import survey_themes_of

    thr = thresholds or prevalence.load_thresholds(db=db)
    total = db.execute("select count(*) from transcripts").fetchone()[0]

    def spread(interviews: int) -> dict[str, Any]:
        cat = prevalence.category(interviews, total, thr)
        return {"spread": prevalence.PHRASES[cat], "spread_category": cat}
    rows = [*db.query("select * from codes order by position, name")]
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    for r in rows:
        by_parent.setdefault(r["parent_id"], []).append(r)

    def code_entry(r: dict[str, Any]) -> dict[str, Any]:
        stats = _stats(db, [r["id"]], coder)
        return {
            "id": r["id"], "name": r["name"], "colour": r["colour"],
            "definition": r["definition"], "survey_themes": survey_themes_of(db, r["id"]),
            **stats, **spread(stats["interviews"]),
        }

    def theme_entry(r: dict[str, Any] | None) -> dict[str, Any]:
        tid = r["id"] if r else None
        kids = by_parent.get(tid, [])
        codes = [code_entry(c) for c in kids if c["kind"] == "code"]
        subs = [theme_entry(s) for s in kids if s["kind"] == "theme"] if r is not None else []
        all_ids = [c["id"] for c in codes] + [c["id"] for s in subs for c in s["codes"]]
        stats = _stats(db, all_ids, coder)
        return {
            "id": tid,
            "name": r["name"] if r else UNGROUPED,
            "definition": r["definition"] if r else "",
            "colour": r["colour"] if r else "",
            "parent_id": r["parent_id"] if r else None,
            "survey_themes": survey_themes_of(db, tid) if tid else [],
            **stats,
            **spread(stats["interviews"]),
            "codes": codes,
            "subthemes": subs,
        }

    out = [theme_entry(r) for r in by_parent.get(None, []) if r["kind"] == "theme"]
    loose = theme_entry(None)
    if loose["codes"]:
        out.append(loose)
    return out


def cooccurrence(
    db: sqlite_utils.Database, min_count: int = 1, *, coder: str | None = None,
    same_coder: bool = True,
) -> list[dict[str, Any]]:
    """Pairs of codes applied to overlapping text (same transcript, spans overlap), most
    frequent first: ``{code_a, name_a, code_b, name_b, count, interviews}`` where ``count`` is
    the number of overlapping coding pairs. By default only one coder's codings are paired
    (two coders putting different codes on one passage is disagreement, not co-occurrence)."""
    where = ["a.transcript_id = b.transcript_id", "a.code_id < b.code_id",
             "a.start < b.end", "b.start < a.end"]
    args: list[Any] = []
    if same_coder:
        where.append("a.coder = b.coder")
    if coder:
        where.append("a.coder = ? and b.coder = ?")
        args += [coder, coder]
    sql = (
        "select a.code_id as code_a, ca.name as name_a, b.code_id as code_b, cb.name as name_b, "
        "count(*) as count, count(distinct a.transcript_id) as interviews "
        "from codings a join codings b on " + " and ".join(where) + " "
        "join codes ca on ca.id = a.code_id join codes cb on cb.id = b.code_id "
        "group by a.code_id, b.code_id having count(*) >= ? "
        "order by count desc, interviews desc, ca.name, cb.name"
    )
    return [*db.query(sql, [*args, max(1, int(min_count))])]
