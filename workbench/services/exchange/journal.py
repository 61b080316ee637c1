"""Recording a large import as one undoable change: every row it wrote, once, with its final state.

An archive import writes rows through a :class:`~workbench.store.changes.ChangeSet` (codes,
codings, memos …) and in bulk outside it (transcripts with their turns and sentences, written by
the transcript store). Undo and redo compare each recorded row with the database, so a row that
was recorded twice (inserted, then given a memo) or changed after it was recorded would make the
change look "changed since by another action". :func:`note_written` adds the bulk rows to the
change set and :func:`settle` collapses the change set to one entry per row: its state before
the first write and its state now. Rows that ended as they began are dropped.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.store.changes import ChangeSet

Row = dict[str, Any]
CHUNK = 400  # SQLite host parameters per query


def note_written(cs: ChangeSet, table: str, pk: list[Any], before: Row | None = None) -> None:
    """Record that the row ``pk`` of ``table`` was written outside ``cs`` (``before``: its
    state before the action; None: it did not exist). Its final state is read by :func:`settle`."""
    cs.rows.append((table, list(pk), before, None))


def _current(cs: ChangeSet, table: str, pks: list[list[Any]]) -> dict[str, Row]:
    """The rows of ``table`` with these keys as they are now, by their JSON key."""
    cols = cs.db.table(table).pks
    out: dict[str, Row] = {}
    firsts = sorted({pk[0] for pk in pks}, key=repr)
    for i in range(0, len(firsts), CHUNK):
        part = firsts[i:i + CHUNK]
        marks = ", ".join("?" for _ in part)
        for row in cs.db.query(f"select * from [{table}] where [{cols[0]}] in ({marks})", part):
            out[json.dumps([row[c] for c in cols])] = row
    return out


def settle(cs: ChangeSet) -> None:
    """One entry per row in ``cs``: the state before its first write, the state now."""
    first: dict[tuple[str, str], tuple[list[Any], Row | None]] = {}
    for table, pk, before, _after in cs.rows:
        first.setdefault((table, json.dumps(pk)), (pk, before))
    by_table: dict[str, list[list[Any]]] = {}
    for (table, _key), (pk, _before) in first.items():
        by_table.setdefault(table, []).append(pk)
    now = {table: _current(cs, table, pks) for table, pks in by_table.items()}
    settled = []
    for (table, key), (pk, before) in first.items():
        after = now[table].get(key)
        if after is None:  # a key given with another type than stored: ask SQLite to compare
            where = " and ".join(f"[{c}] = ?" for c in cs.db.table(table).pks)
            after = next(iter(cs.db.table(table).rows_where(where, pk)), None)
        if after != before:
            settled.append((table, pk, before, after))
    cs.rows[:] = settled
