"""Wrapping a transcript into screen lines that keep their offsets into the text.

Pure Python (no Textual): given the transcript text, its turns and a width, build the list of
visual lines the reader draws. Every text line knows the ``[start, end)`` slice of the
transcript it shows, so highlights, the cursor and mouse clicks map straight to offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

HEADER, TEXT, BLANK = 0, 1, 2
_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True, slots=True)
class VLine:
    kind: int
    turn: int
    start: int
    end: int


@dataclass
class Layout:
    """The visual lines of one transcript at one width."""

    width: int
    lines: list[VLine]
    text_rows: list[int] = field(default_factory=list)  # line numbers of TEXT lines
    text_starts: list[int] = field(default_factory=list)  # their start offsets
    turn_rows: dict[int, int] = field(default_factory=dict)  # turn idx -> header line

    def row_of_offset(self, offset: int) -> int:
        """The line showing ``offset`` (the nearest text line before it)."""
        if not self.text_rows:
            return 0
        i = max(0, bisect.bisect_right(self.text_starts, offset) - 1)
        return self.text_rows[i]

    def rows_of_span(self, start: int, end: int) -> tuple[int, int]:
        """First and last line (inclusive) showing ``[start, end)``."""
        first = self.row_of_offset(start)
        last = self.row_of_offset(max(start, end - 1))
        return first, last


def wrap_paragraph(text: str, base: int, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]``; spans are absolute (``base`` + index)."""
    width = max(8, width)
    out: list[tuple[int, int]] = []
    line_start = start
    line_end = start  # end of the last word (without trailing space) on the line
    col = 0
    for m in _TOKEN.finditer(text, start, end):
        word_end = m.start() + len(m.group().rstrip())
        word_len = word_end - m.start()
        if col and col + word_len > width:
            out.append((base + line_start, base + line_end))
            line_start, col = m.start(), 0
        while word_len > width:  # a word longer than the line: hard split
            out.append((base + line_start, base + line_start + width))
            line_start += width
            word_len -= width
            col = 0
        col = (m.end() - line_start)
        line_end = word_end
    if line_end > line_start or not out:
        out.append((base + line_start, base + max(line_end, line_start)))
    return out


def build_layout(text: str, turns: list[dict], width: int) -> Layout:
    """Header line, wrapped body lines and a blank line for every turn."""
    lines: list[VLine] = []
    layout = Layout(width, lines)
    for turn in turns:
        idx, t_start, t_end = turn["idx"], turn["start"], turn["end"]
        layout.turn_rows[idx] = len(lines)
        lines.append(VLine(HEADER, idx, t_start, t_start))
        body = text[t_start:t_end]
        pos = 0
        for para in body.split("\n"):
            p_end = pos + len(para)
            for s, e in wrap_paragraph(body, t_start, pos, p_end, width):
                layout.text_rows.append(len(lines))
                layout.text_starts.append(s)
                lines.append(VLine(TEXT, idx, s, e))
            pos = p_end + 1
        lines.append(VLine(BLANK, idx, t_end, t_end))
    return layout


def next_word_end(text: str, pos: int, limit: int) -> int:
    """The end of the word after ``pos`` (not beyond ``limit``)."""
    m = re.compile(r"\s*\S+").match(text, pos, limit)
    return m.end() if m else limit


def prev_word_start(text: str, pos: int, floor: int) -> int:
    """The start of the word before ``pos`` (not before ``floor``)."""
    i = pos
    while i > floor and text[i - 1].isspace():
        i -= 1
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def next_word_start(text: str, pos: int, limit: int) -> int | None:
    """The start of the word after the one at ``pos`` (None when there is none before ``limit``)."""
    m = re.compile(r"\S*\s+(?=\S)").match(text, pos, limit)
    return m.end() if m else None


def word_end(text: str, pos: int, limit: int) -> int:
    """The end of the word that starts at ``pos``."""
    m = re.compile(r"\S+").match(text, pos, limit)
    return m.end() if m else pos
