"""A short Markdown methods-section text from the agreement figures (``--report FILE.md``).

:func:`render` turns the structure of :func:`workbench.agreement.figures.compute` into text a
researcher can paste into the methods chapter and adapt: the unit, the coders, the transcripts
compared (and those left out, with why), the method, and tables of the figures per theme and
per code, overall, and for segment matching. :func:`write` never overwrites a file without
``force``.
"""

from __future__ import annotations

from pathlib import Path

from workbench.agreement.figures import decode
from workbench.errors import ConflictError, WorkbenchError

UNIT_WORDS = {"sentence": ("sentence", "sentences"), "turn": ("speaker turn", "speaker turns"),
              "transcript": ("whole transcript", "whole transcripts")}


def fmt(value, *, percent: bool = False) -> str:
    """A figure for a table: ``0.742``, ``87.5%``, or ``undefined: reason``."""
    f = decode(value)
    if not f.defined:
        return f"undefined: {f.reason}"
    return f"{100 * f.value:.1f}%" if percent else f"{f.value:.3f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _coders(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def render(result: dict) -> str:
    unit, units = UNIT_WORDS[result["unit"]]
    coders = result["coders"]
    n_t = len(result["transcripts"])
    ex = result["excluded_transcripts"]
    two = len(coders) == 2
    lines = ["# Intercoder agreement", ""]
    lines.append(
        f"The coders {_coders(coders)} each coded "
        f"{n_t} transcript{'s' if n_t != 1 else ''} independently with the shared codebook; "
        f"agreement was measured on {result['units']} {units} as units."
    )
    if ex:
        lines.append(
            f"{len(ex)} transcript{'s were' if len(ex) != 1 else ' was'} left out because not "
            "every coder had coded it: "
            + "; ".join(f"{e['transcript']} ({e['label']}, {e['reason']})" for e in ex) + "."
        )
    lines += [
        "",
        "## Method",
        "",
        f"A coder counts as having applied a code to a {unit} when their codings of that code "
        f"together cover more than half of the {unit}'s characters. Per code, the variable is "
        f"whether the code is present in a {unit} (binary, for every {unit} of every compared "
        "transcript); we report percent agreement, "
        + ("Cohen's kappa and " if two else "")
        + "Krippendorff's alpha (nominal). Per theme, the theme's codes are the categories of one "
        f"nominal variable per {unit} (as ATLAS.ti does for semantic domains); a {unit} a coder "
        f"gave none of the theme's codes is missing for that coder, and a {unit} given two or "
        "more of them by one coder is a conflict, counted and treated as missing. Overall "
        "figures pool all codes' binary variables (stacked) and also give the mean over codes. "
        "As MAXQDA does, we also report segment matching: the share of one coder's coded "
        "segments that the other coder coded with the same code over at least "
        f"{100 * result['segments']['overlap']:.0f}% of the segment's length (intersection "
        "divided by the segment's length), in both directions. A figure that cannot be "
        "computed is shown as undefined, with the reason.",
        "",
    ]
    heads = ["", "Percent agreement"] + (["Cohen's kappa"] if two else []) + ["Krippendorff's alpha"]

    def figs(row: dict) -> list[str]:
        out = [fmt(row["percent_agreement"], percent=True)]
        if two:
            out.append(fmt(row["cohen_kappa"]))
        out.append(fmt(row["krippendorff_alpha"]))
        return out

    overall = result["overall"]
    lines += ["## Overall", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines.append("| Pooled over codes | " + " | ".join(figs(overall["pooled"])) + " |")
    mean = overall["mean"]
    lines.append("| Mean over codes | " + " | ".join(figs(mean)) + " |")
    lines += ["", f"({overall['codes']} codes; the mean is over the codes whose figure is "
              "defined: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in mean["defined"].items()) + ".)", ""]

    if result["themes"]:
        th = ["Theme", f"{units.capitalize()} with a theme code", "Conflicts"] + heads[1:]
        lines += ["## Themes", "", "| " + " | ".join(th) + " |", "|" + "---|" * len(th)]
        for t in result["themes"]:
            conflicts = ", ".join(f"{c} {n}" for c, n in t["conflicts"].items())
            lines.append(f"| {_cell(t['theme'])} | {t['units']} | {conflicts} | " + " | ".join(figs(t)) + " |")
        lines.append("")

    ch = ["Code", "Theme"] + [f"{units.capitalize()} coded by {c}" for c in coders] + ["By all"] + heads[1:]
    lines += ["## Codes", "", "| " + " | ".join(ch) + " |", "|" + "---|" * len(ch)]
    for c in result["codes"]:
        coded = [str(c["coded"].get(x, 0)) for x in coders]
        lines.append(
            f"| {_cell(c['code'])} | {_cell(c['theme'] or '')} | " + " | ".join(coded)
            + f" | {c['both']} | " + " | ".join(figs(c)) + " |"
        )
    lines.append("")

    seg = result["segments"]
    lines += ["## Segment matching", "",
              f"Overlap threshold {100 * seg['overlap']:.0f}%: {seg['definition']}.", "",
              "| Segments of | Matched by | Segments | Matched | Share |", "|---|---|---|---|---|"]
    for p in seg["pairs"]:
        lines.append(f"| {p['coder']} | {p['other']} | {p['segments']} | {p['matched']} | {fmt(p['share'], percent=True)} |")
    lines.append("")
    return "\n".join(lines)


def write(path: Path | str, text: str, *, force: bool = False) -> Path:
    """Write the report; an existing file is refused unless ``force``."""
    target = Path(path)
    if target.exists() and not force:
        raise ConflictError("exists already; pass --force to overwrite it", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        raise WorkbenchError(f"cannot write the report: {exc.strerror}", path=target) from exc
    return target
