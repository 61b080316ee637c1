"""A draft report chapter: per survey theme its figures, then "Verdieping op de resultaten".

For each survey theme (in report order): a heading, the questionnaire items and figures
(``53% (n=434 van 821)``), then every codebook theme and code linked to it with its name,
definition, prevalence sentence (``Dit thema komt in meer dan de helft van de interviews voor
(5 van 7 interviews, 5 respondenten).``) and its starred quotes, attributed. A theme without
starred quotes gets its strongest candidates instead (the longest respondent extract of its
codes per respondent), marked ``[niet geselecteerd]``. A chosen quote is printed once, at its
first place in the chapter; later places get a note pointing there.

:func:`preview_chapter` returns the Markdown (for the UI's preview); :func:`write_chapter`
writes Markdown or Word to ``exports/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import export_path, scope_name, write_export
from workbench.project import Project
from workbench.services.prevalence import Prevalence
from workbench.services.reporting.flags import (
    FLAG_MARK,
    FlaggedQuote,
    FlaggedQuotesError,
    FlagIndex,
    Written,
)
from workbench.services.reporting.survey import SurveyTheme

FORMATS = ("md", "docx")
UNSELECTED = "[niet geselecteerd]"
MAX_CANDIDATES = 3
MAX_CANDIDATE_WORDS = 80
VERDIEPING = "Verdieping op de resultaten"


@dataclass
class ChapterQuote:
    text: str
    label: str
    selected: bool
    transcript_id: str
    quote_id: str = ""
    coding_id: str = ""
    flags: list[FlaggedQuote] = field(default_factory=list)
    #: Where the quote is printed in full when it is printed earlier in the chapter
    #: (``4.4 › Angst``); here it is then only a note.
    seen_at: str = ""

    @property
    def formatted(self) -> str:
        from workbench.services.reporting.quotes import format_quote

        return format_quote(self.text, self.label)

    @property
    def note(self) -> str:
        """The line shown instead of a quote printed earlier in the chapter."""
        return f"Het citaat van {self.label} ({self.quote_id}) staat al bij {self.seen_at}."


@dataclass
class ChapterEntry:
    code: dict[str, Any]
    prevalence: Prevalence
    quotes: list[ChapterQuote]
    children: list[ChapterEntry] = field(default_factory=list)

    def walk(self, depth: int = 0) -> Iterator[tuple[ChapterEntry, int]]:
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class ChapterSection:
    theme: SurveyTheme
    entries: list[ChapterEntry]


@dataclass
class Chapter:
    sections: list[ChapterSection]
    coder: str | None
    total_interviews: int
    #: No survey themes file: one section per top-level codebook theme (the chapter says so).
    by_codebook: bool = False

    def hold_back(self) -> list[FlaggedQuote]:
        """Take every quote that shows a word with an open anonymity flag out of the chapter
        (and the notes that point to it); returns their flags."""
        held = self.flagged()
        gone = {f.quote_id for f in held}
        for s in self.sections:
            for e in (x for top in s.entries for x, _ in top.walk()):
                e.quotes = [q for q in e.quotes
                            if not q.flags and not (q.quote_id and q.quote_id in gone)]
        return held

    def flagged(self) -> list[FlaggedQuote]:
        seen, out = set(), []
        for s in self.sections:
            for e in (x for top in s.entries for x, _ in top.walk()):
                for q in e.quotes:
                    for f in q.flags:
                        if (f.quote_id, f.start) not in seen:
                            seen.add((f.quote_id, f.start))
                            out.append(f)
        return out


def _tree(children: dict[str | None, list[str]], cid: str) -> set[str]:
    out, todo = {cid}, [cid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span that cuts a word in two to the whole words inside it."""
    if 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        while start < end and text[start].isalnum():
            start += 1
    if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        while end > start and text[end - 1].isalnum():
            end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _mark_cut(full: str, start: int, end: int, text: str) -> str:
    """Mark with […] a candidate that starts or ends in the middle of a sentence."""
    before = full[:start].rstrip(" \t")
    if before and not before.endswith(("\n", ".", "?", "!", "…", ":")):
        text = "[…] " + text
    after = full[end:].lstrip(" \t")
    if after and not after.startswith("\n") and not text.endswith((".", "?", "!", "…", "[…]")):
        text += " […]"
    return text


def _truncate(text: str, limit: int) -> str:
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]) + " […]"


def build_chapter(
    project: Project,
    survey_theme_ids: list[str] | None = None,
    coder: str | None = None,
    *,
    max_candidates: int = MAX_CANDIDATES,
) -> Chapter:
    """Collect everything a chapter shows (nothing is refused here; see :meth:`Chapter.flagged`)."""
    from workbench.services.reporting import survey

    db = project.db
    by_codebook = not survey.has_themes_file(project)
    stand_in: dict[str, str] = {}  # survey theme id -> codebook theme id (by_codebook)
    if by_codebook:
        pairs = survey.codebook_sections(db)
        themes = [t for t, _cid in pairs]
        stand_in = {t.id: cid for t, cid in pairs}
    else:
        themes = survey.load(project)
    if survey_theme_ids:
        chosen = [survey.find(themes, s) for s in survey_theme_ids]
        order = {t.id: i for i, t in enumerate(themes)}
        themes = sorted({t.id: t for t in chosen}.values(), key=lambda t: order[t.id])
    builder = _ChapterBuilder(project, coder, max_candidates)
    sections = []
    for theme in themes:
        linked = ([builder.codes[stand_in[theme.id]]] if by_codebook
                  else survey.linked_codes(db, theme.id))
        sections.append(ChapterSection(theme, builder.entries(linked)))
    _print_once(sections)
    total = db.execute("select count(*) from transcripts").fetchone()[0]
    return Chapter(sections, coder, total, by_codebook)


class _ChapterBuilder:
    """What every section of one chapter draws on (the codebook, prevalence, the starred
    quotes, the codings, the open flags) and the entries it makes of a section's codes."""

    def __init__(self, project: Project, coder: str | None, max_candidates: int) -> None:
        from workbench.services import prevalence
        from workbench.services.reporting import quotes as quotes_service

        self.quotes_service = quotes_service
        db = self.db = project.db
        self.max_candidates = max_candidates
        self.prev = prevalence.compute(db, coder=coder,
                                       thresholds=prevalence.load_thresholds(project))
        self.codes = {r["id"]: dict(r) for r in db.query("select * from codes")}
        self.children: dict[str | None, list[str]] = {}
        for c in sorted(self.codes.values(), key=lambda c: (c["position"], c["name"])):
            self.children.setdefault(c["parent_id"], []).append(c["id"])
        self.all_quotes = quotes_service.list_quotes(db, coder=coder)
        self.flags = FlagIndex(db)
        self.transcripts: dict[str, dict[str, Any]] = {}
        self.source_cache: dict[tuple[str, str], Any] = {}
        self.resp_cache: dict[str, list[tuple[int, int]] | None] = {}
        self.codings_by_code: dict[str, list[dict[str, Any]]] = {}
        where, args = ("where coder = ?", [coder]) if coder else ("", [])
        for r in db.query(
                f"select id, transcript_id, code_id, coder, start, end from codings {where}", args):
            self.codings_by_code.setdefault(r["code_id"], []).append(dict(r))

    def transcript(self, tid: str) -> dict[str, Any]:
        if tid not in self.transcripts:
            cached = self.source_cache.get(("t", tid))
            self.transcripts[tid] = (cached if cached is not None
                                     else self.db.table("transcripts").get(tid))
        return self.transcripts[tid]

    def starred(self, ids: set[str]) -> list[ChapterQuote]:
        """The starred quotes of codings of these codes, with their open flags."""
        out = []
        for q in self.all_quotes:
            if not set(q["code_ids"]) & ids or q["missing_codings"]:
                continue
            try:
                src = self.quotes_service.source_for(self.db, q["coding_rows"],
                                                     cache=self.source_cache)
                shown = src.shown_spans(q["text"])
            except WorkbenchError as exc:
                raise WorkbenchError(
                    f"quote {q['id']} ({q['transcript_id']}, {q['label']}) no longer matches its "
                    f"transcript: {exc.message}; edit it with 'workbench quote edit'") from None
            out.append(ChapterQuote(q["text"], q["label"], True, q["transcript_id"], q["id"],
                                    q["coding_id"],
                                    self.flags.overlaps(q["id"], src.transcript, shown)))
        return out

    def candidates(self, ids: set[str]) -> list[ChapterQuote]:
        """Without a starred quote: the longest respondent extract per interview, none with an
        open flag, the longest first."""
        best: dict[str, tuple[int, ChapterQuote]] = {}
        for cid in sorted(ids):  # in a fixed order: of two as long, the same one every run
            for c in self.codings_by_code.get(cid, []):
                tid = c["transcript_id"]
                if tid not in self.resp_cache:
                    self.resp_cache[tid] = self.quotes_service.respondent_spans(self.db, tid)
                pieces = self.quotes_service._intersect([(c["start"], c["end"])],
                                                        self.resp_cache[tid])
                if not pieces:
                    continue
                t = self.transcript(tid)
                s, e = _whole_words(t["text"], *max(pieces, key=lambda p: p[1] - p[0]))
                if e <= s:
                    continue
                if self.flags.overlaps("", t, [(s, e)]):
                    continue  # never propose a candidate with open flags
                label = t["label"]
                length = e - s
                if label not in best or length > best[label][0]:
                    text = _mark_cut(t["text"], s, e, _truncate(t["text"][s:e], MAX_CANDIDATE_WORDS))
                    best[label] = (length, ChapterQuote(text, label, False, tid, "", c["id"]))
        ranked = sorted(best.values(), key=lambda x: (-x[0], x[1].label))
        return [q for _, q in ranked[:self.max_candidates]]

    def entry(self, code: dict[str, Any], nested: dict[str, list[dict[str, Any]]]) -> ChapterEntry:
        kids = [self.entry(k, nested) for k in nested.get(code["id"], [])]
        ids = _tree(self.children, code["id"])
        for k in kids:
            ids -= _tree(self.children, k.code["id"])
        chosen_quotes = self.starred(ids) or self.candidates(ids)
        return ChapterEntry(code, self.prev[code["id"]], chosen_quotes, kids)

    def entries(self, linked: list[dict[str, Any]]) -> list[ChapterEntry]:
        """The entries of a section's linked codes; a code linked together with a theme above
        it is shown inside that theme."""
        linked_ids = {c["id"] for c in linked}
        nested: dict[str, list[dict[str, Any]]] = {}
        top = []
        for code in linked:
            node, guard = code["parent_id"], 0
            while node and node not in linked_ids and guard < 10:
                node, guard = self.codes.get(node, {}).get("parent_id"), guard + 1
            if node in linked_ids:
                nested.setdefault(node, []).append(code)
            else:
                top.append(code)
        return [self.entry(c, nested) for c in top]


def _print_once(sections: list[ChapterSection]) -> None:
    """A chosen quote is printed once, at its first place in the chapter (a quote joining
    codings of two codes, or a code under two survey themes, would otherwise repeat); later
    places get a note that points there."""
    seen: dict[str, str] = {}
    for section in sections:
        for e, _depth in (x for top in section.entries for x in top.walk()):
            for i, q in enumerate(e.quotes):
                if not q.selected or not q.quote_id:
                    continue
                if q.quote_id in seen:
                    e.quotes[i] = replace(q, seen_at=seen[q.quote_id], flags=[])
                else:
                    seen[q.quote_id] = f"{section.theme.id} › {e.code['name']}"


# -- rendering -------------------------------------------------------------------------------

BY_CODEBOOK_NOTE = (
    "Er is nog geen bestand met surveythema's (codebooks/survey_themes.yaml): dit concept heeft "
    "één deel per thema uit het codeboek. 'workbench survey init --from-codebook' maakt het "
    "bestand uit deze thema's.")


def _intro(chapter: Chapter) -> str:
    who = f"de codeur {chapter.coder}" if chapter.coder else "alle codeurs samen"
    intro = (f"Concept, gemaakt met workbench. Tellingen over {chapter.total_interviews} interviews, "
             f"codering van {who}. Citaten gemarkeerd met {UNSELECTED} zijn kandidaten, nog niet "
             "gekozen.")
    return intro + (" " + BY_CODEBOOK_NOTE if chapter.by_codebook else "")


def _no_links(theme_id: str) -> str:
    return (f"Nog geen thema's of codes gekoppeld aan dit surveythema "
            f"(workbench survey link THEMA {theme_id}).")


def render_markdown(chapter: Chapter, *, mark_flagged: bool = False) -> str:
    lines = [f"_{_intro(chapter)}_", ""]
    for section in chapter.sections:
        t = section.theme
        lines += [f"# {t.heading}", ""]
        if t.items:
            lines += [f"Vragen in de vragenlijst: {', '.join(t.items)}.", ""]
        if t.figures:
            lines += [f"- {f.statement}: {f.formatted()}" for f in t.figures]
            lines.append("")
        lines += [f"## {VERDIEPING}", ""]
        if not section.entries:
            lines += [f"_{_no_links(t.id)}_", ""]
        for e, depth in (x for top in section.entries for x in top.walk()):
            kind = "thema" if e.code["kind"] == "theme" else "code"
            lines += [f"{'#' * min(3 + depth, 6)} {e.code['name']}", ""]
            if e.code.get("definition"):
                lines += [f"*Definitie ({kind}):* {e.code['definition'].strip()}", ""]
            lines += [e.prevalence.sentence(), ""]
            if not e.quotes and not e.children:
                lines += ["_Geen citaten gevonden._", ""]
            for q in e.quotes:
                if q.seen_at:
                    lines += [f"_{q.note}_", ""]
                    continue
                text = q.formatted + ("" if q.selected else f" {UNSELECTED}")
                if mark_flagged and q.flags:
                    text += f" **{FLAG_MARK}**"
                lines += [f"> {text}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_docx(chapter: Chapter, title: str) -> bytes:
    from workbench.formats.docx_render import new_document, quote_paragraph, save

    doc = new_document(title)
    intro = doc.add_paragraph()
    intro.add_run(_intro(chapter)).italic = True
    for section in chapter.sections:
        t = section.theme
        doc.add_heading(t.heading, level=1)
        if t.items:
            doc.add_paragraph(f"Vragen in de vragenlijst: {', '.join(t.items)}.")
        for f in t.figures:
            doc.add_paragraph(f"{f.statement}: {f.formatted()}", style="List Bullet")
        doc.add_heading(VERDIEPING, level=2)
        if not section.entries:
            doc.add_paragraph().add_run(_no_links(t.id)).italic = True
        for e, depth in (x for top in section.entries for x in top.walk()):
            kind = "thema" if e.code["kind"] == "theme" else "code"
            doc.add_heading(e.code["name"], level=min(3 + depth, 9))
            if e.code.get("definition"):
                p = doc.add_paragraph()
                p.add_run(f"Definitie ({kind}): ").italic = True
                p.add_run(e.code["definition"].strip())
            doc.add_paragraph(e.prevalence.sentence())
            if not e.quotes and not e.children:
                doc.add_paragraph().add_run("Geen citaten gevonden.").italic = True
            for q in e.quotes:
                if q.seen_at:
                    doc.add_paragraph().add_run(q.note).italic = True
                    continue
                quote_paragraph(doc, q.formatted, None if q.selected else UNSELECTED,
                                warning=FLAG_MARK if q.flags else None)
    return save(doc)


# -- entry points for the CLI and the UI ------------------------------------------------------

def preview_chapter(project: Project, survey_theme_ids: list[str] | None = None, coder: str | None = None) -> str:
    """The chapter as Markdown, flagged quotes marked (nothing is refused or written): the
    UI's preview. What leaves the workbench goes through :func:`chapter_markdown`."""
    return render_markdown(build_chapter(project, survey_theme_ids, coder), mark_flagged=True)


def chapter_markdown(project: Project, survey_theme_ids: list[str] | None = None, coder: str | None = None,
                     *, allow_flagged: bool = False,
                     hold_back_flagged: bool = False) -> tuple[str, list[FlaggedQuote]]:
    """The chapter as Markdown for output (``export chapter --stdout``), guarded as a file
    is: refused (:class:`FlaggedQuotesError`) when a quote shows a word with an open
    anonymity flag, unless ``allow_flagged`` (then such quotes carry the mark) or
    ``hold_back_flagged`` (then they are left out; the flags returned are theirs)."""
    chapter = build_chapter(project, survey_theme_ids, coder)
    if hold_back_flagged:
        held = chapter.hold_back()
        return render_markdown(chapter, mark_flagged=True), held
    flagged = chapter.flagged()
    if flagged and not allow_flagged:
        raise FlaggedQuotesError(flagged)
    return render_markdown(chapter, mark_flagged=True), flagged


def chapter_problems(project: Project, survey_theme_ids: list[str] | None = None,
                     coder: str | None = None) -> list[FlaggedQuote]:
    """The quotes that would make :func:`write_chapter` refuse without ``allow_flagged``."""
    return build_chapter(project, survey_theme_ids, coder).flagged()


def write_chapter(
    project: Project,
    survey_theme_ids: list[str] | None = None,
    *,
    coder: str | None = None,
    fmt: str = "md",
    force: bool = False,
    allow_flagged: bool = False,
    when: datetime | None = None,
) -> Path:
    """Write the chapter to ``exports/chapter-<scope>-<time>.<fmt>``; returns the path (see
    :func:`write_chapter_report`)."""
    return write_chapter_report(project, survey_theme_ids, coder=coder, fmt=fmt, force=force,
                                allow_flagged=allow_flagged, when=when).path


def write_chapter_report(
    project: Project,
    survey_theme_ids: list[str] | None = None,
    *,
    coder: str | None = None,
    fmt: str = "md",
    force: bool = False,
    allow_flagged: bool = False,
    hold_back_flagged: bool = False,
    when: datetime | None = None,
) -> Written:
    """Write the chapter to ``exports/chapter-<scope>-<time>.<fmt>``. A quote that shows a
    word with an open anonymity flag is refused (:class:`FlaggedQuotesError`) unless
    ``allow_flagged`` (then it carries a visible mark in every format) or
    ``hold_back_flagged`` (then it is left out and ``Written.held_back`` lists it)."""
    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if allow_flagged and hold_back_flagged:
        raise WorkbenchError("choose one: --allow-flagged (mark them) or --hold-back-flagged "
                             "(leave them out)")
    chapter = build_chapter(project, survey_theme_ids, coder)
    held = chapter.hold_back() if hold_back_flagged else []
    flagged = chapter.flagged()
    if flagged and not allow_flagged:
        raise FlaggedQuotesError(flagged)
    ids = [s.theme.id for s in chapter.sections] if survey_theme_ids else None
    path = export_path(project.exports_dir, "chapter", fmt, scope=scope_name(ids), when=when)
    if fmt == "md":
        data: str | bytes = render_markdown(chapter, mark_flagged=True)
    else:
        title = "Concept hoofdstuk: " + (", ".join(ids) if ids else "alle surveythema's")
        data = render_docx(chapter, title)
    shown = [q for s in chapter.sections for top in s.entries for e, _ in top.walk()
             for q in e.quotes if not q.seen_at]
    return Written(write_export(path, data, force=force), len(shown),
                   sum(1 for q in shown if q.flags), flagged, held_back=held)
