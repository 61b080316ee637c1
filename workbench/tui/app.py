"""The terminal workbench: the Textual app, its global keys and how screens hand off.

``run_app(project, coder)`` is what ``workbench open`` calls. The app holds the project and the
coder; screens hold ids and ask the services for data (workers for anything big). Every action
that changes data goes through a service inside :meth:`WorkbenchApp.guard`, which turns a
``WorkbenchError`` (or a database error) into a notification instead of a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from workbench.errors import WorkbenchError
from workbench.project import Project
from workbench.tui.area_keys import AREA_BINDINGS
from workbench.tui.base import ShowsProjectData, WorkbenchScreen
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.screens.transcripts import TranscriptsScreen

if TYPE_CHECKING:
    from workbench.services.search import Hit


class WorkbenchApp(App[None]):
    """Read, code and review interview transcripts, keyboard first."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    ENABLE_COMMAND_PALETTE = True

    # Footer order: the keys a user needs first. Each screen's own keys come before these;
    # the secondary ones (show=False) are in ``?`` and the palette (Ctrl+P). The areas show in
    # the footer of the first screen (see TranscriptsScreen), where there is room.
    BINDINGS = [
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("slash", "search", "Search", key_display="/", id="app.search"),
        Binding("v", "review", "Themes", id="app.review"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+r,U", "redo", "Redo", key_display="^R", show=False, id="app.redo"),
        Binding("t", "transcripts", "Transcripts", show=False, id="app.transcripts"),
        Binding("P", "next_phase", "Next phase", show=False, id="app.phase"),
        Binding("C", "whose", "Whose codings", show=False, id="app.whose"),
        # Areas: one digit each, from any main screen (full names in the palette and in ?).
        *AREA_BINDINGS,
    ]

    #: area -> (palette name, what it shows); the keys are the bindings above.
    AREAS = {
        "map": ("Thematic map", "survey themes, themes, sub-themes and codes with counts"),
        "matrix": ("Code matrix", "codes × respondents, domains, municipalities or codes"),
        "agreement": ("Agreement between coders", "kappa, alpha, % per code and theme; "
                      "disagreements; reconcile"),
        "export": ("Export chapter and quotes", "preview and write a report chapter (md/docx)"),
        "audit": ("Anonymity audit", "open flags: dismiss or replace with a placeholder"),
        "progress": ("Phase dashboard", "where each Braun & Clarke phase stands"),
    }

    def __init__(self, project: Project, coder: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = project.coder(coder)
        # Whose codings the codebook counts and theme review show (the header says so):
        # the coder's own by default; another coder, "consensus", or None for all coders.
        self.view_coder: str | None = self.coder
        self.title = f"workbench · {project.root.name}"
        self._update_subtitle()

    # -- screens --------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return TranscriptsScreen()

    def open_transcript(self, tid: str, *, offset: int | None = None,
                        end: int | None = None, compare: tuple[str, str] | None = None) -> None:
        """Open the reader (at ``offset``, selecting up to ``end``); ``compare`` shows two
        coders' codings side by side."""
        from workbench.tui.screens.reader import ReaderScreen

        screen = self.screen
        if isinstance(screen, ReaderScreen) and screen.transcript_id == tid:
            if compare:
                screen.compare(compare)
            if offset is not None:
                screen.jump_to(offset, end)
            return
        self.push_screen(ReaderScreen(tid, offset=offset, end=end, compare=compare))

    def open_review(self, code_id: str | None = None) -> None:
        from workbench.tui.screens.review import ReviewScreen

        screen = self.screen
        if isinstance(screen, ReviewScreen):
            if code_id:
                screen.code_id = code_id
                screen.load_extracts(code_id)
            return
        self.push_screen(ReviewScreen(code_id))

    @staticmethod
    def area_class(area: str) -> type[Screen]:
        """The screen class of one of :attr:`AREAS` (imported on first use)."""
        if area == "map":
            from workbench.tui.visual.map_view import MapScreen

            return MapScreen
        if area == "matrix":
            from workbench.tui.visual.matrix_view import MatrixScreen

            return MatrixScreen
        if area == "progress":
            from workbench.tui.visual.progress_view import ProgressScreen

            return ProgressScreen
        if area == "agreement":
            from workbench.tui.screens.agreement import AgreementScreen

            return AgreementScreen
        if area == "export":
            from workbench.tui.screens.export import ExportScreen

            return ExportScreen
        if area == "audit":
            from workbench.tui.screens.audit import AuditScreen

            return AuditScreen
        raise ValueError(f"unknown area {area!r}")

    def action_area(self, area: str) -> None:
        """Open an area; if it is open already (deeper in the stack), go back to it."""
        from workbench.tui.visual.live import LiveScreen

        cls = self.area_class(area)
        for i, screen in enumerate(self.screen_stack):
            if type(screen) is cls:
                while len(self.screen_stack) > i + 1:
                    self.pop_screen()
                return
        if issubclass(cls, LiveScreen):
            self.push_screen(cls(self.project, self.coder))
        else:
            self.push_screen(cls())

    def open_disagreements(self, coders: tuple[str, ...], unit: str,
                           code_id: str | None = None) -> None:
        from workbench.tui.screens.agreement import DisagreementsScreen

        self.push_screen(DisagreementsScreen(coders, unit, code_id))

    def action_import_transcripts(self) -> None:
        from workbench.tui.screens.imports import ask_import_transcripts

        ask_import_transcripts(self)

    def action_import_codebook(self) -> None:
        from workbench.tui.screens.imports import ask_import_codebook

        ask_import_codebook(self)

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_transcripts(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TranscriptsScreen):
            self.pop_screen()

    def action_review(self) -> None:
        from workbench.tui.widgets.codebook_panel import CodebookPanel

        focused = self.screen.focused
        current = focused.current if isinstance(focused, CodebookPanel) else None
        self.open_review(current["id"] if current else None)

    def action_help(self) -> None:
        from workbench.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from workbench.tui.screens.search import SearchScreen

        def jump(hit: Hit | None) -> None:
            if hit:
                self.open_transcript(hit.transcript_id, offset=hit.start, end=hit.end)

        self.push_screen(SearchScreen(), jump)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While typing (a text field has the focus), those letters are text: their keys leave
        the footer (quit stays: Ctrl+Q)."""
        from textual.command import CommandPalette
        from textual.widgets import Input, TextArea

        if isinstance(self.screen, CommandPalette):
            return True  # the palette lists the keys of the screen beneath it
        if isinstance(self.focused, Input | TextArea) and action in ("search", "help", "undo",
                                                                     "review"):
            return False
        return True

    def get_system_commands(self, screen: Screen):
        """Textual's own palette commands, without its "Keys" panel (``?`` is ours: every key
        of every screen) and "Quit" (a binding of ours, listed with its key). Its colour
        "Theme" is renamed: in a thematic-analysis tool "theme" means a theme of codes."""
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            if command.title in ("Keys", "Quit"):
                continue
            if command.title == "Theme":
                command = SystemCommand("Colour scheme", "Change the colours of the workbench "
                                        "(not a theme of codes)", command.callback)
            yield command

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications carry the researcher's own text (placeholders such as ``[naam]``,
        quotes with ``[…]``, code names): never read them as markup, and never let a control
        character from a file reach the terminal."""
        from workbench.textsafety import shown

        super().notify(shown(message), title=shown(title), severity=severity, timeout=timeout,
                       markup=False)

    #: Classes for small terminals (see app.tcss): dialogs fill a narrow or short screen.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (74, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (26, "-tall")]

    #: How often the app looks whether another process (the CLI, a second window) committed.
    FOLLOW_SECONDS = 0.5

    def on_unmount(self) -> None:
        from workbench.store import connection

        connection.main_thread_wait_ms = getattr(self, "_wait_before", None)

    #: The longest a keypress's write waits for another process before the app says the
    #: project is busy (the screen cannot repaint while it waits).
    WRITE_WAIT_MS = 2000

    def on_mount(self) -> None:
        from workbench.store import connection
        from workbench.store.schema import take_notices

        self._wait_before = connection.main_thread_wait_ms
        connection.main_thread_wait_ms = self.WRITE_WAIT_MS
        self._signature: tuple[int, int] | None = None
        self.follow_project()  # the baseline: what the screens are about to show
        self.set_interval(self.FOLLOW_SECONDS, self.follow_project)

        db = self.project.db
        why = db.read_only
        if why is not None and why.kind == "checking":
            self.notify("The project file was changed outside the workbench since it was last "
                        "closed: checking it before anything is written (reading works now).",
                        title="Checking", timeout=6)
            self.run_worker(self._check_project, thread=True, group="check", exit_on_error=False)
            return
        if why is not None and why.kind == "damaged":
            self.notify(why.message, title="Damaged: read-only", severity="error", timeout=60)
            return
        if why is not None:
            self.notify(f"{why.reason}: the project is opened read-only; changes are refused",
                        title="Read-only", severity="warning", timeout=20)
            return
        for notice in take_notices(db):  # e.g. what a migration renamed
            self.notify(notice, title="Note", timeout=20)

    def _check_project(self) -> None:
        """``quick_check`` on a connection of this worker's own (1.2 s at 1,000 interviews),
        while the screens read; the app's connection writes nothing until it passes."""
        from workbench.store import integrity

        self.call_from_thread(self._project_checked, integrity.check_file(self.project.db_path))

    def _project_checked(self, problem: str | None) -> None:
        self.project.finish_check(problem)
        why = self.project.db.read_only
        if why is not None and why.kind == "damaged":
            self.notify(why.message, title="Damaged: read-only", severity="error", timeout=60)
            return
        from workbench.store.schema import take_notices

        for notice in take_notices(self.project.db):
            self.notify(notice, title="Note", timeout=20)

    # -- changes --------------------------------------------------------------------------
    @contextmanager
    def guard(self, *, let_through: tuple[type[Exception], ...] = ()) -> Iterator[None]:
        """Show a workbench or database error as a notification; never crash the app.
        Errors of the types in ``let_through`` are for the caller to handle."""
        try:
            yield
        except let_through:
            raise
        except WorkbenchError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
        except sqlite3.Error as exc:  # a full disk, a read-only project, a lock, damage
            from workbench.store.connection import explain_for

            self.notify(explain_for(self.project.db, exc, self.project.db_path).message,
                        title="Not done", severity="error", timeout=12)

    def data_changed(self, *, local: Screen | None = None) -> None:
        """Something changed: refresh the codebook here, mark the other screens stale."""
        from workbench.tui.widgets.codebook_panel import CodebookPanel

        for screen in self.screen_stack:
            if screen is local:
                for panel in screen.query(CodebookPanel):
                    panel.reload_soon()
            elif isinstance(screen, WorkbenchScreen):
                screen.stale = True
        self._signature = self._data_signature()  # the screens know: no refresh by the follow
        self._update_subtitle()

    def _data_signature(self) -> tuple[int, int] | None:
        """Writes through this window's connection (``total_changes``) and commits by any other
        connection, of this process or another (``data_version``)."""
        try:
            db = self.project.db
            version = db.execute("pragma data_version").fetchone()[0]
            return (db.conn.total_changes, version)
        except sqlite3.Error:
            return None

    def follow_project(self) -> None:
        """Show what changed without a notice, within a second: another process's or another
        connection's commit, or a write of this window that said nothing. The check costs one
        pragma. The current screen refreshes in place (cursor and selection stay), the others
        when they are shown again."""
        self._forget_closed_watchers()
        if self._file_replaced():
            return
        signature = self._data_signature()
        if signature is None:
            return
        if self._signature is None:
            self._signature = signature
            return
        if signature != self._signature:
            self._signature = signature
            self.refresh_current()

    def _file_replaced(self) -> bool:
        """Another program deleted the project file or put another in its place (``mv``, a
        sync tool, a checkout): the window closes its connection at once (each write
        transaction checks this too), says so once, and offers only to quit."""
        from workbench.store.connection import replaced
        from workbench.tui.screens.dialogs import ChoiceScreen

        if self.project.gone is not None:
            return True
        problem = replaced(self.project.db)
        if problem is None:
            return False
        self.project.abandon(problem)
        self.notify(problem.message, title="Project file gone", severity="error", timeout=120)
        self.push_screen(ChoiceScreen(f"{problem.reason}. This window has closed it and shows "
                                      "nothing more; open the project again.",
                                      [("quit", "Quit the workbench")]),
                         lambda _choice: self.exit())
        return True

    def _forget_closed_watchers(self) -> None:
        """Drop watchers of widgets that are gone. Each screen's ``Header`` watches the app's
        title and sub-title, each Footer key its Footer; Textual forgets a closed watcher only
        when the watched value changes, so every reader visit kept a Header and 22 footer keys
        (with their styles and caches) alive: 0.7 MB per visit, 100 MB over a working day."""
        def forget(obj: object) -> None:
            for watchers in getattr(obj, "__watchers", {}).values():
                if watchers:
                    watchers[:] = [(node, callback) for node, callback in watchers
                                   if not (getattr(node, "_closing", False)
                                           or getattr(node, "_closed", False))]

        forget(self)
        # Footers bind their keys' ``compact`` to themselves: each recompose (bindings change
        # when a screen above closes) left the old keys watching the live Footer.
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                forget(node)

    def refresh_current(self) -> None:
        """Refresh the screen shown now in place, and the codebook counts; mark the others
        stale."""
        screen = self.screen
        if not screen.is_mounted:
            return  # still composing: it reads the project fresh when its mount completes
        if isinstance(screen, ShowsProjectData):
            screen.refresh_data()
        self.data_changed(local=screen)

    def action_undo(self) -> None:
        from workbench.store.changes import undo_last

        with self.guard():
            change = undo_last(self.project.db, self.coder)
            if change is None:
                self.notify("nothing to undo", severity="warning")
                return
            self.notify(f"undone: {change['summary'] or change['action']}")
            self.refresh_current()

    def action_redo(self) -> None:
        from workbench.store.changes import redo_last

        with self.guard():
            change = redo_last(self.project.db, self.coder)
            if change is None:
                self.notify("nothing to redo", severity="warning")
                return
            self.notify(f"redone: {change['summary'] or change['action']}")
            self.refresh_current()

    # -- phase and header -----------------------------------------------------------------
    def _update_subtitle(self) -> None:
        from workbench.services.team import current_phase, whose

        shown = f"showing {whose(self.view_coder)}"
        try:
            n, name = current_phase(self.project.db)
            self.sub_title = f"coder {self.coder} · {shown} · phase {n}/6 {name}"
        except sqlite3.Error:
            self.sub_title = f"coder {self.coder} · {shown}"

    def set_phase(self, n: int) -> None:
        from workbench.services.team import set_phase

        with self.guard():
            _n, name = set_phase(self.project.db, n)
            self._update_subtitle()
            self.notify(f"phase set: phase {n}/6 {name}")

    # -- whose codings the counts show ------------------------------------------------------
    def action_whose(self) -> None:
        """Choose whose codings the codebook counts and theme review show."""
        from workbench.services.team import coders, whose
        from workbench.tui.screens.dialogs import ChoiceScreen

        names = coders(self.project.db)
        order = [self.coder] + [c for c in names if c not in (self.coder, "consensus")]
        if "consensus" in names:
            order.append("consensus")
        choices = [(name, whose(name) + (" (yours)" if name == self.coder else "")) for name in order]
        choices.append(("*", whose(None)))

        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_view_coder(None if value == "*" else value)

        self.push_screen(ChoiceScreen("Show whose codings in the counts and theme review?", choices), chosen)

    def set_view_coder(self, coder: str | None) -> None:
        """Show ``coder``'s codings (None: all coders') in the counts and theme review."""
        from workbench.services.team import whose

        self.view_coder = coder
        self._update_subtitle()
        for screen in self.screen_stack:
            if isinstance(screen, WorkbenchScreen):
                screen.stale = True
        self.refresh_current()
        self.notify(f"showing {whose(coder)} (C to change)")

    def action_next_phase(self) -> None:
        from workbench.services.team import current_phase

        n, _name = current_phase(self.project.db)
        self.set_phase(n % 6 + 1)

    # -- codebook editing (keys live on the codebook panel) --------------------------------
    def action_codebook(self, op: str) -> None:
        from workbench.tui.widgets.codebook_panel import CodebookPanel

        panels = list(self.screen.query(CodebookPanel))
        if not panels:
            return
        panel = panels[0]
        from workbench.tui.screens import codebook_actions

        codebook_actions.run(self, panel, op)

    # -- workers --------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, sqlite3.Error):
                from workbench.store.connection import explain

                self.notify(explain(error, self.project.db_path).message, title="Not done",
                            severity="error", timeout=12)
            elif isinstance(error, WorkbenchError):
                self.notify(str(error), title="Not done", severity="error", timeout=8)
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Unexpected error",
                            severity="error", timeout=10)


def run_app(project: Project, coder: str | None = None) -> None:
    """Open the terminal workbench on ``project`` as ``coder``."""
    WorkbenchApp(project, coder=coder).run()
