"""Coding commands: ``code``, ``uncode``, ``codings``, ``codings-import``/``codings-export``,
``memo …``, ``undo``, ``redo``, ``history`` and ``themes``."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import click

from workbench.cli.common import (
    TABLE_LIMIT,
    State,
    WholeNumber,
    echo,
    echo_json,
    echo_json_lines,
    echo_json_stream,
    echo_table,
    json_option,
    jsonl_option,
    paging_options,
    project_option,
    with_project,
)


def with_project_filter(func):
    """Like ``with_project`` for listing commands whose ``--coder`` is a filter, not the acting
    coder: the command gets the project and its own ``--coder`` value."""

    @project_option
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, *args, **kwargs):
        return func(ctx.ensure_object(State).project(), *args, **kwargs)

    return wrapper


def register(cli: click.Group) -> None:
    for command in (code, uncode, codings, codings_import, codings_export, memo, undo, redo,
                    history, themes, coder_cmd):
        cli.add_command(command)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_span(value: str) -> tuple[int, int]:
    try:
        a, b = value.split(":")
        return int(a), int(b)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not START:END (two whole numbers)", param_hint="--span") from exc


@click.command(short_help="Apply CODE to a passage of TRANSCRIPT.")
@click.argument("transcript")
@click.argument("code_ref", metavar="CODE")
@click.option("--span", help="START:END string offsets (see 'workbench show T --sentences').")
@click.option("--sentence", type=WholeNumber(), help="Sentence number N of the transcript.")
@click.option("--turn", type=WholeNumber(), help="Turn number N of the transcript.")
@click.option("--quote", help="A quote as the report prints it ([…], [words], curly quotes); codes the "
              "passage it stands for, found word for word, else fuzzily (refused when weak or ambiguous).")
@click.option("--include-interviewer", is_flag=True,
              help="Allow a --quote passage that runs into an interviewer turn (refused otherwise).")
@click.option("--memo", default="", help="A memo on this coding.")
@click.option("--new", "create", is_flag=True, help="Create CODE first if it does not exist (inductive coding).")
@json_option
@with_project
def code(project, coder, transcript, code_ref, span, sentence, turn, quote, include_interviewer, memo,
         create, as_json) -> None:
    """Apply CODE to a passage of TRANSCRIPT as the current coder.

    Exactly one of --span START:END, --sentence N, --turn N or --quote "TEXT".
    A quote is read the way a report prints it: […] or (…) skip words, [words] are the
    author's, [D]ie marks a changed letter, a trailing (Label) is ignored. The passage coded runs
    from the first to the last word the quote stands for.

    Example: workbench code INT01 "Tweede telefoon" --quote "die tweede telefoon […] voor het werk"
    """
    from workbench.errors import NotFoundError
    from workbench.services.coding import passages as coding
    from workbench.services.transcripts.library import resolve_transcript

    given = [x for x in (span, sentence, turn, quote) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --span, --sentence, --turn, --quote")
    who = project.coder(coder)
    db = project.db
    t = resolve_transcript(db, transcript)
    found = None
    if span is not None:
        start, end = _parse_span(span)
    elif sentence is not None:
        start, end = coding.sentence_span(db, t["id"], sentence)
    elif turn is not None:
        start, end = coding.turn_span(db, t["id"], turn)
    else:
        found = coding.find_quote(db, t["id"], quote, include_interviewer=include_interviewer)
        start, end = found.start, found.end
    try:
        done = coding.code_span(db, who, t["id"], code_ref, start, end, memo=memo, create=create)
    except NotFoundError:
        if create:
            raise
        raise NotFoundError(_unknown_code_message(db, code_ref)) from None
    row, existed, turns, warnings = (done.coding, not done.stored, done.interviewer_turns,
                                     done.all_warnings)
    new_code = done.code if done.code_created else None
    if new_code is not None:
        echo(f"added code '{new_code['name']}' ({new_code['id']})", err=as_json)
    excerpt = t["text"][row["start"]:row["end"]]
    if as_json:
        echo_json({**row, "text": excerpt, "existed": existed,
                   "match": dataclasses.asdict(found) if found else None,
                   "new_code": new_code["id"] if new_code else None,
                   "interviewer_turns": turns, "warnings": warnings})
        return
    if found is not None and found.how == "fuzzy":
        from workbench.analysis.passage import percent, show

        echo(f"fuzzy match, {percent(found.score)} similar (a fuzzy match needs "
                   f"{percent(found.threshold)}): coded [{row['start']}:{row['end']}] "
                   f"{show(t['text'], row['start'], row['end'])}")
    verb = "already coded" if existed else "coded"
    echo(f"{verb} {row['id']}: '{done.code['name']}' on {t['id']} "
               f"[{row['start']}:{row['end']}] as {who}: “{_short(excerpt)}”")
    if new_code is not None:
        echo("one 'workbench undo' removes the new code and this coding together")
    for w in warnings:
        echo(f"warning: {w}", err=True)


def _unknown_code_message(db, code_ref: str) -> str:
    """The error for a code that is not in the codebook: how to create it, and close names."""
    from workbench.services.codebook import neardup

    close = [row for row, _score in neardup.similar(db, code_ref, "code", threshold=70)][:3]
    hint = ""
    if close:
        hint = "; did you mean " + " or ".join(f"'{r['name']}'" for r in close) + "?"
    return (f"no code or theme '{code_ref.strip()}' in the codebook{hint or '.'} Add --new to create it "
            "(or see 'workbench codebook list')")


@click.command()
@click.argument("coding_id")
@with_project
def uncode(project, coder, coding_id) -> None:
    """Remove one of your codings (another coder's are refused)."""
    from workbench.services.coding import passages as coding

    row = coding.remove_coding(project.db, project.coder(coder), coding_id)
    echo(f"removed coding {row['id']} ('workbench undo' brings it back)")


@click.command(short_help="List codings (by coder, code, theme or transcript).")
@click.option("--coder", "only_coder", help="Filter: only codings by this coder (default: every coder's).")
@click.option("--code", "code_ref", help="Only codings with this code.")
@click.option("--theme", help="Only codings with a code under this theme.")
@click.option("--transcript", help="Only codings in this transcript.")
@paging_options
@json_option
@jsonl_option
@with_project_filter
def codings(project, only_coder, code_ref, theme, transcript, limit, offset, as_json, as_jsonl) -> None:
    """List codings with their text, respondent label, code, coder and time, in transcript
    order. --json and --jsonl stream every coding (a transcript at a time, whatever the
    project's size); the table shows the first 500 unless --limit says otherwise, and --offset
    pages on."""
    from workbench.services.coding.passages import count_codings, iter_codings

    filters = {"coder": only_coder, "code": code_ref, "theme": theme, "transcript": transcript}
    streaming = as_json or as_jsonl
    if limit is None and not streaming:
        limit = TABLE_LIMIT
    rows = iter_codings(project.db, **filters, offset=offset, limit=limit or None)
    if as_jsonl:
        echo_json_lines(rows)
        return
    if as_json:
        echo_json_stream(rows)
        return
    shown_rows = list(rows)
    total, flagged_total = count_codings(project.db, **filters)
    if not shown_rows:
        echo("no codings" if not total else f"no codings from --offset {offset} on ({total} in all)")
        return
    table = [{**r, "span": f"{r['start']}:{r['end']}", "text": _short(r["text"], 60),
              "label": f"Interviewer ({r['label']})" if r["interviewer"] else r["label"],
              "created": (r["created_at"] or "")[:16].replace("T", " "),
              "marker": "!" if r["flag"] else ""} for r in shown_rows]
    echo_table(table, ["marker", "id", "transcript_id", "label", "code", "coder", "span", "text", "created"],
               headers=["!", "id", "transcript", "respondent", "code", "coder", "span", "text", "time"])
    flagged = [r for r in shown_rows if r["flag"]]
    if len(shown_rows) == total:
        echo(f"{total} coding(s)" + (f", {flagged_total} flagged (!)" if flagged_total else ""))
    else:
        last = offset + len(shown_rows)
        echo(f"codings {offset + 1}-{last} of {total}"
             + (f" ({flagged_total} flagged in all)" if flagged_total else "")
             + (f"; --offset {last} shows the next, --limit 0 all of them" if last < total else ""))
    for r in flagged:
        echo(f"! {r['id'][:8]}  {_short(r['flag'], 100)}")
    if flagged:
        echo("check a flagged coding's span ('workbench show T'); to fix it, 'workbench uncode ID' "
                   "and code the passage again")


@click.command("codings-import", short_help="Load codings from a YAML or CSV file.")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@with_project
def codings_import(project, coder, path) -> None:
    """Load codings from a YAML or CSV file (transcript, code, coder, quote or start/end, memo).

    Every row is checked first; nothing is written if any row is bad."""
    from workbench.services.coding.codings_file import load_codings

    report = load_codings(project, path, coder=coder)
    per = ", ".join(f"{who}: {n}" for who, n in sorted(report.by_coder.items()))
    echo(f"{report.added} coding(s) added" + (f" ({per})" if per else "")
               + (f", {report.unchanged} already present" if report.unchanged else ""))


@click.command("codings-export", short_help="Write every coding to a YAML or CSV file.")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_project
def codings_export(project, coder, path, force) -> None:
    """Write every coding (with its quote and offsets) to a YAML or CSV file (an existing file
    only with --force; never over the project's own files)."""
    from workbench.errors import WorkbenchError
    from workbench.services.coding.codings_file import dump_codings

    if not path.parent.is_dir():
        raise WorkbenchError(f"the folder {path.parent} does not exist; create it first", path=path)
    n = dump_codings(project.db, path, force=force)
    echo(f"wrote {n} coding(s) to {path}")


# -- the acting coder ---------------------------------------------------------------------------

@click.command("coder", short_help="Show who you act as, or set the default coder.")
@click.argument("name", required=False)
@click.option("--unset", is_flag=True, help="Remove the project's default coder.")
@with_project
def coder_cmd(project, coder, name, unset) -> None:
    """Show who you act as, or set the project's default coder to NAME.

    Commands act as --coder NAME, else $WORKBENCH_CODER, else the project's default coder. A
    coder is a person: with none of these set, a command that records work asks who is coding
    (in a terminal; the answer becomes the default) or stops with how to set one; the
    machine's login name is never used. Example: workbench coder anna
    """
    if name is not None and unset:
        raise click.UsageError("give NAME or --unset, not both")
    if unset:
        with project.db.atomic():
            project.db.execute("delete from meta where key = 'default_coder'")
        echo("the project has no default coder now")
    elif name is not None:
        old = project.get_setting("default_coder")
        new = project.set_default_coder(name)
        echo(f"default coder of this project: {new}" + (f" (was {old})" if old and old != new else ""))
    acting, source = project.coder_source(coder)
    if acting is None:
        echo("no coder is set: commands that record work ask who is coding, or give "
                   "--coder NAME, set WORKBENCH_CODER, or run `workbench coder NAME`")
        return
    echo(f"acting as coder '{acting}' ({source})")
    if source == "WORKBENCH_CODER" and name is not None:
        echo(f"note: $WORKBENCH_CODER={acting} takes precedence over the project default in this shell",
                   err=True)


# -- memos -----------------------------------------------------------------------------------

def _target(transcript, code_ref, coding_id) -> tuple[str, str | None]:
    given = [(k, v) for k, v in (("transcript", transcript), ("code", code_ref), ("coding", coding_id)) if v]
    if len(given) > 1:
        raise click.UsageError("give at most one of --transcript, --code, --coding")
    return given[0] if given else ("project", None)


def _target_options(func):
    func = click.option("--coding", "coding_id", help="A coding (id).")(func)
    func = click.option("--code", "code_ref", help="A code or theme (id or name).")(func)
    func = click.option("--transcript", help="A transcript (id or label).")(func)
    return func


@click.group(short_help="Memos on the project, transcripts, codes and codings.")
def memo() -> None:
    """Memos on the project, a transcript (familiarisation notes), a code or theme, a coding."""


@memo.command("add")
@click.argument("text")
@_target_options
@with_project
def memo_add(project, coder, text, transcript, code_ref, coding_id) -> None:
    """Add a memo (without a target: a project memo)."""
    from workbench.services.coding import memos

    kind, target = _target(transcript, code_ref, coding_id)
    row = memos.add(project.db, project.coder(coder), kind, target, text)
    echo(f"memo {row['id']} on {row['target']}")


@memo.command("list")
@_target_options
@click.option("--kind", type=click.Choice(["project", "transcript", "code", "theme", "coding"]), help="Only memos on this kind of target.")
@json_option
@with_project
def memo_list(project, coder, transcript, code_ref, coding_id, kind, as_json) -> None:
    """List memos (all, one kind, or one target's)."""
    from workbench.services.coding import memos

    if transcript or code_ref or coding_id:
        kind, target = _target(transcript, code_ref, coding_id)
    else:
        target = None
    rows = memos.list_memos(project.db, kind, target)
    if as_json:
        echo_json(rows)
    elif not rows:
        echo("no memos")
    else:
        for r in rows:
            echo(f"{r['id']}  {r['target']}  ({r['coder']}, {(r['updated_at'] or '')[:10]})")
            for line in r["text"].splitlines():
                echo(f"    {line}")


@memo.command("edit")
@click.argument("memo_id")
@click.argument("text")
@with_project
def memo_edit(project, coder, memo_id, text) -> None:
    """Replace a memo's text (MEMO_ID from 'workbench memo list')."""
    from workbench.services.coding import memos

    row = memos.edit(project.db, project.coder(coder), memo_id, text)
    echo(f"memo {row['id']} on {row['target']} changed")


@memo.command("delete")
@click.argument("memo_id")
@with_project
def memo_delete(project, coder, memo_id) -> None:
    """Delete a memo (a code's or coding's memo is cleared)."""
    from workbench.services.coding import memos

    row = memos.delete(project.db, project.coder(coder), memo_id)
    echo(f"deleted memo {row['id']} on {row['target']}")


# -- history -----------------------------------------------------------------------------------

@click.command()
@with_project
def undo(project, coder) -> None:
    """Undo your last change (coding, codebook edit, memo, removed transcript; not imports)."""
    from workbench.store.changes import undo_last

    who = project.coder(coder)
    change = undo_last(project.db, who)
    if change is None:
        echo(f"nothing to undo for coder '{who}'")
        return
    echo(f"undone: {change['summary'] or change['action']}")


@click.command(short_help="Redo the change you undid last.")
@with_project
def redo(project, coder) -> None:
    """Redo the change you undid last (unless you changed something since)."""
    from workbench.store.changes import redo_last

    who = project.coder(coder)
    change = redo_last(project.db, who)
    if change is None:
        echo(f"nothing to redo for coder '{who}'")
        return
    echo(f"redone: {change['summary'] or change['action']}")


@click.command()
@click.option("--coder", "only_coder", help="Filter: only changes by this coder (default: every coder's).")
@click.option("--limit", type=WholeNumber(min=0), default=30, show_default=True, help="How many changes (0: all).")
@json_option
@with_project_filter
def history(project, only_coder, limit, as_json) -> None:
    """The change log: who changed what, when (newest first)."""
    from workbench.store.changes import LOG_ONLY, UNDONE
    from workbench.store.changes import history as load_history

    rows = load_history(project.db, coder=only_coder, limit=limit or None)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        echo("no changes yet")
        return
    state = {UNDONE: "undone", LOG_ONLY: "(log only)"}
    table = [{**r, "at": (r["at"] or "")[:19].replace("T", " "), "state": state.get(r["undone"], ""),
              "summary": _short(r["summary"] or r["action"], 80)} for r in rows]
    echo_table(table, ["id", "at", "coder", "action", "summary", "state"])


# -- themes ------------------------------------------------------------------------------------

@click.command(short_help="Themes with their codes, counts and co-occurring codes.")
@click.option("--coder", "only_coder",
              help="Whose codings to count: a coder's name, or consensus (default: yours, the acting coder).")
@click.option("--all-coders", is_flag=True, help="Count every coder's codings together.")
@click.option("--min-count", type=WholeNumber(min=1), default=1, show_default=True, help="Co-occurrences listed from this count.")
@json_option
@with_project_filter
def themes(project, only_coder, all_coders, min_count, as_json) -> None:
    """Themes with their codes, coded extracts, interviews and respondents, and which codes
    are applied to overlapping text (co-occurrence), for phases 3–5.

    The counts are one coder's codings: yours unless --coder names another (or consensus);
    --all-coders counts everyone's together. The first line says whose they are."""
    from workbench.services.codebook import themes as th
    from workbench.services.team import whose

    if all_coders and only_coder:
        raise click.UsageError("give --coder NAME or --all-coders, not both")
    who = None if all_coders else th.check_coder(project.db, only_coder) if only_coder else project.coder_or_none()
    data = th.overview(project.db, coder=who)
    pairs = th.cooccurrence(project.db, min_count=min_count, coder=who)
    if as_json:
        echo_json({"coder": who, "themes": data, "cooccurrence": pairs})
        return
    hint = ("" if all_coders else " (no coder is set: `workbench coder NAME`)" if who is None
            else " (--coder NAME, --coder consensus or --all-coders for others)")
    echo(f"counts: {whose(who)}{hint}")
    if not data:
        echo("no themes or codes yet")
        return

    def line(entry: dict, indent: int, bracket: bool) -> None:
        name = f"[{entry['name']}]" if bracket else entry["name"]
        counts = f"{entry['codings']} extract(s), {entry['interviews']} interview(s), {entry['respondents']} respondent(s)"
        survey = f"  survey {', '.join(entry['survey_themes'])}" if entry.get("survey_themes") else ""
        echo(f"{'  ' * indent}{name}: {counts} ({entry['spread']}){survey}")

    def walk(theme: dict, indent: int) -> None:
        line(theme, indent, True)
        for c in theme["codes"]:
            line(c, indent + 1, False)
        for s in theme["subthemes"]:
            walk(s, indent + 1)

    for theme in data:
        walk(theme, 0)
    echo("")
    if pairs:
        echo("codes on overlapping text (same coder):")
        for p in pairs:
            echo(f"  {p['count']:3}×  {p['name_a']} + {p['name_b']}  ({p['interviews']} interview(s))")
    else:
        echo("no codes on overlapping text")
