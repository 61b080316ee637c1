"""Commands for the project itself and its transcripts: init, import, transcripts (list and
remove), show, label, open."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.common import State, echo, echo_json, echo_table, fail, json_option, with_project


def register(cli: click.Group) -> None:
    for command in (init, import_, transcripts, show, label, open_):
        cli.add_command(command)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--default-coder", help="The coder name used when no --coder is given.")
def init(directory: Path, default_coder: str | None) -> None:
    """Create a project in DIRECTORY: transcripts/, codebooks/, exports/ and workbench.db."""
    from workbench.project import DB_NAME, Project

    existed = (directory / DB_NAME).exists()
    project = Project.init(directory, default_coder=default_coder)
    if existed:
        echo(f"{project.root} is already a workbench project (left as it was)")
    else:
        echo(f"created project {project.root}")
        echo("next: put transcripts in transcripts/ and run 'workbench import transcripts/'")


def _progress_printer():
    """A progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None, None
    bar = click.progressbar(length=1, label="importing", file=sys.stderr, show_pos=True)

    def progress(done: int, total: int, message: str) -> None:
        bar.length = max(total, 1)
        bar.label = message[:40].ljust(40)
        bar.update(done - bar.pos)
        bar.render_progress()

    return progress, bar


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace transcripts whose id exists but whose file differs (text, speakers, times or metadata); codings are kept: re-anchored on their words, or flagged.")
@click.option("--as-new", is_flag=True, help="Import a file whose text is already in the project under another id as another transcript (without it, such a duplicate is refused).")
@click.option("--update-metadata", is_flag=True, help="For a file whose text is already in the project: give that transcript this file's metadata (role, municipality, …); its id stays.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes to make sentences with (default: the CPUs, at most 4, from about ten "
                   "interviews; also WORKBENCH_IMPORT_JOBS); 1: one process.")
@json_option
@with_project
def import_(project, coder, paths: tuple[Path, ...], replace: bool, as_new: bool,
            update_metadata: bool, jobs: int | None, as_json: bool) -> None:
    """Import transcripts: .txt/.md (YAML front matter + speaker turns), .docx, .vtt, .srt.

    PATHS may be files or folders (searched recursively). A file that fails is reported with
    its name and line and nothing of it is stored; the other files are still imported. The exit
    code is 1 when any file failed. Imports are logged, not undoable: a wrong one is fixed with
    --replace or 'workbench transcripts remove ID'.

    A file whose text is already in the project under another id (a copy with a new id, role
    or municipality) is a duplicate: it is refused with what would be dropped, unless --as-new
    imports it as another transcript or --update-metadata gives the existing one its metadata.
    """
    import dataclasses

    from workbench.services.transcripts.labels import describe_changes
    from workbench.services.transcripts.library import import_paths, pipeline_notice

    progress, bar = _progress_printer()
    if as_new and update_metadata:
        fail("give --as-new or --update-metadata, not both", code=2)
    before = project.db.execute("select count(*) from transcripts").fetchone()[0]
    try:
        results = import_paths(project, paths, replace=replace, coder=coder, progress=progress,
                               as_new=as_new, update_metadata=update_metadata, jobs=jobs)
    except KeyboardInterrupt:
        if bar is not None:
            bar.render_finish()
        added = project.db.execute("select count(*) from transcripts").fetchone()[0] - before
        fail(f"import stopped (Ctrl-C): {added} new transcript(s) were stored before it, each whole "
             "(a file is stored in one transaction, or not at all); run the same command again to "
             "import the rest (files already in are skipped as unchanged)", code=130)
        return
    if bar is not None:
        bar.render_finish()
    if not as_json and any(r.status in ("imported", "replaced") for r in results) and not any(
            r.status == "failed" for r in results):
        notice = pipeline_notice(project.db)  # once per project and pipeline
        if notice:
            echo(f"note: {notice}", err=True)
    if as_json:
        echo_json([{**dataclasses.asdict(r), "path": str(r.path)} for r in results])
    else:
        for r in results:
            tag = {"imported": "imported", "replaced": "replaced", "unchanged": "unchanged", "failed": "FAILED"}[r.status]
            line = f"{tag:9} {r.path}"
            if r.transcript_id:
                line += f" -> {r.transcript_id}"
            if r.message:
                line += f": {r.message}" if r.status != "failed" else ""
            echo(line)
            if r.status == "failed":
                echo(f"          error: {r.message}", err=True)
            for w in r.warnings:
                echo(f"          warning: {w}")
            if r.status == "replaced" and r.differences:
                echo(f"          changed: {'; '.join(r.differences)}")
            if r.flagged_codings:
                echo(f"          {len(r.flagged_codings)} coding(s) no longer match the text and are flagged: {', '.join(r.flagged_codings)}")
            if r.relabelled:
                echo(f"          {describe_changes(r.relabelled)}")
        counts = {s: sum(r.status == s for r in results) for s in ("imported", "replaced", "unchanged", "failed")}
        echo(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to import")
    if any(r.status == "failed" for r in results):
        sys.exit(1)


@click.group(invoke_without_command=True)
@json_option
@with_project
def transcripts(project, coder, as_json: bool) -> None:
    """List transcripts: id, label, role, municipality, domain, date, turns, sentences, words.
    'workbench transcripts remove ID' removes one (undoable)."""
    if click.get_current_context().invoked_subcommand is not None:
        return
    from workbench.services.transcripts.library import list_transcripts

    rows = list_transcripts(project.db)
    if as_json:
        echo_json(rows)
    elif not rows:
        echo("no transcripts yet: run 'workbench import transcripts/'")
    else:
        echo_table(rows, ["id", "label", "role", "municipality", "domain", "date", "turns", "sentences", "words"])


@transcripts.command("remove")
@click.argument("transcript")
@click.option("--force", is_flag=True, help="Also when it has codings or quotes (they are removed with it).")
@json_option
@with_project
def transcripts_remove(project, coder, transcript: str, force: bool, as_json: bool) -> None:
    """Remove TRANSCRIPT (id or label) with its turns, sentences, codings, quotes, audit flags
    and memos. A backup is taken first; 'workbench undo' brings it all back. Refused while it
    has codings or quotes, unless --force."""
    from workbench.services.transcripts.labels import describe_changes
    from workbench.services.transcripts.library import remove_transcript

    summary = remove_transcript(project, transcript, project.coder(coder), force=force)
    if as_json:
        echo_json({"transcript_id": summary.transcript_id, "label": summary.label,
                   "removed": summary.removed, "coders": summary.coders,
                   "backup": str(summary.backup),
                   "relabelled": [c.__dict__ for c in summary.relabelled]})
        return
    names = {"codings": "coding(s)", "quotes": "quote(s)", "audit_flags": "audit flag(s)", "memos": "memo(s)"}
    parts = [f"{n} {names[table]}" for table, n in summary.removed.items() if table in names]
    echo(f"removed transcript {summary.transcript_id} ({summary.label})"
               + (f" with {', '.join(parts)}" if parts else ""))
    echo(f"backup: {summary.backup}")
    if summary.relabelled:
        echo(describe_changes(summary.relabelled))
    echo("'workbench undo' brings it back")


@click.command()
@click.argument("transcript")
@click.option("--sentences", "show_sentences", is_flag=True, help="Also list every sentence with its number and offsets.")
@json_option
@with_project
def show(project, coder, transcript: str, show_sentences: bool, as_json: bool) -> None:
    """Print a transcript's turns with their offsets (TRANSCRIPT: id or label)."""
    from workbench.services.transcripts.library import get_sentences, get_turns, resolve_transcript

    t = resolve_transcript(project.db, transcript)
    turns = get_turns(project.db, t["id"])
    sents = get_sentences(project.db, t["id"])
    if as_json:
        meta = {k: t[k] for k in ("id", "label", "role", "municipality", "domain", "date", "interviewer", "word_count")}
        echo_json({**meta, "turns": [{**tu, "text": t["text"][tu["start"]:tu["end"]]} for tu in turns],
                   "sentences": [{k: s[k] for k in ("idx", "turn_idx", "start", "end", "text")} for s in sents]})
        return
    echo(f"{t['id']} · {t['label']} · {t['municipality']} · {t['domain']} · {t['date']}")
    by_turn: dict[int, list[dict]] = {}
    for s in sents:
        by_turn.setdefault(s["turn_idx"], []).append(s)
    for tu in turns:
        time = f"[{tu['time']}] " if tu["time"] else ""
        echo(f"\n#{tu['idx']} {time}{tu['speaker']} [{tu['start']}:{tu['end']}]")
        if show_sentences:
            for s in by_turn.get(tu["idx"], []):
                echo(f"  s{s['idx']} [{s['start']}:{s['end']}] {s['text']}")
        else:
            echo(t["text"][tu["start"]:tu["end"]])


@click.command()
@click.argument("transcript", required=False)
@click.argument("new_label", required=False)
@click.option("--freeze", is_flag=True, help="Keep all current labels stable when interviews are added later.")
@click.option("--unfreeze", is_flag=True, help="Let labels be recomputed again (manual labels stay).")
@with_project
def label(project, coder, transcript: str | None, new_label: str | None, freeze: bool, unfreeze: bool) -> None:
    """Override a respondent label, e.g. workbench label INT03 "Jongerenwerker C"."""
    from workbench.services.transcripts.labels import relabel
    from workbench.services.transcripts.library import freeze_labels, set_label

    if transcript and new_label:
        row = set_label(project.db, transcript, new_label, project.coder(coder))
        echo(f"{row['id']}: label set to '{row['label']}'")
    elif transcript or new_label:
        raise click.UsageError("give both TRANSCRIPT and NEW_LABEL")
    if freeze and unfreeze:
        raise click.UsageError("--freeze and --unfreeze exclude each other")
    if freeze:
        freeze_labels(project.db, True)
        echo("labels frozen: current labels stay; new interviews take the next free letter")
    if unfreeze:
        freeze_labels(project.db, False)
        with project.db.atomic():
            changed = relabel(project.db)
        echo(f"labels unfrozen; {len(changed)} label(s) recomputed")
    if not (transcript or freeze or unfreeze):
        raise click.UsageError("nothing to do: give TRANSCRIPT NEW_LABEL, --freeze or --unfreeze")


@click.command("open")
@click.pass_context
def open_(ctx: click.Context) -> None:
    """Open the terminal workbench on the project (the default command)."""
    state = ctx.ensure_object(State)
    project = state.project(check_later=sys.stdout.isatty())
    if sys.stdout.isatty():
        from workbench.tui.app import run_app

        run_app(project, coder=state.coder)
        return
    from workbench.services.transcripts.library import list_transcripts

    rows = list_transcripts(project.db)
    echo(f"project {project.root}: {len(rows)} transcript(s)")
    if rows:
        echo_table(rows, ["id", "label", "municipality", "domain", "date", "words"])
