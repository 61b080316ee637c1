"""Commands for the report (phase 6): survey themes and links, quotes, prevalence, exports.

``survey init|list|link|unlink``, ``quote add|edit|remove|move|list``, ``prevalence`` and
``export quotes|chapter``. For ``prevalence``, ``quote list`` and the exports, ``--coder`` is a
filter: only that coder's codings count (default: all coders together); elsewhere it is who
acts. Those commands get their own ``--coder`` option saying so (:func:`with_project_filter`).
"""

from __future__ import annotations

import functools

import click

from workbench.cli.common import (
    TABLE_LIMIT,
    State,
    WholeNumber,
    echo,
    echo_json,
    echo_table,
    json_option,
    paging_options,
    project_option,
    with_project,
)

FILTER_CODER_HELP = ("Only codings by this coder (a filter, e.g. 'consensus' for the reconciled "
                     "codings; default: all coders together). Not who acts.")


def with_project_filter(func):
    """Like ``with_project`` for commands whose ``--coder`` filters whose codings count: the
    command gets the project and the coder to filter on (its own ``--coder``, else the one
    given before the command, ``workbench --coder anna prevalence``), or None for all coders."""

    @project_option
    @click.option("--coder", "only_coder", metavar="NAME", help=FILTER_CODER_HELP)
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, *args, only_coder: str | None = None, **kwargs):
        state = ctx.ensure_object(State)
        project = state.project()
        name = only_coder or state.coder
        if name:
            _check_coder(project.db, name)
        return func(project, name, *args, **kwargs)

    return wrapper


def _check_coder(db, name: str) -> None:
    from workbench.errors import NotFoundError

    if db.execute("select 1 from codings where coder = ? limit 1", [name]).fetchone():
        return
    if db.execute("select 1 from coders where name = ?", [name]).fetchone():
        return
    known = [r[0] for r in db.execute("select distinct coder from codings order by coder")]
    raise NotFoundError(f"no codings by coder '{name}' in this project"
                        + (f" (coders with codings: {', '.join(known)})" if known else ""))


def register(cli: click.Group) -> None:
    for command in (survey, quote, prevalence_cmd, export):
        cli.add_command(command)


# -- survey ----------------------------------------------------------------------------------

@click.group()
def survey() -> None:
    """The survey themes (codebooks/survey_themes.yaml) and the codebook's links to them."""


@survey.command("list")
@json_option
@with_project
def survey_list(project, coder, as_json: bool) -> None:
    """List the survey themes in report order with their figures and linked themes/codes."""
    from workbench.services.reporting import survey as svc

    themes = svc.load(project)
    links = svc.links(project.db)
    by_theme: dict[str, list[dict]] = {}
    for link_row in links:
        by_theme.setdefault(link_row["survey_theme_id"], []).append(link_row)
    if as_json:
        echo_json([{
            "id": t.id, "title": t.title, "items": t.items, "order": t.order,
            "figures": [{"statement": f.statement, "n": f.n, "base": f.base, "percent": f.percent,
                         "text": f.formatted()} for f in t.figures],
            "links": [{"code_id": r["code_id"], "kind": r["kind"], "name": r["name"]} for r in by_theme.get(t.id, [])],
        } for t in themes])
        return
    for t in themes:
        items = f"  [{', '.join(t.items)}]" if t.items else ""
        echo(f"{t.id:6} {t.title}{items}")
        for f in t.figures:
            echo(f"         {f.formatted():>22}  {f.statement}")
        for r in by_theme.get(t.id, []):
            echo(f"         -> {r['kind']} {r['name']} ({r['code_id']})")
    unknown = sorted({r["survey_theme_id"] for r in links} - {t.id for t in themes})
    if unknown:
        echo(f"warning: links to survey themes not in the file: {', '.join(unknown)}", err=True)


@survey.command("link")
@click.argument("theme_or_code")
@click.argument("survey_ids", nargs=-1, required=True)
@with_project
def survey_link(project, coder, theme_or_code: str, survey_ids: tuple[str, ...]) -> None:
    """Link a codebook theme or code to one or more survey themes, e.g. link Signalen 4.1 4.9.

    Linking again what is already linked changes nothing (and says so)."""
    from workbench.services.reporting import survey as svc

    themes = svc.load(project)
    headings = {t.id: t.heading for t in themes}
    result = svc.link(project.db, project.coder(coder), theme_or_code, survey_ids, themes=themes)
    for sid in result.done:
        echo(f"linked {result.name} to survey theme {headings[sid]}")
    for sid in result.unchanged:
        echo(f"{result.name} is already linked to survey theme {headings[sid]}: nothing to do")


@survey.command("unlink")
@click.argument("theme_or_code")
@click.argument("survey_ids", nargs=-1, required=True)
@with_project
def survey_unlink(project, coder, theme_or_code: str, survey_ids: tuple[str, ...]) -> None:
    """Remove links between a codebook theme or code and survey themes."""
    from workbench.services.reporting import survey as svc

    result = svc.unlink(project.db, project.coder(coder), theme_or_code, survey_ids)
    for sid in result.done:
        echo(f"unlinked {result.name} from survey theme {sid}")


@survey.command("init")
@click.option("--from-codebook", is_flag=True,
              help="One survey theme per codebook theme (T1, T2 …), each linked to its theme.")
@with_project
def survey_init(project, coder, from_codebook) -> None:
    """Write codebooks/survey_themes.yaml (never overwrites): a commented template to fill in,
    or, with --from-codebook, the codebook's themes as survey themes, already linked."""
    from workbench.services.reporting import survey as svc

    if from_codebook:
        path, n = svc.init_from_codebook(project, project.coder(coder))
        echo(f"wrote {path}: {n} survey theme(s) from the codebook's themes, each linked "
                   "to its theme; rename or reorder them to match the report")
        return
    path = svc.init_template(project.root)
    echo(f"wrote {path}: replace the two example themes with the report's survey themes, "
               "then 'workbench survey link THEME_OR_CODE ID'")


# -- quotes ----------------------------------------------------------------------------------

@click.group()
def quote() -> None:
    """Quotes chosen for the report: add (star), edit, remove, move, list."""


@quote.command("add")
@click.argument("coding")
@click.option("--text", help="The display text: shorten with […] or (…), add words in [brackets].")
@click.option("--extend", "extend", multiple=True, metavar="CODING2",
              help="Join another coding of the same transcript (repeatable); fragments are joined with […].")
@json_option
@with_project
def quote_add(project, coder, coding: str, text: str | None, extend: tuple[str, ...], as_json: bool) -> None:
    """Choose CODING (its id, or the first characters) as a quote."""
    from workbench.services.reporting import quotes as svc

    row = svc.star(project.db, project.coder(coder), coding, text, extend=extend)
    _echo_quote(project, row, as_json)
    _warn_flagged(project, row)


def _warn_flagged(project, row: dict) -> None:
    from workbench.services.reporting import quotes as svc

    flags = svc.open_flags(project.db, row)
    if flags:
        echo(f"warning: quote {row['id']} shows words with an open anonymity flag: "
             f"{svc.describe_open_flags(flags)}; exports refuse it until the flag is decided "
             "('workbench audit') or the words are left out with […] ('workbench quote edit "
             f"{row['id']} --text …')", err=True)


def _echo_quote(project, row: dict, as_json: bool) -> None:
    from workbench.services.reporting import quotes as svc

    label = project.db.execute(
        "select t.label from codings x join transcripts t on t.id = x.transcript_id where x.id = ?",
        [row["coding_id"]]).fetchone()
    if as_json:
        echo_json({**row, "quote": svc.format_quote(row["text"], label[0] if label else "")})
    else:
        echo(f"{row['id']}: {svc.format_quote(row['text'], label[0] if label else '')}")


@quote.command("edit")
@click.argument("quote_id")
@click.option("--text", required=True, help="The new display text (checked against the respondent's words).")
@json_option
@with_project
def quote_edit(project, coder, quote_id: str, text: str, as_json: bool) -> None:
    """Change a quote's display text; refused if it changes the respondent's words."""
    from workbench.services.reporting import quotes as svc

    row = svc.edit(project.db, project.coder(coder), quote_id, text)
    _echo_quote(project, row, as_json)
    _warn_flagged(project, row)


@quote.command("remove")
@click.argument("quote_or_coding")
@with_project
def quote_remove(project, coder, quote_or_coding: str) -> None:
    """Unstar a quote (by quote id), or all quotes of a coding (by coding id)."""
    from workbench.services.reporting import quotes as svc

    rows = svc.unstar(project.db, project.coder(coder), quote_or_coding)
    echo(f"removed {len(rows)} quote(s): {', '.join(r['id'] for r in rows)}")


@quote.command("move")
@click.argument("quote_id")
@click.argument("position", type=WholeNumber())
@with_project
def quote_move(project, coder, quote_id: str, position: int) -> None:
    """Set a quote's position (quotes print in position order)."""
    from workbench.services.reporting import quotes as svc

    row = svc.move(project.db, project.coder(coder), quote_id, position)
    echo(f"{row['id']}: position {row['position']}")


@quote.command("list")
@click.option("--theme", help="Only quotes of this theme (with its sub-themes) or code.")
@click.option("--survey-theme", help="Only quotes under this survey theme (id such as 4.3).")
@paging_options
@json_option
@with_project_filter
def quote_list(project, coder, theme: str | None, survey_theme: str | None, limit: int | None, offset: int,
               as_json: bool) -> None:
    """List quotes with their respondent, codes, survey themes and text (the table: the first
    500 unless --limit says otherwise; --offset pages on)."""
    from workbench.services.reporting import quotes as svc

    if survey_theme is not None:
        from workbench.services.reporting import survey

        survey_theme = survey.find(survey.load(project), survey_theme).id
    rows = svc.list_quotes(project.db, theme=theme, survey_theme=survey_theme, coder=coder)
    total = len(rows)
    if limit is None and not as_json:
        limit = TABLE_LIMIT
    rows = rows[offset:][: limit or None]
    if as_json:
        echo_json([{k: v for k, v in r.items() if k != "coding_rows"} for r in rows])
    elif not rows and total:
        echo(f"no quotes from --offset {offset} on ({total} in all)")
    elif not rows:
        filtered = theme or survey_theme or coder
        echo("no quotes match" if filtered and project.db.execute("select 1 from quotes limit 1").fetchone()
                   else "no quotes yet: 'workbench quote add CODING' (see 'workbench codings')")
    else:
        echo_table([{**r, "codes": ", ".join(r["codes"]), "survey": ", ".join(r["survey_themes"])} for r in rows],
                   ["id", "transcript_id", "label", "codes", "survey", "coder", "quote"],
                   headers=["quote", "interview", "respondent", "codes", "survey themes", "coded by", "text"])
        if len(rows) < total:
            last = offset + len(rows)
            echo(f"quotes {offset + 1}-{last} of {total}"
                 + (f"; --offset {last} shows the next, --limit 0 all of them" if last < total else ""))


# -- prevalence ------------------------------------------------------------------------------

@click.command("prevalence")
@json_option
@with_project_filter
def prevalence_cmd(project, coder, as_json: bool) -> None:
    """How many interviews and respondents each theme and code occurs in, and its wording
    (the same wording as 'workbench themes' and the chapter).

    Counts the codings of all coders together; --coder NAME counts one coder's (e.g.
    --coder consensus for the reconciled codings). Thresholds: codebooks/prevalence.yaml.
    """
    from workbench.services import prevalence

    rows = prevalence.compute(project.db, coder=coder, thresholds=prevalence.load_thresholds(project))
    if as_json:
        echo_json([p.as_dict() for p in rows.values()])
        return
    names = {r["id"]: r for r in project.db.query("select id, parent_id from codes")}

    def depth(cid: str) -> int:
        d, node = 0, names[cid]["parent_id"]
        while node and d < 10:
            d, node = d + 1, names[node]["parent_id"]
        return d

    from workbench.services.codebook.codes import list_codebook
    from workbench.services.team import whose

    ordered = [r["id"] for r in list_codebook(project.db)]
    echo(f"counts: {whose(coder)}" + ("" if coder else " (--coder NAME for one coder's, e.g. consensus)"))
    echo_table(
        [{"name": "  " * depth(cid) + rows[cid].name, "kind": rows[cid].kind,
          "interviews": rows[cid].interviews, "respondents": rows[cid].respondents,
          "of": rows[cid].total_interviews, "wording": rows[cid].wording} for cid in ordered if cid in rows],
        ["name", "kind", "interviews", "respondents", "of", "wording"],
    )


# -- exports ---------------------------------------------------------------------------------

@click.group()
def export() -> None:
    """Write quotes or a draft chapter to exports/ (never over a file without --force)."""


@export.command("quotes")
@click.option("--theme", help="Only quotes of this theme (with its sub-themes) or code.")
@click.option("--survey-theme", help="Only quotes under this survey theme (id such as 4.3).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "csv", "json"]), default="md", show_default=True,
              help="Markdown, Word, a CSV table or JSON.")
@click.option("--force", is_flag=True, help="Overwrite an export of the same name.")
@click.option("--allow-flagged", is_flag=True, help="Export quotes with open anonymity flags anyway, each visibly marked.")
@click.option("--hold-back-flagged", is_flag=True,
              help="Write the other quotes and leave out those with open anonymity flags (listed, with why).")
@with_project_filter
def export_quotes(project, coder, theme, survey_theme, fmt: str, force: bool, allow_flagged: bool,
                  hold_back_flagged: bool) -> None:
    """Export quotes, one block or row each, to exports/quotes-<scope>-<time>.<format>.

    A quote that shows a word with an open anonymity flag stops the export (each is listed
    with the flagged word), unless --hold-back-flagged leaves such quotes out or
    --allow-flagged exports them marked."""
    from workbench.services.reporting.quotes_export import write_quotes_report

    written = write_quotes_report(project, theme=theme, survey_theme=survey_theme, coder=coder,
                                  fmt=fmt, force=force, allow_flagged=allow_flagged,
                                  hold_back_flagged=hold_back_flagged)
    echo(written.summary())


@export.command("chapter")
@click.option("--survey-theme", "survey_themes", multiple=True, help="Only these survey themes (repeatable; default: all).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]), default="md", show_default=True,
              help="Markdown or Word (with heading and quote styles).")
@click.option("--force", is_flag=True, help="Overwrite an export of the same name.")
@click.option("--allow-flagged", is_flag=True, help="Include quotes with open anonymity flags anyway, each visibly marked.")
@click.option("--hold-back-flagged", is_flag=True,
              help="Leave out the quotes with open anonymity flags (listed, with why).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the Markdown instead of writing a file.")
@with_project_filter
def export_chapter(project, coder, survey_themes, fmt: str, force: bool, allow_flagged: bool,
                   hold_back_flagged: bool, to_stdout: bool) -> None:
    """Write a draft chapter: per survey theme its figures, then "Verdieping op de resultaten".

    Counts and quotes use all coders' codings; --coder NAME uses one coder's (e.g. consensus).
    """
    from workbench.services.reporting.chapter import chapter_markdown, write_chapter_report

    ids = list(survey_themes) or None
    if to_stdout:  # guarded as a file is
        if allow_flagged and hold_back_flagged:
            raise click.UsageError("choose one: --allow-flagged or --hold-back-flagged")
        markdown, flagged = chapter_markdown(project, ids, coder, allow_flagged=allow_flagged,
                                             hold_back_flagged=hold_back_flagged)
        echo(markdown, nl=False)
        if flagged and hold_back_flagged:
            quotes = sorted({f.quote_id for f in flagged})
            echo(f"note: held back {len(quotes)} quote(s) that show words with an open anonymity "
                 "flag:" + "".join(f"\n  - {f.describe()}" for f in flagged), err=True)
        elif flagged:
            echo(f"note: {len(flagged)} word(s) with an open anonymity flag in the quotes, each "
                 "quote marked [open anonimiteitsmelding]", err=True)
        return
    written = write_chapter_report(project, ids, coder=coder, fmt=fmt, force=force,
                                   allow_flagged=allow_flagged,
                                   hold_back_flagged=hold_back_flagged)
    echo(written.summary())
    from workbench.services.reporting import survey as survey_svc

    if not survey_svc.has_themes_file(project):
        echo("note: no survey themes file (codebooks/survey_themes.yaml): the chapter has a "
                   "section per codebook theme; 'workbench survey init --from-codebook' makes the "
                   "file from them", err=True)
