"""The notes panel under the reader: this coder's transcript memo (Braun & Clarke phase 1,
familiarisation notes), editable, with the other memos on the transcript shown above it.

The panel only holds text; the reader screen reads and saves through
:mod:`workbench.services.coding.memos` (posting :class:`MemoPanel.Save` / :class:`MemoPanel.Closed`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TextArea

from workbench.tui.widgets.plain import Label, Static


class MemoPanel(Vertical):
    """A TextArea for one memo plus the other memos on the same transcript (read-only)."""

    DEFAULT_CSS = """
    MemoPanel { height: 12; border-top: tall $panel; padding: 0 1; display: none; }
    MemoPanel.open { display: block; }
    MemoPanel #memo-title { text-style: bold; height: 1; }
    MemoPanel #memo-others { height: auto; max-height: 4; color: $text-muted; }
    MemoPanel TextArea { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save notes", id="notes.save"),
        Binding("escape", "close", "Close notes", id="notes.close"),
    ]

    class Save(Message):
        def __init__(self, panel: MemoPanel, text: str) -> None:
            super().__init__()
            self.panel = panel
            self.text = text

    class Closed(Message):
        def __init__(self, panel: MemoPanel, text: str, dirty: bool) -> None:
            super().__init__()
            self.panel = panel
            self.text = text
            self.dirty = dirty

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.memo_id: str | None = None
        self.saved_text = ""

    def compose(self) -> ComposeResult:
        yield Label("Notes on this transcript", id="memo-title")
        yield Static("", id="memo-others")
        yield TextArea(id="memo-text", soft_wrap=True)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def dirty(self) -> bool:
        return self.text.strip() != self.saved_text.strip()

    def show(self, title: str, own: dict | None, others: list[dict]) -> None:
        """Fill the panel: ``own`` is this coder's memo row (or None), ``others`` the rest."""
        self.memo_id = own["id"] if own else None
        self.saved_text = own["text"] if own else ""
        self.query_one("#memo-title", Label).update(title)
        shown = Text()
        for m in others:
            if shown:
                shown.append("\n")
            shown.append(f"{m['coder']}: ", style="bold")
            shown.append(" ".join(m["text"].split())[:300])
        self.query_one("#memo-others", Static).update(shown)
        self.query_one("#memo-others", Static).display = bool(others)
        area = self.query_one(TextArea)
        area.load_text(self.saved_text)
        area.move_cursor(area.document.end)

    def saved(self, memo_id: str | None, text: str) -> None:
        self.memo_id = memo_id
        self.saved_text = text

    def action_save(self) -> None:
        self.post_message(self.Save(self, self.text))

    def action_close(self) -> None:
        self.post_message(self.Closed(self, self.text, self.dirty))
