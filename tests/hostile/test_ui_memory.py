"""Issue 25: visiting the reader again and again keeps nothing of the earlier visits.

Each screen's Header watches the app's title; Textual forgot a closed watcher only when the
title changed, so every reader visit kept its Header (with styles and caches) alive. The app
now forgets the watchers of closed widgets; this test counts live Headers and readers.
"""

from __future__ import annotations

import gc

from textual.widgets import Header

from tests.test_tui import SIZE, settle
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.reader import ReaderScreen


async def test_reader_visits_leave_no_headers_or_screens_behind(project, add_transcript):
    add_transcript("T1")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(12):
            app.open_transcript("T1")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.pause(0.6)  # one follow tick forgets the closed watchers
        gc.collect()
        headers = [o for o in gc.get_objects() if isinstance(o, Header)]
        readers = [o for o in gc.get_objects() if isinstance(o, ReaderScreen)]
        assert len(headers) <= 3, len(headers)
        assert len(readers) <= 1, len(readers)
