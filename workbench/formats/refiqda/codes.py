"""The REFI-QDA code tree to and from our codebook (themes, one level of sub-themes, codes).

Writing: a theme is a ``Code`` with ``isCodable="false"`` whose children are its sub-themes and
codes; a code is a codable leaf. Reading maps any tree from another program onto our shape:

- a code with children becomes a theme (top level) or a sub-theme (second level);
- deeper levels are flattened into the sub-theme above them, their names qualified with the
  path (``digital_citizenship / citizenship``), and listed in the report;
- a non-codable code without children becomes an (empty) theme where one may stand;
- codings on a code that became a theme go to an extra code ``<name> (general)`` under it;
- names must be unique per kind, so a repeated name is qualified with its parent's name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

import sqlite_utils

from workbench.formats.refiqda.model import (
    GuidMap,
    Report,
    format_description,
    norm_colour,
    norm_guid,
    parse_description,
)
from workbench.textsafety import NAME_LIMIT, cleaned

GENERAL_SUFFIX = " (general)"


def local_name(tag: str) -> str:
    """``{urn:…}Code`` -> ``Code`` (producers differ in namespaces; we match local names)."""
    return tag.rsplit("}", 1)[-1]


def children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local_name(c.tag) == name]


def child(el: Element, name: str) -> Element | None:
    for c in el:
        if local_name(c.tag) == name:
            return c
    return None


def child_text(el: Element, name: str) -> str:
    c = child(el, name)
    return (c.text or "") if c is not None else ""


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool
    colour: str
    description: str
    note_refs: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)


def parse_code_tree(codes_el: Element | None, report: Report) -> list[RefiCode]:
    """The ``Code`` elements under ``<Codes>`` as a tree (tolerant of sloppy producers)."""
    if codes_el is None:
        return []
    seen: set[str] = set()

    def parse(el: Element, n: int) -> RefiCode | None:
        guid = norm_guid(el.get("guid"))
        name, removed = cleaned(el.get("name") or "", one_line=True)
        if removed:
            report.note(f"code '{name}': {removed} control or invisible character(s) removed from "
                        "its name")
        if len(name) > NAME_LIMIT:
            report.note(f"code '{name[:40]}…': its name of {len(name):,} characters was cut to "
                        f"{NAME_LIMIT}")
            name = name[:NAME_LIMIT].rstrip()
        if not guid:
            report.lost(f"a code without a guid ({name or 'no name'}) was skipped")
            return None
        if guid in seen:
            report.lost(f"code '{name}': its guid {guid} repeats an earlier code; skipped")
            return None
        seen.add(guid)
        if not name:
            name = f"code {n}"
            report.note(f"a code without a name was called '{name}'")
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        node = RefiCode(
            guid, name, codable, norm_colour(el.get("color")),
            cleaned(child_text(el, "Description") or "")[0],
            [norm_guid(r.get("targetGUID")) for r in children(el, "NoteRef") if r.get("targetGUID")],
        )
        for i, c in enumerate(children(el, "Code")):
            sub = parse(c, i + 1)
            if sub is not None:
                node.children.append(sub)
        return node

    return [c for i, el in enumerate(children(codes_el, "Code")) if (c := parse(el, i + 1))]


def derived_local_id(kind: str, guid: str) -> str:
    return ("t-" if kind == "theme" else "c-") + hashlib.sha1(guid.encode()).hexdigest()[:8]


@dataclass
class MappedCodes:
    entries: list[dict]  # CodeEntry fields plus "guid"
    code_for_guid: dict[str, str]  # REFI guid -> our id of the code codings go to
    local_for_guid: dict[str, str]  # REFI guid -> our id of its theme or code


def tree_to_entries(
    roots: list[RefiCode],
    report: Report,
    *,
    resolve_id: Callable[[str, str], str | None] | None = None,
    coded: set[str] | None = None,
    memos: dict[str, str] | None = None,
) -> MappedCodes:
    """Map a REFI code tree onto our shape (see the module docstring).

    ``resolve_id(guid, kind)`` gives our id for a GUID the project knows; ``coded`` holds the
    GUIDs that have codings (a coded parent gets a ``(general)`` code); ``memos`` maps a GUID to
    memo text (from notes) appended to the code's memo.
    """
    mapper = _TreeMapper(report, resolve_id, coded or set(), memos or {})
    for root in roots:
        mapper.visit(root, None, -1, [])
    if mapper.flattened:
        flattened = mapper.flattened
        report.note(
            f"{len(flattened)} code(s) nested deeper than theme › sub-theme › code were placed in "
            f"the sub-theme above with their path in the name: {', '.join(flattened[:8])}"
            + (" …" if len(flattened) > 8 else "")
        )
    return MappedCodes(mapper.entries, mapper.code_for, mapper.local_for)


class _TreeMapper:
    """The state of one mapping: the entries so far, ids and names taken, the position of the
    next child of each parent, and the codes flattened from too deep a nesting."""

    def __init__(self, report: Report, resolve_id: Callable[[str, str], str | None] | None,
                 coded: set[str], memos: dict[str, str]) -> None:
        self.report, self.resolve_id, self.coded, self.memos = report, resolve_id, coded, memos
        self.entries: list[dict] = []
        self.code_for: dict[str, str] = {}
        self.local_for: dict[str, str] = {}
        self.used_ids: set[str] = set()
        self.names: dict[tuple[str, str], int] = {}
        self.flattened: list[str] = []
        self.positions: dict[str | None, int] = {}

    def new_id(self, kind: str, guid: str) -> str:
        lid = self.resolve_id(guid, kind) if self.resolve_id else None
        lid = lid or derived_local_id(kind, guid)
        base, n = lid, 1
        while lid in self.used_ids:
            n += 1
            lid = f"{base}-{n}"
        self.used_ids.add(lid)
        return lid

    def unique_name(self, name: str, kind: str, parent_name: str | None) -> str:
        key = (kind, name.lower())
        if key not in self.names:
            self.names[key] = 1
            return name
        candidate = f"{name} ({parent_name})" if parent_name else name
        n = 1
        while (kind, candidate.lower()) in self.names:
            n += 1
            candidate = f"{name} ({parent_name}) {n}" if parent_name else f"{name} {n}"
        self.names[(kind, candidate.lower())] = 1
        self.report.note(f"{kind} name '{name}' occurs more than once; this one is called '{candidate}'")
        return candidate

    def add(self, kind: str, guid: str, name: str, parent: dict | None, node: RefiCode, *,
            self_code: bool = False) -> dict:
        fields = parse_description(node.description) if not self_code else parse_description("")
        if not self_code and self.memos.get(node.guid):
            fields["memo"] = "\n\n".join(p for p in (fields["memo"], self.memos[node.guid]) if p)
        pid = parent["id"] if parent else None
        entry = {
            "id": self.new_id(kind, guid),
            "kind": kind,
            "name": self.unique_name(name, kind, parent["name"] if parent else None),
            "parent_id": pid,
            "position": self.positions.get(pid, 0),
            "definition": fields["definition"],
            "inclusion": fields["inclusion"],
            "exclusion": fields["exclusion"],
            "example": fields["example"],
            "colour": node.colour if kind == "code" else (node.colour or ""),
            "memo": fields["memo"],
            "survey_themes": fields["survey_themes"],
            "guid": guid,
        }
        self.positions[pid] = self.positions.get(pid, 0) + 1
        self.entries.append(entry)
        return entry

    def visit(self, node: RefiCode, parent: dict | None, level: int, prefix: list[str]) -> None:
        qualified = " / ".join([*prefix, node.name])
        can_be_theme = level < 1 and not prefix
        if node.children and can_be_theme:
            self._theme_with_children(node, parent, level)
            return
        if node.children:  # too deep for a theme: flatten into the sub-theme above
            self.flattened.append(qualified)
            if node.codable:
                code = self.add("code", node.guid, qualified, parent, node)
                self.code_for[node.guid] = self.local_for[node.guid] = code["id"]
            for c in node.children:
                self.visit(c, parent, level, [*prefix, node.name])
            return
        if node.codable or not can_be_theme:
            if not node.codable:
                self.report.lost(
                    f"empty code folder '{qualified}' (not codable, no sub-codes) under sub-theme "
                    f"'{parent['name'] if parent else ''}': the codebook has no third level"
                )
                return
            code = self.add("code", node.guid, qualified, parent, node)
            self.code_for[node.guid] = self.local_for[node.guid] = code["id"]
            return
        theme = self.add("theme", node.guid, node.name, parent, node)
        self.local_for[node.guid] = theme["id"]

    def _theme_with_children(self, node: RefiCode, parent: dict | None, level: int) -> None:
        """A node with children high enough to be a theme; a coded one also gets its own
        ``(general)`` code for its codings."""
        theme = self.add("theme", node.guid, node.name, parent, node)
        self.local_for[node.guid] = theme["id"]
        if node.guid in self.coded:
            general_guid = norm_guid(_uuid_for_general(node.guid))
            code = self.add("code", general_guid, node.name + GENERAL_SUFFIX, theme, node, self_code=True)
            code["colour"] = node.colour
            self.code_for[node.guid] = code["id"]
            self.report.note(
                f"code '{node.name}' has sub-codes and codings: it became a theme and its own "
                f"codings went to the code '{code['name']}'"
            )
        for c in node.children:
            self.visit(c, theme, level + 1, [])


def _uuid_for_general(guid: str) -> str:
    import uuid

    from workbench.formats.refiqda.model import NAMESPACE

    return str(uuid.uuid5(NAMESPACE, f"general-code:{guid}"))


# -- writing ---------------------------------------------------------------------------------


def codebook_rows(db: sqlite_utils.Database) -> tuple[list[dict], dict[str, list[str]]]:
    """All codes and themes in codebook order, and survey theme ids per code."""
    rows = list(db.query("select * from codes order by position, name, id"))
    survey: dict[str, list[str]] = {}
    if "survey_links" in db.table_names():
        for r in db.query("select code_id, survey_theme_id from survey_links order by survey_theme_id"):
            survey.setdefault(r["code_id"], []).append(r["survey_theme_id"])
    return rows, survey


def build_codes(
    parent_el: Element,
    ns: str,
    db: sqlite_utils.Database,
    guids: GuidMap,
    *,
    memo_in_description: bool,
    code_note_refs: dict[str, str] | None = None,
) -> int:
    """Append ``<Codes>`` with the whole codebook to ``parent_el``; returns the number of codes.

    With ``memo_in_description`` a code's memo is a ``Memo:`` paragraph of its Description
    (``.qdc``); otherwise ``code_note_refs`` maps code ids to the GUIDs of their memo notes.
    """
    rows, survey = codebook_rows(db)
    by_parent: dict[str | None, list[dict]] = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in ids else None
        by_parent.setdefault(parent, []).append(r)
    codes_el = SubElement(parent_el, f"{{{ns}}}Codes")
    count = 0

    def write(container: Element, row: dict) -> None:
        nonlocal count
        attrs = {
            "guid": guids.guid("code", row["id"]),
            "name": row["name"],
            "isCodable": "true" if row["kind"] == "code" else "false",
        }
        colour = norm_colour(row.get("colour"))
        if colour:
            attrs["color"] = colour
        el = SubElement(container, f"{{{ns}}}Code", attrs)
        count += 1
        text = format_description(
            {**row, "survey_themes": survey.get(row["id"], [])}, with_memo=memo_in_description
        )
        if text:
            SubElement(el, f"{{{ns}}}Description").text = text
        if code_note_refs and row["id"] in code_note_refs:
            SubElement(el, f"{{{ns}}}NoteRef", {"targetGUID": code_note_refs[row["id"]]})
        for c in by_parent.get(row["id"], []):
            write(el, c)

    for r in by_parent.get(None, []):
        write(codes_el, r)
    return count
