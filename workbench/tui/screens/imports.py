"""Importing from the UI: transcripts (with a progress bar) and the shared codebook file.

- *Import transcripts…* asks for files or folders, then :class:`ImportTranscriptsScreen` runs
  :func:`workbench.services.transcripts.library.import_paths` in a thread worker with a progress bar
  and shows one result per file (failures with file and line).
- *Import codebook file…* reads the file (default ``codebooks/codebook.yaml``; a REFI-QDA
  ``.qdc`` from another tool too, as ``workbench codebook import`` does), plans the
  three-way merge (:func:`workbench.services.codebook.sync.plan_sync`) and shows it in
  :class:`CodebookImportScreen`: the changes and every conflict. Nothing changes until the user
  chooses: apply (no conflicts), take the file's side (``theirs``) or keep this project's
  (``ours``) for the whole import, each one recorded change.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, ProgressBar
from textual.worker import Worker, WorkerState

from workbench.textsafety import shown
from workbench.tui.base import workbench_of
from workbench.tui.screens.dialogs import PromptScreen
from workbench.tui.widgets.plain import Label, Static

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


def split_paths(value: str) -> list[str]:
    """Paths typed in one line: shell-style quoting, so names with spaces work (a line that
    names one existing path as it stands is that path)."""
    whole = Path(value.strip()).expanduser()
    if value.strip() and whole.exists():
        return [str(whole)]
    try:
        parts = shlex.split(value)
    except ValueError:
        parts = value.split()
    return [str(Path(p).expanduser()) for p in parts]


# -- transcripts ---------------------------------------------------------------------------------

def ask_import_transcripts(app: WorkbenchApp) -> None:
    def chosen(value: str | None) -> None:
        if value and value.strip():
            app.push_screen(ImportTranscriptsScreen(split_paths(value)))

    app.push_screen(PromptScreen("Import transcripts: files or folders (space between; quote "
                                 "names with spaces)", str(app.project.transcripts_dir),
                                 enter="import"), chosen)


class ImportTranscriptsScreen(ModalScreen[None]):
    """Imports in a worker; shows progress, then a result per file."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="import.close")]

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths
        self.results: list = []
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label("Importing transcripts", classes="dialog-title")
            yield Static(", ".join(self.paths), id="import-paths")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("starting…", id="import-message")
            yield DataTable(id="import-results", cursor_type="row")
            yield Static("the import runs in the background · Esc close", id="import-hint",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("File", key="file")
        table.add_column("Result", key="status")
        table.add_column("Transcript", key="id")
        table.add_column("Details", key="message")
        self.run_import()

    @work(thread=True, exclusive=True, group="import-transcripts", exit_on_error=False)
    def run_import(self) -> None:
        from workbench.services.transcripts.library import import_paths

        app = workbench_of(self)
        results = import_paths(
            app.project, self.paths,
            progress=lambda n, total, message: app.call_from_thread(self._progress, n, total,
                                                                     message),
        )
        app.call_from_thread(self._finished, results)

    def _progress(self, n: int, total: int, message: str) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=n)
        self.query_one("#import-message", Static).update(Text(shown(message, one_line=True)))

    def _finished(self, results: list) -> None:
        self.results = results
        self.done = True
        table = self.query_one(DataTable)
        styles = {"imported": "green", "replaced": "green", "unchanged": "dim", "failed": "bold red"}
        for r in results:
            details = r.message
            if r.warnings:
                details = "; ".join([details, *r.warnings] if details else r.warnings)
            if r.flagged_codings:
                details += f"; {len(r.flagged_codings)} coding(s) flagged to check"
            # file names and messages come from the disk: no terminal controls, no markup
            table.add_row(Text(shown(r.path.name, one_line=True)),
                          Text(r.status, style=styles.get(r.status, "")),
                          Text(r.transcript_id or ""), Text(shown(details, one_line=True)))
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no files found"
        self.query_one("#import-message", Static).update(Text(summary, style="bold"))
        self.query_one(ProgressBar).update(total=1, progress=1)
        self.query_one("#import-hint", Static).update("Enter or Esc close")
        table.focus()
        if any(r.status in ("imported", "replaced") for r in results):
            workbench_of(self).data_changed()  # screens below reload

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An import that stopped on an error says so here (the app shows the error too) and
        the dialog can be closed: the files stored before it are in the project."""
        if event.state != WorkerState.ERROR or event.worker.group != "import-transcripts":
            return
        self.done = True
        self.query_one("#import-message", Static).update(Text(
            f"the import stopped: {shown(str(event.worker.error), one_line=True)} — files stored "
            "before it are in the project; import again to add the rest", style="bold red"))
        self.query_one("#import-hint", Static).update("Enter or Esc close")
        workbench_of(self).data_changed()

    def action_close(self) -> None:
        if not self.done:
            self.notify("the import goes on in the background; results will show when it ends",
                        severity="warning")
            return
        self.dismiss(None)


# -- the codebook file ----------------------------------------------------------------------------

def ask_import_codebook(app: WorkbenchApp) -> None:
    def chosen(value: str | None) -> None:
        if value and value.strip():
            paths = split_paths(value)
            plan_codebook_import(app, Path(paths[0] if paths else value.strip()))

    app.push_screen(PromptScreen("Import codebook file (.yaml, or .qdc from another QDA tool)",
                                 str(app.project.codebook_file), enter="show what changes"),
                    chosen)


def read_codebook_file(path: Path, db) -> list:
    """The entries of a codebook file: workbench ``.yaml``/``.yml`` or REFI-QDA ``.qdc``
    (read without writing anything: a ``.qdc``'s GUIDs are remembered only once the import
    went through, see :meth:`CodebookImportScreen.action_apply`)."""
    from workbench.errors import WorkbenchError
    from workbench.formats.codebook_file import read_yaml

    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".qdc":
        from workbench.services.exchange.codebook import read_qdc

        return read_qdc(path, db=db, remember=False)
    raise WorkbenchError("a codebook file is .yaml/.yml (workbench) or .qdc (REFI-QDA)",
                         path=path)


def plan_codebook_import(app: WorkbenchApp, path: Path) -> None:
    """Read and plan on the UI thread (a codebook is small), then show the plan."""
    from workbench.services.codebook import sync as codebook_sync

    with app.guard():
        entries = read_codebook_file(path, app.project.db)
        plan = codebook_sync.plan_sync(app.project.db, entries)
        report = getattr(entries, "report", None)  # a .qdc: what could not be carried over
        notes = [*getattr(report, "notes", []),
                 *(f"not carried over: {line}" for line in getattr(report, "not_carried", []))]
        if not plan.has_changes and not plan.conflicts:
            app.notify(f"{path.name}: the codebook is up to date with the file")
            for note in notes:
                app.notify(note, severity="warning", timeout=8)
            return
        app.push_screen(CodebookImportScreen(path, entries, plan, notes))


class CodebookImportScreen(ModalScreen[str | None]):
    """The plan of a codebook import; Enter applies (no conflicts), ``t`` takes the file's
    side, ``o`` keeps ours, Esc changes nothing. Dismisses with the strategy applied."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cbimport.cancel"),
        # priority: the plan's table has the focus and would take Enter for itself
        Binding("enter", "apply('fail')", "Apply", priority=True, id="cbimport.apply"),
        Binding("t", "apply('theirs')", "Theirs", id="cbimport.theirs"),
        Binding("o", "apply('ours')", "Ours", id="cbimport.ours"),
    ]

    def __init__(self, path: Path, entries: list, plan, notes: list[str] | None = None) -> None:
        super().__init__()
        self.path = path
        self.entries = entries
        self.plan = plan
        self.notes = notes or []

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="dialog", classes="cbimport"):
            yield Label(f"Import {self.path.name}: {len(plan.adds)} to add, {len(plan.updates)} "
                        f"to update, {len(plan.removals)} to remove, {len(plan.conflicts)} "
                        "conflict(s)", classes="dialog-title")
            table: DataTable[str] = DataTable(id="cbimport-plan", cursor_type="row")
            yield table
            if plan.conflicts:
                hint = ("Conflicts: changed here and in the file. t take the file's version "
                        "(theirs) · o keep this project's (ours) · Esc change nothing")
            else:
                hint = "Enter apply · Esc change nothing"
            yield Static(hint, classes="dialog-hint", id="cbimport-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="what")
        table.add_column("Change", key="change")
        for c in self.plan.conflicts:
            detail = c.reason
            if c.fields:
                detail += " — " + "; ".join(f"{f}: here {_short(a)} / file {_short(b)}"
                                           for f, (a, b) in c.fields.items())
            table.add_row(Text("CONFLICT", style="bold red"), Text(detail))
        for line in self.plan.describe():
            if not line.startswith("CONFLICT"):
                table.add_row("", Text(line))
        for note in self.notes:  # from a .qdc: what the workbench cannot keep
            table.add_row(Text("note", style="yellow"), Text(note))
        table.focus()

    def action_apply(self, strategy: str) -> None:
        from workbench.services.codebook import sync as codebook_sync

        if strategy == "fail" and self.plan.conflicts:
            self.notify("choose t (theirs) or o (ours) for the conflicts, or Esc",
                        severity="warning")
            return
        if strategy != "fail" and not self.plan.conflicts:
            strategy = "fail"  # no conflicts: theirs/ours make no difference
        app = workbench_of(self)
        db = app.project.db
        with app.guard():
            with db.atomic():  # the sync and a .qdc's GUIDs: all or nothing
                report = codebook_sync.apply_sync(db, app.coder, self.entries, strategy,
                                                  source=self.path.name)
                guid_rows = getattr(self.entries, "guid_entries", None)
                if guid_rows:
                    from workbench.services.exchange.codebook import remember_code_guids

                    remember_code_guids(db, guid_rows)
            how = {"fail": "", "theirs": ", conflicts: the file's version",
                   "ours": ", conflicts: kept ours"}[strategy]
            app.notify(f"codebook imported: {report.added} added, {report.updated} updated, "
                       f"{report.removed} removed, {report.merged} merged{how} (u to undo)")
            for w in report.warnings:
                app.notify(w, severity="warning", timeout=8)
            self.dismiss(strategy)
            app.call_later(app.refresh_current)

    def action_cancel(self) -> None:
        self.notify("nothing imported")
        self.dismiss(None)


def _short(value: object, limit: int = 30) -> str:
    text = " ".join(str(value if value is not None else "—").split())
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"
