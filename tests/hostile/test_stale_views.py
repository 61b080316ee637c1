"""Issue 25: edits from a stale view are refused, not applied.

A rename, definition edit, memo, move, merge or delete made from what a dialog showed is
compared with what the project holds now, inside the write transaction; if another coder or
process changed it meanwhile, nothing is changed, the message says what it is now, and the
UI opens the dialog again on the current version.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_tui import SIZE, settle
from workbench.services.codebook import codes as codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import PromptScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel


def rename_elsewhere(project, code_id: str, name: str) -> None:
    """Another process (a second UI, the CLI) renames the code."""
    from workbench.store.connection import open_database

    other = open_database(project.db_path)
    codebook.rename(other, "bram", code_id, name)
    other.close()


@pytest.mark.parametrize("edit", ["rename", "define", "move", "merge", "delete"])
def test_services_refuse_an_edit_from_a_stale_view(project, edit):
    shown = codebook.add(project.db, "anna", "Netwerk")
    codebook.add(project.db, "anna", "Anders")
    theme = codebook.add(project.db, "anna", "Thema", kind="theme")
    rename_elsewhere(project, shown["id"], "Netwerken")
    calls = {
        "rename": lambda: codebook.rename(project.db, "anna", shown["id"], "Criminele netwerken", seen=shown),
        "define": lambda: codebook.update_fields(project.db, "anna", shown["id"], seen=shown, definition="x"),
        "move": lambda: codebook.move(project.db, "anna", shown["id"], theme["id"], seen=shown),
        "merge": lambda: codebook.merge(project.db, "anna", shown["id"], "Anders", seen=shown),
        "delete": lambda: codebook.delete(project.db, "anna", shown["id"], seen=shown),
    }
    with pytest.raises(codebook.StaleError, match="changed meanwhile: now 'Netwerken' \\(by bram"):
        calls[edit]()
    now = codebook.resolve(project.db, shown["id"])
    assert now["name"] == "Netwerken" and now["parent_id"] is None and not now["definition"]


def test_an_edit_from_a_current_view_goes_through(project):
    shown = codebook.add(project.db, "anna", "Netwerk")
    row, _w = codebook.rename(project.db, "anna", shown["id"], "Netwerken", seen=shown)
    assert row["name"] == "Netwerken"


async def test_the_rename_dialog_of_a_stale_view_is_refused_and_shown_again(project, add_transcript):
    add_transcript("T1")
    code = codebook.add(project.db, "anna", "Netwerk")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one(CodebookPanel)
        panel.focus()
        panel.select_id(code["id"])
        await pilot.pause()
        await pilot.press("r")
        assert isinstance(app.screen, PromptScreen)
        rename_elsewhere(project, code["id"], "Netwerken")  # while the dialog is open
        await pilot.press("ctrl+a", "ctrl+k", *"Criminele netwerken", "enter")
        await settle(app, pilot)
        assert codebook.resolve(project.db, code["id"])["name"] == "Netwerken"
        assert any(n.title == "Not saved" for n in app._notifications)
        assert isinstance(app.screen, PromptScreen)  # asked again, on the current name
        from textual.widgets import Input

        assert app.screen.query_one(Input).value == "Netwerken"
        await pilot.press("ctrl+a", "ctrl+k", *"Criminele netwerken", "enter")
        await settle(app, pilot)
        assert codebook.resolve(project.db, code["id"])["name"] == "Criminele netwerken"
    con = sqlite3.connect(project.db_path)
    assert con.execute("select count(*) from codes").fetchone()[0] == 1
    con.close()


async def test_a_memo_edited_elsewhere_is_not_overwritten_and_a_removed_coding_is_said(project, add_transcript):
    from tests.test_tui import open_reader
    from workbench.services.coding import passages as coding
    from workbench.store.connection import open_database

    add_transcript("T1")
    code = codebook.add(project.db, "anna", "Netwerk")
    text = project.db["transcripts"].get("T1")["text"]
    start = text.index("Ik werk")
    row = coding.apply_code(project.db, "anna", "T1", code["id"], start, start + 20)
    app = WorkbenchApp(project)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(app, pilot, "T1")
        reader.view.move_to_offset(start, select_to=start + 20)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        other = open_database(project.db_path)  # the same coder, in another window
        coding.set_memo(other, "anna", row["id"], "Uit het andere venster")
        other.close()
        await pilot.press(*"Mijn memo", "enter")
        await settle(app, pilot)
        assert project.db["codings"].get(row["id"])["memo"] == "Uit het andere venster"
        assert any("changed meanwhile" in n and "Uit het andere venster" in n for n in notes)
        assert isinstance(app.screen, PromptScreen)  # the dialog again, on the memo as it is now
        assert app.screen.query_one("Input").value == "Uit het andere venster"
        await pilot.press("escape")
        await settle(app, pilot)
        # Removed elsewhere, still on this screen for a moment: x says so, nothing breaks.
        with sqlite3.connect(project.db_path) as con:
            con.execute("delete from codings where id = ?", [row["id"]])
        con.close()
        app._signature = None  # as if the follow tick had not come yet
        await pilot.press("x")
        await settle(app, pilot)
        assert any("removed meanwhile" in n for n in notes), notes
        assert reader.view.own == []
