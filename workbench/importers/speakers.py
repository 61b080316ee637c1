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


def assign_roles(parsed: ParsedTranscript) -> None:
    interviewer_meta = str(parsed.metadata.get("interviewer", "") or "").strip().lower()
    named = [t.speaker for t in parsed.turns if _key(t.speaker) not in INTERVIEWER_LABELS | RESPONDENT_LABELS]
    interviewer_names: set[str] = set()
    if named:
        meta_names = {n.strip() for n in interviewer_meta.split(",") if n.strip()}
        interviewer_names = {n for n in named if n.lower() in meta_names}
        if not interviewer_names:
            first = parsed.turns[0].speaker
            if _key(first) in RESPONDENT_LABELS:
                pass
            elif _key(first) in INTERVIEWER_LABELS:
                pass
            else:
                interviewer_names = {first}
                if len(set(named)) > 1 or any(
                    _key(t.speaker) in RESPONDENT_LABELS for t in parsed.turns
                ):
                    parsed.warnings.append(
                        "speaker names found; the first speaker was taken as the interviewer "
                        "(set 'interviewer: NAME' in the front matter or a sidecar .yaml to choose)"
                    )
    respondents: list[str] = []
    for turn in parsed.turns:
        key = _key(turn.speaker)
        if key in INTERVIEWER_LABELS or turn.speaker in interviewer_names:
            turn.role = "interviewer"
            turn.label = "Interviewer"
        else:
            turn.role = "respondent"
            ident = turn.speaker if key not in RESPONDENT_LABELS else turn.speaker.strip().lower()
            if ident not in respondents:
                respondents.append(ident)
    distinct = len(respondents)
    for turn in parsed.turns:
        if turn.role == "respondent":
            key = _key(turn.speaker)
            ident = turn.speaker if key not in RESPONDENT_LABELS else turn.speaker.strip().lower()
            n = respondents.index(ident) + 1
            turn.label = "Respondent" if distinct == 1 else f"Respondent {n}"
