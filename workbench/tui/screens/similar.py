"""The review queue of passages like a code's extracts (``workbench similar`` in the UI).

Opened from theme review (``f`` on a code or theme): the suggestions of
:func:`workbench.services.coding.similar.find_similar` for the app's coder, one at a time, the
passage highlighted in its turn with the reasons under it. ``a`` accepts (codes it: one
recorded change, ``u`` undoes; for a theme the code picker asks which of its codes), ``r``
rejects (never suggested to this coder for it again), ``s`` skips, Enter opens the transcript
in the reader there. Nothing is coded without a key press.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header

from workbench.textsafety import shown
from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.plain import Static

#: Suggestions fetched for one queue.
QUEUE_LENGTH = 50


class SimilarScreen(WorkbenchScreen):
    """Review suggested passages for a code or theme, one by one."""

    BINDINGS = [
        Binding("a", "accept", "Accept: code it", id="similar.accept"),
        Binding("r", "reject", "Reject: not like it", id="similar.reject"),
        Binding("s", "skip", "Skip", id="similar.skip"),
        Binding("enter", "open", "Open in reader", id="similar.open"),
        Binding("escape", "app.back", "Back", id="similar.back"),
    ]

    def __init__(self, code_id: str) -> None:
        super().__init__()
        self.code_id = code_id
        self.code: dict = {}
        self.suggestions: list = []
        self.position = 0
        self.counts = {"accepted": 0, "rejected": 0, "skipped": 0}
        self.message = "finding passages like these extracts…"
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="similar-head")
        with VerticalScroll(id="similar-body"):
            yield Static("", id="similar-passage")
            yield Static("", id="similar-why")
        yield Static("", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · find similar"
        self._show_current()
        self.load()

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def load(self) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services.coding.similar import find_similar

        try:
            result = find_similar(self.wb.project.db, self.code_id, coder=self.wb.coder, limit=QUEUE_LENGTH)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, result)

    def _failed(self, message: str) -> None:
        self.loaded = True
        self.message = message
        self._show_current()

    def _loaded(self, result) -> None:
        self.loaded = True
        self.code = result.code
        self.suggestions = result.suggestions
        self.position = 0
        what = "theme" if result.code["kind"] == "theme" else "code"
        self.message = (f"like {result.coder}'s {result.extracts} extracts of the {what} "
                        f"“{result.code['name']}” (respondent text, not yet coded with it)")
        self._show_current()

    @property
    def current(self):
        return self.suggestions[self.position] if self.position < len(self.suggestions) else None

    def _show_current(self) -> None:
        reviewed = sum(self.counts.values())
        head = Text(shown(self.message, one_line=True), style="bold")
        if self.loaded and self.suggestions:
            head.append(f"\nsuggestion {min(self.position + 1, len(self.suggestions))} of "
                        f"{len(self.suggestions)} · reviewed {reviewed}: {self.counts['accepted']} "
                        f"accepted, {self.counts['rejected']} rejected, {self.counts['skipped']} skipped",
                        style="")
        self.query_one("#similar-head", Static).update(head)
        passage, why = self.query_one("#similar-passage", Static), self.query_one("#similar-why", Static)
        s = self.current
        if s is None:
            passage.update(Text("All suggestions reviewed." if self.loaded and self.suggestions else
                                ("No passage shares words with these extracts." if self.loaded and self.code
                                 else "")))
            why.update("")
            self.query_one("#status", Static).update("Esc back")
            return
        before, after = self._turn_around(s)
        body = Text()
        body.append(f"{s.label} · {s.transcript} · sentence(s) {', '.join(map(str, s.sentences))} · "
                    f"score {s.score:.2f}\n\n", style="dim")
        body.append(shown(before))
        body.append(shown(s.text), style="reverse")
        body.append(shown(after))
        passage.update(body)
        why.update(Text(f"\nwhy: {', '.join(s.why) or 'near-identical wording'}", style="italic"))
        self.query_one("#status", Static).update(
            "a accept (code it) · r reject · s skip · Enter open in reader · u undo · Esc back")

    def _turn_around(self, s) -> tuple[str, str]:
        """The rest of the turn around the passage."""
        db = self.wb.project.db
        row = db.execute("select start, [end] from turns where transcript_id = ? and start <= ? and [end] >= ?",
                         [s.transcript, s.start, s.end]).fetchone()
        text = db.execute("select text from transcripts where id = ?", [s.transcript]).fetchone()[0]
        start, end = (row[0], row[1]) if row else (s.start, s.end)
        return text[start:s.start], text[s.end:end]

    def _next(self, outcome: str) -> None:
        self.counts[outcome] += 1
        self.position += 1
        self._show_current()

    def action_skip(self) -> None:
        if self.current is not None:
            self._next("skipped")

    def action_reject(self) -> None:
        from workbench.services.coding.similar import reject

        s = self.current
        if s is None:
            return
        with self.wb.guard():
            reject(self.wb.project.db, self.wb.coder, self.code_id, s.transcript, s.start, s.end)
            self._next("rejected")

    def action_accept(self) -> None:
        s = self.current
        if s is None:
            return
        if self.code.get("kind") == "theme":
            self._pick_code_under_theme()
            return
        self._apply(self.code_id)

    def _apply(self, code_id: str) -> None:
        from workbench.services.coding.passages import apply_code

        s = self.current
        if s is None:
            return
        with self.wb.guard():
            apply_code(self.wb.project.db, self.wb.coder, s.transcript, code_id, s.start, s.end)
            self.notify(f"coded {s.label} · {s.transcript} [{s.start}:{s.end}] (u undoes)")
            self.wb.data_changed(local=self)
            self._next("accepted")

    def _pick_code_under_theme(self) -> None:
        from workbench.services.codebook.codes import subtree_ids
        from workbench.tui.screens.dialogs import CodePicker

        db = self.wb.project.db
        codes = [dict(r) for r in db.query("select * from codes where kind = 'code'")]
        under = set(subtree_ids(db, self.code_id))
        choices = [c for c in codes if c["id"] in under]

        def chosen(result: dict | None) -> None:
            if result and result.get("code_id"):
                self._apply(result["code_id"])

        self.app.push_screen(CodePicker(choices, [], lambda _name: [],
                                        title=f"Code it with a code of “{self.code.get('name', '')}”"),
                             chosen)

    def action_open(self) -> None:
        s = self.current
        if s is not None:
            self.wb.open_transcript(s.transcript, offset=s.start, end=s.end)
