"""Small modal forms: the code picker, a one-line prompt, a choice list, the code fields form.

Each returns its answer through ``dismiss`` (None when cancelled with Escape) and does no
database work itself: the caller applies the answer through the services. The code picker
can show suggestions (existing codes whose extracts resemble the passage, in-vivo names from
its words), computed by a callable the caller passes, in a thread worker; they are only
offered, never applied without the user choosing one.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from workbench.tui.base import workbench_of
from workbench.tui.widgets.plain import Label, Static

NEW = "__new__"


def fuzzy_rank(query: str, names: list[str], *, limit: int = 40, cutoff: float = 55.0) -> list[int]:
    """Indexes of ``names`` that match ``query``, best first: the starts of their words first
    (``fin sig`` → "Financiële signalen"), then fuzzily (:mod:`workbench.analysis.name_match`)."""
    from workbench.analysis.name_match import rank

    return rank(query, names, limit=limit, cutoff=cutoff)


class CodePicker(ModalScreen[dict | None]):
    """Type to filter the codebook; Enter applies the highlighted code or creates a new one.

    Dismisses with ``{"code_id": id}`` or ``{"new": name}``.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("tab", "suggestions", "Suggestions", show=False, id="picker.suggestions"),
    ]

    def __init__(self, codes: list[dict], recent: list[str],
                 similar: Callable[[str], list[tuple[dict, float]]], *, title: str = "Apply code",
                 suggest: Callable[[], tuple[list, list]] | None = None):
        super().__init__()
        self.suggest = suggest
        self.suggested_codes: list = []
        self.suggested_names: list = []
        self._prefer_new: str | None = None
        self.codes = [c for c in codes if c["kind"] == "code"]
        order = {cid: i for i, cid in enumerate(recent)}
        self.codes.sort(key=lambda c: (order.get(c["id"], len(order)), c["name"].lower()))
        self.recent = set(recent)
        self.similar = similar
        self.title_text = title
        self._warned_for: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="type to filter, or a new code name", id="picker-input")
            yield OptionList(id="picker-options")
            if self.suggest is not None:
                yield Label("Suggestions · not applied unless you pick one (Tab)",
                            id="picker-suggest-title", classes="field-label")
                yield OptionList(Option(Text("looking for suggestions…", style="dim"),
                                        disabled=True), id="picker-suggestions")
            yield Static("↑↓ choose · Enter apply · Esc cancel", id="picker-hint",
                         classes="dialog-hint")

    def refresh_data(self) -> None:
        """The project changed while the picker is open (another process, another window):
        list the codes as they are now (a rename shows, a deleted code goes), keeping what is
        typed."""
        from workbench.services.codebook.codes import list_codebook

        order = {c["id"]: i for i, c in enumerate(self.codes)}
        fresh = [c for c in list_codebook(workbench_of(self).project.db) if c["kind"] == "code"]
        fresh.sort(key=lambda c: (order.get(c["id"], len(order)), c["name"].lower()))
        self.codes = fresh
        self._fill(self.query_one("#picker-input", Input).value)

    def on_mount(self) -> None:
        self._fill("")
        if self.suggest is not None:
            self.query_one("#dialog").add_class("suggesting")
            self.load_suggestions()

    @work(thread=True, exclusive=True, group="picker-suggest", exit_on_error=False)
    def load_suggestions(self) -> None:
        assert self.suggest is not None
        try:
            codes, names = self.suggest()
        except Exception as exc:  # noqa: BLE001 - suggestions are a help, never an obstacle
            self.app.call_from_thread(self._show_suggestions, [], [], f"no suggestions: {exc}")
            return
        self.app.call_from_thread(self._show_suggestions, codes, names, "")

    def _show_suggestions(self, codes: list, names: list, problem: str) -> None:
        self.suggested_codes, self.suggested_names = codes, names
        options = self.query_one("#picker-suggestions", OptionList)
        options.clear_options()
        for s in codes:
            label = Text()
            label.append("☆ ", style="yellow")
            label.append(s.name, style="bold" if not s.applied else "dim")
            detail = f"  score {s.score:.0f}"
            if s.shared:
                detail += " · shared: " + ", ".join(s.shared[:4])
            if s.applied:
                detail += " · already on this passage"
            label.append(detail, style="dim")
            options.add_option(Option(label, id=f"code:{s.code_id}"))
        for n in names:
            label = Text()
            label.append("✎ in vivo ", style="italic cyan")
            label.append(f"“{n.name}”")
            options.add_option(Option(label, id=f"name:{n.name}"))
        if not codes and not names:
            options.add_option(Option(Text(problem or "no suggestions for this passage",
                                           style="dim"), disabled=True))

    def action_suggestions(self) -> None:
        if self.suggest is None:
            self.focus_next()
            return
        options = self.query_one("#picker-suggestions", OptionList)
        if options.has_focus:
            self.query_one("#picker-input", Input).focus()
            return
        options.focus()
        if options.highlighted is None and options.option_count:
            options.highlighted = 0

    def _fill(self, query: str) -> None:
        """The rows for what is typed. A code comes first, highlighted, only when the typed
        text means it (its name, or the starts of its words: :func:`name_match.means`);
        otherwise the first row is ＋ new code “…”, so Enter creates what was typed and an
        existing look-alike takes a ↓ (moving with the arrows is choosing)."""
        from workbench.analysis.name_match import fold, means

        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        query = query.strip()
        if query:
            idx = fuzzy_rank(query, [c["name"] for c in self.codes])
            matches = [self.codes[i] for i in idx]
        else:
            matches = self.codes
        exact = any(fold(c["name"]) == fold(query) for c in self.codes)
        meant = [c for c in matches if means(query, c["name"])] if query else []
        if query and not exact and len(meant) != 1:
            options.add_option(Option(Text.assemble(("＋ new code ", "bold"), f"“{query}”"), id=NEW))
        elif len(meant) == 1 and not exact:
            matches = meant + [c for c in matches if c is not meant[0]]
        for code in matches:
            label = Text()
            label.append("■ ", style=code.get("colour") or "white")
            label.append(code["name"])
            if code["id"] in self.recent and not query:
                label.append("  recent", style="dim")
            options.add_option(Option(label, id=code["id"]))
        if query and not exact and len(meant) == 1:
            options.add_option(Option(Text.assemble(("＋ new code ", "bold"), f"“{query}”"), id=NEW))
        if options.option_count:
            options.highlighted = 0
            if query and query == self._prefer_new and not exact:
                options.highlighted = next(i for i in range(options.option_count)
                                           if options.get_option_at_index(i).id == NEW)

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._warned_for = None
        self.query_one("#picker-hint", Static).update("↑↓ choose · Enter apply · Esc cancel")
        self._fill(event.value)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, _event: Input.Submitted) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is None:
            return
        self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    @on(OptionList.OptionSelected, "#picker-suggestions")
    def _suggestion_selected(self, event: OptionList.OptionSelected) -> None:
        """A suggested code applies it; an in-vivo name goes into the field as a new code
        (Enter again creates it, after the close-name check)."""
        option_id = event.option.id or ""
        kind, _, value = option_id.partition(":")
        if kind == "code":
            self.dismiss({"code_id": value})
        elif kind == "name":
            self._prefer_new = value
            field = self.query_one("#picker-input", Input)
            field.value = value
            field.focus()
            self._fill(value)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        if option_id != NEW:
            self.dismiss({"code_id": option_id})
            return
        name = self.query_one("#picker-input", Input).value.strip()
        if self._warned_for != name:
            close = self.similar(name)
            if close:
                self._warned_for = name
                names = ", ".join(f"'{row['name']}' ({score:.0f})" for row, score in close[:3])
                self.query_one("#picker-hint", Static).update(
                    Text(f"Close to existing: {names}. Enter again to create “{name}” anyway.",
                         style="bold yellow"))
                return
        self.dismiss({"new": name})

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of text (a name, a memo)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "",
                 enter: str = "save") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.enter = enter  # what Enter does, for the hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(f"Enter {self.enter} · Esc cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of a list (type to filter); dismisses with the option id."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="type to filter", id="choice-input")
            yield OptionList(id="choice-options")
            yield Static("↑↓ choose · Enter pick · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one("#choice-options", OptionList)
        options.clear_options()
        if query.strip():
            idx = fuzzy_rank(query, [label for _id, label in self.choices], cutoff=40)
            shown = [self.choices[i] for i in idx]
        else:
            shown = self.choices
        for cid, label in shown:
            options.add_option(Option(label, id=cid))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#choice-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#choice-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted, "#choice-input")
    def _submitted(self, _event: Input.Submitted) -> None:
        options = self.query_one("#choice-options", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#choice-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


FIELDS = ("definition", "inclusion", "exclusion", "example")


class FieldsScreen(ModalScreen[dict | None]):
    """Edit a code's definition, inclusion and exclusion notes and example."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="fields.cancel"),
        Binding("ctrl+s", "save", "Save", id="fields.save"),
    ]

    def __init__(self, row: dict) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="fields"):
            yield Label(f"Define “{self.row['name']}”", classes="dialog-title")
            for name in FIELDS:
                yield Label(name.capitalize(), classes="field-label")
                yield Input(self.row.get(name) or "", id=f"field-{name}")
            yield Static("Tab next field · Enter or Ctrl+S save · Esc cancel",
                         classes="dialog-hint")

    @on(Input.Submitted)
    def action_save(self) -> None:
        self.dismiss({name: self.query_one(f"#field-{name}", Input).value for name in FIELDS})

    def action_cancel(self) -> None:
        self.dismiss(None)
