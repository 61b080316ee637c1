"""Search across transcripts: type, see hits in context, Enter jumps to the hit in the reader.

The query runs in a thread worker (exclusive: a new keystroke cancels the stale search).
Dismisses with the chosen :class:`~workbench.services.search.Hit`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from workbench.services.search import Hit
from workbench.tui.base import workbench_of
from workbench.tui.widgets.plain import Label, Static


def hit_label(hit: Hit, query_words: list[str]) -> Text:
    """``Speaker · T s12: context`` with the query's words highlighted; the interviewer's words
    are labelled "Interviewer" and shown dim."""
    context = " ".join((hit.context or hit.text).split())
    interviewer = hit.speaker == "interviewer"
    text = Text()
    text.append(f"{hit.label or hit.transcript_id} · {hit.transcript_id} s{hit.sentence}: ",
                style="bold dim italic" if interviewer else "bold")
    body = Text(context, style="dim italic" if interviewer else "")
    for word in query_words:
        if len(word) > 1:
            body.highlight_words([word], style="reverse", case_sensitive=False)
    text.append_text(body)
    return text


#: The modes Ctrl+T steps through (a phrase is typed in quotes in any of them).
SCREEN_MODES = ("word", "lemma", "fuzzy")


class SearchScreen(ModalScreen[Hit | None]):
    """Full-text search over every transcript."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="search.cancel"),
        Binding("ctrl+t", "mode", "Word/lemma/fuzzy", id="search.mode"),
        Binding("down", "move(1)", "Next hit", show=False),
        Binding("up", "move(-1)", "Previous hit", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []
        self.mode = "word"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="search"):
            yield Label("Search transcripts · mode: word (Ctrl+T: lemma, fuzzy)",
                        id="search-title", classes="dialog-title")
            yield Input(self.initial, placeholder="words (prefix match), Enter to jump",
                        id="search-input")
            yield OptionList(id="search-results")
            yield Static("type to search · ↑↓ choose · Enter jump · Esc close",
                         id="search-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def action_mode(self) -> None:
        self.mode = SCREEN_MODES[(SCREEN_MODES.index(self.mode) + 1) % len(SCREEN_MODES)]
        self.query_one("#search-title", Label).update(
            f"Search transcripts · mode: {self.mode} (Ctrl+T: next mode)")
        self.run_search(self.query_one("#search-input", Input).value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services.search import search

        try:
            hits = (search(workbench_of(self).project.db, query, mode=self.mode, limit=200)
                    if query.strip() else [])
        except WorkbenchError as exc:
            self.app.call_from_thread(self._problem, query, str(exc))
            return
        self.app.call_from_thread(self._show, query, hits)

    def _problem(self, query: str, message: str) -> None:
        if query == self.query_one("#search-input", Input).value:
            self.hits = []
            self.query_one("#search-results", OptionList).clear_options()
            self.query_one("#search-hint", Static).update(Text(message, style="bold red"))

    def _show(self, query: str, hits: list[Hit]) -> None:
        if query != self.query_one("#search-input", Input).value:
            return  # a newer query is on its way
        self.hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        words = query.split()
        for i, hit in enumerate(hits):
            results.add_option(Option(hit_label(hit, words), id=str(i)))
        if hits:
            results.highlighted = 0
        hint = f"{len(hits)} hit(s)" if query.strip() else "type to search"
        self.query_one("#search-hint", Static).update(
            f"{hint} · ↑↓ choose · Enter jump · Esc close")

    def action_move(self, delta: int) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(results.option_count - 1, current + delta))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, _event: Input.Submitted) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is not None and self.hits:
            self.dismiss(self.hits[results.highlighted])

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
