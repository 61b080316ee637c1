"""Issue 25: visiting the reader again and again keeps nothing of the earlier visits.

Each screen's Header watches the app's title and each footer key its Footer; Textual forgot
a closed watcher only when the watched value changed, so every reader visit kept a Header and
a set of footer keys (with styles and caches) alive. The app now forgets the watchers of
closed widgets; this test counts live Headers, footer keys and readers.
"""

from __future__ import annotations

import gc

from textual.widgets import Header
from textual.widgets._footer import FooterKey

from tests.test_tui import SIZE, settle
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.reader import ReaderScreen


async def test_reader_visits_leave_no_headers_or_screens_behind(project, add_transcript):
    add_transcript("T1")
    app = WorkbenchApp(project)
    def live() -> tuple[int, int, int]:
        gc.collect()
        objects = gc.get_objects()
        return (sum(isinstance(o, Header) for o in objects), sum(isinstance(o, FooterKey) for o in objects),
                sum(isinstance(o, ReaderScreen) for o in objects))

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_transcript("T1")
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause(0.6)
        before = live()  # (other tests' leftovers in this process count in both)
        for _ in range(12):
            app.open_transcript("T1")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.pause(0.6)  # one follow tick forgets the closed watchers
        headers, keys, readers = (after - b for after, b in zip(live(), before, strict=True))
        assert headers <= 1, headers
        assert keys <= 30, keys  # not one set of footer keys per visit
        assert readers <= 1, readers
