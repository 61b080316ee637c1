"""Exporting the whole project as a REFI-QDA project archive (``.qdpx``).

The archive holds ``project.qde`` (valid against Project-mrt2019.xsd) and one UTF-8 text file
per transcript, ``sources/<guid>.txt``. In ``project.qde``:

- ``Users``: every coder; ``CodeBook``: themes and codes (see :mod:`workbench.formats.refiqda.codes`),
  a code's memo as a Note referenced from the code;
- ``Variables`` and ``Cases``: one case per respondent (the transcript's label) with the text
  variables role, label, municipality, domain and date (date typed ``Date`` when every value
  is an ISO date), and a ``SourceRef`` to the transcript;
- ``Sources``: each transcript a ``TextSource`` (name = our transcript id) whose text carries
  speaker labels (see :mod:`workbench.formats.refiqda.textmap`); codings on one span form one
  ``PlainTextSelection`` with a ``Coding`` per coder and code (``creatingUser``), positions in
  code points, end exclusive; a coding's memo is a Note referenced from its Coding;
- ``Notes``: project memos (referenced from the project), transcript memos (from the source),
  code and coding memos.

An existing file is never overwritten unless ``force`` is given; the archive is written to a
temporary file first, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import SubElement

from workbench import __version__
from workbench.clock import now_iso
from workbench.errors import ConflictError, WorkbenchError
from workbench.files import write_with
from workbench.formats.refiqda.codes import build_codes
from workbench.formats.refiqda.model import PROJECT_NS, GuidMap, derived_guid
from workbench.formats.refiqda.textmap import export_text
from workbench.project import Project
from workbench.services.exchange.codebook import serialise

NS = PROJECT_NS
VARIABLES = ("role", "label", "municipality", "domain", "date")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _datetime(value: str | None) -> str | None:
    return value if value and _DATETIME_RE.match(value) else None


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def excerpt(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def build_project(project: Project, coder: str) -> tuple[ET.Element, dict[str, str], dict[str, int]]:
    """The ``<Project>`` element, the source files (archive name -> text) and counts."""
    db = project.db
    guids = GuidMap(db)
    counts = {"users": 0, "codes": 0, "sources": 0, "selections": 0, "codings": 0, "notes": 0, "cases": 0}
    transcripts = list(db.query("select * from transcripts order by id"))
    codings = list(db.query("select * from codings order by transcript_id, start, end, coder, code_id, id"))
    memos = list(db.query("select * from memos order by created_at, id"))
    codes = list(db.query("select id, kind, name, memo, created_by, created_at from codes order by position, name"))
    coder_names = [r["name"] for r in db.query("select name from coders order by name")]
    for name in [coder, *(c["coder"] for c in codings), *(m["coder"] for m in memos if m["coder"])]:
        if name not in coder_names:
            coder_names.append(name)

    def user(name: str | None) -> str:
        return guids.guid("user", name or "unknown")

    root = ET.Element(_q("Project"), {
        "name": project.root.name or "workbench project",
        "origin": f"workbench {__version__}",
        "creatingUserGUID": user(coder),
        "creationDateTime": now_iso(),
    })
    users_el = SubElement(root, _q("Users"))
    for name in coder_names:
        SubElement(users_el, _q("User"), {"guid": user(name), "name": name})
        counts["users"] += 1

    notes: list[tuple[str, dict[str, Any]]] = []  # (guid, {"name", "text", "coder", "at"})

    def note(key: str, name: str, text: str, who: str | None, at: str | None) -> str:
        guid = guids.guid("memo", key)
        notes.append((guid, {"name": name, "text": text, "coder": who, "at": at}))
        return guid

    code_notes = {
        c["id"]: note(f"code:{c['id']}", f"Memo on {c['kind']} {c['name']}", c["memo"], c["created_by"], c["created_at"])
        for c in codes if (c["memo"] or "").strip()
    }
    if codes:
        book = SubElement(root, _q("CodeBook"))
        counts["codes"] = build_codes(book, NS, db, guids, memo_in_description=False, code_note_refs=code_notes)

    values = {v: [str(t.get(v) or "").strip() for t in transcripts] for v in VARIABLES}
    var_guid = {v: derived_guid("variable", v) for v in VARIABLES}
    var_type = {
        v: "Date" if v == "date" and any(values[v]) and all(_is_date(x) for x in values[v] if x) else "Text"
        for v in VARIABLES
    }
    if transcripts:
        vars_el = SubElement(root, _q("Variables"))
        for v in VARIABLES:
            SubElement(vars_el, _q("Variable"), {"guid": var_guid[v], "name": v, "typeOfVariable": var_type[v]})
        cases_el = SubElement(root, _q("Cases"))
        for t in transcripts:
            case = SubElement(cases_el, _q("Case"), {"guid": guids.guid("case", t["id"]), "name": t["label"]})
            for v in VARIABLES:
                value = str(t.get(v) or "").strip()
                if not value:
                    continue
                vv = SubElement(case, _q("VariableValue"))
                SubElement(vv, _q("VariableRef"), {"targetGUID": var_guid[v]})
                SubElement(vv, _q("DateValue" if var_type[v] == "Date" else "TextValue")).text = value
            SubElement(case, _q("SourceRef"), {"targetGUID": guids.guid("transcript", t["id"])})
            counts["cases"] += 1

    files: dict[str, str] = {}
    by_transcript: dict[str, list[dict[str, Any]]] = {}
    for c in codings:
        by_transcript.setdefault(c["transcript_id"], []).append(c)
    transcript_memos: dict[str, list[dict[str, Any]]] = {}
    for m in memos:
        if m["target_kind"] == "transcript":
            transcript_memos.setdefault(m["target_id"], []).append(m)
    if transcripts:
        sources_el = SubElement(root, _q("Sources"))
    for t in transcripts:
        sguid = guids.guid("transcript", t["id"])
        turns = list(db.query("select * from turns where transcript_id = ? order by idx", [t["id"]]))
        body, to_export = export_text(t["text"], turns)
        files[f"sources/{sguid}.txt"] = body
        attrs = {"guid": sguid, "name": t["id"], "plainTextPath": f"internal://{sguid}.txt"}
        if t.get("imported_by"):
            attrs["creatingUser"] = user(t["imported_by"])
        if _datetime(t.get("imported_at")):
            attrs["creationDateTime"] = t["imported_at"]
        src = SubElement(sources_el, _q("TextSource"), attrs)
        counts["sources"] += 1
        spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for c in by_transcript.get(t["id"], []):
            spans.setdefault((c["start"], c["end"]), []).append(c)
        for (start, end), group in spans.items():
            first = min(group, key=lambda c: (c["created_at"] or "", c["id"]))
            sel_attrs = {
                "guid": derived_guid("selection", f"{t['id']}:{start}:{end}"),
                "name": excerpt(t["text"][start:end]),
                "startPosition": str(to_export(start, False)),
                "endPosition": str(to_export(end, True)),
                "creatingUser": user(first["coder"]),
            }
            if _datetime(first["created_at"]):
                sel_attrs["creationDateTime"] = first["created_at"]
            sel = SubElement(src, _q("PlainTextSelection"), sel_attrs)
            counts["selections"] += 1
            for c in group:
                c_attrs = {"guid": guids.guid("coding", c["id"]), "creatingUser": user(c["coder"])}
                if _datetime(c["created_at"]):
                    c_attrs["creationDateTime"] = c["created_at"]
                coding_el = SubElement(sel, _q("Coding"), c_attrs)
                SubElement(coding_el, _q("CodeRef"), {"targetGUID": guids.guid("code", c["code_id"])})
                if (c["memo"] or "").strip():
                    g = note(f"coding:{c['id']}", f"Memo on coding {excerpt(t['text'][start:end], 40)}",
                             c["memo"], c["coder"], c["created_at"])
                    SubElement(coding_el, _q("NoteRef"), {"targetGUID": g})
                counts["codings"] += 1
        for m in transcript_memos.get(t["id"], []):
            g = note(m["id"], f"Memo on {t['id']}", m["text"], m["coder"], m["created_at"])
            SubElement(src, _q("NoteRef"), {"targetGUID": g})

    project_notes = [
        note(m["id"], "Project memo", m["text"], m["coder"], m["created_at"])
        for m in memos if m["target_kind"] == "project"
    ]
    others = [m for m in memos if m["target_kind"] not in ("project", "transcript")]
    for m in others:  # memos on kinds a later workbench may add: kept as project notes
        project_notes.append(note(m["id"], f"Memo on {m['target_kind']} {m['target_id']}", m["text"], m["coder"], m["created_at"]))
    if notes:
        notes_el = SubElement(root, _q("Notes"))
        for guid, n in notes:
            attrs = {"guid": guid, "name": n["name"]}
            if n["coder"]:
                attrs["creatingUser"] = user(n["coder"])
            if _datetime(n["at"]):
                attrs["creationDateTime"] = n["at"]
            SubElement(SubElement(notes_el, _q("Note"), attrs), _q("PlainTextContent")).text = n["text"]
            counts["notes"] += 1
    for g in project_notes:
        SubElement(root, _q("NoteRef"), {"targetGUID": g})
    return root, files, counts


def export_qdpx(project: Project, path: Path | str, *, coder: str | None = None, force: bool = False) -> ExportResult:
    """Write the project to ``path`` as a ``.qdpx``; refuse to overwrite unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise ConflictError("exists already; use --force to overwrite it", path=path)
    if path.exists() and path.is_dir():
        raise WorkbenchError("is a folder", path=path)
    if not path.parent.is_dir():  # a typo in the folder must not create a tree of folders
        raise WorkbenchError(f"the folder {path.parent} does not exist; create it first", path=path)
    root, files, counts = build_project(project, project.coder(coder))
    qde = serialise(root, NS)
    def write_zip(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", qde)
            for name, text in files.items():
                zf.writestr(name, text.encode("utf-8"))

    write_with(path, write_zip, force=force)
    return ExportResult(path, counts)
