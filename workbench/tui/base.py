"""The base of the workbench's full screens: the running app, typed, and the one way a screen
learns that the project's data changed.

``self.app`` is Textual's ``App``; ``self.wb`` is the same object as the
:class:`~workbench.tui.app.WorkbenchApp` it is, so that a screen reaches the project, the coder
and the app's helpers (``guard``, ``data_changed``, ``open_transcript``) with their types
checked, without a ``type: ignore`` on every line.

Data changes reach screens one way: the app calls :meth:`ShowsProjectData.refresh_data` on the
screen shown now (after the screen's own action, undo and redo, or a change it noticed: another
process's commit, a write without a notice) and marks every other screen ``stale``; a stale
screen refreshes when it is shown again (:meth:`WorkbenchScreen.on_screen_resume`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual.message_pump import MessagePump
from textual.screen import Screen

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

__all__ = ["ShowsProjectData", "WorkbenchScreen", "workbench_of"]


@runtime_checkable
class ShowsProjectData(Protocol):
    """A screen or dialog that shows project data and can show it again in place."""

    def refresh_data(self) -> None: ...


def workbench_of(node: MessagePump) -> WorkbenchApp:
    """The running workbench app of a widget or dialog, typed (the workbench runs no other
    app)."""
    return cast("WorkbenchApp", node.app)


class WorkbenchScreen(Screen):
    """A full screen of the workbench (dialogs are ``ModalScreen``s and reach the app through
    :func:`workbench_of`)."""

    #: The project's data changed while another screen was shown: refresh when shown again.
    stale: bool = False

    @property
    def wb(self) -> WorkbenchApp:
        """The running workbench app, typed."""
        return workbench_of(self)

    def refresh_data(self) -> None:
        """Show the project's data again, in place (cursor and selection kept); a screen that
        shows data overrides this."""

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh_data()
