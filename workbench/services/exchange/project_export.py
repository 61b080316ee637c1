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
from collections.abc import Callable
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
    memos = list(db.query("select * from memos order by created_at, id"))
    codings = list(db.query("select * from codings order by transcript_id, start, end, coder, code_id, id"))
    transcripts = list(db.query("select * from transcripts order by id"))
    xml = _ProjectXml(project, coder, GuidMap(db))
    xml.users([coder, *(c["coder"] for c in codings), *(m["coder"] for m in memos if m["coder"])])
    xml.codebook()
    xml.cases(transcripts)
    xml.sources(transcripts, codings, memos)
    xml.notes(memos)
    return xml.root, xml.files, xml.counts


class _ProjectXml:
    """The ``<Project>`` element built part by part in the standard's order (users, codebook,
    variables and cases, sources, notes); every note is collected as it is referred to and
    written at the end."""

    def __init__(self, project: Project, coder: str, guids: GuidMap) -> None:
        self.db, self.guids = project.db, guids
        self.counts = {"users": 0, "codes": 0, "sources": 0, "selections": 0, "codings": 0,
                       "notes": 0, "cases": 0}
        self.files: dict[str, str] = {}
        self.collected: list[tuple[str, dict[str, Any]]] = []  # (guid, name, text, coder, at)
        self.root = ET.Element(_q("Project"), {
            "name": project.root.name or "workbench project",
            "origin": f"workbench {__version__}",
            "creatingUserGUID": self.user(coder),
            "creationDateTime": now_iso(),
        })

    def user(self, name: str | None) -> str:
        return self.guids.guid("user", name or "unknown")

    def note(self, key: str, name: str, text: str, who: str | None, at: str | None) -> str:
        """Collect a note (written under ``<Notes>`` at the end); returns its GUID."""
        guid = self.guids.guid("memo", key)
        self.collected.append((guid, {"name": name, "text": text, "coder": who, "at": at}))
        return guid

    def users(self, also: list[str]) -> None:
        """Every coder, and anyone named on a coding or memo who is not (any more) a coder."""
        names = [r["name"] for r in self.db.query("select name from coders order by name")]
        names += [n for n in dict.fromkeys(also) if n not in names]
        users_el = SubElement(self.root, _q("Users"))
        for name in names:
            SubElement(users_el, _q("User"), {"guid": self.user(name), "name": name})
            self.counts["users"] += 1

    def codebook(self) -> None:
        codes = list(self.db.query(
            "select id, kind, name, memo, created_by, created_at from codes order by position, name"))
        code_notes = {
            c["id"]: self.note(f"code:{c['id']}", f"Memo on {c['kind']} {c['name']}", c["memo"],
                               c["created_by"], c["created_at"])
            for c in codes if (c["memo"] or "").strip()
        }
        if codes:
            book = SubElement(self.root, _q("CodeBook"))
            self.counts["codes"] = build_codes(book, NS, self.db, self.guids,
                                               memo_in_description=False, code_note_refs=code_notes)

    def cases(self, transcripts: list[dict[str, Any]]) -> None:
        """The transcript metadata as variables, and each transcript as a case with its values."""
        if not transcripts:
            return
        values = {v: [str(t.get(v) or "").strip() for t in transcripts] for v in VARIABLES}
        var_guid = {v: derived_guid("variable", v) for v in VARIABLES}
        var_type = {
            v: "Date" if v == "date" and any(values[v]) and all(_is_date(x) for x in values[v] if x) else "Text"
            for v in VARIABLES
        }
        vars_el = SubElement(self.root, _q("Variables"))
        for v in VARIABLES:
            SubElement(vars_el, _q("Variable"), {"guid": var_guid[v], "name": v, "typeOfVariable": var_type[v]})
        cases_el = SubElement(self.root, _q("Cases"))
        for t in transcripts:
            case = SubElement(cases_el, _q("Case"), {"guid": self.guids.guid("case", t["id"]), "name": t["label"]})
            for v in VARIABLES:
                value = str(t.get(v) or "").strip()
                if not value:
                    continue
                vv = SubElement(case, _q("VariableValue"))
                SubElement(vv, _q("VariableRef"), {"targetGUID": var_guid[v]})
                SubElement(vv, _q("DateValue" if var_type[v] == "Date" else "TextValue")).text = value
            SubElement(case, _q("SourceRef"), {"targetGUID": self.guids.guid("transcript", t["id"])})
            self.counts["cases"] += 1

    def sources(self, transcripts: list[dict[str, Any]], codings: list[dict[str, Any]],
                memos: list[dict[str, Any]]) -> None:
        """Each transcript as a text source (its text a file in the archive) with its codings
        as selections and its memos as notes."""
        if not transcripts:
            return
        by_transcript: dict[str, list[dict[str, Any]]] = {}
        for c in codings:
            by_transcript.setdefault(c["transcript_id"], []).append(c)
        transcript_memos: dict[str, list[dict[str, Any]]] = {}
        for m in memos:
            if m["target_kind"] == "transcript":
                transcript_memos.setdefault(m["target_id"], []).append(m)
        sources_el = SubElement(self.root, _q("Sources"))
        for t in transcripts:
            sguid = self.guids.guid("transcript", t["id"])
            turns = list(self.db.query("select * from turns where transcript_id = ? order by idx", [t["id"]]))
            body, to_export = export_text(t["text"], turns)
            self.files[f"sources/{sguid}.txt"] = body
            attrs = {"guid": sguid, "name": t["id"], "plainTextPath": f"internal://{sguid}.txt"}
            if t.get("imported_by"):
                attrs["creatingUser"] = self.user(t["imported_by"])
            if _datetime(t.get("imported_at")):
                attrs["creationDateTime"] = t["imported_at"]
            src = SubElement(sources_el, _q("TextSource"), attrs)
            self.counts["sources"] += 1
            spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
            for c in by_transcript.get(t["id"], []):
                spans.setdefault((c["start"], c["end"]), []).append(c)
            for (start, end), group in spans.items():
                self._selection(src, t, start, end, group, to_export)
            for m in transcript_memos.get(t["id"], []):
                g = self.note(m["id"], f"Memo on {t['id']}", m["text"], m["coder"], m["created_at"])
                SubElement(src, _q("NoteRef"), {"targetGUID": g})

    def _selection(self, src: ET.Element, t: dict[str, Any], start: int, end: int,
                   group: list[dict[str, Any]], to_export: Callable[[int, bool], int]) -> None:
        """One span with every coding on it (of any coder and code)."""
        first = min(group, key=lambda c: (c["created_at"] or "", c["id"]))
        sel_attrs = {
            "guid": derived_guid("selection", f"{t['id']}:{start}:{end}"),
            "name": excerpt(t["text"][start:end]),
            "startPosition": str(to_export(start, False)),
            "endPosition": str(to_export(end, True)),
            "creatingUser": self.user(first["coder"]),
        }
        if _datetime(first["created_at"]):
            sel_attrs["creationDateTime"] = first["created_at"]
        sel = SubElement(src, _q("PlainTextSelection"), sel_attrs)
        self.counts["selections"] += 1
        for c in group:
            c_attrs = {"guid": self.guids.guid("coding", c["id"]), "creatingUser": self.user(c["coder"])}
            if _datetime(c["created_at"]):
                c_attrs["creationDateTime"] = c["created_at"]
            coding_el = SubElement(sel, _q("Coding"), c_attrs)
            SubElement(coding_el, _q("CodeRef"), {"targetGUID": self.guids.guid("code", c["code_id"])})
            if (c["memo"] or "").strip():
                g = self.note(f"coding:{c['id']}", f"Memo on coding {excerpt(t['text'][start:end], 40)}",
                              c["memo"], c["coder"], c["created_at"])
                SubElement(coding_el, _q("NoteRef"), {"targetGUID": g})
            self.counts["codings"] += 1

    def notes(self, memos: list[dict[str, Any]]) -> None:
        """Project memos (and memos on kinds a later workbench may add) as project notes, then
        every collected note under ``<Notes>`` and the project's note references."""
        project_notes = [
            self.note(m["id"], "Project memo", m["text"], m["coder"], m["created_at"])
            for m in memos if m["target_kind"] == "project"
        ]
        for m in memos:
            if m["target_kind"] not in ("project", "transcript"):
                project_notes.append(self.note(m["id"], f"Memo on {m['target_kind']} {m['target_id']}",
                                               m["text"], m["coder"], m["created_at"]))
        if self.collected:
            notes_el = SubElement(self.root, _q("Notes"))
            for guid, n in self.collected:
                attrs = {"guid": guid, "name": n["name"]}
                if n["coder"]:
                    attrs["creatingUser"] = self.user(n["coder"])
                if _datetime(n["at"]):
                    attrs["creationDateTime"] = n["at"]
                SubElement(SubElement(notes_el, _q("Note"), attrs), _q("PlainTextContent")).text = n["text"]
                self.counts["notes"] += 1
        for g in project_notes:
            SubElement(self.root, _q("NoteRef"), {"targetGUID": g})


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
