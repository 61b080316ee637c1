"""Issue 24.7: the smaller frictions of the terminal UI, one test each."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.test_tui import SIZE, open_reader, settle, two  # noqa: F401  (fixture)
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.store.changes import undo_last
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.transcripts import progress_cell
from workbench.tui.widgets.codebook_panel import CodebookPanel


async def test_tab_into_the_codebook_highlights_a_row(two):  # noqa: F811
    codebook.add(two.db, "anna", "Geld")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, 0.4)
        await pilot.press("tab")
        panel = app.screen.query_one(CodebookPanel)
        assert panel.has_focus and panel.cursor_node is not None and panel.cursor_node.data


async def test_a_theme_stays_open_after_a_move_and_arrows_open_and_close(two):  # noqa: F811
    code = codebook.add(two.db, "anna", "Geld")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, 0.4)
        theme = codebook.add(two.db, "anna", "Werving", kind="theme")
        codebook.move(two.db, "anna", code["id"], theme["id"])
        panel = app.screen.query_one(CodebookPanel)
        app.data_changed(local=app.screen)  # what a screen does after its own edit
        await settle(app, pilot, 0.8)
        node = next(n for n in panel._all_nodes() if n.data and n.data["id"] == theme["id"])
        assert node.is_expanded  # new here: open, so the moved code shows
        panel.focus()
        panel.move_cursor(node)
        await pilot.press("left")
        assert not node.is_expanded
        await pilot.press("right")
        assert node.is_expanded


async def test_arrows_do_not_scroll_the_reader_sideways(two):  # noqa: F811
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        await pilot.press("right", "right", "right")
        assert reader.view.scroll_x == 0


async def test_the_palette_does_not_call_the_colour_scheme_a_theme(two):  # noqa: F811
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Colour scheme" in titles


def test_undo_names_what_changed_in_words(project, add_transcript):
    add_transcript("H03")
    db = project.db
    code = codebook.add(db, "anna", "Jongeren op straat")
    text = db["transcripts"].get("H03")["text"]
    s = text.index("Ik werk")
    row = coding.apply_code(db, "anna", "H03", code["id"], s, s + 20)
    coding.set_memo(db, "anna", row["id"], "let op")
    change = undo_last(db, "anna")
    assert change["summary"] == "memo on “Jongeren op straat” in H03 “Ik werk al tien jaar”"
    assert row["id"] not in change["summary"]
    coding.remove_coding(db, "anna", row["id"])
    assert "remove coding “Jongeren op straat” in H03" in undo_last(db, "anna")["summary"]


async def test_home_and_end_in_the_transcripts_list(two):  # noqa: F811
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


def test_progress_never_reads_zero_with_a_coding():
    assert progress_cell(0.0).endswith("  0%")
    assert progress_cell(0.0003).endswith(" <1%") and len(progress_cell(0.0003)) == len(progress_cell(0.5))
    assert progress_cell(0.2) == "█░░░ 20%"


async def test_a_selection_starts_and_ends_on_any_word(two):  # noqa: F811
    """Issue 24.2: → / ← move a word cursor; ⇧→ selects from it; the coding, the quote and
    its verbatim check use exactly that span."""
    from workbench.services.reporting import quotes
    from workbench.tui.screens.dialogs import CodePicker

    text = two.db["transcripts"].get("INT01")["text"]
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        await pilot.press("j", "j")  # "Ik werk al tien jaar met jongeren."
        await pilot.press("right", "right", "right", "right")  # Ik → werk → al → tien
        assert text[reader.view.point:].startswith("tien jaar")
        assert "word cursor" in str(reader.query_one("#status").render())
        await pilot.press("shift+right", "shift+right")
        assert text[slice(*reader.view.selection)] == "tien jaar"
        await pilot.press("left")  # moving the word cursor drops the selection
        assert reader.view.selection is None and text[reader.view.point:].startswith("al tien")
        await pilot.press("shift+right", "shift+right", "shift+right", "shift+left")
        assert text[slice(*reader.view.selection)] == "al tien"
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Ervaring", "enter")
        await settle(app, pilot)
    row = two.db.execute("select id, start, end from codings").fetchone()
    assert text[row[1]:row[2]] == "al tien"
    quote = quotes.star(two.db, "anna", row[0])
    assert quote["text"] == "al tien"
    # the sentence's other words stand outside the coding: not quotable without a mark
    import pytest

    from workbench.analysis.verbatim import VerbatimError
    with pytest.raises(VerbatimError):
        quotes.star(two.db, "anna", row[0], "al tien jaar")
