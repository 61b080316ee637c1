"""Coding: applying a code to a span of a transcript as a coder, and removing it.

A coding is ``(transcript, code, coder, start, end)`` with ``[start, end)`` Python string
indices into the transcript's canonical text. Spans can be given directly, or as a sentence or
turn number, or by a report quote (the passage it stands for: :func:`find_quote`).
A coding can carry a memo (``codings.memo``). One coder's codings never touch another coder's:
removing or changing a coding is refused to anyone but its coder.
"""

from __future__ import annotations

import bisect
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import sqlite_utils

from workbench.analysis.passage import Passage, TurnSpan, find_passage
from workbench.clock import now_iso
from workbench.errors import NotFoundError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.refs import get_coding
from workbench.services.team import coders
from workbench.services.transcripts.library import resolve_transcript
from workbench.store.changes import record


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
) -> dict[str, Any]:
    """Apply ``code`` (id or name) to ``[start, end)`` of ``transcript`` as ``coder``.

    Applying the same code to the same span twice by one coder returns the existing coding
    (see :func:`code_passage`, which also says whether anything was stored)."""
    return code_passage(db, coder, transcript, code, start, end, memo=memo)[0]


def code_passage(
    db: sqlite_utils.Database,
    coder: str,
    transcript: str,
    code: str,
    start: int,
    end: int,
    *,
    memo: str = "",
) -> tuple[dict[str, Any], bool]:
    """Apply ``code`` to ``[start, end)`` as ``coder``: ``(coding, stored)``. When the coder
    has this code on this span already, nothing is stored or recorded (undo has nothing to
    take) and ``stored`` is False: the CLI and the UI both say "already coded". The check runs
    inside the write transaction, and a unique index stands behind it, so two windows applying
    it at the same moment store one coding."""
    t = resolve_transcript(db, transcript)
    c = codebook.resolve(db, code)
    if c["kind"] != "code":
        raise WorkbenchError(f"'{c['name']}' is a theme; codings use codes")
    start, end = check_span(t["text"], start, end)
    memo = codebook.check_text(memo or "", "memo").strip()
    row = _coding_row(t["id"], c["id"], coder, start, end, memo)
    with record(db, coder, "coding.apply", f"code '{c['name']}' on {t['id']} [{start}:{end}] “{_short(t['text'], start, end)}”") as cs:
        same = _same_coding(db, t["id"], c["id"], coder, start, end)
        if same is not None:
            return same, False
        return cs.insert("codings", row), True


class Coded(NamedTuple):
    """What :func:`code_span` did, for a front end to show: the coding and its code, whether
    the coding was stored now (False: the coder had this code on this span already), whether
    the code was created now, and what to warn about, apart so that a front end that asked
    already (the reader asks before coding interviewer text, its picker before creating a name
    close to another) need not say it twice: ``name_warnings`` (a new name close to an existing
    code's), ``note`` (asked to create a code another coder made a moment ago: it is used) and
    ``interviewer_warning`` (empty when no interviewer text is coded)."""

    coding: dict[str, Any]
    code: dict[str, Any]
    stored: bool
    code_created: bool
    interviewer_turns: list[int]
    name_warnings: list[str]
    note: str
    interviewer_warning: str

    @property
    def all_warnings(self) -> list[str]:
        return [w for w in (*self.name_warnings, self.note, self.interviewer_warning) if w]


def code_span(
    db: sqlite_utils.Database,
    coder: str,
    transcript: str,
    code: str,
    start: int,
    end: int,
    *,
    memo: str = "",
    create: bool = False,
) -> Coded:
    """Code ``[start, end)`` of ``transcript`` with ``code`` as ``coder``: the one use case
    behind ``workbench code`` and coding in the reader.

    With ``create``, a code of that name that does not exist is created with the coding, as
    one change (one undo removes both); without, an unknown code raises
    :class:`~workbench.errors.NotFoundError`. The span is checked before anything is created.
    """
    t = resolve_transcript(db, transcript)
    start, end = check_span(t["text"], start, end)
    warnings: list[str] = []
    note = ""
    try:
        existing = codebook.resolve(db, code)
    except NotFoundError:
        if not create:
            raise
        existing = None
    created = False
    if existing is None:
        warnings.extend(codebook.near_duplicate_warnings(db, code, "code"))
        the_code, row, created, stored = apply_new_code(db, coder, t["id"], code, start, end,
                                                        memo=memo)
        if not created:
            note = (f"the code '{the_code['name']}' was created a moment ago (by another coder "
                    "or window): it is used")
    else:
        row, stored = code_passage(db, coder, t["id"], existing["id"], start, end, memo=memo)
        the_code = existing
    turns = interviewer_turns(db, t["id"], row["start"], row["end"])
    interviewer = ""
    if turns:
        which = ", ".join(str(n) for n in turns)
        interviewer = (
            f"[{row['start']}:{row['end']}] lies (partly) in the interviewer's turn {which}: "
            "interviewer text cannot be quoted in the report and is not counted in agreement "
            "by default ('workbench uncode ID' or x in the reader removes the coding)")
    return Coded(row, the_code, stored, created, turns, warnings, note, interviewer)


def _same_coding(db: sqlite_utils.Database, tid: str, cid: str, coder: str, start: int,
                 end: int) -> dict[str, Any] | None:
    rows = list(db.query(
        "select * from codings where transcript_id = ? and code_id = ? and coder = ? and start = ? and end = ?",
        [tid, cid, coder, start, end]))
    return rows[0] if rows else None


class NewCoding(NamedTuple):
    """What :func:`apply_new_code` did: the code, the coding, whether the code was made now,
    and whether the coding was stored now (False: the coder had it already)."""

    code: dict[str, Any]
    coding: dict[str, Any]
    code_created: bool
    stored: bool


def apply_new_code(
    db: sqlite_utils.Database,
    coder: str,
    transcript: str,
    name: str,
    start: int,
    end: int,
    *,
    memo: str = "",
) -> NewCoding:
    """Create the code ``name`` and apply it to ``[start, end)`` as ``coder``: one recorded
    change, so one undo removes both (inductive coding).

    Create-or-use: when a code of that name exists by the time the write starts (another
    coder or process made it a moment ago), that code is applied instead; the name check and
    the writes are one transaction, and a unique index on names is the last guard. Nothing is
    written when the span is bad, the name is not a valid name or the memo is too long."""
    t = resolve_transcript(db, transcript)
    start, end = check_span(t["text"], start, end)
    memo = codebook.check_text(memo or "", "memo").strip()
    code = codebook.prepare(db, coder, name) if not _code_named(db, name) else None
    excerpt = _short(t["text"], start, end)
    with record(db, coder, "coding.apply_new", "") as cs:
        existing = _code_named(db, name)  # inside the write transaction: no one slips in
        if existing is not None:
            cs.action = "coding.apply"
            cs.summary = f"code '{existing['name']}' on {t['id']} [{start}:{end}] “{excerpt}”"
            same = _same_coding(db, t["id"], existing["id"], coder, start, end)
            if same is not None:
                return NewCoding(existing, same, False, False)
            return NewCoding(existing, cs.insert("codings", _coding_row(
                t["id"], existing["id"], coder, start, end, memo)), False, True)
        if code is None:  # it existed when we looked, and was gone when we wrote
            code = codebook.prepare(db, coder, name)
        cs.summary = f"new code '{code['name']}' on {t['id']} [{start}:{end}] “{excerpt}”"
        code = cs.insert("codes", code)
        return NewCoding(code, cs.insert("codings", _coding_row(t["id"], code["id"], coder, start,
                                                                end, memo)), True, True)


def _code_named(db: sqlite_utils.Database, name: str) -> dict[str, Any] | None:
    """The code called ``name`` (as names compare), or None."""
    from workbench.textsafety import name_key

    rows = list(db.query("select * from codes where kind = 'code' and name_key = ?",
                         [name_key(str(name))]))
    return rows[0] if rows else None


def describe(db: sqlite_utils.Database, row: dict[str, Any]) -> str:
    """A coding in words, for history, undo and redo: ``“Jongeren op straat” in H03 “Ze staan
    daar elke avond…”`` (never just its id)."""
    name = db.execute("select name from codes where id = ?", [row["code_id"]]).fetchone()
    text = db.execute("select substr(text, ?, ?) from transcripts where id = ?",
                      [row["start"] + 1, min(row["end"] - row["start"], 60), row["transcript_id"]]).fetchone()
    excerpt = shorten(" ".join((text[0] if text else "").split()))
    return f"“{name[0] if name else row['code_id']}” in {row['transcript_id']} “{excerpt}”"


def _coding_row(tid: str, code_id: str, coder: str, start: int, end: int, memo: str) -> dict[str, Any]:
    return {
        "id": new_coding_id(),
        "transcript_id": tid,
        "code_id": code_id,
        "coder": coder,
        "start": start,
        "end": end,
        "memo": memo,
        "flag": None,
        "created_at": now_iso(),
    }


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with "…" (for change summaries)."""
    return text if len(text) <= limit else text[: limit - 3] + "…"


def _short(text: str, start: int, end: int) -> str:
    return shorten(text[start:end])


def remove_coding(db: sqlite_utils.Database, coder: str, coding_id: str) -> dict[str, Any]:
    """Remove one of ``coder``'s codings (another coder's codings are refused)."""
    row = get_coding(db, coding_id)
    if row["coder"] != coder:
        raise WorkbenchError(
            f"coding {row['id']} belongs to coder '{row['coder']}'; you are '{coder}' and cannot "
            "remove another coder's codings"
        )
    with record(db, coder, "coding.remove", f"remove coding {describe(db, row)}") as cs:
        for q in db.query("select id from quotes where coding_id = ?", [row["id"]]):
            cs.delete("quotes", q["id"])
        return cs.delete("codings", row["id"])


def _coding_filters(db: sqlite_utils.Database, coder: str | None, code: str | None,
                    theme: str | None) -> tuple[str, list[Any]]:
    where, args = [], []
    if coder:
        where.append("x.coder = ?")
        args.append(coder)
    if code:
        where.append("x.code_id = ?")
        args.append(codebook.resolve(db, code, "code")["id"])
    if theme:
        th = codebook.resolve(db, theme, "theme")
        where.append(f"x.code_id in ({codebook.SUBTREE_CTE} select id from tree)")
        args.append(th["id"])
    return "".join(f" and {w}" for w in where), args


_ONE_TRANSCRIPTS_CODINGS = (
    "select x.id, x.transcript_id, t.label, x.code_id, c.name as code, p.name as theme, x.coder, "
    "x.start, x.end, x.memo, x.flag, x.created_at from codings x join transcripts t on "
    "t.id = x.transcript_id join codes c on c.id = x.code_id left join codes p on p.id = c.parent_id "
    "where x.transcript_id = ?{where} order by x.start, x.end, c.name, x.coder, x.id"
)


def iter_codings(
    db: sqlite_utils.Database,
    *,
    coder: str | None = None,
    code: str | None = None,
    theme: str | None = None,
    transcript: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """The codings of :func:`list_codings`, one at a time, from ``offset`` on and at most
    ``limit``: a transcript at a time (its text read once), so that listing a thousand
    interviews' codings holds one transcript, never all of them. Bad filters fail at once."""
    if offset < 0 or (limit is not None and limit < 0):
        raise WorkbenchError("--offset and --limit cannot be negative")
    where, args = _coding_filters(db, coder, code, theme)
    if transcript:
        tids = [resolve_transcript(db, transcript)["id"]]
    else:
        tids = [r[0] for r in db.execute("select id from transcripts order by date, id")]
    return _codings_of(db, tids, where, args, offset, limit)


def _codings_of(db: sqlite_utils.Database, tids: list[str], where: str, args: list[Any], offset: int,
                limit: int | None) -> Iterator[dict[str, Any]]:
    sql = _ONE_TRANSCRIPTS_CODINGS.format(where=where)
    to_skip, left = offset, limit
    for tid in tids:
        if left == 0:
            return
        text: str | None = None
        asked: list[tuple[int, int]] = []
        for row in db.query(sql, [tid, *args]):
            if to_skip:
                to_skip -= 1
                continue
            if text is None:
                text = str(db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0])
                asked = [(r[0], r[1]) for r in db.execute(
                    "select start, [end] from turns where transcript_id = ? and role = 'interviewer' "
                    "order by start", [tid])]
            start, end = row["start"], row["end"]
            before = bisect.bisect_left(asked, (end,))  # interviewer turns starting before the end
            row["interviewer"] = int(before > 0 and asked[before - 1][1] > start)
            row["text"] = text[start:end]
            yield {k: row[k] for k in _CODING_KEYS}
            if left is not None:
                left -= 1
                if left == 0:
                    return


_CODING_KEYS = ("id", "transcript_id", "label", "code_id", "code", "theme", "coder", "start", "end",
                "text", "memo", "flag", "created_at", "interviewer")


def list_codings(
    db: sqlite_utils.Database,
    *,
    coder: str | None = None,
    code: str | None = None,
    theme: str | None = None,
    transcript: str | None = None,
) -> list[dict[str, Any]]:
    """Codings with their text, code, theme, respondent label, coder and time, in transcript
    order (date, id), then by span; ``interviewer`` is 1 when the coding holds words of an
    interviewer turn. :func:`iter_codings` gives them one at a time."""
    return list(iter_codings(db, coder=coder, code=code, theme=theme, transcript=transcript))


def count_codings(db: sqlite_utils.Database, *, coder: str | None = None, code: str | None = None,
                  theme: str | None = None, transcript: str | None = None) -> tuple[int, int]:
    """How many codings :func:`list_codings` lists, and how many of them are flagged."""
    where, args = _coding_filters(db, coder, code, theme)
    if transcript:
        where += " and x.transcript_id = ?"
        args.append(resolve_transcript(db, transcript)["id"])
    total, flagged = db.execute(
        "select count(*), count(nullif(x.flag, '')) from codings x where 1" + where, args).fetchone()
    return int(total), int(flagged or 0)


def set_memo(db: sqlite_utils.Database, coder: str, coding_id: str, memo: str, *,
             seen: str | None = None) -> dict[str, Any]:
    """Set (or clear, with "") the memo of one of ``coder``'s codings. ``seen``: the memo the
    dialog showed; when another window or the CLI changed it meanwhile, the edit is refused
    (:class:`~workbench.services.codebook.codes.StaleError`) instead of writing over it."""
    row = get_coding(db, coding_id)
    if row["coder"] != coder:
        raise WorkbenchError(
            f"coding {row['id']} belongs to coder '{row['coder']}'; you are '{coder}' and cannot "
            "change another coder's codings"
        )
    memo = codebook.check_text(memo or "", "memo").strip()
    if memo == (row["memo"] or ""):
        return row
    with record(db, coder, "coding.memo", f"memo on {describe(db, row)}") as cs:
        if seen is not None:
            now = db.execute("select memo from codings where id = ?", [row["id"]]).fetchone()
            if now is None:
                raise NotFoundError(f"no coding '{coding_id}': removed meanwhile")
            if (now[0] or "") != (seen or ""):
                current = " ".join((now[0] or "").split())
                raise codebook.StaleError(
                    "changed meanwhile: the memo is now "
                    + (f"“{current[:60]}{'…' if len(current) > 60 else ''}”" if current else "empty")
                    + " (changed in another window or the CLI); nothing was changed — look "
                    "again and retry", {**row, "memo": now[0]})
        return cs.update("codings", row["id"], {"memo": memo})


# -- finding a quoted passage ---------------------------------------------------------------


def turn_spans(db: sqlite_utils.Database, tid: str) -> list[TurnSpan]:
    """The speaker turns of a transcript: number, role and span."""
    return [TurnSpan(r[0], r[1], r[2], r[3]) for r in db.execute(
        "select idx, role, start, [end] from turns where transcript_id = ? order by idx", [tid])]


def span_for_quote(db: sqlite_utils.Database, transcript_id: str, quote: str, *,
                   include_interviewer: bool = False) -> tuple[int, int]:
    """The span of the passage ``quote`` in a transcript (see :func:`find_quote`)."""
    found = find_quote(db, transcript_id, quote, include_interviewer=include_interviewer)
    return found.start, found.end


def find_quote(db: sqlite_utils.Database, transcript_id: str, quote: str, *,
               include_interviewer: bool = False) -> Passage:
    """Find the passage a (report) quote stands for in a transcript.

    The quote is read with the house-style rules (``[…]``, ``[author words]``, ``[D]ie``,
    curly quotes, a trailing ``(Label)``); the passage runs from the first to the last source
    word it stands for (:func:`workbench.analysis.passage.find_passage`). Refused when weak,
    ambiguous, or running into an interviewer turn unless ``include_interviewer``.
    """
    t = resolve_transcript(db, transcript_id)
    return find_passage(t["text"], quote, turns=turn_spans(db, t["id"]),
                        include_interviewer=include_interviewer, name=t["id"])


# -- what the reader and the transcripts list show -------------------------------------------

def coding_progress(
    db: sqlite_utils.Database, coder_names: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """For each transcript and coder: the share of sentences touched by that coder's codings."""
    names = list(coder_names) if coder_names is not None else coders(db)
    if not names:
        return {}
    sentences: dict[str, tuple[list[int], list[int]]] = {}
    for tid, start, end in db.execute(
        "select transcript_id, start, end from sentences order by transcript_id, idx"
    ):
        starts, ends = sentences.setdefault(tid, ([], []))
        starts.append(start)
        ends.append(end)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    marks = ",".join("?" * len(names))
    for tid, coder, start, end in db.execute(
        f"select transcript_id, coder, start, end from codings where coder in ({marks})", names
    ):
        spans[(tid, coder)].append((start, end))
    out: dict[str, dict[str, float]] = {}
    for tid, (starts, ends) in sentences.items():
        row: dict[str, float] = {}
        for coder in names:
            covered = covered_sentences(starts, ends, spans.get((tid, coder), []))
            row[coder] = covered / len(starts) if starts else 0.0
        out[tid] = row
    return out


def covered_sentences(starts: list[int], ends: list[int], spans: list[tuple[int, int]]) -> int:
    """How many sentences (sorted, non-overlapping) overlap at least one span."""
    hit: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(ends, start)  # first sentence ending after start
        last = bisect.bisect_left(starts, end)  # first sentence starting at/after end
        hit.update(range(first, last))
    return len(hit)


def transcript_codings(
    db: sqlite_utils.Database, tid: str, coder_names: Iterable[str]
) -> list[dict[str, Any]]:
    """The codings of some coders in one transcript, with code name and colour, by start."""
    names = list(coder_names)
    if not names:
        return []
    marks = ",".join("?" * len(names))
    return list(db.query(
        "select x.id, x.code_id, c.name, c.colour, x.coder, x.start, x.end, x.memo, x.flag "
        "from codings x join codes c on c.id = x.code_id "
        f"where x.transcript_id = ? and x.coder in ({marks}) order by x.start, x.end",
        [tid, *names],
    ))


def recent_code_ids(db: sqlite_utils.Database, coder: str, limit: int = 10) -> list[str]:
    """The codes this coder applied most recently, newest first."""
    return [r[0] for r in db.execute(
        "select code_id from codings where coder = ? group by code_id "
        "order by max(created_at) desc, max(rowid) desc limit ?",
        [coder, limit],
    ).fetchall()]
