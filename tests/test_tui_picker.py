"""The code picker in the reader: abbreviations rank the code first; a new code and its coding
are one change that one undo removes (issue 14, parts 6 and 7)."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.test_tui import SIZE, open_reader, settle, two  # noqa: F401  (fixture)
from workbench.services import codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CodePicker


async def test_abbreviation_picks_the_code(two):  # noqa: F811
    for name in ("Signalen financieel", "Financiële signalen", "Ronselen op school", "Ronselen online"):
        codebook.add(two.db, "anna", name)
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_reader(app, pilot)
        await pilot.press("j", "c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"fin sig")
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert "Financiële signalen" in str(first.prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        row = two.db.execute(
            "select c.name from codings x join codes c on c.id = x.code_id").fetchone()
        assert row[0] == "Financiële signalen"
