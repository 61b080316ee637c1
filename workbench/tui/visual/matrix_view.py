"""Code matrices in the terminal: a heat-shaded table (darker = more), and the coded extracts
behind any cell.

Keys: ``b`` cycles the columns (respondent, domain, municipality, code), ``t`` switches rows
between codes and themes, ``n`` switches counts between interviews and extracts, Enter on a cell
lists its extracts (Enter on an extract opens it in the reader when the workbench app offers
that), Escape goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, OptionList
from textual.widgets.option_list import Option

from workbench.services.visual.matrix import BY, COUNTS, ROWS, Matrix
from workbench.tui.visual.live import LiveScreen
from workbench.tui.widgets.plain import Static

# light to dark; the text turns white on the darker half
HEAT = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c"]
EXTRACT_CHARS = 200


def heat_style(value: int, top: int) -> str:
    """The Rich style of a cell: no background for 0, then ever darker blues."""
    if value <= 0 or top <= 0:
        return "dim"
    step = min(len(HEAT) - 1, int((value / top) * (len(HEAT) - 1) + 0.5))
    step = max(step, 0)
    fg = "white" if step >= 4 else "black"
    return f"{fg} on {HEAT[step]}"


def label_width(screen_width: int) -> int:
    """The widest row label: about a third of the screen, 24 to 60 characters."""
    return max(24, min(60, screen_width // 3))


def row_label(name: str, width: int) -> Text:
    """A row's name, cut with "…" beyond ``width``."""
    return Text(name if len(name) <= width else name[: width - 1] + "…")


def cell_text(m: Matrix, i: int, j: int) -> str:
    """The highlighted cell in words, with the code's theme: for the status line."""
    row, col = m.rows[i], m.columns[j]
    name = row.label + (f" (theme {row.group})" if row.group and m.rows_kind == "codes" else "")
    what = "co-occurring with" if m.by == "code" and i != j else "×"
    n = m.cells[i][j]
    unit = m.count[:-1] if n == 1 and m.count.endswith("s") else m.count
    return f"{name} {what} {col.label}: {n} {unit} · Enter extracts"


class ExtractsModal(ModalScreen[dict | None]):
    """``ExtractsModal(title, rows)``: the coded extracts behind a matrix cell; dismisses with
    the chosen extract row (Enter) or ``None`` (Escape)."""

    DEFAULT_CSS = """
    ExtractsModal { align: center middle; }
    ExtractsModal #extracts-dialog { width: 90%; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1; }
    ExtractsModal #extracts-title { height: auto; text-style: bold; }
    ExtractsModal #cell-extracts { height: 1fr; border: none; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="extracts.close")]

    def __init__(self, title: str, rows: list[dict]) -> None:
        super().__init__()
        self.heading = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="extracts-dialog"):
            yield Static(self.heading, id="extracts-title")
            options: list[Option] = []
            current = None
            for r in self.rows:
                if r["transcript_id"] != current:
                    current = r["transcript_id"]
                    options.append(Option(Text(f"── {r['label']} ({r['transcript_id']})",
                                               style="bold"), disabled=True))
                text = " ".join(r["text"].split())
                if len(text) > EXTRACT_CHARS:
                    text = text[: EXTRACT_CHARS - 1] + "…"
                label = Text()
                label.append(f"[{r['code']}] ", style="dim")
                label.append(f"“{text}”")
                label.append(f"  ({r['coder']})", style="dim italic")
                if r.get("overlaps"):
                    label.append(f"  ↔ {', '.join(r['overlaps'])}", style="magenta")
                options.append(Option(label, id=r["id"]))
            if not options:
                options.append(Option(Text("no coded extracts in this cell", style="dim"),
                                      disabled=True))
            yield OptionList(*options, id="cell-extracts")
            yield Static("Enter open in the reader · Escape close", classes="status")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        first = next((i for i in range(ol.option_count)
                      if not ol.get_option_at_index(i).disabled), None)
        if first is not None:
            ol.highlighted = first

    @on(OptionList.OptionSelected, "#cell-extracts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        row = next((r for r in self.rows if r["id"] == event.option.id), None)
        self.dismiss(row)

    def action_close(self) -> None:
        self.dismiss(None)


class MatrixScreen(LiveScreen):
    """``MatrixScreen(project, coder, by="respondent", rows="codes", count="interviews")``."""

    DEFAULT_CSS = """
    MatrixScreen #matrix-title { height: auto; padding: 0 1; background: $boost; }
    MatrixScreen #matrix-table { height: 1fr; }
    MatrixScreen .status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """
    BINDINGS = [
        Binding("b", "cycle('by')", "Columns", id="matrix.by"),
        Binding("t", "cycle('rows')", "Codes/themes", id="matrix.rows"),
        Binding("n", "cycle('count')", "Interviews/extracts", id="matrix.count"),
        Binding("escape", "back", "Back", id="matrix.back"),
    ]

    def __init__(self, project, coder: str | None = None, *, by: str = "respondent",
                 rows: str = "codes", count: str = "interviews") -> None:
        super().__init__(project, coder)
        self.by, self.rows_kind, self.count = by, rows, count
        self.matrix: Matrix | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-title")
        yield DataTable(id="matrix-table", cursor_type="cell", fixed_columns=1)
        yield Static("b columns · t codes/themes · n interviews/extracts · Enter extracts",
                     id="matrix-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        self._build(self.by, self.rows_kind, self.count)

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def _build(self, by: str, rows: str, count: str) -> None:
        from workbench.services.visual.matrix import build_matrix

        m = build_matrix(self.project.db, by=by, rows=rows, count=count)
        self.app.call_from_thread(self._fill, m)

    def _fill(self, m: Matrix) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate if self.matrix is not None else None
        same_shape = (self.matrix is not None and (self.matrix.by, self.matrix.rows_kind)
                      == (m.by, m.rows_kind))
        self.matrix = m
        table.clear(columns=True)
        first = "Code" if m.rows_kind == "codes" else "Theme"
        table.add_column(first, key="label")
        for j, c in enumerate(m.columns):
            table.add_column(Text(c.label if len(c.label) <= 18 else c.label[:17] + "…"),
                             key=f"c{j}")
        if m.totals:
            table.add_column(Text("total", style="bold"), key="total")
        off_diag = [m.cells[i][j] for i in range(len(m.rows)) for j in range(len(m.columns))
                    if not (m.by == "code" and i == j)]
        top = max(off_diag + [1])
        room = label_width(self.size.width or 120)
        for i, r in enumerate(m.rows):
            # Short labels, so the counts stay on screen; a code's theme is in the status line
            # for the highlighted cell.
            label = row_label("  " * r.depth + r.label, room)
            cells: list = [label]
            for j in range(len(m.columns)):
                v = m.cells[i][j]
                if m.by == "code" and i == j:
                    cells.append(Text(f"{v:>3}", style="italic dim"))
                else:
                    cells.append(Text(f"{v:>3}" if v else "  ·", style=heat_style(v, top)))
            if m.totals:
                cells.append(Text(f"{m.totals[i]:>3}", style="bold"))
            table.add_row(*cells, key=f"r{i}")
        self.query_one("#matrix-title", Static).update(Text(m.title, style="bold"))
        if keep is not None and same_shape and table.row_count:
            table.move_cursor(row=min(keep.row, table.row_count - 1),
                              column=min(keep.column, len(table.columns) - 1))
        elif table.row_count and len(m.columns):
            table.move_cursor(row=0, column=1)

    def cell_at(self, row: int, column: int) -> tuple[int, int] | None:
        """The matrix cell ``(i, j)`` under a table coordinate (``None`` off the counts)."""
        if self.matrix is None or column < 1 or column > len(self.matrix.columns):
            return None
        if not 0 <= row < len(self.matrix.rows):
            return None
        return row, column - 1

    @on(DataTable.CellHighlighted, "#matrix-table")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        cell = self.cell_at(event.coordinate.row, event.coordinate.column)
        status = self.query_one("#matrix-status", Static)
        if cell is None or self.matrix is None:
            status.update("b columns · t codes/themes · n interviews/extracts · Enter extracts")
        else:
            status.update(Text(cell_text(self.matrix, *cell)))

    @on(DataTable.CellSelected, "#matrix-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def open_cell(self, row: int, column: int) -> None:
        """List the coded extracts behind a table cell in a modal."""
        cell = self.cell_at(row, column)
        if cell is None or self.matrix is None:
            return
        from workbench.services.visual.matrix import cell_extracts

        i, j = cell
        m = self.matrix
        rows = cell_extracts(self.project.db, m, i, j)
        what = "co-occurring with" if m.by == "code" and i != j else "×"
        title = (f"{m.rows[i].label} {what} {m.columns[j].label}: {m.cells[i][j]} {m.count}"
                 f" · {len(rows)} extract(s)")

        def opened(row: dict | None) -> None:
            if row and hasattr(self.app, "open_transcript"):
                self.wb.open_transcript(row["transcript_id"], offset=row["start"], end=row["end"])

        self.app.push_screen(ExtractsModal(title, rows), opened)

    def action_cycle(self, what: str) -> None:
        options = {"by": BY, "rows": ROWS, "count": COUNTS}[what]
        attr = {"by": "by", "rows": "rows_kind", "count": "count"}[what]
        current = getattr(self, attr)
        setattr(self, attr, options[(options.index(current) + 1) % len(options)])
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
