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

from tests import test_tui_areas
from tests.test_tui import SIZE, settle
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.reader import ReaderScreen

pair = test_tui_areas.pair  # two interviews, two coders


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


TOUR = ("enter", "v", "3", "4", "5", "6", "8", "?", "/")
"""Every screen in turn from the transcripts list: the reader, theme review, map, matrix,
agreement, export, dashboard, help and search (the audit is left out: it builds deduce)."""


async def tour(app, pilot) -> set[str]:
    from workbench.tui.screens.transcripts import TranscriptsScreen

    seen = set()
    for key in TOUR:
        await pilot.press(key)
        await settle(app, pilot)
        seen.add(type(app.screen).__name__)
        while not isinstance(app.screen, TranscriptsScreen):
            await pilot.press("escape")
            await settle(app, pilot)
    return seen


async def test_every_screen_in_turn_leaves_nothing_behind(pair):
    from textual.screen import Screen

    app = WorkbenchApp(pair)

    def live() -> dict[str, int]:
        gc.collect()
        counts: dict[str, int] = {}
        for o in gc.get_objects():
            if isinstance(o, Screen | Header | FooterKey):
                counts[type(o).__name__] = counts.get(type(o).__name__, 0) + 1
        return counts

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = await tour(app, pilot)  # warm: every screen class and cache once
        assert seen == {"ReaderScreen", "ReviewScreen", "MapScreen", "MatrixScreen",
                        "AgreementScreen", "ExportScreen", "ProgressScreen", "HelpScreen",
                        "SearchScreen"}, seen
        await pilot.pause(0.6)
        before = live()
        for _ in range(2):
            await tour(app, pilot)
        await pilot.pause(0.6)
        after = live()
        grown = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        # At most one closed screen of a class lingers for a moment, and one footer's keys;
        # a leak would keep every visit's: 9 screens and about 90 footer keys per tour.
        assert all(n <= 1 for k, n in grown.items() if k != "FooterKey"), grown
        assert grown.get("FooterKey", 0) <= 15, grown
