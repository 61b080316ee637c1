"""Commands that draw the analysis: ``map`` (thematic map), ``matrix`` (code matrices) and
``progress`` (the phase dashboard). Files go to ``exports/`` under a name that says what and
when; an existing file is never overwritten without ``--force``."""

from __future__ import annotations

import click

from workbench.cli.common import WholeNumber, echo, echo_json, json_option, with_project


def register(cli: click.Group) -> None:
    for command in (map_, matrix, progress):
        cli.add_command(command)


def _coders(value: str | None) -> list[str] | None:
    names = [c.strip() for c in (value or "").split(",") if c.strip()]
    return names or None


@click.command("map")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "mermaid", "md"]), default="svg",
              show_default=True, help="svg/png picture, Mermaid text (.mmd), or Markdown with a Mermaid block.")
@click.option("--cooccurrence", is_flag=True, help="Add arcs between codes coded on overlapping passages.")
@click.option("--min", "min_count", type=WholeNumber(min=1), default=2, show_default=True,
              help="With --cooccurrence: only pairs that overlap in at least N interviews.")
@click.option("--title", default="Thematische kaart", show_default=True,
              help="The title on the map (the map's other texts are Dutch, like the exports).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print Mermaid/Markdown text instead of writing a file.")
@click.option("--force", is_flag=True, help="Overwrite a file of the same name.")
@json_option
@with_project
def map_(project, coder, fmt: str, cooccurrence: bool, min_count: int, title: str,
         to_stdout: bool, force: bool, as_json: bool) -> None:
    """Draw the thematic map from the current codebook: themes, sub-themes and codes with
    their number of interviews, survey themes linked to themes, optional co-occurrence.

    \b
    workbench map                      # exports/thematic-map-<when>.svg
    workbench map --format png --cooccurrence --min 2
    workbench map --format mermaid --stdout
    """
    from workbench.files import export_path, write_export
    from workbench.services.visual.map_model import build_map
    from workbench.services.visual.survey_source import load_survey_themes

    m = build_map(project.db, survey_themes=load_survey_themes(project),
                  cooccurrence=cooccurrence, min_count=min_count)
    if as_json:
        echo_json(m.to_dict())
        return
    if fmt in ("mermaid", "md"):
        from workbench.services.visual.map_mermaid import render_markdown, render_mermaid

        data: str | bytes = (render_mermaid if fmt == "mermaid" else render_markdown)(m, title=title)
        suffix = "mmd" if fmt == "mermaid" else "md"
        if to_stdout:
            echo(data, nl=False)
            return
    else:
        if to_stdout:
            raise click.UsageError("--stdout is for --format mermaid or md")
        if fmt == "png":
            from workbench.services.visual.map_png import render_png

            data = render_png(m, title=title)
        else:
            from workbench.services.visual.map_svg import render_svg

            data = render_svg(m, title=title)
        suffix = fmt
    what = "thematic-map" + ("-cooccurrence" if cooccurrence else "")
    path = write_export(export_path(project.exports_dir, what, suffix), data, force=force)
    echo(f"wrote {path} ({len(m.themes)} themes, {len(m.codes)} codes, "
               f"{len(m.linked_survey)} linked survey themes"
               + (f", {len(m.cooccurrence)} co-occurrence links" if cooccurrence else "") + ")")


@click.command()
@click.option("--by", type=click.Choice(["respondent", "domain", "municipality", "code"]),
              default="respondent", show_default=True, help="The columns.")
@click.option("--rows", "rows_kind", type=click.Choice(["codes", "themes"]), default="codes",
              show_default=True, help="The rows.")
@click.option("--count", type=click.Choice(["interviews", "extracts"]), default="interviews",
              show_default=True, help="Count interviews, or coded extracts (codings).")
@click.option("--format", "fmt", type=click.Choice(["csv", "md", "svg", "png"]), default="md",
              show_default=True, help="A CSV or Markdown table, or a heat-shaded picture (SVG, PNG).")
@click.option("--coders", metavar="A,B", help="Only these coders' codings (comma-separated; "
              "a name without codings is an error); default: all coders.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print CSV/Markdown instead of writing a file.")
@click.option("--force", is_flag=True, help="Overwrite a file of the same name.")
@json_option
@with_project
def matrix(project, coder, by: str, rows_kind: str, count: str, fmt: str, coders: str | None,
           to_stdout: bool, force: bool, as_json: bool) -> None:
    """A code matrix: codes (or themes) against respondents, domains, municipalities or codes
    (co-occurrence on overlapping passages), as counts of interviews or coded extracts.

    \b
    workbench matrix --by respondent --format csv
    workbench matrix --by domain --rows themes --count extracts --format md --stdout
    workbench matrix --by code --format svg
    """
    from workbench.files import export_path, write_export
    from workbench.services.visual import matrix as mx

    m = mx.build_matrix(project.db, by=by, rows=rows_kind, count=count, coders=_coders(coders))
    if as_json:
        echo_json(m.to_dict())
        return
    if fmt in ("csv", "md"):
        data: str | bytes = mx.to_csv(m) if fmt == "csv" else mx.to_markdown(m)
        if to_stdout:
            echo(data, nl=False)
            return
    else:
        if to_stdout:
            raise click.UsageError("--stdout is for --format csv or md")
        data = mx.render_image(m, fmt)
    what = f"matrix-{rows_kind}-by-{by}-{count}"
    path = write_export(export_path(project.exports_dir, what, fmt), data, force=force)
    echo(f"wrote {path} ({len(m.rows)} rows × {len(m.columns)} columns)")


@click.command()
@json_option
@with_project
def progress(project, coder, as_json: bool) -> None:
    """How far the analysis is, per phase: transcripts read and coded, codes not in a theme,
    themes without a definition, survey themes without quotes, agreement."""
    from workbench.services.visual.progress import build_progress, progress_lines

    data = build_progress(project)
    if as_json:
        echo_json(data)
        return
    for phase, text, done in progress_lines(data):
        echo(f"{'✓' if done else '·'} {phase:<16} {text}")
