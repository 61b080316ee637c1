"""A screen that keeps itself current: it reloads when it is shown again after the data
changed, when the app marks it stale, when asked (``refresh_data``), or when it notices, by a
cheap poll, that the project database changed (through this connection or another one)."""

from __future__ import annotations

import sqlite3

from workbench.tui.base import WorkbenchScreen

POLL_SECONDS = 1.5


class LiveScreen(WorkbenchScreen):
    """Subclasses implement :meth:`reload`; everything else decides when to call it.

    Textual dispatches ``on_mount`` to every class in the MRO (subclass first), so a subclass's
    own ``on_mount`` must not call ``super().on_mount()``: this one runs after it anyway.
    """

    def __init__(self, project, coder: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.stale = False  # the workbench app sets this when data changed elsewhere
        self._signature: tuple | None = None

    def data_signature(self) -> tuple | None:
        """Changes made through this thread's connection, and commits by any other."""
        try:
            db = self.project.db
            version = db.execute("pragma data_version").fetchone()[0]
            return (db.conn.total_changes, version)
        except sqlite3.Error:
            return None

    def on_mount(self) -> None:
        self._signature = self.data_signature()
        self.reload()
        self.set_interval(POLL_SECONDS, self._poll, name="data-poll")

    def _poll(self) -> None:
        if not self.is_current:
            return
        signature = self.data_signature()
        if signature != self._signature:
            self._signature = signature
            self.reload()

    def on_screen_resume(self) -> None:
        signature = self.data_signature()
        if self.stale or signature != self._signature:
            self.stale = False
            self._signature = signature
            self.reload()

    def refresh_data(self) -> None:
        """Reload now (the workbench app calls this after undo and redo)."""
        self._signature = self.data_signature()
        self.reload()

    def reload(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
