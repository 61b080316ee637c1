"""Memos on the project, transcripts, codes and codings."""

from __future__ import annotations

import pytest

from workbench.errors import NotFoundError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding


@pytest.fixture
def db(project, add_transcript):
    add_transcript("T1")
    db = project.db
    codebook.add(db, "anna", "Signalen", kind="theme")
    codebook.add(db, "anna", "Snapchat", parent="Signalen")
    return db


def test_project_and_transcript_memos(db):
    p = memos.add(db, "anna", "project", None, "Eerste indruk: veel over schulden.")
    t = memos.add(db, "anna", "transcript", "Jongerenwerker", "Fase 1: veel signalen in beurt 2.")
    assert p["id"].startswith("m-") and p["target_kind"] == "project" and p["target_id"] == ""
    assert t["target_id"] == "T1" and "T1" in t["target"]
    assert [m["id"] for m in memos.list_memos(db)] == [p["id"], t["id"]]
    assert [m["id"] for m in memos.list_memos(db, "transcript", "T1")] == [t["id"]]
    edited = memos.edit(db, "anna", t["id"], "Aangepast.")
    assert edited["text"] == "Aangepast."
    with pytest.raises(WorkbenchError, match="written by 'anna'"):
        memos.edit(db, "bram", t["id"], "overschrijven")
    with pytest.raises(WorkbenchError, match="another coder"):
        memos.delete(db, "bram", t["id"])
    memos.delete(db, "anna", t["id"])
    with pytest.raises(NotFoundError):
        memos.get(db, t["id"])


def test_code_and_theme_memos_live_on_the_code(db):
    m = memos.add(db, "anna", "code", "Snapchat", "Verschil met Instagram?")
    memos.add(db, "bram", "code", "Snapchat", "Ook Telegram.")
    row = codebook.resolve(db, "Snapchat")
    assert row["memo"] == "Verschil met Instagram?\n\nOok Telegram."
    assert m["id"] == f"code:{row['id']}"
    theme = memos.add(db, "anna", "theme", "Signalen", "Thema-memo")
    assert theme["target_kind"] == "code" and "theme 'Signalen'" in theme["target"]
    memos.edit(db, "anna", m["id"], "Alleen Snapchat.")
    assert codebook.resolve(db, "Snapchat")["memo"] == "Alleen Snapchat."
    memos.delete(db, "anna", m["id"])
    assert codebook.resolve(db, "Snapchat")["memo"] == ""
    assert [x["target_kind"] for x in memos.list_memos(db, "code")] == ["code"]


def test_coding_memos_only_by_their_coder(db):
    c = coding.apply_code(db, "anna", "T1", "Snapchat", *coding.sentence_span(db, "T1", 1))
    m = memos.add(db, "anna", "coding", c["id"], "Duidelijk voorbeeld.")
    assert coding.get_coding(db, c["id"])["memo"] == "Duidelijk voorbeeld." and m["id"] == f"coding:{c['id']}"
    with pytest.raises(WorkbenchError, match="another coder"):
        memos.add(db, "bram", "coding", c["id"], "oneens")
    memos.delete(db, "anna", m["id"])
    assert coding.get_coding(db, c["id"])["memo"] == ""
    assert memos.list_memos(db, "coding") == []


def test_bad_memos(db):
    with pytest.raises(WorkbenchError, match="empty"):
        memos.add(db, "anna", "project", None, "   ")
    with pytest.raises(WorkbenchError, match="memo is on one of"):
        memos.add(db, "anna", "sentence", "1", "x")
    with pytest.raises(WorkbenchError, match="name the transcript"):
        memos.add(db, "anna", "transcript", None, "x")
    with pytest.raises(NotFoundError):
        memos.add(db, "anna", "transcript", "T9", "x")
    with pytest.raises(NotFoundError):
        memos.get(db, "m-nope")
    with pytest.raises(WorkbenchError, match=r"control characters \(U\+0000\)"):
        memos.add(db, "anna", "project", None, "a\x00b")
    memo = memos.add(db, "anna", "project", None, "regel een\n\tregel twee")  # tabs and line breaks are fine
    with pytest.raises(WorkbenchError, match="control characters"):
        memos.edit(db, "anna", memo["id"], "a\x1bb")
    assert memos.get(db, memo["id"])["text"] == "regel een\n\tregel twee"
