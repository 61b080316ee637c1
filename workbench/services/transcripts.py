"""Importing transcripts into a project, listing them and reading them back.

An import is one transaction per file: a file that fails leaves nothing behind, and with
several files the good ones are still imported. Re-importing an identical file does nothing;
a file with the same id but different text is refused unless ``replace=True``, and a replace
re-anchors every coding on its words or keeps it flagged.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from workbench.clock import now_iso
from workbench.db.changes import ensure_coder
from workbench.errors import ConflictError, ImportFileError, NotFoundError, WorkbenchError
from workbench.importers import SUFFIXES, read_transcript
from workbench.importers.model import ParsedTranscript
from workbench.project import Project
from workbench.services import labels as labels_service

WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
TURN_SEPARATOR = "\n\n"
Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    path: Path
    status: str  # "imported", "replaced", "unchanged", "failed"
    transcript_id: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    flagged_codings: list[str] = field(default_factory=list)


@dataclass
class BuiltTranscript:
    id: str
    text: str
    turns: list[dict]
    metadata: dict
    parsed: ParsedTranscript

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def build(parsed: ParsedTranscript) -> BuiltTranscript:
    """Join the turns into the canonical text and give each turn its offsets."""
    parts: list[str] = []
    turns: list[dict] = []
    pos = 0
    for idx, turn in enumerate(parsed.turns):
        body = "\n".join(line.strip() for line in turn.text.strip().split("\n") if line.strip())
        if idx:
            parts.append(TURN_SEPARATOR)
            pos += len(TURN_SEPARATOR)
        turns.append(
            {"idx": idx, "speaker": turn.label, "role": turn.role, "start": pos,
             "end": pos + len(body), "time": turn.time}
        )
        parts.append(body)
        pos += len(body)
    tid = str(parsed.metadata.get("id") or parsed.path.stem).strip()
    if not re.fullmatch(r"[\w.\-]+", tid):
        tid = re.sub(r"[^\w.\-]+", "_", tid).strip("_") or "transcript"
    return BuiltTranscript(tid, "".join(parts), turns, parsed.metadata, parsed)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[ImportResult]]:
    files: list[Path] = []
    problems: list[ImportResult] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                problems.append(ImportResult(p, "failed", message=f"no transcripts ({', '.join(SUFFIXES)}) in this folder"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(ImportResult(p, "failed", message="no such file or folder"))
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, problems


def import_paths(
    project: Project,
    paths: Iterable[Path | str],
    *,
    replace: bool = False,
    coder: str | None = None,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Import files and folders; returns one result per file (and per bad path)."""
    from workbench.nlp.sentences import segment_texts

    db = project.db
    who = project.coder(coder)
    files, results = collect_files(Path(p) for p in paths)
    total = len(files)
    backed_up = False
    new_ids: set[str] = set()
    for n, path in enumerate(files, start=1):
        if progress:
            progress(n - 1, total, f"reading {path.name}")
        try:
            built = build(read_transcript(path))
            existing = db["transcripts"].get(built.id) if _exists(db, built.id) else None
            same = db.execute(
                "select id from transcripts where content_hash = ?", [built.content_hash]
            ).fetchone()
            if existing is not None and existing["content_hash"] == built.content_hash:
                results.append(ImportResult(path, "unchanged", built.id, "already imported, identical: nothing to do"))
                continue
            if existing is None and same is not None:
                results.append(ImportResult(path, "unchanged", same[0], f"identical to transcript {same[0]} already in the project: nothing to do"))
                continue
            if existing is not None and not replace:
                raise ConflictError(
                    f"transcript {built.id} exists with different text; use --replace to "
                    "replace it (codings are kept and re-anchored or flagged)",
                    path=path,
                )
            if progress:
                progress(n - 1, total, f"segmenting {path.name}")
            sentences = segment_texts(built.text[t["start"] : t["end"]] for t in built.turns)
            if existing is not None and not backed_up:
                from workbench.services.backup import backup_before

                backup_before(db, project.db_path, reason="replace")
                backed_up = True
            with db.atomic():
                flagged = store_transcript(db, built, sentences, who, existing)
                if existing is None:
                    new_ids.add(built.id)
                labels_service.relabel(db, new_ids=new_ids)
                log_action(db, who, "import" if existing is None else "import.replace", f"{'replaced' if existing else 'imported'} {built.id} from {path.name}")
            results.append(
                ImportResult(path, "replaced" if existing else "imported", built.id,
                             warnings=built.parsed.warnings, flagged_codings=flagged)
            )
        except WorkbenchError as exc:
            if exc.path is None:
                exc = ImportFileError(exc.message, path=path, line=exc.line)
            results.append(ImportResult(path, "failed", message=str(exc)))
    if any(r.status in ("imported", "replaced") for r in results):
        from workbench.services.reprocess import note_import

        note_import(db)  # remember which language pipeline made the sentences
    if new_ids:
        db.execute("ANALYZE transcripts")  # keep the planner on the covering label index
    if progress:
        progress(total, total, "done")
    return results


def _exists(db: sqlite_utils.Database, tid: str) -> bool:
    return db.execute("select 1 from transcripts where id = ?", [tid]).fetchone() is not None


def log_action(db: sqlite_utils.Database, coder: str, action: str, summary: str) -> None:
    """Record an action that is logged but not undoable (``undone = 2``)."""
    ensure_coder(db, coder)
    db["changes"].insert({"coder": coder, "at": now_iso(), "action": action, "summary": summary, "undone": 2})


def store_transcript(db, built: BuiltTranscript, sentences, coder: str, existing: dict | None) -> list[str]:
    meta = built.metadata
    known = {"id", "role", "municipality", "domain", "date", "interviewer"}
    role = str(meta.get("role") or "").strip()
    if not role:
        built.parsed.warnings.append("no role in the metadata: the role 'respondent' was used (add 'rol: …')")
        role = "respondent"
    row = {
        "id": built.id,
        "text": built.text,
        "content_hash": built.content_hash,
        "source_path": str(built.parsed.path),
        "source_format": built.parsed.source_format,
        "role": role,
        "municipality": str(meta.get("municipality") or ""),
        "domain": str(meta.get("domain") or ""),
        "date": str(meta.get("date") or ""),
        "interviewer": str(meta.get("interviewer") or ""),
        "label": existing["label"] if existing else "",
        "label_manual": existing["label_manual"] if existing else 0,
        "word_count": count_words(built.text),
        "turn_count": len(built.turns),
        "sentence_count": sum(len(s) for s in sentences),
        "metadata": json.dumps({k: v for k, v in meta.items() if k not in known}, default=str, ensure_ascii=False),
        "imported_at": now_iso(),
        "imported_by": coder,
    }
    flagged: list[str] = []
    if existing is not None:
        flagged = _reanchor_codings(db, existing["text"], built.text, built.id)
        db.execute("delete from sentences where transcript_id = ?", [built.id])
        db.execute("delete from turns where transcript_id = ?", [built.id])
        db.execute("delete from audit_flags where transcript_id = ?", [built.id])
        db["transcripts"].update(built.id, row)
    else:
        db["transcripts"].insert(row)
    # Plain executemany: sqlite-utils' insert_all costs more than the language pipeline here.
    db.conn.executemany(
        "insert into turns (transcript_id, idx, speaker, role, start, [end], time) values (?, ?, ?, ?, ?, ?, ?)",
        [(built.id, t["idx"], t["speaker"], t["role"], t["start"], t["end"], t["time"]) for t in built.turns],
    )
    sentence_rows = []
    for turn, sents in zip(built.turns, sentences, strict=True):
        base = turn["start"]
        for s in sents:
            sentence_rows.append((
                built.id, len(sentence_rows), turn["idx"], base + s.start, base + s.end,
                built.text[base + s.start : base + s.end], s.lemmas,
            ))
    db.conn.executemany(
        "insert into sentences (transcript_id, idx, turn_idx, start, [end], text, lemmas) values (?, ?, ?, ?, ?, ?, ?)",
        sentence_rows,
    )
    return flagged


def _reanchor_codings(db, old_text: str, new_text: str, tid: str) -> list[str]:
    """Move each coding to where its words are in the new text; flag those that cannot be."""
    flagged = []
    for c in db.query("select id, start, end from codings where transcript_id = ?", [tid]):
        words = old_text[c["start"] : c["end"]]
        if new_text[c["start"] : c["end"]] == words:
            continue
        hits = [m.start() for m in re.finditer(re.escape(words), new_text)] if words else []
        if hits:
            best = min(hits, key=lambda h: abs(h - c["start"]))
            db["codings"].update(c["id"], {"start": best, "end": best + len(words), "flag": None})
        else:
            end = min(c["end"], len(new_text))
            start = min(c["start"], end)
            db["codings"].update(c["id"], {"start": start, "end": end, "flag": f"text changed on re-import; was: {words[:200]}"})
            flagged.append(c["id"])
    return flagged


# -- reading ---------------------------------------------------------------------------------

def list_transcripts(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        "select id, label, role, municipality, domain, date, turn_count as turns, "
        "sentence_count as sentences, word_count as words, source_format as format "
        "from transcripts order by date, id"
    ))


def resolve_transcript(db: sqlite_utils.Database, ref: str) -> dict:
    """A transcript by id, or by its label (case-insensitive)."""
    ref = ref.strip()
    row = db.execute("select id from transcripts where id = ?", [ref]).fetchone()
    if row is None:
        rows = db.execute("select id from transcripts where lower(label) = lower(?) or lower(id) = lower(?)", [ref, ref]).fetchall()
        if len(rows) == 1:
            row = rows[0]
    if row is None:
        raise NotFoundError(f"no transcript '{ref}' (see 'workbench transcripts')")
    return db["transcripts"].get(row[0])


def get_turns(db: sqlite_utils.Database, tid: str) -> list[dict]:
    return list(db["turns"].rows_where("transcript_id = ?", [tid], order_by="idx"))


def get_sentences(db: sqlite_utils.Database, tid: str) -> list[dict]:
    return list(db["sentences"].rows_where("transcript_id = ?", [tid], order_by="idx"))


def set_label(db: sqlite_utils.Database, ref: str, label: str, coder: str) -> dict:
    from workbench.db.changes import record
    from workbench.project import validate_name

    t = resolve_transcript(db, ref)
    label = validate_name(label, what="label")
    clash = db.execute("select id from transcripts where label = ? and id != ?", [label, t["id"]]).fetchone()
    if clash:
        raise ConflictError(f"the label '{label}' is already used by transcript {clash[0]}")
    with record(db, coder, "label.set", f"label of {t['id']}: {t['label']} -> {label}") as cs:
        return cs.update("transcripts", t["id"], {"label": label, "label_manual": 1})


def freeze_labels(db: sqlite_utils.Database, frozen: bool = True) -> None:
    with db.atomic():
        db["meta"].upsert({"key": labels_service.FROZEN_KEY, "value": "1" if frozen else "0"}, pk="key")
