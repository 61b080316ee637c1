"""Syncing the codebook with a shared file: a three-way merge that never overwrites local work
silently, and writing the shared ``codebooks/codebook.yaml``.

The entries come from a codebook file (:mod:`workbench.formats.codebook_file`: the
format-neutral :class:`~workbench.formats.codebook_file.CodeEntry`, the YAML form) or a REFI-QDA
``.qdc`` (:mod:`workbench.services.exchange.codebook`); :func:`plan_sync` / :func:`apply_sync`
take them.

The merge is three-way. At every sync (an export, or an import that went through) each code's
entry is remembered in ``codebook_sync_base`` (a JSON snapshot; it plays the role of a "last
synced" hash but also says which field changed). On import, for each code:

- changed only in the file -> taken; changed only here -> kept; changed on both sides to
  different values (or different and never synced) -> a **conflict**;
- new in the file -> added (a local code with the same name but another id is a conflict);
- gone from the file -> removed, unless it has codings here or was changed here (a conflict);
- deleted here but changed in the file -> a conflict.

Only a file of this codebook's lineage (the YAML, a ``.qdc`` exported from here) removes codes.
Another project's codebook (a ``.qdpx`` archive, a foreign ``.qdc``) is imported with
``foreign=True``: codes it lacks are kept, its codes match local ones by name when their ids
are unknown here, and it does not become the merge base.

With ``strategy="fail"`` every conflict is listed and **nothing** changes. ``"theirs"``
resolves each conflict the file's way (a removed code that has codings is deleted with them, a
local code with the file's name is merged into the file's code); ``"ours"`` keeps the local
side. An import is one recorded change (undoable), the sync state included.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import ConflictError, WorkbenchError
from workbench.files import read_input_text
from workbench.formats.codebook_file import (
    NEW_PREFIX,
    TEXT_FIELDS,
    CodeEntry,
    read_yaml,
    sorted_themes,
    to_yaml_text,
    validate_entries,
)
from workbench.store.changes import ChangeSet, record
from workbench.textsafety import name_key

# The fields compared in a merge; position is merged too but never reported as a conflict.
COMPARED = ("kind", "name", "parent_id", *TEXT_FIELDS, "survey_themes")
STRATEGIES = ("fail", "theirs", "ours")


@dataclass
class Conflict:
    """A code changed on both sides (or deleted on one and used or changed on the other)."""

    id: str
    name: str
    kind: str  # both_changed | never_synced | deleted_here | deleted_there | name_clash
    reason: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (ours, theirs)
    local_id: str | None = None


@dataclass
class SyncPlan:
    """What an import would do; ``conflicts`` must be empty (or resolved) to apply it."""

    adds: list[CodeEntry] = field(default_factory=list)
    updates: list[tuple[str, str, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    removals: list[dict[str, Any]] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (local id, file id)
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strategy: str = "fail"
    foreign: bool = False  # another project's codebook: nothing removed, the base not moved
    kept: list[str] = field(default_factory=list)  # local ids not in a foreign file, kept
    # internal: the final state by id (None: deleted) and the base to record
    final: dict[str, dict[str, Any] | None] = field(default_factory=dict[str, Any], repr=False)
    theirs: dict[str, dict[str, Any]] = field(default_factory=dict[str, Any], repr=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.adds or self.updates or self.removals or self.merges)

    def describe(self) -> list[str]:
        """One line per planned change and conflict, for the CLI and the UI."""
        lines = [f"add {e.kind} '{e.name}' ({e.id})" for e in self.adds]
        for _cid, name, changes in self.updates:
            parts = ", ".join(f"{f}: {_short(a)} -> {_short(b)}" for f, (a, b) in changes.items())
            lines.append(f"update '{name}': {parts}")
        for r in self.removals:
            extra = f" and its {r['codings']} coding(s)" if r.get("codings") else ""
            lines.append(f"remove {r['kind']} '{r['name']}' ({r['id']}){extra}")
        for local_id, file_id in self.merges:
            lines.append(f"merge local {local_id} into {file_id} (same name)")
        for c in self.conflicts:
            lines.append(f"CONFLICT {c.reason}")
        lines += [f"warning: {w}" for w in self.warnings]
        return lines


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    merged: int = 0
    removed_codings: int = 0
    kept: int = 0  # local codes not in a foreign file, kept
    resolved: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.merged)


def _short(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the database side ----------------------------------------------------------------------

def entries_from_db(db: sqlite_utils.Database) -> list[CodeEntry]:
    """The codebook in the database as entries, in order; positions are ranks among siblings
    of the same kind (themes, sub-themes, codes)."""
    links: dict[str, list[str]] = {}
    for r in db.query("select code_id, survey_theme_id from survey_links"):
        links.setdefault(r["code_id"], []).append(str(r["survey_theme_id"]))
    rows = [*db.query("select * from codes order by position, name, id")]
    rank: dict[tuple[Any, ...], int] = {}
    out = []
    for r in rows:
        key = (r["parent_id"], r["kind"])
        rank[key] = rank.get(key, -1) + 1
        out.append(CodeEntry(
            id=r["id"], kind=r["kind"], name=r["name"], parent_id=r["parent_id"],
            position=rank[key], **{f: r[f] or "" for f in TEXT_FIELDS},
            survey_themes=sorted_themes(links.get(r["id"], [])),
        ))
    return _ordered(out)


def _ordered(entries: list[CodeEntry]) -> list[CodeEntry]:
    """Entries depth-first: each theme, then its codes, then its sub-themes (with theirs)."""
    by_parent: dict[str | None, list[CodeEntry]] = {}
    ids = {e.id for e in entries}
    for e in entries:
        by_parent.setdefault(e.parent_id if e.parent_id in ids else None, []).append(e)
    out: list[CodeEntry] = []

    def walk(parent: str | None) -> None:
        kids = sorted(by_parent.get(parent, []), key=lambda e: (e.kind != "code", e.position))
        if parent is None:
            kids = sorted(kids, key=lambda e: (e.kind != "theme", e.position))
        for e in kids:
            out.append(e)
            walk(e.id)

    walk(None)
    return out


def _base(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    return {r["code_id"]: json.loads(r["snapshot"]) for r in db.query("select * from codebook_sync_base")}


def _codings_count(db: sqlite_utils.Database, code_id: str) -> int:
    return int(db.execute("select count(*) from codings where code_id = ?", [code_id]).fetchone()[0])


def _resolve_new_ids(db: sqlite_utils.Database, entries: list[CodeEntry]) -> None:
    """Entries without an id take the id of the local code of that name, or a fresh one."""
    from workbench.services.codebook.codes import new_id

    mapping: dict[str, str] = {}
    for e in entries:
        if e.id.startswith(NEW_PREFIX):
            row = db.execute(
                "select id from codes where kind = ? and name_key = ?", [e.kind, name_key(e.name)]
            ).fetchone()
            mapping[e.id] = row[0] if row else new_id(e.kind)
            e.id = mapping[e.id]
    for e in entries:
        if e.parent_id in mapping:
            e.parent_id = mapping[e.parent_id]


# -- planning -----------------------------------------------------------------------------------

def plan_sync(
    db: sqlite_utils.Database, entries: list[CodeEntry], strategy: str = "fail",
    *, foreign: bool | None = None,
) -> SyncPlan:
    """What importing ``entries`` would change, and every conflict with local changes.

    With ``strategy`` "theirs" or "ours" the plan shows the conflicts resolved that way (they
    are still listed in ``conflicts``); nothing is written.

    ``foreign``: the entries are another project's codebook (a ``.qdpx``, a ``.qdc`` not
    exported from here), not an edited copy of ours: codes missing from it are kept, never
    removed; a file code whose id is unknown here is the local code of the same kind and name
    (compared without a base: every difference is a conflict); the sync base is not moved.
    ``None``: the ``foreign`` attribute of ``entries`` (set by the ``.qdc`` reader), else no.
    """
    if strategy not in STRATEGIES:
        raise WorkbenchError(f"strategy must be one of {', '.join(STRATEGIES)}")
    if foreign is None:
        foreign = bool(getattr(entries, "foreign", False))
    entries = validate_entries([CodeEntry(**asdict(e)) for e in entries])
    _resolve_new_ids(db, entries)
    local = {e.id: e.snapshot() for e in entries_from_db(db)}
    base = _base(db)
    unbased: set[str] = _match_by_name(entries, local, base) if foreign else set()
    theirs = {e.id: e.snapshot() for e in entries}
    merge = _ThreeWay(db, SyncPlan(strategy=strategy, theirs=theirs, foreign=foreign), local, theirs)
    for cid in [*theirs, *[k for k in local if k not in theirs]]:
        t, loc, b = theirs.get(cid), local.get(cid), None if cid in unbased else base.get(cid)
        if t is not None and loc is not None:
            merge.on_both_sides(cid, loc, t, b)
        elif t is not None:
            merge.only_in_file(cid, t, b)
        elif loc is not None:
            merge.only_here(cid, loc, b)
    merge.lift_orphans()
    plan = merge.plan
    _check_final_names(merge.final, plan)
    plan.final = merge.final
    if plan.kept:
        plan.warnings.append(
            f"{len(plan.kept)} local code(s) and theme(s) not in the file are kept: it is another "
            "project's codebook, not a copy of this one (only a codebook exported from here removes codes)"
        )
    merge.list_changes({e.id: e for e in entries})
    return plan


class _ThreeWay:
    """The three-way merge of one code or theme at a time (local, the file's, the base of the
    last sync) into ``final`` (id -> snapshot, None for removed), with the conflicts in
    ``plan``; a conflict is resolved the file's way only with the strategy "theirs"."""

    def __init__(self, db: sqlite_utils.Database, plan: SyncPlan, local: dict[str, dict[str, Any]],
                 theirs: dict[str, dict[str, Any]]) -> None:
        self.db, self.plan, self.local, self.theirs = db, plan, local, theirs
        self.final: dict[str, dict[str, Any] | None] = {k: dict(v) for k, v in local.items()}
        self.take_theirs = plan.strategy == "theirs"
        self.local_by_name = {(v["kind"], name_key(v["name"])): k for k, v in local.items()}

    def on_both_sides(self, cid: str, loc: dict[str, Any], t: dict[str, Any],
                      b: dict[str, Any] | None) -> None:
        """Field by field: a change on one side wins; the same field changed on both is a
        conflict."""
        merged, conflict_fields = _merge_fields(loc, t, b, self.take_theirs)
        self.final[cid] = merged
        if conflict_fields:
            self.plan.conflicts.append(_field_conflict(cid, loc, t, b, conflict_fields))
        if merged.get("kind") != loc["kind"]:
            raise WorkbenchError(
                f"'{loc['name']}' ({cid}) is a {loc['kind']} here and a {t['kind']} in the "
                "file; a code cannot become a theme: give one of them another id"
            )

    def only_in_file(self, cid: str, t: dict[str, Any], b: dict[str, Any] | None) -> None:
        """New in the file, or deleted here since the last sync (a conflict if the file changed
        it), or added on both sides under the same name."""
        if b is not None and _same(t, b):
            return  # deleted here, unchanged in the file: stays deleted
        if b is not None:
            self.plan.conflicts.append(Conflict(
                cid, t["name"], "deleted_here",
                f"{t['kind']} '{t['name']}' ({cid}) was deleted here but changed in the file",
            ))
            if self.take_theirs:
                self.final[cid] = dict(t)
            return
        twin = self.local_by_name.get((t["kind"], name_key(t["name"])))
        if twin is not None and twin not in self.theirs:
            self.plan.conflicts.append(Conflict(
                cid, t["name"], "name_clash",
                f"{t['kind']} '{t['name']}' is {cid} in the file and {twin} here "
                "(added on both sides); --theirs merges the local one into the file's, "
                "--ours keeps the local one",
                local_id=twin,
            ))
            if self.take_theirs:
                self.final[cid] = dict(t)
                self.final[twin] = None
                self.plan.merges.append((twin, cid))
            return
        self.final[cid] = dict(t)

    def only_here(self, cid: str, loc: dict[str, Any], b: dict[str, Any] | None) -> None:
        """Not in the file: kept for another project's codebook or one added here since the
        last sync; else removed (a conflict if it has codings or changed here)."""
        if self.plan.foreign:
            self.plan.kept.append(cid)
            return  # another project's codebook: not having a code removes nothing
        if b is None:
            return  # added here since the last sync
        used = _codings_count(self.db, cid) if loc["kind"] == "code" else 0
        if used or not _same(loc, b):
            why = f"has {used} coding(s) here" if used else "was changed here"
            self.plan.conflicts.append(Conflict(
                cid, loc["name"], "deleted_there",
                f"{loc['kind']} '{loc['name']}' ({cid}) was removed from the file but {why}",
            ))
            if not self.take_theirs:
                return
        self.final[cid] = None

    def lift_orphans(self) -> None:
        """A theme that goes away leaves its remaining children one level up."""
        for snap in self.final.values():
            if snap is None or not snap.get("parent_id"):
                continue
            if self.final.get(snap["parent_id"]) is not None:
                continue
            gone = self.local.get(snap["parent_id"]) or self.theirs.get(snap["parent_id"]) or {}
            snap["parent_id"] = gone.get("parent_id")
            if self.final.get(snap["parent_id"] or "") is None:
                snap["parent_id"] = None
            self.plan.warnings.append(
                f"'{snap['name']}' was under theme '{gone.get('name', '?')}', which is removed: "
                f"it moves {'up a level' if snap['parent_id'] else 'to no theme'}"
            )

    def list_changes(self, entry_of: dict[str, CodeEntry]) -> None:
        """The plan's removals, additions and updates: ``final`` against what is here."""
        plan, merged_away = self.plan, dict(self.plan.merges)
        for cid, snap in self.final.items():
            loc = self.local.get(cid)
            if snap is None:
                if loc is not None and cid not in merged_away:
                    plan.removals.append({"id": cid, "kind": loc["kind"], "name": loc["name"],
                                          "codings": _codings_count(self.db, cid)})
            elif loc is None:
                e = entry_of.get(cid)
                plan.adds.append(e if e is not None else CodeEntry(id=cid, **snap))
            else:
                changes = {f: (loc[f], snap[f]) for f in (*COMPARED, "position") if loc.get(f) != snap.get(f)}
                if changes:
                    plan.updates.append((cid, snap["name"], changes))


def _match_by_name(entries: list[CodeEntry], local: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]]) -> set[str]:
    """Give each file entry whose id is unknown here the id of the local code or theme of the
    same kind and name (another project's codebook has other ids); returns the ids matched so,
    which have no common base with the file."""
    ids = {e.id for e in entries}
    by_name = {(v["kind"], name_key(v["name"])): k for k, v in local.items() if k not in ids}
    renamed: dict[str, str] = {}
    for e in entries:
        twin = by_name.pop((e.kind, name_key(e.name)), None) if e.id not in local and e.id not in base else None
        if twin is not None:
            renamed[e.id] = twin
            e.id = twin
    for e in entries:
        e.parent_id = renamed.get(e.parent_id, e.parent_id) if e.parent_id else e.parent_id
    return set(renamed.values())


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(f) == b.get(f) for f in COMPARED)


def _merge_fields(loc: dict[str, Any], t: dict[str, Any], b: dict[str, Any] | None, take_theirs: bool) -> tuple[dict[str, Any], list[str]]:
    merged = dict(loc)
    conflicts = []
    for f in (*COMPARED, "position"):
        ours, theirs_v = loc.get(f), t.get(f)
        if ours == theirs_v:
            continue
        base_v = b.get(f) if b is not None else None
        if b is not None and ours == base_v:
            merged[f] = theirs_v
        elif b is not None and theirs_v == base_v:
            continue
        elif f == "position":
            if take_theirs or b is None:
                merged[f] = theirs_v
        else:
            conflicts.append(f)
            if take_theirs:
                merged[f] = theirs_v
    return merged, conflicts


def _field_conflict(cid: str, loc: dict[str, Any], t: dict[str, Any], b: dict[str, Any] | None, fields: list[str]) -> Conflict:
    names = ", ".join(fields)
    if b is None:
        reason = (f"{loc['kind']} '{loc['name']}' ({cid}) differs here and in the file ({names}) and "
                  "was never synced")
        kind = "never_synced"
    else:
        reason = f"{loc['kind']} '{loc['name']}' ({cid}): {names} changed here and in the file"
        kind = "both_changed"
    details = "; ".join(f"{f}: here {_short(loc.get(f))}, file {_short(t.get(f))}" for f in fields)
    return Conflict(cid, loc["name"], kind, f"{reason} ({details})",
                    {f: (loc.get(f), t.get(f)) for f in fields})


def _check_final_names(final: dict[str, dict[str, Any] | None], plan: SyncPlan) -> None:
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for cid, snap in final.items():
        if snap is None:
            continue
        key = (snap["kind"], name_key(snap["name"]))
        if key in seen:
            clashes.append(f"{snap['kind']} name '{snap['name']}' would be used by {seen[key]} and {cid}")
        seen[key] = cid
    if clashes and not plan.conflicts:
        raise ConflictError(
            "the import would leave two codes with one name: " + "; ".join(clashes)
            + ". Rename or merge one of them here first."
        )
    plan.warnings += [f"after resolving: {c}" for c in clashes]


# -- applying -----------------------------------------------------------------------------------

def apply_sync(
    db: sqlite_utils.Database, coder: str, entries: list[CodeEntry], strategy: str = "fail",
    *, source: str = "codebook file", foreign: bool | None = None, cs: ChangeSet | None = None,
) -> SyncReport:
    """Import ``entries`` into the database as one recorded change (or as part of the change
    set ``cs`` of a larger action, such as a project import). ``foreign``: see :func:`plan_sync`.

    With ``strategy="fail"`` any conflict raises a :class:`ConflictError` listing them all,
    and nothing is changed.
    """
    plan = plan_sync(db, entries, strategy, foreign=foreign)
    if plan.conflicts and strategy == "fail":
        raise ConflictError(conflict_message(source, plan.conflicts))
    clash = [w for w in plan.warnings if w.startswith("after resolving")]
    if clash:
        raise ConflictError(
            "the import would leave two codes with one name: "
            + "; ".join(w.split(": ", 1)[1] for w in clash)
            + ". Rename or merge one of them here first; nothing was changed."
        )
    report = SyncReport(resolved=plan.conflicts if strategy != "fail" else [],
                        warnings=plan.warnings, lines=plan.describe())
    summary = (f"import codebook ({source}): {len(plan.adds)} added, {len(plan.updates)} updated, "
               f"{len(plan.removals)} removed")
    report.kept = len(plan.kept)
    if cs is not None:
        _apply(db, cs, coder, plan, report)
        if not plan.foreign:
            _record_base(db, cs, plan.theirs)
        return report
    with record(db, coder, "codebook.import", summary) as own:
        _apply(db, own, coder, plan, report)
        if not plan.foreign:
            _record_base(db, own, plan.theirs)
    return report


def conflict_message(source: str, conflicts: list[Conflict]) -> str:
    """The error for an import with conflicts: what conflicts, and how to go on. ``source`` is
    a file name (``cb_colleague.yaml``) or a description (``project archive x.qdpx``)."""
    is_file = bool(Path(source).suffix) and " " not in source.strip()
    what = f"the codebook file {source}" if is_file else (
        source if source.startswith("the ") else f"the {source}")
    preview = (" or first see what each side would change with --dry-run"
               if Path(source).suffix.lower() in (".yaml", ".yml", ".qdc") else "")
    return (
        f"{what} has {len(conflicts)} conflict(s) with changes made in this project; nothing was "
        "changed:\n  " + "\n  ".join(c.reason for c in conflicts)
        + f"\nTo go on, import again with --theirs (take the file's version) or --ours (keep this "
        f"project's version){preview}."
    )


PLACEHOLDER = "~codebook import, was "
"""Start of the passing name of a code while an import renames it or takes it away."""


def _row_from_snapshot(cid: str, snap: dict[str, Any], coder: str) -> dict[str, Any]:
    return {
        "id": cid, "kind": snap["kind"], "name": snap["name"], "parent_id": snap["parent_id"],
        "position": snap["position"], **{f: snap[f] for f in TEXT_FIELDS},
        "created_at": now_iso(), "created_by": coder, "updated_at": now_iso(), "updated_by": coder,
    }


def _set_links(db: sqlite_utils.Database, cs: ChangeSet, coder: str, cid: str, wanted: list[str]) -> None:
    have = {str(r[0]) for r in db.execute(
        "select survey_theme_id from survey_links where code_id = ?", [cid]).fetchall()}
    for t in sorted(have - set(wanted)):
        cs.delete("survey_links", [cid, t])
    for t in wanted:
        if t not in have:
            cs.insert("survey_links", {"code_id": cid, "survey_theme_id": t,
                                       "created_by": coder, "created_at": now_iso()})


def _apply(db: sqlite_utils.Database, cs: ChangeSet, coder: str, plan: SyncPlan, report: SyncReport) -> None:
    from workbench.services.codebook import codes as codebook

    def final(cid: str) -> dict[str, Any]:
        """The planned state of a code that is added or updated (never a deleted one)."""
        snap = plan.final[cid]
        if snap is None:
            raise WorkbenchError(f"internal: code {cid} is both changed and deleted in one plan")
        return snap

    db.execute("PRAGMA defer_foreign_keys = ON")
    # Names are unique at every step (an index): codes that change their name or go away first
    # take a placeholder name holding their id, so that a swap (A↔B) or a file's code taking
    # the name of a local code it absorbs never meets the other name on the way.
    leaving = {cid for cid, _name, changes in plan.updates if "name" in changes}
    leaving |= {local_id for local_id, _file_id in plan.merges} | {r["id"] for r in plan.removals}
    for cid in sorted(leaving):
        cs.update("codes", cid, {"name": f"{PLACEHOLDER}{cid}"})
    # parents first: top-level themes, sub-themes, then codes
    for e in sorted(plan.adds, key=lambda e: (e.kind != "theme", bool(final(e.id)["parent_id"]))):
        snap = final(e.id)
        cs.insert("codes", _row_from_snapshot(e.id, snap, coder))
        _set_links(db, cs, coder, e.id, snap["survey_themes"])
        report.added += 1
    for cid, _name, changes in plan.updates:
        snap = final(cid)
        cols = {f: snap[f] for f in changes if f not in ("survey_themes", "kind")}
        if "parent_id" in cols:  # positions are ranks among siblings: take the new siblings' rank
            cols["position"] = snap["position"]
        if cols:
            cs.update("codes", cid, {**cols, "updated_at": now_iso(), "updated_by": coder})
        if "survey_themes" in changes:
            _set_links(db, cs, coder, cid, snap["survey_themes"])
        report.updated += 1
    for local_id, file_id in plan.merges:
        source = db.table("codes").get(local_id)
        target = db.table("codes").get(file_id)
        codebook._merge_into(db, cs, coder, source, target)
        report.merged += 1
    for r in sorted(plan.removals, key=lambda r: r["kind"] != "code"):
        row = db.table("codes").get(r["id"])
        report.removed_codings += codebook._delete_row(db, cs, row)
        report.removed += 1


def _record_base(db: sqlite_utils.Database, cs: ChangeSet, theirs: dict[str, dict[str, Any]]) -> None:
    """The file's entries become the base of the next three-way merge."""
    base = _base(db)
    for cid, snap in theirs.items():
        text = json.dumps(snap, ensure_ascii=False, sort_keys=True)
        if cid not in base:
            cs.insert("codebook_sync_base", {"code_id": cid, "snapshot": text, "synced_at": now_iso()})
        elif base[cid] != snap:
            cs.update("codebook_sync_base", cid, {"snapshot": text, "synced_at": now_iso()})
    for cid in base:
        if cid not in theirs:
            cs.delete("codebook_sync_base", cid)


def mark_synced(db: sqlite_utils.Database, entries: list[CodeEntry] | None = None) -> None:
    """Remember ``entries`` (default: the database's codebook) as the last synced state; used
    after writing a codebook file. Not an undoable change: it only moves the merge base."""
    entries = entries if entries is not None else entries_from_db(db)
    snaps = {e.id: json.dumps(e.snapshot(), ensure_ascii=False, sort_keys=True) for e in entries}
    with db.atomic():
        current = {r["code_id"]: r["snapshot"] for r in db.query("select * from codebook_sync_base")}
        for cid, text in snaps.items():
            if current.get(cid) != text:
                db.table("codebook_sync_base").upsert(
                    {"code_id": cid, "snapshot": text, "synced_at": now_iso()}, pk="code_id")
        for cid in current:
            if cid not in snaps:
                db.execute("delete from codebook_sync_base where code_id = ?", [cid])


# -- the shared YAML file -----------------------------------------------------------------------

def write_yaml(db: sqlite_utils.Database, path: Path | str) -> int:
    """Write the database's codebook to ``path`` (atomically) and remember it as synced.
    Returns the number of entries written (see :func:`write_yaml_keeping`)."""
    return write_yaml_keeping(db, path)[0]


def write_yaml_keeping(db: sqlite_utils.Database, path: Path | str) -> tuple[int, Path | None]:
    """Like :func:`write_yaml`; a file at ``path`` holding edits that were never imported (it
    differs from the last synced codebook, or is not readable as one) is first copied to
    ``exports/backups/`` — it is the researcher's work. Returns (entries, that copy or None)."""
    path = Path(path)
    entries = entries_from_db(db)
    text = to_yaml_text(entries)
    from workbench.files import write_atomic

    kept = _keep_unimported(db, path, text)
    write_atomic(path, text, force=True, create_parents=True)
    mark_synced(db, entries)
    return len(entries), kept


def _keep_unimported(db: sqlite_utils.Database, path: Path, text: str) -> Path | None:
    import shutil

    from workbench.clock import now_iso

    if not path.is_file():
        return None
    try:
        if read_input_text(path) == text:
            return None
        on_file = {e.id: e.snapshot() for e in read_yaml(path)}
        if on_file == _base(db):
            return None  # what the workbench last wrote or imported: no edits of the researcher
    except (WorkbenchError, OSError, UnicodeDecodeError):
        pass  # unreadable as a codebook: still the researcher's file
    from workbench.store.backup import backups_dir
    from workbench.store.connection import db_file

    db_path = db_file(db)
    if db_path is None:
        return None
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now_iso().replace(":", "").replace("-", "")[:15]
    target = folder / f"{path.stem}-not-imported-{stamp}{path.suffix}"
    shutil.copy2(path, target)
    return target
