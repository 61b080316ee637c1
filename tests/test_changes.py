"""The change log: every recorded change can be undone and redone, and conflicts are refused."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.store.changes import history, record, redo_last, undo_last


def test_undo_redo_insert_update_delete(project) -> None:
    db = project.db
    with record(db, "anna", "meta.add", "add x") as cs:
        cs.insert("meta", {"key": "x", "value": "1"})
    with record(db, "anna", "meta.edit", "edit x") as cs:
        cs.update("meta", "x", {"value": "2"})
    with record(db, "anna", "meta.del", "delete x") as cs:
        cs.delete("meta", "x")
    assert db.execute("select count(*) from meta where key='x'").fetchone()[0] == 0
    assert undo_last(db, "anna")["action"] == "meta.del"
    assert db["meta"].get("x")["value"] == "2"
    assert undo_last(db, "anna")["action"] == "meta.edit"
    assert db["meta"].get("x")["value"] == "1"
    assert redo_last(db, "anna")["action"] == "meta.edit"
    assert db["meta"].get("x")["value"] == "2"
    assert redo_last(db, "anna")["action"] == "meta.del"
    assert redo_last(db, "anna") is None
    assert [h["action"] for h in history(db, coder="anna")][:2] == ["redo", "redo"]


def test_new_change_clears_redo(project) -> None:
    db = project.db
    with record(db, "anna", "a") as cs:
        cs.insert("meta", {"key": "a", "value": "1"})
    undo_last(db, "anna")
    with record(db, "anna", "b") as cs:
        cs.insert("meta", {"key": "b", "value": "1"})
    assert redo_last(db, "anna") is None


def test_undo_is_per_coder(project) -> None:
    db = project.db
    with record(db, "anna", "a") as cs:
        cs.insert("meta", {"key": "a", "value": "1"})
    with record(db, "bram", "b") as cs:
        cs.insert("meta", {"key": "b", "value": "1"})
    assert undo_last(db, "anna")["action"] == "a"
    assert db["meta"].get("b")["value"] == "1"


def test_undo_refused_when_row_changed_since(project) -> None:
    db = project.db
    with record(db, "anna", "a") as cs:
        cs.insert("meta", {"key": "a", "value": "1"})
    with record(db, "bram", "b") as cs:
        cs.update("meta", "a", {"value": "9"})
    with pytest.raises(WorkbenchError, match="changed since"):
        undo_last(db, "anna")
    assert db["meta"].get("a")["value"] == "9"


def test_failed_action_records_nothing(project) -> None:
    db = project.db
    with pytest.raises(WorkbenchError):
        with record(db, "anna", "a") as cs:
            cs.insert("meta", {"key": "a", "value": "1"})
            cs.update("meta", "missing", {"value": "2"})
    assert db.execute("select count(*) from meta where key='a'").fetchone()[0] == 0
    assert db["changes"].count == 0
