"""Theme review of a big theme (issue 17, item 4): the list lays out a page of extracts at a
time, says how many more there are, and `+` (or Enter on that line) shows the next page; the
coverage line counts them all."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.widgets import OptionList

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.review import EXTRACTS_PAGE, MORE_ID, ReviewScreen

ROOT = Path(__file__).resolve().parent.parent


def _big_theme_project(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_big_project import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate(tmp_path / "big", interviews=6, words=3000, codings=8000, quiet=True)


async def test_a_big_theme_shows_a_page_of_extracts_then_more(tmp_path):
    project = _big_theme_project(tmp_path)
    theme = project.db.execute("select id from codes where kind = 'theme' order by position limit 1").fetchone()[0]
    app = WorkbenchApp(project)
    async with app.run_test(size=(140, 40)) as pilot:
        total = project.db.execute(  # the codings of whom the counts show (anna: half of them)
            "select count(*) from codings x join codes c on c.id = x.code_id where c.parent_id = ? "
            "and x.coder = ?", [theme, app.view_coder]).fetchone()[0]
        assert total > EXTRACTS_PAGE + 50
        app.open_review(theme)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        extracts = screen.query_one("#extracts", OptionList)
        ids = [extracts.get_option_at_index(i).id for i in range(extracts.option_count)]
        assert ids[-1] == MORE_ID
        assert len([i for i in ids if i and i != MORE_ID]) == EXTRACTS_PAGE
        assert f"{total} extract(s)" in str(screen.query_one("#coverage").render())
        extracts.focus()
        await pilot.press("plus")
        await pilot.pause()
        ids = [extracts.get_option_at_index(i).id for i in range(extracts.option_count)]
        shown = [i for i in ids if i and i != MORE_ID]
        assert len(shown) == min(total, 2 * EXTRACTS_PAGE)
        assert (ids[-1] == MORE_ID) == (total > 2 * EXTRACTS_PAGE)
        highlighted = extracts.get_option_at_index(extracts.highlighted).id
        assert highlighted in shown[EXTRACTS_PAGE - 1 :]  # where the list grew, not back at the top
