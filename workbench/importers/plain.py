"""Plain-text and Markdown transcripts: optional YAML front matter, then speaker turns."""

from __future__ import annotations

from pathlib import Path

from workbench.importers.encoding import read_text_file
from workbench.importers.metadata import split_front_matter
from workbench.importers.model import ParsedTranscript
from workbench.importers.turns import parse_turn_lines


def read_plain(path: Path) -> ParsedTranscript:
    lines = read_text_file(path).split("\n")
    meta, body_start, has_fm = split_front_matter(lines, path)
    turns, warnings = parse_turn_lines(lines[body_start:], path, first_line=body_start + 1)
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return ParsedTranscript(path, fmt, turns, meta, warnings, has_fm)
