"""Agreement between coders, and deciding their disagreements (second coder, issue 5).

:class:`AgreementScreen` shows the figures of :func:`workbench.agreement.figures.compute`
(overall, per theme, per code and segment matching; an undefined figure reads ``undefined:
reason``), computed in a thread worker for the chosen coders, unit and overlap.
:class:`DisagreementsScreen` lists the units where the coders differ (on one code, one theme or
all) and records a decision per unit with one key (``a``, ``b``, ``t`` both, ``n`` neither) as
codings of the coder ``consensus`` through :func:`workbench.services.second_coding.reconcile.decide`; Enter
opens the passage in the reader with both coders' codings shown.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, OptionList
from textual.widgets.option_list import Option

from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.dialogs import ChoiceScreen, PromptScreen
from workbench.tui.widgets.plain import Static

UNITS = ("sentence", "turn", "transcript")
METRIC_COLUMNS = (
    ("percent_agreement", "Agreement"),
    ("cohen_kappa", "Cohen's κ"),
    ("krippendorff_alpha", "Krippendorff's α"),
)


def figure_text(value: object) -> str:
    """A figure of the JSON as the screen shows it: ``0.742`` or ``undefined: reason``."""
    from workbench.agreement.figures import decode

    if not (value is None or isinstance(value, float | int | dict)):
        return str(value)  # not a figure of the report: shown as it is
    return str(decode(float(value) if isinstance(value, int) else value))


CELL_WIDTH = 22
NAME_WIDTH = 44


def column_widths(screen_width: int) -> tuple[int, int]:
    """``(name width, figure cell width)`` so that all six columns fit the screen: the widest
    (44, 22) from about 200 columns, narrower below (an undefined reason is then cut sooner;
    the line under the table gives it in full)."""
    cell = max(16, min(CELL_WIDTH, (screen_width - 40) // 5))
    # kind 8, units coded ~24, cell padding 12, scrollbar 2
    name = max(22, min(NAME_WIDTH, screen_width - 46 - 3 * cell))
    return name, cell


def fitted_widths(result: dict, screen_width: int) -> tuple[int, int]:
    """Like :func:`column_widths`, but the names get whatever the other columns, as filled
    with this result, leave of the screen (up to 60 characters)."""
    _name, cell = column_widths(screen_width)
    headers = ["", "", "Units compared · coded", *(title for _m, title in METRIC_COLUMNS)]
    widths = [len(h) for h in headers]
    for _key, cells in agreement_rows(result, 10**6, cell):
        for i, value in enumerate(cells):
            widths[i] = max(widths[i], Text(value).cell_len if isinstance(value, str)
                            else value.cell_len)
    others = sum(w + 2 for i, w in enumerate(widths) if i != 1)
    return max(22, min(60, screen_width - others - 2 - 2 - 1)), cell


def figure_cell(value: object, width: int = CELL_WIDTH) -> Text:
    """The figure for a table cell; a long undefined reason is cut (the line under the table
    gives it in full for the highlighted row)."""
    text = figure_text(value)
    if len(text) > width:
        text = text[: width - 1] + "…"
    return Text(text, style="italic dim" if text.startswith("undefined") else "")


def mean_cell(value: object, defined: int, total: int, width: int = CELL_WIDTH) -> Text:
    """A mean figure; when it leaves codes out (their figure is undefined), over how many."""
    cell = figure_cell(value, width)
    if defined < total and not cell.plain.startswith("undefined"):
        cell.append(f" ({defined} codes)", style="dim")
    return cell


def mean_explained(result: dict) -> str:
    """The mean row in words: over how many codes each figure is averaged."""
    mean = result["overall"]["mean"]
    total = result["overall"]["codes"]
    parts = []
    for metric, title in METRIC_COLUMNS:
        n = mean["defined"][metric]
        if n == total:
            parts.append(f"{title} over all {total} codes")
        else:
            parts.append(f"{title} over {n} of {total} codes ({total - n} undefined)")
    return "Mean of the per-code figures, each over the codes where it is defined: " + \
        "; ".join(parts) + "."


def agreement_rows(result: dict, name_width: int = NAME_WIDTH,
                   cell_width: int = CELL_WIDTH) -> list[tuple[str, list]]:
    """``(row key, cells)`` for every row of the table, section headings included.

    Cells: kind, name, coded, then the three figures. Keys: ``overall:pooled``,
    ``overall:mean``, ``theme:<id>``, ``code:<id>``, ``segments:<a>:<b>``,
    ``segcode:<id>:<a>:<b>`` and ``head:<section>`` for the headings.
    """
    coders = result["coders"]
    rows: list[tuple[str, list]] = []

    def short(name: str) -> str:
        return name if len(name) <= name_width else name[: name_width - 1] + "…"

    def cell(value: object) -> Text:
        return figure_cell(value, cell_width)

    def heading(name: str) -> None:
        rows.append((f"head:{name}", ["", Text(name, style="bold underline"), "", "", "", ""]))

    heading("Overall")
    pooled = result["overall"]["pooled"]
    rows.append(("overall:pooled", [
        "pooled", f"all {result['overall']['codes']} codes stacked", f"{pooled['units']} units",
        *(cell(pooled[m]) for m, _ in METRIC_COLUMNS)]))
    mean = result["overall"]["mean"]
    total = result["overall"]["codes"]
    rows.append(("overall:mean", [
        "mean", "mean of the per-code figures", f"{total} codes",
        *(mean_cell(mean[m], mean["defined"][m], total, cell_width)
          for m, _ in METRIC_COLUMNS)]))
    if result["themes"]:
        heading("Themes")
    for t in result["themes"]:
        coded = f"{t['compared']} of {result['units']} · " + " · ".join(
            f"{c} {t['coded'][c]}" for c in coders)
        conflicts = sum(t["conflicts"].values())
        if conflicts:
            coded += f" · {conflicts} conflict(s)"
        rows.append((f"theme:{t['theme_id']}", [
            "theme", short(t["theme"]), coded, *(cell(t[m]) for m, _ in METRIC_COLUMNS)]))
    if result["codes"]:
        heading("Codes")
    for c in result["codes"]:
        coded = f"{c['compared']} · " + " · ".join(
            f"{x} {c['coded'][x]}" for x in coders) + f" · both {c['both']}"
        name = c["code"]
        if c["theme"] and len(name) + len(c["theme"]) + 4 <= name_width:
            name = f"{name}  ({c['theme']})"  # the theme when it fits (else: under the table)
        rows.append((f"code:{c['code_id']}", [
            "code", short(name), coded, *(cell(c[m]) for m, _ in METRIC_COLUMNS)]))
    seg = result["segments"]
    heading(f"Segments matched (≥{seg['overlap']:.0%} overlap)")
    for p in seg["pairs"]:
        rows.append((f"segments:{p['coder']}:{p['other']}", [
            "segments", f"{p['coder']} → {p['other']}",
            f"{p['matched']} of {p['segments']}", cell(p["share"]), "", ""]))
    for c in seg["codes"]:
        for p in c["pairs"]:
            if not p["segments"]:
                continue
            rows.append((f"segcode:{c['code_id']}:{p['coder']}:{p['other']}", [
                "", short(f"{c['code']}: {p['coder']} → {p['other']}"),
                f"{p['matched']} of {p['segments']}", cell(p["share"]), "", ""]))
    return rows


class AgreementScreen(WorkbenchScreen):
    """The agreement figures for two (or more) coders; Enter lists the disagreements."""

    BINDINGS = [
        Binding("enter", "disagreements", "Disagreements", id="agreement.disagreements"),
        Binding("c", "choose_coders", "Coders", id="agreement.coders"),
        Binding("n", "next_unit", "Unit", id="agreement.unit"),
        Binding("o", "overlap", "Overlap", id="agreement.overlap"),
        Binding("r", "refresh", "Recompute", show=False, id="agreement.refresh"),
        Binding("escape", "app.back", "Back", id="agreement.back"),
    ]

    def __init__(self, coders: tuple[str, ...] | None = None, unit: str = "sentence",
                 overlap: float = 0.9) -> None:
        super().__init__(id="agreement")
        self.coders = coders
        self.unit = unit
        self.overlap = overlap
        self.result: dict | None = None
        self.row_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("computing agreement…", id="agreement-summary")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-detail")
        yield Static("Enter disagreements of the highlighted code or theme · c coders · "
                     "n unit · o overlap", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · agreement"
        self.query_one(DataTable).focus()
        self.compute()

    # -- computing --------------------------------------------------------------------------
    def compute(self) -> None:
        self.query_one("#agreement-summary", Static).update(
            f"computing agreement ({self.unit}s)…")
        self._compute(self.coders, self.unit, self.overlap)

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def _compute(self, coders: tuple[str, ...] | None, unit: str, overlap: float) -> None:
        from workbench.errors import WorkbenchError
        from workbench.services.second_coding import agreement

        try:
            result = agreement.compute(self.wb.project.db, coders=list(coders) if coders else None,
                                       unit=unit, overlap=overlap)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._problem, str(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _problem(self, message: str) -> None:
        self.result = None
        self.row_keys = []
        self.query_one(DataTable).clear(columns=True)
        self.query_one("#agreement-summary", Static).update(Text(message, style="bold red"))

    def _show(self, result: dict) -> None:
        self.result = result
        self.coders = tuple(result["coders"])
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        table.add_column("", key="kind")
        table.add_column("Name", key="name")
        table.add_column("Units compared · coded", key="coded")
        for metric, title in METRIC_COLUMNS:
            table.add_column(title, key=metric)
        self.name_width, self.cell_width = fitted_widths(result, self.size.width or 120)
        rows = agreement_rows(result, self.name_width, self.cell_width)
        self.row_keys = [key for key, _cells in rows]
        for key, cells in rows:  # str cells would be read as markup: names are plain text
            table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells), key=key)
        if rows:
            first = next((i for i, k in enumerate(self.row_keys) if not k.startswith("head:")), 0)
            table.move_cursor(row=keep if 0 < keep < len(rows) else first)
        summary = Text()
        summary.append(" × ".join(result["coders"]), style="bold")
        summary.append(f" · unit {result['unit']} · {result['units']} units in "
                       f"{len(result['transcripts'])} transcript(s) · segment overlap "
                       f"{result['segments']['overlap']:.0%}")
        if result["excluded_transcripts"]:
            left_out = ", ".join(f"{x['transcript']} ({x['reason']})"
                                 for x in result["excluded_transcripts"][:4])
            more = len(result["excluded_transcripts"]) - 4
            summary.append(f"\nleft out: {left_out}" + (f" and {more} more" if more > 0 else ""),
                           style="dim")
        self.query_one("#agreement-summary", Static).update(summary)
        self._detail()

    # -- the highlighted row ------------------------------------------------------------------
    def current_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.row_keys or table.cursor_row is None:
            return None
        return self.row_keys[min(table.cursor_row, len(self.row_keys) - 1)]

    @on(DataTable.RowHighlighted, "#agreement-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._detail()

    def figures_of(self, key: str) -> dict | None:
        """The JSON entry behind a row (code, theme, overall pooled/mean), if any."""
        if self.result is None:
            return None
        kind, _, rest = key.partition(":")
        if kind == "code":
            return next((c for c in self.result["codes"] if c["code_id"] == rest), None)
        if kind == "theme":
            return next((t for t in self.result["themes"] if t["theme_id"] == rest), None)
        if kind == "overall":
            return self.result["overall"].get(rest)
        return None

    def _detail(self) -> None:
        key = self.current_key() or ""
        entry = self.figures_of(key)
        undefined = [f"{title}: {figure_text(entry[m])}" for m, title in METRIC_COLUMNS
                     if entry is not None and figure_text(entry[m]).startswith("undefined")]
        text = "\n".join(undefined) + ("\n" if undefined else "")
        if key.startswith(("code:", "theme:")):
            if key.startswith("code:") and entry is not None:
                text += f"{entry['code']}" + (f" (theme {entry['theme']})" if entry["theme"]
                                              else " (no theme)") + f" · computed {entry['basis']} · "
            elif entry is not None:
                text += f"{entry['theme']}: computed {entry['basis']}\n"
            text += "Enter: the units where the coders differ on this " + key.split(":")[0]
        elif key.startswith("overall:"):
            if key == "overall:mean" and self.result:
                text += mean_explained(self.result) + "\n"
            text += "Enter: every unit where the coders differ"
        elif key.startswith(("segments:", "segcode:")) and self.result:
            text += self.result["segments"]["definition"]
        self.query_one("#agreement-detail", Static).update(Text(text, style="dim"))

    # -- actions -------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#agreement-table")
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self.action_disagreements()

    def action_disagreements(self) -> None:
        key = self.current_key()
        if self.result is None or key is None:
            return
        kind, _, rest = key.partition(":")
        if kind in ("code", "theme"):
            code_id: str | None = rest
        elif kind in ("overall", "segments"):
            code_id = None
        elif kind == "segcode":
            code_id = rest.split(":")[0]
        else:
            return
        self.wb.open_disagreements(tuple(self.result["coders"]), self.unit, code_id)

    def action_choose_coders(self) -> None:
        from itertools import combinations

        from workbench.agreement.units import coders_by_codings

        names = [c for c, _n in coders_by_codings(self.wb.project.db, include_consensus=True)]
        if len(names) < 2:
            self.notify("agreement needs two coders with codings", severity="warning")
            return
        choices = [(",".join(pair), " × ".join(pair)) for pair in combinations(names, 2)]
        plain = [c for c in names if c != "consensus"]
        if len(plain) > 2:
            choices.append((",".join(plain), f"all {len(plain)} coders: " + ", ".join(plain)))

        def chosen(value: str | None) -> None:
            if value:
                self.coders = tuple(value.split(","))
                self.compute()

        self.app.push_screen(ChoiceScreen("Compare which coders?", choices), chosen)

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.notify(f"unit: {self.unit}")
        self.compute()

    def action_overlap(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                percent = float(value.strip().rstrip("%").replace(",", "."))
            except ValueError:
                self.notify(f"'{value}' is not a percentage", severity="error")
                return
            if not 0 < percent <= 100:
                self.notify("the overlap is a percentage above 0 and at most 100",
                            severity="error")
                return
            self.overlap = percent / 100
            self.compute()

        self.app.push_screen(PromptScreen("Segment overlap (percent)",
                                          f"{self.overlap * 100:g}", enter="recompute"), chosen)

    def action_refresh(self) -> None:
        self.compute()

    def refresh_data(self) -> None:
        self.compute()



def _unit_of(row: dict) -> tuple[str, int, int]:
    """A disagreement's passage: what stays highlighted when the list is read again."""
    return row["transcript"], row["start"], row["end"]


class DisagreementsScreen(WorkbenchScreen):
    """The units where the coders differ; decide each with one key."""

    BINDINGS = [
        Binding("a", "decide('a')", "Keep A", id="disagreements.a"),
        Binding("b", "decide('b')", "Keep B", id="disagreements.b"),
        Binding("t", "decide('both')", "Both", id="disagreements.both"),
        Binding("n", "decide('neither')", "Neither", id="disagreements.neither"),
        Binding("enter", "open", "Open in reader", id="disagreements.open"),
        Binding("S", "seed", "Seed agreed", show=False, id="disagreements.seed"),
        Binding("escape", "app.back", "Back", id="disagreements.back"),
    ]

    def __init__(self, coders: tuple[str, ...], unit: str = "sentence",
                 code_id: str | None = None) -> None:
        super().__init__()
        self.coders = tuple(coders)
        self.unit = unit
        self.code_id = code_id
        self.rows: list[dict] = []
        self.consensus: list[list[str] | None] = []
        self.decided: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("finding disagreements…", id="dis-title")
        yield OptionList(id="dis-list")
        yield Static("", id="dis-detail")
        a, b = self.coders[0], self.coders[1]
        yield Static(f"a keep {a} · b keep {b} · t both · n neither · Enter open in the reader "
                     "· u undo", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = f"{self.app.title} · disagreements"
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="disagreements", exit_on_error=False)
    def load(self) -> None:
        from workbench.services.codebook import codes as codebook
        from workbench.services.second_coding import disagreements, reconcile

        db = self.wb.project.db
        rows = disagreements.list(db, list(self.coders), self.unit, self.code_id)
        consensus = [reconcile.consensus_codes(db, r["transcript"], r["start"], r["end"])
                     for r in rows]
        name = codebook.resolve(db, self.code_id)["name"] if self.code_id else None
        self.app.call_from_thread(self._show, rows, consensus, name)

    def _show(self, rows: list[dict], consensus: list[list[str] | None], name: str | None
              ) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted
        keep_unit = _unit_of(self.rows[keep]) if keep is not None and keep < len(self.rows) else None
        self.rows = rows
        self.consensus = consensus
        self.code_name = name
        options.clear_options()
        for i in range(len(rows)):
            options.add_option(Option(self._label(i), id=str(i)))
        if rows:  # the same passage stays highlighted when others came or went above it
            units = [_unit_of(r) for r in rows]
            options.highlighted = (units.index(keep_unit) if keep_unit in units
                                   else min(keep or 0, len(rows) - 1))
        self._title()
        self._detail()

    def _title(self) -> None:
        what = f"on “{self.code_name}”" if self.code_name else "on any code"
        done = sum(1 for c in self.consensus if c)
        self.query_one("#dis-title", Static).update(Text.assemble(
            (f"{len(self.rows)} disagreement(s) {what}", "bold"),
            f" · {' × '.join(self.coders)} · unit {self.unit} · "
            f"{done} with consensus codings"))

    def _label(self, i: int) -> Text:
        r = self.rows[i]
        a, b = self.coders[0], self.coders[1]
        text = Text()
        mark = "✓ " if self.consensus[i] or i in self.decided else "  "
        text.append(mark, style="bold green")
        text.append(f"{r['label']} ({r['transcript']}) {r['unit']} {r['idx']}: ", style="bold")
        body = " ".join(r["text"].split())
        text.append(f"“{body[:110]}{'…' if len(body) > 110 else ''}”")
        text.append(f"\n    a {a}: {', '.join(r['codes'][a]) or '—'}", style="cyan")
        text.append(f"   b {b}: {', '.join(r['codes'][b]) or '—'}", style="magenta")
        if self.consensus[i] is not None and (self.consensus[i] or i in self.decided):
            text.append(f"   consensus: {', '.join(self.consensus[i] or []) or '—'}",
                        style="green")
        return text

    def current(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.rows:
            return None
        return options.highlighted

    @on(OptionList.OptionHighlighted, "#dis-list")
    def _highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        i = self.current()
        if i is None:
            self.query_one("#dis-detail", Static).update(
                Text("no disagreements: the coders agree here", style="dim")
                if not self.rows else "")
            return
        r = self.rows[i]
        self.query_one("#dis-detail", Static).update(Text.assemble(
            ("differing: ", "bold"), ", ".join(r["differing"]),
            "\n", " ".join(r["text"].split())[:400]))

    @on(OptionList.OptionSelected, "#dis-list")
    def _selected(self, _event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        i = self.current()
        if i is None:
            return
        r = self.rows[i]
        self.wb.open_transcript(r["transcript"], offset=r["start"], end=r["end"],
                                 compare=(self.coders[0], self.coders[1]))

    def action_decide(self, decision: str) -> None:
        from workbench.services.second_coding import reconcile

        i = self.current()
        if i is None:
            return
        app = self.wb
        with app.guard():
            out = reconcile.decide(app.project.db, app.coder, self.rows[i], decision,
                                   coders=list(self.coders), code=self.code_id, unit=self.unit)
            self.decided[i] = out["decision"]
            self.consensus[i] = out["consensus"]
            options = self.query_one(OptionList)
            options.replace_option_prompt_at_index(i, self._label(i))
            self._title()
            nxt = next((j for j in range(i + 1, len(self.rows))
                        if not self.consensus[j] and j not in self.decided), None)
            if nxt is not None:
                options.highlighted = nxt
            app.data_changed(local=self)
            self.notify(f"{out['decision']}: consensus now {', '.join(out['consensus']) or '—'}"
                        " (u to undo)")

    def action_seed(self) -> None:
        from workbench.services.second_coding import reconcile

        app = self.wb
        with app.guard():
            n = reconcile.seed_agreed(app.project.db, app.coder, coders=list(self.coders),
                                      unit=self.unit, code=self.code_id)
            self.notify(f"consensus: {n} agreed coding(s) copied" if n
                        else "consensus already has everything the coders agree on")
            if n:
                app.data_changed(local=self)

    def refresh_data(self) -> None:
        self.decided.clear()
        self.load()

