"""Lemmas of Dutch words without loading spaCy: spaCy's own Dutch lookup table, read directly.

spaCy's rule-based Dutch pipeline lemmatises a word by looking its lower-case form up in the
``nl_lemma_lookup`` table of ``spacy-lookups-data`` (``DutchLemmatizer.lookup_lemmatize``): one
lemma per form, whatever the context. Loading spaCy to ask that costs over a second per process
and reading the JSON a quarter of one; so the table is copied once per machine into a small
SQLite file in the workbench's cache folder (``$WORKBENCH_CACHE_DIR/lemmas``, named by the
version of ``spacy-lookups-data``), written to a temporary name and moved into place, and
looked up from there a word at a time.

Without ``spacy-lookups-data`` the pipeline has no lemmatizer and a word's lemma is the word in
lower case; :func:`lemmas` answers the same then.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.cachedir import cache_root

LANG = "nl"


def clean_lemma(lemma: str, form: str) -> str:
    """A lemma as the workbench stores it: lower case, spaces as ``_``, never empty (the form in
    lower case when the lemma is empty)."""
    low = "_".join((lemma or form).lower().split())
    return low or form.lower()


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    for name in (f"{LANG}_lemma_lookup.json.gz", f"{LANG}_lemma_lookup.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def _version() -> str:
    try:
        return importlib.metadata.version("spacy-lookups-data")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def table_path() -> Path:
    """Where the copied table lives (it may not exist yet)."""
    return cache_root() / "lemmas" / f"{LANG}-lemma-lookup-{_version()}.sqlite"


def _read_data(source: Path) -> dict[str, str]:
    raw = source.read_bytes()
    if source.suffix == ".gz":
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"))
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def build(progress: Callable[[str], None] | None = None) -> Path | None:
    """Copy the lookup table into the cache (again, if it is there); None without the data."""
    source = _data_file()
    if source is None:
        return None
    if progress:
        progress("reading spaCy's Dutch lemma table")
    entries = _read_data(source)
    path = table_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".lemmas-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("create table lemmas (form text primary key, lemma text not null) without rowid")
            con.executemany("insert or replace into lemmas values (?, ?)", entries.items())
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def ensure_table(progress: Callable[[str], None] | None = None) -> Path | None:
    """The copied table, built first when it is missing or unreadable; None without the data
    (or when the cache folder cannot be written)."""
    path = table_path()
    if path.is_file() and _readable(path):
        return path
    try:
        return build(progress)
    except OSError:
        return None


def _readable(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("select 1 from lemmas limit 1").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def lemmas(words: Iterable[str]) -> dict[str, str]:
    """Each word's lemma as the rule-based pipeline gives it (:func:`clean_lemma` applied)."""
    words = list(dict.fromkeys(words))
    found: dict[str, str] = {}
    path = ensure_table() if _data_file() is not None else None
    if path is not None and words:
        keys = sorted({w.lower() for w in words})
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                for first in range(0, len(keys), 500):
                    chunk = keys[first : first + 500]
                    marks = ", ".join("?" for _ in chunk)
                    found.update(con.execute(f"select form, lemma from lemmas where form in ({marks})", chunk))
            finally:
                con.close()
        except sqlite3.Error:
            found = {}
    return {w: clean_lemma(found.get(w.lower(), w.lower()), w) for w in words}
