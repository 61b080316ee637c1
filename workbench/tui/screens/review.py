"""Theme review (Braun & Clarke phases 3–5): every coded extract of a theme or code.

The codebook tree is on the left; the extracts of the highlighted theme or code fill the right,
grouped by transcript with the respondent label, with how many interviews and respondents the
theme covers. Enter opens an extract in the reader; ``s`` stars it as a quote for the report;
``f`` finds passages like the extracts that were not coded with it (the review queue of
:mod:`workbench.tui.screens.similar`).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Tree
from textual.widgets.option_list import Option, OptionDoesNotExist

from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel
from workbench.tui.widgets.plain import Static

EXTRACT_CHARS = 240
#: Extracts added to the list at a time: a theme of a thousand interviews has tens of thousands,
#: and every option is laid out when it is added; `+` (or Enter on the last line) shows more.
EXTRACTS_PAGE = 300
MORE_ID = "__more__"


def hanging(mark: Text, body: Text) -> Table:
    """``mark`` then ``body``, its wrapped lines indented under the body's first word."""
    grid = Table.grid(expand=True)
    grid.add_column(width=mark.cell_len, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, body)
    return grid


class ReviewScreen(WorkbenchScreen):
    """Pick a theme or code; review, open and star its extracts."""

    BINDINGS = [
        Binding("s", "star", "Star quote", id="review.star"),
        Binding("f", "find_similar", "Find similar passages", show=False, id="review.similar"),
        Binding("plus", "more", "More extracts", show=False, id="review.more"),
        Binding("enter", "open_extract", "Open in reader", show=False, id="review.open"),
        Binding("tab", "app.focus_next", "Tree/extracts", show=False),
        Binding("escape", "app.back", "Back", id="review.back"),
    ]

    def __init__(self, code_id: str | None = None) -> None:
        super().__init__()
        self.code_id = code_id
        self.rows: list[dict] = []
        self.starred: set[str] = set()
        self.shown_coder: str | None = None
        self.shown_count = EXTRACTS_PAGE
        self.paged_code_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-body"):
            yield CodebookPanel(id="codebook")
            with Vertical(id="extracts-pane"):
                yield Static("Pick a theme or code on the left.", id="coverage")
                yield OptionList(id="extracts")
        yield Static("", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · theme review"
        self.query_one(CodebookPanel).focus()
        if self.code_id:
            self.load_extracts(self.code_id)

    @on(CodebookPanel.Loaded)
    def _panel_loaded(self, _event: CodebookPanel.Loaded) -> None:
        panel = self.query_one(CodebookPanel)
        if self.code_id:
            panel.select_id(self.code_id)
        elif panel.rows:
            self.code_id = panel.rows[0]["id"]
            self.load_extracts(self.code_id)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        data = event.node.data
        if data and data["id"] != self.code_id:
            self.code_id = data["id"]
            self.load_extracts(data["id"])

    @on(CodebookPanel.Chosen)
    def _chosen(self, event: CodebookPanel.Chosen) -> None:
        self.code_id = event.row["id"]
        self.load_extracts(event.row["id"])
        self.query_one("#extracts", OptionList).focus()

    @work(thread=True, exclusive=True, group="extracts", exit_on_error=False)
    def load_extracts(self, code_id: str) -> None:
        from workbench.services.codebook.codes import resolve
        from workbench.services.coding.passages import list_codings
        from workbench.services.reporting.quotes import coverage, starred_coding_ids

        db = self.wb.project.db
        coder = getattr(self.app, "view_coder", None)
        row = resolve(db, code_id)
        if row["kind"] == "theme":
            rows = list_codings(db, theme=code_id, coder=coder)
        else:
            rows = list_codings(db, code=code_id, coder=coder)
        self.app.call_from_thread(self._show, row, rows, coverage(rows), starred_coding_ids(db), coder)

    def _show(self, code: dict, rows: list[dict], cover: dict, starred: set[str],
              coder: str | None = None) -> None:
        if self.paged_code_id != code["id"]:
            self.shown_count = EXTRACTS_PAGE  # another theme or code: its first page
            self.paged_code_id = code["id"]
        self.rows = rows
        self.starred = starred
        self.code = code
        self.cover = cover
        self.shown_coder = coder
        self._fill()

    def _fill(self) -> None:
        from workbench.services.team import whose

        code, cover = self.code, self.cover
        what = "theme" if code["kind"] == "theme" else "code"
        self.query_one("#coverage", Static).update(Text.assemble(
            (f"{what.capitalize()} “{code['name']}”", "bold"),
            f" · {whose(self.shown_coder)} (C to change)"
            f" · {cover['codings']} extract(s) · {cover['interviews']} interview(s) · "
            f"{cover['respondents']} respondent(s) · "
            f"{sum(r['id'] in self.starred for r in self.rows)} starred",
        ))
        extracts = self.query_one("#extracts", OptionList)
        keep = extracts.highlighted
        keep_id = (extracts.get_option_at_index(keep).id
                   if keep is not None and keep < extracts.option_count else None)
        extracts.clear_options()
        current = None
        shown = self.rows[: self.shown_count]
        for r in shown:
            if r["transcript_id"] != current:
                current = r["transcript_id"]
                extracts.add_option(Option(
                    Text(f"── {r['label']} ({r['transcript_id']})", style="bold"), disabled=True))
            text = " ".join(r["text"].split())
            if len(text) > EXTRACT_CHARS:
                text = text[: EXTRACT_CHARS - 1] + "…"
            body = Text()
            body.append(f"[{r['code']}] ", style="dim")
            body.append(f"“{text}”")
            if r["coder"] != self.wb.coder:
                body.append(f"  ({r['coder']})", style="dim italic")
            star = Text("★ " if r["id"] in self.starred else "  ", style="bold yellow")
            extracts.add_option(Option(hanging(star, body), id=r["id"]))
        if len(shown) < len(self.rows):
            left = len(self.rows) - len(shown)
            extracts.add_option(Option(Text(
                f"… {left:,} more extract(s): + (or Enter here) shows {min(left, EXTRACTS_PAGE)} more",
                style="dim italic"), id=MORE_ID))
        if extracts.option_count:
            index = None
            if keep_id:  # the same extract stays highlighted when others came or went above
                try:
                    index = extracts.get_option_index(keep_id)
                except OptionDoesNotExist:
                    index = None
            if index is None and keep is not None and keep < extracts.option_count:
                index = keep
            if index is None:
                index = 1 if extracts.option_count > 1 else 0
            extracts.highlighted = index
        self.query_one("#status", Static).update(
            "Enter open in reader · s star/unstar as a quote · f find similar · Tab switch pane")

    def _current(self) -> dict | None:
        extracts = self.query_one("#extracts", OptionList)
        if extracts.highlighted is None:
            return None
        option = extracts.get_option_at_index(extracts.highlighted)
        return next((r for r in self.rows[: self.shown_count] if r["id"] == option.id), None)

    @on(OptionList.OptionSelected, "#extracts")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE_ID:
            self.action_more()
            return
        self.action_open_extract()

    def action_find_similar(self) -> None:
        """The review queue of passages like the highlighted code's or theme's extracts."""
        from workbench.tui.screens.similar import SimilarScreen

        if self.code_id:
            self.app.push_screen(SimilarScreen(self.code_id))

    def action_more(self) -> None:
        """Show the next page of extracts (the highlight stays where it was)."""
        if self.shown_count >= len(self.rows):
            return
        extracts = self.query_one("#extracts", OptionList)
        more_at = extracts.option_count - 1
        self.shown_count += EXTRACTS_PAGE
        self._fill()
        extracts.highlighted = min(more_at, extracts.option_count - 1)

    def action_open_extract(self) -> None:
        row = self._current()
        if row is None:
            return
        self.wb.open_transcript(row["transcript_id"], offset=row["start"], end=row["end"])

    def action_star(self) -> None:
        from workbench.services.reporting.quotes import star, unstar

        row = self._current()
        if row is None:
            self.notify("highlight an extract first (Tab to the list)", severity="warning")
            return
        app = self.wb
        with app.guard():
            if row["id"] in self.starred:
                unstar(app.project.db, app.coder, row["id"])
                self.starred.discard(row["id"])
                self.notify("quote unstarred")
            else:
                quote = star(app.project.db, app.coder, row["id"])
                self.starred.add(row["id"])
                text = " ".join((quote.get("text") or "").split())
                if len(text) > 80:
                    text = text[:79] + "…"
                self.notify(f"starred as a quote: “{text}” ({row['label']})")
                from workbench.services.reporting.quotes import describe_open_flags, open_flags

                flags = open_flags(app.project.db, quote)
                if flags:
                    self.notify(f"it shows words with an open anonymity flag: "
                                f"{describe_open_flags(flags)}; exports refuse it until the "
                                "flag is decided (7: audit) or the words are left out with […]",
                                title="Anonymity", severity="warning", timeout=12)
            self._fill()
            app.data_changed(local=self)

    def refresh_data(self) -> None:
        if self.code_id and not self._still_there(self.code_id):
            code = getattr(self, "code", None) or {}
            self.notify(f"“{code.get('name', self.code_id)}” was deleted meanwhile",
                        severity="warning")
            self.code_id = None  # the panel's reload shows the first code instead
        self.query_one(CodebookPanel).reload()
        if self.code_id:
            self.load_extracts(self.code_id)

    def _still_there(self, code_id: str) -> bool:
        db = self.wb.project.db
        return db.execute("select 1 from codes where id = ?", [code_id]).fetchone() is not None

