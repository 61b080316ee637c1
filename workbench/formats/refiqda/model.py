"""Shared REFI-QDA pieces: GUIDs, colours, code descriptions, the import report.

GUIDs
    The standard writes GUIDs with or without braces and in either case; we compare them
    normalised (lower case, no braces) and write them lower case without braces. Our rows get a
    stable GUID: the one remembered in ``refi_guids`` (where a row came from another program),
    else ``uuid5(NAMESPACE, "<kind>:<our id>")``, so exporting twice gives the same GUIDs.

Descriptions
    A REFI code has one free-text Description; our codes have a definition plus inclusion,
    exclusion, example (and, in a ``.qdc``, memo and survey themes). They are written as the
    definition followed by labelled paragraphs (``Inclusion: …``) and read back the same way;
    a description from another program without labels is the definition.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import sqlite_utils

from workbench.clock import now_iso

NAMESPACE = uuid.UUID("6f1c1f0e-6a53-5d3e-9a51-2f0a3c9b7e41")
GUID_RE = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def norm_guid(value: str | None) -> str:
    """A GUID as we compare it: lower case, no braces. Non-GUID ids (sloppy producers) are kept
    as trimmed lower-case strings so that references to them still resolve."""
    text = (value or "").strip()
    m = GUID_RE.match(text)
    return m.group(1).lower() if m else text.lower()


_SHORT_ID = re.compile(r"^[ct]-([0-9a-f]{8})$")


def derived_guid(kind: str, local_id: str) -> str:
    """The stable GUID of one of our rows. For the usual code and theme ids (``c-1a2b3c4d``)
    the GUID starts with the id's hex and the rest is a uuid5 of the id, so a codebook file
    alone (without the project) is enough to recognise our own codes: see :func:`own_id`."""
    guid = str(uuid.uuid5(NAMESPACE, f"{kind}:{local_id}"))
    m = _SHORT_ID.match(local_id)
    return m.group(1) + guid[8:] if m else guid


def own_id(kind: str, guid: str) -> str | None:
    """Our id for a GUID that :func:`derived_guid` made from a short id, else None."""
    g = norm_guid(guid)
    for prefix in ("c-", "t-"):
        candidate = prefix + g[:8]
        if _SHORT_ID.match(candidate) and derived_guid(kind, candidate) == g:
            return candidate
    return None


class GuidMap:
    """Our ids <-> REFI GUIDs for one project database (table ``refi_guids``)."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._local: dict[tuple[str, str], str] = {}
        self._guid: dict[str, tuple[str, str]] = {}
        if "refi_guids" in db.table_names():
            for r in db.query("select guid, kind, local_id from refi_guids order by rowid"):
                self._local.setdefault((r["kind"], r["local_id"]), r["guid"])
                self._guid[r["guid"]] = (r["kind"], r["local_id"])

    def guid(self, kind: str, local_id: str) -> str:
        return self._local.get((kind, local_id)) or derived_guid(kind, local_id)

    def local(self, kind: str, guid: str, candidates: list[str] | None = None) -> str | None:
        """Our id for ``guid``: remembered, or one of ``candidates`` whose derived GUID it is."""
        g = norm_guid(guid)
        hit = self._guid.get(g)
        if hit and hit[0] == kind:
            return hit[1]
        mine = own_id(kind, g)
        if mine is not None:
            return mine
        for cand in candidates or []:
            if derived_guid(kind, cand) == g:
                return cand
        return None

    def remember(self, kind: str, local_id: str, guid: str) -> dict | None:
        """The row to insert so that ``local_id`` keeps ``guid`` (None if nothing to store)."""
        g = norm_guid(guid)
        if not GUID_RE.match(g) or g == derived_guid(kind, local_id) or g in self._guid:
            return None
        self._guid[g] = (kind, local_id)
        self._local.setdefault((kind, local_id), g)
        return {"guid": g, "kind": kind, "local_id": local_id, "created_at": now_iso()}


# -- colours ---------------------------------------------------------------------------------

_HEX6 = re.compile(r"^#?([0-9a-fA-F]{6})$")
_HEX3 = re.compile(r"^#?([0-9a-fA-F]{3})$")


def norm_colour(value: str | None) -> str:
    """``#RRGGBB`` in lower case, or '' when the value is not a colour we understand."""
    text = (value or "").strip()
    m = _HEX6.match(text)
    if m:
        return "#" + m.group(1).lower()
    m = _HEX3.match(text)
    if m:
        return "#" + "".join(ch * 2 for ch in m.group(1).lower())
    if text.isalpha():  # a colour name, as the codebook allows ("red")
        try:
            from matplotlib.colors import to_hex

            return to_hex(text.lower())
        except (ImportError, ValueError):
            return ""
    return ""


# -- descriptions ----------------------------------------------------------------------------

SECTIONS = (
    ("inclusion", "Inclusion"),
    ("exclusion", "Exclusion"),
    ("example", "Example"),
    ("memo", "Memo"),
    ("survey_themes", "Survey themes"),
)
_ALIASES = {
    "inclusion": "inclusion", "inclusie": "inclusion", "include": "inclusion",
    "exclusion": "exclusion", "exclusie": "exclusion", "exclude": "exclusion",
    "example": "example", "voorbeeld": "example",
    "memo": "memo",
    "survey themes": "survey_themes", "surveythema's": "survey_themes", "surveythemas": "survey_themes",
}
_SECTION_RE = re.compile(
    r"^(?P<label>" + "|".join(re.escape(a) for a in sorted(_ALIASES, key=len, reverse=True)) + r")\s*:\s?",
    re.IGNORECASE,
)


def format_description(fields: dict, *, with_memo: bool = True, with_survey: bool = True) -> str:
    """Definition, then one labelled paragraph per filled field."""
    parts = [str(fields.get("definition") or "").strip()]
    for key, label in SECTIONS:
        if key == "memo" and not with_memo or key == "survey_themes" and not with_survey:
            continue
        value = fields.get(key)
        if key == "survey_themes":
            value = ", ".join(value or [])
        value = str(value or "").strip()
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(p for p in parts if p)


def parse_description(text: str | None) -> dict:
    """The inverse of :func:`format_description`; unlabelled text is the definition."""
    out: dict = {"definition": "", "inclusion": "", "exclusion": "", "example": "", "memo": "",
                 "survey_themes": []}
    current = "definition"
    buffers: dict[str, list[str]] = {current: []}
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _SECTION_RE.match(line)
        if m:
            current = _ALIASES[m.group("label").lower()]
            buffers.setdefault(current, [])
            line = line[m.end():]
        buffers.setdefault(current, []).append(line)
    for key, lines in buffers.items():
        value = "\n".join(lines).strip()
        if key == "survey_themes":
            out[key] = [s.strip() for s in re.split(r"[,;]", value) if s.strip()]
        elif out.get(key):
            out[key] = f"{out[key]}\n\n{value}"
        else:
            out[key] = value
    return out


# -- the report of an import -----------------------------------------------------------------


@dataclass
class Report:
    """What an import did, and everything it could not carry over (never dropped silently)."""

    not_carried: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def lost(self, message: str) -> None:
        self.not_carried.append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def as_dict(self) -> dict:
        return {"counts": self.counts, "notes": self.notes, "not_carried_over": self.not_carried}
