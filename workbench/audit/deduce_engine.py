"""Lazy, thread-safe wrapper around the ``deduce`` Dutch de-identification library.

``deduce`` needs large lookup tables (names, places, institutions). Building
them takes one to two minutes; deduce can pickle them to a cache folder, after
which loading takes some seconds. This module:

* builds one ``deduce.Deduce`` object per process, on first use, under a lock;
* directs deduce's lookup-table cache to a per-user cache folder
  (``$WORKBENCH_CACHE_DIR/deduce/<version>``, default
  ``~/.cache/workbench/deduce/<version>``) so the build happens once per machine.
  A fresh build is written to a temporary folder first and moved into place
  atomically, and concurrent processes wait for each other (``flock``), so a
  killed build never leaves a broken cache behind;
* offers :func:`build_in_background` so a UI can start loading early and show
  progress;
* maps deduce's annotations to :class:`~workbench.audit.detectors.Flag` objects
  with :func:`deduce_flags`.

How deduce 3.0.6 caches (``deduce/deduce.py``, ``deduce/lookup_structs.py``):
``Deduce(cache_path=P)`` loads ``P/cache/lookup_structs.pickle`` if it exists
and was saved by the same deduce version; otherwise it builds the tables from
the packaged lists and pickles them to that file (~80 MB).

deduce 3.0.6 tags (after its own post-processing) and our categories:

==================================  ====================================
deduce tag                          category
==================================  ====================================
persoon, patient                    person
locatie (with a digit: street +     address
house number, postcode, postbus)
locatie (no digit)                  place
ziekenhuis, zorginstelling          institution
datum                               date
leeftijd                            age
telefoonnummer                      phone
emailadres                          email
url                                 url
bsn (passes the eleven-test)        bsn
id (any other run of 7+ digits)     identifier
==================================  ====================================

Note: importing ``deduce`` calls ``logging.basicConfig(stream=sys.stdout,
level=DEBUG)``; that would print log lines into a terminal UI. This module
undoes it when the application had not configured logging itself.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.metadata
import importlib.util
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench.audit.deduce_focus import focus
from workbench.audit.detectors import Flag
from workbench.audit.word_cache import cache_root

__all__ = [
    "ProgressCallback",
    "TAG_CATEGORIES",
    "build_in_background",
    "cache_dir",
    "deduce_flags",
    "deduce_version",
    "engine_info",
    "get_deduce",
    "is_first_name",
    "is_ready",
    "map_tag",
]

log = logging.getLogger(__name__)

#: ``progress(message, fraction)``: fraction is 0.0 at the start, 1.0 when
#: ready and ``None`` while the duration is unknown (deduce reports no
#: fine-grained progress; the message then carries the elapsed time).
#: Called from a background thread: a UI must hand it over to its own thread.
ProgressCallback = Callable[[str, float | None], None]

#: deduce tag -> flag category ("locatie" is refined by :func:`map_tag`).
TAG_CATEGORIES: dict[str, str] = {
    "persoon": "person",
    "patient": "person",
    "locatie": "place",
    "ziekenhuis": "institution",
    "zorginstelling": "institution",
    "instelling": "institution",
    "datum": "date",
    "leeftijd": "age",
    "telefoonnummer": "phone",
    "emailadres": "email",
    "email": "email",
    "url": "url",
    "bsn": "bsn",
    "id": "identifier",
}

_CACHE_FILE = Path("cache") / "lookup_structs.pickle"  # inside deduce's cache_path
_TICK_SECONDS = 1.0

_build_lock = threading.Lock()  # one build per process
_run_lock = threading.Lock()  # deduce is not documented as thread-safe
_state_lock = threading.Lock()  # guards the fields below
_deduce: Any = None
_state = "idle"  # idle | loading | building | ready | error
_error: str | None = None
_load_seconds: float | None = None
_cache_dir_used: Path | None = None
_listeners: list[ProgressCallback] = []
_thread: threading.Thread | None = None


# ---------------------------------------------------------------------------
# Paths and version
# ---------------------------------------------------------------------------


def deduce_version() -> str:
    """The installed deduce version, read without importing deduce."""
    try:
        return importlib.metadata.version("deduce")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def cache_dir(root: str | Path | None = None) -> Path:
    """The folder passed to deduce as ``cache_path``.

    ``<root>/deduce/<deduce version>``, where ``root`` defaults to
    ``$WORKBENCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/workbench``, else
    ``~/.cache/workbench``. Once deduce is loaded this returns the folder that
    was actually used.
    """
    if root is None and _cache_dir_used is not None:
        return _cache_dir_used
    base = Path(root).expanduser() if root is not None else cache_root()
    return base / "deduce" / deduce_version()


# ---------------------------------------------------------------------------
# Progress and state
# ---------------------------------------------------------------------------


def _notify(message: str, fraction: float | None) -> None:
    with _state_lock:
        listeners = list(_listeners)
    for callback in listeners:
        try:
            callback(message, fraction)
        except Exception:  # a broken progress display must not stop the build
            log.exception("deduce progress callback failed")


def _set_state(state: str, error: str | None = None) -> None:
    global _state, _error
    with _state_lock:
        _state = state
        _error = error


@contextlib.contextmanager
def _ticker(message: str, start: float) -> Iterator[None]:
    """Report ``message`` with the elapsed time every second until the block ends."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(_TICK_SECONDS):
            _notify(f"{message} ({time.monotonic() - start:.0f} s)", None)

    _notify(message, None)
    thread = threading.Thread(target=run, name="deduce-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextlib.contextmanager
def _gc_paused(collect_first: Callable[[], bool]) -> Iterator[None]:
    """Pause the cyclic garbage collector while deduce loads, then freeze the heap.

    deduce's lookup tables are millions of small objects. With the collector
    running, unpickling them takes 4x longer, every full collection afterwards
    walks all of them (~4 s, a visible freeze in a UI) and interpreter exit
    takes ~15 s. ``gc.freeze()`` moves everything allocated so far into the
    permanent generation, which the collector skips. After a fresh build
    (``collect_first()`` true) the build's garbage is collected before freezing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if collect_first():
            gc.collect()
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _machine_lock(path: Path) -> Iterator[None]:
    """An exclusive lock across processes (POSIX ``flock``; no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = open(path, "a+b")  # closed in the finally below
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


def _import_deduce() -> Any:
    """Import deduce, undoing its ``logging.basicConfig(stream=sys.stdout)``."""
    if "deduce" in sys.modules:
        return sys.modules["deduce"]
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    import deduce

    if not handlers_before:  # basicConfig only acts on an unconfigured root logger
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.setLevel(level_before)
    return deduce


def _load_cached(deduce: Any, target: Path) -> Any | None:
    """Load deduce from an existing cache; None (and remove it) if it is broken."""
    try:
        return deduce.Deduce(cache_path=target)
    except Exception as exc:  # corrupt/incompatible pickle: rebuild
        log.warning("deduce cache in %s is unusable (%s); rebuilding", target, exc)
        with contextlib.suppress(OSError):
            (target / _CACHE_FILE).unlink()
        return None


def _build_fresh(deduce: Any, target: Path) -> Any:
    """Build the lookup tables in a temporary folder, then move the cache into place."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    except OSError:
        scratch = Path(tempfile.mkdtemp(prefix="workbench-deduce-"))
    try:
        engine = deduce.Deduce(cache_path=scratch, build_lookup_structs=True)
        built = scratch / _CACHE_FILE
        final = target / _CACHE_FILE
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(built, final)
            except OSError:  # other file system: copy next to it, then rename
                partial = final.with_suffix(".partial")
                shutil.copyfile(built, partial)
                os.replace(partial, final)
        except OSError as exc:
            log.warning("could not save the deduce cache to %s: %s", final, exc)
        return engine
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _load_or_build(deduce: Any, target: Path, start: float) -> tuple[Any, bool]:
    """Return (engine, built_fresh)."""
    if (target / _CACHE_FILE).exists():
        _set_state("loading")
        with _ticker("Loading cached deduce lookup tables", start):
            engine = _load_cached(deduce, target)
        if engine is not None:
            return engine, False

    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
    with _machine_lock(target / ".build.lock"):
        # Another process may have finished a build while we waited for the lock.
        if (target / _CACHE_FILE).exists():
            _set_state("loading")
            with _ticker("Loading cached deduce lookup tables", start):
                engine = _load_cached(deduce, target)
            if engine is not None:
                return engine, False
        _set_state("building")
        message = "Building deduce lookup tables (first run on this machine, about 2 minutes)"
        with _ticker(message, start):
            return _build_fresh(deduce, target), True


def _construct(root: str | Path | None) -> Any:
    global _load_seconds, _cache_dir_used
    start = time.monotonic()
    _notify("Loading deduce", 0.0)
    target = cache_dir(root)
    with _state_lock:
        _cache_dir_used = target
    built = False
    with _gc_paused(lambda: built):
        deduce = _import_deduce()
        engine, built = _load_or_build(deduce, target, start)
    with _state_lock:
        _load_seconds = time.monotonic() - start
    return engine


def get_deduce(cache_root: str | Path | None = None) -> Any:
    """Return the process-wide ``deduce.Deduce`` object, building it if needed.

    Blocks until deduce is ready (a few seconds with a cache, one to two
    minutes for the very first build on a machine). Thread-safe: concurrent
    callers wait for the one build. ``cache_root`` overrides the workbench
    cache root for the first build only (see :func:`cache_dir`).

    Raises:
        Exception: whatever deduce raised; the next call tries again.
    """
    global _deduce
    if _deduce is not None:
        return _deduce
    with _build_lock:
        if _deduce is not None:
            return _deduce
        try:
            engine = _construct(cache_root)
        except Exception as exc:
            _set_state("error", f"{type(exc).__name__}: {exc}")
            _notify(f"deduce failed to load: {exc}", None)
            raise
        _deduce = engine
        _set_state("ready")
    _notify(f"deduce ready ({_load_seconds or 0:.1f} s)", 1.0)
    return _deduce


def build_in_background(
    progress: ProgressCallback | None = None,
    *,
    cache_root: str | Path | None = None,
) -> threading.Thread:
    """Start loading deduce in a daemon thread and return that thread.

    ``progress(message, fraction)`` is called from background threads: with
    fraction 0.0 at the start, ``None`` about once a second while loading or
    building (the message carries the elapsed seconds) and 1.0 when ready. If
    a background build is already running, its thread is returned and
    ``progress`` is added to its listeners. If deduce is already loaded the
    returned thread reports "ready" and ends at once. Errors are recorded in
    :func:`engine_info` (``state == "error"``) instead of being raised.
    """
    global _thread
    with _state_lock:
        if progress is not None:
            _listeners.append(progress)
        if _thread is not None and _thread.is_alive():
            return _thread

        def run() -> None:
            try:
                if _deduce is not None:
                    _notify("deduce ready", 1.0)
                else:
                    get_deduce(cache_root)
            except Exception:
                log.exception("deduce failed to load")
            finally:
                with _state_lock:  # every listener was waiting for this build
                    _listeners.clear()

        _thread = threading.Thread(target=run, name="deduce-build", daemon=True)
        _thread.start()
        return _thread


def is_ready() -> bool:
    """True once deduce is loaded and :func:`deduce_flags` will not block."""
    return _deduce is not None


def is_first_name(word: str) -> bool | None:
    """Whether deduce's lookup tables know ``word`` as a first name (``Kevin``, ``Sanne``);
    ``None`` while deduce is not loaded (this never starts loading it)."""
    engine = _deduce
    if engine is None:
        return None
    try:
        trie = engine.lookup_structs["first_name"]
        return trie.longest_matching_prefix([word]) is not None
    except Exception:  # noqa: BLE001 - another deduce version without this table
        return None


def engine_info() -> dict[str, Any]:
    """Describe the deduce engine.

    Keys: ``name`` ("deduce"), ``version``, ``cache_path`` (folder passed to
    deduce), ``cache_file``, ``cached`` (the cache file exists), ``ready``,
    ``state`` (idle/loading/building/ready/error), ``error`` and
    ``load_seconds`` (how long loading took, once ready).
    """
    path = cache_dir()
    with _state_lock:
        return {
            "name": "deduce",
            "version": deduce_version(),
            "cache_path": str(path),
            "cache_file": str(path / _CACHE_FILE),
            "cached": (path / _CACHE_FILE).exists(),
            "ready": _deduce is not None,
            "state": _state,
            "error": _error,
            "load_seconds": _load_seconds,
        }


# ---------------------------------------------------------------------------
# Annotating
# ---------------------------------------------------------------------------


def map_tag(tag: str, text: str = "") -> str:
    """Map a deduce tag to a flag category.

    "locatie" becomes "address" when the annotated text contains a digit
    (street + house number, postcode, postbus) and "place" otherwise. Unknown
    tags are mapped by keyword; anything else becomes "entity".
    """
    lower = tag.lower()
    if lower == "locatie":
        return "address" if any(ch.isdigit() for ch in text) else "place"
    if lower in TAG_CATEGORIES:
        return TAG_CATEGORIES[lower]
    if any(key in lower for key in ("patient", "persoon", "naam", "initiaal")):
        return "person"
    if any(key in lower for key in ("straat", "huisnummer", "postcode")):
        return "address"
    if "locatie" in lower:
        return "place"
    if "instelling" in lower or "ziekenhuis" in lower:
        return "institution"
    return "entity"


@functools.cache
def hospital_words() -> frozenset[str] | None:
    """One word of each hospital deduce knows (its longest), lower case: deduce matches its
    hospital list in lower case ("in het amc"), so a sentence holding none of these words and
    no capital holds no hospital (see :mod:`workbench.audit.deduce_focus`). ``None`` when
    deduce's lists are not where deduce 3 keeps them (then deduce reads every sentence)."""
    return _read_hospital_words() or None


def _read_hospital_words() -> frozenset[str]:
    import unicodedata

    try:
        spec = importlib.util.find_spec("deduce")
    except (ImportError, ValueError):
        return frozenset()
    if spec is None or spec.origin is None:
        return frozenset()
    lists = Path(spec.origin).parent / "data" / "lookup" / "src" / "institutions"
    words: set[str] = set()
    for name in ("lst_hospital", "lst_hospital_abbr"):
        try:
            lines = (lists / name / "items.txt").read_text(encoding="utf-8").splitlines()
        except OSError:
            return frozenset()
        for line in lines:
            parts = [w for w in re.split(r"[^\w]+", line.casefold()) if w]
            if not parts:
                continue
            longest = max(parts, key=len)
            words.add(longest)
            folded = unicodedata.normalize("NFKD", longest)
            words.add("".join(ch for ch in folded if not unicodedata.combining(ch)))
    return frozenset(words)


def deduce_flags(text: str) -> list[Flag]:
    """Run deduce on ``text`` and return its findings as flags (source "deduce").

    deduce reads only the sentences that can hold something it finds
    (:func:`workbench.audit.deduce_focus.focus`): the same findings in a third of the time.
    Blocks while deduce is still loading (see :func:`build_in_background`).
    Offsets are Python string indices into ``text``; surrounding whitespace is
    trimmed from each span. Sorted by start.
    """
    if not text.strip():
        return []
    engine = get_deduce()
    lower_words = hospital_words()
    read = focus(text, lower_words) if lower_words is not None else None
    if read is not None and not read.spans:
        return []
    with _run_lock:
        doc = engine.deidentify(read.text if read else text, disabled={"redactor"})
    flags: list[Flag] = []
    for annotation in doc.annotations:
        start, end = annotation.start_char, annotation.end_char
        if read is not None:
            original = read.original(start, end)
            if original is None:
                continue  # across the join of two sentences that were apart
            start, end = original
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        span = text[start:end]
        flags.append(Flag(start, end, map_tag(annotation.tag, span), span, "deduce"))
    flags.sort(key=lambda f: (f.start, f.end))
    return flags
