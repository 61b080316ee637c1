"""Commands for REFI-QDA project exchange: ``workbench qdpx export`` and ``workbench qdpx import``.

(Codebooks alone, ``.qdc``, go through ``workbench codebook export/import FILE.qdc``.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.common import State, echo, echo_json, json_option, project_option, with_project


def register(cli: click.Group) -> None:
    cli.add_command(qdpx)


@click.group()
def qdpx() -> None:
    """Exchange whole projects with ATLAS.ti, NVivo, MAXQDA, QualCoder … (REFI-QDA .qdpx)."""


@qdpx.command("export")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@json_option
@with_project
def export_cmd(project, coder, path: Path, force: bool, as_json: bool) -> None:
    """Write the whole project to PATH (.qdpx): coders, codebook, transcripts with their codings
    per coder, memos as notes, respondents as cases with their variables."""
    from workbench.services.exchange.project_export import export_qdpx

    result = export_qdpx(project, path, coder=coder, force=force)
    if as_json:
        echo_json({"path": str(result.path), **result.counts})
        return
    c = result.counts
    echo(
        f"wrote {result.path}: {c['sources']} transcript(s), {c['codes']} code(s) and theme(s), "
        f"{c['codings']} coding(s) by {c['users']} coder(s), {c['notes']} memo(s), {c['cases']} case(s)"
    )


@qdpx.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--theirs", is_flag=True, help="Resolve codebook conflicts the archive's way.")
@click.option("--ours", is_flag=True, help="Resolve codebook conflicts by keeping this project's codes.")
@project_option
@json_option
@click.pass_context
def import_cmd(ctx: click.Context, path: Path, theirs: bool, ours: bool, as_json: bool) -> None:
    """Import a REFI-QDA project (.qdpx) into the project, or into a new one with --project DIR.

    Plain-text sources become transcripts, codes become themes and codes, codings keep their
    coder, notes become memos. The archive's codebook is another project's: its codes are
    added, or matched to local codes by id or name; local codes it lacks are kept (never
    removed). A code that differs here and in the archive is a conflict: exit code 3 until you
    choose --theirs or --ours. Everything that cannot be carried over is listed. An existing
    project is backed up first; a refused or failed import changes nothing; 'workbench undo'
    takes the whole import back. A new project (--project NEW) gets the importing coder
    (--coder, else $WORKBENCH_CODER) as its default coder; with neither, it has none (the
    archive's own coders are listed), and you are asked who is coding in a terminal.
    """
    from workbench.errors import ConflictError, NotAProjectError
    from workbench.project import DB_NAME
    from workbench.services.exchange.project_import import import_qdpx

    if theirs and ours:
        raise click.UsageError("--theirs and --ours exclude each other")
    strategy = "theirs" if theirs else "ours" if ours else "fail"
    state = ctx.ensure_object(State)
    target = state.project_dir
    if target is None:
        if not (Path.cwd() / DB_NAME).is_file():
            raise NotAProjectError(
                f"{Path.cwd()} is not a workbench project; run this inside one, or give "
                "--project DIR (a new folder is created as a new project)"
            )
        target = Path.cwd()
    coder = state.coder or _coder_for(Path(target))
    try:
        result = import_qdpx(path, target=target, coder=coder, strategy=strategy)
    except ConflictError as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(3)
    report = result.report
    if as_json:
        echo_json({"project": str(result.project_root), "created": result.created,
                   "backup": str(result.backup) if result.backup else None,
                   "default_coder": result.default_coder,
                   "transcripts": result.transcripts, **report.as_dict()})
        return
    where = "new project" if result.created else "project"
    echo(f"imported {path.name} into {where} {result.project_root}")
    if result.default_coder:
        echo(f"default coder of the new project: {result.default_coder} (commands there act as "
                   "this coder unless you give --coder or set WORKBENCH_CODER)")
    if result.backup:
        echo(f"backup of the project before the import: {result.backup} "
                   "('workbench restore' brings it back)")
    echo(f"transcripts: {len(result.transcripts)} new" + (f" ({', '.join(result.transcripts[:10])}{' …' if len(result.transcripts) > 10 else ''})" if result.transcripts else ""))
    for key, n in report.counts.items():
        echo(f"{key}: {n}")
    for line in report.notes:
        echo(f"note: {line}")
    if report.not_carried:
        echo(f"not carried over ({len(report.not_carried)}):")
        for line in report.not_carried:
            echo(f"  - {line}")
    else:
        echo("everything in the archive was carried over")
    if result.recorded:
        echo("'workbench undo' takes the whole import back (transcripts, codes, codings, memos)")
    else:
        echo("nothing changed: the project already holds everything this archive could bring in")


def _coder_for(target: Path) -> str | None:
    """Who runs the import when --coder is not given: $WORKBENCH_CODER or the project's
    default (the import finds those itself), else, in a terminal, the answer to "who is coding?"."""
    import os

    from workbench.cli.common import _ask_coder, _interactive
    from workbench.project import DB_NAME, Project

    if os.environ.get("WORKBENCH_CODER", "").strip():
        return None
    if (target / DB_NAME).is_file():
        project = Project.open(target)
        try:
            if project.coder_or_none() is not None:
                return None
        finally:
            project.close()
    return _ask_coder() if _interactive() else None
