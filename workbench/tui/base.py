"""The base of the workbench's full screens: the running app, typed.

``self.app`` is Textual's ``App``; ``self.wb`` is the same object as the
:class:`~workbench.tui.app.WorkbenchApp` it is, so that a screen reaches the project, the coder
and the app's helpers (``guard``, ``data_changed``, ``open_transcript``) with their types
checked, without a ``type: ignore`` on every line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

__all__ = ["WorkbenchScreen"]


class WorkbenchScreen(Screen):
    """A full screen of the workbench (dialogs are ``ModalScreen``s)."""

    @property
    def wb(self) -> WorkbenchApp:
        """The running workbench app, typed."""
        return cast("WorkbenchApp", self.app)
