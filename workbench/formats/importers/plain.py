"""Plain-text and Markdown transcripts: optional YAML front matter, then speaker turns.

The turn rules (speaker prefixes, times, Otter/Amberscript/f4 layouts, Markdown emphasis and
headings) are those of :mod:`workbench.formats.importers.turns`.
"""

from __future__ import annotations

from pathlib import Path

from workbench.formats.importers.encoding import read_text_file
from workbench.formats.importers.metadata import split_front_matter
from workbench.formats.importers.model import ParsedTranscript
from workbench.formats.importers.turns import parse_turn_lines


def read_plain(path: Path) -> ParsedTranscript:
    warnings: list[str] = []
    lines = read_text_file(path, warnings).split("\n")
    meta, body_start, has_fm = split_front_matter(lines, path)
    turns, turn_warnings = parse_turn_lines(lines[body_start:], path, first_line=body_start + 1)
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return ParsedTranscript(path, fmt, turns, meta, warnings + turn_warnings, has_fm)
