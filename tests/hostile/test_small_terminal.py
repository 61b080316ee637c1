"""Issue 25: the picker lists codes on a 40×12 terminal (it showed no entries)."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.test_tui import open_reader, settle
from workbench.services.codebook import codes as codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CodePicker


async def test_the_picker_lists_codes_at_40_by_12(project, add_transcript):
    add_transcript("T1")
    for name in ("Netwerk", "Signalen", "Geld"):
        codebook.add(project.db, "anna", name)
    app = WorkbenchApp(project)
    async with app.run_test(size=(40, 12)) as pilot:
        reader = await open_reader(app, pilot, "T1")
        text = project.db["transcripts"].get("T1")["text"]
        start = text.index("Ik werk")
        reader._pick_code((start, start + 20))
        await settle(app, pilot)
        assert isinstance(app.screen, CodePicker)
        options = app.screen.query_one("#picker-options", OptionList)
        assert options.option_count >= 3
        assert options.region.height >= 2  # rows on screen to show them
        assert options.region.width <= 40


async def test_a_joined_emoji_sequence_keeps_its_line_aligned(project, add_transcript):
    from rich.cells import cell_len

    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    add_transcript("T1", turns=[("I", "Wie woont er?"), ("R", f"Het gezin {family} woont daar al jaren.")])
    app = WorkbenchApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, "T1")
        view = reader.view
        rows = [view.render_line(y) for y in range(view.size.height)]
        line = next(r for r in rows if "gezin" in r.text)
        assert "\u200d" not in line.text  # drawn unjoined: the cells it is counted for
        assert line.cell_length == cell_len(line.text)
        start = project.db["transcripts"].get("T1")["text"].index(family)
        assert project.db["transcripts"].get("T1")["text"][start:start + 5] == family  # offsets as stored
