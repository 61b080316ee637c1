"""Coding: applying a code to a span of a transcript as a coder, and removing it.

A coding is ``(transcript, code, coder, start, end)`` with ``[start, end)`` Python string
indices into the transcript's canonical text. Spans can be given directly, or as a sentence or
turn number, or by quoting the passage (found exactly first, then fuzzily: :func:`span_for_quote`).
A coding can carry a memo (``codings.memo``). One coder's codings never touch another coder's:
removing or changing a coding is refused to anyone but its coder.
"""

from __future__ import annotations

import re
import secrets
from typing import NamedTuple

import sqlite_utils

from workbench.clock import now_iso
from workbench.db.changes import record
from workbench.errors import NotFoundError, WorkbenchError
from workbench.services import codebook
from workbench.services.transcripts import resolve_transcript


def new_coding_id() -> str:
    return secrets.token_hex(8)


def check_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Validate a span and trim surrounding whitespace; raise a clear error if it is bad."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise WorkbenchError("a span is two whole numbers START:END")
    if start < 0 or end > len(text):
        raise WorkbenchError(f"span {start}:{end} lies outside the text (0:{len(text)})")
    if start >= end:
        raise WorkbenchError(f"span {start}:{end} is empty (START must be below END)")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise WorkbenchError("the span holds only whitespace")
    return start, end


def interviewer_turns(db: sqlite_utils.Database, tid: str, start: int, end: int) -> list[int]:
    """The numbers of the interviewer turns that ``[start, end)`` overlaps (empty when the span
    lies in the respondent's words only). Interviewer text is not quoted in a report and is not
    counted in agreement by default, so the CLI and the TUI warn when it is coded."""
    return [r[0] for r in db.execute(
        "select idx from turns where transcript_id = ? and role = 'interviewer' and start < ? "
        "and [end] > ? order by idx", [tid, end, start]).fetchall()]


def sentence_span(db: sqlite_utils.Database, tid: str, n: int) -> tuple[int, int]:
    row = db.execute("select start, end from sentences where transcript_id = ? and idx = ?", [tid, n]).fetchone()
    if row is None:
        count = db.execute("select count(*) from sentences where transcript_id = ?", [tid]).fetchone()[0]
        raise NotFoundError(f"{tid} has no sentence {n} (sentences are numbered 0–{count - 1})")
    return row[0], row[1]


def turn_span(db: sqlite_utils.Database, tid: str, n: int) -> tuple[int, int]:
    row = db.execute("select start, end from turns where transcript_id = ? and idx = ?", [tid, n]).fetchone()
    if row is None:
        count = db.execute("select count(*) from turns where transcript_id = ?", [tid]).fetchone()[0]
        raise NotFoundError(f"{tid} has no turn {n} (turns are numbered 0–{count - 1})")
    return row[0], row[1]


def apply_code(
    db: sqlite_utils.Database,
    coder: str,
    transcript: str,
    code: str,
    start: int,
    end: int,
    *,
    memo: str = "",
) -> dict:
    """Apply ``code`` (id or name) to ``[start, end)`` of ``transcript`` as ``coder``.

    Applying the same code to the same span twice by one coder returns the existing coding.
    """
    t = resolve_transcript(db, transcript)
    c = codebook.resolve(db, code)
    if c["kind"] != "code":
        raise WorkbenchError(f"'{c['name']}' is a theme; codings use codes")
    start, end = check_span(t["text"], start, end)
    memo = codebook.check_text(memo or "", "memo").strip()
    same = list(db.query(
        "select * from codings where transcript_id = ? and code_id = ? and coder = ? and start = ? and end = ?",
        [t["id"], c["id"], coder, start, end],
    ))
    if same:
        return same[0]
    row = {
        "id": new_coding_id(),
        "transcript_id": t["id"],
        "code_id": c["id"],
        "coder": coder,
        "start": start,
        "end": end,
        "memo": memo,
        "flag": None,
        "created_at": now_iso(),
    }
    excerpt = t["text"][start:end]
    short = excerpt if len(excerpt) <= 40 else excerpt[:37] + "…"
    with record(db, coder, "coding.apply", f"code '{c['name']}' on {t['id']} [{start}:{end}] “{short}”") as cs:
        return cs.insert("codings", row)


def get_coding(db: sqlite_utils.Database, coding_id: str) -> dict:
    rows = list(db.query("select * from codings where id = ?", [coding_id]))
    if not rows:
        prefix = coding_id.strip()
        rows = list(db.query(  # a prefix, compared as text (no LIKE: '_' and '%' are no wildcards)
            "select * from codings where substr(id, 1, ?) = ?", [len(prefix), prefix]
        )) if len(prefix) >= 4 else []
        if len(rows) > 1:
            raise WorkbenchError(f"coding id '{coding_id}' is ambiguous; give more characters")
    if not rows:
        raise NotFoundError(f"no coding '{coding_id}' (see 'workbench codings')")
    return rows[0]


def remove_coding(db: sqlite_utils.Database, coder: str, coding_id: str) -> dict:
    """Remove one of ``coder``'s codings (another coder's codings are refused)."""
    row = get_coding(db, coding_id)
    if row["coder"] != coder:
        raise WorkbenchError(
            f"coding {row['id']} belongs to coder '{row['coder']}'; you are '{coder}' and cannot "
            "remove another coder's codings"
        )
    with record(db, coder, "coding.remove", f"remove coding {row['id']}") as cs:
        for q in db.query("select id from quotes where coding_id = ?", [row["id"]]):
            cs.delete("quotes", q["id"])
        return cs.delete("codings", row["id"])


def list_codings(
    db: sqlite_utils.Database,
    *,
    coder: str | None = None,
    code: str | None = None,
    theme: str | None = None,
    transcript: str | None = None,
) -> list[dict]:
    """Codings with their text, code, theme, respondent label, coder and time."""
    where, args = [], []
    if coder:
        where.append("x.coder = ?")
        args.append(coder)
    if code:
        where.append("x.code_id = ?")
        args.append(codebook.resolve(db, code, "code")["id"])
    if theme:
        th = codebook.resolve(db, theme, "theme")
        where.append(
            "x.code_id in (with recursive tree(id) as (select ? union all select c.id from codes c "
            "join tree on c.parent_id = tree.id) select id from tree)"
        )
        args.append(th["id"])
    if transcript:
        where.append("x.transcript_id = ?")
        args.append(resolve_transcript(db, transcript)["id"])
    sql = (
        "select x.id, x.transcript_id, t.label, x.code_id, c.name as code, "
        "p.name as theme, x.coder, x.start, x.end, substr(t.text, x.start + 1, x.end - x.start) "
        "as text, x.memo, x.flag, x.created_at from codings x join transcripts t on "
        "t.id = x.transcript_id join codes c on c.id = x.code_id left join codes p on "
        "p.id = c.parent_id"
    )
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by t.date, x.transcript_id, x.start, x.end, c.name"
    return list(db.query(sql, args))


def set_memo(db: sqlite_utils.Database, coder: str, coding_id: str, memo: str) -> dict:
    """Set (or clear, with "") the memo of one of ``coder``'s codings."""
    row = get_coding(db, coding_id)
    if row["coder"] != coder:
        raise WorkbenchError(
            f"coding {row['id']} belongs to coder '{row['coder']}'; you are '{coder}' and cannot "
            "change another coder's codings"
        )
    memo = codebook.check_text(memo or "", "memo").strip()
    if memo == (row["memo"] or ""):
        return row
    with record(db, coder, "coding.memo", f"memo on coding {row['id']}") as cs:
        return cs.update("codings", row["id"], {"memo": memo})


# -- finding a quoted passage ---------------------------------------------------------------

QUOTE_MIN_SCORE = 90.0
QUOTE_AMBIGUITY_MARGIN = 3.0
_FOLD = {
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "`": "'",
    "–": "-", "—": "-", "‐": "-", "…": "...", "\u00a0": " ",
}


def _fold(text: str) -> tuple[str, list[int]]:
    """Text with quote marks, dashes and whitespace evened out and lower-cased, and for each of
    its characters the index of the character in ``text`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                origin.append(i)
            prev_space = True
            continue
        prev_space = False
        for piece in _FOLD.get(ch, ch).lower():
            out.append(piece)
            origin.append(i)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def _strip_outer_quotes(quote: str) -> str:
    q = quote.strip()
    pairs = {'"': '"', "“": "”", "„": "”", "'": "'", "‘": "’"}
    if len(q) >= 2 and q[0] in pairs and q[-1] == pairs[q[0]]:
        q = q[1:-1].strip()
    return q


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a fuzzy match that starts or ends inside a word to the whole word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _where(text: str, start: int) -> str:
    line = text.count("\n", 0, start) + 1
    return f"offset {start} (line {line})"


class QuoteMatch(NamedTuple):
    """Where a quoted passage was found: the span, how (``"exact"``, ``"normalised"``: ignoring
    case, spacing, quote marks and dashes, or ``"fuzzy"``) and the similarity (100 unless
    fuzzy)."""

    start: int
    end: int
    how: str
    score: float


def span_for_quote(db: sqlite_utils.Database, transcript_id: str, quote: str) -> tuple[int, int]:
    """The span of the passage ``quote`` in a transcript (see :func:`find_quote`)."""
    found = find_quote(db, transcript_id, quote)
    return found.start, found.end


def find_quote(db: sqlite_utils.Database, transcript_id: str, quote: str) -> QuoteMatch:
    """Find the passage ``quote`` in a transcript: its span, how it was found and the score.

    Tried in order: the exact text; the text with whitespace, quote marks, dashes and case
    evened out; then a fuzzy match (rapidfuzz partial alignment) of at least 90%. A quote found
    at two places, or two fuzzy matches about as good, is refused (quote more words), and so is a
    weak fuzzy match; the message says why and where.
    """
    from rapidfuzz import fuzz

    t = resolve_transcript(db, transcript_id)
    text = t["text"]
    q = _strip_outer_quotes(quote or "")
    if len(q) < 3:
        raise WorkbenchError("the quote is too short to find: give at least a few words")
    where_t = f"in {t['id']}"

    def unique(hits: list[int], length: int, how: str) -> tuple[int, int] | None:
        if len(hits) > 1:
            places = ", ".join(_where(text, h) for h in hits[:5])
            raise WorkbenchError(
                f"the quote occurs {len(hits)} times {where_t} ({how}: {places}); quote more "
                "words, or give --span START:END"
            )
        return (hits[0], hits[0] + length) if hits else None

    exact = [m.start() for m in re.finditer(re.escape(q), text)]
    found = unique(exact, len(q), "exactly")
    if found:
        return QuoteMatch(*check_span(text, *found), "exact", 100.0)

    folded_text, origin = _fold(text)
    folded_q, _ = _fold(q)
    hits = [m.start() for m in re.finditer(re.escape(folded_q), folded_text)]
    if len(hits) > 1:
        unique([origin[h] for h in hits], 0, "ignoring case and spacing")
    if hits:
        h = hits[0]
        return QuoteMatch(*check_span(text, origin[h], origin[h + len(folded_q) - 1] + 1), "normalised", 100.0)

    if len(folded_q) > len(folded_text):
        raise WorkbenchError(f"the quote is longer than the whole transcript {t['id']}")
    best = fuzz.partial_ratio_alignment(folded_q, folded_text, processor=None)
    if best is None or best.score < QUOTE_MIN_SCORE:
        score = best.score if best else 0.0
        near = ""
        if best is not None and best.dest_end > best.dest_start:
            s0 = origin[best.dest_start]
            s1 = origin[best.dest_end - 1] + 1
            snippet = " ".join(text[s0:s1].split())
            near = f"; the closest passage, at {_where(text, s0)}, is {score:.0f}% similar: “{snippet[:80]}”"
        raise WorkbenchError(
            f"the quote is not {where_t}{near} (a fuzzy match needs {QUOTE_MIN_SCORE:.0f}%); "
            "check the words, or give --span START:END"
        )
    # Ambiguity: look again on each side of the best match.
    for lo, hi in ((0, best.dest_start), (best.dest_end, len(folded_text))):
        if hi - lo < len(folded_q):
            continue
        other = fuzz.partial_ratio_alignment(folded_q, folded_text[lo:hi], processor=None)
        if other is not None and other.score >= max(QUOTE_MIN_SCORE, best.score - QUOTE_AMBIGUITY_MARGIN):
            a = origin[best.dest_start]
            b = origin[lo + other.dest_start]
            raise WorkbenchError(
                f"the quote matches two passages {where_t} about equally well ({_where(text, a)}, "
                f"{best.score:.0f}%; {_where(text, b)}, {other.score:.0f}%); quote more words, or "
                "give --span START:END"
            )
    start = origin[best.dest_start]
    end = origin[best.dest_end - 1] + 1
    if q[:1].isalnum():  # the alignment may take in the punctuation before the first word
        while start < end and not text[start].isalnum():
            start += 1
    start, end = _snap_to_words(text, start, end)
    return QuoteMatch(*check_span(text, start, end), "fuzzy", float(best.score))
