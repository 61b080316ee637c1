"""The anonymity audit's deny list: the team's own local names that are always flagged.

Deduce and the detectors know towns, common names and the shapes of numbers; they cannot know
the neighbourhoods, schools and employers of the municipalities a study visited. A team writes
those down (table ``deny_list``: term, category, who, when) and every audit flags each
occurrence of them (source ``list``), whatever the allow list or the detectors say.

Terms come one by one (:func:`deny_add`) or from a plain text file, one per line
(:func:`deny_import`)::

    # lokale namen van de gemeenten in dit onderzoek
    Kanaleneiland
    wijk: Hoograven
    school: Het Zadkine
    werkgever: Snackbar De Gouden Draak

A line may start with a category (``wijk:``, ``plaats:``, ``school:``, ``instelling:``,
``organisatie:``, ``naam:`` …, see :func:`workbench.audit.categories.category_key`); without
one the term is flagged as ``listed`` ("eigen lijst"). A file is taken whole or not at all: a
bad line is reported with the file and line number and nothing of the file is stored. Every
change is recorded (``undo`` reverts it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.audit.categories import LABELS, category_key
from workbench.audit.categories import label as category_label
from workbench.clock import now_iso
from workbench.errors import NotFoundError, WorkbenchError
from workbench.files import read_text_file
from workbench.store.changes import record

__all__ = ["DenyImport", "deny_add", "deny_import", "deny_remove", "deny_terms", "list_deny",
           "parse_deny_file"]

#: The most terms one deny-list file may hold (a list of local names, not a dictionary).
MAX_TERMS = 20_000
TERM_LIMIT = 200


@dataclass
class DenyImport:
    """What :func:`deny_import` did: terms added, terms whose category changed, terms that were
    already on the list as they are."""

    path: Path
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} with a new category, "
                f"{len(self.unchanged)} already on the list")


def _clean_term(term: str) -> str:
    from workbench.textsafety import check_name

    return check_name(term or "", what="deny-list term", limit=TERM_LIMIT)


def _category(word: str | None) -> str:
    if word is None or not word.strip():
        return "listed"
    key = category_key(word)
    if key is None:
        known = ", ".join(sorted({v for v in LABELS.values() if v != LABELS["entity"]}))
        raise WorkbenchError(f"unknown category '{word.strip()}'; use one of: {known} "
                             "(or wijk, organisatie, werkgever)")
    return key


def deny_terms(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """The deny list as ``(term, category)`` pairs, for the audit engine."""
    if not db.table("deny_list").exists():
        return []
    return [(r[0], r[1]) for r in db.execute(
        "select term, category from deny_list order by term collate nocase")]


def list_deny(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The deny list with each term's category (key and readable label), who and when."""
    rows = list(db.query("select term, category, added_by, added_at from deny_list "
                         "order by term collate nocase"))
    for r in rows:
        r["category_label"] = category_label(r["category"])
    return rows


def _existing(db: sqlite_utils.Database, term: str) -> dict[str, Any] | None:
    row = db.execute("select term from deny_list where lower(term) = lower(?)", [term]).fetchone()
    return db.table("deny_list").get(row[0]) if row else None


def deny_add(db: sqlite_utils.Database, coder: str, term: str, category: str | None = None) -> dict[str, Any]:
    """Put ``term`` on the deny list (as ``category``; default ``listed``). A term already on
    it gets the new category when one is given."""
    term = _clean_term(term)
    key = _category(category)
    old = _existing(db, term)
    if old is not None:
        if category is None or old["category"] == key:
            return old
        with record(db, coder, "deny.edit",
                    f"flag '{old['term']}' as {category_label(key)} in the anonymity audit") as cs:
            return cs.update("deny_list", old["term"], {"category": key})
    with record(db, coder, "deny.add", f"always flag '{term}' in the anonymity audit") as cs:
        return cs.insert("deny_list", {"term": term, "category": key, "added_by": coder,
                                       "added_at": now_iso()})


def deny_remove(db: sqlite_utils.Database, coder: str, term: str) -> dict[str, Any]:
    """Take ``term`` off the deny list (its open flags go at the next audit unless a detector
    finds them too)."""
    term = _clean_term(term)
    old = _existing(db, term)
    if old is None:
        raise NotFoundError(f"'{term}' is not on the deny list (see 'workbench deny list')")
    with record(db, coder, "deny.remove", f"no longer always flag '{old['term']}'") as cs:
        return cs.delete("deny_list", old["term"])


def parse_deny_file(path: Path | str) -> list[tuple[int, str, str]]:
    """``(line, term, category)`` for each term of a deny-list file; a bad line raises a
    :class:`WorkbenchError` naming the file and line."""

    path = Path(path)
    text = read_text_file(path, limit=4_000_000)
    out: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, sep, rest = line.partition(":")
        category: str | None = None
        if sep and category_key(word) is not None:
            category, line = word, rest.strip()
        try:
            term = _clean_term(line)
            key = _category(category)
        except WorkbenchError as exc:
            raise WorkbenchError(exc.message, path=path, line=number) from exc
        folded = term.casefold()
        if folded in seen:
            continue  # the same term twice: the first line counts
        seen[folded] = number
        out.append((number, term, key))
        if len(out) > MAX_TERMS:
            raise WorkbenchError(f"more than {MAX_TERMS:,} terms; a deny list names local places "
                                 "and organisations, not a dictionary", path=path, line=number)
    return out


def deny_import(db: sqlite_utils.Database, coder: str, path: Path | str) -> DenyImport:
    """Add every term of a deny-list file (see the module docstring) in one recorded change;
    a term already on the list takes the file's category when the line gives one."""
    path = Path(path)
    entries = parse_deny_file(path)
    report = DenyImport(path=path)
    if not entries:
        return report
    with record(db, coder, "deny.import", f"always flag the terms of {path.name}") as cs:
        for _line, term, key in entries:
            old = _existing(db, term)
            if old is None:
                cs.insert("deny_list", {"term": term, "category": key, "added_by": coder,
                                        "added_at": now_iso()})
                report.added.append(term)
            elif key != "listed" and old["category"] != key:
                cs.update("deny_list", old["term"], {"category": key})
                report.changed.append(old["term"])
            else:
                report.unchanged.append(old["term"])
    return report
