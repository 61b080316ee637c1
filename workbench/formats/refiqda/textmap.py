"""Source text <-> transcript text, with exact offset maps in both directions.

REFI-QDA counts text positions in Unicode code points from 0 (spec §10.2), ``endPosition``
exclusive (as the spec's own examples and every sample do). Python ``str`` indices are code
points, so no unit conversion is needed; what differs is the *text*:

Export
    A transcript is written as its turns, each prefixed with its speaker label and time:
    ``[00:12:31] Respondent: …`` (labels, never names), turns separated by a blank line, so other
    programs show who speaks. :func:`export_text` returns that text and a function that moves
    our offsets into it.

Import
    REFI sources have no turns. :func:`segment` recognises speaker prefixes with the transcript
    importer's own turn recogniser (``workbench.formats.importers.turns.match_turn``): each prefixed
    line starts a turn, following lines continue it, and the prefix (a name, perhaps) is not
    kept. Text before the first prefix, or a whole source without any, becomes one respondent
    turn per paragraph. Lines are stripped and joined as the transcript importer joins them,
    and every kept character remembers its source position, so selections map exactly
    (:meth:`Segmented.to_canonical`); a selection that only covered a prefix or blank space has
    nothing left and is reported.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.formats.importers.model import TURN_SEPARATOR
from workbench.formats.importers.turns import TIME_ONLY_RE, TURN_RE, format_time, match_turn

# -- export ----------------------------------------------------------------------------------


def turn_prefix(turn: dict) -> str:
    label = (turn.get("speaker") or "").strip()
    if not label:
        label = "Interviewer" if turn.get("role") == "interviewer" else "Respondent"
    time = f"[{turn['time']}] " if turn.get("time") else ""
    return f"{time}{label}: "


def export_text(text: str, turns: list[dict]) -> tuple[str, Callable[[int, bool], int]]:
    """The text written to ``sources/<guid>.txt`` and ``to_export(pos, is_end)``."""
    inserts = sorted((t["start"], turn_prefix(t)) for t in turns if 0 <= t["start"] <= len(text))
    if not inserts:
        return text, lambda pos, is_end=False: pos
    positions = [p for p, _ in inserts]
    cumulative = []
    total = 0
    parts = []
    prev = 0
    for pos, prefix in inserts:
        parts.append(text[prev:pos])
        parts.append(prefix)
        prev = pos
        total += len(prefix)
        cumulative.append(total)
    parts.append(text[prev:])

    def to_export(pos: int, is_end: bool = False) -> int:
        n = bisect.bisect_left(positions, pos) if is_end else bisect.bisect_right(positions, pos)
        return pos + (cumulative[n - 1] if n else 0)

    return "".join(parts), to_export


# -- import ----------------------------------------------------------------------------------


@dataclass
class SegTurn:
    speaker: str | None  # as written (may be a name: never stored); None for a paragraph turn
    time: str | None
    line: int
    spans: list[tuple[int, int]] = field(default_factory=list)  # stripped source line spans


@dataclass
class Segmented:
    text: str  # the canonical transcript text
    turns: list[dict]  # idx, speaker (label), role, start, end, time
    source_positions: list[int]  # per canonical character, its source index (-1: separator)
    warnings: list[str] = field(default_factory=list)
    _canon: list[int] = field(default_factory=list, repr=False)
    _src: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._canon = [i for i, s in enumerate(self.source_positions) if s >= 0]
        self._src = [self.source_positions[i] for i in self._canon]

    def to_canonical(self, start: int, end: int) -> tuple[int, int] | None:
        """Source ``[start, end)`` as transcript ``[start, end)`` (trimmed of whitespace), or
        None when nothing of it is kept."""
        a = bisect.bisect_left(self._src, start)
        b = bisect.bisect_left(self._src, end) - 1
        if a > b or a >= len(self._canon) or b < 0:
            return None
        s, e = self._canon[a], self._canon[b] + 1
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return (s, e) if s < e else None

    def dropped_chars(self, source: str, start: int, end: int) -> int:
        """How many non-whitespace source characters at the edges of ``[start, end)`` (before
        its first or after its last kept character) are not in the text: a speaker prefix."""
        a = bisect.bisect_left(self._src, start)
        b = bisect.bisect_left(self._src, end)
        if a >= b:
            return sum(1 for ch in source[start:end] if not ch.isspace())
        edges = source[start:self._src[a]] + source[self._src[b - 1] + 1:end]
        return sum(1 for ch in edges if not ch.isspace())


def _lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line break (``\\r\\n``, ``\\r`` or ``\\n``)."""
    out: list[tuple[int, int]] = []
    start = i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch in "\r\n":
            out.append((start, i))
            if ch == "\r" and i + 1 < n and source[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    out.append((start, n))
    return out


def _strip(source: str, a: int, b: int) -> tuple[int, int]:
    while a < b and source[a].isspace():
        a += 1
    while b > a and source[b - 1].isspace():
        b -= 1
    return a, b


def segment(source: str, *, name: str = "source") -> Segmented:
    """Turns and canonical text for a plain-text source (see the module docstring)."""
    lines = _lines(source)
    stripped = [_strip(source, a, b) for a, b in lines]
    has_speakers = any(a < b and match_turn(source[a:b]) for a, b in stripped)
    turns: list[SegTurn] = []
    current: SegTurn | None = None
    pending_time: str | None = None
    paragraph_open = False
    for n, (a, b) in enumerate(stripped, start=1):
        if a >= b:
            paragraph_open = False
            continue
        line = source[a:b]
        if has_speakers:
            stamp = TIME_ONLY_RE.match(line)
            if stamp:
                pending_time = format_time(stamp.group("bt") or stamp.group("pt") or stamp.group("t"))
                continue
            found = match_turn(line)
            if found:
                m = TURN_RE.match(line)
                speaker, text, time = found
                text_at = m.start("text") if m else max(0, line.rfind(text)) if text else len(line)
                ta, tb = _strip(source, a + text_at, b)
                current = SegTurn(speaker, time or pending_time, n, [(ta, tb)] if ta < tb else [])
                pending_time = None
                turns.append(current)
                paragraph_open = False
                continue
            if current is not None and current.speaker is not None:
                current.spans.append((a, b))
                continue
        if paragraph_open and current is not None:
            current.spans.append((a, b))
        else:
            current = SegTurn(None, None, n, [(a, b)])
            turns.append(current)
            paragraph_open = True
    warnings: list[str] = []
    empty = [t for t in turns if not t.spans]
    for t in empty:
        warnings.append(f"line {t.line}: empty turn of a speaker skipped")
    turns = [t for t in turns if t.spans]
    roles = _roles(turns, name)
    warnings.extend(roles.pop("__warnings__", []))
    parts: list[str] = []
    positions: list[int] = []
    out_turns: list[dict] = []
    pos = 0
    for idx, t in enumerate(turns):
        if idx:
            parts.append(TURN_SEPARATOR)
            positions.extend([-1] * len(TURN_SEPARATOR))
            pos += len(TURN_SEPARATOR)
        start = pos
        for j, (a, b) in enumerate(t.spans):
            if j:
                parts.append("\n")
                positions.append(-1)
                pos += 1
            parts.append(source[a:b])
            positions.extend(range(a, b))
            pos += b - a
        role, label = roles[idx]
        out_turns.append({"idx": idx, "speaker": label, "role": role, "start": start, "end": pos, "time": t.time})
    return Segmented("".join(parts), out_turns, positions, warnings)


def _roles(turns: list[SegTurn], name: str) -> dict:
    """(role, label) per turn index, using the transcript importer's speaker rules."""
    from workbench.formats.importers.model import ParsedTranscript, ParsedTurn
    from workbench.formats.importers.speakers import assign_roles

    spoken = [(i, t) for i, t in enumerate(turns) if t.speaker is not None]
    parsed = ParsedTranscript(Path(name), "qdpx", [ParsedTurn(t.speaker or "", "x", t.line, t.time) for _, t in spoken])
    if parsed.turns:
        assign_roles(parsed)
    out: dict = {i: ("respondent", "Respondent") for i in range(len(turns))}
    for (i, _t), pt in zip(spoken, parsed.turns, strict=True):
        out[i] = (pt.role, pt.label)
    out["__warnings__"] = parsed.warnings
    return out


def utf16_to_codepoints(text: str) -> Callable[[int], int]:
    """Map UTF-16 code-unit positions (what some programs count) to code-point positions."""
    units = []
    for i, ch in enumerate(text):
        units.append(i)
        if ord(ch) > 0xFFFF:
            units.append(i)
    units.append(len(text))

    def convert(pos: int) -> int:
        return units[pos] if 0 <= pos < len(units) else len(text) + (pos - len(units) + 1)

    return convert
