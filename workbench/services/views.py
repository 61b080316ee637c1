"""Read-only views the terminal workbench needs that the other services do not offer.

Everything here reads the database and returns plain rows; nothing imports Textual. The one
write of its own is the team's current Braun & Clarke phase (a project setting).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from workbench.errors import WorkbenchError

PHASES = {
    1: "Familiarising",
    2: "Generating codes",
    3: "Searching for themes",
    4: "Reviewing themes",
    5: "Defining themes",
    6: "Producing the report",
}
PHASE_KEY = "phase"


# -- coders and phase ------------------------------------------------------------------------

def coders(db: sqlite_utils.Database) -> list[str]:
    """Everyone who coded something or changed the project, in name order."""
    names = {r[0] for r in db.execute("select name from coders").fetchall()}
    names |= {r[0] for r in db.execute("select distinct coder from codings").fetchall()}
    return sorted(names, key=str.lower)


def current_phase(db: sqlite_utils.Database) -> tuple[int, str]:
    """The Braun & Clarke phase: the one set by the team, else a guess from the data."""
    row = db.execute("select value from meta where key = ?", [PHASE_KEY]).fetchone()
    if row and str(row[0]).isdigit() and int(row[0]) in PHASES:
        n = int(row[0])
        return n, PHASES[n]
    if db.execute("select 1 from codings limit 1").fetchone() is None:
        n = 1
    elif db.execute("select 1 from quotes limit 1").fetchone() is not None:
        n = 4
    elif db.execute(
        "select 1 from codes where kind = 'code' and parent_id is not null limit 1"
    ).fetchone() is not None:
        n = 3
    else:
        n = 2
    return n, PHASES[n]


def set_phase(db: sqlite_utils.Database, phase: int) -> tuple[int, str]:
    if phase not in PHASES:
        raise WorkbenchError(f"the phase is a number from 1 to 6, not {phase}")
    with db.atomic():
        db.table("meta").upsert({"key": PHASE_KEY, "value": str(phase)}, pk="key")
    return phase, PHASES[phase]


# -- transcripts -----------------------------------------------------------------------------

def coding_progress(
    db: sqlite_utils.Database, coder_names: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """For each transcript and coder: the share of sentences touched by that coder's codings."""
    names = list(coder_names) if coder_names is not None else coders(db)
    if not names:
        return {}
    sentences: dict[str, tuple[list[int], list[int]]] = {}
    for tid, start, end in db.execute(
        "select transcript_id, start, end from sentences order by transcript_id, idx"
    ):
        starts, ends = sentences.setdefault(tid, ([], []))
        starts.append(start)
        ends.append(end)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    marks = ",".join("?" * len(names))
    for tid, coder, start, end in db.execute(
        f"select transcript_id, coder, start, end from codings where coder in ({marks})", names
    ):
        spans[(tid, coder)].append((start, end))
    out: dict[str, dict[str, float]] = {}
    for tid, (starts, ends) in sentences.items():
        row: dict[str, float] = {}
        for coder in names:
            covered = covered_sentences(starts, ends, spans.get((tid, coder), []))
            row[coder] = covered / len(starts) if starts else 0.0
        out[tid] = row
    return out


def covered_sentences(starts: list[int], ends: list[int], spans: list[tuple[int, int]]) -> int:
    """How many sentences (sorted, non-overlapping) overlap at least one span."""
    hit: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(ends, start)  # first sentence ending after start
        last = bisect.bisect_left(starts, end)  # first sentence starting at/after end
        hit.update(range(first, last))
    return len(hit)


def transcript_codings(
    db: sqlite_utils.Database, tid: str, coder_names: Iterable[str]
) -> list[dict]:
    """The codings of some coders in one transcript, with code name and colour, by start."""
    names = list(coder_names)
    if not names:
        return []
    marks = ",".join("?" * len(names))
    return list(db.query(
        "select x.id, x.code_id, c.name, c.colour, x.coder, x.start, x.end, x.memo, x.flag "
        "from codings x join codes c on c.id = x.code_id "
        f"where x.transcript_id = ? and x.coder in ({marks}) order by x.start, x.end",
        [tid, *names],
    ))


def recent_code_ids(db: sqlite_utils.Database, coder: str, limit: int = 10) -> list[str]:
    """The codes this coder applied most recently, newest first."""
    return [r[0] for r in db.execute(
        "select code_id from codings where coder = ? group by code_id "
        "order by max(created_at) desc, max(rowid) desc limit ?",
        [coder, limit],
    ).fetchall()]


# -- codebook ---------------------------------------------------------------------------------

ALL_CODERS = None  # the view of every coder's codings together


def whose(coder: str | None) -> str:
    """Whose codings a view shows, in words: "anna's codings", "consensus codings" or "all
    coders' codings"."""
    if coder is None:
        return "all coders' codings"
    if coder == "consensus":
        return "consensus codings"
    return f"{coder}'s codings"


@dataclass
class _Tally:
    """Codings of a code (or a theme with everything under it) and where they are."""

    codings: int = 0
    tids: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)


def codebook_tree(db: sqlite_utils.Database, coder: str | None = ALL_CODERS) -> list[dict]:
    """The codebook in tree order with counts, like ``codebook.list_codebook`` but from one
    pass over the codings (a theme counts the codings of its codes and sub-themes' codes).
    The counts are ``coder``'s codings, or every coder's with :data:`ALL_CODERS`."""
    rows = list(db.query("select * from codes order by position, name"))
    per_code: dict[str, _Tally] = {}
    # Labels separately: joining transcripts per coding would read each row's long text
    # (label sits after it in the row), which is slow at tens of thousands of codings.
    label_of = dict(db.execute("select id, label from transcripts").fetchall())
    only = " where coder = ?" if coder is not None else ""
    for code_id, tid, n in db.execute(
        f"select code_id, transcript_id, count(*) from codings not indexed{only} "
        "group by code_id, transcript_id", [coder] if coder is not None else []
    ):
        entry = per_code.setdefault(code_id, _Tally())
        entry.codings += n
        entry.tids.add(tid)
        entry.labels.add(label_of.get(tid, tid))
    children: dict[str | None, list[dict]] = defaultdict(list)
    for r in rows:
        children[r["parent_id"]].append(r)

    def totals(row: dict) -> _Tally:
        own = per_code.get(row["id"]) or _Tally()
        total = _Tally(own.codings, set(own.tids), set(own.labels))
        for child in children.get(row["id"], []):
            sub = totals(child)
            total.codings += sub.codings
            total.tids |= sub.tids
            total.labels |= sub.labels
        return total

    out: list[dict] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in children.get(parent, []):
            tally = totals(r)
            out.append({**r, "depth": depth, "codings": tally.codings,
                        "transcripts": len(tally.tids), "respondents": len(tally.labels)})
            walk(r["id"], depth + 1)

    walk(None, 0)
    return out


# -- theme review ----------------------------------------------------------------------------

def coverage(rows: Iterable[dict]) -> dict[str, int]:
    """Codings, interviews and respondents covered by a list of coding rows."""
    rows = list(rows)
    return {
        "codings": len(rows),
        "interviews": len({r["transcript_id"] for r in rows}),
        "respondents": len({r["label"] for r in rows}),
    }


def starred_coding_ids(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("select coding_id from quotes").fetchall()}


def star(db: sqlite_utils.Database, coder: str, coding_id: str) -> dict:
    """Star a coding as a quote for the report (through the quotes service)."""
    from workbench.services import quotes

    return quotes.star(db, coder, coding_id)


def unstar(db: sqlite_utils.Database, coder: str, coding_id: str) -> None:
    """Remove every quote made from this coding."""
    from workbench.services import quotes

    quotes.unstar(db, coder, coding_id)


# -- search ----------------------------------------------------------------------------------

SEARCH_MODES = ("word", "lemma", "fuzzy")


def search(db: sqlite_utils.Database, query: str, *, mode: str = "word",
           limit: int = 200) -> list[dict]:
    """Hits of the search service as dicts: ``transcript_id``, ``label``, ``start``, ``end``
    (the matched words), ``text`` (the sentence) and ``context``."""
    from workbench.services import search as search_service

    if not query.strip():
        return []
    return [normalise_hit(h) for h in search_service.search(db, query, mode=mode, limit=limit)]


def normalise_hit(hit: object) -> dict:
    """A search hit as a dict, whatever shape (dataclass, row, dict) it comes in."""
    if isinstance(hit, dict):
        d = dict(hit)
    elif hasattr(hit, "__dataclass_fields__"):
        d = {k: getattr(hit, k) for k in hit.__dataclass_fields__}
    else:
        d = dict(vars(hit))
    d.setdefault("context", d.get("text", ""))
    d.setdefault("text", d.get("context", ""))
    d.setdefault("label", d.get("transcript_id", ""))
    return d
