"""The workbench's own consistency checks beyond SQLite's (``workbench check``).

SQLite checks pages and declared foreign keys; these check what the workbench promises:
code and theme names unique as names compare (also if the index were missing or a name was
edited outside the workbench), one coding per coder, code and span, names and texts free of terminal controls, and references that
are not foreign keys (memos on transcripts and codings, the further codings of a quote), and the
search index against the transcripts' text (:func:`workbench.store.sentence_index.problems`).
"""

from __future__ import annotations

import json

import sqlite_utils

from workbench.textsafety import UNSAFE_IN_NAME, UNSAFE_IN_TEXT, name_key

ONE_LINE = {"codes": ("name",), "transcripts": ("label", "role", "municipality", "domain", "interviewer")}
TEXTS = {"codes": ("definition", "inclusion", "exclusion", "example", "memo"), "memos": ("text",),
         "codings": ("memo",)}


def problems(db: sqlite_utils.Database) -> list[str]:
    """Every problem found, one line each (empty: consistent)."""
    from workbench.store import sentence_index

    return [*_duplicate_names(db), *_duplicate_codings(db), *_unsafe_text(db), *_dangling(db),
            *sentence_index.problems(db)]


def _duplicate_codings(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "select transcript_id, code_id, coder, start, [end], group_concat(id, ', ') from codings "
        "group by 1, 2, 3, 4, 5 having count(*) > 1").fetchall()
    return [f"codings {ids} are one coding twice ({coder}, code {code}, {tid} [{start}:{end}]): "
            "'workbench uncode ID' removes the extra one" for tid, code, coder, start, end, ids in rows]


def _duplicate_names(db: sqlite_utils.Database) -> list[str]:
    out = []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for cid, kind, name, key in db.execute("select id, kind, name, name_key from codes order by id"):
        folded = name_key(name or "")
        if key != folded:
            out.append(f"{kind} {cid} '{name}': its stored name key '{key}' does not match the name "
                       "(edited outside the workbench?)")
        other = seen.get((kind, folded))
        if other is not None:
            out.append(f"{kind}s {other[0]} ('{other[1]}') and {cid} ('{name}') have one name "
                       "(merge them with 'workbench codebook merge', or rename one)")
        seen[(kind, folded)] = (cid, name)
    return out


def _unsafe_text(db: sqlite_utils.Database) -> list[str]:
    out = []
    for table, columns in [*ONE_LINE.items(), *TEXTS.items()]:
        pattern = UNSAFE_IN_NAME if table in ONE_LINE and columns == ONE_LINE[table] else UNSAFE_IN_TEXT
        for column in columns:
            rows = db.execute(f"select rowid, [{column}] from [{table}] where [{column}] is not null").fetchall()
            for rowid, value in rows:
                found = pattern.findall(str(value))
                if found:
                    codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in found}))
                    out.append(f"{table} row {rowid}: the {column} holds control or invisible "
                               f"characters ({codes})")
    return out


def _dangling(db: sqlite_utils.Database) -> list[str]:
    out = []
    for mid, kind, target in db.execute(
            "select id, target_kind, target_id from memos where target_kind in ('transcript', 'coding')"):
        table = "transcripts" if kind == "transcript" else "codings"
        if db.execute(f"select 1 from {table} where id = ?", [target]).fetchone() is None:
            out.append(f"memo {mid} is on {kind} {target}, which does not exist")
    for qid, extra in db.execute("select id, extra_codings from quotes"):
        try:
            ids = json.loads(extra or "[]")
        except ValueError:
            out.append(f"quote {qid}: its further codings are not readable ({str(extra)[:40]})")
            continue
        for cid in ids if isinstance(ids, list) else []:
            if db.execute("select 1 from codings where id = ?", [cid]).fetchone() is None:
                out.append(f"quote {qid} joins coding {cid}, which does not exist")
    return out
