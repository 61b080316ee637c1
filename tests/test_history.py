"""Undo and redo of every kind of coding and codebook change, and the history log."""

from __future__ import annotations

import pytest

from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.store.changes import history, redo_last, undo_last


@pytest.fixture
def db(project, add_transcript):
    add_transcript("T1")
    db = project.db
    codebook.add(db, "anna", "Signalen", kind="theme")
    codebook.add(db, "anna", "Dwang", kind="theme")
    codebook.add(db, "anna", "Snapchat", parent="Signalen", definition="app")
    codebook.add(db, "anna", "Sociale media", parent="Signalen")
    return db


def snapshot(db) -> tuple:
    tables = ("codes", "codings", "memos", "survey_links", "quotes")
    return tuple(sorted(tuple(sorted(r.items())) for r in db.query(f"select * from {t}")) for t in tables)


def _code(db, name, coder="anna", sentence=1):
    return coding.apply_code(db, coder, "T1", name, *coding.sentence_span(db, "T1", sentence))


ACTIONS = {
    "apply": lambda db, ids: _code(db, "Snapchat", sentence=2),
    "remove": lambda db, ids: coding.remove_coding(db, "anna", ids["coding"]),
    "rename": lambda db, ids: codebook.rename(db, "anna", "Snapchat", "Snapchat-werving"),
    "move": lambda db, ids: codebook.move(db, "anna", "Snapchat", "Dwang"),
    "merge": lambda db, ids: codebook.merge(db, "anna", "Snapchat", "Sociale media"),
    "split": lambda db, ids: codebook.split(db, "anna", "Snapchat", "Snapchat-verhalen", [ids["coding"]]),
    "delete --force": lambda db, ids: codebook.delete(db, "anna", "Snapchat", force=True),
    "edit": lambda db, ids: codebook.update_fields(db, "anna", "Snapchat", definition="nieuw", colour="#000000"),
    "coding memo": lambda db, ids: coding.set_memo(db, "anna", ids["coding"], "memo"),
    "project memo": lambda db, ids: memos.add(db, "anna", "project", None, "notitie"),
    "code memo": lambda db, ids: memos.add(db, "anna", "code", "Snapchat", "notitie"),
    "survey links": lambda db, ids: codebook.set_survey_themes(db, "anna", "Snapchat", ["4.3"]),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_undo_and_redo_each_kind_of_change(db, action):
    ids = {"coding": _code(db, "Snapchat")["id"]}
    _code(db, "Sociale media", sentence=1)  # a twin for the merge to collapse
    codebook.set_survey_themes(db, "anna", "Snapchat", ["4.4"])
    before = snapshot(db)
    ACTIONS[action](db, ids)
    after = snapshot(db)
    assert after != before
    assert undo_last(db, "anna") is not None
    assert snapshot(db) == before
    assert redo_last(db, "anna") is not None
    assert snapshot(db) == after


def test_undo_is_per_coder(db):
    a = _code(db, "Snapchat")
    b = _code(db, "Snapchat", coder="bram", sentence=2)
    undone = undo_last(db, "anna")
    assert "Snapchat" in undone["summary"]
    assert db.execute("select id from codings").fetchall() == [(b["id"],)]
    assert a["id"] != b["id"]


def test_history_lists_who_did_what(db):
    _code(db, "Snapchat", coder="bram")
    codebook.rename(db, "anna", "Snapchat", "Snapchat-werving")
    undo_last(db, "anna")
    rows = history(db)
    assert [r["action"] for r in rows[:3]] == ["undo", "code.rename", "coding.apply"]
    assert rows[2]["coder"] == "bram" and rows[1]["undone"] == 1
    assert [r["coder"] for r in history(db, coder="bram")] == ["bram"]
