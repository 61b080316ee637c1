"""The phase dashboard: how far the analysis is, per Braun & Clarke phase, from the data.

- Phase 1 (familiarising): a transcript counts as *read* by a coder when that coder wrote a
  transcript memo on it or coded anything in it (both are evidence of reading; opening a file
  is not). The dashboard lists who read what and which transcripts nobody has read yet.
- Phase 2 (initial codes): per coder, the transcripts with at least one of their codings.
  The ``consensus`` coder (reconciled codings) is reported under agreement, not here.
- Phase 3 (searching for themes): codes that are in no theme.
- Phase 4 (reviewing themes): themes with no codes, and themes whose codes have no extracts.
- Phase 5 (defining themes): themes (and sub-themes) with an empty definition.
- Phase 6 (the report): survey themes with no starred quote, where a quote counts for a survey
  theme when its coding's code, or that code's theme or parent theme, is linked to it.
- Agreement: done when the ``consensus`` coder has codings or ``exports/`` holds a file with
  ``agreement`` in its name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlite_utils

from workbench.project import Project
from workbench.services.visual.survey_source import load_survey_themes, survey_sort_key

CONSENSUS_CODER = "consensus"


def build_progress(project: Project) -> dict[str, Any]:
    """The dashboard as plain data (what ``workbench progress --json`` prints)."""
    db = project.db
    transcripts = [
        {"id": r[0], "label": r[1]}
        for r in db.execute("select id, label from transcripts order by date, id")
    ]
    codings_by_coder, phase1, phase2 = _reading_and_coding(db, transcripts)
    from workbench.services.codebook.codes import list_codebook

    entries = list_codebook(db)
    phase3, phase4, phase5 = _codebook_phases(entries)
    return {"phase1": phase1, "phase2": phase2, "phase3": phase3, "phase4": phase4,
            "phase5": phase5, "phase6": _survey_phase(project, entries),
            "agreement": _agreement(project, codings_by_coder.get(CONSENSUS_CODER, 0))}


def _reading_and_coding(
    db: sqlite_utils.Database, transcripts: list[dict[str, Any]],
) -> tuple[dict[str, int], dict[str, Any], dict[str, Any]]:
    """Codings per coder, phase 1 (who read what: a transcript memo or a coding) and phase 2
    (the transcripts each coder coded)."""
    total = len(transcripts)
    readers: dict[str, set[str]] = defaultdict(set)
    memo_on: set[str] = set()
    for tid, coder in db.execute(
        "select target_id, coalesce(coder, '') from memos where target_kind = 'transcript'"
    ):
        memo_on.add(tid)
        if coder:
            readers[tid].add(coder)
    coded_by: dict[str, set[str]] = defaultdict(set)
    codings_by_coder: dict[str, int] = defaultdict(int)
    for tid, coder, n in db.execute(
        "select transcript_id, coder, count(*) from codings group by transcript_id, coder"
    ):
        coded_by[coder].add(tid)
        codings_by_coder[coder] += n
        if coder != CONSENSUS_CODER:
            readers[tid].add(coder)
    by_transcript = [
        {**t, "read_by": sorted(readers.get(t["id"], set()), key=str.lower),
         "memo": t["id"] in memo_on}
        for t in transcripts
    ]
    phase1 = {
        "transcripts": total,
        "read": sum(1 for t in by_transcript if t["read_by"] or t["memo"]),
        "unread": [t["id"] for t in by_transcript if not (t["read_by"] or t["memo"])],
        "by_transcript": by_transcript,
    }
    all_ids = [t["id"] for t in transcripts]
    phase2 = {
        "transcripts": total,
        "coders": [
            {"coder": coder, "coded": len(tids), "of": total, "codings": codings_by_coder[coder],
             "uncoded": [t for t in all_ids if t not in tids]}
            for coder, tids in sorted(coded_by.items(), key=lambda kv: kv[0].lower())
            if coder != CONSENSUS_CODER
        ],
    }
    return codings_by_coder, phase1, phase2


def _codebook_phases(
    entries: list[dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Phases 3-5 from the codebook: unthemed codes, themes without codes or extracts, themes
    without a definition."""
    codes = [e for e in entries if e["kind"] == "code"]
    themes = [e for e in entries if e["kind"] == "theme"]
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        if e["parent_id"]:
            children[e["parent_id"]].append(e)

    def has_codes(theme_id: str) -> bool:
        return any(c["kind"] == "code" or has_codes(c["id"]) for c in children.get(theme_id, []))

    phase3 = {
        "codes": len(codes),
        "themes": len(themes),
        "unthemed": [{"id": c["id"], "name": c["name"], "interviews": c["transcripts"]}
                     for c in codes if not c["parent_id"]],
    }
    phase4 = {
        "themes_without_codes": [{"id": t["id"], "name": t["name"]} for t in themes
                                 if not has_codes(t["id"])],
        "themes_without_extracts": [{"id": t["id"], "name": t["name"]} for t in themes
                                    if has_codes(t["id"]) and t["codings"] == 0],
    }
    phase5 = {
        "themes": len(themes),
        "without_definition": [{"id": t["id"], "name": t["name"]} for t in themes
                               if not (t["definition"] or "").strip()],
    }
    return phase3, phase4, phase5


def _survey_phase(project: Project, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Phase 6: starred quotes per survey theme (through a code, its theme or parent theme)."""
    db = project.db
    survey = load_survey_themes(project)
    source = "file"
    links: dict[str, set[str]] = defaultdict(set)  # code or theme id -> survey ids
    for code_id, sid in db.execute("select code_id, survey_theme_id from survey_links"):
        links[code_id].add(str(sid))
    if not survey:
        source = "links"
        ids = sorted({s for v in links.values() for s in v}, key=survey_sort_key)
        survey = [{"id": s, "title": ""} for s in ids]
    parent_of = {e["id"]: e["parent_id"] for e in entries}
    quotes_per: dict[str, int] = defaultdict(int)
    n_quotes = 0
    for (code_id,) in db.execute(
        "select x.code_id from quotes q join codings x on x.id = q.coding_id"
    ):
        n_quotes += 1
        reached: set[str] = set()
        node = code_id
        while node:
            reached |= links.get(node, set())
            node = parent_of.get(node)
        for sid in reached:
            quotes_per[sid] += 1
    return {
        "survey_themes": len(survey),
        "source": source,
        "quotes": n_quotes,
        "quotes_per_survey_theme": {s["id"]: quotes_per.get(s["id"], 0) for s in survey},
        "without_quotes": [s for s in survey if not quotes_per.get(s["id"])],
    }


def _agreement(project: Project, consensus: int) -> dict[str, Any]:
    """Agreement: consensus codings, or a report with "agreement" in its name in exports/."""
    reports = []
    if project.exports_dir.is_dir():
        reports = sorted(p.name for p in project.exports_dir.iterdir()
                         if p.is_file() and "agreement" in p.name.lower())
    return {"done": bool(consensus or reports), "consensus_codings": consensus,
            "reports": reports}


def _names(items: list[dict[str, Any]], key: str = "name", limit: int = 8) -> str:
    names = [str(i[key]) for i in items]
    more = f", … (+{len(names) - limit})" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def progress_lines(p: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """The dashboard as ``(phase, text, done)`` lines, for the CLI and the terminal screen."""
    p1, p2, p3, p4, p5, p6, ag = (p[k] for k in (
        "phase1", "phase2", "phase3", "phase4", "phase5", "phase6", "agreement"))
    out: list[tuple[str, str, bool]] = []
    n = p1["transcripts"]
    text = f"{p1['read']} of {n} transcripts read (memo or coding)"
    if p1["unread"]:
        text += f"; not yet: {', '.join(p1['unread'][:8])}{' …' if len(p1['unread']) > 8 else ''}"
    out.append(("1 Familiarising", text, n > 0 and not p1["unread"]))
    if not p2["coders"]:
        out.append(("2 Initial codes", "no codings yet", False))
    for c in p2["coders"]:
        out.append(("2 Initial codes", f"{c['coder']}: {c['coded']} of {c['of']} transcripts "
                    f"coded ({c['codings']} codings)", c["coded"] == c["of"] and c["of"] > 0))
    un = p3["unthemed"]
    out.append(("3 Themes", f"{len(un)} of {p3['codes']} codes not in a theme"
                + (f": {_names(un)}" if un else ""), p3["codes"] > 0 and not un))
    empty = p4["themes_without_codes"] + p4["themes_without_extracts"]
    out.append(("4 Review", f"{len(empty)} of {p3['themes']} themes without coded extracts"
                + (f": {_names(empty)}" if empty else ""), p3["themes"] > 0 and not empty))
    nd = p5["without_definition"]
    out.append(("5 Definitions", f"{len(nd)} of {p5['themes']} themes without a definition"
                + (f": {_names(nd)}" if nd else ""), p5["themes"] > 0 and not nd))
    nq = p6["without_quotes"]
    if p6["survey_themes"]:
        text = f"{len(nq)} of {p6['survey_themes']} survey themes without a starred quote"
        text += f": {_names(nq, 'id', 12)}" if nq else ""
    else:
        text = "no survey themes (codebooks/survey_themes.yaml) and no survey links"
    out.append(("6 Report", text, p6["survey_themes"] > 0 and not nq))
    if ag["done"]:
        bits = []
        if ag["consensus_codings"]:
            bits.append(f"{ag['consensus_codings']} consensus codings")
        if ag["reports"]:
            bits.append(f"report {ag['reports'][-1]}")
        text = "done: " + ", ".join(bits)
    else:
        text = "not yet (no consensus codings, no agreement report in exports/)"
    out.append(("Agreement", text, ag["done"]))
    return out
