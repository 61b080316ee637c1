"""Auditing many transcripts at once, over several processes where that is safe and pays.

A first audit of a whole project runs :func:`~workbench.audit.engine.audit_text` on every
transcript: about a tenth of a second for an interview of 7,500 words, most of it in deduce.
:func:`audit_many` spreads the transcripts over worker processes forked from this one, so that
they share deduce's loaded tables (a gigabyte, loaded once) instead of each loading its own.

Workers are used only where the operating system forks safely (Linux), when there are several
CPUs, and when the work is big enough to be worth a process; otherwise, and whenever the
workers fail to start or die, the transcripts are audited here, one after the other, with the
same results. Results come back in the order of the texts. Pure: no store, no output.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from workbench.audit import engine
from workbench.audit.engine import AuditCounts, Flag

__all__ = ["JOBS_ENV", "audit_many", "default_jobs"]

#: Environment variable: how many processes an audit may use (``1``: no worker processes).
JOBS_ENV = "WORKBENCH_AUDIT_JOBS"
#: Below this much text (characters: about four interviews of 7,500 words) one process does
#: the work about as fast as starting workers would.
MIN_PARALLEL_CHARS = 200_000
#: At most this many workers by default: each holds its own copy of what it touches of
#: deduce's tables (about 150 MB).
MAX_DEFAULT_JOBS = 4

_job: dict[str, Any] = {}
_WARM_UP = "Toen sprak ik Ilias de Vries uit Overvecht, bij de Bakker in Utrecht."


def default_jobs() -> int:
    """How many processes an audit uses: ``WORKBENCH_AUDIT_JOBS`` if set, else the CPUs this
    process may use, at most :data:`MAX_DEFAULT_JOBS`."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _audit_one(text: str) -> tuple[list[Flag], int, int]:
    counts = AuditCounts()
    flags = engine.audit_text(text, allow=_job["allow"], use_deduce=_job["use_deduce"],
                       deny=_job["deny"], counts=counts)
    return flags, counts.allowed, counts.denied


def audit_many(
    texts: Sequence[str],
    *,
    allow: Sequence[str] = (),
    deny: Sequence[tuple[str, str]] = (),
    use_deduce: bool = True,
    jobs: int | None = None,
) -> Iterator[tuple[list[Flag], AuditCounts]]:
    """Audit each of ``texts`` as :func:`~workbench.audit.engine.audit_text` would (with
    ``allow``, ``deny`` and ``use_deduce``) and yield ``(flags, counts)`` for each, in order.

    ``jobs`` processes at most (default :func:`default_jobs`); one when the texts are few or
    short, or where forking is not safe. An exception raised on a text is raised here, at that
    text.
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    jobs = min(jobs, len(texts))
    parallel = jobs > 1 and _can_fork() and sum(len(t) for t in texts) >= MIN_PARALLEL_CHARS
    done = 0
    if parallel:
        if use_deduce:
            from workbench.audit.deduce_engine import get_deduce

            get_deduce()  # loaded here, before the fork: the workers share it
        # the tables the detectors load on first use (common words, first names), likewise
        engine.audit_text(_WARM_UP, allow=allow, deny=deny, use_deduce=use_deduce)
        _job.update(allow=list(allow), deny=list(deny), use_deduce=use_deduce)
        try:
            executor = ProcessPoolExecutor(max_workers=jobs,
                                           mp_context=multiprocessing.get_context("fork"))
        except (OSError, ValueError):
            executor = None
        if executor is not None:
            try:
                # What this process holds now (deduce's tables are frozen since they loaded)
                # goes to the collector's permanent generation before the workers fork: their
                # collector then never writes to the pages they share with this process.
                # Never unfrozen: that would hand deduce's tables back to the collector.
                gc.freeze()
                for flags, allowed, denied in executor.map(_audit_one, texts, chunksize=1):
                    counts = AuditCounts()
                    counts.allowed, counts.denied = allowed, denied
                    done += 1
                    yield flags, counts
            except BrokenProcessPool:
                pass  # a worker died (killed, out of memory): the rest is audited here
            finally:
                executor.shutdown(wait=True, cancel_futures=True)
    for text in texts[done:]:
        counts = AuditCounts()
        flags = engine.audit_text(text, allow=allow, use_deduce=use_deduce, deny=deny, counts=counts)
        yield flags, counts
