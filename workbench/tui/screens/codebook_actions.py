"""Editing the codebook from its panel: rename, define, memo, move, merge, add.

Each operation asks what it needs in a small modal, then calls the codebook service (one
recorded, undoable change) inside ``app.guard()``, and refreshes the screens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.tui.screens.dialogs import ChoiceScreen, FieldsScreen, PromptScreen

if TYPE_CHECKING:
    from workbench.services.codebook.codes import StaleError
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.widgets.codebook_panel import CodebookPanel

NO_THEME = "__none__"


def run(app: WorkbenchApp, panel: CodebookPanel, op: str) -> None:
    """Carry out ``op`` (add_code, add_theme, rename, edit, memo, move, merge, similar) on the
    panel's highlighted code or theme."""
    actions = _CodebookActions(app, panel)
    if op in ("add_code", "add_theme"):
        actions.add("code" if op == "add_code" else "theme")
        return
    row = panel.current
    if row is None:
        app.notify("highlight a code or theme in the codebook first", severity="warning")
        return
    if op == "similar":  # the review queue of passages like its extracts
        from workbench.tui.screens.similar import SimilarScreen

        app.push_screen(SimilarScreen(row["id"]))
        return
    ask = {"rename": actions.ask_rename, "edit": actions.ask_edit, "memo": actions.ask_memo,
           "move": actions.ask_move, "merge": actions.ask_merge}.get(op)
    if ask is not None:
        ask(row)


class _CodebookActions:
    """The dialogs of the codebook panel's operations and what each does with the answer."""

    def __init__(self, app: WorkbenchApp, panel: CodebookPanel) -> None:
        from workbench.services.codebook import codes as codebook

        self.app = app
        self.panel = panel
        self.db = app.project.db
        self.codebook = codebook

    def done(self, message: str, warnings: list[str] | None = None) -> None:
        self.app.notify(message)
        for w in warnings or []:
            self.app.notify(w, severity="warning", timeout=8)
        self.app.refresh_current()

    def stale(self, exc: StaleError, again: Callable[[dict], None] | None) -> None:
        """Another coder or window changed the code while the dialog was open: say so, show
        the screens as they are now, and open the dialog again on the current version."""
        self.app.notify(exc.message, title="Not saved", severity="warning", timeout=10)
        self.app.refresh_current()
        if exc.current is not None and again is not None:
            again(exc.current)

    def _change(self, change: Callable[[], None], again: Callable[[dict], None] | None) -> None:
        """Run a change of the codebook; a stale dialog is reported (and asked again)."""
        try:
            with self.app.guard(let_through=(self.codebook.StaleError,)):
                change()
        except self.codebook.StaleError as exc:
            self.stale(exc, again)

    def add(self, kind: str) -> None:
        from workbench.services.codebook.neardup import warnings_for

        row = self.panel.current
        parent = None
        if row is not None:
            parent = row["id"] if row["kind"] == "theme" else row["parent_id"]
        if kind == "theme" and row is not None and row["kind"] == "theme" and row["parent_id"]:
            parent = None

        def add(name: str | None) -> None:
            if not name or not name.strip():
                return
            with self.app.guard():
                warnings = warnings_for(self.db, name, kind)
                new = self.codebook.add(self.db, self.app.coder, name, kind=kind, parent=parent)
                self.done(f"added {kind} '{new['name']}'", warnings)

        where = " (under the highlighted theme)" if parent else ""
        self.app.push_screen(PromptScreen(f"New {kind} name{where}"), add)

    def ask_rename(self, shown: dict) -> None:
        def rename(name: str | None) -> None:
            if name is None:
                return

            def change() -> None:
                new, warnings = self.codebook.rename(self.db, self.app.coder, shown["id"], name,
                                                     seen=shown)
                self.done(f"renamed to '{new['name']}'", warnings)

            self._change(change, self.ask_rename)

        self.app.push_screen(
            PromptScreen(f"Rename {shown['kind']} “{shown['name']}”", shown["name"]), rename)

    def ask_edit(self, shown: dict) -> None:
        def edit(fields: dict | None) -> None:
            if fields is None:
                return

            def change() -> None:
                self.codebook.update_fields(self.db, self.app.coder, shown["id"], seen=shown,
                                            **fields)
                self.done(f"definition of '{shown['name']}' saved")

            self._change(change, self.ask_edit)

        self.app.push_screen(FieldsScreen(shown), edit)

    def ask_memo(self, shown: dict) -> None:
        def memo(text: str | None) -> None:
            if text is None:
                return

            def change() -> None:
                self.codebook.update_fields(self.db, self.app.coder, shown["id"], seen=shown,
                                            memo=text)
                self.done(f"memo on '{shown['name']}' saved")

            self._change(change, self.ask_memo)

        self.app.push_screen(
            PromptScreen(f"Memo on “{shown['name']}”", shown.get("memo") or ""), memo)

    def ask_move(self, row: dict) -> None:
        themes = [r for r in self.panel.rows if r["kind"] == "theme" and r["id"] != row["id"]]
        choices = [(NO_THEME, "(no theme)")] + [
            (t["id"], ("  " * t["depth"]) + t["name"]) for t in themes
        ]

        def move(theme_id: str | None) -> None:
            if theme_id is None:
                return

            def change() -> None:
                self.codebook.move(self.db, self.app.coder, row["id"],
                                   None if theme_id == NO_THEME else theme_id, seen=row)
                self.done(f"moved '{row['name']}'")

            self._change(change, None)

        self.app.push_screen(ChoiceScreen(f"Move “{row['name']}” to…", choices), move)

    def ask_merge(self, row: dict) -> None:
        same = [r for r in self.panel.rows if r["kind"] == row["kind"] and r["id"] != row["id"]]
        if not same:
            self.app.notify(f"there is no other {row['kind']} to merge into", severity="warning")
            return
        choices = [(r["id"], f"{r['name']}  ({r['codings']} codings)") for r in same]

        def merge(target: str | None) -> None:
            if target is None:
                return

            def change() -> None:
                merged = self.codebook.merge(self.db, self.app.coder, row["id"], target,
                                             seen=row)
                self.done(f"merged '{row['name']}' into '{merged['name']}' (u to undo)")

            self._change(change, None)

        self.app.push_screen(
            ChoiceScreen(f"Merge “{row['name']}” into… (its codings move there)", choices), merge)
