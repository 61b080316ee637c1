"""Splitting a transcript into the sentence rows the store keeps, in this process or in worker
processes beside it.

:func:`segment_transcript` is the one way a transcript's turns become sentence rows (spans in
the transcript's text, the lemmas that differ from the words, where they go) with the word
forms met and the word count; import, re-processing and the project-archive import all use it.

An import of many files hands that work to a :class:`Segmenter`: with ``workers`` above zero
it runs in worker processes (:func:`workers_for`) while this process reads the next files and stores finished ones
(SQLite has one writer: storing stays here). Workers are forked from this process when it has
no other thread (the command line: they inherit the language pipeline it loaded, nothing to
load again), else from a clean server process (``forkserver``: the terminal UI imports from a
thread, and forking a process with threads can copy a lock some thread holds); each then loads
the pipeline itself. A worker touches nothing but the texts it is given.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from workbench.store.lemma_edits import encode as encode_lemmas

WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
#: Environment variable: how many processes an import segments with (``1``: no workers).
JOBS_ENV = "WORKBENCH_IMPORT_JOBS"
MAX_DEFAULT_JOBS = 4
#: Below this many characters to segment, worker processes cost more than they save.
PARALLEL_MIN_CHARS = 600_000
#: Transcripts handed out beyond those being stored: bounds the memory an import holds.
IN_FLIGHT_PER_WORKER = 4

SentenceRow = tuple[int, int, str, str]  # start, end (in the transcript's text), lemmas, lemma_edits


@dataclass
class SegmentedTranscript:
    """A transcript's sentences, per turn, ready to store."""

    sentences: list[list[SentenceRow]]
    forms: set[tuple[str, str]] = field(default_factory=set)
    words: int = 0

    @property
    def sentence_count(self) -> int:
        return sum(len(s) for s in self.sentences)

    def table_rows(self, tid: str, turn_idxs: Sequence[int]) -> list[tuple[Any, ...]]:
        """Rows of the ``sentences`` table (transcript_id, idx, turn_idx, start, end, lemmas,
        lemma_edits); ``turn_idxs``: the turns' numbers, in the order of ``sentences``."""
        return [(tid, idx, turn, *row) for idx, (turn, row) in enumerate(
            (turn, row) for turn, rows in zip(turn_idxs, self.sentences, strict=True) for row in rows)]


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def segment_transcript(text: str, spans: Sequence[tuple[int, int]]) -> SegmentedTranscript:
    """The sentences of each turn (``spans``: where the turns are in ``text``)."""
    from workbench.nlp.sentences import segment_texts

    forms: set[tuple[str, str]] = set()
    per_turn = segment_texts((text[a:b] for a, b in spans), forms=forms)
    sentences: list[list[SentenceRow]] = []
    for (base, _end), sents in zip(spans, per_turn, strict=True):
        rows: list[SentenceRow] = []
        for s in sents:
            start, end = base + s.start, base + s.end
            rows.append((start, end, *encode_lemmas(text[start:end], s.lemmas)))
        sentences.append(rows)
    return SegmentedTranscript(sentences, forms, count_words(text))


def workers_for(total_chars: int, transcripts: int, jobs: int | None = None) -> int:
    """How many worker processes segment an import of ``transcripts`` transcripts of
    ``total_chars`` characters. ``jobs`` (``--jobs``; else ``WORKBENCH_IMPORT_JOBS``): the
    processes to segment with, 1 for this one alone, N for N workers. By default none for a
    small import, else one per processor this process may use (at most 4)."""
    if jobs is None:
        wanted = os.environ.get(JOBS_ENV, "").strip()
        if wanted:
            try:
                jobs = max(1, int(wanted))
            except ValueError:
                jobs = 1
    if jobs is not None:
        return 0 if jobs <= 1 else jobs
    if transcripts < 2 or total_chars < PARALLEL_MIN_CHARS:
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 0 if cpus < 2 else min(cpus, MAX_DEFAULT_JOBS)


def load_pipeline(model_folder: str | None) -> None:
    """The pipeline the importing process uses (``WORKBENCH_SPACY_MODEL`` as it is there now: a
    server process started earlier may have another)."""
    from workbench.nlp.pipeline import ENV_MODEL, get_pipeline, reset_pipeline

    if (os.environ.get(ENV_MODEL) or None) != model_folder:
        os.environ.pop(ENV_MODEL, None)
        if model_folder:
            os.environ[ENV_MODEL] = model_folder
        reset_pipeline()
    get_pipeline()


def _start_worker(model_folder: str | None, quiet: bool) -> None:
    """A worker started from a server process: interrupts left to the importing process, its
    output nowhere when ``quiet`` (the importing process's terminal shows the terminal UI),
    then the pipeline."""
    ignore_interrupts()
    if quiet:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, 1)
        os.dup2(nowhere, 2)
        os.close(nowhere)
    load_pipeline(model_folder)


def ignore_interrupts() -> None:
    """In a worker: Ctrl-C is for the importing process, which stops the import (each file
    stored is whole) and the workers with it; a worker hit by it would print a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stderr_is_captured() -> bool:
    """Whether ``sys.stderr`` is not a file (the terminal UI captures it while it runs)."""
    try:
        return sys.stderr.fileno() < 0
    except (AttributeError, OSError, ValueError):
        return True


def _start_resource_tracker() -> None:
    """multiprocessing's resource tracker (started once per process) keeps ``sys.stderr``'s
    file open for itself: under the terminal UI that is no file and the start fails
    (``bad value(s) in fds_to_keep``). It is started here with /dev/null in its place."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as nowhere:
        sys.stderr = nowhere
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class Segmenter:
    """Segments transcripts handed to :meth:`submit`, in worker processes (``workers`` > 0) or
    in this process when asked for the result. Use as a context manager: the workers stop at
    its end. A worker that dies (killed, out of memory) costs nothing but time: what it had is
    segmented here, and so is the rest."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Segmenter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def max_in_flight(self) -> int:
        """How many transcripts may be handed out and not yet taken back."""
        return self.workers * IN_FLIGHT_PER_WORKER if self.workers > 0 else 0

    def submit(self, text: str, spans: Sequence[tuple[int, int]]) -> Callable[[], SegmentedTranscript]:
        """Start segmenting ``text``; returns what gives the result (waiting for it)."""
        from concurrent.futures.process import BrokenProcessPool

        spans = list(spans)
        if self.workers > 0:
            try:
                future = self._submit(text, spans)
            except BrokenProcessPool:
                self.workers = 0
        if self.workers <= 0:
            return lambda: segment_transcript(text, spans)

        def result() -> SegmentedTranscript:
            try:
                return future.result()
            except BrokenProcessPool:
                self.workers = 0  # the rest here too
                return segment_transcript(text, spans)

        return result

    def _submit(self, text: str, spans: list[tuple[int, int]]) -> Future[SegmentedTranscript]:
        import gc
        import multiprocessing

        from workbench.nlp.pipeline import ENV_MODEL

        if self._pool is not None:
            return self._pool.submit(segment_transcript, text, spans)
        model_folder = os.environ.get(ENV_MODEL) or None
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            load_pipeline(model_folder)  # once, here: the forked workers have it
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=ignore_interrupts)
            # The workers start at the first submit. What they inherit they must never free:
            # garbage holding a database connection, closed in a worker, would unlock the
            # project file for it. Collected here first, the rest kept out of their reach.
            gc.collect()
            gc.freeze()
            try:
                return self._pool.submit(segment_transcript, text, spans)
            finally:
                gc.unfreeze()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        quiet = _stderr_is_captured()
        if quiet:
            _start_resource_tracker()
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                         initargs=(model_folder, quiet))
        return self._pool.submit(segment_transcript, text, spans)
