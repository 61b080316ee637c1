"""The explicit schema of a project database and its migrations.

Migrations are append-only functions registered on one ``sqlite_utils.Migrations`` set; the
schema version of a database is the number of migrations applied to it. A database written by a
newer workbench (with migrations this one does not know) is refused rather than guessed at.

Tables (offsets are Python string indices into ``transcripts.text``):

- ``meta``: project settings (key/value), e.g. ``default_coder``, ``labels_frozen``.
- ``coders``: everyone who changed something.
- ``transcripts``: one row per interview with its canonical text and metadata.
- ``turns`` / ``sentences``: stable spans of each transcript; sentences carry the lemmas that
  differ from their words (``lemmas``, placed by ``lemma_edits``: :mod:`workbench.store.lemma_edits`)
  and are indexed with FTS5 (``unicode61 remove_diacritics 2``, not the English porter stemmer).
- ``lemma_forms``: every word form met in the transcripts with the words of its lemma (lemma
  search without spaCy).
- ``codes``: themes (``kind='theme'``, optional ``parent_id`` for one level of sub-themes) and
  codes (``kind='code'``, ``parent_id`` = their theme or NULL).
- ``codings``: a code applied by a coder to ``[start, end)`` of a transcript.
- ``memos``: project and transcript memos (code and coding memos live on their rows).
- ``changes`` / ``change_rows``: the history; every change with who, when, before and after.
- ``quotes``, ``survey_links``, ``audit_flags``, ``allow_list``, ``deny_list``: report and
  audit data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from workbench.errors import WorkbenchError
from workbench.store.sentence_index import FTS_TOKENIZE

migrations = Migrations("workbench")
#: The names of this workbench's migrations, in order (see :func:`migration`).
KNOWN_MIGRATIONS: list[str] = []


def migration(func: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    """Register a migration (with sqlite-utils' ``Migrations``) and remember its name, so that
    the schema version and the check against newer databases need no private attribute."""
    KNOWN_MIGRATIONS.append(func.__name__)
    return migrations()(func)


def migration_outside_transaction(
        func: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    """Like :func:`migration`, for a migration that cannot run inside a transaction
    (``VACUUM``)."""
    KNOWN_MIGRATIONS.append(func.__name__)
    return migrations(transactional=False)(func)



@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.table("coders").create({"name": str, "created_at": str}, pk="name")
    db.table("transcripts").create(
        {
            "id": str,
            "text": str,
            "content_hash": str,
            "source_path": str,
            "source_format": str,
            "role": str,
            "municipality": str,
            "domain": str,
            "date": str,
            "interviewer": str,
            "label": str,
            "label_manual": int,
            "word_count": int,
            "turn_count": int,
            "sentence_count": int,
            "metadata": str,
            "imported_at": str,
            "imported_by": str,
        },
        pk="id",
        not_null={"text", "content_hash", "role", "label"},
        defaults={
            "label_manual": 0,
            "municipality": "",
            "domain": "",
            "date": "",
            "interviewer": "",
            "metadata": "{}",
        },
    )
    db.table("transcripts").create_index(["content_hash"])
    db.table("turns").create(
        {
            "transcript_id": str,
            "idx": int,
            "speaker": str,
            "role": str,
            "start": int,
            "end": int,
            "time": str,
        },
        pk=("transcript_id", "idx"),
        foreign_keys=[("transcript_id", "transcripts", "id")],
        not_null={"start", "end", "role"},
    )
    db.table("sentences").create(
        {
            "transcript_id": str,
            "idx": int,
            "turn_idx": int,
            "start": int,
            "end": int,
            "text": str,
            "lemmas": str,
        },
        pk=("transcript_id", "idx"),
        foreign_keys=[("transcript_id", "transcripts", "id")],
        not_null={"start", "end", "text"},
        defaults={"lemmas": ""},
    )
    db.table("sentences").enable_fts(["text", "lemmas"], create_triggers=True, tokenize=FTS_TOKENIZE)
    db.table("codes").create(
        {
            "id": str,
            "kind": str,
            "name": str,
            "parent_id": str,
            "position": int,
            "definition": str,
            "inclusion": str,
            "exclusion": str,
            "example": str,
            "colour": str,
            "memo": str,
            "created_at": str,
            "created_by": str,
            "updated_at": str,
            "updated_by": str,
        },
        pk="id",
        foreign_keys=[("parent_id", "codes", "id")],
        not_null={"kind", "name"},
        defaults={
            "position": 0,
            "definition": "",
            "inclusion": "",
            "exclusion": "",
            "example": "",
            "colour": "",
            "memo": "",
        },
    )
    db.table("codings").create(
        {
            "id": str,
            "transcript_id": str,
            "code_id": str,
            "coder": str,
            "start": int,
            "end": int,
            "memo": str,
            "flag": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("transcript_id", "transcripts", "id"), ("code_id", "codes", "id")],
        not_null={"transcript_id", "code_id", "coder", "start", "end"},
        defaults={"memo": ""},
    )
    db.table("codings").create_index(["transcript_id", "coder"])
    db.table("codings").create_index(["code_id"])
    db.table("memos").create(
        {
            "id": str,
            "target_kind": str,
            "target_id": str,
            "coder": str,
            "text": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"target_kind", "text"},
        defaults={"target_id": ""},
    )
    db.table("memos").create_index(["target_kind", "target_id"])
    db.table("changes").create(
        {
            "id": int,
            "coder": str,
            "at": str,
            "action": str,
            "summary": str,
            "undone": int,
            "target_id": int,
        },
        pk="id",
        not_null={"coder", "at", "action"},
        defaults={"undone": 0, "summary": ""},
    )
    db.table("change_rows").create(
        {
            "change_id": int,
            "seq": int,
            "table_name": str,
            "pk": str,
            "before": str,
            "after": str,
        },
        pk=("change_id", "seq"),
        foreign_keys=[("change_id", "changes", "id")],
    )
    db.table("quotes").create(
        {
            "id": str,
            "coding_id": str,
            "text": str,
            "position": int,
            "created_by": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("coding_id", "codings", "id")],
        defaults={"text": "", "position": 0},
    )
    db.table("survey_links").create(
        {"code_id": str, "survey_theme_id": str, "created_by": str, "created_at": str},
        pk=("code_id", "survey_theme_id"),
        foreign_keys=[("code_id", "codes", "id")],
    )
    db.table("audit_flags").create(
        {
            "id": str,
            "transcript_id": str,
            "start": int,
            "end": int,
            "category": str,
            "text": str,
            "source": str,
            "decision": str,
            "placeholder": str,
            "decided_by": str,
            "decided_at": str,
        },
        pk="id",
        foreign_keys=[("transcript_id", "transcripts", "id")],
        defaults={"decision": "open"},
    )
    db.table("audit_flags").create_index(["transcript_id"])
    db.table("allow_list").create({"term": str, "added_by": str, "added_at": str}, pk="term")


@migration
def m002_codebook_sync_base(db: sqlite_utils.Database) -> None:
    """``codebook_sync_base``: per code/theme, the entry as it was at the last codebook file
    sync (export or import), a JSON snapshot. Three-way merge on import compares the file and
    the database against it, so that only real conflicts are reported."""
    db.table("codebook_sync_base").create(
        {"code_id": str, "snapshot": str, "synced_at": str},
        pk="code_id",
        not_null={"snapshot"},
    )


@migration
def m003_quotes_extra_codings(db: sqlite_utils.Database) -> None:
    """``quotes.extra_codings``: a JSON list of further coding ids (same transcript) whose
    extracts a quote joins with ``[…]``; ``quotes.coding_id`` stays the first one."""
    db.table("quotes").add_column("extra_codings", str, not_null_default="[]")


@migration
def m004_refiqda_guids(db: sqlite_utils.Database) -> None:
    """``refi_guids``: the REFI-QDA GUID of a code, transcript, coding, coder or memo that came
    from (or went to) another QDA program, so that an export after an import keeps the other
    program's GUIDs. Rows without an entry here get a stable uuid5 derived from our id."""
    db.table("refi_guids").create(
        {"guid": str, "kind": str, "local_id": str, "created_at": str},
        pk="guid",
        not_null={"kind", "local_id"},
    )
    db.table("refi_guids").create_index(["kind", "local_id"])


@migration
def m005_agreement_sentence_units(db: sqlite_utils.Database) -> None:
    """A covering index over the sentences' spans, so that agreement reads every unit of a
    project (``transcript_id, idx, start, end``) from the index without the text and lemmas."""
    db.table("sentences").create_index(
        ["transcript_id", "idx", "start", "end"], index_name="sentences_units", if_not_exists=True
    )



@migration
def m006_search_codings_by_span(db: sqlite_utils.Database) -> None:
    """A covering index of codings by transcript and span, so that "which codes lie on this
    passage" (search hits, KWIC, the reader) is a range scan, not a walk over every coding of
    the transcript with a table lookup each."""
    db.table("codings").create_index(
        ["transcript_id", "start", "end", "code_id"], index_name="codings_spans", if_not_exists=True
    )

@migration
def m007_transcript_labels_index(db: sqlite_utils.Database) -> None:
    """A covering index for the transcript columns that queries join on.

    ``label`` and the other metadata sit after the long ``text`` column, so reading them from
    the table walks the text's overflow pages: joining codings to transcripts for the label was
    ten times slower than through this index. ``ANALYZE`` lets the planner see that the index
    covers those queries (imports re-run it; see ``services.transcripts``).
    """
    db.table("transcripts").create_index(
        ["id", "label", "role", "date", "municipality", "domain"],
        index_name="transcripts_labels",
        if_not_exists=True,
    )
    db.execute("ANALYZE transcripts")


@migration
def m008_transcripts_import_fingerprint(db: sqlite_utils.Database) -> None:
    """``transcripts.import_fingerprint``: a hash of the whole parsed import (text, turns with
    speakers, roles and times, metadata), beside ``content_hash`` of the text alone, so that a
    re-import notices a changed role or turn although the text is the same. Existing rows get
    the fingerprint of what is stored."""
    db.table("transcripts").add_column("import_fingerprint", str, not_null_default="")
    from workbench.store.fingerprint import stored_fingerprint

    for (tid,) in db.execute("select id from transcripts").fetchall():
        db.execute("update transcripts set import_fingerprint = ? where id = ?", [stored_fingerprint(db, tid), tid])


@migration
def m009_unique_code_names(db: sqlite_utils.Database) -> None:
    """``codes.name_key`` (the name case-folded, NFKC, spaces collapsed: how names compare) under
    a unique index per kind, so that two codes (or themes) of one name cannot exist, even when
    two processes create them at the same moment.

    Existing duplicates are resolved by renaming the later ones ``Name (2)``, ``Name (3)``…:
    nothing is merged or lost, and each rename is reported once (``meta`` ``notices``) so the
    researcher can merge or rename them properly."""
    from workbench.textsafety import name_key

    db.table("codes").add_column("name_key", str, not_null_default="")
    taken: set[tuple[str, str]] = set()
    renamed: list[str] = []
    rows = db.execute("select id, kind, name from codes order by created_at, id").fetchall()
    for cid, kind, name in rows:
        key = name_key(name or "")
        new_name = name
        n = 1
        while (kind, key) in taken:
            n += 1
            new_name = f"{' '.join((name or '').split())} ({n})"
            key = name_key(new_name)
        taken.add((kind, key))
        db.execute("update codes set name = ?, name_key = ? where id = ?", [new_name, key, cid])
        if new_name != name:
            renamed.append(f"the {kind} {cid} was renamed '{new_name}': its name repeated another "
                           f"{kind}'s ('workbench codebook merge' joins them)")
    db.table("codes").create_index(["kind", "name_key"], index_name="codes_name_key", unique=True)
    if renamed:
        add_notices(db, renamed)


@migration
def m010_neutralise_stored_text(db: sqlite_utils.Database) -> None:
    """Text stored before names and texts were checked for terminal controls (a code name
    with ESC brought in by a merge, a role with an OSC sequence from front matter, a memo
    with NUL) is neutralised in place: the characters are written out visibly (``\u001b``),
    so nothing is silently dropped, and a notice says where. Transcript texts are left alone
    (offsets point into them; their import always refused control characters)."""
    from workbench.textsafety import UNSAFE_IN_NAME, UNSAFE_IN_TEXT, name_key, shown

    one_line = {"codes": ["name"], "transcripts": ["label", "role", "municipality", "domain",
                                                   "interviewer"], "coders": []}
    texts = {"codes": ["definition", "inclusion", "exclusion", "example", "memo"],
             "memos": ["text"], "codings": ["memo"]}
    fixed: list[str] = []
    for table in ("codes", "transcripts", "memos", "codings"):
        columns = set(db.table(table).columns_dict)
        for column in one_line.get(table, []) + texts.get(table, []):
            if column not in columns:
                continue
            pattern = UNSAFE_IN_NAME if column in one_line.get(table, []) else UNSAFE_IN_TEXT
            for rowid, value in db.execute(f"select rowid, [{column}] from [{table}]").fetchall():
                if not isinstance(value, str) or not pattern.search(value):
                    continue
                new = shown(value, one_line=pattern is UNSAFE_IN_NAME)
                if pattern is UNSAFE_IN_TEXT:  # keep tabs and line breaks in running text
                    new = pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
                if table == "codes" and column == "name":
                    base, n = new, 1
                    while db.execute("select 1 from codes where name_key = ? and rowid != ? and kind = "
                                     "(select kind from codes where rowid = ?)",
                                     [name_key(new), rowid, rowid]).fetchone():
                        n += 1
                        new = f"{base} ({n})"
                    db.execute("update codes set name = ?, name_key = ? where rowid = ?",
                               [new, name_key(new), rowid])
                else:
                    db.execute(f"update [{table}] set [{column}] = ? where rowid = ?", [new, rowid])
                fixed.append(f"{table}.{column}")
    if fixed:
        counts = ", ".join(f"{n} in {where}" for where, n in sorted(
            {w: fixed.count(w) for w in fixed}.items()))
        add_notices(db, [f"control or invisible characters in stored names and texts are now "
                         f"written out visibly (as \\u001b and the like): {counts}"])


@migration
def m011_unique_codings(db: sqlite_utils.Database) -> None:
    """One coding per coder, code and span: a unique index on ``codings(transcript_id,
    code_id, coder, start, end)``, so that two windows applying the same code to the same
    passage at the same moment store one coding.

    Existing duplicates are merged into the oldest: their memos are joined onto it, and quotes
    and memos that pointed at a duplicate point at the one kept; said once (``notices``)."""
    import json

    groups = db.execute(
        "select transcript_id, code_id, coder, start, [end] from codings group by 1, 2, 3, 4, 5 "
        "having count(*) > 1").fetchall()
    merged = 0
    for key in groups:
        rows = db.execute(
            "select id, memo from codings where transcript_id = ? and code_id = ? and coder = ? "
            "and start = ? and [end] = ? order by created_at, id", list(key)).fetchall()
        keep, memo = rows[0][0], rows[0][1] or ""
        for dup, dup_memo in rows[1:]:
            if dup_memo and dup_memo.strip() and dup_memo.strip() not in memo:
                memo = f"{memo.rstrip()}\n\n{dup_memo.strip()}" if memo.strip() else dup_memo.strip()
            db.execute("update quotes set coding_id = ? where coding_id = ?", [keep, dup])
            for qid, extra in db.execute("select id, extra_codings from quotes").fetchall():
                try:
                    ids = json.loads(extra or "[]")
                except ValueError:
                    continue
                if isinstance(ids, list) and dup in ids:
                    ids = list(dict.fromkeys(keep if i == dup else i for i in ids))
                    db.execute("update quotes set extra_codings = ? where id = ?", [json.dumps(ids), qid])
            db.execute("update memos set target_id = ? where target_kind = 'coding' and target_id = ?",
                       [keep, dup])
            db.execute("delete from refi_guids where kind = 'coding' and local_id = ?", [dup])
            db.execute("delete from codings where id = ?", [dup])
            merged += 1
        db.execute("update codings set memo = ? where id = ?", [memo, keep])
    db.table("codings").create_index(["transcript_id", "code_id", "coder", "start", "end"],
                               index_name="codings_one_per_span", unique=True)
    if merged:
        add_notices(db, [f"{merged} duplicate coding(s) (same coder, code and passage) were merged "
                         "into the oldest; their memos were kept on it"])


@migration
def m012_deny_list(db: sqlite_utils.Database) -> None:
    """``deny_list``: the team's own local names (neighbourhoods, schools, employers of the
    municipalities studied) that the anonymity audit always flags, each with the category it
    is flagged as (``place``, ``institution``, ``school``, ``person``, … or ``listed``)."""
    db.table("deny_list").create(
        {"term": str, "category": str, "added_by": str, "added_at": str},
        pk="term",
        not_null={"category"},
    )


#: ``meta`` key set while ``lemma_forms`` does not yet hold the words of every transcript.
LEMMA_FORMS_DUE = "lemma_forms_due"


@migration
def m013_lemma_forms(db: sqlite_utils.Database) -> None:
    """``lemma_forms``: every word form met in the transcripts (as the pipeline split and wrote
    it) with each word of its lemma as FTS sees it (``word``, folded), so that lemma search
    lemmatises a query and finds the matched words without loading spaCy. A project with
    transcripts gets ``meta`` ``lemma_forms_due``: the forms are collected on the first lemma
    search (or re-processing)."""
    db.execute("create table if not exists lemma_forms (word text not null, form text not null, "
               "primary key (word, form)) without rowid")
    db.execute("create index if not exists lemma_forms_by_form on lemma_forms (form, word)")
    if db.execute("select exists (select 1 from sentences)").fetchone()[0]:
        db.table("meta").upsert({"key": LEMMA_FORMS_DUE, "value": "1"}, pk="key")


@migration
def m014_transcripts_list_index(db: sqlite_utils.Database) -> None:
    """A covering index for the transcripts list (the first screen and ``workbench
    transcripts``), in its order: reading the list no longer walks each transcript's text, so
    the first screen costs the same with 20 or 1,000 interviews."""
    db.table("transcripts").create_index(
        ["date", "id", "label", "role", "municipality", "domain", "turn_count", "sentence_count",
         "word_count", "source_format"],
        index_name="transcripts_list",
        if_not_exists=True,
    )
    db.execute("ANALYZE transcripts")


@migration
def m015_coders_of_codings(db: sqlite_utils.Database) -> None:
    """Every coder with a coding is in ``coders`` (a trigger keeps it so, whatever writes the
    coding: the UI, an import, a merge), so that listing the coders reads that small table
    instead of every coding."""
    db.execute("insert or ignore into coders (name, created_at) "
               "select coder, min(created_at) from codings group by coder")
    for event in ("insert", "update of coder"):
        name = "codings_coder_known" + ("" if event == "insert" else "_update")
        db.execute(f"create trigger if not exists {name} after {event} on codings begin "
                   "insert or ignore into coders (name, created_at) values (new.coder, new.created_at); end")


@migration
def m016_lemmas_where_they_differ(db: sqlite_utils.Database) -> None:
    """``sentences.lemmas`` keeps only the lemmas that differ from their words, with
    ``sentences.lemma_edits`` saying where they go (:mod:`workbench.store.lemma_edits`): the
    lemmas were a second copy of nearly every word, in the table and in the search index.
    The search index goes with the old rows; :func:`m017_sentence_text_from_transcripts` makes
    it again from the slimmer ones (once, faster than updating it row by row)."""
    from workbench.store.lemma_edits import encode

    db.table("sentences").add_column("lemma_edits", str, not_null_default="")
    db.table("sentences").disable_fts()
    cursor = db.conn.cursor()
    last, step, converted = -1, 20_000, 0  # a slice at a time: a large project's rows never all at once
    while True:
        rows = db.execute("select rowid, text, lemmas from sentences where rowid > ? order by rowid limit ?",
                          [last, step]).fetchall()
        if not rows:
            break
        cursor.executemany("update sentences set lemmas = ?, lemma_edits = ? where rowid = ?",
                           [(*encode(text, lemmas or ""), rowid) for rowid, text, lemmas in rows])
        last, converted = rows[-1][0], converted + len(rows)
    if converted:
        db.table("meta").upsert({"key": VACUUM_DUE, "value": "1"}, pk="key")


@migration
def m017_sentence_text_from_transcripts(db: sqlite_utils.Database) -> None:
    """Sentences no longer copy their text: it is read from the transcript (``sentence_texts``
    gives every sentence with its text, a view), and the search index reads it from there. The
    index is kept by triggers on ``sentences`` and ``transcripts`` (see
    :mod:`workbench.store.sentence_index`); the covering index ``sentences_units`` goes (the
    slim table is as cheap to read)."""
    from workbench.store.sentence_index import create_index_and_triggers, index_transcripts

    db.table("sentences").disable_fts()
    db.execute("drop index if exists sentences_units")
    db.table("sentences").transform(drop={"text"})
    create_index_and_triggers(db)
    index_transcripts(db, [r[0] for r in db.execute("select id from transcripts").fetchall()])
    if db.execute("select exists (select 1 from sentences)").fetchone()[0]:
        db.table("meta").upsert({"key": VACUUM_DUE, "value": "1"}, pk="key")


#: ``meta`` key set when a migration left much free space in the file (see :func:`m018_vacuum`).
VACUUM_DUE = "vacuum_due"


@migration_outside_transaction
def m018_vacuum(db: sqlite_utils.Database) -> None:
    """Give the space a migration freed back to the file system (``VACUUM``; only when one
    left much of it: ``meta`` ``vacuum_due``)."""
    if db.execute("select 1 from meta where key = ?", [VACUUM_DUE]).fetchone():
        db.execute("VACUUM")
        db.execute("delete from meta where key = ?", [VACUUM_DUE])


@migration
def m019_label_inputs_index(db: sqlite_utils.Database) -> None:
    """A covering index of what respondent labels are computed from (``id, role, date, label,
    label_manual``): an import recomputes them after each file, and reading ``label_manual``
    from the table walked every transcript's text (at 1,000 interviews, seconds per file)."""
    db.table("transcripts").create_index(
        ["id", "role", "date", "label", "label_manual"], index_name="transcripts_label_inputs",
        if_not_exists=True)
    db.execute("ANALYZE transcripts")


@migration
def m020_similar_rejections(db: sqlite_utils.Database) -> None:
    """``similar_rejections``: passages a coder rejected as suggestions for a code or theme
    (``workbench similar``'s review queue): never suggested to them for it again."""
    db.table("similar_rejections").create(
        {"coder": str, "code_id": str, "transcript_id": str, "start": int, "end": int,
         "rejected_at": str},
        pk=("coder", "code_id", "transcript_id", "start", "end"),
        not_null={"rejected_at"},
    )


def add_notices(db: sqlite_utils.Database, notices: list[str]) -> None:
    """Remember ``notices`` for the researcher: the next command (or the UI) shows them once."""
    import json

    row = db.execute("select value from meta where key = 'notices'").fetchone()
    pending = json.loads(row[0]) if row and row[0] else []
    db.table("meta").upsert({"key": "notices", "value": json.dumps([*pending, *notices],
                                                             ensure_ascii=False)}, pk="key")


def take_notices(db: sqlite_utils.Database) -> list[str]:
    """The notices not shown yet (and forget them)."""
    import json

    row = db.execute("select value from meta where key = 'notices'").fetchone()
    if not row or not row[0]:
        return []
    with db.atomic():
        db.execute("delete from meta where key = 'notices'")
    try:
        return [str(n) for n in json.loads(row[0])]
    except ValueError:
        return []


SCHEMA_VERSION = len(KNOWN_MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of workbench migrations applied to ``db``."""
    return len(migrations.applied(db))


def refuse_newer(db: sqlite_utils.Database, *, path: Path | None = None) -> list[str]:
    """The migrations applied to ``db``; a database written by a newer workbench (with
    migrations this one does not know) is refused."""
    known = set(KNOWN_MIGRATIONS)
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise WorkbenchError(
            "this project was written by a newer workbench (unknown schema migrations: "
            + ", ".join(unknown)
            + "); upgrade workbench to open it",
            path=path,
        )
    return applied


def ensure_schema(db: sqlite_utils.Database, *, path: Path | None = None,
                  before_migrating: Callable[[], object] | None = None) -> int:
    """Apply pending migrations; refuse a database written by a newer workbench.
    ``before_migrating`` runs first when an existing project is about to be migrated (the
    caller's backup).

    Returns the number of migrations applied now.
    """
    applied = refuse_newer(db, path=path)
    pending = migrations.pending(db)
    if pending and applied and before_migrating is not None:
        before_migrating()
    migrations.apply(db)
    return len(pending)
