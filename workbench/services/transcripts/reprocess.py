"""Re-processing a project with the current language pipeline, and knowing when it is due.

Sentences and their lemmas are derived from the transcript text by the spaCy pipeline. The
pipeline that derived them is stored in ``meta`` (key ``nlp_pipeline``, its fingerprint); when
the pipeline changes (the Dutch model gets installed, a trained pipeline is configured),
:func:`reprocess` re-segments every transcript and rebuilds its sentences and lemmas. Codings,
audit flags and quotes are character spans of the text, which does not change, so every one of
them stays where it is.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from workbench.project import Project
from workbench.services import word_forms
from workbench.store import sentence_index
from workbench.store.changes import log_only

Progress = Callable[[int, int, str], None]


@dataclass
class ReprocessSummary:
    transcripts: int
    sentences_before: int
    sentences_after: int
    fingerprint: str
    previous: str | None


def stored_fingerprint(db: sqlite_utils.Database) -> str | None:
    from workbench.nlp.pipeline import FINGERPRINT_KEY

    row = db.execute("select value from meta where key = ?", [FINGERPRINT_KEY]).fetchone()
    return row[0] if row else None


def _store_fingerprint(db: sqlite_utils.Database, fingerprint: str) -> None:
    from workbench.nlp.pipeline import FINGERPRINT_KEY

    db.table("meta").upsert({"key": FINGERPRINT_KEY, "value": fingerprint}, pk="key")


def note_import(db: sqlite_utils.Database) -> None:
    """After an import: remember the pipeline if the project has none recorded yet (a project
    processed with another pipeline keeps its record, so that re-processing stays due)."""
    from workbench.nlp.pipeline import get_pipeline

    if stored_fingerprint(db) is None:
        _nlp, info = get_pipeline()
        with db.atomic():
            _store_fingerprint(db, info.fingerprint)


def reprocess_due(db: sqlite_utils.Database) -> str | None:
    """A sentence saying why re-processing is due, or None when it is not."""
    from workbench.nlp.pipeline import get_pipeline

    count = db.execute("select count(*) from transcripts").fetchone()[0]
    if not count:
        return None
    stored = stored_fingerprint(db)
    _nlp, info = get_pipeline()
    if stored == info.fingerprint:
        return None
    was = f"with {stored}" if stored else "with an unrecorded pipeline"
    return (f"the transcripts were processed {was}; the current pipeline is {info.fingerprint}: "
            "run 'workbench reprocess' to rebuild sentences and lemmas (codings are kept)")


def reprocess(
    project_or_db: Project | sqlite_utils.Database, *, coder: str = "workbench",
    progress: Progress | None = None, jobs: int | None = None,
) -> ReprocessSummary:
    """Re-segment every transcript with the current pipeline; keeps every coding. ``jobs``:
    the processes to segment with (see :func:`.segmenting.workers_for`)."""
    from workbench.nlp.pipeline import get_pipeline
    from workbench.services.transcripts.segmenting import (
        SegmentedTranscript,
        Segmenter,
        workers_for,
    )

    db = project_or_db.db if hasattr(project_or_db, "db") else project_or_db
    _nlp, info = get_pipeline()
    previous = stored_fingerprint(db)
    ids = [r[0] for r in db.execute("select id from transcripts order by id")]
    before = db.execute("select count(*) from sentences").fetchone()[0]
    total = len(ids)
    forms: set[tuple[str, str]] = set()
    chars = db.execute("select coalesce(sum(length(text)), 0) from transcripts").fetchone()[0]
    pending: deque[tuple[str, str, list[int], Callable[[], SegmentedTranscript]]] = deque()

    def store_one() -> None:
        tid, text, turn_idxs, result = pending.popleft()
        segmented = result()
        forms.update(segmented.forms)
        rows = segmented.table_rows(tid, turn_idxs)
        with db.atomic():
            sentence_index.drop_sentences(db, tid, text)
            sentence_index.add_sentences(db, tid, text, rows)
            db.execute("update transcripts set sentence_count = ? where id = ?", [len(rows), tid])

    with Segmenter(workers_for(chars, total, jobs)) as segmenter:
        for n, tid in enumerate(ids):
            if progress:
                progress(n, total, f"segmenting {tid}…")
            text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
            turns = db.execute("select idx, start, [end] from turns where transcript_id = ? order by idx",
                               [tid]).fetchall()
            pending.append((tid, text, [t[0] for t in turns],
                            segmenter.submit(text, [(t[1], t[2]) for t in turns])))
            while len(pending) > segmenter.max_in_flight:
                store_one()
        while pending:
            store_one()
    with db.atomic():
        word_forms.replace_all(db, forms)
        _store_fingerprint(db, info.fingerprint)
        log_only(db, coder, "reprocess", f"re-processed {total} transcript(s) with {info.fingerprint}")
    after = db.execute("select count(*) from sentences").fetchone()[0]
    if progress:
        progress(total, total, "done")
    return ReprocessSummary(total, before, after, info.fingerprint, previous)
