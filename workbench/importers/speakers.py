"""Mapping speakers to the roles interviewer / respondent, and keeping names out of the text.

Known labels (``I``, ``Interviewer``, ``Onderzoeker`` … and ``R``, ``Respondent``,
``Geïnterviewde`` …) map directly. Other speakers are taken to be names: the one given as
``interviewer`` in the metadata (or, failing that, the first speaker) is the interviewer, the
others respondents. A name is never stored: turns keep only their role label.
"""

from __future__ import annotations

import re

from workbench.importers.model import ParsedTranscript

INTERVIEWER_LABELS = {
    "i", "int", "interviewer", "interviewster", "onderzoeker", "onderzoekster", "q", "vraag",
    "vraagsteller", "moderator", "gespreksleider", "iv",
}
RESPONDENT_LABELS = {
    "r", "resp", "respondent", "geinterviewde", "geïnterviewde", "a", "antwoord", "deelnemer",
    "participant", "p", "b",
}


def _key(speaker: str) -> str:
    return re.sub(r"[\s\d]+$", "", speaker.strip().lower()).strip()


def _ident(speaker: str) -> str:
    """One identity per speaker: labels case-insensitively (``R`` = ``r``), names as written."""
    return speaker.strip().lower() if _key(speaker) in RESPONDENT_LABELS else speaker.strip()


def assign_roles(parsed: ParsedTranscript) -> None:
    labels = INTERVIEWER_LABELS | RESPONDENT_LABELS
    named = list(dict.fromkeys(t.speaker for t in parsed.turns if _key(t.speaker) not in labels))
    meta_names = {
        n.strip().lower() for n in str(parsed.metadata.get("interviewer") or "").split(",") if n.strip()
    }
    interviewers = {n for n in named if n.lower() in meta_names}
    has_interviewer_label = any(_key(t.speaker) in INTERVIEWER_LABELS for t in parsed.turns)
    if named and not interviewers and not has_interviewer_label:
        interviewers = {named[0]}
        if len(named) > 1:
            parsed.warnings.append(
                f"speaker names found; '{named[0]}' (the first) was taken as the interviewer; set "
                "'interviewer: NAME' in the front matter or a sidecar .yaml to choose another"
            )
    respondents: list[str] = []
    for turn in parsed.turns:
        if _key(turn.speaker) in INTERVIEWER_LABELS or turn.speaker in interviewers:
            turn.role, turn.label = "interviewer", "Interviewer"
        else:
            turn.role = "respondent"
            if _ident(turn.speaker) not in respondents:
                respondents.append(_ident(turn.speaker))
    for turn in parsed.turns:
        if turn.role == "respondent":
            n = respondents.index(_ident(turn.speaker)) + 1
            turn.label = "Respondent" if len(respondents) == 1 else f"Respondent {n}"
