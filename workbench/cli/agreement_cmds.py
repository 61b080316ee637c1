"""Commands for the second coder: agreement, disagreements, reconcile, merge."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from workbench.cli.common import echo, echo_json, echo_table, json_option, with_project
from workbench.textsafety import shown

UNIT_CHOICE = click.Choice(["sentence", "turn", "transcript"])
unit_option = click.option(
    "--unit", type=UNIT_CHOICE, default="sentence", show_default=True,
    help="The unit of comparison: sentences, speaker turns or whole transcripts.",
)
coders_option = click.option(
    "--coders", metavar="A,B[,…]",
    help="The coders to compare (default: the two with the most codings, not 'consensus').",
)
interviewer_option = click.option(
    "--include-interviewer", is_flag=True,
    help="Count the interviewer's sentences/turns as units too (default: the respondent's only).",
)


def register(cli: click.Group) -> None:
    for command in (agreement, disagreements, reconcile, merge):
        cli.add_command(command)


def _notes():
    from workbench.agreement.report import Footnotes

    return Footnotes()


def _echo_notes(lines: list[str]) -> None:
    """The notes below a table, wrapped with a hanging indent."""
    for line in lines:
        mark, _, text = line.partition(" ")
        echo(textwrap.fill(text, 96, initial_indent=f"{mark} ",
                                 subsequent_indent=" " * (len(mark) + 1)))


@click.command()
@coders_option
@unit_option
@click.option("--code", help="Only this code, or this theme and its codes (id or name).")
@click.option("--overlap", type=click.FloatRange(0, 100, min_open=True), default=90.0,
              show_default=True, help="Segment matching: the share (percent) of a segment the other coder must cover.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a Markdown methods-section text to this file.")
@click.option("--force", is_flag=True, help="Overwrite the --report file if it exists.")
@interviewer_option
@json_option
@with_project
def agreement(project, coder, coders, unit, code, overlap, report_path, force, include_interviewer,
              as_json) -> None:
    """Intercoder agreement per code, per theme and overall, and segment matching.

    A coder applied a code to a unit when their codings of it cover more than half of the
    unit. Only transcripts every compared coder has coded count, and only the respondent's
    sentences or turns (--include-interviewer counts the interviewer's too). Compare before and
    after reconciliation with --coders anna,bram and --coders anna,consensus.
    """
    from workbench.services.second_coding import agreement

    result = agreement.compute(project.db, coders, unit=unit, overlap=overlap / 100, code=code,
                               include_interviewer=include_interviewer)
    if report_path is not None:
        from workbench.agreement import report

        written = report.write(report_path, report.render(result), force=force)
        if not as_json:
            echo(f"wrote {written}", err=True)
    if as_json:
        echo_json(result)
        return
    names = result["coders"]
    who = "all speakers" if include_interviewer else "respondent only"
    echo(f"coders: {', '.join(names)}   unit: {unit} ({who})   units: {result['units']}   "
               f"transcripts: {len(result['transcripts'])}")
    for ex in result["excluded_transcripts"]:
        echo(f"  left out: {ex['transcript']} ({ex['label']}): {ex['reason']}")
    echo("")
    notes = _notes()
    rows = []
    for c in result["codes"]:
        row = {"code": c["code"], "theme": c["theme"] or "", "units": c["compared"]}
        row.update({f"by {x}": c["coded"].get(x, 0) for x in names})
        row.update({"by all": c["both"], "agree": notes.cell(c["percent_agreement"], percent=True),
                    "kappa": notes.cell(c["cohen_kappa"]),
                    "alpha": notes.cell(c["krippendorff_alpha"])})
        rows.append(row)
    cols = ["code", "theme", "units", *[f"by {x}" for x in names], "by all", "agree", "kappa", "alpha"]
    if rows:
        echo_table(rows, cols)
        _echo_notes(notes.take_new())
    else:
        echo("no codes in the codebook")
    if result["themes"]:
        echo("")
        trows = [{
            "theme": t["theme"], "compared": f"{t['compared']} of {result['units']}",
            "conflicts": ", ".join(f"{x} {n}" for x, n in t["conflicts"].items()),
            "agree": notes.cell(t["percent_agreement"], percent=True, theme=True),
            "kappa": notes.cell(t["cohen_kappa"], theme=True),
            "alpha": notes.cell(t["krippendorff_alpha"], theme=True),
        } for t in result["themes"]]
        echo_table(trows, ["theme", "compared", "conflicts", "agree", "kappa", "alpha"])
        _echo_notes(notes.take_new())
        for t in result["themes"]:
            if t["compared"] < result["units"]:
                echo(f"  {t['theme']}: computed {t['basis']}")
    o = result["overall"]
    echo("")
    for label, part in (("pooled", o["pooled"]), ("mean over codes", o["mean"])):
        echo(f"{label}: agreement {notes.cell(part['percent_agreement'], percent=True)}, "
                   f"kappa {notes.cell(part['cohen_kappa'])}, "
                   f"alpha {notes.cell(part['krippendorff_alpha'])}")
    seg = result["segments"]
    echo("")
    echo(f"segment matching (overlap ≥ {100 * seg['overlap']:.0f}% of the segment):")
    for p in seg["pairs"]:
        echo(f"  {p['coder']}'s segments matched by {p['other']}: {p['matched']} of "
                   f"{p['segments']} ({notes.cell(p['share'], percent=True)})")
    new = notes.take_new()
    if new:
        echo("")
        _echo_notes(new)


@click.command()
@coders_option
@click.option("--code", help="Only units where the coders differ on this code (or theme).")
@unit_option
@interviewer_option
@json_option
@with_project
def disagreements(project, coder, coders, code, unit, include_interviewer, as_json) -> None:
    """Every unit where the coders applied different codes, with its text (the respondent's
    sentences or turns only, unless --include-interviewer)."""
    from workbench.services.second_coding import disagreements as service

    rows = service.list(project.db, coders, unit=unit, code=code,
                        include_interviewer=include_interviewer)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        echo("no disagreements")
        return
    names = list(rows[0]["codes"])
    for r in rows:
        echo(f"{r['transcript']}:{r['idx']}  {r['label']}  {r['unit']} {r['idx']} "
                   f"[{r['start']}:{r['end']}]")
        echo(textwrap.indent(textwrap.fill(" ".join(r["text"].split())[:600], 96), "    "))
        for n in names:
            echo(f"    {n}: {', '.join(r['codes'][n]) or '—'}")
    echo(f"\n{len(rows)} disagreements ({', '.join(names)})")


def _is_terminal() -> bool:
    return sys.stdin.isatty()


def _walk(project, coder, names, rows, code, unit, include_interviewer) -> None:
    from workbench.services.second_coding import reconcile as service

    done = 0
    for i, r in enumerate(rows, start=1):
        now = service.consensus_codes(project.db, r["transcript"], r["start"], r["end"])
        echo("")
        click.echo(click.style(shown(f"[{i}/{len(rows)}] {r['transcript']} ({r['label']}), {unit} {r['idx']}"), bold=True))
        echo(textwrap.indent(textwrap.fill(" ".join(r["text"].split()), 96), "    "))
        for letter, n in zip("ab", names, strict=False):
            echo(f"  [{letter}] {n}: {', '.join(r['codes'][n]) or '—'}")
        for n in names[2:]:
            echo(f"      {n}: {', '.join(r['codes'][n]) or '—'}")
        echo(f"      differing: {', '.join(r['differing'])}; consensus now: {', '.join(now) or '—'}")
        choice = click.prompt(
            f"  keep a ({names[0]}) / b ({names[1]}) / both / neither / skip / quit",
            type=click.Choice(["a", "b", "both", "neither", "n", "skip", "s", "quit", "q"]),
            show_choices=False,
        )
        if choice in ("quit", "q"):
            break
        if choice in ("skip", "s"):
            continue
        out = service.decide(project.db, coder, r, "neither" if choice == "n" else choice,
                             coders=names, code=code, unit=unit,
                             include_interviewer=include_interviewer)
        done += 1
        echo(f"  consensus: {', '.join(out['consensus']) or '—'}")
    echo(f"\n{done} decisions recorded, each its own change ('workbench undo' takes the "
               "last one back)")


def _changes(r: dict) -> str:
    parts = []
    if r["added"]:
        parts.append("added " + ", ".join(r["added"]))
    if r["removed"]:
        parts.append("removed " + ", ".join(r["removed"]))
    return "; ".join(parts) or "no change to consensus"


@click.command()
@click.argument("decisions", nargs=-1, metavar="[UNIT=CHOICE]...")
@coders_option
@click.option("--code", help="Decide only this code (or the codes of this theme).")
@unit_option
@click.option("--no-seed", is_flag=True, help="Do not copy the codes both coders agree on into 'consensus' first.")
@interviewer_option
@json_option
@with_project
def reconcile(project, coder, decisions, coders, code, unit, no_seed, include_interviewer,
              as_json) -> None:
    """Decide disagreements into the codings of the coder 'consensus'.

    Give decisions as UNIT=CHOICE, where UNIT is TRANSCRIPT:NUMBER (a sentence or turn number,
    as 'workbench disagreements' shows it) and CHOICE is a (the first coder), b (the second),
    a coder's name, both or neither, e.g. 'workbench reconcile int01:12=a int01:15=both'.
    All or nothing: every decision is checked first; if any cannot be made, all problems are
    listed and nothing is written. Otherwise the copying of agreed codes and all decisions are
    one change ('workbench undo' takes all of it back). Without decisions, in a terminal, walks
    through every disagreement and asks; there each decision is its own change. The original
    codings are never changed.
    """
    from workbench.errors import WorkbenchError
    from workbench.services.second_coding import disagreements as dis
    from workbench.services.second_coding import reconcile as service

    db = project.db
    me = project.coder(coder)
    names = service.checked_coders(db, coders)
    if decisions:
        out = service.decide_many(db, me, list(decisions), coders=names, code=code, unit=unit,
                                  seed=not no_seed, include_interviewer=include_interviewer)
        if as_json:
            echo_json(out)
            return
        if out["seeded"]:
            echo(f"consensus: {out['seeded']} codings both coders agree on copied in")
        for r in out["decisions"]:
            echo(f"{r['transcript']}:{r['idx']}: {r['decision']} ({_changes(r)}); "
                       f"consensus now: {', '.join(r['consensus']) or '—'}")
        n = len(out["decisions"])
        what = f"{n} decision{'s' if n != 1 else ''}" + (
            f" and {out['seeded']} agreed codings" if out["seeded"] else "")
        if out["recorded"]:
            echo(f"recorded as one change: {what} ('workbench undo' takes all of it back)")
        else:
            echo("nothing changed: the consensus had these decisions already")
        return
    if not _is_terminal():
        raise WorkbenchError(
            "give decisions as UNIT=CHOICE (e.g. int01:12=a), or run 'workbench reconcile' in a "
            "terminal to walk through the disagreements ('workbench disagreements' lists them)"
        )
    seeded = 0 if no_seed else service.seed_agreed(db, me, coders=names, unit=unit, code=code,
                                                   include_interviewer=include_interviewer)
    if seeded:
        echo(f"consensus: {seeded} codings both coders agree on copied in (one change)")
    rows = dis.list(db, names, unit=unit, code=code, include_interviewer=include_interviewer)
    if not rows:
        echo("no disagreements left to decide")
        return
    _walk(project, me, list(names), rows, code, unit, include_interviewer)


@click.command()
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="OLD=NEW",
              help="Map OTHER's transcript or code (id or name) to this project's, or to - to leave it out. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Show what would be merged; change nothing.")
@json_option
@with_project
def merge(project, coder, other, maps, dry_run, as_json) -> None:
    """Bring in another copy's codings, memos and codebook changes (e.g. the second coder's).

    OTHER is the other project's folder (or its workbench.db). Transcripts are matched by their
    text, codes by id and then by name; anything that cannot be matched safely is listed and
    nothing is merged until you --map it. A backup is taken first, and 'workbench undo' reverts
    the whole merge. Merging the same copy again changes nothing.
    """
    from workbench.services.exchange import merge as service

    result = service.merge(project, project.coder(coder), other, service.parse_maps(maps), dry_run=dry_run)
    if as_json:
        echo_json(result)
        if result["unmatched"]:
            sys.exit(1)
        return
    if result["unmatched"]:
        echo("cannot be matched safely (nothing merged):")
        for u in result["unmatched"]:
            echo(f"  - {u['reason']}\n      {u['hint']}")
    head = "would merge" if dry_run else ("merged" if result["merged"] else "nothing new to merge")
    echo(f"{head} from {result['other']}:")
    codings = ", ".join(f"{n} by {c}" for c, n in result["new_codings"].items()) or "none"
    echo(f"  codings: {codings}")
    if result["new_codes"]:
        echo("  new codes/themes: " + ", ".join(c["name"] for c in result["new_codes"]))
    if result["updated_codes"]:
        echo(f"  codebook entries updated: {len(result['updated_codes'])}")
    if result["coding_memos"]:
        echo(f"  coding memos filled in: {result['coding_memos']}")
    if result["new_memos"]:
        echo(f"  memos: {result['new_memos']}")
    for k, v in result["unchanged"].items():
        echo(f"  {k}: {v}")
    for n in result["notes"]:
        echo(f"  note: {n}")
    if result["backup"]:
        echo(f"  backup taken: {result['backup']}")
    if result["unmatched"]:
        sys.exit(1)
