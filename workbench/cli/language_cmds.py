"""Commands of the Dutch language layer: doctor, reprocess, search, kwic, audit, allow, suggest,
similar."""

from __future__ import annotations

import sys
import threading
import time
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
    fail,
    json_option,
    jsonl_option,
    paging_options,
    project_option,
    with_project,
)
from workbench.textsafety import shown


def register(cli: click.Group) -> None:
    for command in (doctor, prepare, reprocess, search, kwic, audit, allow, deny, suggest, similar):
        cli.add_command(command)


# -- progress on stderr ---------------------------------------------------------------------------

class _StderrProgress:
    """One overwritten line on a terminal; on a pipe or in a file, one line per new stage and
    one every :attr:`EVERY` seconds while a stage goes on (the first deduce build takes about
    two minutes: a log must show that it is alive)."""

    EVERY = 10.0

    def __init__(self, quiet: bool = False) -> None:
        self.tty = sys.stderr.isatty()
        self.quiet = quiet
        self.last_stage = ""
        self.last_line = 0.0
        self.lock = threading.Lock()
        self.dirty = False

    def message(self, text: str) -> None:
        if self.quiet:
            return
        with self.lock:
            if self.tty:
                click.echo("\r" + shown(text[:100], one_line=True).ljust(100), nl=False, err=True)
                self.dirty = True
            else:
                import time

                stage = text.split(" (")[0]
                now = time.monotonic()
                if stage != self.last_stage or "[" in text or now - self.last_line >= self.EVERY:
                    self.last_stage = stage
                    self.last_line = now
                    echo(text, err=True)

    def counts(self, done: int, total: int, message: str) -> None:
        if not self.tty and done not in (0, total) and done % max(1, total // 10):
            return  # on a pipe: about ten lines in all
        self.message(f"{message} [{done}/{total}]")

    def finish(self) -> None:
        with self.lock:
            if self.tty and self.dirty:
                click.echo("\r" + " " * 100 + "\r", nl=False, err=True)
                self.dirty = False


# -- doctor ---------------------------------------------------------------------------------------

@click.command(short_help="Report the language pipeline and the anonymity engine.")
@json_option
@project_option
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Report the language pipeline, its lemmatizer, spaCy, the anonymity engine (deduce) and
    their versions, and whether the project's sentences need re-processing."""
    import platform

    from workbench import __version__
    from workbench.audit.deduce_engine import engine_info
    from workbench.errors import NotAProjectError
    from workbench.nlp.pipeline import INSTALL_HINT, MODEL_PACKAGE, describe

    pipeline = describe()
    deduce = engine_info()
    report: dict = {
        "workbench": __version__,
        "python": platform.python_version(),
        "pipeline": pipeline,
        "anonymity_engine": deduce,
        "project": None,
    }
    state = ctx.ensure_object(State)
    try:
        project = state.project()
    except NotAProjectError:
        if state.project_dir is not None:  # --project names a folder that is not a project
            raise
        project = None
    if project is not None:
        from workbench.services.transcripts.reprocess import reprocess_due, stored_fingerprint

        db = project.db
        report["project"] = {
            "root": str(project.root),
            "transcripts": db.execute("select count(*) from transcripts").fetchone()[0],
            "sentences": db.execute("select count(*) from sentences").fetchone()[0],
            "processed_with": stored_fingerprint(db),
            "reprocess_due": reprocess_due(db),
        }
    if as_json:
        echo_json(report)
        return
    p = pipeline
    echo(f"workbench {__version__} (Python {report['python']})")
    echo(f"spaCy:         {p['spacy_version']}")
    echo(f"pipeline:      {p['name']} ({p['kind']}, version {p['version']})")
    echo(f"components:    {', '.join(p['components']) or '-'}")
    echo(f"lemmatizer:    {p['lemmatizer'] or '-'}")
    echo(f"entities:      {'yes (model NER feeds the anonymity audit)' if p['has_ner'] else 'no (no ner component)'}")
    echo(f"fingerprint:   {p['fingerprint']}")
    if p["kind"] == "rule-based":
        echo(f"note:          {MODEL_PACKAGE} is not installed; it adds part-of-speech tags, better lemmas")
        echo( "               and named entities. Install it with: " + INSTALL_HINT)
    deduce_state = "ready" if deduce["ready"] else ("cached: loads in seconds" if deduce["cached"]
                                             else "not built yet: the first 'workbench audit' builds it (about 2 minutes)")
    echo(f"anonymity:     deduce {deduce['version']} + pattern detectors ({deduce_state})")
    echo(f"deduce cache:  {deduce['cache_path']}")
    if deduce.get("error"):
        echo(f"deduce error:  {deduce['error']}")
    proj = report["project"]
    if proj is not None:
        echo(f"project:       {proj['root']} ({proj['transcripts']} transcripts, {proj['sentences']} sentences)")
        echo(f"processed by:  {proj['processed_with'] or '(not recorded)'}")
        if proj["reprocess_due"]:
            echo(f"reprocess:     due: {proj['reprocess_due']}")
        else:
            echo("reprocess:     not needed")


# -- reprocess ------------------------------------------------------------------------------------

@click.command(short_help="Re-segment every transcript with the current pipeline.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes to make sentences with (default: the CPUs, at most 4; also "
                   "WORKBENCH_IMPORT_JOBS); 1: one process.")
@json_option
@with_project
def reprocess(project, coder, jobs: int | None, as_json: bool) -> None:
    """Re-segment every transcript with the current language pipeline (sentences and lemmas are
    rebuilt; codings, flags and quotes are kept, as they are spans of unchanged text)."""
    from workbench.nlp.pipeline import get_pipeline
    from workbench.services.transcripts.reprocess import reprocess as run

    _nlp, info = get_pipeline()
    if info.notice and not as_json:
        echo(f"note: {info.notice}", err=True)
    bar = _StderrProgress(quiet=as_json)
    summary = run(project, coder=project.coder(coder), progress=bar.counts, jobs=jobs)
    bar.finish()
    if as_json:
        echo_json(summary.__dict__)
        return
    echo(f"re-processed {summary.transcripts} transcript(s) with {summary.fingerprint}: "
               f"{summary.sentences_before} -> {summary.sentences_after} sentences; codings unchanged")


# -- search and kwic --------------------------------------------------------------------------------

def _marked(text: str, offset: int, matches: list) -> str:
    out, pos = [], 0
    for s, e in sorted(matches):
        s, e = s - offset, e - offset
        if s < pos or s < 0 or e > len(text):
            continue
        out.append(text[pos:s] + "»" + text[s:e] + "«")
        pos = e
    out.append(text[pos:])
    return " ".join("".join(out).split())


@click.command()
@click.argument("query")
@click.option("--lemma", "mode", flag_value="lemma", help="Match any form of the words (ronselen finds geronseld).")
@click.option("--fuzzy", "mode", flag_value="fuzzy", help="Find a half-remembered passage; typos are tolerated.")
@click.option("--phrase", "mode", flag_value="phrase", help="The words next to each other, in order.")
@click.option("--code", help="Only sentences coded with this code (or any code under this theme).")
@click.option("--respondent", help="Only this transcript (id or respondent label).")
@click.option("--respondents", "respondents_only", is_flag=True,
              help="Only what respondents said (leave out the interviewers' turns).")
@click.option("--limit", type=WholeNumber(min=1), default=50, show_default=True,
              help="Show at most this many hits (best first).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many best hits first (the next page: --offset 50).")
@json_option
@with_project
def search(project, coder, query: str, mode: str | None, code: str | None, respondent: str | None,
           respondents_only: bool, limit: int, offset: int, as_json: bool) -> None:
    """Search the transcripts. Words are matched whatever their case or accents; "quoted words"
    are a phrase and a trailing * a prefix (ronsel*).

    Each hit names who spoke: the respondent's label, or Interviewer for the interviewer's
    words (listed after the respondents' hits)."""
    from workbench.services.search import search as run

    hits = run(project.db, query, mode=mode or "word", code=code, respondent=respondent, limit=limit,
               respondents_only=respondents_only, offset=offset)
    if as_json:
        echo_json([h.as_dict() for h in hits])
        return
    if not hits:
        echo("no hits" if not offset else f"no hits from --offset {offset} on")
        return
    for h in hits:
        codes = f"  [{', '.join(h.codes)}]" if h.codes else ""
        echo(f"{h.label} · {h.transcript_id} s{h.sentence} [{h.start}:{h.end}] score {h.score:g}{codes}")
        echo("  " + _marked(h.text, h.sentence_start, h.matches))
    first = f"hits {offset + 1}-{offset + len(hits)}" if offset else f"{len(hits)} hit(s)"
    echo(first + (f" (limit reached: --offset {offset + limit} shows the next, or use --limit)"
                  if len(hits) >= limit else ""))


@click.command(short_help="Every occurrence of a word in any of its forms, in context.")
@click.argument("lemma")
@click.option("--width", type=click.IntRange(min=0, max=200), default=40, show_default=True,
              help="Characters of context on each side of the word.")
@click.option("--respondents", "respondents_only", is_flag=True,
              help="Only what respondents said (leave out the interviewers' turns).")
@paging_options
@json_option
@jsonl_option
@with_project
def kwic(project, coder, lemma: str, width: int, respondents_only: bool, limit: int | None, offset: int,
         as_json: bool, as_jsonl: bool) -> None:
    """Every occurrence of a word in any of its forms, in context, with the codes on it.

    Each line names who spoke (Interviewer for the interviewer's words, listed last); the
    context stays within the speaker's turn, and ¶ marks where the turn begins or ends.
    --json and --jsonl stream every occurrence; the table shows the first 500 unless --limit
    says otherwise, and --offset pages on."""
    from workbench.services.search import iter_kwic

    streaming = as_json or as_jsonl
    if limit is None and not streaming:
        shown_limit: int | None = TABLE_LIMIT
    else:
        shown_limit = limit or None  # --limit 0: all
    # one more than shown: whether more follow
    ask = shown_limit + 1 if shown_limit is not None and not streaming else shown_limit
    rows = iter_kwic(project.db, lemma, width=width, respondents_only=respondents_only, offset=offset,
                     limit=ask)
    if as_jsonl:
        echo_json_lines(rows)
        return
    if as_json:
        echo_json_stream(rows)
        return
    found = list(rows)
    more = shown_limit is not None and len(found) > shown_limit
    found = found[:shown_limit]
    if not found:
        echo("no occurrences" if not offset else f"no occurrences from --offset {offset} on")
        return
    label_w = max(len(r["label"]) for r in found)
    for r in found:
        codes = f"  [{', '.join(r['codes'])}]" if r["codes"] else ""
        echo(kwic_line(r, width, label_w) + codes)
    last = offset + len(found)
    if more or offset:
        echo(f"occurrences {offset + 1}-{last}"
             + (f"; more follow: --offset {last} shows the next, --limit 0 all of them" if more else ""))
    else:
        echo(f"{len(found)} occurrence(s)")


def kwic_line(row: dict, width: int, label_width: int) -> str:
    """One concordance line: the label, the left context right-aligned, the word in »…« and
    the right context, with the text's own spacing (no space is added before punctuation)."""
    left = row["left"][-width:] if width else ""
    right = row["right"][:width] if width else ""
    return f"{row['label']:<{label_width}}  {left:>{width}}»{row['match']}«{right}".rstrip()


# -- audit ------------------------------------------------------------------------------------------

def _wait_for_deduce(quiet: bool) -> None:
    from workbench.audit.deduce_engine import build_in_background, engine_info, is_ready
    from workbench.errors import WorkbenchError

    if is_ready():
        return
    bar = _StderrProgress(quiet=quiet)
    thread = build_in_background(lambda message, _fraction: bar.message(message))
    while thread.is_alive():
        thread.join(0.2)
    bar.finish()
    info = engine_info()
    if not info["ready"]:
        raise WorkbenchError(f"the anonymity engine deduce could not be loaded: {info.get('error') or 'unknown error'}")


@click.command(short_help="Build the anonymity audit's tables once, so audits start in seconds.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def prepare(quiet: bool) -> None:
    """Build deduce's lookup tables (about two minutes, once per machine), the audit's word
    lists and the Dutch lemma table of lemma search in the cache folder ($WORKBENCH_CACHE_DIR,
    else ~/.cache/workbench), with progress on stderr. 'make run' does this on a fresh machine;
    otherwise the first audit (or lemma search) does it. Nothing in a project changes; run
    again, it only checks that they load."""
    import time

    from workbench.audit.common_words import load_word_lists
    from workbench.audit.deduce_engine import engine_info
    from workbench.nlp.lemma_table import ensure_table

    start = time.monotonic()
    ensure_table()
    _wait_for_deduce(quiet)
    load_word_lists()
    info = engine_info()
    echo(f"the anonymity audit is ready ({time.monotonic() - start:.1f} s): deduce's tables in "
         f"{info['cache_path']}, its word lists beside them")


@click.group(invoke_without_command=True,
             short_help="Check transcripts for details that could identify someone.")
@click.option("--transcript", "-t", "transcripts", multiple=True, help="Only this transcript (id or label); repeatable.")
@click.option("--all", "show_all", is_flag=True, help="Also list flags already dismissed or replaced.")
@click.option("--no-deduce", is_flag=True, help="Quick check with the pattern detectors (and model entities) only.")
@click.option("--recheck", is_flag=True,
              help="Audit every transcript again, also those unchanged since their last audit "
                   "(same text, lists and detectors).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes to audit with (default: the CPUs, at most 4; also "
                   "WORKBENCH_AUDIT_JOBS). Used on Linux for a large first audit; 1: one process.")
@json_option
@with_project
def audit(project, coder, transcripts: tuple[str, ...], show_all: bool, no_deduce: bool,
          recheck: bool, jobs: int | None, as_json: bool) -> None:
    """Check transcripts for names, places, addresses, institutions, dates, ages, phone numbers,
    e-mail, URLs, BSN numbers, licence plates, social-media handles and school names; list the
    open flags. Then: 'workbench audit dismiss ID' or 'workbench audit replace ID'."""
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        return
    from workbench.services.anonymity.audit import list_flags, run_audit

    if not no_deduce:
        _wait_for_deduce(quiet=as_json)
    bar = _StderrProgress(quiet=as_json)
    summary = run_audit(project, list(transcripts) or None, progress=bar.counts,
                        use_deduce=not no_deduce, recheck=recheck, jobs=jobs)
    bar.finish()
    flags: list[dict] = []
    refs: list[str | None] = [*transcripts] or [None]
    for ref in refs:
        flags.extend(list_flags(project.db, transcript=ref, decision=None if show_all else "open"))
    if as_json:
        echo_json({"summary": summary.__dict__, "flags": flags})
        return
    unchanged = (f" ({summary.unchanged} unchanged since their last audit; --recheck audits "
                 "them again)" if summary.unchanged else "")
    echo(f"audited {summary.transcripts} transcript(s) with {summary.engine}{unchanged}: "
         f"{summary.new} new flag(s), {summary.open} open, {summary.decided} decided")
    echo(summary.lists_line())
    for f in flags:
        state = "" if f["decision"] == "open" else f"  ({f['decision']} by {f['decided_by']})"
        echo(f"{f['id']}  {f['label']} · {f['transcript_id']} [{f['start']}:{f['end']}]  "
                   f"{f['category_label']} ({f['source']}) -> {f['suggested']}{state}")
        echo(f"          {f['context']}")
    if flags and not show_all:
        echo("decide: 'workbench audit replace ID [--with \"[naam]\"]', 'workbench audit dismiss ID', "
                   "or 'workbench allow add TERM'")


@audit.command("dismiss")
@click.argument("flag_ids", nargs=-1, required=True)
@with_project
def audit_dismiss(project, coder, flag_ids: tuple[str, ...]) -> None:
    """Dismiss flags: the text may stay as it is."""
    from workbench.audit.categories import label as category_label
    from workbench.services.anonymity.audit import decide

    for fid in flag_ids:
        row = decide(project.db, project.coder(coder), fid, "dismiss")
        echo(f"{row['id']}: dismissed ({category_label(row['category'])}: {row['text']})")


@audit.command("reopen")
@click.argument("flag_ids", nargs=-1, required=True)
@with_project
def audit_reopen(project, coder, flag_ids: tuple[str, ...]) -> None:
    """Open dismissed flags again."""
    from workbench.services.anonymity.audit import decide

    for fid in flag_ids:
        row = decide(project.db, project.coder(coder), fid, "open")
        echo(f"{row['id']}: open again")


@audit.command("replace", short_help="Replace the flagged text with a placeholder.")
@click.argument("flag_id")
@click.option("--with", "placeholder", help="The placeholder (default by category: [naam], [plaats], [adres], …).")
@click.option("--all", "everywhere", is_flag=True, help="Also every other open flag with the same text, in all transcripts.")
@with_project
def audit_replace(project, coder, flag_id: str, placeholder: str | None, everywhere: bool) -> None:
    """Replace the flagged text in the transcript with a placeholder; codings move with the text.
    'workbench undo' reverts it (with --all: every replacement at once)."""
    from workbench.services.anonymity.audit import get_flag, replace, replace_all

    before = get_flag(project.db, flag_id)
    if everywhere:
        rows = replace_all(project.db, project.coder(coder), flag_id, placeholder)
        where = sorted({r["transcript_id"] for r in rows})
        echo(f"replaced '{before['text']}' with {rows[0]['placeholder']} {len(rows)} time(s) in "
                   f"{', '.join(where)}")
        return
    row = replace(project.db, project.coder(coder), flag_id, placeholder)
    echo(f"{row['id']}: replaced '{before['text']}' with {row['placeholder']} in {row['transcript_id']} "
               f"[{row['start']}:{row['end']}]")


# -- allow list ------------------------------------------------------------------------------------

@click.group(short_help="The anonymity audit's allow list: terms that may stay.")
def allow() -> None:
    """The anonymity audit's allow list: terms that may stay (public bodies, the study's
    municipalities, respondent labels)."""


@allow.command("add")
@click.argument("term")
@with_project
def allow_add(project, coder, term: str) -> None:
    """Allow TERM everywhere in the project.

    Example: workbench allow add "Veilig Thuis". Open flags on it go at the next audit."""
    from workbench.services.anonymity.audit import allow_add as run

    row = run(project.db, project.coder(coder), term)
    echo(f"allowed: {row['term']}")


@allow.command("remove")
@click.argument("term")
@with_project
def allow_remove(project, coder, term: str) -> None:
    """Stop allowing TERM.

    Flags on it return at the next 'workbench audit'."""
    from workbench.services.anonymity.audit import allow_remove as run

    row = run(project.db, project.coder(coder), term)
    echo(f"no longer allowed: {row['term']}")


@allow.command("list")
@json_option
@with_project
def allow_list(project, coder, as_json: bool) -> None:
    """List the allowed terms (automatic ones are marked)."""
    from workbench.services.anonymity.audit import list_allow

    rows = list_allow(project.db)
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["term", "added_by", "added_at"])


# -- deny list -------------------------------------------------------------------------------------

@click.group(short_help="The anonymity audit's deny list: local names always flagged.")
def deny() -> None:
    """The anonymity audit's deny list: the team's own local names (neighbourhoods, schools,
    employers of the municipalities studied) that every audit flags wherever they occur,
    whatever the allow list or the detectors say. Each term has a category (plaats, school,
    instelling, naam, … or 'eigen lijst' when none is given)."""


@deny.command("add")
@click.argument("terms", nargs=-1, required=True)
@click.option("--category", "-c", help="Flag the terms as this: plaats (or wijk), school, "
              "instelling (or organisatie, werkgever), naam, adres … Default: eigen lijst.")
@with_project
def deny_add(project, coder, terms: tuple[str, ...], category: str | None) -> None:
    """Always flag TERMS (whole words, any case).

    Example: workbench deny add Kanaleneiland Hoograven --category wijk. The next
    'workbench audit' flags them."""
    from workbench.audit.categories import label as category_label
    from workbench.services.anonymity.deny_list import deny_add as run

    for term in terms:
        row = run(project.db, project.coder(coder), term, category)
        echo(f"always flagged: {row['term']} ({category_label(row['category'])})")


@deny.command("remove")
@click.argument("term")
@with_project
def deny_remove(project, coder, term: str) -> None:
    """Stop always flagging TERM (its open flags go at the next audit, unless a detector finds
    them too)."""
    from workbench.services.anonymity.deny_list import deny_remove as run

    row = run(project.db, project.coder(coder), term)
    echo(f"no longer always flagged: {row['term']}")


@deny.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@with_project
def deny_import(project, coder, path: Path) -> None:
    """Add every term of a text file, one per line.

    A line may start with a category ("wijk: Hoograven", "school: Het Zadkine"); lines
    starting with # are comments. A bad line is reported with its number and nothing of the
    file is stored."""
    from workbench.services.anonymity.deny_list import deny_import as run

    report = run(project.db, project.coder(coder), path)
    echo(f"{path}: {report.summary()}")


@deny.command("list")
@json_option
@with_project
def deny_list(project, coder, as_json: bool) -> None:
    """List the terms that are always flagged, with their category."""
    from workbench.services.anonymity.deny_list import list_deny

    rows = list_deny(project.db)
    if as_json:
        echo_json(rows)
    elif not rows:
        echo("the deny list is empty (add local names with 'workbench deny add TERM' or "
             "'workbench deny import FILE')")
    else:
        echo_table(rows, ["term", "category_label", "added_by", "added_at"])


# -- suggestions ----------------------------------------------------------------------------------

@click.command(short_help="Suggest codes and in-vivo code names for a passage.")
@click.argument("transcript")
@click.option("--span", help="The passage as START:END offsets.")
@click.option("--sentence", type=WholeNumber(), help="The passage as a sentence number (see 'workbench show --sentences').")
@click.option("--limit", type=WholeNumber(min=1), default=5, show_default=True,
              help="Show at most this many codes and this many new names.")
@json_option
@with_project
def suggest(project, coder, transcript: str, span: str | None, sentence: int | None, limit: int, as_json: bool) -> None:
    """Suggest existing codes and in-vivo code names for a passage (nothing is applied)."""
    from workbench.services.coding.suggest import sentence_or_span, suggest_codes, suggest_names

    tid, start, end = sentence_or_span(project.db, transcript, span=span, sentence=sentence)
    started = time.perf_counter()
    codes = suggest_codes(project.db, tid, start, end, limit=limit)
    names = suggest_names(project.db, tid, start, end, limit=limit)
    if as_json:
        echo_json({"transcript_id": tid, "start": start, "end": end,
                   "codes": [c.as_dict() for c in codes], "names": [n.as_dict() for n in names],
                   "seconds": round(time.perf_counter() - started, 3)})
        return
    text = project.db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
    echo(f"{tid} [{start}:{end}] “{' '.join(text[start:end].split())[:200]}”")
    echo("existing codes:")
    for c in codes:
        applied = " (already on this passage)" if c.applied else ""
        echo(f"  {c.score:5.1f}  {c.name}{applied}  — shares: {', '.join(c.shared)}")
    if not codes:
        echo("  (none similar)")
    echo("new code names (in vivo):")
    for n in names:
        exists = " (exists)" if n.exists else ""
        echo(f"  {n.score:5.1f}  {n.name}{exists}")
    if not names:
        echo("  (none)")
    echo("suggestions only: apply a code with 'workbench code …'")


# -- passages like a code's extracts --------------------------------------------------------------

@click.command(short_help="Find passages that read like a code's or theme's extracts.")
@click.argument("code_ref", metavar="CODE_OR_THEME", required=False)
@click.option("--limit", type=WholeNumber(min=1), default=20, show_default=True,
              help="Show at most this many passages.")
@click.option("--all-speakers", is_flag=True, help="Also suggest interviewer turns (default: respondent text only).")
@click.option("--reject", "rejects", multiple=True, metavar="TRANSCRIPT:START:END",
              help="Reject a suggestion: never suggest this passage to you for CODE_OR_THEME again "
                   "(and count against passages like it); repeatable; undo takes it back.")
@click.option("--evaluate", is_flag=True,
              help="Say how well this finds your extracts here: hide some of them in turn, rank from "
                   "the rest, report recall at 10/20/50 beside a random order. Without "
                   "CODE_OR_THEME: every code with at least 4 of your extracts.")
@json_option
@with_project
def similar(project, coder, code_ref: str | None, limit: int, all_speakers: bool,
            rejects: tuple[str, ...], evaluate: bool, as_json: bool) -> None:
    """Passages that read like your extracts of CODE_OR_THEME and that you have not coded with
    it (for a theme: with any code under it): Braun & Clarke's check of a theme against the
    whole data set. Ranked by shared lemmas weighted by how rare they are in the project,
    with the words and phrases that drove each score. Nothing is coded: apply one with
    'workbench code TRANSCRIPT CODE --span START:END'. Runs on this machine; nothing leaves it.
    Needs at least 3 extracts; --coder NAME uses another coder's extracts."""
    from workbench.services.coding import similar as service

    who = project.coder(coder)
    if evaluate:
        _similar_evaluation(project, who, code_ref, as_json)
        return
    if not code_ref:
        fail("name a code or theme (or give --evaluate to evaluate every code)", code=2)
        return
    if rejects:
        for value in rejects:
            tid, _, span = value.partition(":")
            try:
                start, end = (int(x) for x in span.split(":"))
            except ValueError:
                fail(f"--reject takes TRANSCRIPT:START:END (as a suggestion shows it), not '{value}'", code=2)
                return
            service.reject(project.db, who, code_ref, tid, start, end)
            echo(f"rejected {tid} [{start}:{end}] for '{code_ref}': not suggested to {who} again "
                 "('workbench undo' takes it back)")
        return
    result = service.find_similar(project.db, code_ref, coder=who, limit=limit, all_speakers=all_speakers)
    if as_json:
        echo_json([s.as_dict() for s in result.suggestions])
        return
    speakers = "respondent text" if result.respondents_only else "all speakers"
    echo(f"like {result.coder}'s {result.extracts} extracts of the {result.code['kind']} "
         f"'{result.code['name']}' ({speakers}; not yet coded with it), best first:")
    for n, s in enumerate(result.suggestions, start=1):
        numbers = f"sentence {s.sentences[0]}" if len(s.sentences) == 1 else \
            f"sentences {s.sentences[0]}–{s.sentences[-1]}"
        echo(f"{n:3}. {s.score:.2f}  {s.label} · {s.transcript} · {numbers} [{s.start}:{s.end}]")
        echo(f"     “{' '.join(s.text.split())[:300]}”")
        echo(f"     why: {', '.join(s.why) or '(near-identical wording)'}")
    if not result.suggestions:
        echo("  (no passage shares words with these extracts)")
    echo("suggestions only: code one with 'workbench code TRANSCRIPT CODE --span START:END'")


def _similar_evaluation(project, coder: str, code_ref: str | None, as_json: bool) -> None:
    from workbench.services.coding import similar as service

    results = ([service.evaluate(project.db, code_ref, coder=coder)] if code_ref
               else service.evaluate_all(project.db, coder=coder))
    if as_json:
        echo_json([r.as_dict() for r in results])
        return
    if not results:
        echo(f"no code has {service.MIN_EXTRACTS + 1} or more extracts by {coder} to evaluate with")
        return
    ks = service.RECALL_AT
    echo(f"hidden extracts found among the first {'/'.join(map(str, ks))} suggestions "
         f"(recall), {coder}'s extracts; random: the same for a random order")
    echo(f"{'code':40} {'extracts':>8}  " + "  ".join(f"{'@' + str(k):>11}" for k in ks) + "  ranks")
    total = sum(len(r.ranks) for r in results)
    for r in results:
        cells = "  ".join(f"{r.recall[k]:4.2f} ({r.baseline[k]:.2f})" for k in ks)
        ranks = ", ".join("–" if x is None else str(x) for x in r.ranks)
        echo(f"{r.code['name'][:40]:40} {r.extracts:8}  {cells}  {ranks}")
    if len(results) > 1:
        cells = "  ".join(
            f"{sum(r.recall[k] * len(r.ranks) for r in results) / total:4.2f} "
            f"({sum(r.baseline[k] * len(r.ranks) for r in results) / total:.2f})" for k in ks)
        echo(f"{'all (' + str(total) + ' hidden extracts)':40} {'':8}  {cells}")
    echo("(in brackets: a random order of the same sentences; –: not among the first 50)")
