"""Subtitle transcripts: WebVTT (MS Teams, Zoom, YouTube-like) and SubRip (.srt).

A cue is a timing line (``00:00:01.000 --> 00:00:04.000``, hours and milliseconds optional,
settings after it ignored) and the payload lines up to the next blank line; cue ids (numbers,
Teams GUIDs like ``1a2b…/12-0``), the ``WEBVTT`` header with its ``Kind:``/``Language:`` lines,
``NOTE``, ``STYLE`` and ``REGION`` blocks are skipped.

The speaker of a cue is its voice tag, ``<v Name>`` (with or without ``</v>``; several in one
cue are split), as MS Teams writes it, or a ``Name:`` prefix in the payload (Zoom, SubRip, other
tools), judged by the rules of :mod:`workbench.formats.importers.turns`. A cue without a speaker
continues the current one; cues before the first speaker are reported and not imported.
Consecutive cues of one speaker merge into one turn that keeps the first cue's start time; the
line breaks inside a cue are display wrapping and become spaces.

Formatting tags (``<c>``, ``<i>``, ``<b>``, ``<u>``, ``<font …>``, ``<lang …>``, ``<ruby>``,
``<rt>``), inline word times (``<00:00:01.500>``), SubRip position codes (``{\\an8}``) are
removed and HTML entities (``&amp;``) decoded. A file with inline word times is a rolling
caption (YouTube): a line repeated from the previous cue is taken once.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from workbench.errors import ImportFileError
from workbench.formats.importers.encoding import normalise_text, read_text_file
from workbench.formats.importers.model import ParsedTranscript, ParsedTurn
from workbench.formats.importers.turns import (
    Candidate,
    accepted_warning,
    format_time,
    judge_prefixes,
    match_line,
    match_loose,
)

_STAMP = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
TIMING_RE = re.compile(rf"^\s*(?P<start>{_STAMP})\s*-->\s*(?P<end>{_STAMP})(?:\s|$)")
VOICE_SPLIT_RE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
INLINE_TIME_RE = re.compile(r"<\d{1,3}:\d{2}(?::\d{2})?[.,]\d{1,3}>")
TAG_RE = re.compile(r"</?(?:c|i|b|u|lang|ruby|rt|v|font|span)(?:[.\s][^>]*)?>|<\d{1,3}:\d{2}(?::\d{2})?[.,]\d{1,3}>|\{\\[^}]*\}")


def _clean(text: str) -> str:
    return normalise_text(html.unescape(TAG_RE.sub("", text))).strip()


def _cues(lines: list[str], path: Path) -> list[tuple[int, str, list[str]]]:
    """(line of the timing, start time, payload lines) of every cue."""
    cues: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        m = TIMING_RE.match(lines[i])
        if not m:
            if "-->" in lines[i]:
                raise ImportFileError(f"cue timing not understood: {lines[i].strip()!r}", path=path, line=i + 1)
            i += 1
            continue
        start_line = i + 1
        payload: list[str] = []
        i += 1
        while i < len(lines) and not TIMING_RE.match(lines[i]):
            if not lines[i].strip():
                if payload or not lines[i]:  # a line of spaces before the text (YouTube) is no end
                    break
                i += 1
                continue
            payload.append(lines[i])
            i += 1
        cues.append((start_line, m.group("start"), payload))
    return cues


def read_subtitles(path: Path) -> ParsedTranscript:
    warnings: list[str] = []
    text = read_text_file(path, warnings)
    lines = text.split("\n")
    fmt = path.suffix.lower().lstrip(".")
    first = next((n for n, ln in enumerate(lines) if ln.strip()), 0)
    if fmt == "vtt" and not lines[first].lstrip().startswith("WEBVTT"):
        raise ImportFileError("not a WebVTT file: the first line must be 'WEBVTT'", path=path, line=first + 1)
    cues = _cues(lines, path)
    if not cues:
        raise ImportFileError("no subtitle cues found", path=path)
    rolling = bool(INLINE_TIME_RE.search(text))

    # (line, time, speaker from a voice tag or None, text, prefix candidate or None)
    pieces: list[tuple[int, str, str | None, str, Candidate | None]] = []
    recent: list[str] = []
    for line_no, start, payload in cues:
        time = format_time(start)
        joined = "\n".join(payload)
        if VOICE_SPLIT_RE.search(joined):
            parts = VOICE_SPLIT_RE.split(joined)
            before, rest = parts[0], parts[1:]
            if _clean(before):
                pieces.append((line_no, time, None, " ".join(_clean(x) for x in before.split("\n") if _clean(x)), None))
            for name, body in zip(rest[0::2], rest[1::2], strict=True):
                words = " ".join(c for c in (_clean(x) for x in body.split("\n")) if c)
                pieces.append((line_no, time, _clean(name or "") or None, words, None))
            continue
        for raw in payload:
            cleaned = _clean(raw)
            if not cleaned:
                continue
            if rolling:
                if cleaned in recent:
                    continue
                recent = [*recent[-1:], cleaned]
            found = match_line(cleaned, headers=False) or match_loose(cleaned)
            pieces.append((line_no, time, None, found.text if found else cleaned, found))

    candidates = [
        (n, c if c is not None else Candidate(voice or "", "", None, True))
        for n, _t, voice, _x, c in pieces
        if c is not None or voice
    ]
    verdict = judge_prefixes(candidates, text)
    reasons = verdict.kept
    kept_as_text = []
    turns: list[ParsedTurn] = []
    parts_of: list[list[str]] = []
    orphan_cues: list[int] = []
    for line_no, time, voice, body, found in pieces:
        speaker = voice
        if found is not None:
            if not found.strong and found.speaker in reasons:
                kept_as_text.append((line_no, found))
                body = f"{found.speaker}: {body}" if body else f"{found.speaker}:"
            else:
                speaker = found.speaker
        if speaker is None or (turns and turns[-1].speaker.casefold() == speaker.casefold()):
            if not turns:
                if body:
                    orphan_cues.append(line_no)
                continue
            if body:
                parts_of[-1].append(body)
        else:
            turns.append(ParsedTurn(speaker, "", line_no, time))
            parts_of.append([body] if body else [])
    for turn, texts in zip(turns, parts_of, strict=True):
        turn.text = " ".join(texts)
    if not turns:
        raise ImportFileError(
            "no cue names a speaker (expected a voice tag '<v Name>' or a prefix 'Name:' in the "
            "cue text); a caption file without speakers cannot be imported as an interview",
            path=path,
            line=cues[0][0],
        )
    if kept_as_text:
        shown = ", ".join(f"'{c.speaker}:' (line {n})" for n, c in kept_as_text[:5])
        warnings.append(f"{len(kept_as_text)} cue line(s) starting with a word and a colon were kept as text: {shown}")
    note = accepted_warning(candidates, verdict.accepted, "line")
    if note:
        warnings.append(note)
    if orphan_cues:
        warnings.append(
            f"{len(orphan_cues)} cue(s) before the first speaker were not imported (line {orphan_cues[0]})"
        )
    empty = [t for t in turns if not t.text.strip()]
    for t in empty:
        warnings.append(f"line {t.line}: empty turn of {t.speaker!r} skipped")
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        raise ImportFileError("all speaker turns are empty", path=path)
    return ParsedTranscript(path, fmt, turns, {}, warnings, False)
