"""Subtitle transcripts: WebVTT as MS Teams exports it, and SubRip (.srt).

Teams writes one cue per utterance chunk, ``<v Speaker Name>text</v>``; consecutive cues of one
speaker merge into one turn that keeps the first cue's start time. In .srt files (and in VTT
cues without a voice tag) a ``Name:`` prefix marks the speaker; cues without one continue the
current speaker.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from workbench.errors import ImportFileError
from workbench.importers.encoding import read_text_file
from workbench.importers.model import ParsedTranscript, ParsedTurn
from workbench.importers.turns import format_time, match_turn

TIMING_RE = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
VOICE_RE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>|$)", re.S)
TAG_RE = re.compile(r"</?(?:c|i|b|u|lang|ruby|rt|v)(?:[.\s][^>]*)?>")


def _clean(text: str) -> str:
    return html.unescape(TAG_RE.sub("", text)).strip()


def read_subtitles(path: Path) -> ParsedTranscript:
    text = read_text_file(path)
    lines = text.split("\n")
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "vtt" and not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise ImportFileError("not a WebVTT file: the first line must be 'WEBVTT'", path=path, line=1)
    cues: list[tuple[int, str, str]] = []  # (line, start time, payload)
    i = 0
    while i < len(lines):
        line = lines[i]
        m = TIMING_RE.match(line)
        if not m:
            if "-->" in line:
                raise ImportFileError(f"cue timing not understood: {line.strip()!r}", path=path, line=i + 1)
            i += 1
            continue
        start_line = i + 1
        payload: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip():
            payload.append(lines[i])
            i += 1
        if payload:
            cues.append((start_line, m.group("start"), "\n".join(payload)))
    if not cues:
        raise ImportFileError("no subtitle cues found", path=path)

    turns: list[ParsedTurn] = []
    for line_no, start, payload in cues:
        time = format_time(start)
        voices = VOICE_RE.findall(payload)
        pieces: list[tuple[str | None, str]] = []
        if voices:
            pieces = [(name.strip(), _clean(body)) for name, body in voices]
        else:
            for raw in payload.split("\n"):
                cleaned = _clean(raw)
                found = match_turn(cleaned)
                pieces.append((found[0], found[1]) if found else (None, cleaned))
        for speaker, body in pieces:
            if not body:
                continue
            if speaker is None or (turns and turns[-1].speaker == speaker):
                if not turns:
                    raise ImportFileError(
                        "the first cue names no speaker (expected '<v Name>' or 'Name:')",
                        path=path,
                        line=line_no,
                    )
                turns[-1].text = f"{turns[-1].text} {body}"
            else:
                turns.append(ParsedTurn(speaker, body, line_no, time))
    return ParsedTranscript(path, fmt, turns, {}, [], False)
