"""Transcript importers: files in, :class:`ParsedTranscript` out, nothing stored.

``read_transcript(path)`` picks the reader by suffix (``.txt``/``.md``, ``.docx``, ``.vtt``,
``.srt``), decodes, parses speaker turns and metadata, and raises
:class:`workbench.errors.ImportFileError` naming the file (and line) for anything it cannot read.
Storing is the job of :mod:`workbench.services.transcripts.library`. The layouts of the transcription
tools that are recognised (Teams, Zoom, Otter.ai, Amberscript, Sonix, f4, YouTube-like captions,
Word tables, Markdown) are listed in ``docs/import.md``.
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import ImportFileError
from workbench.formats.importers.model import ParsedTranscript

SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")
MAX_BYTES = 50 * 1024 * 1024


def read_transcript(path: Path) -> ParsedTranscript:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFileError(
            f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUFFIXES)}",
            path=path,
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(f"cannot read the file: {exc.strerror}", path=path) from exc
    if size == 0:
        raise ImportFileError("the file is empty", path=path)
    if size > MAX_BYTES:
        raise ImportFileError(
            f"the file is {size / 1e6:.0f} MB; transcripts over {MAX_BYTES // 1_000_000} MB "
            "are refused (is this really a transcript?)",
            path=path,
        )
    if suffix == ".docx":
        from workbench.formats.importers.docx_reader import read_docx

        parsed = read_docx(path)
    elif suffix in (".vtt", ".srt"):
        from workbench.formats.importers.subtitles import read_subtitles

        parsed = read_subtitles(path)
    else:
        from workbench.formats.importers.plain import read_plain

        parsed = read_plain(path)
    from workbench.formats.importers.metadata import apply_sidecar

    apply_sidecar(parsed, path)
    from workbench.formats.importers.speakers import assign_roles

    assign_roles(parsed)
    if not parsed.turns:
        raise ImportFileError("no speaker turns found", path=path)
    return parsed
