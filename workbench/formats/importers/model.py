"""The importers' output: a transcript as parsed turns and metadata, before storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: What joins two turns in a transcript's canonical text (offsets count it).
TURN_SEPARATOR = "\n\n"


@dataclass
class ParsedTurn:
    speaker: str  # as written in the file (may be a name; never stored as is)
    text: str
    line: int  # 1-based line (or paragraph/cue) where the turn starts
    time: str | None = None
    role: str = ""  # "interviewer" or "respondent", set by speakers.assign_roles
    label: str = ""  # the speaker as stored: "Interviewer", "Respondent", "Respondent 2"


@dataclass
class ParsedTranscript:
    path: Path
    source_format: str
    turns: list[ParsedTurn]
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    has_front_matter: bool = False
