"""Quotes: coded extracts chosen for the report, with a checked display text and attribution.

A quote (table ``quotes``) points at a coding (``coding_id``) and, when it joins fragments of
one answer, at further codings of the same transcript (``extra_codings``, a JSON list). Its
display text may shorten and clarify the respondent's words in the house style; every change is
checked by :mod:`workbench.analysis.verbatim` against the respondent's words in those codings
(the interviewer's turns never count as quotable). A quote is attributed with the transcript's
respondent label: ``“…” (Jongerenwerker C)`` (:func:`format_quote`). Starring, editing and
unstarring go through :func:`workbench.store.changes.record`, so they can be undone.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from workbench.analysis import verbatim
from workbench.clock import now_iso
from workbench.errors import NotFoundError, WorkbenchError
from workbench.store.changes import record

OPEN_QUOTE, CLOSE_QUOTE = "“", "”"
INNER_OPEN, INNER_CLOSE = "‘", "’"
_SURROUNDING = "\"“”„‟«»"


def new_quote_id() -> str:
    return "q-" + secrets.token_hex(4)


# -- formatting ------------------------------------------------------------------------------

def _strip_outer_quotes(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in _SURROUNDING and text[-1] in _SURROUNDING:
        text = text[1:-1].strip()
    return text


# A straight apostrophe at the start of a word that is Dutch elision, not a quote mark:
# 's avonds, 't is, 'n keer, 'k weet, '80.
_ELIDED_START = re.compile(r"(?:[stnkSTNK](?=[\s.,;:!?]|$)|\d\d(?!\d))")


def inner_quotes(text: str) -> str:
    """Turn quote marks inside a quote into Dutch single curly quotes: "x", 'x' and “x” become
    ‘x’. An apostrophe stays one (’): auto’s, z’n, ’s avonds."""
    text = (text.replace("“", INNER_OPEN).replace("„", INNER_OPEN).replace("‟", INNER_OPEN)
            .replace("”", INNER_CLOSE).replace("‚", INNER_OPEN))
    out = []
    for i, ch in enumerate(text):
        if ch not in "\"'":
            out.append(ch)
            continue
        prev = text[i - 1] if i else " "
        opening = prev.isspace() or prev in "([{-–—/‘"
        if ch == "'" and opening and _ELIDED_START.match(text, i + 1):
            opening = False
        out.append(INNER_OPEN if opening else INNER_CLOSE)
    return "".join(out)


def normalise_marks(text: str) -> str:
    """Omission marks in the house style: ``(...)`` becomes ``(…)``, ``[ ... ]`` becomes ``[…]``."""
    return verbatim.ELISION_RE.sub(lambda m: "(…)" if m.group().startswith("(") else "[…]", text)


def display(text: str) -> str:
    """A display text in the house style: one line, no surrounding quote marks, inner quotes
    single and curly, omissions as ``[…]``/``(…)``. Applying it twice changes nothing."""
    return inner_quotes(normalise_marks(" ".join(_strip_outer_quotes(text).split())))


def format_quote(text: str, label: str) -> str:
    """``“Ze worden steeds jonger.” (Jongerenwerker C)``"""
    return f"{OPEN_QUOTE}{display(text)}{CLOSE_QUOTE} ({label.strip() or 'Respondent'})"


# -- the source of a quote -------------------------------------------------------------------

@dataclass
class QuoteSource:
    """The respondent's words a quote may use: a covering span of the transcript and, inside it,
    the parts that belong to the quote's codings and to respondent turns."""

    transcript: dict[str, Any]
    codings: list[dict[str, Any]]
    start: int
    end: int
    allowed: list[tuple[int, int]]  # absolute transcript offsets

    @property
    def text(self) -> str:
        return str(self.transcript["text"][self.start : self.end])

    @property
    def relative_allowed(self) -> list[tuple[int, int]]:
        return [(s - self.start, e - self.start) for s, e in self.allowed]

    def default_text(self) -> str:
        """The respondent's words of the codings. Fragments are joined with ``[…]`` only where
        words are left out between them; adjacent fragments (nothing between them but spaces,
        punctuation or hesitations such as *eh*) join as the transcript has them."""
        full = self.transcript["text"]
        parts: list[str] = []
        prev_end = None
        for s, e in self.allowed:
            piece = " ".join(full[s:e].split())
            if not piece:
                continue
            if prev_end is not None:
                gap = full[prev_end:s]
                left_out = [w for w in verbatim.source_words(gap) if w.text.lower() not in verbatim.FILLERS]
                if left_out:
                    parts.append(" […] ")
                elif verbatim.source_words(gap):
                    parts.append(" ")  # only hesitations between: dropped, as the house style does
                else:
                    parts.append(" ".join(gap.split()) + " " if gap.strip() else " ")
            parts.append(piece)
            prev_end = e
        return "".join(parts)

    def check(self, display_text: str) -> verbatim.Alignment:
        return verbatim.check(self.text, display_text, allowed_spans=self.relative_allowed)

    def shown_spans(self, display_text: str) -> list[tuple[int, int]]:
        """Transcript offsets of the source words the display text shows."""
        alignment = self.check(display_text)
        words = verbatim.source_words(self.text)
        return [(s + self.start, e + self.start) for s, e in alignment.merged_spans(words)]


def respondent_spans(db: sqlite_utils.Database, transcript_id: str) -> list[tuple[int, int]] | None:
    """Spans of the respondent's turns, or None when no turn is marked as the interviewer's."""
    rows = db.execute("select start, end, role from turns where transcript_id = ? order by idx",
                      [transcript_id]).fetchall()
    if not any(r[2] == "interviewer" for r in rows):
        return None
    return [(r[0], r[1]) for r in rows if r[2] != "interviewer"]


def _intersect(spans: Iterable[tuple[int, int]], limits: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if limits is None:
            out.append((s, e))
            continue
        for ls, le in limits:
            a, b = max(s, ls), min(e, le)
            if a < b:
                out.append((a, b))
    out.sort()
    merged: list[tuple[int, int]] = []
    for s, e in out:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _get_codings(db: sqlite_utils.Database, ids: Sequence[str]) -> list[dict[str, Any]]:
    from workbench.services.refs import get_coding

    return [get_coding(db, cid) for cid in ids]


def source_for(db: sqlite_utils.Database, coding_rows: Sequence[dict[str, Any]], *, cache: dict[tuple[str, str], Any] | None = None) -> QuoteSource:
    """The quotable source of one or more codings (all of one transcript).

    ``cache`` (any dict, reused across calls) keeps transcripts and their respondent turns
    when many quotes are checked at once."""
    if not coding_rows:
        raise WorkbenchError("a quote needs a coding")
    tids = {c["transcript_id"] for c in coding_rows}
    if len(tids) > 1:
        raise WorkbenchError(
            "the codings of one quote must come from one transcript (got "
            + ", ".join(sorted(tids)) + "); fragments of one answer only")
    tid = tids.pop()
    cache = {} if cache is None else cache
    if ("t", tid) not in cache:
        cache[("t", tid)] = db.table("transcripts").get(tid)
        cache[("r", tid)] = respondent_spans(db, tid)
    t = cache[("t", tid)]
    spans = [(c["start"], c["end"]) for c in coding_rows]
    allowed = _intersect(spans, cache[("r", tid)])
    if not allowed:
        raise WorkbenchError(
            f"coding {coding_rows[0]['id']} holds only the interviewer's words; quotes are the "
            "respondent's words")
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return QuoteSource(t, [*coding_rows], start, end, allowed)


def coding_ids_of(quote: dict[str, Any]) -> list[str]:
    extra = quote.get("extra_codings") or "[]"
    extra_ids = json.loads(extra) if isinstance(extra, str) else [*extra]
    return [quote["coding_id"], *extra_ids]


def source_of(db: sqlite_utils.Database, quote: dict[str, Any], *, cache: dict[tuple[str, str], Any] | None = None,
              codings: dict[str, dict[str, Any]] | None = None) -> QuoteSource:
    """The source of a quote row; ``codings`` (by id) saves looking them up one by one."""
    ids = coding_ids_of(quote)
    if codings is not None and all(i in codings for i in ids):
        rows = [codings[i] for i in ids]
    else:
        rows = _get_codings(db, ids)
    return source_for(db, rows, cache=cache)


def _following_words(display_text: str, index: int, limit: int = 4) -> list[str]:
    """The quote's word number ``index`` and the words right after it, up to a mark."""
    out: list[str] = []
    n = -1
    for tok in verbatim.tokenize_display(display_text):
        if tok.kind == "word":
            n += 1
        if n < index:
            continue
        if tok.kind != "word" or tok.pattern is not None or len(out) == limit:
            break
        out.append(tok.text)
    return out


def _outside_extract(db: sqlite_utils.Database, source: QuoteSource, phrase: list[str]) -> str | None:
    """Why the words ``phrase`` are not quotable when they stand in the transcript after all:
    outside the coded extract (with the coding that holds them, if any), or only in the
    interviewer's turns."""
    full = source.transcript["text"]
    tid = source.transcript["id"]
    resp = respondent_spans(db, tid)
    words = verbatim.source_words(full)
    size = len(phrase)
    hits = [words[i] for i in range(len(words) - size + 1)
            if [w.text for w in words[i:i + size]] == phrase
            and not any(s <= words[i].start and words[i].end <= e for s, e in source.allowed)]
    if not hits:
        return None
    respondent_hits = [w for w in hits if resp is None or any(s <= w.start and w.end <= e for s, e in resp)]
    if not respondent_hits:
        return "is the interviewer's, not the respondent's: the interviewer's turns are never quoted"
    own = {c["id"] for c in source.codings}
    holder = None
    for w in respondent_hits:
        holder = db.execute(
            "select x.id, c.name from codings x join codes c on c.id = x.code_id where x.transcript_id = ? "
            "and x.start <= ? and x.end >= ? order by x.coder = ? desc, x.end - x.start limit 1",
            [tid, w.start, w.end, source.codings[0]["coder"]]).fetchone()
        if holder is not None and holder[0] not in own:
            break
        holder = None
    hint = (f"join coding {holder[0]} ('{holder[1]}') that holds it with --extend {holder[0]}" if holder
            else "code a wider span, or join another coding of this answer with --extend CODING2")
    shown = " ".join(phrase)
    where = f"'{shown}' stands" if size > 1 else "it stands"
    return (f"is not in the coded passage: {where} in the respondent's words, but outside the "
            f"coded extract; {hint}")


def _checked(source: QuoteSource, text: str, db: sqlite_utils.Database | None = None) -> str:
    """The display text in the house style, after the verbatim check against ``source``."""
    text = display(text)
    if not text:
        raise WorkbenchError("the quote text is empty")
    try:
        source.check(text)
    except verbatim.VerbatimError as exc:
        message = exc.message
        if exc.kind in ("absent", "spelling", "order") and db is not None:
            # Words the coding does not hold: a capital that reads as a changed spelling is often
            # the start of a sentence outside the coding. Look for the words that follow it too.
            phrase = _following_words(text, exc.index) or [exc.word]
            why = None
            if exc.kind == "absent" or len(phrase) > 1:
                why = _outside_extract(db, source, phrase)
            if why is None and exc.kind == "absent" and len(phrase) > 1:
                why = _outside_extract(db, source, phrase[:1])
            if why:
                message = (f"the word '{exc.word}' (word {exc.index + 1} of the quote) {why}; words "
                           "of your own go in [square brackets]")
        label = source.transcript["label"]
        raise verbatim.VerbatimError(
            f"not verbatim ({source.transcript['id']}, {label}): {message}",
            word=exc.word, index=exc.index, kind=exc.kind,
        ) from None
    return text


# -- changing quotes -------------------------------------------------------------------------

def star(
    db: sqlite_utils.Database,
    coder: str,
    coding_id: str,
    text: str | None = None,
    *,
    extend: Sequence[str] = (),
) -> dict[str, Any]:
    """Choose a coding (joined with the codings in ``extend``) as a quote; returns the quote row.

    Without ``text`` the display text is the respondent's words of the codings (fragments
    joined with ``[…]`` where words are left out between them, see
    :meth:`QuoteSource.default_text`). The text is stored in the house style (:func:`display`).
    The same quote starred twice returns the existing row.
    """
    codings = _get_codings(db, [coding_id, *extend])
    ids = [c["id"] for c in codings]
    if len(set(ids)) != len(ids):
        raise WorkbenchError("the same coding is given twice")
    codings = [codings[0], *sorted(codings[1:], key=lambda c: (c["start"], c["end"]))]
    source = source_for(db, codings)
    body = _checked(source, text, db) if text is not None else display(source.default_text())
    extra = json.dumps([c["id"] for c in codings[1:]])
    same = db.execute(
        "select id from quotes where coding_id = ? and extra_codings = ? and text = ?",
        [codings[0]["id"], extra, body],
    ).fetchone()
    if same:
        return db.table("quotes").get(same[0])
    position = db.execute("select coalesce(max(position), -1) + 1 from quotes").fetchone()[0]
    row = {
        "id": new_quote_id(),
        "coding_id": codings[0]["id"],
        "extra_codings": extra,
        "text": body,
        "position": position,
        "created_by": coder,
        "created_at": now_iso(),
    }
    short = body if len(body) <= 40 else body[:37] + "…"
    with record(db, coder, "quote.star", f"star quote {row['id']} ({source.transcript['label']}) “{short}”") as cs:
        return cs.insert("quotes", row)


def open_flags(db: sqlite_utils.Database, quote: dict[str, Any]) -> list[dict[str, Any]]:
    """The open anonymity flags on words the quote shows (start, end, category, text): what
    would make an export refuse it. Words left out with […] do not count."""
    extra = json.loads(quote.get("extra_codings") or "[]")
    codings = _get_codings(db, [quote["coding_id"], *extra])
    source = source_for(db, codings)
    spans = source.shown_spans(quote["text"])
    rows = db.query(
        "select start, [end], category, text from audit_flags where transcript_id = ? and "
        "coalesce(decision, 'open') = 'open' order by start", [source.transcript["id"]])
    return [dict(r) for r in rows if any(s < r["end"] and r["start"] < e for s, e in spans)]


def describe_open_flags(flags: Sequence[dict[str, Any]]) -> str:
    """``'Kanaleneiland' (place), 'Ilias' (person)``."""
    return ", ".join(f"'{f['text']}' ({f['category'] or 'flag'})" for f in flags)


def get_quote(db: sqlite_utils.Database, quote_id: str) -> dict[str, Any]:
    row = db.execute("select id from quotes where id = ?", [quote_id]).fetchone()
    if row is None and len(quote_id) >= 4:
        rows = db.execute("select id from quotes where id like ?", [quote_id + "%"]).fetchall()
        if len(rows) > 1:
            raise WorkbenchError(f"quote id '{quote_id}' is ambiguous; give more characters")
        row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(f"no quote '{quote_id}' (see 'workbench quote list')")
    return db.table("quotes").get(row[0])


def _find(db: sqlite_utils.Database, ref: str) -> list[dict[str, Any]]:
    """Quotes by quote id, or every quote of a coding id."""
    ref = ref.strip()
    try:
        return [get_quote(db, ref)]
    except NotFoundError:
        pass
    from workbench.services.refs import get_coding

    try:
        coding = get_coding(db, ref)
    except NotFoundError:
        raise NotFoundError(f"no quote or coding '{ref}' (see 'workbench quote list')") from None
    rows = [dict(r) for r in db.query("select * from quotes order by position")
            if coding["id"] in coding_ids_of(r)]
    if not rows:
        raise NotFoundError(f"coding {coding['id']} has no quote")
    return rows


def unstar(db: sqlite_utils.Database, coder: str, quote_id_or_coding_id: str) -> list[dict[str, Any]]:
    """Remove a quote (by quote id), or every quote of a coding (by coding id)."""
    rows = _find(db, quote_id_or_coding_id)
    with record(db, coder, "quote.unstar", "unstar " + ", ".join(_describe(r) for r in rows)) as cs:
        return [cs.delete("quotes", r["id"]) for r in rows]


def _describe(quote: dict[str, Any]) -> str:
    """A quote in words for history, undo and redo: ``quote “Ze worden steeds jonger…”``."""
    from workbench.services.coding.passages import shorten

    return f"quote “{shorten(' '.join((quote.get('text') or '').split()))}”"


def edit(db: sqlite_utils.Database, coder: str, quote_id: str, text: str) -> dict[str, Any]:
    """Change a quote's display text; refused when it changes the respondent's words."""
    quote = get_quote(db, quote_id)
    body = _checked(source_of(db, quote), text, db)
    if body == quote["text"]:
        return quote
    with record(db, coder, "quote.edit", f"edit {_describe(quote)}") as cs:
        return cs.update("quotes", quote["id"], {"text": body})


def move(db: sqlite_utils.Database, coder: str, quote_id: str, position: int) -> dict[str, Any]:
    """Set a quote's position (quotes are printed in position order within a theme)."""
    quote = get_quote(db, quote_id)
    with record(db, coder, "quote.move", f"move {_describe(quote)} to {position}") as cs:
        return cs.update("quotes", quote["id"], {"position": int(position)})


# -- reading ---------------------------------------------------------------------------------

def _theme_tree(db: sqlite_utils.Database, code_id: str) -> set[str]:
    from workbench.services.codebook.codes import subtree_ids

    return set(subtree_ids(db, code_id))


def list_quotes(
    db: sqlite_utils.Database,
    *,
    theme: str | None = None,
    code: str | None = None,
    survey_theme: str | None = None,
    coder: str | None = None,
    transcript: str | None = None,
) -> list[dict[str, Any]]:
    """Quotes with everything an export needs, in position order.

    Each row: id, coding_id, coding_ids, transcript_id, label, role, municipality, domain,
    code_id, code, codes, theme (path of theme names), survey_themes, start, end, spans, text
    (display), quote (formatted with its label), coder (of the coding), created_by, position.
    ``theme``/``code`` filter on the codebook (a theme includes its sub-themes and codes),
    ``survey_theme`` on survey links, ``coder`` on whose coding it is.
    """
    from workbench.services.reporting import survey as survey_service

    by_code = survey_service.survey_ids_by_code(db)
    wanted = _wanted_codes(db, theme, code, survey_theme, by_code)
    tid = None
    if transcript:
        from workbench.services.transcripts.library import resolve_transcript

        tid = resolve_transcript(db, transcript)["id"]
    codes = {r["id"]: dict(r) for r in db.query("select id, name, kind, parent_id from codes")}
    quotes = [dict(r) for r in db.query("select * from quotes order by position, created_at, id")]
    codings = _codings_with_transcripts(db, {cid for q in quotes for cid in coding_ids_of(q)})
    out: list[dict[str, Any]] = []
    for q in quotes:
        cids = coding_ids_of(q)
        rows = [codings[c] for c in cids if c in codings]
        if not rows:
            continue
        first = rows[0]
        code_ids = list(dict.fromkeys(r["code_id"] for r in rows))
        if wanted is not None and not (set(code_ids) & wanted):
            continue
        if coder and first["coder"] != coder:
            continue
        if tid and first["transcript_id"] != tid:
            continue
        sids = list(dict.fromkeys(s for c in code_ids for s in by_code.get(c, [])))
        out.append(_quote_row(q, cids, rows, code_ids, sids, codes,
                              [c for c in cids if c not in codings]))
    return out


def _wanted_codes(db: sqlite_utils.Database, theme: str | None, code: str | None,
                  survey_theme: str | None, by_code: dict[str, list[str]]) -> set[str] | None:
    """The codes a quote must have one of (a theme with its sub-themes and codes, a code with
    its children, the codes linked to a survey theme; all that apply), or None: any."""
    from workbench.services.codebook import codes as codebook

    wanted: set[str] | None = None
    if theme:
        wanted = _theme_tree(db, codebook.resolve(db, theme)["id"])
    if code:
        ids = _theme_tree(db, codebook.resolve(db, code)["id"])
        wanted = ids if wanted is None else wanted & ids
    if survey_theme:
        ids = {cid for cid, sids in by_code.items() if survey_theme in sids}
        wanted = ids if wanted is None else wanted & ids
    return wanted


def _codings_with_transcripts(db: sqlite_utils.Database,
                              needed: set[str]) -> dict[str, dict[str, Any]]:
    """The codings with these ids, each with its transcript's label, role, municipality,
    domain and date. The transcripts' metadata is read once (not joined per coding: the
    columns after the long text are slow to reach row by row), the codings in chunks."""
    codings: dict[str, dict[str, Any]] = {}
    if not needed:
        return codings
    meta = {r["id"]: r for r in db.query(
        "select id, label, role, municipality, domain, date from transcripts")}
    ids_needed = sorted(needed)
    for i in range(0, len(ids_needed), 500):
        chunk = ids_needed[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in db.query(f"select * from codings where id in ({marks})", chunk):
            t = meta.get(r["transcript_id"], {})
            codings[r["id"]] = {**r, **{k: t.get(k, "") for k in (
                "label", "role", "municipality", "domain", "date")}}
    return codings


def _theme_path(codes: dict[str, dict[str, Any]], code_id: str) -> str:
    """The names of a code's themes, outermost first: "Signalen / Online"."""
    names, node, guard = [], codes.get(code_id, {}).get("parent_id"), 0
    while node and node in codes and guard < 10:
        names.append(codes[node]["name"])
        node, guard = codes[node]["parent_id"], guard + 1
    return " / ".join(reversed(names))


def _quote_row(q: dict[str, Any], cids: list[str], rows: list[dict[str, Any]],
               code_ids: list[str], sids: list[str], codes: dict[str, dict[str, Any]],
               missing: list[str]) -> dict[str, Any]:
    """One quote as :func:`list_quotes` returns it; ``rows`` are its codings (the first
    names the transcript, coder and code)."""
    first = rows[0]
    spans = sorted((r["start"], r["end"]) for r in rows)
    return {
        "id": q["id"],
        "coding_id": q["coding_id"],
        "coding_ids": cids,
        "transcript_id": first["transcript_id"],
        "label": first["label"],
        "role": first["role"],
        "municipality": first["municipality"],
        "domain": first["domain"],
        "code_id": first["code_id"],
        "code": codes.get(first["code_id"], {}).get("name", ""),
        "codes": [codes.get(c, {}).get("name", c) for c in code_ids],
        "code_ids": code_ids,
        "theme": _theme_path(codes, first["code_id"]),
        "survey_themes": sids,
        "start": spans[0][0],
        "end": max(e for _, e in spans),
        "spans": [[s, e] for s, e in spans],
        "text": display(q["text"]),
        "quote": format_quote(q["text"], first["label"]),
        "coder": first["coder"],
        "created_by": q["created_by"],
        "created_at": q["created_at"],
        "position": q["position"],
        "missing_codings": missing,
        "coding_rows": rows,
    }


# -- theme review -------------------------------------------------------------------------------

def coverage(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Codings, interviews and respondents covered by a list of coding rows."""
    rows = list(rows)
    return {
        "codings": len(rows),
        "interviews": len({r["transcript_id"] for r in rows}),
        "respondents": len({r["label"] for r in rows}),
    }


def starred_coding_ids(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("select coding_id from quotes").fetchall()}
