"""Respondent labels as Dutch reports write them.

The label is the role with a capital first letter. Where two or more interviews share a role,
letters A, B, C … are added in order of interview date, then id (``Jongerenwerker A``); a role
held once has no letter (``Wijkcoach``). A label set by hand is never changed; with labels
frozen, existing labels stay as they are and new interviews take the next free letter.
:func:`apply_labels` reports every label it changed, so that an import can say which existing
labels moved (``Jongerenwerker`` → ``Jongerenwerker A``).
"""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from workbench.store.changes import ChangeSet

FROZEN_KEY = "labels_frozen"


def role_title(role: str) -> str:
    role = " ".join(role.split())
    return role[:1].upper() + role[1:] if role else "Respondent"


def _group(role: str | None) -> str:
    """The roles that share letters: the same title, whatever the case."""
    return role_title(role or "").lower()


def letter(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = string.ascii_uppercase[rem] + out
    return out


def compute_labels(rows: list[dict[str, Any]], *, frozen: bool) -> dict[str, str]:
    """New labels for transcript rows (``id``, ``role``, ``date``, ``label``, ``label_manual``,
    ``labelled``: whether the row already had a label before this computation)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[_group(row["role"])].append(row)
    labels: dict[str, str] = {}
    for members in groups.values():
        members.sort(key=lambda r: (r["date"] or "9999", r["id"]))
        title = role_title(members[0]["role"])
        fixed = {
            r["id"]: r["label"]
            for r in members
            if r["label_manual"] or (frozen and r["labelled"] and r["label"])
        }
        labels.update(fixed)
        free = [r for r in members if r["id"] not in fixed]
        if len(members) == 1 and free:
            labels[free[0]["id"]] = title
            continue
        used = set(fixed.values())
        if title in used:  # a label kept without a letter stands for the first one
            used.add(f"{title} A")
        n = 0
        for r in free:
            while f"{title} {letter(n)}" in used:
                n += 1
            labels[r["id"]] = f"{title} {letter(n)}"
            used.add(labels[r["id"]])
    return labels


@dataclass(frozen=True)
class LabelChange:
    """An existing label that changed (``old`` is empty for a transcript new in the project)."""

    transcript_id: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.transcript_id}: {self.old} → {self.new}" if self.old else f"{self.transcript_id}: {self.new}"


def apply_labels(
    db: sqlite_utils.Database, *, new_ids: set[str] | None = None, changes: ChangeSet | None = None,
    roles: set[str] | None = None,
) -> list[LabelChange]:
    """Recompute labels in the database and return every label that changed. With ``changes``
    (a recorded change set) the updates are part of that change, so undo restores them. With
    ``roles``, only the labels of those roles (the others cannot have changed: an import of
    one interview after another recomputes its own role, not the whole project)."""
    frozen = _is_frozen(db)
    keys = None if roles is None else {_group(r) for r in roles}
    rows = [
        {"id": tid, "role": role, "date": date, "label": label, "label_manual": manual,
         "labelled": not (new_ids and tid in new_ids)}
        for tid, role, date, label, manual in db.execute(
            "select id, role, date, label, label_manual from transcripts order by id")
        if keys is None or _group(role) in keys
    ]
    labels = compute_labels(rows, frozen=frozen)
    changed: list[LabelChange] = []
    for r in rows:
        if labels[r["id"]] != r["label"]:
            if changes is not None:
                changes.update("transcripts", r["id"], {"label": labels[r["id"]]})
            else:  # plain SQL: sqlite-utils' update reads the table's keys each time
                db.execute("update transcripts set label = ? where id = ?", [labels[r["id"]], r["id"]])
            changed.append(LabelChange(r["id"], r["label"] or "", labels[r["id"]]))
    return changed


def relabel(db: sqlite_utils.Database, *, new_ids: set[str] | None = None) -> dict[str, str]:
    """Recompute labels in the database; returns the labels that changed (id -> new label)."""
    return {c.transcript_id: c.new for c in apply_labels(db, new_ids=new_ids)}


def describe_changes(changes: list[LabelChange]) -> str:
    """One line for the import output: which existing labels changed, and how to prevent it."""
    listed = ", ".join(str(c) for c in changes)
    return (f"label(s) changed: {listed} (quotes and exports use the new labels; "
            "'workbench label --freeze' keeps labels as they are from now on)")


def _is_frozen(db: sqlite_utils.Database) -> bool:
    row = db.execute("select value from meta where key = ?", [FROZEN_KEY]).fetchone()
    return bool(row and row[0] == "1")
