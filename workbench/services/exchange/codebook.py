"""REFI-QDA codebooks (``.qdc``): ``read_qdc(path)`` and ``write_qdc(db, path)``.

``write_qdc`` writes themes and codes as nested ``Code`` elements (valid against
``Codebook.xsd``): themes are not codable and hold their sub-themes and codes; colours are
``#rrggbb``; the definition, inclusion, exclusion, example, memo and survey themes are the
``Description`` (see :mod:`workbench.formats.refiqda.model`). GUIDs are stable: remembered GUIDs of
codes that came from another program, else derived from our ids.

``read_qdc`` reads a codebook from any program into neutral ``CodeEntry`` objects for
:mod:`workbench.services.codebook.sync`, which applies them with the same conflict handling as
the YAML codebook. Given the project ``db``, GUIDs the project knows map to our ids and the
GUIDs of new codes are remembered, so that a later export keeps them. A ``.qdc`` that shares no
code with the last synced codebook is another project's (:func:`is_foreign`): it adds and
updates codes but never removes one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import sqlite_utils

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.formats.refiqda.codes import (
    build_codes,
    child,
    local_name,
    parse_code_tree,
    tree_to_entries,
)
from workbench.formats.refiqda.model import CODEBOOK_NS, GuidMap, Report, own_id
from workbench.formats.safety import check_depth, read_xml_file

ENTRY_FIELDS = (
    "id", "kind", "name", "parent_id", "position", "definition", "inclusion", "exclusion",
    "example", "colour", "memo", "survey_themes",
)


class QdcEntries(list[Any]):
    """The entries read from a ``.qdc`` (a list of ``CodeEntry``), with ``report``: names that
    were changed, levels that were flattened and anything not carried over,
    ``guid_entries`` (the entry dicts with their GUIDs, for :func:`remember_code_guids`) and
    ``foreign`` (see :func:`is_foreign`; the codebook sync reads it)."""

    report: Report
    guid_entries: list[dict[str, Any]]
    foreign: bool = False


def is_foreign(db: sqlite_utils.Database, ids: list[str]) -> bool:
    """Whether a codebook file with these (resolved) ids is another project's codebook rather
    than a copy of this one: the project has codes, and none of the file's ids is in the sync
    base (the codebook last exported or imported here). Only a copy of this codebook may
    remove codes (see :func:`workbench.services.codebook.sync.plan_sync`)."""
    if db.execute("select count(*) from codes").fetchone()[0] == 0:
        return False  # nothing here to protect: the file starts this project's lineage
    base = {r[0] for r in db.execute("select code_id from codebook_sync_base")}
    return not base.intersection(ids)


def make_resolver(db: sqlite_utils.Database | None, guids: GuidMap | None = None
                  ) -> Callable[[str, str], str | None]:
    """``resolve(guid, kind) -> our id | None``: GUIDs the project remembers or derived from
    our ids; without ``db`` only the GUIDs we derive from short ids are recognised."""
    if db is None:
        return lambda guid, kind: own_id("code", guid)
    guids = guids or GuidMap(db)
    known = [r["id"] for r in db.query("select id from codes")]
    return lambda guid, kind: guids.local("code", guid, known)


def to_code_entries(entries: list[dict[str, Any]]) -> list[Any]:
    """Our entry dicts as :class:`~workbench.formats.codebook_file.CodeEntry` objects."""
    from workbench.formats.codebook_file import CodeEntry

    return [CodeEntry(**{k: e[k] for k in ENTRY_FIELDS}) for e in entries]


def remember_code_guids(db: sqlite_utils.Database, entries: list[dict[str, Any]], guids: GuidMap | None = None) -> int:
    """Store the GUIDs of entries whose GUID is not derivable from their id; returns how many."""
    guids = guids or GuidMap(db)
    rows = [r for e in entries if (r := guids.remember("code", e["id"], e["guid"]))]
    if rows:
        db.table("refi_guids").insert_all(rows, ignore=True)
    return len(rows)


def read_qdc_entries(path: Path | str, db: sqlite_utils.Database | None = None) -> tuple[list[dict[str, Any]], Report]:
    """Entry dicts (CodeEntry fields plus ``guid``) and the report, for a ``.qdc`` file."""
    path = Path(path)
    root = read_xml_file(path, what="codebook")
    check_depth(root, path=path)
    if local_name(root.tag) != "CodeBook":
        raise WorkbenchError(
            f"not a REFI-QDA codebook: the root element is <{local_name(root.tag)}>, not <CodeBook>",
            path=path,
        )
    report = Report()
    roots = parse_code_tree(child(root, "Codes"), report)
    if not roots:
        raise WorkbenchError("the codebook holds no codes", path=path)
    sets = child(root, "Sets")
    if sets is not None and len(sets):
        names = [s.get("name") or "?" for s in sets]
        report.lost(f"{len(names)} code set(s) (the workbench has no code sets): {', '.join(names)}")
    mapped = tree_to_entries(roots, report, resolve_id=make_resolver(db))
    return mapped.entries, report


def read_qdc(path: Path | str, db: sqlite_utils.Database | None = None, *, remember: bool = True) -> QdcEntries:
    """Read a ``.qdc`` into ``CodeEntry`` objects (a list with a ``.report``).

    With ``db``, codes the project exported before get their own ids back, and (unless
    ``remember=False``) the GUIDs of new codes are remembered (a small bookkeeping table, not a
    user change). An import that may still be refused passes ``remember=False`` and calls
    :func:`remember_code_guids` with ``.guid_entries`` once it went through, so that a refused
    import leaves the project untouched.
    """
    entries, report = read_qdc_entries(path, db)
    if db is not None and remember:
        with db.atomic():
            remember_code_guids(db, entries)
    out = QdcEntries(to_code_entries(entries))
    out.report = report
    out.guid_entries = entries
    out.foreign = db is not None and is_foreign(db, [e["id"] for e in entries])
    if out.foreign:
        report.note("this codebook is not a copy of this project's (none of its codes was exported "
                    "from here): its codes are added or matched by name, local codes it lacks are kept")
    return out


def codebook_tree(db: sqlite_utils.Database) -> ET.Element:
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"workbench {__version__}"})
    n = build_codes(root, CODEBOOK_NS, db, GuidMap(db), memo_in_description=True)
    if n == 0:
        raise WorkbenchError("the codebook is empty: there is nothing to export (a REFI-QDA codebook needs at least one code)")
    return root


def serialise(root: ET.Element, default_ns: str) -> bytes:
    """The XML of ``root``; characters XML cannot hold (noncharacters, controls stored before
    the import refused them) become U+FFFD, so another program can always read the file."""
    from workbench.textsafety import xml_safe

    ET.register_namespace("", default_ns)
    for el in root.iter():
        if el.text:
            el.text = xml_safe(el.text)
        if el.tail:
            el.tail = xml_safe(el.tail)
        for key, value in el.attrib.items():
            el.attrib[key] = xml_safe(value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    from workbench.files import write_atomic

    write_atomic(path, data, force=True, create_parents=True)


def write_qdc(db: sqlite_utils.Database, path: Path | str) -> Path:
    """Write the project's codebook as a REFI-QDA ``.qdc`` (valid against Codebook.xsd) and
    remember it as the last synced state (as writing the YAML codebook does)."""
    path = Path(path)
    data = serialise(codebook_tree(db), CODEBOOK_NS)
    try:
        write_bytes_atomically(path, data)
    except OSError as exc:
        raise WorkbenchError(f"cannot write the codebook: {exc.strerror or exc}", path=path) from exc
    # As for the YAML codebook, the file written is the base of the next three-way merge: taken
    # as the file says it (colour names became #rrggbb), so re-importing it changes nothing.
    from workbench.services.codebook.sync import mark_synced

    entries, _report = read_qdc_entries(path, db)
    mark_synced(db, to_code_entries(entries))
    return path
