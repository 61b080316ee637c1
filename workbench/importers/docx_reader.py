"""Word transcripts (.docx): one paragraph per turn, the same speaker prefixes as plain text.

Front matter may stand in the first paragraphs between ``---`` paragraphs. Line numbers in
messages are paragraph numbers.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench.errors import ImportFileError
from workbench.importers.encoding import normalise_text
from workbench.importers.metadata import split_front_matter
from workbench.importers.model import ParsedTranscript
from workbench.importers.turns import parse_turn_lines


def read_docx(path: Path) -> ParsedTranscript:
    import docx  # python-docx, imported only when a .docx is read

    if not zipfile.is_zipfile(path):
        raise ImportFileError("not a Word .docx file (it is not a ZIP archive)", path=path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        raise ImportFileError(f"cannot open the Word file: {exc}", path=path) from exc
    paragraphs: list[str] = []
    for p in document.paragraphs:
        # soft line breaks inside a paragraph stay within the turn
        paragraphs.append(normalise_text(p.text).replace("\n", " ").replace("\t", " "))
    meta, start, has_fm = split_front_matter(paragraphs, path)
    turns, warnings = parse_turn_lines(paragraphs[start:], path, first_line=start + 1, unit="paragraph")
    return ParsedTranscript(path, "docx", turns, meta, warnings, has_fm)
