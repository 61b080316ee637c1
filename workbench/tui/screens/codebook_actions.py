"""Editing the codebook from its panel: rename, define, memo, move, merge, add.

Each operation asks what it needs in a small modal, then calls the codebook service (one
recorded, undoable change) inside ``app.guard()``, and refreshes the screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.tui.screens.dialogs import ChoiceScreen, FieldsScreen, PromptScreen

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.widgets.codebook_panel import CodebookPanel

NO_THEME = "__none__"


def run(app: WorkbenchApp, panel: CodebookPanel, op: str) -> None:
    from workbench.services.codebook import codes as codebook
    from workbench.services.codebook.neardup import warnings_for

    row = panel.current
    db = app.project.db

    def done(message: str, warnings: list[str] | None = None) -> None:
        app.notify(message)
        for w in warnings or []:
            app.notify(w, severity="warning", timeout=8)
        app.refresh_current()

    if op in ("add_code", "add_theme"):
        kind = "code" if op == "add_code" else "theme"
        parent = None
        if row is not None:
            parent = row["id"] if row["kind"] == "theme" else row["parent_id"]
        if kind == "theme" and row is not None and row["kind"] == "theme" and row["parent_id"]:
            parent = None

        def add(name: str | None) -> None:
            if not name or not name.strip():
                return
            with app.guard():
                warnings = warnings_for(db, name, kind)
                new = codebook.add(db, app.coder, name, kind=kind, parent=parent)
                done(f"added {kind} '{new['name']}'", warnings)

        where = " (under the highlighted theme)" if parent else ""
        app.push_screen(PromptScreen(f"New {kind} name{where}"), add)
        return

    if row is None:
        app.notify("highlight a code or theme in the codebook first", severity="warning")
        return

    def stale(exc: codebook.StaleError, again) -> None:
        """Another coder or window changed the code while the dialog was open: say so, show
        the screens as they are now, and open the dialog again on the current version."""
        app.notify(exc.message, title="Not saved", severity="warning", timeout=10)
        app.refresh_current()
        if exc.current is not None and again is not None:
            again(exc.current)

    def ask_rename(shown: dict) -> None:
        def rename(name: str | None) -> None:
            if name is None:
                return
            try:
                with app.guard(let_through=(codebook.StaleError,)):
                    new, warnings = codebook.rename(db, app.coder, shown["id"], name, seen=shown)
                    done(f"renamed to '{new['name']}'", warnings)
            except codebook.StaleError as exc:
                stale(exc, ask_rename)

        app.push_screen(PromptScreen(f"Rename {shown['kind']} “{shown['name']}”", shown["name"]), rename)

    def ask_edit(shown: dict) -> None:
        def edit(fields: dict | None) -> None:
            if fields is None:
                return
            try:
                with app.guard(let_through=(codebook.StaleError,)):
                    codebook.update_fields(db, app.coder, shown["id"], seen=shown, **fields)
                    done(f"definition of '{shown['name']}' saved")
            except codebook.StaleError as exc:
                stale(exc, ask_edit)

        app.push_screen(FieldsScreen(shown), edit)

    def ask_memo(shown: dict) -> None:
        def memo(text: str | None) -> None:
            if text is None:
                return
            try:
                with app.guard(let_through=(codebook.StaleError,)):
                    codebook.update_fields(db, app.coder, shown["id"], seen=shown, memo=text)
                    done(f"memo on '{shown['name']}' saved")
            except codebook.StaleError as exc:
                stale(exc, ask_memo)

        app.push_screen(PromptScreen(f"Memo on “{shown['name']}”", shown.get("memo") or ""), memo)

    if op == "rename":
        ask_rename(row)
    elif op == "edit":
        ask_edit(row)
    elif op == "memo":
        ask_memo(row)
    elif op == "move":
        themes = [r for r in panel.rows if r["kind"] == "theme" and r["id"] != row["id"]]
        choices = [(NO_THEME, "(no theme)")] + [
            (t["id"], ("  " * t["depth"]) + t["name"]) for t in themes
        ]

        def move(theme_id: str | None) -> None:
            if theme_id is None:
                return
            try:
                with app.guard(let_through=(codebook.StaleError,)):
                    codebook.move(db, app.coder, row["id"], None if theme_id == NO_THEME else theme_id,
                                  seen=row)
                    done(f"moved '{row['name']}'")
            except codebook.StaleError as exc:
                stale(exc, None)

        app.push_screen(ChoiceScreen(f"Move “{row['name']}” to…", choices), move)
    elif op == "merge":
        same = [r for r in panel.rows if r["kind"] == row["kind"] and r["id"] != row["id"]]
        if not same:
            app.notify(f"there is no other {row['kind']} to merge into", severity="warning")
            return
        choices = [(r["id"], f"{r['name']}  ({r['codings']} codings)") for r in same]

        def merge(target: str | None) -> None:
            if target is None:
                return
            try:
                with app.guard(let_through=(codebook.StaleError,)):
                    merged = codebook.merge(db, app.coder, row["id"], target, seen=row)
                    done(f"merged '{row['name']}' into '{merged['name']}' (u to undo)")
            except codebook.StaleError as exc:
                stale(exc, None)

        app.push_screen(
            ChoiceScreen(f"Merge “{row['name']}” into… (its codings move there)", choices), merge)
