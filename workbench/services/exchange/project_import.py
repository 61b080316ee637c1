"""Importing a REFI-QDA project archive (``.qdpx``) into a new or existing project.

The archive is checked and read in memory first (:mod:`workbench.formats.safety`); nothing is
written until the whole archive has been understood. Then, as one recorded change (one
transaction; ``workbench undo`` takes all of it back, see :mod:`workbench.services.exchange.journal`):

- the code tree becomes themes and codes (:mod:`workbench.formats.refiqda.codes`) and is applied with
  :func:`workbench.services.codebook.sync.apply_sync` as another project's codebook
  (``foreign=True``): codes are added, or matched to local ones by id or name, and updated;
  local codes the archive lacks are kept, never removed; conflicts as for the YAML codebook
  (``strategy`` fail / theirs / ours);
- every source with text becomes a transcript: a ``TextSource``'s plain text (inline or a
  ``.txt`` in the archive), a PDF's plain-text ``Representation``, the text of an audio or video
  ``Transcript``. Turns and the offset map come from :mod:`workbench.formats.refiqda.textmap`. A source
  whose text equals a transcript already in the project is matched to it, not duplicated;
- each ``Coding`` (per ``creatingUser``) becomes a coding of that coder; users become coders;
- notes become memos: on the project, a transcript, a code (its memo) or a coding (its memo); a
  selection's description becomes its codings' memo (or a transcript memo quoting it);
- case variables (role, label, municipality, domain, date) become transcript metadata; other
  variables are kept in the transcript's metadata.

Everything that cannot be carried over (pictures, audio/video and PDF region selections,
external files, sets, graphs, links, case codes …) is listed in the report, never dropped
silently. Importing into an existing project takes an automatic backup first (removed again
when the import is refused); a project the import creates gets the importing coder as its
default coder.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.etree.ElementTree import Element

from sqlite_utils import Database

from workbench.clock import now_iso
from workbench.errors import WorkbenchError
from workbench.formats.refiqda.codes import (
    MappedCodes,
    RefiCode,
    child,
    child_text,
    children,
    local_name,
    parse_code_tree,
    tree_to_entries,
)
from workbench.formats.refiqda.model import GuidMap, Report, norm_guid
from workbench.formats.refiqda.textmap import Segmented, segment, utf16_to_codepoints
from workbench.formats.safety import Archive, check_depth, open_archive, parse_xml
from workbench.project import DB_NAME, Project, validate_name
from workbench.textsafety import NAME_LIMIT, cleaned

if TYPE_CHECKING:
    from workbench.services.codebook.sync import SyncReport
    from workbench.services.transcripts.segmenting import SegmentedTranscript
    from workbench.store.changes import ChangeSet

VARIABLE_NAMES = {
    "role": "role", "rol": "role", "functie": "role", "function": "role",
    "label": "label", "respondent label": "label",
    "municipality": "municipality", "gemeente": "municipality", "city": "municipality",
    "domain": "domain", "domein": "domain", "beleidsdomein": "domain",
    "date": "date", "datum": "date", "interview date": "date",
}
MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video", "PDFSource": "PDF"}


# -- what the archive holds ------------------------------------------------------------------


@dataclass
class CodingIn:
    guid: str
    code_guid: str
    user: str | None
    created_at: str | None
    note_refs: list[str] = field(default_factory=list)


@dataclass
class SelectionIn:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    description: str
    codings: list[CodingIn] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class SourceIn:
    guid: str
    name: str
    text: str
    where: str  # the archive member or "inline"
    user: str | None
    selections: list[SelectionIn] = field(default_factory=list)
    whole: list[CodingIn] = field(default_factory=list)  # codings of the whole source
    note_refs: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass
class NoteIn:
    guid: str
    name: str
    text: str
    user: str | None
    created_at: str | None


@dataclass
class ProjectIn:
    name: str
    origin: str
    creator: str | None
    users: dict[str, str]  # guid -> coder name
    codes: list[RefiCode]
    sources: list[SourceIn]
    notes: dict[str, NoteIn]
    code_notes: dict[str, list[str]]  # code guid -> note guids
    project_notes: list[str]
    description: str
    report: Report


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _decode(data: bytes, what: str, report: Report) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        report.note(f"{what} is not UTF-8 (as the standard requires); read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _member_for(archive: Archive, ref: str) -> str | None:
    """The archive member an ``internal://`` (or bare) path refers to, case-insensitively."""
    name = ref.strip()
    if name.lower().startswith("internal://"):
        name = name[len("internal://"):]
    name = name.lstrip("/")
    if not name or ".." in name.replace("\\", "/").split("/"):
        return None
    for candidate in (f"sources/{name}", name):
        found = archive.find(candidate)
        if found:
            return found
    return None


def _codings(el: Element) -> list[CodingIn]:
    out = []
    for c in children(el, "Coding"):
        ref = child(c, "CodeRef")
        out.append(CodingIn(
            norm_guid(c.get("guid")), norm_guid(ref.get("targetGUID") if ref is not None else ""),
            norm_guid(c.get("creatingUser")) or None, c.get("creationDateTime"),
            [norm_guid(r.get("targetGUID")) for r in children(c, "NoteRef")],
        ))
    return out


def _variables(el: Element, var_names: dict[str, str]) -> dict[str, str]:
    out = {}
    for vv in children(el, "VariableValue"):
        ref = child(vv, "VariableRef")
        name = var_names.get(norm_guid(ref.get("targetGUID")) if ref is not None else "", "")
        value = next((v.text or "" for v in vv if local_name(v.tag) != "VariableRef"), "")
        if name and value.strip():
            out[name] = value.strip()
    return out


def read_archive(path: Path) -> ProjectIn:
    """Check the archive and read what an import needs (no project is touched)."""
    report = Report()
    with open_archive(path) as archive:
        qde = archive.find("project.qde")
        if qde is None:
            candidates = [n for n in archive.names if n.lower().endswith(".qde") and "/" not in n]
            if len(candidates) != 1:
                raise WorkbenchError(
                    "not a REFI-QDA project archive: no project.qde inside"
                    + (f" (several .qde files: {', '.join(candidates)})" if candidates else ""),
                    path=path,
                )
            qde = candidates[0]
        root = parse_xml(archive.read(qde), path=path, what=qde)
        check_depth(root, path=path)
        if local_name(root.tag) != "Project":
            raise WorkbenchError(f"{qde}: the root element is <{local_name(root.tag)}>, not <Project>", path=path)
        return _read_project(root, archive, report, path)


def _read_project(root: Element, archive: Archive, report: Report, path: Path) -> ProjectIn:
    book = child(root, "CodeBook")
    codes = parse_code_tree(child(book, "Codes") if book is not None else None, report)
    var_names: dict[str, str] = {}
    vars_el = child(root, "Variables")
    for v in children(vars_el, "Variable") if vars_el is not None else []:
        var_names[norm_guid(v.get("guid"))] = (v.get("name") or "").strip()
    sources = _read_sources(root, archive, report, var_names)
    _read_cases(root, sources, var_names, report)
    _report_unsupported(root, report)
    project_notes = [norm_guid(r.get("targetGUID")) for r in children(root, "NoteRef")]
    return ProjectIn(
        name=root.get("name") or path.stem, origin=root.get("origin") or "",
        creator=norm_guid(root.get("creatingUserGUID")) or None, users=_read_users(root),
        codes=codes, sources=sources, notes=_read_notes(root, archive, report),
        code_notes=_code_notes(codes), project_notes=project_notes,
        description=child_text(root, "Description").strip(), report=report,
    )


def _read_users(root: Element) -> dict[str, str]:
    """The project's users: guid -> a valid, unique coder name."""
    users: dict[str, str] = {}
    taken: Counter[str] = Counter()
    users_el = child(root, "Users")
    for u in children(users_el, "User") if users_el is not None else []:
        guid = norm_guid(u.get("guid"))
        raw = " ".join((u.get("name") or u.get("id") or "").split()) or f"user-{guid[:8]}"
        try:
            name = validate_name(raw, what="user name")
        except WorkbenchError:
            name = f"user-{guid[:8]}"
        taken[name.lower()] += 1
        if taken[name.lower()] > 1:
            name = f"{name} ({u.get('id') or guid[:8]})"
        users[guid] = name
    return users


def _code_notes(codes: list[RefiCode]) -> dict[str, list[str]]:
    """The notes each code refers to, at any depth of the code tree: code guid -> note guids."""
    code_notes: dict[str, list[str]] = {}

    def collect_code_notes(nodes: list[RefiCode]) -> None:
        for n in nodes:
            if n.note_refs:
                code_notes[n.guid] = n.note_refs
            collect_code_notes(n.children)

    collect_code_notes(codes)
    return code_notes


def _read_sources(root: Element, archive: Archive, report: Report,
                  var_names: dict[str, str]) -> list[SourceIn]:
    """The text sources (a PDF's text representation, a media source's transcripts); what
    the workbench cannot hold goes into the report."""
    sources: list[SourceIn] = []
    sources_el = child(root, "Sources")
    for el in list(sources_el) if sources_el is not None else []:
        kind = local_name(el.tag)
        path_stem = re.split(r"[/\\]", (el.get("plainTextPath") or el.get("path") or "").strip())[-1]
        name = (el.get("name") or "").strip() or path_stem or norm_guid(el.get("guid"))
        if kind == "TextSource":
            src = _text_source(el, archive, report, name, var_names)
            if src is not None:
                sources.append(src)
        elif kind == "PDFSource":
            rep = child(el, "Representation")
            pdf_sel = children(el, "PDFSelection")
            if pdf_sel:
                n_codings = sum(len(children(s, "Coding")) for s in pdf_sel)
                report.lost(f"PDF source '{name}': {len(pdf_sel)} region selection(s) with {n_codings} coding(s) (only text selections are carried over)")
            if rep is not None:
                src = _text_source(rep, archive, report, name, var_names, outer=el)
                if src is not None:
                    sources.append(src)
            else:
                report.lost(f"PDF source '{name}': no plain-text representation in the archive")
        elif kind in MEDIA:
            sels = [s for s in el if local_name(s.tag).endswith("Selection")]
            n_codings = sum(len(children(s, "Coding")) for s in sels) + len(children(el, "Coding"))
            report.lost(f"{MEDIA[kind]} source '{name}' ({len(sels)} selection(s), {n_codings} coding(s)): the workbench holds text only")
            for i, tr in enumerate(children(el, "Transcript"), start=1):
                src = _text_source(tr, archive, report, f"{name} transcript {i}" if i > 1 else f"{name} transcript", var_names)
                if src is not None:
                    src.variables.update(_variables(el, var_names))
                    if children(tr, "TranscriptSelection"):
                        report.lost(f"'{src.name}': {len(children(tr, 'TranscriptSelection'))} transcript selection(s) tied to sync points")
                    sources.append(src)
        else:
            report.lost(f"unknown source element <{kind}> '{name}'")

    return sources


def _read_cases(root: Element, sources: list[SourceIn], var_names: dict[str, str],
                report: Report) -> None:
    """Gives each case's variables to its sources (cases are respondents here)."""
    cases_el = child(root, "Cases")
    by_guid = {s.guid: s for s in sources}
    for case in children(cases_el, "Case") if cases_el is not None else []:
        values = _variables(case, var_names)
        refs = [norm_guid(r.get("targetGUID")) for r in children(case, "SourceRef")]
        cname = case.get("name") or norm_guid(case.get("guid"))
        if children(case, "CodeRef") or children(case, "SelectionRef"):
            report.lost(f"case '{cname}': its codes and selection references (cases are respondents here)")
        linked = [by_guid[g] for g in refs if g in by_guid]
        if not linked:
            if values or refs:
                report.lost(f"case '{cname}': no imported source belongs to it, so its variables have nowhere to go")
            continue
        for linked_source in linked:
            for var, value in values.items():
                linked_source.variables.setdefault(var, value)


def _read_notes(root: Element, archive: Archive, report: Report) -> dict[str, NoteIn]:
    """The project's notes with their text (inline, or a file in the archive): guid -> note."""
    notes: dict[str, NoteIn] = {}
    notes_el = child(root, "Notes")
    for n in children(notes_el, "Note") if notes_el is not None else []:
        guid = norm_guid(n.get("guid"))
        text = child_text(n, "PlainTextContent")
        text_path = n.get("plainTextPath")
        if not text and text_path:
            member = _member_for(archive, text_path)
            if member:
                text = _decode(archive.read(member), member, report)
        desc = child_text(n, "Description").strip()
        if desc:
            text = f"{desc}\n\n{text}" if text.strip() else desc
        if not text.strip():
            report.lost(f"note '{n.get('name') or guid}': it has no text in the archive")
            continue
        notes[guid] = NoteIn(guid, (n.get("name") or "").strip(), text.strip(), norm_guid(n.get("creatingUser")) or None,
                             n.get("creationDateTime"))

    return notes


def _report_unsupported(root: Element, report: Report) -> None:
    """Sets, graphs and links: the workbench has none; the report names them."""
    for tag, what in (("Sets", "set"), ("Graphs", "graph"), ("Links", "link")):
        group = child(root, tag)
        items = list(group) if group is not None else []
        if items:
            names = [i.get("name") or norm_guid(i.get("guid")) for i in items]
            report.lost(f"{len(items)} {what}(s) (the workbench has no {what}s): " + ", ".join(names[:12]) + (" …" if len(names) > 12 else ""))


def _text_source(el: Element, archive: Archive, report: Report, name: str, var_names: dict[str, str],
                 outer: Element | None = None) -> SourceIn | None:
    guid = norm_guid((outer if outer is not None else el).get("guid")) or norm_guid(el.get("guid"))
    sels = children(el, "PlainTextSelection")
    n_codings = sum(len(children(s, "Coding")) for s in sels) + len(children(el, "Coding"))
    lost_what = f" ({len(sels)} selection(s), {n_codings} coding(s))" if sels or n_codings else ""
    inline = child(el, "PlainTextContent")
    text: str | None = None
    where = "inline"
    ref = el.get("plainTextPath") or ""
    if inline is not None and (inline.text or "").strip():
        text = inline.text or ""
    elif ref:
        low = ref.lower()
        if low.startswith(("relative://", "absolute://")):
            report.lost(f"source '{name}'{lost_what}: its text is outside the archive ({ref}); external files are never read")
            return None
        member = _member_for(archive, ref)
        if member is None:
            report.lost(f"source '{name}'{lost_what}: its text file {ref} is not in the archive")
            return None
        text = _decode(archive.read(member), member, report)
        where = member
    elif el.get("richTextPath"):
        report.lost(f"source '{name}'{lost_what}: only a formatted file ({el.get('richTextPath')}), no plain-text representation")
        return None
    if text is None or not text.strip():
        report.lost(f"source '{name}'{lost_what}: it has no text")
        return None
    src = SourceIn(guid, name, text, where, norm_guid(el.get("creatingUser")) or None,
                   description=child_text(el, "Description").strip())
    for s in sels:
        start, end = _int(s.get("startPosition")), _int(s.get("endPosition"))
        sname = s.get("name") or ""
        if start is None or end is None:
            report.lost(f"source '{name}': selection '{sname}' without valid positions")
            continue
        src.selections.append(SelectionIn(
            norm_guid(s.get("guid")), sname, start, end, norm_guid(s.get("creatingUser")) or None,
            child_text(s, "Description").strip(), _codings(s),
            [norm_guid(r.get("targetGUID")) for r in children(s, "NoteRef")],
        ))
    src.whole = _codings(el) + (_codings(outer) if outer is not None else [])
    src.note_refs = [norm_guid(r.get("targetGUID")) for r in children(el, "NoteRef")]
    if outer is not None:
        src.note_refs += [norm_guid(r.get("targetGUID")) for r in children(outer, "NoteRef")]
    src.variables = _variables(el, var_names)
    if outer is not None:
        src.variables.update(_variables(outer, var_names))
    return src


# -- into the project ------------------------------------------------------------------------


@dataclass
class QdpxImportResult:
    project_root: Path
    created: bool
    report: Report
    backup: Path | None = None
    transcripts: list[str] = field(default_factory=list)
    codebook_lines: list[str] = field(default_factory=list)
    default_coder: str | None = None  # set in a project the import created
    recorded: bool = False  # the import changed something ('workbench undo' takes it back)


def _transcript_id(name: str) -> str:
    stem = re.sub(r"\.(txt|docx|pdf|rtf|md)$", "", name.strip(), flags=re.IGNORECASE)
    tid = re.sub(r"[^\w.\-]+", "_", stem).strip("_.")
    return tid[:60] or "source"


def _open_target(project: Project | None, target: Path | None) -> tuple[Project, bool]:
    if project is not None:
        return project, False
    if target is None:
        raise WorkbenchError("name the project to import into (--project DIR)")
    target = Path(target).expanduser()
    if (target / DB_NAME).is_file():
        return Project.open(target), False
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WorkbenchError(
            "exists and is not a workbench project; give an existing project or a new (empty) folder",
            path=target,
        )
    return Project.init(target), True


def import_qdpx(
    path: Path | str,
    *,
    project: Project | None = None,
    target: Path | str | None = None,
    coder: str | None = None,
    strategy: str = "fail",
) -> QdpxImportResult:
    """Import the archive at ``path`` into ``project`` (or the project at / new in ``target``)."""
    path = Path(path)
    data = read_archive(path)  # every safety check happens here, before anything is written
    existed_before = target is not None and Path(target).exists()
    proj, created = _open_target(project, Path(target) if target is not None else None)
    try:
        default_coder = None
        if created:  # later commands in the new project act as the importing coder, if named
            default_coder = proj.coder_or_none(coder)
            if default_coder is not None:
                proj.set_setting("default_coder", default_coder)
        result = _into_project(proj, created, data, path, coder, strategy)
        result.default_coder = default_coder
        return result
    except BaseException:
        if created:
            root = proj.root
            proj.close()
            if existed_before:
                for child_path in root.iterdir():
                    shutil.rmtree(child_path) if child_path.is_dir() else child_path.unlink()
            else:
                shutil.rmtree(root, ignore_errors=True)
        raise


class _Planned(NamedTuple):
    """A source of the archive and the transcript it becomes (``is_new``) or matches."""

    src: SourceIn
    seg: Segmented
    tid: str
    is_new: bool


def _plan_transcripts(db: Database, data: ProjectIn, guids: GuidMap) -> tuple[list[_Planned], set[str]]:
    """Which transcript each source becomes: a known one (same GUID and text, or same text) or
    a new one with a free id; and the new ids."""
    report = data.report
    existing = {r["id"]: r for r in db.query("select id, content_hash from transcripts")}
    by_hash = {r["content_hash"]: r["id"] for r in existing.values()}
    planned: list[_Planned] = []
    new_ids: set[str] = set()
    for src in data.sources:
        seg = segment(src.text, name=src.name)
        if not seg.text.strip():
            report.lost(f"source '{src.name}': no text left after removing blank lines")
            continue
        digest = hashlib.sha256(seg.text.encode("utf-8")).hexdigest()
        known = guids.local("transcript", src.guid, list(existing))
        if known and existing[known]["content_hash"] == digest:
            planned.append(_Planned(src, seg, known, False))
            continue
        if digest in by_hash:
            planned.append(_Planned(src, seg, by_hash[digest], False))
            report.note(f"source '{src.name}' has the same text as transcript {by_hash[digest]}: its codings and notes were added to it")
            continue
        base = _transcript_id(src.name)
        tid, n = base, 1
        while tid in existing or tid in new_ids:
            n += 1
            tid = f"{base}-{n}"
        if tid != base:
            report.note(f"source '{src.name}': transcript id {base} is taken (different text), imported as {tid}")
        new_ids.add(tid)
        by_hash[digest] = tid
        planned.append(_Planned(src, seg, tid, True))
    return planned, new_ids


def _plan_codes(db: Database, data: ProjectIn, guids: GuidMap, own_export: bool) -> tuple[MappedCodes, set[str]]:
    """The archive's code tree as codebook entries (with the notes on codes as their memos),
    and the notes used that way."""
    coded = {c.code_guid for s in data.sources for c in s.whole}
    coded |= {c.code_guid for s in data.sources for sel in s.selections for c in sel.codings}
    code_memos = {
        g: "\n\n".join(_note_text(data.notes[n], own_export) for n in refs if n in data.notes)
        for g, refs in data.code_notes.items()
    }
    known_codes = [r["id"] for r in db.query("select id from codes")]
    mapped = tree_to_entries(
        data.codes, data.report, coded=coded, memos=code_memos,
        resolve_id=lambda g, kind: guids.local("code", g, known_codes),
    )
    return mapped, {n for refs in data.code_notes.values() for n in refs}


def _into_project(proj: Project, created: bool, data: ProjectIn, path: Path, coder: str | None,
                  strategy: str) -> QdpxImportResult:
    from workbench.services import word_forms
    from workbench.services.exchange.journal import note_written, settle
    from workbench.services.transcripts.segmenting import segment_transcript
    from workbench.store.changes import record

    db = proj.db
    who = proj.coder(coder)
    report = data.report
    result = QdpxImportResult(proj.root, created, report)
    own_export = data.origin.lower().startswith("workbench")
    guids = GuidMap(db)
    mapped, used_notes = _plan_codes(db, data, guids, own_export)
    planned, new_ids = _plan_transcripts(db, data, guids)

    backup = None
    if not created:
        from workbench.store.backup import backup_before

        backup = backup_before(db, proj.db_path, reason="qdpx-import")
        result.backup = backup

    segmented = {p.tid: segment_transcript(p.seg.text, [(t["start"], t["end"]) for t in p.seg.turns])
                 for p in planned if p.is_new}
    forms = {pair for s in segmented.values() for pair in s.forms}
    actor_is_new = db.execute("select 1 from coders where name = ?", [who]).fetchone() is None
    try:
        # One recorded change for everything the import writes (codebook, transcripts with their
        # turns and sentences, labels, GUIDs, coders, codings, memos): undo removes it all.
        with record(db, who, "qdpx.import", f"import project archive {path.name}") as cs:
            if actor_is_new:
                note_written(cs, "coders", [who])
            writer = _Writer(db, cs, data, guids, who, own_export, used_notes)
            code_id_for = writer.codes(mapped, strategy, path, result)
            writer.transcripts(planned, segmented, path, result)
            for word, form in word_forms.record(db, forms):
                note_written(cs, "lemma_forms", [word, form])
            writer.labels(planned, new_ids)
            writer.codings_and_memos(planned, code_id_for)
            settle(cs)
            result.recorded = bool(cs.rows)
            cs.summary = (f"import project archive {path.name}: {len(result.transcripts)} transcript(s), "
                          f"{report.counts.get('codings', 0)} coding(s)")
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)  # nothing was changed: no backup of it either
            result.backup = None
        raise
    db.execute("ANALYZE transcripts")  # keep the planner on the covering label index
    if created:
        report.note(f"created project {proj.root}")
    return result


def _report_codebook(sync: SyncReport, strategy: str, report: Report) -> None:
    """What the codebook sync did, truthfully: counts, conflicts and how they were resolved."""
    for key, n in (("codes and themes added", sync.added), ("codes and themes updated", sync.updated),
                   ("codes merged", sync.merged), ("codes and themes removed", sync.removed),
                   ("codings removed with them", sync.removed_codings)):
        if n:
            report.count(key, n)
    for w in sync.warnings:  # among them: local codes not in the archive, kept
        report.note(w)
    for c in sync.resolved:
        if strategy == "theirs":
            report.note(f"conflict resolved the archive's way (--theirs): {c.reason}")
        else:
            report.lost(f"the archive's side of a conflict (kept this project's, --ours): {c.reason}")


def _metadata(src: SourceIn) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, str] = {}
    extra: dict[str, str] = {}
    for k, v in src.variables.items():
        k, v = cleaned(k, one_line=True)[0], cleaned(v, one_line=True)[0][:NAME_LIMIT]
        key = VARIABLE_NAMES.get(k.strip().lower())
        if key:
            meta.setdefault(key, v)
        else:
            extra[k] = v
    return meta, extra


def _note_text(note: NoteIn, own_export: bool) -> str:
    if own_export or not note.name or note.text.startswith(note.name):
        return note.text
    return f"{note.name}\n\n{note.text}"


class _Writer:
    """Everything the import writes, through the change set ``cs`` (or noted in it), step by
    step: the codebook, the transcripts, their labels, then codings and memos. Holds what the
    steps share: the coders, codings and memos already there, and the counts for the report."""

    def __init__(self, db: Database, cs: ChangeSet, data: ProjectIn, guids: GuidMap, who: str,
                 own_export: bool, used_notes: set[str]) -> None:
        self.db, self.cs, self.data, self.guids, self.who = db, cs, data, guids, who
        self.report = data.report
        self.own_export = own_export
        self.used_notes = used_notes
        self.coders = {r[0] for r in db.execute("select name from coders")}
        self.existing_codings: dict[tuple[str, str, str, int, int], str] = {}
        self.existing_memos: set[tuple[str, str, str]] = set()
        self.counts: Counter[str] = Counter()
        self.lost_codes: Counter[str] = Counter()
        self.memo_appends: dict[str, list[str]] = {}  # coding id -> memo texts
        self.stored: dict[str, str] = {}  # source GUID -> transcript id

    # -- the codebook ------------------------------------------------------------------------

    def codes(self, mapped: MappedCodes, strategy: str, path: Path,
              result: QdpxImportResult) -> Callable[[str], str | None]:
        """Apply the archive's codebook (another project's: nothing local is ever removed);
        returns our code id for an archive code GUID (None for a theme or an unknown code)."""
        from workbench.services.codebook.sync import apply_sync
        from workbench.services.exchange.codebook import to_code_entries

        if mapped.entries:
            sync = apply_sync(self.db, self.who, to_code_entries(mapped.entries), strategy,
                              source=f"project archive {path.name}", foreign=True, cs=self.cs)
            result.codebook_lines = sync.lines
            _report_codebook(sync, strategy, self.report)
        code_rows = list(self.db.query("select id, kind, name from codes"))
        local_ids = {r["id"] for r in code_rows}
        by_name = {(r["kind"], r["name"].lower()): r["id"] for r in code_rows}
        entry_by_id = {e["id"]: e for e in mapped.entries}

        def final_id(e: dict[str, Any]) -> str | None:
            """Our code for an archive entry: its own id, or the local code of its name."""
            found: str | None = by_name.get((e["kind"], e["name"].lower()))
            return str(e["id"]) if e["id"] in local_ids else found

        for e in mapped.entries:
            # a code matched only by name keeps our GUID: the next import matches it by name again
            if final_id(e) == e["id"] and (r := self.guids.remember("code", e["id"], e["guid"])):
                self.cs.insert("refi_guids", r)

        def code_id_for(code_guid: str) -> str | None:
            e = entry_by_id.get(mapped.code_for_guid.get(code_guid, ""))
            if e is None:
                return None
            cid = final_id(e)
            return cid if cid is not None and e["kind"] == "code" else None

        return code_id_for

    # -- transcripts -------------------------------------------------------------------------

    def transcripts(self, planned: list[_Planned], segmented: dict[str, SegmentedTranscript],
                    path: Path, result: QdpxImportResult) -> None:
        """Store the new transcripts with their turns and sentences (``segmented``: by id)."""
        from workbench.formats.importers.model import ParsedTranscript
        from workbench.services.exchange.journal import note_written
        from workbench.services.transcripts.library import BuiltTranscript, store_transcript

        no_role = []
        for src, seg, tid, is_new in planned:
            self.stored[src.guid] = tid
            if not is_new:
                continue
            meta, extra = _metadata(src)
            if not meta.get("role"):
                no_role.append(tid)
            parsed = ParsedTranscript(Path(f"{path.name}:{src.where}"), "qdpx", [], {"id": tid, **meta, **extra})
            built = BuiltTranscript(tid, seg.text, seg.turns, parsed.metadata, parsed)
            store_transcript(self.db, built, segmented[tid], self.who, None)
            note_written(self.cs, "transcripts", [tid])
            for t in seg.turns:
                note_written(self.cs, "turns", [tid, t["idx"]])
            for i in range(segmented[tid].sentence_count):
                note_written(self.cs, "sentences", [tid, i])
            result.transcripts.append(tid)
            for w in seg.warnings:
                self.report.note(f"transcript {tid}: {w}")
            if (r := self.guids.remember("transcript", tid, src.guid)):
                self.cs.insert("refi_guids", r)
        if no_role:
            self.report.note(
                f"{len(no_role)} transcript(s) had no role variable and got the role 'respondent' "
                f"(labels follow roles; fix with 'workbench label'): {', '.join(no_role[:10])}")

    def labels(self, planned: list[_Planned], new_ids: set[str]) -> None:
        """Labels for the new transcripts from their roles, or the archive's own label where it
        is free."""
        from workbench.services.transcripts import labels as labels_service

        if not new_ids:
            return
        changed = labels_service.apply_labels(self.db, new_ids=new_ids, changes=self.cs)
        moved = [c for c in changed if c.transcript_id not in new_ids and c.old]
        if moved:
            self.report.note(labels_service.describe_changes(moved))
        for src, _seg, tid, is_new in planned:
            wanted = _metadata(src)[0].get("label")
            if not (is_new and wanted):
                continue
            row = self.db.table("transcripts").get(tid)
            clash = self.db.execute("select id from transcripts where label = ? and id != ?",
                                    [wanted, tid]).fetchone()
            if row["label"] != wanted and not clash:
                self.db.table("transcripts").update(tid, {"label": wanted, "label_manual": 1})
            elif clash:
                self.report.note(f"transcript {tid}: label '{wanted}' is used by {clash[0]}; kept '{row['label']}'")

    # -- codings and memos -------------------------------------------------------------------

    def coder_of(self, *user_guids: str | None) -> str:
        """The coder of the first archive user given who is known, else the importing coder."""
        for g in user_guids:
            if g and g in self.data.users:
                return self.data.users[g]
        return self.who

    def ensure_coder(self, name: str) -> None:
        """A new coder is part of the recorded change (undo removes it again)."""
        if name not in self.coders:
            self.coders.add(name)
            self.cs.insert("coders", {"name": name, "created_at": now_iso()})

    def add_memo(self, kind: str, target: str, text: str, user: str | None, at: str | None) -> None:
        text, removed = cleaned(text)
        if removed:
            self.counts["control or invisible characters removed from memos"] += removed
        if (kind, target, text) in self.existing_memos:
            self.counts["memos already there"] += 1
            return
        self.existing_memos.add((kind, target, text))
        coder = self.coder_of(user)
        self.ensure_coder(coder)
        self.cs.insert("memos", {"id": "m-" + secrets.token_hex(5), "target_kind": kind,
                                 "target_id": target, "coder": coder, "text": text,
                                 "created_at": at or now_iso(), "updated_at": now_iso()})
        self.counts["memos"] += 1

    def note_texts(self, refs: list[str]) -> list[tuple[str, NoteIn]]:
        out = []
        for g in refs:
            n = self.data.notes.get(g)
            if n is None:
                self.report.lost(f"a reference to note {g}, which is not in the archive")
                continue
            self.used_notes.add(g)
            out.append((_note_text(n, self.own_export), n))
        return out

    def codings_and_memos(self, planned: list[_Planned],
                          code_id_for: Callable[[str], str | None]) -> None:
        db = self.db
        self.existing_codings = {
            (r["transcript_id"], r["code_id"], r["coder"], r["start"], r["end"]): r["id"]
            for r in db.query("select id, transcript_id, code_id, coder, start, end from codings")
        }
        self.existing_memos = {(r["target_kind"], r["target_id"], r["text"])
                               for r in db.query("select target_kind, target_id, text from memos")}
        texts = {tid: db.table("transcripts").get(tid)["text"] for tid in set(self.stored.values())}
        for src, seg, tid, _is_new in planned:
            self._selections(src, seg, tid, texts[tid], code_id_for)
            self._whole_source(src, tid, texts[tid], code_id_for)
            for ntext, n in self.note_texts(src.note_refs):
                self.add_memo("transcript", tid, ntext, n.user, n.created_at)
            if src.description:
                self.add_memo("transcript", tid, src.description, src.user, None)
        self._append_coding_memos()
        self._project_memos()
        self._finish_report()

    def _selections(self, src: SourceIn, seg: Segmented, tid: str, text: str,
                    code_id_for: Callable[[str], str | None]) -> None:
        """The codings of each text selection, with its description and notes as memos."""
        convert = None
        if any(ord(ch) > 0xFFFF for ch in src.text):
            convert = _utf16_check(src)
            if convert is not None:
                self.report.note(f"source '{src.name}': positions counted in UTF-16 units (not code points as the standard says); converted")
        trimmed = 0
        for sel in src.selections:
            s, e = (convert(sel.start), convert(sel.end)) if convert else (sel.start, sel.end)
            if not (0 <= s < e <= len(src.text)):
                self.report.lost(f"source '{src.name}': selection '{sel.name}' [{sel.start}:{sel.end}] lies outside its text (0:{len(src.text)})")
                continue
            span = seg.to_canonical(s, e)
            if span is None:
                self.report.lost(f"source '{src.name}': selection '{sel.name}' covers only a speaker prefix or blank space")
                continue
            if seg.dropped_chars(src.text, s, e):
                trimmed += 1
            memo_notes = self.note_texts(sel.note_refs)
            made = [coding_id for c in sel.codings
                    if (coding_id := self._selection_coding(src, sel, c, tid, span, code_id_for))]
            extra = [t for t in ([sel.description] if sel.description else []) + [t for t, _ in memo_notes] if t]
            if extra and made:
                for coding_id in made:
                    self.memo_appends.setdefault(coding_id, []).extend(extra)
            elif extra:
                quote = text[span[0]:span[1]]
                short = quote if len(quote) <= 200 else quote[:199] + "…"
                for t in extra:
                    self.add_memo("transcript", tid, f"“{short}” [{span[0]}:{span[1]}]\n\n{t}", sel.user, None)
            elif not sel.codings:
                self.report.lost(f"source '{src.name}': selection '{sel.name}' without codes or notes (the workbench has no free quotations)")
        if trimmed:
            self.report.note(f"source '{src.name}': {trimmed} selection(s) lost their speaker prefix (names are not kept in transcripts)")

    def _selection_coding(self, src: SourceIn, sel: SelectionIn, c: CodingIn, tid: str,
                          span: tuple[int, int], code_id_for: Callable[[str], str | None]) -> str | None:
        """One coding of a selection (new, or the same one already there); its id, or None
        when its code is not in the codebook."""
        from workbench.services.coding.passages import new_coding_id

        cid = code_id_for(c.code_guid)
        if cid is None:
            self.lost_codes[c.code_guid] += 1
            return None
        coder = self.coder_of(c.user, sel.user, src.user, self.data.creator)
        key = (tid, cid, coder, *span)
        if key in self.existing_codings:
            self.counts["codings already there"] += 1
            coding_id = self.existing_codings[key]
        else:
            self.ensure_coder(coder)
            kept = self.guids.local("coding", c.guid) if c.guid else None
            free = kept and not self.db.execute("select 1 from codings where id = ?", [kept]).fetchone()
            coding_id = kept if kept and free else new_coding_id()
            self.cs.insert("codings", {"id": coding_id, "transcript_id": tid, "code_id": cid,
                                       "coder": coder, "start": span[0], "end": span[1], "memo": "",
                                       "flag": None, "created_at": c.created_at or now_iso()})
            self.existing_codings[key] = coding_id
            if c.guid and (r := self.guids.remember("coding", coding_id, c.guid)):
                self.cs.insert("refi_guids", r)
            self.counts["codings"] += 1
        for ntext, _n in self.note_texts(c.note_refs):
            self.memo_appends.setdefault(coding_id, []).append(ntext)
        return coding_id

    def _whole_source(self, src: SourceIn, tid: str, text: str,
                      code_id_for: Callable[[str], str | None]) -> None:
        """Codings of the whole source become codings of the whole transcript text."""
        from workbench.services.coding.passages import new_coding_id

        for c in src.whole:
            cid = code_id_for(c.code_guid)
            if cid is None:
                self.lost_codes[c.code_guid] += 1
                continue
            coder = self.coder_of(c.user, src.user, self.data.creator)
            key = (tid, cid, coder, 0, len(text))
            if key in self.existing_codings:
                continue
            self.ensure_coder(coder)
            coding_id = new_coding_id()
            self.cs.insert("codings", {"id": coding_id, "transcript_id": tid, "code_id": cid,
                                       "coder": coder, "start": 0, "end": len(text), "memo": "",
                                       "flag": None, "created_at": c.created_at or now_iso()})
            self.existing_codings[key] = coding_id
            self.counts["codings"] += 1
            self.report.note(f"transcript {tid}: a coding of the whole source became a coding of its whole text")

    def _append_coding_memos(self) -> None:
        for coding_id, parts in self.memo_appends.items():
            row = self.db.table("codings").get(coding_id)
            current = row["memo"] or ""
            new = [p for p in parts if p not in current]
            if new:
                self.cs.update("codings", coding_id, {"memo": "\n\n".join([current, *new]).strip()})

    def _project_memos(self) -> None:
        """The project's notes and description, and the notes attached to nothing imported."""
        data = self.data
        for g in data.project_notes:
            note = data.notes.get(g)
            if note is not None:
                self.used_notes.add(g)
                self.add_memo("project", "", _note_text(note, self.own_export), note.user, note.created_at)
        if data.description:
            self.add_memo("project", "", f"Project description ({data.name})\n\n{data.description}",
                          data.creator, None)
        free = [n for g, n in data.notes.items() if g not in self.used_notes]
        for n in free:
            self.add_memo("project", "", _note_text(n, self.own_export), n.user, n.created_at)
        if free:
            self.report.note(f"{len(free)} note(s) not attached to anything imported became project memos: "
                             + ", ".join(f"'{n.name}'" for n in free[:8]))

    def _finish_report(self) -> None:
        for g, lost in self.lost_codes.items():
            self.report.lost(f"{lost} coding(s) of code {g}, which is not in the codebook")
        owners = set(self.data.users.values())
        active = {r[0] for r in self.db.execute("select distinct coder from codings").fetchall()} | {
            r[0] for r in self.db.execute("select distinct coder from memos").fetchall()}
        idle = sorted(owners - active)
        if idle:
            self.report.note(f"user(s) without codings or notes were not added as coders: {', '.join(idle)}")
        for k, v in self.counts.items():
            self.report.count(k, v)


def _utf16_check(src: SourceIn) -> Callable[[int], int] | None:
    """A converter if the selections' names match the text at UTF-16 positions but not at
    code-point positions (some programs count UTF-16 units); else None."""
    convert = utf16_to_codepoints(src.text)
    cp = u16 = 0
    for sel in src.selections:
        probe = " ".join(sel.name.replace("…", "").split())[:20]
        if len(probe) < 4:
            continue
        if " ".join(src.text[sel.start:sel.end].split()).startswith(probe):
            cp += 1
        if " ".join(src.text[convert(sel.start):convert(sel.end)].split()).startswith(probe):
            u16 += 1
    return convert if u16 > cp else None


def report_json(result: QdpxImportResult) -> str:
    return json.dumps({"project": str(result.project_root), "created": result.created,
                       "transcripts": result.transcripts, "backup": str(result.backup) if result.backup else None,
                       **result.report.as_dict()}, ensure_ascii=False, indent=2)
