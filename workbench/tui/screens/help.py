"""The ``?`` screen: every key of every screen, read from the bindings themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable

from workbench.tui.widgets.plain import Label, Static

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from workbench.tui.app import WorkbenchApp

KEY_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter", "tab": "Tab",
    "pagedown": "PgDn", "pageup": "PgUp", "shift+down": "⇧↓", "shift+up": "⇧↑",
    "shift+right": "⇧→", "shift+left": "⇧←", "down": "↓", "up": "↑", "home": "Home",
    "end": "End",
}


def key_text(keys: str) -> str:
    parts = []
    for key in keys.split(","):
        key = key.strip()
        name = KEY_NAMES.get(key, key)
        if name.startswith("ctrl+"):
            name = "Ctrl+" + name[5:].upper()
        if name.startswith("f") and name[1:].isdigit():
            name = name.upper()
        parts.append(name)
    return " / ".join(parts)


def binding_rows(app_class: type[WorkbenchApp]) -> list[tuple[str, str, str]]:
    """(section, keys, what) for every documented binding, ``app_class``'s (the running app's)
    first."""
    from workbench.tui.screens.agreement import AgreementScreen, DisagreementsScreen
    from workbench.tui.screens.audit import AuditScreen
    from workbench.tui.screens.export import ExportScreen
    from workbench.tui.screens.imports import CodebookImportScreen
    from workbench.tui.screens.reader import ReaderScreen
    from workbench.tui.screens.review import ReviewScreen
    from workbench.tui.screens.similar import SimilarScreen
    from workbench.tui.screens.transcripts import TranscriptsScreen
    from workbench.tui.visual.map_view import MapScreen
    from workbench.tui.visual.matrix_view import MatrixScreen
    from workbench.tui.visual.progress_view import ProgressScreen
    from workbench.tui.widgets.codebook_panel import CodebookPanel
    from workbench.tui.widgets.memo_panel import MemoPanel
    from workbench.tui.widgets.transcript_view import TranscriptView

    sections: list[tuple[str, type[DOMNode]]] = [
        ("Everywhere", app_class),
        ("Transcripts", TranscriptsScreen),
        ("Reader", TranscriptView),
        ("Reader: coding", ReaderScreen),
        ("Reader: notes", MemoPanel),
        ("Codebook panel", CodebookPanel),
        ("Theme review", ReviewScreen),
        ("Similar passages", SimilarScreen),
        ("Thematic map", MapScreen),
        ("Code matrix", MatrixScreen),
        ("Phase dashboard", ProgressScreen),
        ("Agreement", AgreementScreen),
        ("Disagreements", DisagreementsScreen),
        ("Export", ExportScreen),
        ("Anonymity audit", AuditScreen),
        ("Codebook import", CodebookImportScreen),
    ]
    rows = [("Everywhere", "Ctrl+P", "Command palette (every action by name)")]
    for section, cls in sections:
        for b in cls.BINDINGS:
            if not isinstance(b, Binding):
                continue
            if cls is not app_class and (b.id or "").startswith("app."):
                continue  # an app key shown again on a screen: listed once, under Everywhere
            if b.description:
                what = b.description
                area = (b.id or "").removeprefix("app.area.")
                if area != (b.id or "") and area in app_class.AREAS:
                    what = app_class.AREAS[area][0]
                rows.append((section, key_text(b.key), what))
    rows.append(("Code picker", "type", "Filter codes (fuzzy); recent codes come first"))
    rows.append(("Code picker", "Enter", "Apply the highlighted code, or create the typed one"))
    rows.append(("Code picker", "Tab", "Suggestions: similar existing codes and in-vivo names "
                 "(only applied when you pick one)"))
    rows.append(("Palette", "Ctrl+P", "Import transcripts… / Import codebook file…"))
    rows.append(("Search", "type / Enter", "Search all transcripts / jump to the hit"))
    return rows


class HelpScreen(ModalScreen[None]):
    """All keys, by screen."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label("Keys", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static("Esc close", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Does")
        table.add_rows(binding_rows(cast("type[WorkbenchApp]", type(self.app))))
        table.focus()

    # Textual's action_dismiss takes an optional result; the help has none to give.
    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
