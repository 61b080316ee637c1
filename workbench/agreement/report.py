"""A short Markdown methods-section text from the agreement figures (``--report FILE.md``).

:func:`render` turns the structure of :func:`workbench.agreement.figures.compute` into text a
researcher can paste into the methods chapter and adapt: the unit, the coders, the transcripts
compared (and those left out, with why), the method, and tables of the figures per theme and
per code, overall, and for segment matching. :func:`write` never overwrites a file without
``force`` and never creates a missing folder.

An undefined figure appears in a table as ``undefined¹``; the numbered notes below the table
give the reason in plain words (:func:`readable`). :class:`Footnotes` does the numbering for
the report and for the terminal table of ``workbench agreement``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from workbench.agreement.figures import decode
from workbench.agreement.units import Row

METRIC_NAMES = {"percent_agreement": "percent agreement", "cohen_kappa": "Cohen's kappa",
                "krippendorff_alpha": "Krippendorff's alpha"}
UNIT_WORDS = {"sentence": ("sentence", "sentences"), "turn": ("speaker turn", "speaker turns"),
              "transcript": ("whole transcript", "whole transcripts")}


def fmt(value: float | Row | None, *, percent: bool = False) -> str:
    """A figure for a table: ``0.742``, ``87.5%``, or ``undefined: reason``."""
    f = decode(value)
    if not f.defined or f.value is None:
        return f"undefined: {f.reason}"
    return f"{100 * f.value:.1f}%" if percent else f"{f.value:.3f}"


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """``12`` -> ``¹²``."""
    return str(n).translate(_SUPERSCRIPT)


def _quoted(token: str) -> str:
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError):
        value = token.strip("'\"")
    return f"‘{value}’"


_ONLY_CATEGORY = re.compile(r"^both coders used only the category ('.*'|\".*\"): expected agreement is 1$")
_NO_VARIATION = re.compile(
    r"^no variation: every pairable value is ('.*'|\".*\"), so expected disagreement is 0$")


def readable(reason: str, *, theme: bool = False) -> str:
    """An undefined figure's reason as a plain sentence for a reader of the report (the JSON
    keeps the reason as computed). ``theme``: the figure is a theme's (the values are the
    theme's codes), not a code's (the values are present/absent). Kappa and alpha undefined for
    the same cause get the same sentence, so that they share one note."""
    text = reason.strip()
    m = _ONLY_CATEGORY.match(text) or _NO_VARIATION.match(text)
    if m:
        token = m.group(1)
        try:
            value = ast.literal_eval(token)
        except (ValueError, SyntaxError):
            value = token
        if not theme and value == "absent":
            who = "neither coder applied the code to any unit"
        elif not theme and value == "present":
            who = "every coder applied the code to every unit"
        elif theme:
            who = f"wherever the coders both gave one of the theme's codes, it was {_quoted(token)}"
        else:
            who = f"every value was {_quoted(token)}"
        return (f"Not defined: {who}; without variation, kappa and alpha cannot be computed "
                "(chance agreement is complete).")
    if text in ("no unit was coded by two or more coders (no pairable values)",
                "no unit was coded by both coders"):
        what = "one of the theme's codes" if theme else "a value"
        return f"Not defined: no unit was given {what} by two or more coders: nothing to compare."
    if text == "no coder applied this code in the compared transcripts":
        return "Not defined: no coder applied this code in the compared transcripts."
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


class Footnotes:
    """Numbers the reasons of undefined figures: ``cell()`` gives ``undefined¹`` (each distinct
    reason gets one number), ``take_new()`` the notes not handed out yet, ``used()`` all notes
    a set of cells referred to."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self._new: list[int] = []
        self._since: list[int] = []

    def cell(self, value: float | Row | None, *, percent: bool = False, theme: bool = False) -> str:
        f = decode(value)
        if f.defined and f.value is not None:
            return f"{100 * f.value:.1f}%" if percent else f"{f.value:.3f}"
        note = readable(f.reason or "undefined", theme=theme)
        n = self.numbers.get(note)
        if n is None:
            n = self.numbers[note] = len(self.numbers) + 1
            self._new.append(n)
        if n not in self._since:
            self._since.append(n)
        return "undefined" + superscript(n)

    def _lines(self, numbers: list[int]) -> list[str]:
        text = {n: note for note, n in self.numbers.items()}
        return [f"{superscript(n)} {text[n]}" for n in sorted(numbers)]

    def take_new(self) -> list[str]:
        """The notes numbered since the last call (each reason is handed out once)."""
        out = self._lines(self._new)
        self._new = []
        return out

    def take_used(self) -> list[str]:
        """The notes the cells since the last call referred to (for a note under each table)."""
        out = self._lines(self._since)
        self._since = []
        self._new = []
        return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _coders(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _interviewer_text(result: Row, units: str) -> str:
    """The method sentence on whose words count (``include_interviewer``)."""
    if result.get("include_interviewer"):
        if result["unit"] == "transcript":
            return "The interviewer's words counted as well as the respondent's."
        return f"All {units} counted as units, the interviewer's as well as the respondent's."
    why = ("because questions are hardly ever coded, and counting them as units on which the "
           "coders agree that a code is absent would inflate percent agreement")
    if result["unit"] == "transcript":
        return ("Only the respondent's words counted: a coder applied a code to a transcript when "
                "their codings of it covered more than half of the respondent's text; the "
                f"interviewer's words were left out, {why}.")
    return (f"Only the respondent's words were units: {units} in the interviewer's turns were "
            f"left out, {why}.")


def render(result: Row) -> str:
    """The agreement report in Markdown: the summary, the method, then overall, per theme,
    per code and segment-matching figures, each table with its notes below it."""
    report = _Report(result)
    report.summary()
    report.method()
    report.overall()
    report.themes()
    report.codes()
    report.segment_matching()
    return "\n".join(report.lines)


class _Report:
    """The report's lines as they are written, and the footnotes of the table being written."""

    def __init__(self, result: Row) -> None:
        self.result = result
        self.unit, self.units = UNIT_WORDS[result["unit"]]
        self.coders = result["coders"]
        self.two = len(self.coders) == 2
        self.heads = (["", "Percent agreement"] + (["Cohen's kappa"] if self.two else [])
                      + ["Krippendorff's alpha"])
        self.notes = Footnotes()
        self.lines = ["# Intercoder agreement", ""]

    def close_table(self) -> None:
        used = self.notes.take_used()
        if used:
            self.lines.append("")
            for note in used:
                self.lines.extend([note, ""])
            self.lines.pop()

    def figs(self, row: Row, *, theme: bool = False) -> list[str]:
        out = [self.notes.cell(row["percent_agreement"], percent=True, theme=theme)]
        if self.two:
            out.append(self.notes.cell(row["cohen_kappa"], theme=theme))
        out.append(self.notes.cell(row["krippendorff_alpha"], theme=theme))
        return out

    def summary(self) -> None:
        result, lines = self.result, self.lines
        n_t = len(result["transcripts"])
        ex = result["excluded_transcripts"]
        lines.append(
            f"The coders {_coders(self.coders)} each coded "
            f"{n_t} transcript{'s' if n_t != 1 else ''} independently with the shared codebook; "
            f"agreement was measured on {result['units']} {self.units} as units"
            + (" (the respondents' words only)." if not result.get("include_interviewer") else ".")
        )
        if ex:
            lines.append(
                f"{len(ex)} transcript{'s were' if len(ex) != 1 else ' was'} left out because not "
                f"every coder had coded {'them' if len(ex) != 1 else 'it'}: "
                + "; ".join(f"{e['transcript']} ({e['label']}, {e['reason']})" for e in ex) + "."
            )

    def method(self) -> None:
        unit = self.unit
        self.lines += [
            "",
            "## Method",
            "",
            f"A coder counts as having applied a code to a {unit} when their codings of that code "
            f"together cover more than half of the {unit}'s characters. Per code, the variable is "
            f"whether the code is present in a {unit} (binary, for every {unit} of every compared "
            "transcript); we report percent agreement, "
            + ("Cohen's kappa and " if self.two else "")
            + "Krippendorff's alpha (nominal). Per theme, the theme's codes are the categories of one "
            f"nominal variable per {unit} (as ATLAS.ti does for semantic domains); a {unit} a coder "
            f"gave none of the theme's codes is missing for that coder, and a {unit} given two or "
            "more of them by one coder is a conflict, counted and treated as missing. Overall "
            "figures pool all codes' binary variables (stacked) and also give the mean over codes. "
            "As MAXQDA does, we also report segment matching: the share of one coder's coded "
            "segments that the other coder coded with the same code over at least "
            f"{100 * self.result['segments']['overlap']:.0f}% of the segment's length (intersection "
            "divided by the segment's length), in both directions. A figure that cannot be "
            "computed is shown as undefined, with the reason in a note below the table.",
            "",
            _interviewer_text(self.result, self.units),
            "",
        ]

    def overall(self) -> None:
        lines, heads = self.lines, self.heads
        overall = self.result["overall"]
        lines += ["## Overall", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines.append("| Pooled over codes | " + " | ".join(self.figs(overall["pooled"])) + " |")
        mean = overall["mean"]
        lines.append("| Mean over codes | " + " | ".join(self.figs(mean)) + " |")
        self.close_table()
        lines += ["", f"({overall['codes']} codes; the mean is over the codes whose figure is "
                  "defined: " + ", ".join(f"{METRIC_NAMES.get(k, k)} {v}"
                                           for k, v in mean["defined"].items()) + ".)", ""]

    def themes(self) -> None:
        result, lines, units = self.result, self.lines, self.units
        if not result["themes"]:
            return
        th = ["Theme", f"{units.capitalize()} compared", f"{units.capitalize()} with a theme code",
              "Conflicts"] + self.heads[1:]
        lines += ["## Themes", "", "| " + " | ".join(th) + " |", "|" + "---|" * len(th)]
        for t in result["themes"]:
            conflicts = ", ".join(f"{c} {n}" for c, n in t["conflicts"].items())
            lines.append(f"| {_cell(t['theme'])} | {t['compared']} of {result['units']} | {t['units']} | "
                         f"{conflicts} | " + " | ".join(self.figs(t, theme=True)) + " |")
        self.close_table()
        lines.append("")
        for t in result["themes"]:
            lines.append(f"- {_cell(t['theme'])}: computed {t['basis']}.")
        lines.append("")

    def codes(self) -> None:
        lines, units, coders = self.lines, self.units, self.coders
        ch = (["Code", "Theme", f"{units.capitalize()} compared"]
              + [f"{units.capitalize()} coded by {c}" for c in coders] + ["By all"] + self.heads[1:])
        lines += ["## Codes", "", "| " + " | ".join(ch) + " |", "|" + "---|" * len(ch)]
        for c in self.result["codes"]:
            coded = [str(c["coded"].get(x, 0)) for x in coders]
            lines.append(
                f"| {_cell(c['code'])} | {_cell(c['theme'] or '')} | {c['compared']} | " + " | ".join(coded)
                + f" | {c['both']} | " + " | ".join(self.figs(c)) + " |"
            )
        self.close_table()
        lines.append("")

    def segment_matching(self) -> None:
        seg = self.result["segments"]
        self.lines += ["## Segment matching", "",
                       f"Overlap threshold {100 * seg['overlap']:.0f}%: {seg['definition']}.", "",
                       "| Segments of | Matched by | Segments | Matched | Share |", "|---|---|---|---|---|"]
        for p in seg["pairs"]:
            self.lines.append(f"| {p['coder']} | {p['other']} | {p['segments']} | {p['matched']} | "
                              f"{self.notes.cell(p['share'], percent=True)} |")
        self.close_table()
        self.lines.append("")


def write(path: Path | str, text: str, *, force: bool = False) -> Path:
    """Write the report in one piece; an existing file is refused unless ``force``, a missing
    folder always (a typo must not create folders)."""
    from workbench.files import write_atomic

    return write_atomic(path, text, force=force, create_parents=False)
