"""The team: who codes in the project, and the Braun & Clarke phase the team says it is in.

Reads the database and returns plain values; the one write of its own is the team's current
phase (a project setting).
"""

from __future__ import annotations

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
ALL_CODERS = None  # the view of every coder's codings together


def coders(db: sqlite_utils.Database) -> list[str]:
    """Everyone who coded something or changed the project, in name order (a trigger puts
    every coder of a coding in ``coders``: schema migration 15)."""
    names = {r[0] for r in db.execute("select name from coders").fetchall()}
    return sorted(names, key=str.lower)


def whose(coder: str | None) -> str:
    """Whose codings a view shows, in words: "anna's codings", "consensus codings" or "all
    coders' codings"."""
    if coder is None:
        return "all coders' codings"
    if coder == "consensus":
        return "consensus codings"
    return f"{coder}'s codings"


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
