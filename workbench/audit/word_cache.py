"""The audit's word lists, kept on disk between runs so that a fresh audit need not rebuild
them from spaCy's lookup data.

spaCy's Dutch lookup table and its Dutch and English lemma indexes (``spacy-lookups-data``)
are large JSON files: reading them and deriving the sets the common-word filter asks
(:mod:`workbench.audit.common_words`) takes over a second, in every new process. The derived
sets and table are pickled once per machine in the workbench's cache folder
(``$WORKBENCH_CACHE_DIR/words``, beside deduce's tables), keyed by the versions of spaCy and
its lookup data, and read back in a tenth of that. The file is written to a temporary name
and moved into place, so a killed run never leaves half of one; an unreadable or foreign file
is ignored and built again.
"""

from __future__ import annotations

import importlib.metadata
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from workbench.cachedir import cache_root

__all__ = ["cache_root", "cached"]

T = TypeVar("T")


def _versions() -> str:
    parts = []
    for package in ("spacy", "spacy-lookups-data"):
        try:
            parts.append(f"{package}-{importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package}-none")
    return "_".join(parts)


def cached(name: str, build: Callable[[], T], *, kind: type[T]) -> T:
    """What ``build()`` returns, read from the cache when an earlier run stored it (for the
    same spaCy and lookup-data versions), else built and stored. ``kind`` is the type the
    value has; a cached file holding anything else is built again."""
    path = cache_root() / "words" / f"{name}-{_versions()}.pickle"
    try:
        with path.open("rb") as handle:
            stored: object = pickle.load(handle)  # noqa: S301 - a file this module wrote
        if isinstance(stored, kind):
            return stored
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        pass  # not there yet, or unreadable: build it
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next run builds it again
    return value
