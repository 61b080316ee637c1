"""A screen that rebuilds its view from the project (the map, the matrix, the phase dashboard):
on mount, when asked (``refresh_data``: the app calls it when the data changed while it is
shown), and when it is shown again after the data changed elsewhere (``stale``, see
:mod:`workbench.tui.base`)."""

from __future__ import annotations

from typing import Any

from workbench.tui.base import WorkbenchScreen


class LiveScreen(WorkbenchScreen):
    """Subclasses implement :meth:`reload`; the app decides when it is called.

    Textual dispatches ``on_mount`` to every class in the MRO (subclass first), so a subclass's
    own ``on_mount`` must not call ``super().on_mount()``: this one runs after it anyway.
    """

    def __init__(self, project: Any, coder: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder

    def on_mount(self) -> None:
        self.reload()

    def refresh_data(self) -> None:
        """Rebuild now (the app calls this when the data changed while the screen is shown)."""
        self.reload()

    def reload(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
