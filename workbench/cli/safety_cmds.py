"""Commands that keep a project safe: backup, restore, and an integrity check."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.common import (
    State,
    coder_option,
    echo,
    echo_json,
    json_option,
    project_option,
    with_project,
)


def register(cli: click.Group) -> None:
    for command in (backup, restore, check):
        cli.add_command(command)


@click.command()
@click.option("--to", "target", type=click.Path(path_type=Path, dir_okay=False), help="Write the copy here instead of exports/backups/.")
@with_project
def backup(project, coder, target: Path | None) -> None:
    """Write a consistent copy of the project database (SQLite online backup).

    By default to exports/backups/workbench-YYYYMMDD-HHMMSS.db. The workbench also makes one
    automatically before every migration, merge, import with --replace and REFI-QDA import.
    """
    from workbench.store.backup import backup_now

    path = backup_now(project, target)
    echo(f"backup written: {path}")


@click.command()
@click.argument("backup_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@project_option
@coder_option
@click.pass_context
def restore(ctx: click.Context, backup_file: Path, yes: bool) -> None:
    """Bring back a backup (the current state is backed up first, so a restore can be undone by
    restoring that copy). A damaged project is restored too, even one that cannot be opened
    at all: the damaged file is kept, byte for byte, in exports/backups/."""
    from workbench.store.backup import restore_from, restore_unopenable
    from workbench.store.connection import StorageError

    state = ctx.ensure_object(State)
    try:
        project = state.project()
    except StorageError as exc:
        if exc.kind != "damaged" or exc.path is None:
            raise
        project = None
        db_path = Path(exc.path)
    if not yes and not click.confirm(f"Replace the project database with {backup_file}?", default=False):
        raise click.Abort()
    if project is None:
        kept = restore_unopenable(db_path, backup_file)
        state.project()  # opened (checked, migrated) and closed cleanly with the command
        echo(f"restored {backup_file}; the damaged database is kept as it was in {kept}")
        return
    damaged = project.db.read_only is not None and project.db.read_only.kind == "damaged"
    before = restore_from(project, backup_file)
    if damaged:
        echo(f"restored {backup_file}; the damaged database is kept as it was in {before}")
    else:
        echo(f"restored {backup_file}; the state before the restore is in {before}")


@click.command()
@click.option("--rebuild-index", is_flag=True,
              help="First make the search index again from the transcripts' text (when the check "
                   "says it does not match).")
@json_option
@with_project
def check(project, coder, rebuild_index: bool, as_json: bool) -> None:
    """Run SQLite's integrity check and the workbench's own consistency checks (including the
    search index against the transcripts' text)."""
    from workbench.store.backup import integrity_report

    if rebuild_index:
        from workbench.store import sentence_index

        n = sentence_index.rebuild(project.db)
        if not as_json:
            echo(f"the search index was made again from the text: {n} sentences")
    report = integrity_report(project.db)
    if as_json:
        echo_json(report)
    else:
        for line in report["problems"] or ["ok: the database is intact and consistent"]:
            echo(line)
        flagged = report.get("flagged_codings") or []
        for f in flagged:
            note = " ".join((f["flag"] or "").split())
            note = note if len(note) <= 100 else note[:99] + "…"
            echo(f"flagged coding {f['id'][:8]} ({f['coder']}, '{f['code']}', {f['transcript_id']} "
                       f"[{f['start']}:{f['end']}]): {note}")
        if flagged:
            echo(f"{len(flagged)} flagged coding(s) need a look: 'workbench codings --transcript T' "
                       "shows them with !; to fix one, 'workbench uncode ID' and code the passage again")
    if report["problems"]:
        raise SystemExit(1)
