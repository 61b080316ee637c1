"""Export the chosen quotes as Markdown, Word, CSV or JSON: one block or row per quote.

Each quote carries its transcript id, respondent label, role, municipality, domain, theme, codes,
survey themes, offsets, display text, the attributed quote and the coder. Before anything is
written every quote is checked again against its transcript (a re-imported transcript may have
changed) and against open anonymity flags.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.files import export_path, scope_name, write_export
from workbench.project import Project
from workbench.services.reporting.flags import (
    FLAG_MARK,
    FlaggedQuote,
    FlaggedQuotesError,
    FlagIndex,
    Written,
    describe_flags,
    flag_records,
)
from workbench.textsafety import spreadsheet_cell, xml_safe

FORMATS = ("md", "docx", "csv", "json")
COLUMNS = (
    "quote_id", "transcript_id", "label", "role", "municipality", "domain", "theme", "codes",
    "survey_themes", "start", "end", "spans", "text", "quote", "coder", "created_by", "position",
    "open_flags",
)
"""``open_flags``: the words of the quote with an open anonymity flag (exported only with
``allow_flagged``), empty for a clear quote."""


def export_rows(
    db: sqlite_utils.Database,
    *,
    theme: str | None = None,
    survey_theme: str | None = None,
    coder: str | None = None,
    allow_flagged: bool = False,
    hold_back: bool = False,
) -> tuple[list[dict[str, Any]], list[FlaggedQuote]]:
    """The quotes to export (checked) and the flagged ones among them (with ``hold_back``:
    the flagged quotes are left out of the rows and returned as the flagged ones).

    Raises a WorkbenchError listing quotes that no longer match their transcript, and
    :class:`FlaggedQuotesError` for flagged quotes unless ``allow_flagged``.
    """
    from workbench.analysis.verbatim import VerbatimError
    from workbench.services.reporting import quotes as quotes_service

    rows = quotes_service.list_quotes(db, theme=theme, survey_theme=survey_theme, coder=coder)
    flags = FlagIndex(db)
    stale: list[str] = []
    flagged: list[FlaggedQuote] = []
    out = []
    cache: dict[tuple[str, str], Any] = {}
    for q in rows:
        if q["missing_codings"]:
            stale.append(f"{q['id']}: its coding(s) {', '.join(q['missing_codings'])} no longer exist")
            continue
        try:
            source = quotes_service.source_for(db, q["coding_rows"], cache=cache)
            shown = source.shown_spans(q["text"])
        except (VerbatimError, WorkbenchError) as exc:
            stale.append(f"{q['id']} ({q['transcript_id']}, {q['label']}): {exc.message}")
            continue
        hits = flags.overlaps(q["id"], source.transcript, shown)
        flagged.extend(hits)
        if hits and hold_back:
            continue
        out.append({
            "quote_id": q["id"],
            **{k: q[k] for k in COLUMNS if k in q and k != "quote_id"},
            "shown_spans": [list(s) for s in shown],
            "flags": hits,
        })
    if stale:
        raise WorkbenchError(
            f"{len(stale)} quote(s) no longer match their transcript; edit them "
            "('workbench quote edit ID --text …') or remove them:\n" + "\n".join(f"  - {s}" for s in stale))
    if flagged and not (allow_flagged or hold_back):
        raise FlaggedQuotesError(flagged)
    return out, flagged


def _flag_cell(r: dict[str, Any]) -> str:
    return describe_flags(r.get("flags") or [])


def _cell(value: object) -> str | int:
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return "; ".join(f"{a}:{b}" for a, b in value)
        return "; ".join(str(v) for v in value)
    return value if isinstance(value, int) else str(value if value is not None else "")


def render_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        cells = {c: _flag_cell(r) if c == "open_flags" else _cell(r.get(c)) for c in COLUMNS}
        writer.writerow([spreadsheet_cell(cells[c]) for c in COLUMNS])
    return buf.getvalue()


def render_json(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    data = {**meta, "quotes": [
        {**{c: r.get(c) for c in (*COLUMNS, "shown_spans") if c != "open_flags"},
         "open_flags": flag_records(r.get("flags") or [])}
        for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _details(r: dict[str, Any]) -> list[tuple[str, str]]:
    where = ", ".join(x for x in (r["role"], r["municipality"], r["domain"]) if x)
    flagged = [("Open anonimiteitsmeldingen", _flag_cell(r))] if r.get("flags") else []
    return flagged + [
        ("Transcript", f"{r['transcript_id']} ({where})" if where else r["transcript_id"]),
        ("Thema", r["theme"] or "–"),
        ("Codes", ", ".join(r["codes"])),
        ("Surveythema's", ", ".join(r["survey_themes"]) or "–"),
        ("Posities", "; ".join(f"{a}–{b}" for a, b in r["spans"])),
        ("Codeur", r["coder"]),
        ("Citaat", r["quote_id"]),
    ]


def render_md(rows: list[dict[str, Any]], title: str) -> str:
    lines = [f"# {title}", "", f"{len(rows)} citaten.", ""]
    for r in rows:
        mark = f" **{FLAG_MARK}**" if r.get("flags") else ""
        lines += [f"## {r['label']} · {r['transcript_id']} · {r['quote_id']}", "",
                  f"> {r['quote']}{mark}", ""]
        lines += [f"- {k}: {v}" for k, v in _details(r)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_docx(rows: list[dict[str, Any]], title: str) -> bytes:
    from workbench.formats.docx_render import new_document, quote_paragraph, save

    doc = new_document(title)
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"{len(rows)} citaten.")
    for r in rows:
        doc.add_heading(f"{r['label']} · {r['transcript_id']} · {r['quote_id']}", level=2)
        quote_paragraph(doc, r["quote"], warning=FLAG_MARK if r.get("flags") else None)
        for k, v in _details(r):
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{k}: ").bold = True
            p.add_run(xml_safe(str(v)))
    return save(doc)


def write_quotes(
    project: Project,
    *,
    theme: str | None = None,
    survey_theme: str | None = None,
    coder: str | None = None,
    fmt: str = "md",
    force: bool = False,
    allow_flagged: bool = False,
    when: datetime | None = None,
) -> Path:
    """Write the quotes (filtered) to ``exports/``; returns the path written (see
    :func:`write_quotes_report`)."""
    return write_quotes_report(project, theme=theme, survey_theme=survey_theme, coder=coder,
                               fmt=fmt, force=force, allow_flagged=allow_flagged, when=when).path


def write_quotes_report(
    project: Project,
    *,
    theme: str | None = None,
    survey_theme: str | None = None,
    coder: str | None = None,
    fmt: str = "md",
    force: bool = False,
    allow_flagged: bool = False,
    hold_back_flagged: bool = False,
    when: datetime | None = None,
) -> Written:
    """Write the quotes (filtered) to ``exports/``. Quotes that show a word with an open
    anonymity flag are refused (:class:`FlaggedQuotesError`, listing them) unless
    ``allow_flagged`` (then each carries a visible mark in every format) or
    ``hold_back_flagged`` (then the others are written and ``Written.held_back`` lists them)."""
    if allow_flagged and hold_back_flagged:
        raise WorkbenchError("choose one: --allow-flagged (mark them) or --hold-back-flagged "
                             "(leave them out)")
    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    db = project.db
    if survey_theme:
        from workbench.services.reporting import survey

        survey_theme = survey.find(survey.load(project), survey_theme).id
    rows, flagged = export_rows(db, theme=theme, survey_theme=survey_theme, coder=coder,
                                allow_flagged=allow_flagged, hold_back=hold_back_flagged)
    scope = [s for s in (survey_theme, theme, coder) if s] or None
    path = export_path(project.exports_dir, "quotes", fmt, scope=scope_name(scope), when=when)
    bits = [f"surveythema {survey_theme}" if survey_theme else "", f"thema {theme}" if theme else "",
            f"codeur {coder}" if coder else ""]
    title = "Citaten" + (" – " + ", ".join(b for b in bits if b) if any(bits) else "")
    if fmt == "csv":
        data: str | bytes = render_csv(rows)
    elif fmt == "json":
        data = render_json(rows, {"title": title, "filters": {"theme": theme, "survey_theme": survey_theme, "coder": coder}})
    elif fmt == "md":
        data = render_md(rows, title)
    else:
        data = render_docx(rows, title)
    if hold_back_flagged:
        return Written(write_export(path, data, force=force), len(rows), 0, [], held_back=flagged)
    return Written(write_export(path, data, force=force), len(rows),
                   sum(1 for r in rows if r["flags"]), flagged)
