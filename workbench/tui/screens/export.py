"""Export (Braun & Clarke phase 6): choose survey themes and a format, preview the chapter
draft, write it (or the quotes) to ``exports/``.

The preview (:func:`workbench.services.reporting.preview_chapter`, flagged quotes marked) and the writing
(:func:`workbench.services.reporting.write_chapter` / :func:`write_quotes`) run in thread workers; a
written file is named in a notification. A refusal because quotes show text with an open
anonymity flag opens :class:`FlaggedQuotesScreen`, the list of those quotes (Enter opens the
passage in the reader); an existing file is only overwritten after asking.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, OptionList, SelectionList
from textual.widgets.option_list import Option

from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.dialogs import ChoiceScreen
from workbench.tui.widgets.plain import Label, Static

FORMATS = ("md", "docx")
PREVIEW_DELAY = 0.3


class FlaggedQuotesScreen(ModalScreen[dict | None]):
    """The quotes that stopped an export: each shows text with an open anonymity flag.

    Dismisses with the chosen item as a dict (``transcript_id``, ``start``, ``end``) or None.
    """

    BINDINGS = [Binding("escape", "cancel", "Close", id="flagged.close")]

    def __init__(self, items: list) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="flagged"):
            yield Label(f"Not written: {len(self.items)} quote(s) show text with an open "
                        "anonymity flag", classes="dialog-title")
            options = []
            for i, item in enumerate(self.items):
                text = Text()
                text.append(f"{item.label} ({item.transcript_id}) ", style="bold")
                text.append(f"{item.category or 'flag'}: ", style="red")
                text.append(f"“{item.flagged_text}”")
                text.append(f"  quote {item.quote_id or 'candidate'}", style="dim")
                options.append(Option(text, id=str(i)))
            yield OptionList(*options, id="flagged-list")
            yield Static("Decide the flags in the audit (7), or leave the words out of the "
                         "quote with […]. Enter open in the reader · Esc close",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        item = self.items[int(event.option.id or 0)]
        self.dismiss({"transcript_id": item.transcript_id, "start": item.start, "end": item.end})

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportScreen(WorkbenchScreen):
    """Survey themes on the left (Space to select; none selected: all), the preview right."""

    BINDINGS = [
        Binding("w", "write", "Write chapter", id="export.write"),
        Binding("Q", "write_quotes", "Write quotes", id="export.quotes"),
        Binding("f", "format", "Format", id="export.format"),
        Binding("p", "preview", "Preview", show=False, id="export.preview"),
        Binding("S", "survey_from_codebook", "Survey themes from codebook", show=False,
                id="export.survey_from_codebook"),
        Binding("I", "survey_template", "Survey template", show=False, id="export.survey_template"),
        Binding("L", "link", "Link", id="export.link"),
        Binding("tab", "app.focus_next", "Themes/preview", show=False),
        Binding("escape", "app.back", "Back", id="export.back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="export")
        self.fmt = "md"
        self.themes: list = []
        self.markdown = ""
        self.flagged = 0
        self.written: list = []  # paths written from this screen (newest last)
        self._timer: Timer | None = None
        self.by_codebook = False
        self._file_state: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="export-body"):
            with Vertical(id="export-side"):
                yield Label("Survey themes (Space: select; none: all)", classes="field-label")
                yield SelectionList[str](id="export-themes")
                yield Static("", id="export-survey-note")
                yield Static("", id="export-format")
            with VerticalScroll(id="export-preview-pane"):
                yield Markdown("", id="export-preview")
        yield Static("", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · export"
        self.query_one(SelectionList).focus()
        self._show_format()
        self._file_state = self._survey_files_state()
        self.load_themes()
        self.set_interval(1.0, self._watch_survey_files)

    def _survey_files_state(self) -> tuple:
        """The survey themes and figures files as (exists, mtime, size): a change reloads."""
        from workbench.services.reporting import survey

        root = self.wb.project.root
        out = []
        for path in (survey.themes_path(root), root / "codebooks" / survey.FIGURES_FILE):
            try:
                st = path.stat()
                out.append((True, st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((False, 0, 0))
        return tuple(out)

    def _watch_survey_files(self) -> None:
        state = self._survey_files_state()
        if state != self._file_state:
            self._file_state = state
            self.load_themes()

    # -- survey themes -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="export-themes", exit_on_error=False)
    def load_themes(self) -> None:
        """The survey themes; without a survey themes file, one per codebook theme (the
        chapter then has a section per codebook theme, and the side pane says so)."""
        from workbench.errors import WorkbenchError
        from workbench.services.reporting import survey

        project = self.wb.project
        by_codebook = not survey.has_themes_file(project)
        try:
            if by_codebook:
                themes = [t for t, _cid in survey.codebook_sections(project.db)]
            else:
                themes = survey.load(project)
            problem = ""
        except WorkbenchError as exc:
            themes, problem = [], str(exc)
        self.app.call_from_thread(self._show_themes, themes, problem, by_codebook)

    def _show_themes(self, themes: list, problem: str, by_codebook: bool = False) -> None:
        self.themes = themes
        self.by_codebook = by_codebook
        selection = self.query_one(SelectionList)
        chosen = set(selection.selected)
        here = selection.highlighted
        here_value = (selection.get_option_at_index(here).value
                      if here is not None and here < selection.option_count else None)
        selection.clear_options()
        for t in themes:
            selection.add_option((f"{t.id} {t.title}", t.id, t.id in chosen))
        if themes:  # the cursor stays on its theme when the list is read again
            values = [t.id for t in themes]
            selection.highlighted = (values.index(here_value) if here_value in values
                                     else min(here or 0, len(themes) - 1))
        note = self.query_one("#export-survey-note", Static)
        if by_codebook:
            note.update(Text(
                "No survey themes file yet: the chapter has a section per codebook theme. "
                "S: make the survey themes from the codebook's themes (linked) · "
                "I: write the template to fill in", style="yellow"))
        else:
            note.update(Text("L: link a codebook theme or code to a survey theme", style="dim"))
        if problem and problem != getattr(self, "_problem_shown", ""):  # once, not per refresh
            self.notify(problem, title="Survey themes", severity="warning", timeout=8)
        self._problem_shown = problem
        self.preview()

    # -- survey themes from the UI ------------------------------------------------------------
    def action_survey_from_codebook(self) -> None:
        from workbench.services.reporting import survey

        app = self.wb
        with app.guard():
            path, n = survey.init_from_codebook(app.project, app.coder)
            self.notify(f"wrote {path.name}: {n} survey theme(s) from the codebook's themes, "
                        "each linked", title="Survey themes")
            app.data_changed(local=self)
            self._file_state = self._survey_files_state()
            self.load_themes()

    def action_survey_template(self) -> None:
        from workbench.services.reporting import survey

        app = self.wb
        with app.guard():
            path = survey.init_template(app.project.root)
            self.notify(f"wrote {path}: replace the example themes with the report's, then link "
                        "codes here (L)", title="Survey themes", timeout=10)
            self._file_state = self._survey_files_state()
            self.load_themes()

    def action_link(self) -> None:
        """Link a codebook theme or code to a survey theme: choose both, one after the other."""
        from workbench.services.codebook.codes import list_codebook

        if self.by_codebook or not self.themes:
            self.notify("make the survey themes first (S from the codebook, I the template)",
                        severity="warning")
            return
        app = self.wb
        rows = list_codebook(app.project.db)
        codes = [(r["id"], ("  " * r["depth"]) + ("▸ " if r["kind"] == "theme" else "■ ") + r["name"])
                 for r in rows]

        def code_chosen(code_id: str | None) -> None:
            if not code_id:
                return
            name = next(r["name"] for r in rows if r["id"] == code_id)
            choices = [(t.id, f"{t.id} {t.title}") for t in self.themes]

            def survey_chosen(sid: str | None) -> None:
                if not sid:
                    return
                from workbench.services.reporting import survey

                with app.guard():
                    result = survey.link(app.project.db, app.coder, code_id, sid, themes=self.themes)
                    said = "linked" if result.done else "already linked"
                    self.notify(f"{said}: “{name}” → {sid}", title="Survey themes")
                    app.data_changed(local=self)
                    self.preview()

            app.push_screen(ChoiceScreen(f"Link “{name}” to which survey theme?", choices), survey_chosen)

        app.push_screen(ChoiceScreen("Link which codebook theme or code?", codes), code_chosen)

    @property
    def selected_ids(self) -> list[str]:
        chosen = set(self.query_one(SelectionList).selected)
        return [t.id for t in self.themes if t.id in chosen]

    @on(SelectionList.SelectedChanged)
    def _selection_changed(self, _event: SelectionList.SelectedChanged) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self.preview)

    # -- preview ---------------------------------------------------------------------------------
    def preview(self) -> None:
        self.query_one("#status", Static).update("building the preview…")
        self._preview(self.selected_ids)

    def action_preview(self) -> None:
        self.preview()

    @work(thread=True, exclusive=True, group="export-preview", exit_on_error=False)
    def _preview(self, ids: list[str]) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services import reporting as exports

        project = self.wb.project
        try:
            markdown = exports.preview_chapter(project, ids or None)
            flagged = len(exports.chapter_problems(project, ids or None))
        except WorkbenchError as exc:
            self.app.call_from_thread(self._show_preview, f"**Cannot preview:** {exc}", 0, ids)
            return
        self.app.call_from_thread(self._show_preview, markdown, flagged, ids)

    def _show_preview(self, markdown: str, flagged: int, ids: list[str]) -> None:
        if ids != self.selected_ids:
            return  # the selection changed meanwhile; a newer preview is on its way
        self.markdown = markdown
        self.flagged = flagged
        self.query_one("#export-preview", Markdown).update(markdown)
        self._status()

    def _status(self) -> None:
        scope = ", ".join(self.selected_ids) or "all survey themes"
        parts = [f"chapter: {scope}", f"format {self.fmt}"]
        if self.flagged:
            parts.append(f"{self.flagged} quote(s) with open anonymity flags: writing is refused")
        parts.append("w write · Q quotes · f format")
        self.query_one("#status", Static).update(" · ".join(parts))

    # -- format ---------------------------------------------------------------------------------
    def action_format(self) -> None:
        self.fmt = FORMATS[(FORMATS.index(self.fmt) + 1) % len(FORMATS)]
        self._show_format()
        self._status()

    def _show_format(self) -> None:
        shown = Text("Format: ")
        for f in FORMATS:
            shown.append(f" {f} ", style="reverse bold" if f == self.fmt else "dim")
            shown.append(" ")
        shown.append("(f)", style="dim")
        self.query_one("#export-format", Static).update(shown)

    # -- writing ---------------------------------------------------------------------------------
    def action_write(self, force: bool = False) -> None:
        self.query_one("#status", Static).update(f"writing the chapter ({self.fmt})…")
        self._write("chapter", self.selected_ids, self.fmt, force)

    def action_write_quotes(self, force: bool = False) -> None:
        self.query_one("#status", Static).update(f"writing the quotes ({self.fmt})…")
        self._write("quotes", self.selected_ids, self.fmt, force)

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def _write(self, what: str, ids: list[str], fmt: str, force: bool) -> None:
        from workbench.errors import ConflictError, WorkbenchError
        from workbench.services import reporting as exports

        project = self.wb.project
        try:
            if what == "chapter":
                paths = [exports.write_chapter(project, ids or None, fmt=fmt, force=force)]
            elif ids:
                paths = [exports.write_quotes(project, survey_theme=i, fmt=fmt, force=force)
                         for i in ids]
            else:
                paths = [exports.write_quotes(project, fmt=fmt, force=force)]
        except exports.FlaggedQuotesError as exc:
            self.app.call_from_thread(self._refused, exc.items)
            return
        except ConflictError as exc:
            self.app.call_from_thread(self._ask_overwrite, what, str(exc))
            return
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._written, paths)

    def _written(self, paths: list) -> None:
        self.written.extend(paths)
        root = self.wb.project.root
        names = ", ".join(str(p.relative_to(root)) if p.is_relative_to(root) else str(p)
                          for p in paths)
        self.notify(f"written: {names}", title="Export", timeout=10)
        self._status()

    def _failed(self, message: str) -> None:
        self.notify(message, title="Not written", severity="error", timeout=10)
        self._status()

    def _refused(self, items: list) -> None:
        self._status()

        def opened(target: dict | None) -> None:
            if target:
                self.wb.open_transcript(target["transcript_id"], offset=target["start"],
                                         end=target["end"])

        self.app.push_screen(FlaggedQuotesScreen(items), opened)

    def _ask_overwrite(self, what: str, message: str) -> None:
        self._status()

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                (self.action_write if what == "chapter" else self.action_write_quotes)(force=True)

        self.app.push_screen(ChoiceScreen(message, [("overwrite", "Overwrite the file"),
                                                    ("keep", "Keep it (write nothing)")]),
                             answer)

    # -- data changes ------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load_themes()

