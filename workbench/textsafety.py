"""Untrusted text: the one validator for names and texts, and the one renderer for terminals.

Names, labels, roles, metadata, memos and code names come from files other people wrote
(front matter, codebooks, REFI-QDA projects, merged copies). Two things keep them harmless:

* :func:`check_name` and :func:`check_text` refuse, at the door, characters that can steer a
  terminal or hide what a text says: C0 and C1 control characters (ESC, CSI, NUL, BEL…), DEL,
  bidirectional overrides and isolates (U+202E turns ``gpj.exe`` around), invisible characters
  (zero-width space, word joiner, byte-order mark) and, in names, line breaks and tabs; with
  length limits that say what they are;
* :func:`shown` renders any text that reaches a terminal (the CLI and the UI) with such
  characters escaped visibly as ``\\u001b`` — text stored before these checks, or read from a
  file that is reported as bad, can never move the cursor, retitle the window or reverse a line.

The escape is JSON's own, so JSON output stays valid and means the same.
"""

from __future__ import annotations

import re

from workbench.errors import WorkbenchError

# Bidirectional embeddings, overrides, isolates and marks; invisible format characters.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u00ad\u180e\u200b\u2060-\u2064\ufeff\ufff9-\ufffb"
# Noncharacters: never text, and refused by XML (a Word export would fail on them).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_INVISIBLE += _NONCHARACTERS
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# In running text (memos, definitions) tabs and line breaks are fine; zero-width (non-)joiners
# stay allowed (emoji need them).
UNSAFE_IN_TEXT = re.compile(f"[{_CONTROLS}{_BIDI}{_INVISIBLE}\u2028\u2029]")
UNSAFE_IN_NAME = re.compile(f"[\t\n\r{_CONTROLS}{_BIDI}{_INVISIBLE}\u2028\u2029]")
# What a terminal must never receive raw (``\r`` would let a line overwrite itself).
_UNSAFE_SHOWN = re.compile(f"[\r{_CONTROLS}{_BIDI}{_INVISIBLE}\u2028\u2029]")
_UNSAFE_SHOWN_ONE_LINE = re.compile(f"[\t\n\r{_CONTROLS}{_BIDI}{_INVISIBLE}\u2028\u2029]")

NAME_LIMIT = 200
"""Longest code or theme name, role, municipality, domain or other one-line value."""
LIMITS = {
    "label": 80,
    "coder name": 80,
    "id": 64,
}
TEXT_LIMIT = 200_000
"""Longest memo, definition or note (about 30,000 words)."""


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def shown(text: object, *, one_line: bool = False) -> str:
    """``text`` safe for a terminal: control, bidi and invisible characters escaped visibly
    (``\\u001b``); with ``one_line`` also tabs and line breaks."""
    value = str(text)
    pattern = _UNSAFE_SHOWN_ONE_LINE if one_line else _UNSAFE_SHOWN
    return pattern.sub(_escape, value) if pattern.search(value) else value


def _codes(found: list[str]) -> str:
    return ", ".join(f"U+{ord(ch):04X}" for ch in sorted(set(found)))


def _kinds(found: list[str]) -> str:
    """``control characters (U+001B)``, ``invisible or direction-changing characters (…)``."""
    control = [ch for ch in found if ch in "\t\n\r" or re.match(f"[{_CONTROLS}]", ch)]
    other = [ch for ch in found if ch not in control]
    parts = []
    if control:
        parts.append(f"control characters ({_codes(control)})")
    if other:
        parts.append(f"invisible or direction-changing characters ({_codes(other)})")
    return " and ".join(parts)


def limit_for(what: str) -> int:
    """The length limit of a one-line value called ``what`` (``"code name"``, ``"label"``…)."""
    for key, limit in LIMITS.items():
        if what == key or what.endswith(" " + key) or what.startswith(key + " "):
            return limit
    return NAME_LIMIT


def check_name(name: object, *, what: str = "name", limit: int | None = None) -> str:
    """A one-line name or value: trimmed, space runs as one space; refused when empty, too
    long, or holding tabs, line breaks, control, bidi or invisible characters (the message
    says which). Fold a value read from a file first (``" ".join(text.split())``)."""
    text = str(name)
    found = UNSAFE_IN_NAME.findall(text.strip())
    if found:
        raise WorkbenchError(f"the {what} '{shown(text[:80], one_line=True)}' contains "
                             f"{_kinds(found)}; they are not allowed in names")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise WorkbenchError(f"the {what} is empty")
    most = limit if limit is not None else limit_for(what)
    if len(cleaned) > most:
        raise WorkbenchError(f"the {what} is {len(cleaned):,} characters long; at most {most:,} "
                             f"are allowed ('{cleaned[:40]}…')")
    return cleaned


def check_text(value: object, *, what: str = "text", limit: int = TEXT_LIMIT) -> str:
    """A memo, definition or note: any text with tabs and line breaks, but no control, bidi
    or invisible characters, and at most ``limit`` characters. Returned unchanged."""
    text = "" if value is None else str(value)
    found = UNSAFE_IN_TEXT.findall(text)
    if found:
        raise WorkbenchError(f"the {what} contains {_kinds(found)}")
    if len(text) > limit:
        raise WorkbenchError(f"the {what} is {len(text):,} characters long; at most {limit:,} are allowed")
    return text


XML_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_NONCHARACTERS}\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with what XML cannot hold (C0 controls other than tab and line breaks,
    noncharacters, lone surrogates) replaced by U+FFFD, for Word and REFI-QDA files; text
    stored before the import refused these stays exportable."""
    return XML_UNSAFE.sub("\ufffd", text)


def cleaned(text: str, *, one_line: bool = False) -> tuple[str, int]:
    """``text`` with control, bidi and invisible characters removed (for files from other
    programs, where a stray zero-width space should not refuse a whole project), and how many
    were removed, so the caller can report it."""
    pattern = UNSAFE_IN_NAME if one_line else UNSAFE_IN_TEXT
    out, n = pattern.subn("", text)
    return (" ".join(out.split()) if one_line else out), n


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, LibreOffice or Sheets read a cell as a formula (OWASP, CSV injection)."""


def spreadsheet_cell(value: object) -> object:
    """A cell for a CSV or spreadsheet file: text starting like a formula (``=HYPERLINK(…)``,
    ``+``, ``-``, ``@``, tab, CR) gets a leading ``'`` so that it stays text; numbers stay
    numbers. :func:`from_spreadsheet_cell` takes the ``'`` off again when the file is read."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def from_spreadsheet_cell(value: str) -> str:
    """The text of a cell written by :func:`spreadsheet_cell`."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    return value


def name_key(name: str) -> str:
    """How names are compared (a unique index holds it): case-folded, Unicode-normalised
    (NFKC), whitespace runs as one space. Accents are kept: *voor* and *vóór* differ."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
