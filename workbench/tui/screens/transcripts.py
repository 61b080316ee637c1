"""The first screen: every transcript (its id, as the CLI takes it, and label) with each
coder's coding progress, then its size and metadata.

The table paints from one cheap query (a covering index) and shows a screenful of rows first,
the rest just after the first paint; the progress columns (a pass over every sentence and
coding) fill in from a thread worker afterwards, so start-up stays the same on big projects.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header

from workbench.tui.area_keys import AREA_BINDINGS
from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel
from workbench.tui.widgets.plain import Static


def cut(text: str, room: int | None) -> str:
    """``text`` cut with "…" to ``room`` characters (not below 8; ``None``: as it is)."""
    if room is None or len(text) <= max(room, 8):
        return text
    return text[: max(room, 8) - 1] + "…"


def progress_cell(share: float | None) -> str:
    """``█░░░ 20%``; a share above nothing that rounds to 0% reads ``<1%``, never ``0%``."""
    if share is None:
        return "…"
    filled = round(share * 4)
    if filled == 0 and share > 0:
        filled = 1 if share >= 0.05 else 0
    percent = " <1%" if 0 < share < 0.005 else f"{share:4.0%}"
    return f"{'█' * filled}{'░' * (4 - filled)}{percent}"


#: Columns before the per-coder progress: id, label.
FIXED_COLUMNS = 2


class TranscriptsScreen(WorkbenchScreen):
    """Transcripts (left) and the codebook (right)."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="transcripts.open"),
        Binding("tab", "app.focus_next", "Codebook/list", show=False),
        Binding("home", "first", "First transcript", show=False, id="transcripts.first", priority=True),
        Binding("end", "last", "Last transcript", show=False, id="transcripts.last", priority=True),
        # The areas in the footer here, where there is room (elsewhere: ? and the palette).
        *(Binding(b.key, f"app.{b.action}", b.description, id=b.id) for b in AREA_BINDINGS),
    ]

    def __init__(self) -> None:
        super().__init__(id="transcripts")
        self.coder_columns: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="transcripts-body"):
            yield DataTable(id="transcript-table", cursor_type="row", zebra_stripes=True)
            yield CodebookPanel(id="codebook")
        yield Static("", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.fill_table()

    def fill_table(self) -> None:
        """Fill the list: the rows that fit on the screen first (the first paint does not wait
        for a thousand rows to be measured), the others just after it."""
        from workbench.services.team import coders
        from workbench.services.transcripts.library import list_transcripts

        db = self.wb.project.db
        rows = list_transcripts(db)
        me = self.wb.coder
        others = [c for c in coders(db) if c != me]
        self.coder_columns = [me, *others]
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        old_ids = getattr(self, "row_ids", [])
        keep_id = old_ids[cursor] if 0 <= cursor < len(old_ids) else None
        table.clear(columns=True)
        # What a user needs most comes first (a narrow screen cuts the last columns): the id
        # the CLI takes, the label, each coder's progress; then size and metadata.
        table.add_column("Id", key="id")
        table.add_column("Label", key="label")
        for coder in self.coder_columns:
            table.add_column(Text(coder), key=f"coder:{coder}")
        table.add_column("Words", key="words")
        table.add_column("Municipality", key="municipality")
        table.add_column("Domain", key="domain")
        self._domain_width = self._domain_room(rows)
        self._filling += 1
        first = self._first_rows()
        table.add_rows([self._cells(r) for r in rows[:first]])
        self._filled_width = self.size.width
        # Row keys are positional; keep the ids to map back.
        self.row_ids = [r["id"] for r in rows]
        self._pending_rows = rows[first:]
        # the same transcript stays under the cursor when others came or went
        self._cursor_row = self.row_ids.index(keep_id) if keep_id in self.row_ids else cursor
        self._place_cursor()
        self.query_one("#status", Static).update(
            f"{len(rows)} transcript(s) · Enter opens one · / search · v theme review · ? keys"
            if rows else "No transcripts yet: run 'workbench import transcripts/' in a shell."
        )
        if self._pending_rows:
            filling = self._filling
            self.set_timer(0.05, lambda: self._add_pending_rows(filling))  # after the first frame is out
        # After the first paint: the table is usable while the progress columns fill in.
        self.call_after_refresh(self.load_progress)

    _filling = 0
    _pending_rows: list[dict] = []
    _progress: dict[str, dict[str, float]] = {}

    def _first_rows(self) -> int:
        """How many rows the first paint shows: a screenful, with room to spare."""
        return max(self.app.size.height, 24) + 16

    def _cells(self, r: dict) -> list[Text | str]:
        shares = self._progress.get(r["id"])
        return [Text(r["id"], style="bold"), Text(r["label"] or ""),
                *(progress_cell(None if shares is None else shares.get(c, 0.0)) for c in self.coder_columns),
                Text(f"{r['words'] or 0:,}", justify="right"), Text(r["municipality"] or ""),
                Text(cut(r["domain"] or "", self._domain_width))]

    def _add_pending_rows(self, filling: int) -> None:
        if filling != self._filling or not self._pending_rows:
            return  # the list was filled again meanwhile
        rows, self._pending_rows = self._pending_rows, []
        self.query_one(DataTable).add_rows([self._cells(r) for r in rows])
        self._place_cursor()

    def _place_cursor(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count and self._cursor_row >= 0:
            table.move_cursor(row=min(self._cursor_row, len(self.row_ids) - 1, table.row_count - 1))

    def _domain_room(self, rows: list[dict]) -> int | None:
        """How many characters of the domain (the last column) fit beside the others and the
        codebook panel; ``None`` before the screen has a size."""
        width = self.size.width
        panels = self.query(CodebookPanel)
        if not width or not panels:
            return None
        panel = panels.first().outer_size.width or max(36, min(60, width * 35 // 100))
        def widest(values: list[str], floor: int) -> int:
            return max([len(v) for v in values] + [floor]) + 2  # cell padding
        used = (widest([r["id"] for r in rows], 2) + widest([r["label"] or "" for r in rows], 5)
                + sum(max(len(c), 8) + 2 for c in self.coder_columns)
                + widest([f"{r['words'] or 0:,}" for r in rows], 5)
                + widest([r["municipality"] or "" for r in rows], 12))
        return width - panel - used - 2 - 2  # the domain's padding, the scrollbar

    def on_resize(self) -> None:
        if self.is_mounted and getattr(self, "_filled_width", None) not in (None, self.size.width):
            self.fill_table()  # the domain column is cut to the new width

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def load_progress(self) -> None:
        from workbench.services.coding.passages import coding_progress

        progress = coding_progress(self.wb.project.db, self.coder_columns)
        self.app.call_from_thread(self._show_progress, progress)

    def _show_progress(self, progress: dict[str, dict[str, float]]) -> None:
        self._progress = progress  # rows added after this show it too
        table = self.query_one(DataTable)
        for row_index, tid in enumerate(self.row_ids[: table.row_count]):
            shares = progress.get(tid, {})
            for coder in self.coder_columns:
                table.update_cell_at(
                    Coordinate(row_index, FIXED_COLUMNS + self.coder_columns.index(coder)),
                    progress_cell(shares.get(coder, 0.0)),
                    update_width=True,
                )

    def refresh_data(self) -> None:
        self.fill_table()
        self.query_one(CodebookPanel).reload()


    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_first(self) -> None:
        """Home: the first transcript (in the list; in the codebook panel, its first row)."""
        self._jump(0)

    def action_last(self) -> None:
        self._jump(-1)

    def _jump(self, where: int) -> None:
        from textual.widgets import Tree

        focused = self.focused
        if isinstance(focused, Tree):
            focused.cursor_line = 0 if where == 0 else max(0, focused.last_line)
            return
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=0 if where == 0 else table.row_count - 1)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.row_ids:
            return
        self.wb.open_transcript(self.row_ids[table.cursor_row])

    @on(CodebookPanel.Chosen)
    def _code_chosen(self, event: CodebookPanel.Chosen) -> None:
        self.wb.open_review(event.row["id"])
