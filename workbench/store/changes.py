"""Recorded changes: every write a user makes goes through a :class:`ChangeSet`.

A change set is one user action (apply a code, merge two codes, import a codebook). It runs in
one transaction and records, row by row, the table, the primary key, the row before and the row
after, together with who made the change and when. Undo applies the recorded rows in reverse;
redo applies them forwards again. Because it works on rows, every service gets undo for free.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import WorkbenchError

Row = dict[str, Any]
#: ``changes.undone``: a change that can be undone, one that was undone (and can be redone),
#: and an action that is in the history only (an import, a re-processing: no undo).
DONE, UNDONE, LOG_ONLY = 0, 1, 2
DERIVED = {"codes": ("name_key",)}
"""Columns computed from others on every write (see :func:`with_derived`)."""


def _pk_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return db.table(table).pks


def _pk_values(db: sqlite_utils.Database, table: str, row: Row) -> list[Any]:
    return [row[c] for c in _pk_columns(db, table)]


def _where(db: sqlite_utils.Database, table: str) -> str:
    return " and ".join(f"[{c}] = ?" for c in _pk_columns(db, table))


def _get(db: sqlite_utils.Database, table: str, pk: list[Any]) -> Row | None:
    rows = list(db.table(table).rows_where(_where(db, table), pk))
    return rows[0] if rows else None


@dataclass
class ChangeSet:
    """One recorded user action; use through :func:`record`."""

    db: sqlite_utils.Database
    coder: str
    action: str
    summary: str = ""
    rows: list[tuple[str, list[Any], Row | None, Row | None]] = field(default_factory=list)

    def insert(self, table: str, row: Row) -> Row:
        row = with_derived(table, row)
        try:
            self.db.table(table).insert(row)
        except sqlite3.IntegrityError as exc:
            raise _integrity_error(table, row, exc) from exc
        pk = _pk_values(self.db, table, row)
        after = _get(self.db, table, pk)
        self.rows.append((table, pk, None, after))
        return after or row

    def update(self, table: str, pk: Any, updates: Row) -> Row:
        pk_list = list(pk) if isinstance(pk, list | tuple) else [pk]
        before = _get(self.db, table, pk_list)
        if before is None:
            raise WorkbenchError(f"{table}: no row with key {pk_list}")
        updates = with_derived(table, updates)
        sets = ", ".join(f"[{c}] = ?" for c in updates)
        try:
            self.db.execute(
                f"update [{table}] set {sets} where {_where(self.db, table)}",
                [*updates.values(), *pk_list],
            )
        except sqlite3.IntegrityError as exc:
            raise _integrity_error(table, {**before, **updates}, exc) from exc
        after = _get(self.db, table, pk_list)
        self.rows.append((table, pk_list, *_without_unchanged_bulk(table, before, after)))
        return after or {}

    def delete(self, table: str, pk: Any) -> Row:
        pk_list = list(pk) if isinstance(pk, list | tuple) else [pk]
        before = _get(self.db, table, pk_list)
        if before is None:
            raise WorkbenchError(f"{table}: no row with key {pk_list}")
        self.db.execute(f"delete from [{table}] where {_where(self.db, table)}", pk_list)
        self.rows.append((table, pk_list, before, None))
        return before


# Long columns the history leaves out of an update that did not change them: a new label
# would otherwise keep two copies of the interview's whole text. Undo and redo then set the
# other columns (a row is updated where it stands: see _update_in_place).
_BULK_COLUMNS = {"transcripts": ("text",)}


def _without_unchanged_bulk(table: str, before: Row, after: Row | None) -> tuple[Row, Row | None]:
    if after is None:
        return before, after
    columns = [c for c in _BULK_COLUMNS.get(table, ()) if before.get(c) == after.get(c)]
    if not columns:
        return before, after
    return ({k: v for k, v in before.items() if k not in columns},
            {k: v for k, v in after.items() if k not in columns})


def ensure_coder(db: sqlite_utils.Database, coder: str) -> None:
    db.execute(
        "insert or ignore into coders (name, created_at) values (?, ?)", [coder, now_iso()]
    )


@contextmanager
def record(
    db: sqlite_utils.Database, coder: str, action: str, summary: str = ""
) -> Iterator[ChangeSet]:
    """Run a user action in one transaction and record every row it changed."""
    with db.atomic():
        ensure_coder(db, coder)
        cs = ChangeSet(db, coder, action, summary)
        yield cs
        if cs.rows:
            change_id = db.table("changes").insert(
                {"coder": coder, "at": now_iso(), "action": cs.action, "summary": cs.summary}
            ).last_pk
            db.table("change_rows").insert_all(
                {
                    "change_id": change_id,
                    "seq": i,
                    "table_name": table,
                    "pk": json.dumps(pk),
                    "before": json.dumps(before) if before is not None else None,
                    "after": json.dumps(after) if after is not None else None,
                }
                for i, (table, pk, before, after) in enumerate(cs.rows)
            )


def with_derived(table: str, row: Row) -> Row:
    """``row`` with the columns derived from it: ``codes.name_key`` (how names compare, under
    a unique index) from ``name``. Every write of a code goes through here, undo and redo
    included, so that the key can never disagree with the name."""
    if table == "codes" and "name" in row and row["name"] is not None:
        from workbench.textsafety import name_key

        return {**row, "name_key": name_key(row["name"])}
    return row


def _integrity_error(table: str, row: Row, exc: sqlite3.IntegrityError) -> WorkbenchError:
    """A unique-name violation in words (the index is the last guard against two codes of one
    name written at the same moment by two processes)."""
    if table == "codes" and "name_key" in str(exc):
        from workbench.errors import ConflictError

        return ConflictError(f"a {row.get('kind') or 'code'} named '{row.get('name')}' exists "
                             "already (names are compared ignoring case and spacing)")
    return WorkbenchError(f"{table}: {exc}")


def _apply_row(db: sqlite_utils.Database, table: str, pk: list[Any], target: Row | None) -> None:
    """Make the row with key ``pk`` equal ``target`` (None: absent)."""
    db.execute(f"delete from [{table}] where {_where(db, table)}", pk)
    if target is not None:
        target = with_derived(table, target)
        try:
            db.table(table).insert(target)
        except sqlite3.IntegrityError as exc:
            raise _integrity_error(table, target, exc) from exc


def _rows_of(db: sqlite_utils.Database, change_id: int) -> list[Row]:
    return list(db.table("change_rows").rows_where("change_id = ?", [change_id], order_by="seq"))


def _replay(db: sqlite_utils.Database, change_id: int, *, backwards: bool) -> None:
    rows = _rows_of(db, change_id)
    if backwards:
        rows = rows[::-1]
    # Each row ends as it was before the change (undo: the first write's "before") or after it
    # (redo: the last write's "after"). All touched rows are removed first and then written in
    # their end state, so that no step in between can hold two codes of one name (the unique
    # index cannot wait for the commit); foreign keys are checked at the commit.
    end: dict[tuple[str, str], str | None] = {}
    for r in rows:
        end[(r["table_name"], r["pk"])] = r["before"] if backwards else r["after"]
    db.execute("PRAGMA defer_foreign_keys = ON")
    for (table, pk), target in end.items():
        if table not in _IN_PLACE or target is None:
            db.execute(f"delete from [{table}] where {_where(db, table)}", json.loads(pk))
    for (table, pk), target in end.items():
        if target is None:
            continue
        if table in _IN_PLACE and _update_in_place(db, table, json.loads(pk), json.loads(target)):
            continue
        _apply_row(db, table, json.loads(pk), json.loads(target))


# Rows changed where they stand rather than deleted and written again: a transcript carries the
# text its sentences are indexed by, so writing it again would re-index every sentence (see
# workbench.store.sentence_index); a relabelling undone would re-index the whole project.
_IN_PLACE = {"transcripts"}


def _update_in_place(db: sqlite_utils.Database, table: str, pk: list[Any], target: Row) -> bool:
    """Set the columns of the row ``pk`` that differ from ``target``; False when it is absent."""
    current = _get(db, table, pk)
    if current is None:
        return False
    changed = {k: v for k, v in with_derived(table, target).items() if k in current and current[k] != v}
    if changed:
        sets = ", ".join(f"[{k}] = ?" for k in changed)
        db.execute(f"update [{table}] set {sets} where {_where(db, table)}", [*changed.values(), *pk])
    return True


def _conflicts(db: sqlite_utils.Database, change_id: int, *, backwards: bool) -> list[str]:
    """Rows changed since this change set (by anyone): undoing over them would lose work.

    A row the change set wrote more than once (inserted, then joined into another) is compared
    with its state at the end of the change (undo) or before it (redo)."""
    expected_of: dict[tuple[str, str], str | None] = {}
    for r in _rows_of(db, change_id):
        key = (r["table_name"], r["pk"])
        if backwards:
            expected_of[key] = r["after"]  # the last write wins
        else:
            expected_of.setdefault(key, r["before"])  # the first write's before
    problems = []
    for (table, pk), expected in expected_of.items():
        current = _get(db, table, json.loads(pk))
        wanted = json.loads(expected) if expected else None
        if wanted is not None and current is not None:
            # Columns a later migration added, and derived ones, are not part of the change.
            derived = DERIVED.get(table, ())
            wanted = {k: v for k, v in wanted.items() if k not in derived}
            current = {k: v for k, v in current.items() if k in wanted}
        if wanted != current:
            problems.append(f"{table} {json.loads(pk)}")
    return problems


def _flip(db: sqlite_utils.Database, coder: str, change: Row, *, backwards: bool) -> Row:
    """Undo (``backwards``) or redo ``change``, refusing when its rows changed since."""
    verb = "undo" if backwards else "redo"
    what = change["summary"] or change["action"]
    problems = _conflicts(db, change["id"], backwards=backwards)
    if problems:
        raise WorkbenchError(
            f"cannot {verb} '{what}': changed since by another action ({', '.join(problems[:5])})"
        )
    _replay(db, change["id"], backwards=backwards)
    db.table("changes").update(change["id"], {"undone": UNDONE if backwards else DONE})
    db.table("changes").insert(
        {"coder": coder, "at": now_iso(), "action": verb, "summary": f"{verb}: {what}",
         "target_id": change["id"]}
    )
    return change


def log_only(db: sqlite_utils.Database, coder: str, action: str, summary: str) -> None:
    """Put an action that has no undo in the history (``LOG_ONLY``): an import, a
    re-processing. Call it inside the action's own transaction."""
    ensure_coder(db, coder)
    db.table("changes").insert({"coder": coder, "at": now_iso(), "action": action,
                                "summary": summary, "undone": LOG_ONLY})


def undo_last(db: sqlite_utils.Database, coder: str) -> Row | None:
    """Revert the last change of ``coder`` that is not undone. Returns the change, or None."""
    with db.atomic():
        rows = list(
            db.table("changes").rows_where(
                "coder = ? and undone = ? and action not in ('undo', 'redo')",
                [coder, DONE],
                order_by="id desc",
                limit=1,
            )
        )
        return _flip(db, coder, rows[0], backwards=True) if rows else None


def redo_last(db: sqlite_utils.Database, coder: str) -> Row | None:
    """Re-apply the change of ``coder`` undone most recently, unless a new change came since."""
    with db.atomic():
        last_new = db.execute(
            "select max(id) from changes where coder = ? and action not in ('undo', 'redo')",
            [coder],
        ).fetchone()[0]
        for u in db.table("changes").rows_where(
            "coder = ? and action = 'undo'", [coder], order_by="id desc"
        ):
            if last_new is not None and u["id"] < last_new:
                break
            candidate = db.table("changes").get(u["target_id"])
            if candidate["undone"] == UNDONE:
                return _flip(db, coder, candidate, backwards=False)
        return None


def history(
    db: sqlite_utils.Database, *, coder: str | None = None, limit: int | None = 50
) -> list[Row]:
    where = "coder = ?" if coder else None
    return list(
        db.table("changes").rows_where(
            where, [coder] if coder else [], order_by="id desc", limit=limit
        )
    )
