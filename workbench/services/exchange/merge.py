"""Merging another copy of a project into this one: its coders' codings, memos and codebook.

The usual case: the second coder took a copy of the project folder, coded in it, and hands it
back. ``workbench merge OTHER`` then brings in what the copy has and this project does not.

Matching (never by file name or id alone):

- transcripts by the hash of their text (``transcripts.content_hash``); a transcript of OTHER
  whose text is not here, or whose text is here twice, cannot be matched safely;
- codes and themes by id, then by name (case-insensitive, same kind); a code whose id exists
  here under another name, or whose name matches several entries here, cannot be matched safely;
- codings by id; a coding with the same transcript, code, coder and span as one here is the same
  coding; a coding this project once had and removed is not brought back;
- memos (project and transcript memos) by id.

Anything that cannot be matched safely is listed, and **nothing** is merged until the user maps
it: ``--map OLD=NEW`` (OLD: OTHER's transcript or code id or name; NEW: this project's, or ``-``
to leave it and everything on it out). A transcript mapped to one with different text keeps
its codings only where their words are found again (else the merge is refused, naming them).
Only transcripts that carry codings or memos need a match.

Codebook changes: codes and themes new in OTHER are added (with their theme); for a matched
code, the fields of OTHER (definition, inclusion, exclusion, example, colour, memo, theme) are
taken when OTHER's entry was edited later (``updated_at``) than ours; names here are kept.

A merge is one recorded change of the person running it (``workbench undo`` reverts it whole),
taken after an automatic backup; merging the same copy twice changes nothing the second time.
OTHER is opened read-only and must not be newer (schema) than this workbench.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.errors import ConflictError, WorkbenchError
from workbench.project import DB_NAME, Project
from workbench.store.changes import record
from workbench.textsafety import name_key

SKIP = "-"
CODE_FIELDS = ("definition", "inclusion", "exclusion", "example", "colour", "memo")


@dataclass
class MergePlan:
    """What a merge would do. ``unmatched`` non-empty: the merge is refused."""

    other: Path
    transcripts: dict[str, str] = field(default_factory=dict)  # OTHER id -> our id
    codes: dict[str, str] = field(default_factory=dict)  # OTHER id -> our id
    new_codes: list[dict[str, Any]] = field(default_factory=list)
    code_updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    new_codings: list[dict[str, Any]] = field(default_factory=list)
    coding_memos: list[tuple[str, str]] = field(default_factory=list)
    new_memos: list[dict[str, Any]] = field(default_factory=list)
    new_coders: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter[str])

    @property
    def empty(self) -> bool:
        return not (self.new_codes or self.code_updates or self.new_codings or self.coding_memos
                    or self.new_memos)

    def as_dict(self) -> dict[str, Any]:
        by_coder = Counter(c["coder"] for c in self.new_codings)
        return {
            "other": str(self.other),
            "transcripts_matched": len(self.transcripts),
            "new_codes": [{"id": c["id"], "kind": c["kind"], "name": c["name"]} for c in self.new_codes],
            "updated_codes": [{"id": cid, "fields": sorted(u)} for cid, u in self.code_updates],
            "new_codings": dict(sorted(by_coder.items())),
            "coding_memos": len(self.coding_memos),
            "new_memos": len(self.new_memos),
            "new_coders": [c["name"] for c in self.new_coders],
            "unchanged": {k: v for k, v in sorted(self.counts.items())},
            "unmatched": self.unmatched,
            "notes": self.notes,
        }


def parse_maps(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["OLD=NEW", …]`` -> a dict; OLD keys are matched case-insensitively."""
    out: dict[str, str] = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise WorkbenchError(f"--map needs OLD=NEW (or OLD=- to leave it out), not '{item}'")
        out[old.strip().lower()] = new.strip()
    return out


def open_other(project: Project, other: Path | str) -> tuple[sqlite_utils.Database, Path]:
    """Open OTHER (a project folder or its database) read-only and check its schema."""
    from workbench.store.schema import KNOWN_MIGRATIONS, migrations

    path = Path(other).expanduser()
    if path.is_dir():
        path = path / DB_NAME
    if not path.is_file():
        raise WorkbenchError(f"no workbench project here (no {DB_NAME})", path=Path(other))
    path = path.resolve()
    if path == project.db_path.resolve():
        raise WorkbenchError("this is the project itself; give the folder of the other copy", path=path)
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 15000")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        tables = set(db.table_names())
    except sqlite3.DatabaseError as exc:
        raise WorkbenchError(f"cannot open it as a workbench database: {exc}", path=path) from exc
    if not {"transcripts", "codes", "codings", "memos", "changes"} <= tables:
        db.close()
        raise WorkbenchError("not a workbench project database (tables missing)", path=path)
    known = set(KNOWN_MIGRATIONS)
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        db.close()
        raise WorkbenchError(
            "written by a newer workbench (schema migrations " + ", ".join(unknown)
            + " are unknown here); upgrade workbench before merging",
            path=path,
        )
    return db, path


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [c.name for c in db.table(table).columns]


def _removed_here(db: sqlite_utils.Database, table: str) -> set[str]:
    """Ids of rows of ``table`` this project once had and removed (from the history)."""
    rows = db.execute(
        "select r.pk from change_rows r join changes c on c.id = r.change_id where "
        "r.table_name = ? and r.after is null and c.undone = 0",
        [table],
    ).fetchall()
    out = set()
    for (pk,) in rows:
        key = json.loads(pk)
        out.add(key[0] if isinstance(key, list) else key)
    present = {r[0] for r in db.execute(f"select id from [{table}]")}
    return out - present


def _lookup_map(maps: dict[str, str], *keys: str) -> str | None:
    for k in keys:
        if k and k.lower() in maps:
            return maps[k.lower()]
    return None


def _reanchor(old_text: str, new_text: str, start: int, end: int) -> tuple[int, int] | None:
    words = old_text[start:end]
    if new_text[start:end] == words:
        return start, end
    hits = [m.start() for m in re.finditer(re.escape(words), new_text)] if words else []
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(words)


def plan(project: Project, other: Path | str, maps: dict[str, str] | None = None) -> MergePlan:
    """Work out what merging OTHER would do, without changing anything."""
    maps = maps or {}
    used_maps: set[str] = set()
    db = project.db
    odb, path = open_other(project, other)
    try:
        return _plan(db, odb, path, maps, used_maps)
    finally:
        odb.close()


def _check_incoming(p: MergePlan, odb: sqlite_utils.Database, o_codings: list[dict[str, Any]], o_memos: list[dict[str, Any]]) -> None:
    """OTHER is a file from elsewhere: its names and texts pass the same checks as what is typed
    here (no control, bidi or invisible characters, length limits), and it may not hold two
    codes (or themes) of one name. Each problem is unmatched: nothing is merged."""
    from workbench.textsafety import check_name, check_text

    def bad(kind: str, ident: str, name: str, problem: str) -> None:
        p.unmatched.append({"kind": kind, "id": ident, "name": name, "reason": f"in OTHER, {problem}",
                            "hint": "fix it in OTHER (or leave it out with --map ID=-)"})

    seen: dict[tuple[str, str], str] = {}
    for o in odb.query("select * from codes"):
        try:
            check_name(o["name"] or "", what=f"{o['kind']} name")
            check_name(o["id"] or "", what=f"id of {o['kind']}")
            for f in CODE_FIELDS:
                check_text(o.get(f) or "", what=f"{f} of '{o['name']}'")
        except WorkbenchError as exc:
            bad(o["kind"], o["id"], o["name"], exc.message)
            continue
        key = (o["kind"], name_key(o["name"]))
        if key in seen:
            bad(o["kind"], o["id"], o["name"], f"{o['kind']}s {seen[key]} and {o['id']} have one name "
                f"'{o['name']}'")
        seen[key] = o["id"]
    for c in o_codings:
        try:
            check_name(c["coder"] or "", what="coder name")
            check_text(c.get("memo") or "", what=f"memo of coding {c['id']}")
        except WorkbenchError as exc:
            bad("coding", c["id"], "", exc.message)
    for m in o_memos:
        try:
            check_text(m.get("text") or "", what=f"memo {m['id']}")
        except WorkbenchError as exc:
            bad("memo", m["id"], "", exc.message)


def _plan(db: sqlite_utils.Database, odb: sqlite_utils.Database, path: Path, maps: dict[str, str], used_maps: set[str]) -> MergePlan:
    """What merging OTHER (``odb``) into this project would do, decided before anything is
    written: transcripts and codes matched (by content, id, name or ``maps``), then the
    codings, memos and coders to add."""
    p = MergePlan(other=path)
    o_codings = list(odb.query("select * from codings"))
    o_memos = list(odb.query("select * from memos"))
    _check_incoming(p, odb, o_codings, o_memos)
    needed_t = {c["transcript_id"] for c in o_codings} | {
        m["target_id"] for m in o_memos if m["target_kind"] == "transcript"
    }
    reanchor, skipped_t = _plan_transcripts(db, odb, p, needed_t, maps, used_maps)
    skipped_c = _plan_codes(db, odb, p, maps, used_maps)
    _report_unknown_maps(p, maps, used_maps)
    _plan_codings(db, p, o_codings, skipped_t, skipped_c, reanchor)
    _plan_memos(db, p, o_memos, skipped_t)
    _plan_coders(db, odb, p)
    return p


def _plan_transcripts(db: sqlite_utils.Database, odb: sqlite_utils.Database, p: MergePlan, needed_t: set[str],
                      maps: dict[str, str], used_maps: set[str]
                      ) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Match OTHER's transcripts (those with codings or memos) to ours: by ``maps``, else by
    the same text. Returns the mapped transcripts whose text differs (old and new text, for
    re-anchoring) and the ones left out."""
    from workbench.services.transcripts.library import resolve_transcript

    ours_by_hash: dict[str, list[str]] = {}
    for tid, h in db.execute("select id, content_hash from transcripts"):
        ours_by_hash.setdefault(h, []).append(tid)
    o_transcripts = {r["id"]: r for r in odb.query("select id, label, content_hash from transcripts")}
    reanchor: dict[str, tuple[str, str]] = {}
    skipped_t: set[str] = set()
    for tid in sorted(needed_t):
        o = o_transcripts.get(tid)
        if o is None:
            p.notes.append(f"OTHER has codings on transcript {tid}, which it lacks; left out")
            skipped_t.add(tid)
            continue
        target = _lookup_map(maps, tid, o["label"])
        if target is not None:
            used_maps.update(k.lower() for k in (tid, o["label"]) if k and k.lower() in maps)
            if target == SKIP:
                skipped_t.add(tid)
                p.notes.append(f"transcript {tid} ({o['label']}) left out (--map {tid}=-)")
                continue
            ours = resolve_transcript(db, target)
            p.transcripts[tid] = ours["id"]
            if ours["content_hash"] != o["content_hash"]:
                old_text = odb.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
                reanchor[tid] = (old_text, ours["text"])
            continue
        same = ours_by_hash.get(o["content_hash"], [])
        if len(same) == 1:
            p.transcripts[tid] = same[0]
        elif tid in same:
            p.transcripts[tid] = tid
        elif not same:
            p.unmatched.append({
                "kind": "transcript", "id": tid, "name": o["label"],
                "reason": f"transcript {tid} ({o['label']}) of OTHER is not in this project (no "
                          "transcript with the same text)",
                "hint": f"import it here first, or --map {tid}=OUR_TRANSCRIPT, or --map {tid}=- "
                        "to leave its codings out",
            })
        else:
            p.unmatched.append({
                "kind": "transcript", "id": tid, "name": o["label"],
                "reason": f"transcript {tid} ({o['label']}) of OTHER has the same text as "
                          f"several transcripts here ({', '.join(sorted(same))})",
                "hint": f"--map {tid}=ONE_OF_THEM",
            })
    return reanchor, skipped_t


def _plan_codes(db: sqlite_utils.Database, odb: sqlite_utils.Database, p: MergePlan, maps: dict[str, str],
                used_maps: set[str]) -> set[str]:
    """Match OTHER's codes and themes to ours (``maps``, id, name), plan the new ones (parents
    first) and the updates of matched ones changed later in OTHER. Returns the codes left out."""
    from workbench.services.codebook import codes as codebook

    ours_codes = {r["id"]: r for r in db.query("select * from codes")}
    o_codes = list(odb.query("select * from codes order by position, name"))
    skipped_c: set[str] = set()
    removed_codes = _removed_here(db, "codes")
    matched_rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
    new_rows: list[dict[str, Any]] = []
    for o in o_codes:
        target = _lookup_map(maps, o["id"], o["name"])
        if target is not None:
            used_maps.update(k.lower() for k in (o["id"], o["name"]) if k.lower() in maps)
            if target == SKIP:
                skipped_c.add(o["id"])
                p.notes.append(f"{o['kind']} {o['id']} ('{o['name']}') left out (--map {o['id']}=-)")
                continue
            ours = codebook.resolve(db, target, o["kind"])
            p.codes[o["id"]] = ours["id"]
            matched_rows.append((o, ours))
            continue
        by_id = ours_codes.get(o["id"])
        if by_id is not None:
            if by_id["kind"] == o["kind"] and name_key(by_id["name"]) == name_key(o["name"]):
                p.codes[o["id"]] = by_id["id"]
                matched_rows.append((o, by_id))
            else:
                p.unmatched.append({
                    "kind": o["kind"], "id": o["id"], "name": o["name"],
                    "reason": f"{o['kind']} {o['id']} is '{o['name']}' in OTHER but "
                              f"{by_id['kind']} '{by_id['name']}' here (renamed in one copy?)",
                    "hint": f"--map {o['id']}={by_id['id']} if they are the same (our name is "
                            f"kept), --map {o['id']}=ANOTHER_CODE, or --map {o['id']}=-",
                })
            continue
        named = [r for r in ours_codes.values()
                 if r["kind"] == o["kind"] and name_key(r["name"]) == name_key(o["name"])]
        if len(named) == 1:
            p.codes[o["id"]] = named[0]["id"]
            matched_rows.append((o, named[0]))
        elif len(named) > 1:
            p.unmatched.append({
                "kind": o["kind"], "id": o["id"], "name": o["name"],
                "reason": f"{o['kind']} '{o['name']}' of OTHER matches several here "
                          f"({', '.join(r['id'] for r in named)})",
                "hint": f"--map {o['id']}=ONE_OF_THEM",
            })
        elif o["id"] in removed_codes:
            p.unmatched.append({
                "kind": o["kind"], "id": o["id"], "name": o["name"],
                "reason": f"{o['kind']} '{o['name']}' ({o['id']}) was removed (or merged away) in "
                          "this project",
                "hint": f"--map {o['id']}=CODE_IT_WENT_INTO, or --map {o['id']}=- to leave its "
                        "codings out",
            })
        else:
            p.codes[o["id"]] = o["id"]
            new_rows.append(o)

    def parent_of(o: dict[str, Any]) -> str | None:
        par = o["parent_id"]
        if not par or par in skipped_c:
            return None
        return p.codes.get(par)

    our_code_cols = _columns(db, "codes")
    for o in sorted(new_rows, key=lambda r: 0 if not r["parent_id"] else 1):
        row = {k: o[k] for k in our_code_cols if k in o}
        row["parent_id"] = parent_of(o)
        p.new_codes.append(row)
    # themes before their children (one level of sub-themes: at most three levels)
    depth = {r["id"]: 0 for r in p.new_codes}
    for _ in range(3):
        for r in p.new_codes:
            if r["parent_id"] in depth:
                depth[r["id"]] = depth[r["parent_id"]] + 1
    p.new_codes.sort(key=lambda r: depth[r["id"]])
    for o, ours in matched_rows:
        if (o.get("updated_at") or "") <= (ours.get("updated_at") or ""):
            continue
        updates = {f: o.get(f) or "" for f in CODE_FIELDS if (o.get(f) or "") != (ours.get(f) or "")}
        if o["kind"] == ours["kind"]:
            par = parent_of(o)
            if par != ours["parent_id"] and not (o["parent_id"] and par is None):
                updates["parent_id"] = par
        if updates:
            updates["updated_at"] = o.get("updated_at")
            updates["updated_by"] = o.get("updated_by")
            p.code_updates.append((ours["id"], updates))
    return skipped_c


def _report_unknown_maps(p: MergePlan, maps: dict[str, str], used_maps: set[str]) -> None:
    unknown_maps = sorted(set(maps) - used_maps)
    for k in unknown_maps:
        p.unmatched.append({
            "kind": "map", "id": k, "name": k,
            "reason": f"--map {k}=… names no transcript (with codings or memos) or code of OTHER",
            "hint": "check the spelling (OLD is OTHER's id or name)",
        })


def _plan_codings(db: sqlite_utils.Database, p: MergePlan, o_codings: list[dict[str, Any]], skipped_t: set[str],
                  skipped_c: set[str], reanchor: dict[str, tuple[str, str]]) -> None:
    """OTHER's codings to add (re-anchored where the text differs), skipping ours, those
    removed here, and the duplicates a mapping makes."""
    removed = _removed_here(db, "codings")
    ours_by_id = {r[0]: r for r in db.execute("select id, transcript_id, code_id, coder, start, [end], memo from codings")}
    ours_by_key = {(r[1], r[2], r[3], r[4], r[5]): r for r in ours_by_id.values()}
    our_coding_cols = _columns(db, "codings")
    seen_keys: set[tuple[Any, ...]] = set()
    lost: list[str] = []
    for c in o_codings:
        tid = c["transcript_id"]
        if tid in skipped_t or c["code_id"] in skipped_c:
            p.counts["codings left out"] += 1
            continue
        if tid not in p.transcripts or c["code_id"] not in p.codes:
            continue  # reported as unmatched above
        start, end = c["start"], c["end"]
        if tid in reanchor:
            moved = _reanchor(*reanchor[tid], start, end)
            if moved is None:
                lost.append(f"{c['id']} ({c['coder']}, {tid} [{start}:{end}])")
                continue
            start, end = moved
        key = (p.transcripts[tid], p.codes[c["code_id"]], c["coder"], start, end)
        mine = ours_by_id.get(c["id"]) or ours_by_key.get(key)
        if mine is not None:
            p.counts["codings already here"] += 1
            if (c.get("memo") or "") and not (mine[6] or "") and (mine[1], mine[2], mine[3], mine[4], mine[5]) == key:
                p.coding_memos.append((mine[0], c["memo"]))
            continue
        if c["id"] in removed:
            p.counts["codings removed here earlier (not brought back)"] += 1
            continue
        if key in seen_keys:
            p.counts["codings that became duplicates"] += 1
            continue
        seen_keys.add(key)
        row = {k: c[k] for k in our_coding_cols if k in c}
        row.update(transcript_id=key[0], code_id=key[1], start=start, end=end)
        p.new_codings.append(row)
    if lost:
        p.unmatched.append({
            "kind": "coding", "id": ", ".join(lost[:10]), "name": "",
            "reason": f"{len(lost)} coding(s) on a mapped transcript whose words are not found in "
                      "this project's text",
            "hint": "map the transcript to the right one, or --map TRANSCRIPT=- to leave it out",
        })


def _plan_memos(db: sqlite_utils.Database, p: MergePlan, o_memos: list[dict[str, Any]], skipped_t: set[str]) -> None:
    """OTHER's memos to add (ours kept where both have one)."""
    removed_m = _removed_here(db, "memos")
    ours_memos = {r[0]: r[1] for r in db.execute("select id, text from memos")}
    our_memo_cols = _columns(db, "memos")
    for m in o_memos:
        target = m["target_id"] or ""
        if m["target_kind"] == "transcript":
            if target in skipped_t:
                p.counts["memos left out"] += 1
                continue
            if target not in p.transcripts:
                continue
            target = p.transcripts[target]
        if m["id"] in ours_memos:
            if ours_memos[m["id"]] != m["text"]:
                p.notes.append(f"memo {m['id']} differs in OTHER; ours kept")
            p.counts["memos already here"] += 1
            continue
        if m["id"] in removed_m:
            p.counts["memos removed here earlier (not brought back)"] += 1
            continue
        row = {k: m[k] for k in our_memo_cols if k in m}
        row["target_id"] = target
        p.new_memos.append(row)


def _plan_coders(db: sqlite_utils.Database, odb: sqlite_utils.Database, p: MergePlan) -> None:
    """The coders of the added codings and memos that this project does not know yet."""
    have_coders = {r[0] for r in db.execute("select name from coders")}
    o_coders = {r["name"]: r for r in odb.query("select * from coders")}
    wanted = sorted({c["coder"] for c in p.new_codings} | {m["coder"] for m in p.new_memos if m.get("coder")})
    for name in wanted:
        if name not in have_coders:
            p.new_coders.append({"name": name, "created_at": (o_coders.get(name) or {}).get("created_at")})


def merge(
    project: Project,
    coder: str,
    other: Path | str,
    maps: dict[str, str] | None = None,
    *,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Merge OTHER into the project as ``coder``; returns the plan as a dict with ``merged``
    (True when something was written) and ``backup`` (the backup file, or None).

    Raises :class:`ConflictError` listing everything unmatched (nothing is written then).
    """
    p = plan(project, other, maps)
    result = {**p.as_dict(), "merged": False, "backup": None, "dry_run": dry_run}
    if p.unmatched:
        lines = [f"- {u['reason']}: {u['hint']}" for u in p.unmatched]
        if dry_run:
            return result
        raise ConflictError(
            "nothing was merged; these cannot be matched safely:\n" + "\n".join(lines)
        )
    if dry_run or p.empty:
        return result
    from workbench.store.backup import backup_before

    db = project.db
    backup = backup_before(db, project.db_path, reason="merge")
    summary = f"merge {p.other.parent.name}: {len(p.new_codings)} codings, {len(p.new_codes)} codes, {len(p.new_memos)} memos"
    with record(db, coder, "merge", summary) as cs:
        for row in p.new_coders:
            if db.execute("select 1 from coders where name = ?", [row["name"]]).fetchone() is None:
                cs.insert("coders", row)
        for row in p.new_codes:
            cs.insert("codes", row)
        for cid, updates in p.code_updates:
            cs.update("codes", cid, updates)
        for row in p.new_codings:
            cs.insert("codings", row)
        for cid, memo in p.coding_memos:
            cs.update("codings", cid, {"memo": memo})
        for row in p.new_memos:
            cs.insert("memos", row)
    result.update(merged=True, backup=str(backup))
    return result
