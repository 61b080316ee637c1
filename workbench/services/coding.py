"""Coding: applying a code to a span of a transcript as a coder, and removing it.

A coding is ``(transcript, code, coder, start, end)`` with ``[start, end)`` Python string
indices into the transcript's canonical text. Spans can be given directly, or as a sentence or
turn number, or by quoting the passage (found exactly first, then fuzzily). One coder's codings
never touch another coder's.
"""

from __future__ import annotations

import secrets

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
        rows = list(db.query("select * from codings where id like ?", [coding_id + "%"])) if len(coding_id) >= 4 else []
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
