"""The codebook in the database: themes (with one level of sub-themes) and codes.

Every code and theme has a stable id (``t-…`` for themes, ``c-…`` for codes), a name, a
definition, inclusion and exclusion notes, an example, a colour and a memo. Every change goes
through :func:`workbench.db.changes.record`, so it is logged and can be undone.
"""

from __future__ import annotations

import secrets

import sqlite_utils

from workbench.clock import now_iso
from workbench.db.changes import record
from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.project import validate_name

KINDS = ("theme", "code")
EDITABLE = ("name", "definition", "inclusion", "exclusion", "example", "colour", "memo")
# A palette that reads on dark and light terminals; codes take the next unused colour.
PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000",
    "#ffd8b1", "#000075", "#a9a9a9", "#ffe119",
]


def new_id(kind: str) -> str:
    return ("t-" if kind == "theme" else "c-") + secrets.token_hex(4)


def resolve(db: sqlite_utils.Database, ref: str, kind: str | None = None) -> dict:
    """A code or theme by id or by name (case-insensitive)."""
    ref = ref.strip()
    kind_sql = " and kind = ?" if kind else ""
    args = [kind] if kind else []
    rows = list(db.query(f"select * from codes where id = ?{kind_sql}", [ref, *args]))
    if not rows:
        rows = list(db.query(f"select * from codes where lower(name) = lower(?){kind_sql}", [ref, *args]))
    what = kind or "code or theme"
    if not rows:
        raise NotFoundError(f"no {what} '{ref}' in the codebook (see 'workbench codebook list')")
    if len(rows) > 1:
        ids = ", ".join(f"{r['id']} ({r['kind']})" for r in rows)
        raise WorkbenchError(f"'{ref}' is ambiguous: {ids}; use the id")
    return rows[0]


def _next_colour(db: sqlite_utils.Database) -> str:
    used = {r[0] for r in db.execute("select colour from codes where kind = 'code'").fetchall()}
    for colour in PALETTE:
        if colour not in used:
            return colour
    n = db.execute("select count(*) from codes").fetchone()[0]
    return PALETTE[n % len(PALETTE)]


def _check_parent(db: sqlite_utils.Database, kind: str, parent: dict | None) -> None:
    if parent is None:
        return
    if parent["kind"] != "theme":
        raise WorkbenchError(f"'{parent['name']}' is a code; only themes can hold codes or sub-themes")
    if kind == "theme" and parent["parent_id"]:
        raise WorkbenchError(
            f"'{parent['name']}' is already a sub-theme; themes nest one level deep only"
        )


def name_taken(db: sqlite_utils.Database, name: str, kind: str, exclude_id: str | None = None) -> dict | None:
    row = db.execute(
        "select id, name from codes where kind = ? and lower(name) = lower(?) and id != ?",
        [kind, name, exclude_id or ""],
    ).fetchone()
    return {"id": row[0], "name": row[1]} if row else None


def add(
    db: sqlite_utils.Database,
    coder: str,
    name: str,
    *,
    kind: str = "code",
    parent: str | None = None,
    code_id: str | None = None,
    **fields: str,
) -> dict:
    """Create a code (or theme) and return its row."""
    if kind not in KINDS:
        raise WorkbenchError(f"kind must be one of {', '.join(KINDS)}")
    name = validate_name(name, what=f"{kind} name")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise WorkbenchError(f"unknown field(s): {', '.join(sorted(unknown))}")
    clash = name_taken(db, name, kind)
    if clash:
        raise ConflictError(f"a {kind} named '{clash['name']}' exists already ({clash['id']})")
    parent_row = resolve(db, parent, "theme") if parent else None
    _check_parent(db, kind, parent_row)
    position = db.execute(
        "select coalesce(max(position), -1) + 1 from codes where coalesce(parent_id, '') = ?",
        [parent_row["id"] if parent_row else ""],
    ).fetchone()[0]
    row = {
        "id": code_id or new_id(kind),
        "kind": kind,
        "name": name,
        "parent_id": parent_row["id"] if parent_row else None,
        "position": position,
        "colour": fields.pop("colour", None) or (_next_colour(db) if kind == "code" else ""),
        **{k: v or "" for k, v in fields.items()},
        "created_at": now_iso(),
        "created_by": coder,
        "updated_at": now_iso(),
        "updated_by": coder,
    }
    with record(db, coder, f"{kind}.add", f"add {kind} '{name}'") as cs:
        return cs.insert("codes", row)


def list_codebook(db: sqlite_utils.Database) -> list[dict]:
    """Themes and codes in codebook order, each with counts of codings, transcripts and
    respondents (for a theme: over its codes and sub-themes' codes)."""
    rows = list(db.query("select * from codes order by position, name"))
    counts = {
        r["code_id"]: r
        for r in db.query(
            "select code_id, count(*) as codings, count(distinct transcript_id) as transcripts, "
            "count(distinct t.label) as respondents from codings c join transcripts t "
            "on t.id = c.transcript_id group by code_id"
        )
    }
    by_parent: dict[str | None, list[dict]] = {}
    for r in rows:
        by_parent.setdefault(r["parent_id"], []).append(r)
    out: list[dict] = []

    def theme_counts(theme_id: str) -> dict:
        q = db.query(
            "with recursive tree(id) as (select ? union all select c.id from codes c join tree "
            "on c.parent_id = tree.id) select count(*) as codings, count(distinct transcript_id) "
            "as transcripts, count(distinct t.label) as respondents from codings x join "
            "transcripts t on t.id = x.transcript_id where x.code_id in (select id from tree)",
            [theme_id],
        )
        return next(iter(q))

    def walk(parent: str | None, depth: int) -> None:
        for r in by_parent.get(parent, []):
            c = theme_counts(r["id"]) if r["kind"] == "theme" else counts.get(r["id"], {})
            out.append({
                **r,
                "depth": depth,
                "codings": c.get("codings", 0),
                "transcripts": c.get("transcripts", 0),
                "respondents": c.get("respondents", 0),
            })
            walk(r["id"], depth + 1)

    walk(None, 0)
    return out
