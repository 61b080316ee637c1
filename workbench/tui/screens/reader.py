"""The reader screen: one transcript in the reader, the codebook beside it, coding keys.

Loading a transcript runs in a thread worker; coding actions call the services on the UI
thread (each is one short transaction) and then reload only this transcript's codings, so the
screen updates at once; the codebook counts refresh in the background. Open anonymity flags
are read in a worker and drawn underlined in red; ``N`` opens the notes panel (this coder's
transcript memo). Opened from a disagreement, the reader shows two coders' codings side by
side (``compare``); when you are neither of them it is read-only.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header

from workbench.errors import NotFoundError
from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.dialogs import ChoiceScreen, CodePicker, PromptScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel
from workbench.tui.widgets.memo_panel import MemoPanel
from workbench.tui.widgets.plain import Static
from workbench.tui.widgets.transcript_view import Span, TranscriptView


def to_spans(rows: list[dict]) -> list[Span]:
    return [
        Span(r["id"], r["code_id"], r["name"], r["colour"] or "", r["coder"], r["start"],
             r["end"], r["memo"] or "")
        for r in rows
    ]


def sentence_text(number: int, total: int, turn: int) -> str:
    """Where the cursor is, in the numbers the CLI takes (both 0-based, as stored):
    ``s14 of 193 · turn 3`` is ``--sentence 14`` and ``--turn 3``."""
    return f"s{number} of {total} · turn {turn}"


class ReaderScreen(WorkbenchScreen):
    """Read and code one transcript."""

    BINDINGS = [
        Binding("c", "code", "Code", id="reader.code"),
        Binding("quotation_mark", "paste_quote", "Quote", key_display='"', id="reader.quote"),
        Binding("enter", "code_found", "Code found passage", show=False, id="reader.code_found"),
        Binding("x", "uncode", "Uncode", id="reader.uncode"),
        Binding("m", "memo", "Memo", id="reader.memo"),
        Binding("o", "other_coder", "Compare", id="reader.other"),
        Binding("b", "toggle_codebook", "Codebook", id="reader.codebook"),
        Binding("N", "notes", "Notes", show=False, id="reader.notes"),
        Binding("escape", "app.back", "Back", show=False, id="reader.back"),
    ]

    def __init__(self, transcript_id: str, *, offset: int | None = None,
                 end: int | None = None, compare: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.pending = (offset, end)
        self.transcript: dict = {}
        self.other_coder: str | None = None
        self.primary_coder: str | None = None  # None: the app's coder
        self._compare = compare
        self.found: tuple[int, int] | None = None  # a passage found from a pasted quote
        self.found_note = ""
        self.interviewer_ok: tuple[int, int] | None = None  # a span confirmed with interviewer text

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader-body"):
            yield TranscriptView(id="reader")
            yield CodebookPanel(id="codebook")
        yield MemoPanel(id="notes")
        yield Static("loading…", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(TranscriptView).focus()
        if self._compare:
            self.compare(self._compare)
        self.load()
        self.call_after_refresh(self.preload_language)

    @work(thread=True, exclusive=True, group="nlp-preload", exit_on_error=False)
    def preload_language(self) -> None:
        """Load the language pipeline after the first paint, so that the picker's first
        suggestions come without a wait (a no-op once it is loaded)."""
        from workbench.nlp.pipeline import get_pipeline, is_loaded

        if not is_loaded():
            get_pipeline()

    @property
    def own_coder(self) -> str:
        """Whose codings are the main (tinted) layer: the app's coder unless comparing two
        other coders."""
        return self.primary_coder or self.wb.coder

    @property
    def read_only(self) -> bool:
        return self.own_coder != self.wb.coder

    def _coders(self) -> list[str]:
        return [self.own_coder] + ([self.other_coder] if self.other_coder else [])

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    # -- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="reader-load", exit_on_error=False)
    def load(self) -> None:
        from workbench.services.coding.passages import transcript_codings
        from workbench.services.transcripts.library import (
            get_sentences,
            get_turns,
            resolve_transcript,
        )

        db = self.wb.project.db
        t = resolve_transcript(db, self.transcript_id)
        turns = get_turns(db, t["id"])
        sentences = get_sentences(db, t["id"])
        codings = transcript_codings(db, t["id"], self._coders())
        flags = self._read_flags(db, t["id"])
        self.app.call_from_thread(self._loaded, t, turns, sentences, codings, flags)

    @staticmethod
    def _read_flags(db, tid: str) -> list[tuple[int, int]]:
        from workbench.services.anonymity.audit import flagged_spans

        return [(f.start, f.end) for f in flagged_spans(db, tid)]

    def _loaded(self, t: dict, turns, sentences, codings, flags) -> None:
        self.transcript = t
        self.title = f"{self.app.title} · {t['label']} ({t['id']})"
        own, other = self._split(codings)
        self.view.load(t["text"], turns, sentences, own, other, respondent_label=t["label"])
        self.view.set_flags(flags)
        offset, end = self.pending
        if offset is not None:
            self.view.move_to_offset(offset, select_to=end)
            # The new virtual size applies at the next layout: scroll there again after it.
            self.call_after_refresh(self.view.scroll_to_cursor)
        self._status()

    @work(thread=True, exclusive=True, group="reader-flags", exit_on_error=False)
    def load_flags(self) -> None:
        """Re-read the open anonymity flags of this transcript (after a decision)."""
        if not self.transcript:
            return
        flags = self._read_flags(self.wb.project.db, self.transcript["id"])
        self.app.call_from_thread(self.view.set_flags, flags)

    def _split(self, codings: list[dict]) -> tuple[list[Span], list[Span]]:
        me = self.own_coder
        own = [r for r in codings if r["coder"] == me]
        other = [r for r in codings if r["coder"] == self.other_coder]
        return to_spans(own), to_spans(other)

    def reload_codings(self) -> None:
        """Re-read this transcript's codings (fast: one indexed query) and redraw."""
        from workbench.services.coding.passages import transcript_codings

        if not self.transcript:
            return
        rows = transcript_codings(self.wb.project.db, self.transcript["id"], self._coders())
        own, other = self._split(rows)
        self.view.set_codings(own, other)
        self._status()

    def refresh_data(self) -> None:
        """After a change elsewhere: re-read everything if the text itself changed (an
        anonymity replacement, a re-import), else only the codings and flags."""
        if not self.transcript:
            return
        row = self.wb.project.db.execute(
            "select content_hash from transcripts where id = ?", [self.transcript["id"]]
        ).fetchone()
        if row is not None and row[0] != self.transcript.get("content_hash"):
            span = self.view.cursor_span
            self.pending = (span[0], None) if span else (None, None)
            self.load()
        else:
            self.reload_codings()
            self.load_flags()
        self.query_one(CodebookPanel).reload()


    def jump_to(self, offset: int, end: int | None = None) -> None:
        if self.view.loaded:
            self.view.move_to_offset(offset, select_to=end)
        else:
            self.pending = (offset, end)

    # -- status line ------------------------------------------------------------------------
    @on(TranscriptView.CursorMoved)
    def _status(self, _event: TranscriptView.CursorMoved | None = None) -> None:
        view = self.view
        if not view.sentences:
            self.query_one("#status", Static).update("this transcript has no sentences")
            return
        s, e, turn = view.sentences[view.cursor]
        parts = [sentence_text(view.sentence_numbers[view.cursor], len(view.sentences), turn)]
        sel = view.selection
        if sel:
            parts.append(f"selected {sel[1] - sel[0]} characters")
        elif view.point is not None:
            parts.append("word cursor: ⇧→ selects from here")
        span = view.target_span or (s, e)
        here = view.codings_at(*span)
        if self.read_only:
            parts.append(f"{self.own_coder}: " + (", ".join(dict.fromkeys(c.name for c in here)) or "—"))
        elif here:
            parts.append("codes: " + ", ".join(dict.fromkeys(c.name for c in here)))
            memos = [c.memo for c in here if c.memo]
            if memos:
                parts.append(f"memo: {memos[0][:60]}")
        if self.other_coder:
            theirs = view.codings_at(*span, own=False)
            parts.append(f"{self.other_coder}: " + (", ".join(dict.fromkeys(c.name for c in theirs)) or "—"))
        flagged = view.flags_at(*span)
        if flagged:
            parts.append(f"⚑ {len(flagged)} open anonymity flag(s)")
        if self.read_only:
            parts.append("read-only")
        if self.found is not None and sel == self.found:
            parts.append(self.found_note)
        self.query_one("#status", Static).update(" · ".join(parts))

    def _refuse_read_only(self) -> bool:
        if self.read_only:
            self.notify(f"showing {self.own_coder}'s and {self.other_coder}'s codings "
                        f"(read-only); press o to see your own", severity="warning")
            return True
        return False

    # -- coding ---------------------------------------------------------------------------
    def action_code(self) -> None:
        """Code the selection (or the sentence): the picker; when the passage holds the
        interviewer's words, a confirmation first (the same check as the CLI's)."""
        from workbench.services.coding.passages import interviewer_turns

        if self._refuse_read_only():
            return
        span = self.view.target_span
        if span is None:
            self.notify("nothing to code here", severity="warning")
            return
        turns = interviewer_turns(self.wb.project.db, self.transcript["id"], *span)
        if turns and span != self.interviewer_ok:
            which = ", ".join(str(t) for t in turns)

            def answer(choice: str | None) -> None:
                if choice == "code":
                    self.interviewer_ok = span
                    self._pick_code(span)

            self.app.push_screen(ChoiceScreen(
                f"This passage holds the interviewer's words (turn {which}). Interviewer text is "
                "not quoted in a report and not counted in agreement.",
                [("cancel", "Cancel: select the respondent's words only"),
                 ("code", "Code it anyway, with the interviewer's words")]), answer)
            return
        self._pick_code(span)

    def _pick_code(self, span: tuple[int, int]) -> None:
        from workbench.services.codebook.codes import list_codebook
        from workbench.services.coding.passages import recent_code_ids

        db = self.wb.project.db
        codes = [r for r in self.query_one(CodebookPanel).rows if r["kind"] == "code"] or [
            r for r in list_codebook(db) if r["kind"] == "code"
        ]
        recent = recent_code_ids(db, self.wb.coder)

        def similar(name: str):
            from workbench.services.codebook.neardup import similar as near

            return near(self.wb.project.db, name, "code")

        def chosen(answer: dict | None) -> None:
            if answer:
                self.apply(answer, span)

        tid = self.transcript["id"]

        def suggestions():
            """Run by the picker in a thread worker: (code suggestions, in-vivo names)."""
            from workbench.services.coding.suggest import suggest_codes, suggest_names

            thread_db = self.wb.project.db
            return (suggest_codes(thread_db, tid, *span), suggest_names(thread_db, tid, *span))

        self.app.push_screen(CodePicker(codes, recent, similar, suggest=suggestions), chosen)

    # -- finding a pasted quote ----------------------------------------------------------------
    def action_paste_quote(self, text: str = "") -> None:
        """Ask for a quote as the report prints it; find and select its passage."""
        if self._refuse_read_only() or not self.transcript:
            return

        def find(quote: str | None) -> None:
            if quote and quote.strip():
                self.find_quote(quote)

        self.app.push_screen(
            PromptScreen("Paste a quote as the report prints it: […] skips words, [words] are "
                         "the author's, a trailing (Label) is ignored", text,
                         placeholder="“…” (Jongerenwerker C)", enter="finds the passage"),
            find,
        )

    def on_paste(self, event: events.Paste) -> None:
        """Text pasted into the reader (the terminal's paste) is taken as a quote to find."""
        if self.screen is self and event.text.strip() and not self.query_one(MemoPanel).has_class("open"):
            event.stop()
            self.action_paste_quote(" ".join(event.text.split()))

    @work(thread=True, exclusive=True, group="reader-quote", exit_on_error=False)
    def find_quote(self, quote: str, include_interviewer: bool = False) -> None:
        from workbench.analysis.passage import PassageError
        from workbench.services.coding.passages import find_quote

        db = self.wb.project.db
        try:
            found = find_quote(db, self.transcript["id"], quote, include_interviewer=include_interviewer)
        except PassageError as exc:
            self.app.call_from_thread(self._quote_refused, quote, exc)
            return
        self.app.call_from_thread(self._quote_found, found)

    def _quote_refused(self, quote: str, exc) -> None:
        if exc.kind != "interviewer":
            self.notify(exc.message, title="Quote not found", severity="error", timeout=10)
            return

        def answer(choice: str | None) -> None:
            if choice == "include":
                self.find_quote(quote, include_interviewer=True)

        turns = ", ".join(str(t) for t in exc.turns)
        self.app.push_screen(ChoiceScreen(
            f"The passage runs into the interviewer's turn {turns}; interviewer text is not "
            "quoted in a report.",
            [("cancel", "Cancel: quote the respondent's words only"),
             ("include", "Select it anyway, with the interviewer's words")]), answer)

    def _quote_found(self, found) -> None:
        from workbench.analysis.passage import percent

        self.found = (found.start, found.end)
        if found.interviewer_turns:  # asked already: select it anyway
            self.interviewer_ok = self.found
        self.view.move_to_offset(found.start, select_to=found.end)
        self.call_after_refresh(self.view.scroll_to_cursor)
        how = {"exact": "found exactly", "words": "found word for word"}.get(
            found.how, f"fuzzy match, {percent(found.score)} similar (needs {percent(found.threshold)})")
        note = " · includes interviewer text" if found.interviewer_turns else ""
        self.found_note = (f"{how}: [{found.start}:{found.end}]{note} · Enter: choose the code · "
                           "Esc: cancel")
        self._status()

    def action_code_found(self) -> None:
        """Enter after a found quote: code the selected passage (the picker applies it)."""
        if self.found is not None and self.view.selection == self.found:
            self.action_code()
        else:
            self.found = None

    def apply(self, answer: dict, span: tuple[int, int]) -> None:
        """Apply the picked (or a new) code to ``span`` (the same use case as ``workbench
        code``: :func:`~workbench.services.coding.passages.code_span`); then redraw and show its
        warnings."""
        from workbench.services.coding import passages as coding

        app = self.wb
        db = app.project.db
        with app.guard():
            before = {c.id for c in self.view.own}
            done = coding.code_span(db, app.coder, self.transcript["id"],
                                    answer.get("new") or answer["code_id"], *span,
                                    create="new" in answer)
            code, row = done.code, done.coding
            self.view.mark = self.view.head = None
            self.found = None
            if row["id"] not in before:
                self.view.add_span(Span(row["id"], code["id"], code["name"], code["colour"] or "",
                                        row["coder"], row["start"], row["end"], row["memo"] or ""))
            self._status()
            if done.note:  # the picker asked about close names, this screen about interviewer text
                self.notify(done.note, severity="warning", timeout=10)
            if not done.stored:  # the same service answer as the CLI's "already coded"
                self.notify(f"already coded “{code['name']}” here: nothing changed",
                            severity="warning")
                return
            app.data_changed(local=self)
            self.notify(f"coded “{code['name']}” ({row['end'] - row['start']} characters)")

    def _pick_coding(self, title: str, then) -> None:
        if self._refuse_read_only():
            return
        span = self.view.target_span
        here = self.view.codings_at(*span) if span else []
        if not here:
            theirs = self.view.codings_at(*span, own=False) if span else []
            msg = "no coding of yours here" + (
                f" (the codings here belong to {theirs[0].coder}, read-only)" if theirs else "")
            self.notify(msg, severity="warning")
            return
        if len(here) == 1:
            then(here[0].id)
            return
        text = self.view.text
        choices = [(c.id, f"{c.name}: “{text[c.start:c.end][:50]}”") for c in here]
        self.app.push_screen(ChoiceScreen(title, choices), lambda cid: cid and then(cid))

    def _gone_meanwhile(self) -> None:
        """The coding was removed by another window or the CLI after this screen showed it."""
        self.notify("that coding was removed meanwhile (in another window or the CLI); "
                    "nothing changed here", severity="warning")
        self.reload_codings()

    def action_uncode(self) -> None:
        from workbench.services.coding.passages import remove_coding

        def remove(coding_id: str) -> None:
            try:
                with self.wb.guard(let_through=(NotFoundError,)):
                    remove_coding(self.wb.project.db, self.wb.coder, coding_id)
                    self.reload_codings()
                    self.wb.data_changed(local=self)
                    self.notify("coding removed (u to undo)")
            except NotFoundError:
                self._gone_meanwhile()

        self._pick_coding("Remove which coding?", remove)

    def action_memo(self) -> None:
        from workbench.services.codebook.codes import StaleError
        from workbench.services.coding.passages import set_memo

        def ask(coding_id: str) -> None:
            current = next((c.memo for c in self.view.own if c.id == coding_id), "")

            def save(memo: str | None) -> None:
                if memo is None:
                    return
                try:
                    with self.wb.guard(let_through=(NotFoundError, StaleError)):
                        set_memo(self.wb.project.db, self.wb.coder, coding_id, memo,
                                 seen=current or "")
                        self.reload_codings()
                        self.notify("memo saved" if memo.strip() else "memo cleared")
                except NotFoundError:
                    self._gone_meanwhile()
                except StaleError as exc:  # the dialog again, on the memo as it is now
                    self.notify(str(exc), title="Not saved", severity="warning", timeout=10)
                    self.reload_codings()
                    ask(coding_id)

            self.app.push_screen(PromptScreen("Memo on this coding", current), save)

        self._pick_coding("Memo on which coding?", ask)

    # -- other coder ----------------------------------------------------------------------
    def action_other_coder(self) -> None:
        from workbench.services.team import coders

        if self.other_coder:
            self.primary_coder = None
            self.set_other(None)
            return
        others = [c for c in coders(self.wb.project.db) if c != self.wb.coder]
        if not others:
            self.notify("no other coder has coded in this project yet", severity="warning")
        elif len(others) == 1:
            self.set_other(others[0])
        else:
            self.app.push_screen(
                ChoiceScreen("Show whose codings?", [(c, c) for c in others]),
                lambda name: self.set_other(name) if name else None,
            )

    def set_other(self, name: str | None) -> None:
        self.other_coder = name
        self.view.show_other = name is not None
        self.reload_codings()
        if name:
            self.notify(f"showing {name}'s codings (read-only): underlined, right gutter")

    def compare(self, pair: tuple[str, str]) -> None:
        """Show two coders' codings: yours and the other's when you are one of them, else the
        first's (tinted) and the second's (underlined), read-only."""
        a, b = pair
        me = self.wb.coder
        self.primary_coder = None if me in pair else a
        other = (b if me == a else a) if me in pair else b
        self.other_coder = other
        self.view.show_other = True
        self.reload_codings()

    def action_toggle_codebook(self) -> None:
        panel = self.query_one(CodebookPanel)
        panel.display = not panel.display
        if not panel.display:
            self.view.focus()

    @on(CodebookPanel.Chosen)
    def _code_chosen(self, event: CodebookPanel.Chosen) -> None:
        self.wb.open_review(event.row["id"])

    # -- notes (transcript memo) --------------------------------------------------------------
    def action_notes(self) -> None:
        panel = self.query_one(MemoPanel)
        if panel.has_class("open"):
            panel.action_close()
            return
        if not self.transcript:
            return
        self._load_notes()

    @work(thread=True, exclusive=True, group="reader-notes", exit_on_error=False)
    def _load_notes(self) -> None:
        from workbench.services.coding.memos import list_memos

        memos = list_memos(self.wb.project.db, "transcript", self.transcript["id"])
        self.app.call_from_thread(self._show_notes, memos)

    def _show_notes(self, memos: list[dict]) -> None:
        me = self.wb.coder
        own = next((m for m in memos if m["coder"] == me), None)
        others = [m for m in memos if m is not own]
        panel = self.query_one(MemoPanel)
        panel.show(f"Notes on {self.transcript['label']} ({self.transcript['id']}) · {me} · "
                   "Ctrl+S save · Esc close", own, others)
        panel.add_class("open")
        panel.query_one("#memo-text").focus()

    def save_notes(self, text: str) -> bool:
        """Save this coder's transcript memo (add, edit, or delete when emptied)."""
        from workbench.services.coding import memos

        panel = self.query_one(MemoPanel)
        app = self.wb
        db = app.project.db
        with app.guard():
            if panel.memo_id and not text.strip():
                memos.delete(db, app.coder, panel.memo_id)
                panel.saved(None, "")
                self.notify("notes deleted (u to undo)")
            elif panel.memo_id:
                memos.edit(db, app.coder, panel.memo_id, text)
                panel.saved(panel.memo_id, text)
                self.notify("notes saved")
            elif text.strip():
                row = memos.add(db, app.coder, "transcript", self.transcript["id"], text)
                panel.saved(row["id"], text)
                self.notify("notes saved")
            app.data_changed(local=self)
            return True
        return False

    @on(MemoPanel.Save)
    def _save_notes(self, event: MemoPanel.Save) -> None:
        event.stop()
        if self.query_one(MemoPanel).dirty:
            self.save_notes(event.text)

    @on(MemoPanel.Closed)
    def _close_notes(self, event: MemoPanel.Closed) -> None:
        event.stop()
        if event.dirty and not self.save_notes(event.text):
            return  # not saved: keep the panel open
        self.query_one(MemoPanel).remove_class("open")
        self.view.focus()
