"""Issue 17 (item 5) in the terminal UI: a keypress whose write finds the project locked by
another process waits at most two seconds (the screen cannot repaint meanwhile), then says the
project is busy; nothing is written and the app goes on."""

from __future__ import annotations

import sqlite3
import time

from workbench.store import connection
from workbench.tui.app import WorkbenchApp


async def test_a_write_while_another_process_writes_says_busy_instead_of_freezing(project, add_transcript):
    from workbench.services.codebook import codes as codebook

    add_transcript("INT01")
    app = WorkbenchApp(project)
    notices: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert connection.main_thread_wait_ms == WorkbenchApp.WRITE_WAIT_MS
        original = app.notify
        app.notify = lambda message, **kw: (notices.append(str(message)), original(message, **kw))[1]
        other = sqlite3.connect(str(project.root / "workbench.db"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            start = time.monotonic()
            with app.guard():
                codebook.add(project.db, "anna", "Werving")
            waited = time.monotonic() - start
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert 1.5 <= waited < 5
        assert any("locked by another program for more than 2 s" in n for n in notices), notices
        assert project.db.execute("select count(*) from codes").fetchone()[0] == 0
        with app.guard():  # free again: it works
            codebook.add(project.db, "anna", "Werving")
        assert project.db.execute("select count(*) from codes").fetchone()[0] == 1
    assert connection.main_thread_wait_ms is None  # the CLI's own waits are as configured again
