"""Refusing quotes that show text the anonymity audit flagged and nobody has decided on yet.

Open flags are rows of ``audit_flags`` with ``decision = 'open'`` (through
``workbench.services.anonymity.audit.flagged_spans`` when the audit service provides it). A quote is
flagged when a source word it shows overlaps an open flag; words left out with ``[…]`` or
replaced by a ``[bracketed]`` insertion do not count, so eliding a name is a way to clear it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError


@dataclass(frozen=True)
class FlaggedQuote:
    quote_id: str
    transcript_id: str
    label: str
    category: str
    flagged_text: str
    start: int
    end: int

    def describe(self) -> str:
        who = self.quote_id or "candidate"
        return (f"{who} ({self.transcript_id}, {self.label}): '{self.flagged_text}' "
                f"[{self.category or 'flag'}, {self.start}:{self.end}]")


#: The visible mark of a quote exported with ``--allow-flagged`` that shows a flagged word.
FLAG_MARK = "[open anonimiteitsmelding]"


def describe_flags(items: Sequence[FlaggedQuote]) -> str:
    """``'Kanaleneiland' (place); 'Ilias' (person)``: what a flagged quote shows."""
    return "; ".join(f"'{i.flagged_text}' ({i.category or 'flag'})" for i in items)


def flag_records(items: Sequence[FlaggedQuote]) -> list[dict[str, Any]]:
    """The flags of a quote as plain records (JSON)."""
    return [{"text": i.flagged_text, "category": i.category, "start": i.start, "end": i.end}
            for i in items]


class FlaggedQuotesError(WorkbenchError):
    """Quotes overlap open anonymity flags; ``items`` lists them."""

    def __init__(self, items: Sequence[FlaggedQuote]):
        self.items = list(items)
        lines = "\n".join(f"  - {i.describe()}" for i in self.items)
        super().__init__(
            f"{len(self.items)} quote(s) show text with an open anonymity flag; resolve the flags "
            "(workbench audit), leave the words out with […], or pass --allow-flagged:\n" + lines
        )


def open_flags(db: sqlite_utils.Database, transcript_id: str) -> list[dict[str, Any]]:
    """Open flags of a transcript as dicts with start, end, category, text (by start)."""
    from workbench.services.anonymity.audit import flagged_spans

    return [{"start": f.start, "end": f.end, "category": f.category, "text": f.text}
            for f in flagged_spans(db, transcript_id)]


class FlagIndex:
    """Open flags per transcript, read once."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._cache: dict[str, list[dict[str, Any]]] = {}
        self._any = db.execute(
            "select 1 from audit_flags where coalesce(decision, 'open') = 'open' limit 1"
        ).fetchone() is not None

    def overlaps(self, quote_id: str, transcript: dict[str, Any], spans: Sequence[tuple[int, int]]) -> list[FlaggedQuote]:
        if not self._any:
            return []
        tid = transcript["id"]
        if tid not in self._cache:
            self._cache[tid] = open_flags(self.db, tid)
        hits = []
        for f in self._cache[tid]:
            if any(s < f["end"] and f["start"] < e for s, e in spans):
                text = f.get("text") or transcript["text"][f["start"]:f["end"]]
                hits.append(FlaggedQuote(quote_id, tid, transcript["label"], f.get("category") or "",
                                         text, f["start"], f["end"]))
        return hits


@dataclass(frozen=True)
class Written:
    """What an export wrote: the file, how many quotes, how many of them show a word with an
    open anonymity flag (each marked :data:`FLAG_MARK`; only with ``allow_flagged``), and
    those flags."""

    path: Path
    quotes: int
    flagged_quotes: int
    flagged: list[FlaggedQuote]
    held_back: list[FlaggedQuote] = field(default_factory=list)

    def summary(self) -> str:
        note = (f"; {self.flagged_quotes} of them show words with an open anonymity flag, "
                f"each marked {FLAG_MARK}" if self.flagged_quotes else "")
        text = f"wrote {self.path} ({self.quotes} quote(s){note})"
        if self.held_back:
            quotes = sorted({i.quote_id for i in self.held_back})
            text += (f"\nheld back {len(quotes)} quote(s) that show words with an open anonymity "
                     "flag (decide them with 'workbench audit', or leave the words out with […]):"
                     + "".join(f"\n  - {i.describe()}" for i in self.held_back))
        return text
