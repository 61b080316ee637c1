"""Importing transcripts into a project, listing them, reading them back and removing them.

An import is one transaction per file: a file that fails leaves nothing behind, and with
several files the good ones are still imported. Each stored transcript carries two
fingerprints: ``content_hash`` of its canonical text (what codings point into; merges match
transcripts by it) and ``import_fingerprint`` of the whole parsed result (text, turns with their
speakers, roles and times, and the metadata). Re-importing a file with the same fingerprint does
nothing; a file with the same id that differs in either is refused with a list of what differs,
unless ``replace=True``: then turns, sentences, metadata and labels are replaced, and every
coding is re-anchored on its words or kept flagged (with equal text they all stay put).

Imports are logged but not undoable (a replace takes a backup first); removing a transcript
(:func:`remove_transcript`) is one recorded change that ``workbench undo`` reverts.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.clock import now_iso
from workbench.errors import ConflictError, ImportFileError, NotFoundError, WorkbenchError
from workbench.formats.importers import SUFFIXES, read_transcript
from workbench.formats.importers.model import TURN_SEPARATOR, ParsedTranscript
from workbench.project import Project
from workbench.services import word_forms
from workbench.services.transcripts import labels as labels_service
from workbench.services.transcripts import segmenting
from workbench.store import sentence_index
from workbench.store.changes import ChangeSet, log_only
from workbench.store.fingerprint import METADATA_COLUMNS, import_fingerprint, stored_fingerprint

Progress = Callable[[int, int, str], None]


DEFAULT_ROLE = "respondent"
NOTICE_KEY = "pipeline_notice_shown"  # meta: the pipeline fingerprint whose notice was shown


@dataclass
class ImportResult:
    path: Path
    status: str  # "imported", "replaced", "unchanged", "failed"
    transcript_id: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    flagged_codings: list[str] = field(default_factory=list)
    #: Existing labels this import changed (a second interview of a role adds letters).
    relabelled: list[labels_service.LabelChange] = field(default_factory=list)
    #: What a re-import changed (replaced) or would change (refused): text, turns, metadata.
    differences: list[str] = field(default_factory=list)


def metadata_fields(meta: dict[str, Any]) -> dict[str, str]:
    """The transcript columns that come from the metadata (``role`` defaults to 'respondent'),
    and the other keys as JSON in ``metadata``."""
    fields = {k: str(meta.get(k) or "").strip() for k in METADATA_COLUMNS}
    fields["role"] = fields["role"] or DEFAULT_ROLE
    known = {"id", *METADATA_COLUMNS}
    fields["metadata"] = json.dumps({k: v for k, v in meta.items() if k not in known}, default=str, ensure_ascii=False)
    return fields


@dataclass
class BuiltTranscript:
    id: str
    text: str
    turns: list[dict[str, Any]]
    metadata: dict[str, Any]
    parsed: ParsedTranscript

    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def fields(self) -> dict[str, str]:
        return metadata_fields(self.metadata)

    @property
    def fingerprint(self) -> str:
        return import_fingerprint(self.text, self.turns, self.fields)


def build(parsed: ParsedTranscript) -> BuiltTranscript:
    """Join the turns into the canonical text and give each turn its offsets."""
    parts: list[str] = []
    turns: list[dict[str, Any]] = []
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
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, problems


def describe_differences(db: sqlite_utils.Database, existing: dict[str, Any], built: BuiltTranscript) -> list[str]:
    """What a file differs in from the stored transcript, in words (empty: nothing)."""
    diffs: list[str] = []
    if existing["text"] != built.text:
        diffs.append("the text")
    old, new = get_turns(db, existing["id"]), built.turns
    if [(t["start"], t["end"]) for t in old] != [(t["start"], t["end"]) for t in new]:
        diffs.append(f"turn boundaries ({len(old)} → {len(new)} turns)" if len(old) != len(new) else "turn boundaries")
    else:
        speakers = [(o["idx"], o["speaker"], n["speaker"]) for o, n in zip(old, new, strict=True)
                    if (o["speaker"], o["role"]) != (n["speaker"], n["role"])]
        if speakers:
            shown = ", ".join(f"turn {i}: {a} → {b}" for i, a, b in speakers[:3])
            more = ", …" if len(speakers) > 3 else ""
            diffs.append(f"the speakers of {len(speakers)} turn(s) ({shown}{more})")
        times = sum(1 for o, n in zip(old, new, strict=True) if (o["time"] or None) != (n["time"] or None))
        if times:
            diffs.append(f"the times of {times} turn(s)")
    fields = built.fields
    for key in METADATA_COLUMNS:
        if str(existing[key] or "") != fields[key]:
            diffs.append(f"{key} '{existing[key] or ''}' → '{fields[key]}'")
    try:
        same_extra = json.loads(existing["metadata"] or "{}") == json.loads(fields["metadata"])
    except ValueError:
        same_extra = False
    if not same_extra:
        diffs.append("other metadata")
    return diffs


def import_paths(
    project: Project,
    paths: Iterable[Path | str],
    *,
    replace: bool = False,
    coder: str | None = None,
    progress: Progress | None = None,
    as_new: bool = False,
    update_metadata: bool = False,
    jobs: int | None = None,
) -> list[ImportResult]:
    """Import files and folders; returns one result per file (and per bad path), in order.

    A file whose text is already in the project under another id is a duplicate, and a
    decision: it fails, naming the transcript and what would be dropped, unless ``as_new``
    imports it as another transcript, or ``update_metadata`` gives the existing transcript
    this file's metadata (its id stays). With the same id, ``update_metadata`` applies
    changed metadata of an identical text (as ``replace`` does).

    With many files the sentences are made in worker processes (:mod:`.segmenting`) while
    this process reads the next files and stores the finished ones, each in its own
    transaction, in the order of the files (``jobs``: see :func:`.segmenting.workers_for`)."""
    files, problems = collect_files(Path(p) for p in paths)
    run = _ImportRun(project, project.coder(coder), files, progress)
    workers = segmenting.workers_for(sum(_size(f) for f in files), len(files), jobs)
    with segmenting.Segmenter(workers) as segmenter:
        for n, path in enumerate(files):
            if run.stopped:
                break
            run.report(f"reading {path.name}")
            try:
                built = build(read_transcript(path))
                if run.pending_with(built):  # decided against the stored one, not the one on its way
                    run.store_pending(0)
                decision = _decide(project.db, built, path, replace=replace, as_new=as_new,
                                   update_metadata=update_metadata)
            except WorkbenchError as exc:
                run.fail(n, path, exc)
                continue
            if isinstance(decision, ImportResult):
                run.done(n, decision)  # nothing to do
                continue
            existing, differences = decision
            spans = [(t["start"], t["end"]) for t in built.turns]
            run.pending.append(_Pending(n, path, built, existing, differences,
                                        segmenter.submit(built.text, spans)))
            run.store_pending(segmenter.max_in_flight)
        run.store_pending(0)
    _after_import(project.db, list(run.results.values()), run.new_ids)
    if progress:
        progress(len(files), len(files), "done")
    return problems + run.in_order()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class _Pending:
    """A file read and decided on, its sentences on their way."""

    n: int
    path: Path
    built: BuiltTranscript
    existing: dict[str, Any] | None
    differences: list[str]
    sentences: Callable[[], segmenting.SegmentedTranscript]


class _ImportRun:
    """The files of one import with what became of each, and the ones waiting to be stored."""

    def __init__(self, project: Project, who: str, files: list[Path], progress: Progress | None) -> None:
        self.project, self.who, self.files, self.progress = project, who, files, progress
        self.results: dict[int, ImportResult] = {}
        self.pending: deque[_Pending] = deque()
        self.new_ids: set[str] = set()
        self.backed_up = False
        #: The file the store refused and why: the import stops there.
        self.stopped_at: tuple[str, str] | None = None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def report(self, message: str) -> None:
        if self.progress:
            self.progress(len(self.results), len(self.files), message)

    def done(self, n: int, result: ImportResult) -> None:
        self.results[n] = result

    def fail(self, n: int, path: Path, exc: WorkbenchError) -> None:
        if exc.path is None:
            exc = ImportFileError(exc.message, path=path, line=exc.line)
        self.results[n] = ImportResult(path, "failed", message=str(exc))

    def pending_with(self, built: BuiltTranscript) -> bool:
        return any(p.built.id == built.id or p.built.content_hash == built.content_hash
                   for p in self.pending)

    def store_pending(self, keep: int) -> None:
        """Store waiting files, oldest first, until at most ``keep`` wait."""
        while len(self.pending) > keep and not self.stopped:
            self._store(self.pending.popleft())
        if self.stopped:
            self.pending.clear()

    def _store(self, item: _Pending) -> None:
        db, built, existing, path = self.project.db, item.built, item.existing, item.path
        try:
            segmented = item.sentences()
            self.report(f"storing {path.name}")
            if existing is not None and not self.backed_up:
                from workbench.store.backup import backup_before

                backup_before(db, self.project.db_path, reason="replace")
                self.backed_up = True
            with db.atomic():
                flagged = store_transcript(db, built, segmented, self.who, existing)
                word_forms.record(db, segmented.forms)
                if existing is None:
                    self.new_ids.add(built.id)
                roles = {built.fields["role"], *([existing["role"]] if existing else [])}
                relabelled = [c for c in labels_service.apply_labels(db, new_ids=self.new_ids, roles=roles)
                              if c.old]
                what = "imported" if existing is None else f"replaced ({'; '.join(item.differences)})"
                log_only(db, self.who, "import" if existing is None else "import.replace",
                         f"{what} {built.id} from {path.name}")
            self.done(item.n, ImportResult(
                path, "replaced" if existing else "imported", built.id, warnings=built.parsed.warnings,
                flagged_codings=flagged, relabelled=relabelled, differences=item.differences))
        except WorkbenchError as exc:
            self.new_ids.discard(built.id)
            self.fail(item.n, path, exc)
        except sqlite3.DatabaseError as exc:  # the store refused: its reason, and stop here
            from workbench.store.connection import explain

            self.new_ids.discard(built.id)
            problem = explain(exc, self.project.db_path)
            self.done(item.n, ImportResult(path, "failed", message=f"{path}: {problem.message} "
                                           "(for this file; the files listed as imported are in)"))
            self.stopped_at = (path.name, problem.kind)

    def in_order(self) -> list[ImportResult]:
        """A result per file, in the order of the files: those not reached after a stop say so."""
        out = []
        for n, path in enumerate(self.files):
            if n in self.results:
                out.append(self.results[n])
            else:
                name, kind = self.stopped_at or ("?", "?")
                out.append(ImportResult(path, "failed", message=f"{path}: not imported: the import "
                                        f"stopped at {name} ({kind})"))
        return out


def _decide(db: sqlite_utils.Database, built: BuiltTranscript, path: Path, *, replace: bool,
            as_new: bool, update_metadata: bool
            ) -> tuple[dict[str, Any] | None, list[str]] | ImportResult:
    """What importing ``built`` means: the transcript it replaces (or None for a new one) and
    how the file differs from it; an "unchanged" result when there is nothing to do. Raises
    :class:`ConflictError` for a decision the user has to make (see :func:`import_paths`)."""
    if not _exists(db, built.id):
        return _against_the_same_text(db, built, path, as_new=as_new,
                                      update_metadata=update_metadata)
    existing = db.table("transcripts").get(built.id)
    same_text = existing["content_hash"] == built.content_hash
    known = existing.get("import_fingerprint") or stored_fingerprint(db, built.id)
    if same_text and known == built.fingerprint:
        return ImportResult(path, "unchanged", built.id, "already imported, identical: nothing to do")
    differences = describe_differences(db, existing, built) or ["how it was read"]
    if not (replace or (update_metadata and same_text)):
        keep = ("codings stay where they are: the text is the same" if same_text
                else "codings are kept: re-anchored on their words, or flagged")
        raise ConflictError(
            f"transcript {built.id} is already imported and this file differs in "
            f"{'; '.join(differences)}; use --replace to apply it ({keep})",
            path=path,
        )
    return existing, differences


def _against_the_same_text(db: sqlite_utils.Database, built: BuiltTranscript, path: Path, *,
                           as_new: bool, update_metadata: bool
                           ) -> tuple[dict[str, Any] | None, list[str]] | ImportResult:
    """A new id whose text may already be in the project under another id: a duplicate to
    refuse, to import as another transcript (``as_new``) or whose metadata the twin takes
    (``update_metadata``)."""
    same = db.execute(
        "select id from transcripts where content_hash = ?", [built.content_hash]
    ).fetchone()
    if same is None:
        return None, []
    if update_metadata:  # the file's metadata onto the twin
        dropped = built.id
        built.id = same[0]
        existing = db.table("transcripts").get(same[0])
        if existing.get("import_fingerprint") == built.fingerprint:
            return ImportResult(path, "unchanged", same[0],
                                f"the same text and metadata as transcript {same[0]}: nothing to do")
        return existing, [*(describe_differences(db, existing, built) or ["how it was read"]),
                          f"(from {path.name}; its id {dropped} was not used)"]
    if not as_new:
        twin = db.table("transcripts").get(same[0])
        lost = [f"its id {built.id}"] + [
            f"{key} '{built.fields[key]}' (the transcript has '{twin[key] or ''}')"
            for key in METADATA_COLUMNS if built.fields[key] != str(twin[key] or "")]
        raise ConflictError(
            f"the text is identical to transcript {same[0]}, already in the project; "
            f"{', '.join(lost)} would be dropped. Use --as-new to import it as another "
            f"transcript, or --update-metadata to give {same[0]} this file's metadata",
            path=path)
    built.parsed.warnings.append(
        f"the text is identical to transcript {same[0]}; imported as another "
        "transcript (--as-new)")
    return None, []


def _after_import(db: sqlite_utils.Database, results: list[ImportResult], new_ids: set[str]) -> None:
    """Bookkeeping after an import: which language pipeline made the sentences, fresh planner
    statistics. A storage problem here is not reported again (it was, for the file it
    stopped at)."""
    try:
        if any(r.status in ("imported", "replaced") for r in results):
            from workbench.services.transcripts.reprocess import note_import

            note_import(db)
        if new_ids:
            db.execute("ANALYZE transcripts")  # keep the planner on the covering label index
    except sqlite3.DatabaseError:
        pass


def pipeline_notice(db: sqlite_utils.Database) -> str | None:
    """A one-line note about the fallback language pipeline, once per project and pipeline:
    returns it (and remembers in ``meta`` that it was shown) or None when it was shown before
    or the Dutch model is in use."""
    from workbench.nlp.pipeline import INSTALL_HINT, get_pipeline

    _nlp, info = get_pipeline()
    if not info.notice:
        return None
    row = db.execute("select value from meta where key = ?", [NOTICE_KEY]).fetchone()
    if row and row[0] == info.fingerprint:
        return None
    with db.atomic():
        db.table("meta").upsert({"key": NOTICE_KEY, "value": info.fingerprint}, pk="key")
    return (f"sentences and lemmas come from spaCy's rule-based Dutch pipeline; for better lemmas "
            f"and names in the audit install the Dutch model ({INSTALL_HINT}), then run "
            "'workbench reprocess' (shown once; 'workbench doctor' tells more)")


def _exists(db: sqlite_utils.Database, tid: str) -> bool:
    return db.execute("select 1 from transcripts where id = ?", [tid]).fetchone() is not None


def store_transcript(db: sqlite_utils.Database, built: BuiltTranscript,
                     segmented: segmenting.SegmentedTranscript, coder: str,
                     existing: dict[str, Any] | None) -> list[str]:
    """Insert (or, with ``existing``, replace) a transcript with its turns and sentences;
    returns the codings flagged because their words are gone."""
    if not str(built.metadata.get("role") or "").strip():
        built.parsed.warnings.append("no role in the metadata: the role 'respondent' was used (add 'rol: …')")
    row = {
        "id": built.id,
        "text": built.text,
        "content_hash": built.content_hash,
        "import_fingerprint": built.fingerprint,
        "source_path": str(built.parsed.path),
        "source_format": built.parsed.source_format,
        **built.fields,
        "label": existing["label"] if existing else "",
        "label_manual": existing["label_manual"] if existing else 0,
        "word_count": segmented.words,
        "turn_count": len(built.turns),
        "sentence_count": segmented.sentence_count,
        "imported_at": now_iso(),
        "imported_by": coder,
    }
    flagged: list[str] = []
    if existing is not None:
        flagged = _reanchor_codings(db, existing["text"], built.text, built.id)
        sentence_index.drop_sentences(db, built.id, existing["text"])
        db.execute("delete from turns where transcript_id = ?", [built.id])
        if existing["text"] != built.text:  # with the same text the flags' spans still hold
            db.execute("delete from audit_flags where transcript_id = ?", [built.id])
        db.table("transcripts").update(built.id, row)
    else:
        db.table("transcripts").insert(row)
    # Plain executemany: sqlite-utils' insert_all costs more than the language pipeline here.
    db.conn.executemany(
        "insert into turns (transcript_id, idx, speaker, role, start, [end], time) values (?, ?, ?, ?, ?, ?, ?)",
        [(built.id, t["idx"], t["speaker"], t["role"], t["start"], t["end"], t["time"]) for t in built.turns],
    )
    sentence_index.add_sentences(db, built.id, built.text,
                                 segmented.table_rows(built.id, [t["idx"] for t in built.turns]))
    return flagged


def _reanchor_codings(db: sqlite_utils.Database, old_text: str, new_text: str, tid: str) -> list[str]:
    """Move each coding to where its words are in the new text; flag those that cannot be.

    One coding per coder, code and span holds throughout (a unique index): the moves are made
    in two steps (first out of the way, then into place), and a coding that lands on the span
    of another of the same coder and code joins it (its memo and quotes go over)."""
    flagged = []
    targets: dict[str, tuple[int, int, str | None]] = {}
    rows = list(db.query("select id, code_id, coder, start, end, memo from codings where transcript_id = ?", [tid]))
    for c in rows:
        words = old_text[c["start"] : c["end"]]
        if new_text[c["start"] : c["end"]] == words:
            continue
        hits = [m.start() for m in re.finditer(re.escape(words), new_text)] if words else []
        if hits:
            best = min(hits, key=lambda h: abs(h - c["start"]))
            targets[c["id"]] = (best, best + len(words), None)
        else:
            end = min(c["end"], len(new_text))
            start = min(c["start"], end)
            targets[c["id"]] = (start, end, f"text changed on re-import; was: {words[:200]}")
            flagged.append(c["id"])
    for n, cid in enumerate(targets):  # out of the way: spans no coding can have
        db.execute("update codings set start = ?, end = ? where id = ?", [-1 - n, -1 - n, cid])
    by_id = {c["id"]: c for c in rows}
    for cid, (start, end, flag) in targets.items():
        c = by_id[cid]
        twin = db.execute("select id, memo from codings where transcript_id = ? and code_id = ? and "
                          "coder = ? and start = ? and end = ?",
                          [tid, c["code_id"], c["coder"], start, end]).fetchone()
        if twin is None:
            db.table("codings").update(cid, {"start": start, "end": end, "flag": flag})
            continue
        _join_coding(db, cid, c["memo"] or "", twin[0], twin[1] or "")
        if cid in flagged:
            flagged.remove(cid)
    return flagged


def _join_coding(db: sqlite_utils.Database, gone: str, memo: str, kept: str, kept_memo: str) -> None:
    """Coding ``gone`` became a copy of ``kept``: its memo and what points at it move over."""
    from workbench.services.codebook.codes import _pk_of, references

    if memo.strip() and memo.strip() not in kept_memo:
        db.table("codings").update(kept, {"memo": f"{kept_memo.rstrip()}\n\n{memo.strip()}".strip()})
    for table, column, ref in references(db, "codings", gone):
        db.table(table).update(_pk_of(db, table, ref), {column: kept})
    db.execute("update memos set target_id = ? where target_kind = 'coding' and target_id = ?", [kept, gone])
    db.execute("delete from codings where id = ?", [gone])


# -- reading ---------------------------------------------------------------------------------

def list_transcripts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query(
        "select id, label, role, municipality, domain, date, turn_count as turns, "
        "sentence_count as sentences, word_count as words, source_format as format "
        "from transcripts order by date, id"
    ))


def resolve_transcript(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A transcript by id, or by its label (case-insensitive)."""
    ref = ref.strip()
    row = db.execute("select id from transcripts where id = ?", [ref]).fetchone()
    if row is None:
        rows = db.execute("select id from transcripts where lower(label) = lower(?) or lower(id) = lower(?)", [ref, ref]).fetchall()
        if len(rows) == 1:
            row = rows[0]
    if row is None:
        raise NotFoundError(f"no transcript '{ref}' (see 'workbench transcripts')")
    return db.table("transcripts").get(row[0])


def get_turns(db: sqlite_utils.Database, tid: str) -> list[dict[str, Any]]:
    return list(db.table("turns").rows_where("transcript_id = ?", [tid], order_by="idx"))


def get_sentences(db: sqlite_utils.Database, tid: str) -> list[dict[str, Any]]:
    """The sentences of ``tid`` in order, each with its ``text`` (cut from the transcript's)."""
    row = db.execute("select text from transcripts where id = ?", [tid]).fetchone()
    text = row[0] if row else ""
    return [{**s, "text": text[s["start"] : s["end"]]}
            for s in db.table("sentences").rows_where("transcript_id = ?", [tid], order_by="idx")]


def set_label(db: sqlite_utils.Database, ref: str, label: str, coder: str) -> dict[str, Any]:
    from workbench.project import validate_name
    from workbench.store.changes import record

    t = resolve_transcript(db, ref)
    label = validate_name(label, what="label")
    clash = db.execute("select id from transcripts where label = ? and id != ?", [label, t["id"]]).fetchone()
    if clash:
        raise ConflictError(f"the label '{label}' is already used by transcript {clash[0]}")
    with record(db, coder, "label.set", f"label of {t['id']}: {t['label']} -> {label}") as cs:
        return cs.update("transcripts", t["id"], {"label": label, "label_manual": 1})


def freeze_labels(db: sqlite_utils.Database, frozen: bool = True) -> None:
    with db.atomic():
        db.table("meta").upsert({"key": labels_service.FROZEN_KEY, "value": "1" if frozen else "0"}, pk="key")


# -- removing ----------------------------------------------------------------------------------

@dataclass
class RemoveSummary:
    transcript_id: str
    label: str
    removed: dict[str, int]  # table -> rows removed with the transcript
    coders: list[str]  # whose codings went with it
    backup: Path
    relabelled: list[labels_service.LabelChange] = field(default_factory=list)


def _dependent_tables(db: sqlite_utils.Database) -> tuple[list[str], list[str]]:
    """Tables whose rows hang on a coding (``coding_id``) and on a transcript (``transcript_id``),
    found by their columns so that tables added later are included."""
    by_coding, by_transcript = [], []
    for name in db.table_names():
        if name.startswith("sentences_fts") or name in ("codings", "transcripts", "change_rows"):
            continue
        columns = {c.name for c in db.table(name).columns}
        if "coding_id" in columns:
            by_coding.append(name)
        elif "transcript_id" in columns:
            by_transcript.append(name)
    return by_coding, by_transcript


def remove_transcript(project: Project, ref: str, coder: str, *, force: bool = False) -> RemoveSummary:
    """Remove a transcript with its turns, sentences, codings, quotes, audit flags and memos as
    one recorded change (``workbench undo`` brings it all back), after a backup. Refused while
    codings or quotes exist, unless ``force``."""
    from workbench.store.backup import backup_before
    from workbench.store.changes import record

    db = project.db
    t = resolve_transcript(db, ref)
    tid = t["id"]
    codings = [r["id"] for r in db.query("select id from codings where transcript_id = ? order by id", [tid])]
    coders = [r[0] for r in db.execute(
        "select distinct coder from codings where transcript_id = ? order by coder", [tid]).fetchall()]
    by_coding, by_transcript = _dependent_tables(db)
    marks = ",".join("?" * len(codings))
    quotes = db.execute(f"select count(*) from quotes where coding_id in ({marks})", codings).fetchone()[0] if codings else 0
    if (codings or quotes) and not force:
        raise ConflictError(
            f"transcript {tid} ({t['label']}) has {len(codings)} coding(s)"
            + (f" by {', '.join(coders)}" if coders else "")
            + (f" and {quotes} quote(s)" if quotes else "")
            + "; add --force to remove it with them (a backup is taken first, and 'workbench undo' "
            "brings everything back)"
        )
    backup = backup_before(db, project.db_path, reason="remove")
    removed: dict[str, int] = {}

    def drop(cs: ChangeSet, table: str, where: str, params: list[Any]) -> None:
        pks = db.table(table).pks
        keys = [list(r) for r in db.execute(
            f"select {', '.join(f'[{k}]' for k in pks)} from [{table}] where {where}", params).fetchall()]
        for key in keys:
            cs.delete(table, key)
        if keys:
            removed[table] = removed.get(table, 0) + len(keys)

    with record(db, coder, "transcript.remove", f"remove transcript {tid} ({t['label']})") as cs:
        if codings:
            for table in by_coding:
                drop(cs, table, f"coding_id in ({marks})", codings)
            if "refi_guids" in db.table_names():
                drop(cs, "refi_guids", f"kind = 'coding' and local_id in ({marks})", codings)
            drop(cs, "codings", "transcript_id = ?", [tid])
        for table in by_transcript:
            drop(cs, table, "transcript_id = ?", [tid])
        drop(cs, "memos", "target_kind = 'transcript' and target_id = ?", [tid])
        if "refi_guids" in db.table_names():
            drop(cs, "refi_guids", "kind = 'transcript' and local_id = ?", [tid])
        cs.delete("transcripts", tid)
        relabelled = labels_service.apply_labels(db, changes=cs)
        if relabelled:
            cs.summary += "; labels: " + ", ".join(str(c) for c in relabelled)
    return RemoveSummary(tid, t["label"], removed, coders, backup, relabelled)
