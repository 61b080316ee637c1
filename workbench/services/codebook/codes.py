"""The codebook in the database: themes (with one level of sub-themes) and codes.

Every code and theme has a stable id (``t-…`` for themes, ``c-…`` for codes), a name, a
definition, inclusion and exclusion notes, an example, a colour and a memo. This module owns
adding, renaming, editing, moving, merging, splitting and deleting them. Every change goes
through :func:`workbench.store.changes.record` as one recorded change, so it is logged and can be
undone as a whole (a merge, with every coding it moved, is one undo).

Codings are never lost by a codebook operation: a merge moves them to the target code (a coding
that becomes identical to one the target already has, same transcript, coder and span, collapses
into it, its memo and quotes carried over); a split moves the chosen codings to a new code; a
delete is refused while codings exist, and a forced delete removes them in the same recorded
change, so that undo restores them.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.formats.codebook_file import check_colour, survey_sort_key
from workbench.project import validate_name
from workbench.services.team import ALL_CODERS
from workbench.store.changes import ChangeSet, record
from workbench.textsafety import name_key

KINDS = ("theme", "code")
EDITABLE = ("name", "definition", "inclusion", "exclusion", "example", "colour", "memo")
# A palette that reads on dark and light terminals; codes take the next unused colour.
PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000",
    "#ffd8b1", "#000075", "#a9a9a9", "#ffe119",
]


#: ``tree(id)``: the code or theme whose id is the query's first parameter and everything under
#: it, at any depth (a common table expression to start a query with).
SUBTREE_CTE = ("with recursive tree(id) as (select ? union all select c.id from codes c join tree "
               "on c.parent_id = tree.id)")


def subtree_ids(db: sqlite_utils.Database, code_id: str) -> list[str]:
    """``code_id`` and the ids of every code and theme under it (at any depth)."""
    return [r[0] for r in db.execute(f"{SUBTREE_CTE} select id from tree", [code_id])]


def new_id(kind: str) -> str:
    return ("t-" if kind == "theme" else "c-") + secrets.token_hex(4)


def resolve(db: sqlite_utils.Database, ref: str, kind: str | None = None) -> dict[str, Any]:
    """A code or theme by id or by name (case-insensitive)."""
    ref = ref.strip()
    kind_sql = " and kind = ?" if kind else ""
    args = [kind] if kind else []
    rows = list(db.query(f"select * from codes where id = ?{kind_sql}", [ref, *args]))
    if not rows:
        rows = list(db.query(f"select * from codes where name_key = ?{kind_sql}", [name_key(ref), *args]))
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
    return str(PALETTE[n % len(PALETTE)])


def _check_parent(db: sqlite_utils.Database, kind: str, parent: dict[str, Any] | None) -> None:
    if parent is None:
        return
    if parent["kind"] != "theme":
        raise WorkbenchError(f"'{parent['name']}' is a code; only themes can hold codes or sub-themes")
    if kind == "theme" and parent["parent_id"]:
        raise WorkbenchError(
            f"'{parent['name']}' is already a sub-theme; themes nest one level deep only"
        )


def _resolve_parent(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A theme by id or name; a code's id or name resolves too so that the caller can say
    that codes cannot hold codes."""
    try:
        return resolve(db, ref, "theme")
    except NotFoundError:
        return resolve(db, ref)


def name_taken(db: sqlite_utils.Database, name: str, kind: str, exclude_id: str | None = None) -> dict[str, Any] | None:
    row = db.execute(
        "select id, name from codes where kind = ? and name_key = ? and id != ?",
        [kind, name_key(name), exclude_id or ""],
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
) -> dict[str, Any]:
    """Create a code (or theme) and return its row."""
    row = prepare(db, coder, name, kind=kind, parent=parent, code_id=code_id, **fields)
    with record(db, coder, f"{kind}.add", f"add {kind} '{row['name']}'") as cs:
        return cs.insert("codes", row)


def prepare(
    db: sqlite_utils.Database,
    coder: str,
    name: str,
    *,
    kind: str = "code",
    parent: str | None = None,
    code_id: str | None = None,
    **fields: str,
) -> dict[str, Any]:
    """Check a new code (or theme) and build its row; nothing is written (see :func:`add`, and
    :func:`workbench.services.coding.passages.apply_new_code`, which writes it with its first coding)."""
    if kind not in KINDS:
        raise WorkbenchError(f"kind must be one of {', '.join(KINDS)}")
    name = validate_name(name, what=f"{kind} name")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise WorkbenchError(f"unknown field(s): {', '.join(sorted(unknown))}")
    fields = {k: check_text(v, k) if v is not None else v for k, v in fields.items()}
    clash = name_taken(db, name, kind)
    if clash:
        raise ConflictError(f"a {kind} named '{clash['name']}' exists already ({clash['id']})")
    parent_row = _resolve_parent(db, parent) if parent else None
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
        "colour": check_colour(fields.pop("colour", "") or "")
        or (_next_colour(db) if kind == "code" else ""),
        **{k: v or "" for k, v in fields.items()},
        "created_at": now_iso(),
        "created_by": coder,
        "updated_at": now_iso(),
        "updated_by": coder,
    }
    return row


def list_codebook(db: sqlite_utils.Database) -> list[dict[str, Any]]:
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
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    for r in rows:
        by_parent.setdefault(r["parent_id"], []).append(r)
    out: list[dict[str, Any]] = []

    def theme_counts(theme_id: str) -> dict[str, Any]:
        q = db.query(
            f"{SUBTREE_CTE} select count(*) as codings, count(distinct transcript_id) "
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


# -- checks shared by the editing operations ----------------------------------------------------

def check_text(value: str, what: str) -> str:
    """A definition, note or memo: any text, but no control, bidi or invisible characters
    other than tabs and line breaks (they come from binary files or broken copies, never
    from a researcher), within the length limit."""
    from workbench.textsafety import check_text as check

    return check("" if value is None else value, what=what)


def near_duplicate_warnings(
    db: sqlite_utils.Database, name: str, kind: str = "code", exclude_id: str | None = None
) -> list[str]:
    """Warnings naming existing codes (or themes) whose names are close to ``name``."""
    from workbench.services.codebook import neardup

    return neardup.warnings_for(db, name, kind, exclude_id=exclude_id)


def _children(db: sqlite_utils.Database, parent_id: str) -> list[dict[str, Any]]:
    return list(db.query("select * from codes where parent_id = ? order by position, name", [parent_id]))


def _next_position(db: sqlite_utils.Database, parent_id: str | None) -> int:
    return int(db.execute(
        "select coalesce(max(position), -1) + 1 from codes where coalesce(parent_id, '') = ?",
        [parent_id or ""],
    ).fetchone()[0])


def _stamp(coder: str) -> dict[str, Any]:
    return {"updated_at": now_iso(), "updated_by": coder}


def references(db: sqlite_utils.Database, table: str, key: str, *, skip: tuple[str, ...] = ()
               ) -> list[tuple[str, str, dict[str, Any]]]:
    """Rows of any table that point at ``table`` row ``key`` through a foreign key, as
    ``(table, column, row)``; tables in ``skip`` are left out."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for t in db.tables:
        if t.name in skip:
            continue
        for fk in t.foreign_keys:
            if fk.other_table == table and not (t.name == table and fk.column == "parent_id"):
                for row in t.rows_where(f"[{fk.column}] = ?", [key]):
                    out.append((t.name, str(fk.column), row))
    return out


def _pk_of(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> Any:
    pks = db.table(table).pks
    return [row[c] for c in pks] if len(pks) > 1 else row[pks[0]]


def survey_themes_of(db: sqlite_utils.Database, code_id: str) -> list[str]:
    """The survey theme ids a code or theme is linked to (``survey_links``), sorted."""
    rows = db.execute(
        "select survey_theme_id from survey_links where code_id = ?", [code_id]
    ).fetchall()
    return sorted((r[0] for r in rows), key=survey_sort_key)


# -- editing ------------------------------------------------------------------------------------

def rename(db: sqlite_utils.Database, coder: str, ref: str, new_name: str, *,
           seen: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Rename a code or theme. Returns the row and warnings about near-duplicate names.

    ``seen``: the row as a dialog showed it; if the project holds another version by the time
    of the write, :class:`StaleError` says what it is now (nothing is changed)."""
    row = resolve(db, ref)
    new_name = validate_name(new_name, what=f"{row['kind']} name")
    clash = name_taken(db, new_name, row["kind"], exclude_id=row["id"])
    if clash:
        raise ConflictError(f"a {row['kind']} named '{clash['name']}' exists already ({clash['id']})")
    if new_name == row["name"] and seen is None:
        return row, []
    warnings = near_duplicate_warnings(db, new_name, row["kind"], exclude_id=row["id"])
    with record(db, coder, f"{row['kind']}.rename", f"rename {row['kind']} '{row['name']}' to '{new_name}'") as cs:
        still_as_seen(db, row["id"], seen)
        if new_name == row["name"]:
            return row, []
        return cs.update("codes", row["id"], {"name": new_name, **_stamp(coder)}), warnings


def update_fields(db: sqlite_utils.Database, coder: str, ref: str, *, seen: dict[str, Any] | None = None,
                  **fields: str) -> dict[str, Any]:
    """Change any of definition, inclusion, exclusion, example, colour, memo (``None`` skips a
    field; an empty string clears it). ``seen``: as for :func:`rename`."""
    row = resolve(db, ref)
    fields = {k: v for k, v in fields.items() if v is not None}
    if "name" in fields:
        raise WorkbenchError("use rename to change a name (it checks for near-duplicates)")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise WorkbenchError(
            f"unknown field(s): {', '.join(sorted(unknown))} (editable: {', '.join(EDITABLE[1:])})"
        )
    fields = {k: check_text(v, k) for k, v in fields.items()}
    if "colour" in fields:
        fields["colour"] = check_colour(fields["colour"])
    changed = {k: str(v) for k, v in fields.items() if str(v) != (row[k] or "")}
    if not changed and seen is None:
        return row
    with record(db, coder, f"{row['kind']}.edit", f"edit {', '.join(changed)} of '{row['name']}'") as cs:
        still_as_seen(db, row["id"], seen)
        if not changed:
            return row
        return cs.update("codes", row["id"], {**changed, **_stamp(coder)})


def move(db: sqlite_utils.Database, coder: str, ref: str, theme: str | None, *,
         seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Put a code (or sub-theme) under ``theme`` (id or name), or under no theme (``None``).
    ``seen``: as for :func:`rename`."""
    row = resolve(db, ref)
    parent = _resolve_parent(db, theme) if theme else None
    if parent is not None and parent["id"] == row["id"]:
        raise WorkbenchError(f"'{row['name']}' cannot be put under itself")
    _check_parent(db, row["kind"], parent)
    if row["kind"] == "theme" and parent is not None and any(
        c["kind"] == "theme" for c in _children(db, row["id"])
    ):
        raise WorkbenchError(f"'{row['name']}' has sub-themes; themes nest one level deep only")
    new_parent = parent["id"] if parent else None
    if new_parent == row["parent_id"]:
        return row
    where = f"theme '{parent['name']}'" if parent else "no theme"
    with record(db, coder, f"{row['kind']}.move", f"move '{row['name']}' to {where}") as cs:
        still_as_seen(db, row["id"], seen)
        return cs.update("codes", row["id"], {
            "parent_id": new_parent, "position": _next_position(db, new_parent), **_stamp(coder),
        })


class StaleError(ConflictError):
    """An edit made from a view of a code that another coder or process changed meanwhile;
    ``current`` is the row as the project holds it now (None: it is gone)."""

    def __init__(self, message: str, current: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.current = current


COMPARED = ("name", "parent_id", "definition", "inclusion", "exclusion", "example", "colour",
            "memo", "updated_at")


def still_as_seen(db: sqlite_utils.Database, code_id: str, seen: dict[str, Any] | None) -> None:
    """Inside the write transaction: refuse when the code is no longer as ``seen`` (what the
    dialog showed), saying what it is now and who changed it when."""
    if seen is None:
        return
    rows = list(db.query("select * from codes where id = ?", [code_id]))
    if not rows:
        raise StaleError(f"changed meanwhile: '{seen.get('name')}' was deleted (or merged away) "
                         "by another coder or window; nothing was changed", None)
    now = rows[0]
    if all((now.get(k) or "") == (seen.get(k) or "") for k in COMPARED if k in seen):
        return
    when = (now.get("updated_at") or "")[11:16]
    by = f" (by {now.get('updated_by')}{', ' + when if when else ''})" if now.get("updated_by") else ""
    what = f"now '{now['name']}'" if now["name"] != seen.get("name") else f"'{now['name']}' was edited"
    raise StaleError(f"changed meanwhile: {what}{by}; nothing was changed — look again and retry",
                     now)


def _append_note(existing: str, note: str) -> str:
    existing = (existing or "").rstrip()
    return f"{existing}\n\n{note}" if existing else note


def merge(db: sqlite_utils.Database, coder: str, source_ref: str, target_ref: str, *,
          seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge ``source`` into ``target`` (two codes, or two themes) and delete ``source``.

    Codes: every coding moves to the target; a coding identical to one the target has (same
    transcript, coder and span) collapses into it, with its memo appended and its quotes moved.
    Survey links are united, the source's memo and definition are kept in the target's memo.
    Themes: the source's codes and sub-themes move under the target. One recorded change.
    The codebook is shared, so a merge moves every coder's codings. Returns the target row with
    ``moved_codings`` and ``collapsed_codings`` counts and ``codings_by_coder`` (coder -> codings
    of the source, moved or collapsed).
    """
    source = resolve(db, source_ref)
    target = resolve(db, target_ref)
    if source["id"] == target["id"]:
        raise WorkbenchError(f"'{source['name']}' cannot be merged into itself")
    if source["kind"] != target["kind"]:
        raise WorkbenchError(
            f"'{source['name']}' is a {source['kind']} and '{target['name']}' a {target['kind']}; "
            "merge codes into codes and themes into themes"
        )
    with record(db, coder, f"{source['kind']}.merge", f"merge '{source['name']}' into '{target['name']}'") as cs:
        still_as_seen(db, source["id"], seen)  # ``seen``: the source as a dialog showed it
        return _merge_into(db, cs, coder, source, target)


def _merge_into(db: sqlite_utils.Database, cs: ChangeSet, coder: str, source: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """The rows of a merge, inside the caller's recorded change (also used by codebook import)."""
    moved = collapsed = 0
    by_coder: dict[str, int] = {}
    if source["kind"] == "code":
        for c in [*db.table("codings").rows_where("code_id = ?", [source["id"]], order_by="id")]:
            by_coder[c["coder"]] = by_coder.get(c["coder"], 0) + 1
            twin = db.execute(
                "select id, memo from codings where code_id = ? and transcript_id = ? and "
                "coder = ? and start = ? and end = ?",
                [target["id"], c["transcript_id"], c["coder"], c["start"], c["end"]],
            ).fetchone()
            if twin is None:
                cs.update("codings", c["id"], {"code_id": target["id"]})
                moved += 1
                continue
            if c["memo"] and c["memo"] not in (twin[1] or ""):
                cs.update("codings", twin[0], {"memo": _append_note(twin[1], c["memo"])})
            for table, column, ref_row in references(db, "codings", c["id"]):
                cs.update(table, _pk_of(db, table, ref_row), {column: twin[0]})
            cs.delete("codings", c["id"])
            collapsed += 1
    else:
        if target["parent_id"] and any(ch["kind"] == "theme" for ch in _children(db, source["id"])):
            raise WorkbenchError(
                f"'{source['name']}' has sub-themes and '{target['name']}' is a sub-theme; "
                "themes nest one level deep only"
            )
        position = _next_position(db, target["id"])
        for child in _children(db, source["id"]):
            cs.update("codes", child["id"], {"parent_id": target["id"], "position": position})
            position += 1
    have = set(survey_themes_of(db, target["id"]))
    for link in [*db.table("survey_links").rows_where("code_id = ?", [source["id"]])]:
        if link["survey_theme_id"] not in have:
            cs.insert("survey_links", {**link, "code_id": target["id"]})
        cs.delete("survey_links", [source["id"], link["survey_theme_id"]])
    for table, column, ref_row in references(
        db, "codes", source["id"], skip=("codings", "survey_links", "codes")
    ):
        cs.update(table, _pk_of(db, table, ref_row), {column: target["id"]})
    notes = []
    if source["memo"]:
        notes.append(f"[merged from '{source['name']}'] {source['memo']}")
    if source["definition"] and source["definition"] != target["definition"]:
        notes.append(f"[definition of merged '{source['name']}'] {source['definition']}")
    updates = _stamp(coder)
    if notes:
        updates["memo"] = _append_note(target["memo"], "\n".join(notes))
    result = cs.update("codes", target["id"], updates)
    cs.delete("codes", source["id"])
    return {**result, "moved_codings": moved, "collapsed_codings": collapsed,
            "codings_by_coder": dict(sorted(by_coder.items()))}


def split(
    db: sqlite_utils.Database,
    coder: str,
    ref: str,
    new_name: str,
    coding_ids: list[str],
    *,
    any_coder: bool = False,
    **fields: str,
) -> dict[str, Any]:
    """Split a code: create ``new_name`` next to it (same theme, same survey links) and move the
    listed codings (ids or unique id prefixes) to it.

    Only ``coder``'s own codings may be listed, unless ``any_coder`` (a split is a coding
    decision; another coder's codings stay theirs). Returns the new code's row with
    ``codings_by_coder`` (coder -> codings moved)."""
    from workbench.services.refs import get_coding

    row = resolve(db, ref, "code")
    new_name = validate_name(new_name, what="code name")
    clash = name_taken(db, new_name, "code")
    if clash:
        raise ConflictError(f"a code named '{clash['name']}' exists already ({clash['id']})")
    unknown = set(fields) - set(EDITABLE[1:])
    if unknown:
        raise WorkbenchError(f"unknown field(s): {', '.join(sorted(unknown))}")
    fields = {k: check_text(v, k) if v is not None else v for k, v in fields.items()}
    ids = [i.strip() for i in coding_ids if i and i.strip()]
    if not ids:
        raise WorkbenchError("name the codings that go to the new code (--codings ID,ID)")
    chosen: dict[str, dict[str, Any]] = {}
    for cid in ids:
        c = get_coding(db, cid)
        if c["code_id"] != row["id"]:
            raise WorkbenchError(f"coding {c['id']} is not coded with '{row['name']}'")
        chosen[c["id"]] = c
    others = sorted({c["coder"] for c in chosen.values() if c["coder"] != coder})
    if others and not any_coder:
        theirs = [c["id"][:8] for c in chosen.values() if c["coder"] != coder]
        raise WorkbenchError(
            f"coding(s) {', '.join(theirs)} belong to {', '.join(others)}; you are '{coder}'. A split "
            "moves only your own codings: leave them out, or add --any-coder to move other coders' "
            "codings too"
        )
    by_coder: dict[str, int] = {}
    for c in chosen.values():
        by_coder[c["coder"]] = by_coder.get(c["coder"], 0) + 1
    new_row = {
        "id": new_id("code"),
        "kind": "code",
        "name": new_name,
        "parent_id": row["parent_id"],
        "position": row["position"] + 1,
        "definition": fields.get("definition") or "",
        "inclusion": fields.get("inclusion") or "",
        "exclusion": fields.get("exclusion") or "",
        "example": fields.get("example") or "",
        "colour": check_colour(fields.get("colour") or "") or _next_colour(db),
        "memo": fields.get("memo") or f"split from '{row['name']}'",
        "created_at": now_iso(),
        "created_by": coder,
        **_stamp(coder),
    }
    with record(db, coder, "code.split", f"split '{row['name']}': {len(chosen)} coding(s) to '{new_name}'") as cs:
        for sib in db.query(
            "select id, position from codes where coalesce(parent_id, '') = ? and position > ? "
            "and id != ?", [row["parent_id"] or "", row["position"], row["id"]],
        ):
            cs.update("codes", sib["id"], {"position": sib["position"] + 1})
        created = cs.insert("codes", new_row)
        for theme_id in survey_themes_of(db, row["id"]):
            cs.insert("survey_links", {
                "code_id": created["id"], "survey_theme_id": theme_id,
                "created_by": coder, "created_at": now_iso(),
            })
        for cid in chosen:
            cs.update("codings", cid, {"code_id": created["id"]})
    return {**created, "codings_by_coder": dict(sorted(by_coder.items()))}


def delete(db: sqlite_utils.Database, coder: str, ref: str, force: bool = False, *,
           seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Delete a code or theme.

    A code with codings is refused unless ``force``; the forced delete removes its codings (and
    their quotes) in the same recorded change, so undo restores everything. A theme's codes and
    sub-themes move up to the theme's parent (or to no theme): no coding is lost. Returns the
    deleted row with ``removed_codings`` and ``codings_by_coder`` (coder -> codings removed;
    the codebook is shared, so a forced delete removes every coder's codings of the code).
    """
    row = resolve(db, ref)
    codings = list(db.table("codings").rows_where("code_id = ?", [row["id"]], order_by="id"))
    others = references(db, "codes", row["id"], skip=("codings", "survey_links", "codes"))
    if (codings or others) and not force:
        coders = sorted({c["coder"] for c in codings})
        what = f"{len(codings)} coding(s) by {', '.join(coders)}" if codings else ""
        if others:
            extra = ", ".join(sorted({t for t, _c, _r in others}))
            what = f"{what}{' and ' if what else ''}rows in {extra}"
        raise ConflictError(
            f"'{row['name']}' has {what}; merge it into another code, or delete with --force "
            "(recorded; 'workbench undo' restores it)"
        )
    by_coder: dict[str, int] = {}
    for c in codings:
        by_coder[c["coder"]] = by_coder.get(c["coder"], 0) + 1
    summary = f"delete {row['kind']} '{row['name']}'"
    if codings:
        summary += f" and its {len(codings)} coding(s) ({per_coder_text(by_coder)})"
    with record(db, coder, f"{row['kind']}.delete", summary) as cs:
        still_as_seen(db, row["id"], seen)
        removed = _delete_row(db, cs, row)
        deleted = cs.rows[-1][2] or {}
    return {**deleted, "removed_codings": removed, "codings_by_coder": dict(sorted(by_coder.items()))}


def _delete_row(db: sqlite_utils.Database, cs: ChangeSet, row: dict[str, Any]) -> int:
    """The rows of a (forced) delete inside the caller's recorded change; returns the number
    of codings removed. A theme's children move up a level."""
    if row["kind"] == "theme":
        position = _next_position(db, row["parent_id"])
        for child in _children(db, row["id"]):
            cs.update("codes", child["id"], {"parent_id": row["parent_id"], "position": position})
            position += 1
    codings = [*db.table("codings").rows_where("code_id = ?", [row["id"]], order_by="id")]
    for c in codings:
        for table, _column, ref_row in references(db, "codings", c["id"]):
            cs.delete(table, _pk_of(db, table, ref_row))
        cs.delete("codings", c["id"])
    for table, _column, ref_row in references(
        db, "codes", row["id"], skip=("codings", "survey_links", "codes")
    ):
        cs.delete(table, _pk_of(db, table, ref_row))
    for link in [*db.table("survey_links").rows_where("code_id = ?", [row["id"]])]:
        cs.delete("survey_links", [row["id"], link["survey_theme_id"]])
    cs.delete("codes", row["id"])
    return len(codings)


def per_coder_text(counts: dict[str, int]) -> str:
    """``{"anna": 2, "bram": 1}`` as ``"anna 2, bram 1"`` (for messages about codings)."""
    return ", ".join(f"{who} {n}" for who, n in sorted(counts.items()))


def set_survey_themes(db: sqlite_utils.Database, coder: str, ref: str, theme_ids: list[str]) -> list[str]:
    """Replace the survey themes a code or theme is linked to (one recorded change)."""
    row = resolve(db, ref)
    wanted = sorted({str(t).strip() for t in theme_ids if str(t).strip()}, key=survey_sort_key)
    have = survey_themes_of(db, row["id"])
    if wanted == have:
        return have
    with record(db, coder, "survey.link", f"survey themes of '{row['name']}': {', '.join(wanted) or 'none'}") as cs:
        for t in have:
            if t not in wanted:
                cs.delete("survey_links", [row["id"], t])
        for t in wanted:
            if t not in have:
                cs.insert("survey_links", {"code_id": row["id"], "survey_theme_id": t,
                                           "created_by": coder, "created_at": now_iso()})
    return wanted


# -- the codebook with counts (the codebook panel) --------------------------------------------

@dataclass
class _Tally:
    """Codings of a code (or a theme with everything under it) and where they are."""

    codings: int = 0
    tids: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)


def codebook_tree(db: sqlite_utils.Database, coder: str | None = ALL_CODERS) -> list[dict[str, Any]]:
    """The codebook in tree order with counts, like ``codebook.list_codebook`` but from one
    pass over the codings (a theme counts the codings of its codes and sub-themes' codes).
    The counts are ``coder``'s codings, or every coder's with :data:`ALL_CODERS`."""
    rows = list(db.query("select * from codes order by position, name"))
    per_code: dict[str, _Tally] = {}
    # Labels separately: joining transcripts per coding would read each row's long text
    # (label sits after it in the row), which is slow at tens of thousands of codings.
    label_of = dict(db.execute("select id, label from transcripts").fetchall())
    only = " where coder = ?" if coder is not None else ""
    for code_id, tid, n in db.execute(
        f"select code_id, transcript_id, count(*) from codings not indexed{only} "
        "group by code_id, transcript_id", [coder] if coder is not None else []
    ):
        entry = per_code.setdefault(code_id, _Tally())
        entry.codings += n
        entry.tids.add(tid)
        entry.labels.add(label_of.get(tid, tid))
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        children[r["parent_id"]].append(r)

    def totals(row: dict[str, Any]) -> _Tally:
        own = per_code.get(row["id"]) or _Tally()
        total = _Tally(own.codings, set(own.tids), set(own.labels))
        for child in children.get(row["id"], []):
            sub = totals(child)
            total.codings += sub.codings
            total.tids |= sub.tids
            total.labels |= sub.labels
        return total

    out: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in children.get(parent, []):
            tally = totals(r)
            out.append({**r, "depth": depth, "codings": tally.codings,
                        "transcripts": len(tally.tids), "respondents": len(tally.labels)})
            walk(r["id"], depth + 1)

    walk(None, 0)
    return out
