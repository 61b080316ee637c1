"""Memos: notes on the project, a transcript, a code or theme, or a coding.

Where a memo lives (decided once, so every view agrees):

- project and transcript memos are rows of the ``memos`` table (``target_kind`` ``project``
  with an empty ``target_id``, or ``transcript`` with the transcript id). There can be many;
  Braun & Clarke phase 1 familiarisation notes are transcript memos. Only their author edits or
  deletes them.
- a code's or theme's memo is the ``memo`` column of its ``codes`` row (one text per code,
  shared by the team, part of the codebook file); adding appends a paragraph.
- a coding's memo is the ``memo`` column of its ``codings`` row; only the coding's coder can
  change it.

Every memo has an id here: the ``memos`` row id (``m-…``), or ``code:<code id>`` /
``coding:<coding id>`` for the memos that live on rows. All changes are recorded (undoable).
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import NotFoundError, WorkbenchError
from workbench.store.changes import record

TARGET_KINDS = ("project", "transcript", "code", "coding")
_ALIASES = {"theme": "code", "interview": "transcript"}


def _kind(target_kind: str) -> str:
    kind = _ALIASES.get(target_kind, target_kind)
    if kind not in TARGET_KINDS:
        raise WorkbenchError(
            f"a memo is on one of: {', '.join(TARGET_KINDS)} (or theme); not '{target_kind}'"
        )
    return kind


def _text(text: str) -> str:
    """The memo text, trimmed; refused when empty or holding control characters (tabs and line
    breaks are fine)."""
    from workbench.services.codebook.codes import check_text

    text = check_text(text or "", "memo").strip()
    if not text:
        raise WorkbenchError("the memo is empty")
    return text


def _append(existing: str, text: str) -> str:
    existing = (existing or "").rstrip()
    return f"{existing}\n\n{text}" if existing else text


def _resolve_target(db: sqlite_utils.Database, kind: str, target_id: str | None) -> dict[str, Any]:
    """The target row, normalised to ``{"id": …, "label": …}`` plus the row itself."""
    if kind == "project":
        return {"id": "", "label": "project"}
    if not target_id:
        raise WorkbenchError(f"name the {kind} the memo is on")
    if kind == "transcript":
        from workbench.services.transcripts.library import resolve_transcript

        t = resolve_transcript(db, target_id)
        return {"id": t["id"], "label": f"{t['id']} ({t['label']})", "row": t}
    if kind == "code":
        from workbench.services.codebook.codes import resolve

        c = resolve(db, target_id)
        return {"id": c["id"], "label": f"{c['kind']} '{c['name']}'", "row": c}
    from workbench.services.coding.passages import get_coding

    c = get_coding(db, target_id)
    return {"id": c["id"], "label": f"coding {c['id']}", "row": c}


def add(db: sqlite_utils.Database, coder: str, target_kind: str, target_id: str | None, text: str) -> dict[str, Any]:
    """Add a memo. A code or coding memo is appended to the one already there."""
    kind = _kind(target_kind)
    text = _text(text)
    target = _resolve_target(db, kind, target_id)
    if kind in ("project", "transcript"):
        row = {
            "id": "m-" + secrets.token_hex(5),
            "target_kind": kind,
            "target_id": target["id"],
            "coder": coder,
            "text": text,
            "created_at": now_iso(),
            "updated_at": now_iso(),
        }
        with record(db, coder, "memo.add", f"memo on {target['label']}") as cs:
            cs.insert("memos", row)
        return get(db, row["id"])
    if kind == "code":
        with record(db, coder, "memo.add", f"memo on {target['label']}") as cs:
            cs.update("codes", target["id"], {
                "memo": _append(target["row"]["memo"], text), "updated_at": now_iso(), "updated_by": coder,
            })
        return get(db, f"code:{target['id']}")
    from workbench.services.coding.passages import set_memo

    set_memo(db, coder, target["id"], _append(target["row"]["memo"], text))
    return get(db, f"coding:{target['id']}")


def _from_table(row: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "target_kind": row["target_kind"],
        "target_id": row["target_id"] or "",
        "target": labels.get(row["target_id"] or "", "project") if row["target_kind"] == "transcript" else "project",
        "coder": row["coder"],
        "text": row["text"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def list_memos(
    db: sqlite_utils.Database, target_kind: str | None = None, target_id: str | None = None
) -> list[dict[str, Any]]:
    """Every memo (or those on one kind of target, or one target), project first, then
    transcripts, codes and codings."""
    kinds = (_kind(target_kind),) if target_kind else TARGET_KINDS
    wanted_id = None
    if target_id:
        if not target_kind:
            raise WorkbenchError("give the kind of target together with its id")
        wanted_id = _resolve_target(db, kinds[0], target_id)["id"]
    out: list[dict[str, Any]] = []
    labels = {r["id"]: f"{r['id']} ({r['label']})" for r in db.query("select id, label from transcripts")}
    for kind in kinds:
        if kind in ("project", "transcript"):
            sql = "select * from memos where target_kind = ?"
            args: list[Any] = [kind]
            if wanted_id is not None:
                sql += " and target_id = ?"
                args.append(wanted_id)
            for r in db.query(sql + " order by target_id, created_at, id", args):
                out.append(_from_table(r, labels))
        elif kind == "code":
            sql = "select * from codes where memo != ''"
            args = []
            if wanted_id is not None:
                sql += " and id = ?"
                args.append(wanted_id)
            for r in db.query(sql + " order by position, name", args):
                out.append({
                    "id": f"code:{r['id']}", "target_kind": "code", "target_id": r["id"],
                    "target": f"{r['kind']} '{r['name']}'", "coder": r["updated_by"] or r["created_by"],
                    "text": r["memo"], "created_at": r["created_at"], "updated_at": r["updated_at"],
                })
        else:
            sql = (
                "select x.*, c.name as code from codings x join codes c on c.id = x.code_id "
                "where x.memo != ''"
            )
            args = []
            if wanted_id is not None:
                sql += " and x.id = ?"
                args.append(wanted_id)
            for r in db.query(sql + " order by x.transcript_id, x.start, x.id", args):
                out.append({
                    "id": f"coding:{r['id']}", "target_kind": "coding", "target_id": r["id"],
                    "target": f"coding {r['id']} ('{r['code']}' on {r['transcript_id']} [{r['start']}:{r['end']}])",
                    "coder": r["coder"], "text": r["memo"], "created_at": r["created_at"],
                    "updated_at": r["created_at"],
                })
    return out


def get(db: sqlite_utils.Database, memo_id: str) -> dict[str, Any]:
    """One memo by its id (``m-…``, ``code:<id>`` or ``coding:<id>``)."""
    memo_id = (memo_id or "").strip()
    if memo_id.startswith(("code:", "theme:")):
        kind, ref = "code", memo_id.split(":", 1)[1]
    elif memo_id.startswith("coding:"):
        kind, ref = "coding", memo_id.split(":", 1)[1]
    else:
        row = db.execute("select * from memos where id = ?", [memo_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no memo '{memo_id}' (see 'workbench memo list')")
        found = [m for m in list_memos(db, db.table("memos").get(memo_id)["target_kind"]) if m["id"] == memo_id]
        return found[0]
    target = _resolve_target(db, kind, ref)
    found = list_memos(db, kind, target["id"])
    if not found:
        raise NotFoundError(f"{target['label']} has no memo")
    return found[0]


def edit(db: sqlite_utils.Database, coder: str, memo_id: str, text: str) -> dict[str, Any]:
    """Replace a memo's text (a project or transcript memo only by its author)."""
    text = _text(text)
    memo = get(db, memo_id)
    if memo["target_kind"] == "code":
        with record(db, coder, "memo.edit", f"edit memo on {memo['target']}") as cs:
            cs.update("codes", memo["target_id"], {"memo": text, "updated_at": now_iso(), "updated_by": coder})
    elif memo["target_kind"] == "coding":
        from workbench.services.coding.passages import set_memo

        set_memo(db, coder, memo["target_id"], text)
    else:
        _own(memo, coder)
        with record(db, coder, "memo.edit", f"edit memo on {memo['target']}") as cs:
            cs.update("memos", memo["id"], {"text": text, "updated_at": now_iso()})
    return get(db, memo["id"])


def delete(db: sqlite_utils.Database, coder: str, memo_id: str) -> dict[str, Any]:
    """Delete a memo (a code's or coding's memo is cleared). Returns what was deleted."""
    memo = get(db, memo_id)
    if memo["target_kind"] == "code":
        with record(db, coder, "memo.delete", f"delete memo on {memo['target']}") as cs:
            cs.update("codes", memo["target_id"], {"memo": "", "updated_at": now_iso(), "updated_by": coder})
    elif memo["target_kind"] == "coding":
        from workbench.services.coding.passages import set_memo

        set_memo(db, coder, memo["target_id"], "")
    else:
        _own(memo, coder)
        with record(db, coder, "memo.delete", f"delete memo on {memo['target']}") as cs:
            cs.delete("memos", memo["id"])
    return memo


def _own(memo: dict[str, Any], coder: str) -> None:
    if memo["coder"] != coder:
        raise WorkbenchError(
            f"memo {memo['id']} was written by '{memo['coder']}'; you are '{coder}' and cannot "
            "change another coder's memo (add your own)"
        )


