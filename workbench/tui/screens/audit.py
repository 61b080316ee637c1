"""The anonymity audit (issue 7): run it, and decide each open flag.

The table lists the open flags of ``audit_flags`` (category by its readable Dutch name from
:func:`workbench.audit.categories.label`, text, context, respondent label).
``d`` dismisses a flag (the text may stay), ``p`` replaces the flagged words with a placeholder
(``[naam]`` by category, editable) through :mod:`workbench.services.anonymity.audit`; both are recorded
changes (``u`` undoes). ``A`` runs the audit: deduce's lookup tables are loaded (the first time
on a machine: built, which takes a minute or two) in a background thread whose progress hops to
the UI thread with ``call_from_thread``, then every transcript is audited in a thread worker
with a progress bar; the screen stays usable throughout. ``F`` is the quick audit with the
pattern detectors only.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, ProgressBar

from workbench.audit.categories import label as category_label
from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.dialogs import PromptScreen
from workbench.tui.widgets.plain import Static

CONTEXT_CHARS = 40


def fit_contexts(flags: list[dict], screen_width: int) -> list[str]:
    """Each flag's context (``before »words« after``) cut so that the table fits the screen:
    the same number of characters each side, what the other columns leave."""
    if not flags:
        return []
    widest = {
        "category": max(len("Category"), *(len(category_label(f["category"])) for f in flags)),
        "text": max(len("Text"), *(len(f["text"]) for f in flags)),
        "transcript": max(len(f"{f['label']} ({f['transcript_id']})") for f in flags),
    }
    room = screen_width - sum(widest.values()) - 4 * 2 - 2 - 1  # cell padding, scrollbar
    side = max(8, (room - widest["text"] - 2) // 2)
    out = []
    for f in flags:
        before, _, rest = f["context"].partition("»")
        words, _, after = rest.partition("«")
        before = before if len(before) <= side else "…" + before[-(side - 1):]
        after = after if len(after) <= side else after[: side - 1] + "…"
        out.append(f"{before}»{words}«{after}")
    return out


def when_text(iso: str | None) -> str:
    """An ISO time stamp as local ``2026-11-23 19:58``; anything else as it is."""
    from datetime import datetime

    if not iso:
        return "never"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class AuditScreen(WorkbenchScreen):
    """Open anonymity flags; dismiss or replace each; run the audit in the background."""

    #: Run the audit with deduce (tests switch this off: deduce's tables take minutes to build).
    USE_DEDUCE = True

    BINDINGS = [
        Binding("d", "dismiss_flag", "Dismiss", id="audit.dismiss"),
        Binding("p", "replace_flag", "Placeholder", id="audit.replace"),
        Binding("enter", "open", "Open in reader", id="audit.open"),
        Binding("A", "run_audit", "Run audit", id="audit.run"),
        Binding("F", "quick_audit", "Quick audit", show=False, id="audit.quick"),
        Binding("escape", "app.back", "Back", id="audit.back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="audit")
        self.flags: list[dict] = []
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("reading the flags…", id="audit-summary")
        yield ProgressBar(id="audit-progress", show_eta=False)
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("d dismiss (may stay) · p replace with a placeholder · Enter open in the "
                     "reader · A run the audit", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · anonymity audit"
        self.query_one(ProgressBar).display = False
        table = self.query_one(DataTable)
        table.add_column("Category", key="category")
        table.add_column("Text", key="text")
        table.add_column("Context", key="context")
        table.add_column("Transcript", key="transcript")
        table.focus()
        self.load()

    # -- the flags -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="audit-flags", exit_on_error=False)
    def load(self) -> None:
        from workbench.services.anonymity.audit import last_run, list_flags

        db = self.wb.project.db
        flags = list_flags(db, width=CONTEXT_CHARS)  # cut to the screen in _show
        decided = db.execute("select count(*) from audit_flags where decision != 'open'"
                             ).fetchone()[0]
        self.app.call_from_thread(self._show, flags, decided, last_run(db))

    def _show(self, flags: list[dict], decided: int, last: str | None) -> None:
        self.flags = flags
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for f, context in zip(flags, fit_contexts(flags, self.size.width or 120), strict=True):
            table.add_row(
                Text(category_label(f["category"]), style="bold red"),
                Text(f["text"], style="bold"),
                Text(context),  # plain text: never markup
                Text(f"{f['label']} ({f['transcript_id']})"),
                key=f["id"],
            )
        if flags:
            table.move_cursor(row=min(keep, len(flags) - 1))
        if last is None and not flags:
            summary = Text("The audit has not run yet: press A (deduce + patterns) or F "
                           "(patterns only).", style="bold")
        else:
            where = len({f["transcript_id"] for f in flags})
            summary = Text.assemble(
                (f"{len(flags)} open flag(s)", "bold red" if flags else "bold green"),
                f" in {where} transcript(s) · {decided} decided · last audit: {when_text(last)}")
        self.query_one("#audit-summary", Static).update(summary)

    def current(self) -> dict | None:
        table = self.query_one(DataTable)
        if not self.flags or table.cursor_row is None:
            return None
        return self.flags[min(table.cursor_row, len(self.flags) - 1)]

    # -- decisions ---------------------------------------------------------------------------------
    def action_dismiss_flag(self) -> None:
        from workbench.services.anonymity import audit

        flag = self.current()
        if flag is None:
            return
        app = self.wb
        with app.guard():
            audit.decide(app.project.db, app.coder, flag["id"], "dismiss")
            self.notify(f"dismissed: “{flag['text']}” may stay (u to undo)")
            self._changed()

    def action_replace_flag(self) -> None:
        flag = self.current()
        if flag is None:
            return

        def chosen(placeholder: str | None) -> None:
            if placeholder is not None:
                self._replace(flag["id"], placeholder)

        self.app.push_screen(PromptScreen(
            f"Replace “{flag['text']}” ({category_label(flag['category'])}, {flag['label']}) with",
            flag["suggested"], enter="replace"), chosen)

    @work(thread=True, exclusive=True, group="audit-write", exit_on_error=False)
    def _replace(self, flag_id: str, placeholder: str) -> None:
        """Replace in a worker: it re-derives the sentence's lemmas (the language pipeline
        may load the first time)."""
        from workbench.errors import WorkbenchError
        from workbench.services.anonymity import audit

        app = self.wb
        try:
            row = audit.replace(app.project.db, app.coder, flag_id, placeholder)
        except WorkbenchError as exc:
            app.call_from_thread(self.notify, str(exc), title="Not done", severity="error",
                                 timeout=8)
            return
        app.call_from_thread(self._replaced, row)

    def _replaced(self, row: dict) -> None:
        self.notify(f"replaced with {row['placeholder']} in {row['transcript_id']} (u to undo)")
        self._changed()

    def _changed(self) -> None:
        self.load()
        self.wb.data_changed(local=self)

    def action_open(self) -> None:
        flag = self.current()
        if flag is not None:
            self.wb.open_transcript(flag["transcript_id"], offset=flag["start"],
                                     end=flag["end"])

    @on(DataTable.RowSelected, "#audit-table")
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    # -- running the audit ---------------------------------------------------------------------------
    def action_run_audit(self) -> None:
        self._start(self.USE_DEDUCE)

    def action_quick_audit(self) -> None:
        self._start(False)

    def _start(self, use_deduce: bool) -> None:
        if self.running:
            self.notify("the audit is running", severity="warning")
            return
        self.running = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#status", Static).update("starting the audit…")
        self.run_audit(use_deduce)

    @work(thread=True, exclusive=True, group="audit-run", exit_on_error=False)
    def run_audit(self, use_deduce: bool) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services.anonymity.audit import run_audit

        app = self.wb
        try:
            if use_deduce:
                self._wait_for_deduce()
            summary = run_audit(
                app.project,
                progress=lambda n, total, message: app.call_from_thread(
                    self._progress, message, n, total),
                use_deduce=use_deduce,
            )
        except WorkbenchError as exc:
            app.call_from_thread(self._finished, None, str(exc))
            return
        app.call_from_thread(self._finished, summary, "")

    def _wait_for_deduce(self) -> None:
        """Load (or build) deduce's tables in deduce's own thread; report its progress here."""
        from workbench.audit import deduce_engine
        from workbench.errors import WorkbenchError

        if deduce_engine.is_ready():
            return
        app = self.wb
        started = time.monotonic()

        def report(message: str, fraction: float | None) -> None:
            try:  # called from deduce's thread; the app may have closed meanwhile
                app.call_from_thread(self._progress, message, fraction, 1.0 if fraction is not None else None)
            except Exception:  # noqa: BLE001
                pass

        thread = deduce_engine.build_in_background(report)
        while thread.is_alive():
            thread.join(0.2)
        info = deduce_engine.engine_info()
        if not info["ready"]:
            raise WorkbenchError("the anonymity engine deduce could not be loaded: "
                                 f"{info.get('error') or 'unknown error'} (F: quick audit "
                                 "with the pattern detectors only)")
        app.call_from_thread(self._progress,
                             f"deduce ready after {time.monotonic() - started:.0f} s", 1, 1)

    def _progress(self, message: str, done: float | None, total: float | None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done or 0)
        self.query_one("#status", Static).update(message)

    def _finished(self, summary, problem: str) -> None:
        self.running = False
        self.query_one(ProgressBar).display = False
        if problem:
            self.notify(problem, title="Audit not done", severity="error", timeout=10)
            self.query_one("#status", Static).update(problem)
            return
        self.notify(f"audited {summary.transcripts} transcript(s) with {summary.engine}: "
                    f"{summary.new} new flag(s), {summary.open} open"
                    + (f" ({summary.unchanged} unchanged since their last audit)"
                       if summary.unchanged else "")
                    + f"\n{summary.lists_line()}",
                    title="Audit")
        self.query_one("#status", Static).update(
            "d dismiss (may stay) · p replace with a placeholder · Enter open in the reader · "
            "A run the audit")
        self._changed()

    # -- data changes -------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load()

