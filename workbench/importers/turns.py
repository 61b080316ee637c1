"""Recognising speaker turns in lines of text (plain text and Word paragraphs).

A turn starts with an optional timestamp (``[00:12:31]`` or ``00:12:31``) and a speaker prefix:
``I:``, ``R:``, ``Interviewer:``, ``Respondent:``, or a name followed by a colon. Lines without
a prefix continue the current turn.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.errors import ImportFileError
from workbench.importers.model import ParsedTurn

_TIME = r"(?:\[(?P<bt>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]|\((?P<pt>\d{1,2}:\d{2}(?::\d{2})?)\)|(?P<t>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?))"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|v\.d\.|d'|op|in|la|le|du|el|al|bin)"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_SPEAKER = (
    rf"(?P<speaker>(?:{_NAME_WORD}|\d+)(?:\s+(?:{_NAME_WORD}|{_PARTICLE}|\d+|\([^)]{{1,30}}\))){{0,4}})"
)
TURN_RE = re.compile(rf"^\s*(?:{_TIME}\s*(?:[-–]\s*)?)?{_SPEAKER}\s*:(?:\s+|$)(?P<text>.*)$")
TIME_ONLY_RE = re.compile(rf"^\s*{_TIME}\s*$")

# Words that begin ordinary sentences ending in a colon ("Nou:", "Dus:"): never speakers.
_NOT_SPEAKERS = {
    "dus", "nou", "maar", "en", "want", "ja", "nee", "kijk", "oftewel", "namelijk", "bijvoorbeeld",
    "let op", "note", "noot", "opmerking", "vraag", "antwoord", "zie", "toelichting",
}


def format_time(raw: str) -> str:
    """``1:02:03.5`` -> ``01:02:03``; ``12:31`` -> ``00:12:31``."""
    main = re.split(r"[.,]", raw)[0]
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return f"{h:02d}:{m:02d}:{s:02d}"


def match_turn(line: str) -> tuple[str, str, str | None] | None:
    """(speaker, text, time) if ``line`` starts a turn."""
    m = TURN_RE.match(line)
    if not m:
        return None
    speaker = m.group("speaker").strip()
    if speaker.lower() in _NOT_SPEAKERS:
        return None
    raw_time = m.group("bt") or m.group("pt") or m.group("t")
    return speaker, m.group("text").strip(), format_time(raw_time) if raw_time else None


def parse_turn_lines(
    lines: list[str], path: Path, *, first_line: int = 1, unit: str = "line"
) -> tuple[list[ParsedTurn], list[str]]:
    """Group lines into turns. Returns (turns, warnings)."""
    turns: list[ParsedTurn] = []
    warnings: list[str] = []
    orphan_lines: list[int] = []
    pending_time: str | None = None
    for offset, raw in enumerate(lines):
        number = first_line + offset
        line = raw.strip()
        if not line:
            continue
        t = TIME_ONLY_RE.match(line)
        if t:  # a timestamp on a line of its own belongs to the next turn
            raw_time = t.group("bt") or t.group("pt") or t.group("t")
            pending_time = format_time(raw_time)
            continue
        found = match_turn(line)
        if found:
            speaker, text, time = found
            turns.append(ParsedTurn(speaker, text, number, time or pending_time))
            pending_time = None
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n{line}" if turns[-1].text else line
        else:
            orphan_lines.append(number)
    if orphan_lines and turns:
        warnings.append(
            f"{len(orphan_lines)} {unit}(s) before the first speaker turn were not imported "
            f"({unit} {orphan_lines[0]}" + (f"–{orphan_lines[-1]})" if len(orphan_lines) > 1 else ")")
        )
    if not turns:
        raise ImportFileError(
            "no speaker turns found: each turn must start with a speaker prefix such as 'I:', "
            "'R:', 'Interviewer:' or 'Name:'",
            path=path,
            line=orphan_lines[0] if orphan_lines else None,
        )
    empty = [t for t in turns if not t.text.strip()]
    for t in empty:
        warnings.append(f"{unit} {t.line}: empty turn of {t.speaker!r} skipped")
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        raise ImportFileError("all speaker turns are empty", path=path)
    return turns, warnings
