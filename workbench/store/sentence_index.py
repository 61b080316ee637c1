"""The full-text index of the sentences, which hold no text of their own.

A sentence is a span of its transcript's text (``sentences.start``/``end``); the text is stored
once, in ``transcripts.text``. ``sentence_texts`` (a view) gives every sentence with its text
and ``sentences_fts`` (FTS5, external content: that view) indexes the text and the sentence's
stored lemmas (:mod:`workbench.store.lemma_edits`).

An external-content index must be told the old text of a row it drops, so it is kept by
triggers that read the text where it is at that moment: a sentence inserted, changed or
deleted, and a transcript inserted, deleted or given another text (its sentences leave the
index with the old text and come back with the new). Whatever writes (an edit, an undo, a
removal), the index holds every sentence of an existing transcript, as its text reads now.

Writers of a transcript's sentences all at once (import, re-processing) go through
:func:`drop_sentences` and :func:`add_sentences`, which have the text at hand and keep the index
themselves: :func:`by_hand` pauses the triggers (a row in ``sentences_fts_by_hand``, never
committed) while they work a transcript at a time (cutting a sentence out of a long text in SQL
costs twenty times more).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

FTS_TOKENIZE = "unicode61 remove_diacritics 2"
_PAUSED = "not exists (select 1 from sentences_fts_by_hand)"


def sentence_text_sql(text: str, row: str) -> str:
    """SQL for the text of the sentence ``row`` cut from the transcript text ``text``."""
    return f"substr({text}, {row}.start + 1, {row}.[end] - {row}.start)"


def create_index_and_triggers(db: sqlite_utils.Database) -> None:
    """The view, the (empty) index and the triggers that keep it."""
    db.execute("create table if not exists sentences_fts_by_hand (paused integer primary key)")
    db.execute(
        "create view if not exists sentence_texts as select s.rowid as sentence_id, s.transcript_id, "
        f"s.idx, s.turn_idx, s.start, s.[end], {sentence_text_sql('t.text', 's')} as text, s.lemmas, "
        "s.lemma_edits from sentences s join transcripts t on t.id = s.transcript_id")
    db.execute(
        "create virtual table if not exists sentences_fts using fts5(text, lemmas, "
        f"tokenize='{FTS_TOKENIZE}', content='sentence_texts', content_rowid='sentence_id')")

    def add(row: str, text: str) -> str:
        return (f"insert into sentences_fts (rowid, text, lemmas) select {row}.rowid, "
                f"{sentence_text_sql(text, row)}, {row}.lemmas")

    def drop(row: str, text: str) -> str:
        return (f"insert into sentences_fts (sentences_fts, rowid, text, lemmas) select 'delete', "
                f"{row}.rowid, {sentence_text_sql(text, row)}, {row}.lemmas")

    triggers = {
        # a sentence, with the text of its transcript (none while the transcript is missing)
        "sentences_fts_insert": ("after insert on sentences",
                                 f"{add('new', 't.text')} from transcripts t where t.id = new.transcript_id;"),
        "sentences_fts_delete": ("after delete on sentences",
                                 f"{drop('old', 't.text')} from transcripts t where t.id = old.transcript_id;"),
        "sentences_fts_update": ("after update on sentences",
                                 f"{drop('old', 't.text')} from transcripts t where t.id = old.transcript_id; "
                                 f"{add('new', 't.text')} from transcripts t where t.id = new.transcript_id;"),
        # a transcript, with every sentence it has
        "transcripts_fts_insert": ("after insert on transcripts",
                                   f"{add('s', 'new.text')} from sentences s where s.transcript_id = new.id;"),
        "transcripts_fts_delete": ("before delete on transcripts",
                                   f"{drop('s', 'old.text')} from sentences s where s.transcript_id = old.id;"),
        "transcripts_fts_text_before": ("before update of id, text on transcripts",
                                        f"{drop('s', 'old.text')} from sentences s where s.transcript_id = old.id;"),
        "transcripts_fts_text_after": ("after update of id, text on transcripts",
                                       f"{add('s', 'new.text')} from sentences s where s.transcript_id = new.id;"),
    }
    for name, (event, body) in triggers.items():
        db.execute(f"create trigger if not exists {name} {event} when {_PAUSED} begin {body} end")


@contextmanager
def by_hand(db: sqlite_utils.Database) -> Iterator[None]:
    """Inside the caller's transaction: the triggers leave the index alone while this module
    keeps it itself."""
    if not db.conn.in_transaction:  # a pause committed on its own would outlive the writer
        raise RuntimeError("the sentence index is kept by hand only inside a transaction")
    cursor = db.conn.execute("insert or ignore into sentences_fts_by_hand (paused) values (1)")
    mine = cursor.rowcount == 1
    try:
        yield
    finally:
        if mine:
            db.execute("delete from sentences_fts_by_hand")


def _rows(db: sqlite_utils.Database, tid: str, text: str) -> list[tuple[int, str, str]]:
    return [(rowid, text[start:end], lemmas or "") for rowid, start, end, lemmas in db.execute(
        "select rowid, start, [end], lemmas from sentences where transcript_id = ?", [tid])]


def _index(db: sqlite_utils.Database, tid: str, text: str) -> None:
    db.conn.executemany("insert into sentences_fts (rowid, text, lemmas) values (?, ?, ?)",
                        _rows(db, tid, text))


def drop_sentences(db: sqlite_utils.Database, tid: str, text: str) -> None:
    """Delete the sentences of ``tid`` and take them out of the index; ``text`` is the
    transcript's text as stored (they were indexed by it). Inside the caller's transaction."""
    with by_hand(db):
        db.conn.executemany("insert into sentences_fts (sentences_fts, rowid, text, lemmas) "
                            "values ('delete', ?, ?, ?)", _rows(db, tid, text))
        db.execute("delete from sentences where transcript_id = ?", [tid])


def add_sentences(db: sqlite_utils.Database, tid: str, text: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert the sentences of ``tid`` (``rows``: ``transcript_id, idx, turn_idx, start, end,
    lemmas, lemma_edits``) and index them, cut from ``text`` (the transcript's text as stored).
    Inside the caller's transaction."""
    with by_hand(db):
        db.conn.executemany("insert into sentences (transcript_id, idx, turn_idx, start, [end], lemmas, "
                            "lemma_edits) values (?, ?, ?, ?, ?, ?, ?)", rows)
        _index(db, tid, text)


def index_transcripts(db: sqlite_utils.Database, tids: Iterable[str]) -> None:
    """Index the sentences of these transcripts (not in the index yet), a text at a time."""
    with by_hand(db):
        for tid in tids:
            row = db.execute("select text from transcripts where id = ?", [tid]).fetchone()
            if row is not None:
                _index(db, tid, row[0])


def problems(db: sqlite_utils.Database) -> list[str]:
    """What is wrong with the index (empty: it holds every sentence as its text reads now).
    Reads the whole index and every sentence's text: seconds for a large project."""
    import sqlite3

    hint = "; 'workbench check --rebuild-index' makes it again from the text"
    if db.execute("select exists (select 1 from sentences_fts_by_hand)").fetchone()[0]:
        return ["the search index was left paused by a writer that stopped (sentences_fts_by_hand)" + hint]
    try:
        with db.atomic():
            db.execute("insert into sentences_fts (sentences_fts, rank) values ('integrity-check', 1)")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
            return []  # a project opened read-only is not checked here
        return [f"the search index cannot be checked ({exc})" + hint]
    except sqlite3.DatabaseError:
        return ["the search index does not match the transcripts' text (searches may miss sentences "
                "or show ones that are gone)" + hint]
    return []


def rebuild(db: sqlite_utils.Database) -> int:
    """Make the index again from every sentence and its text; returns the sentences indexed."""
    with db.atomic():
        db.execute("delete from sentences_fts_by_hand")
        db.execute("insert into sentences_fts (sentences_fts) values ('rebuild')")
    return int(db.execute("select count(*) from sentences_fts_docsize").fetchone()[0])
