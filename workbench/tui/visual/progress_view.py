"""The phase dashboard in the terminal: one line per Braun & Clarke phase (and agreement),
ticked when done, with what is still open. It refreshes when shown again and when the data
change; ``r`` refreshes now, Escape goes back."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from workbench.tui.visual.live import LiveScreen
from workbench.tui.widgets.plain import Static


class ProgressScreen(LiveScreen):
    """``ProgressScreen(project, coder)``: the phase dashboard."""

    DEFAULT_CSS = """
    ProgressScreen #progress-table { height: 1fr; }
    ProgressScreen .status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """
    BINDINGS = [
        Binding("r", "rebuild", "Refresh", id="progress.refresh"),
        Binding("escape", "back", "Back", id="progress.back"),
    ]

    def __init__(self, project, coder: str | None = None) -> None:
        super().__init__(project, coder)
        self.data: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="progress-table", cursor_type="row", zebra_stripes=True)
        yield Static("r refresh · Escape back", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.data is not None:
            self._fill(self.data)  # the long lines wrap to the new width

    def reload(self) -> None:
        self._build()

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def _build(self) -> None:
        from workbench.services.visual.progress import build_progress

        data = build_progress(self.project)
        self.app.call_from_thread(self._fill, data)

    def _fill(self, data: dict) -> None:
        from workbench.services.visual.progress import progress_lines

        self.data = data
        table = self.query_one(DataTable)
        keep = table.cursor_row
        lines = progress_lines(data)
        phase_width = max([len(p) for p, _t, _d in lines] + [5])
        # Whatever is left of the screen for the text, which wraps (a long list of survey
        # themes stays readable instead of running off the screen).
        text_width = max(30, (self.size.width or 120) - phase_width - 12)
        table.clear(columns=True)
        table.add_column("", key="done")
        table.add_column("Phase", key="phase")
        table.add_column("Where the work stands", key="text", width=text_width)
        for phase, text, done in lines:
            table.add_row(Text("✓", style="bold green") if done else Text("·", style="dim"),
                          Text(phase, style="bold"), Text(text), height=None)
        if lines:
            table.move_cursor(row=min(keep, len(lines) - 1))

    def action_rebuild(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
