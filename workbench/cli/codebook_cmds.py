"""``workbench codebook …``: add, rename, edit, move, merge, split, delete, list, check, and
export/import of the shared codebook file (``.yaml`` here, ``.qdc`` through REFI-QDA)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.common import echo, echo_json, echo_table, json_option, with_project

FIELD_OPTIONS = ("definition", "inclusion", "exclusion", "example", "colour", "memo")


def register(cli: click.Group) -> None:
    cli.add_command(codebook)


def _field_options(func):
    for name in reversed(FIELD_OPTIONS):
        func = click.option(f"--{name}", default=None, help=f"The {name} (\"\" clears it).")(func)
    return func


def _warn(lines: list[str]) -> None:
    for w in lines:
        echo(f"warning: {w}", err=True)


@click.group(short_help="The shared codebook: themes and codes.")
def codebook() -> None:
    """The codebook: themes (one level of sub-themes) and codes, shared as codebooks/codebook.yaml."""


@codebook.command("add")
@click.argument("name")
@click.option("--theme", "theme", help="Put the code (or sub-theme) under this theme.")
@click.option("--parent", "parent", help="Same as --theme (for sub-themes).")
@click.option("--kind", type=click.Choice(["code", "theme"]), default="code", show_default=True,
              help="Add a code (applied to passages) or a theme (groups codes).")
@_field_options
@with_project
def add_cmd(project, coder, name, theme, parent, kind, **fields) -> None:
    """Add a code (or with --kind theme a theme). Warns about near-duplicate names."""
    from workbench.services.codebook import codes as cb

    if theme and parent and theme != parent:
        raise click.UsageError("give --theme or --parent, not both")
    warnings = cb.near_duplicate_warnings(project.db, name, kind)
    row = cb.add(project.db, project.coder(coder), name, kind=kind, parent=theme or parent,
                 **{k: v for k, v in fields.items() if v is not None})
    echo(f"added {row['kind']} '{row['name']}' ({row['id']})")
    _warn(warnings)


@codebook.command("rename")
@click.argument("ref", metavar="CODE")
@click.argument("new_name")
@with_project
def rename_cmd(project, coder, ref, new_name) -> None:
    """Rename a code or theme (id or name). Warns about near-duplicate names."""
    from workbench.services.codebook import codes as cb

    old = cb.resolve(project.db, ref)
    row, warnings = cb.rename(project.db, project.coder(coder), ref, new_name)
    echo(f"renamed {row['kind']} '{old['name']}' to '{row['name']}' ({row['id']})")
    _warn(warnings)


@codebook.command("edit", short_help="Change a code's definition, notes, example, colour, memo.")
@click.argument("ref", metavar="CODE")
@_field_options
@with_project
def edit_cmd(project, coder, ref, **fields) -> None:
    """Change a code's or theme's definition, inclusion, exclusion, example, colour or memo."""
    from workbench.services.codebook import codes as cb

    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise click.UsageError("nothing to change: give --definition, --inclusion, --exclusion, "
                               "--example, --colour or --memo")
    before = cb.resolve(project.db, ref)
    row = cb.update_fields(project.db, project.coder(coder), ref, **given)
    changed = [k for k in given if (before[k] or "") != (row[k] or "")]
    echo(f"{row['kind']} '{row['name']}': " + (f"changed {', '.join(changed)}" if changed else "nothing changed"))


@codebook.command("move")
@click.argument("ref", metavar="CODE")
@click.option("--theme", help="The theme to move it under.")
@click.option("--no-theme", is_flag=True, help="Take it out of its theme.")
@with_project
def move_cmd(project, coder, ref, theme, no_theme) -> None:
    """Move a code (or sub-theme) to another theme, or out of any theme."""
    from workbench.services.codebook import codes as cb

    if bool(theme) == bool(no_theme):
        raise click.UsageError("give --theme THEME or --no-theme")
    row = cb.move(project.db, project.coder(coder), ref, None if no_theme else theme)
    where = f"theme '{cb.resolve(project.db, row['parent_id'])['name']}'" if row["parent_id"] else "no theme"
    echo(f"'{row['name']}' is now under {where}")


@codebook.command("merge", short_help="Merge SOURCE into TARGET (codings move over).")
@click.argument("source")
@click.argument("target")
@with_project
def merge_cmd(project, coder, source, target) -> None:
    """Merge SOURCE into TARGET: every coder's codings move over and SOURCE is deleted.

    The codebook is shared: the output says how many codings of each coder moved."""
    from workbench.services.codebook import codes as cb

    src = cb.resolve(project.db, source)
    row = cb.merge(project.db, project.coder(coder), source, target)
    msg = f"merged '{src['name']}' into '{row['name']}'"
    if src["kind"] == "code":
        msg += f": {row['moved_codings']} coding(s) moved"
        if row["collapsed_codings"]:
            msg += f", {row['collapsed_codings']} identical coding(s) collapsed"
        if row["codings_by_coder"]:
            msg += f" (by coder: {cb.per_coder_text(row['codings_by_coder'])})"
    echo(msg)


@codebook.command("split", short_help="Split CODE: move some of its codings to a new code.")
@click.argument("ref", metavar="CODE")
@click.argument("new_name")
@click.option("--codings", "coding_ids", required=True, help="Comma-separated ids of the codings that go to NEW_NAME (see 'workbench codings --code CODE').")
@click.option("--any-coder", is_flag=True, help="Also move codings of other coders (by default only your own).")
@_field_options
@with_project
def split_cmd(project, coder, ref, new_name, coding_ids, any_coder, **fields) -> None:
    """Split CODE: create NEW_NAME beside it and move the listed codings to it.

    Only your own codings move, unless --any-coder (the output then says whose moved)."""
    from workbench.services.codebook import codes as cb

    ids = [i for i in coding_ids.replace(" ", ",").split(",") if i]
    who = project.coder(coder)
    warnings = cb.near_duplicate_warnings(project.db, new_name, "code")
    row = cb.split(project.db, who, ref, new_name, ids, any_coder=any_coder,
                   **{k: v for k, v in fields.items() if v is not None})
    moved = sum(row["codings_by_coder"].values())
    whose = (f" (by coder: {cb.per_coder_text(row['codings_by_coder'])})"
             if set(row["codings_by_coder"]) - {who} else "")
    echo(f"split: {moved} coding(s) moved to new code '{row['name']}' ({row['id']}){whose}")
    _warn(warnings)


@codebook.command("delete", short_help="Delete a code or theme (--force: with its codings).")
@click.argument("ref", metavar="CODE")
@click.option("--force", is_flag=True, help="Also delete its codings (recorded: 'workbench undo' restores them).")
@with_project
def delete_cmd(project, coder, ref, force) -> None:
    """Delete a code or theme; refused while it has codings unless --force.

    --force deletes the codings of every coder (the codebook is shared) and lists them per
    coder. A theme's codes move up to its parent (or to no theme)."""
    from workbench.services.codebook import codes as cb

    row = cb.delete(project.db, project.coder(coder), ref, force=force)
    extra = (f" and {row['removed_codings']} coding(s) (by coder: {cb.per_coder_text(row['codings_by_coder'])})"
             if row["removed_codings"] else "")
    echo(f"deleted {row['kind']} '{row['name']}'{extra} ('workbench undo' restores it)")


@codebook.command("list", short_help="The codebook in order, with counts.")
@json_option
@with_project
def list_cmd(project, coder, as_json) -> None:
    """The codebook in order, with counts of codings, transcripts and respondents."""
    from workbench.services.codebook import codes as cb

    rows = cb.list_codebook(project.db)
    if as_json:
        echo_json([{**r, "survey_themes": cb.survey_themes_of(project.db, r["id"])} for r in rows])
        return
    if not rows:
        echo("the codebook is empty: 'workbench codebook add NAME' or 'workbench codebook import codebooks/codebook.yaml'")
        return
    table = [
        {**r, "name": ("  " * r["depth"]) + (r["name"] if r["kind"] == "code" else f"[{r['name']}]"),
         "definition": r["definition"] if len(r["definition"]) <= 60 else r["definition"][:59] + "…"}
        for r in rows
    ]
    echo_table(table, ["id", "name", "codings", "transcripts", "respondents", "definition"],
               headers=["id", "code / [theme]", "codings", "transcripts", "respondents", "definition"])


@codebook.command("check", short_help="Pairs of codes with near-duplicate names.")
@click.option("--threshold", type=click.FloatRange(0, 100), default=None, help="Score (0–100) from which names count as close (default 85).")
@json_option
@with_project
def check_cmd(project, coder, threshold, as_json) -> None:
    """List pairs of codes (and of themes) with near-duplicate names, closest first."""
    from workbench.services.codebook import neardup

    pairs = neardup.close_pairs(project.db, threshold if threshold is not None else neardup.DEFAULT_THRESHOLD)
    rows = [{"a": a["name"], "a_id": a["id"], "b": b["name"], "b_id": b["id"], "kind": a["kind"],
             "score": round(s, 1)} for a, b, s in pairs]
    if as_json:
        echo_json(rows)
    elif not rows:
        echo("no near-duplicate names")
    else:
        echo_table(rows, ["score", "kind", "a", "a_id", "b", "b_id"])
        echo("merge a pair with 'workbench codebook merge SOURCE TARGET' if they mean the same")


def _read_entries(path: Path, db=None):
    """The file's entries; a ``.qdc`` is read without writing anything (its GUIDs are
    remembered only once the import went through: see ``_remember_guids``)."""
    from workbench.errors import WorkbenchError
    from workbench.formats.codebook_file import read_yaml

    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".qdc":
        from workbench.services.exchange import codebook as qdc

        return qdc.read_qdc(path, db=db, remember=False)
    raise WorkbenchError("a codebook file is .yaml/.yml (workbench) or .qdc (REFI-QDA)", path=path)


def _remember_guids(db, entries) -> None:
    rows = getattr(entries, "guid_entries", None)
    if rows:
        from workbench.services.exchange import codebook as qdc

        qdc.remember_code_guids(db, rows)


def _check_output_folder(path: Path) -> None:
    """An explicit output path must be in an existing folder (a typo must not create folders)."""
    from workbench.errors import WorkbenchError

    if not path.parent.is_dir():
        raise WorkbenchError(f"the folder {path.parent} does not exist; create it first", path=path)


@codebook.command("export", short_help="Write the codebook file (.yaml, or .qdc).")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists (the shared "
              "codebooks/codebook.yaml is always rewritten).")
@with_project
def export_cmd(project, coder, path, force) -> None:
    """Write the codebook to PATH (default codebooks/codebook.yaml; .qdc for REFI-QDA).

    The shared codebooks/codebook.yaml is rewritten each time (it is synced); any other
    existing PATH only with --force."""
    from workbench.errors import ConflictError, WorkbenchError
    from workbench.services.codebook import sync as codebook_sync

    if path is not None:
        _check_output_folder(path)
        shared = path.resolve() == project.codebook_file.resolve()
        if path.exists() and not force and not shared:
            raise ConflictError("exists already; use --force to overwrite it", path=path)
    path = path or project.codebook_file
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        n, kept = codebook_sync.write_yaml_keeping(project.db, path)
        if kept is not None:
            echo(f"warning: {path} held edits that were never imported; they are kept in {kept} "
                 f"('workbench codebook import {kept}' brings them in)", err=True)
    elif suffix == ".qdc":
        from workbench.services.exchange import codebook as qdc

        qdc.write_qdc(project.db, path)
        n = len(codebook_sync.entries_from_db(project.db))
    else:
        raise WorkbenchError("a codebook file is .yaml/.yml (workbench) or .qdc (REFI-QDA)", path=path)
    echo(f"wrote {n} themes and codes to {path}")


@codebook.command("import", short_help="Sync the codebook from a file (three-way merge).")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--theirs", is_flag=True, help="Resolve conflicts the file's way.")
@click.option("--ours", is_flag=True, help="Resolve conflicts by keeping this project's version.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@json_option
@with_project
def import_cmd(project, coder, path, theirs, ours, dry_run, as_json) -> None:
    """Sync the codebook from PATH (default codebooks/codebook.yaml; or a REFI-QDA .qdc).

    Changes made only in the file are taken, changes made only here are kept. Conflicts
    (a code changed on both sides, or deleted on one side and used or changed on the other) are
    listed and nothing changes until you choose --theirs or --ours. Exit code 3 on conflicts.
    """
    from dataclasses import asdict

    from workbench.errors import ConflictError
    from workbench.services.codebook import sync as codebook_sync

    if theirs and ours:
        raise click.UsageError("--theirs and --ours exclude each other")
    strategy = "theirs" if theirs else "ours" if ours else "fail"
    path = path or project.codebook_file
    entries = _read_entries(path, project.db)
    qdc_report = getattr(entries, "report", None)
    if qdc_report is not None and not as_json:
        for line in qdc_report.notes:
            echo(f"note: {line}", err=True)
        _warn([f"not carried over: {line}" for line in qdc_report.not_carried])
    plan = codebook_sync.plan_sync(project.db, entries, strategy)
    if dry_run:
        if as_json:
            echo_json({"adds": [asdict(e) for e in plan.adds],
                       "updates": [{"id": i, "name": n, "changes": c} for i, n, c in plan.updates],
                       "removals": plan.removals, "merges": plan.merges,
                       "conflicts": [asdict(c) for c in plan.conflicts], "warnings": plan.warnings})
        else:
            lines = plan.describe()
            echo("\n".join(lines) if lines else "the codebook is up to date with the file")
            if plan.conflicts and strategy == "fail":
                echo(f"{len(plan.conflicts)} conflict(s): choose --theirs or --ours")
        return
    try:
        with project.db.atomic():  # the sync and the .qdc GUIDs: all or nothing
            report = codebook_sync.apply_sync(project.db, project.coder(coder), entries, strategy,
                                              source=path.name)
            _remember_guids(project.db, entries)
    except ConflictError as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(3)
    if as_json:
        echo_json({"added": report.added, "updated": report.updated, "removed": report.removed,
                   "merged": report.merged, "removed_codings": report.removed_codings,
                   "resolved": [asdict(c) for c in report.resolved], "warnings": report.warnings})
        return
    for line in report.lines:
        echo(line)
    if report.resolved:
        echo(f"{len(report.resolved)} conflict(s) resolved with --{strategy}")
    echo(
        f"imported {path}: {report.added} added, {report.updated} updated, {report.removed} removed"
        + (f", {report.merged} merged" if report.merged else "")
        if report.changed else f"{path}: the codebook was already up to date"
    )
