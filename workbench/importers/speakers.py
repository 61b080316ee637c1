"""Mapping speakers to the roles interviewer / respondent, and keeping names out of the text.

A speaker is compared without case, without a parenthesis (``Interviewer (I)``), and without a
trailing number (``Respondent 2``, ``R1``, ``SPEAKER_00``). Known labels map directly:

- interviewer: ``I``, ``INT``, ``Interviewer``, ``Interviewster``, ``Onderzoeker``,
  ``Onderzoekster``, ``Q``, ``V``, ``Vraag``, ``Vraagsteller``, ``Moderator``,
  ``Gespreksleider``, ``IV``;
- respondent: ``R``, ``RESP``, ``Respondent``, ``Geïnterviewde``, ``A``, ``Antwoord``,
  ``Deelnemer``, ``Participant``, ``P``, ``B`` and ``IP`` (f4's *Befragte*,
  *Interviewpartner*), ``Interviewee``, ``Gesprekspartner``.

Labels of one role without a number are one person (``R:`` and ``Respondent:`` in one file
are the same respondent). A parenthesis that holds a label decides for a name: ``Jan (R)`` is a respondent. Other speakers
(names, ``Speaker 1``) are taken to be people: the one given as ``interviewer`` in the metadata
(or, failing that, the first speaker) is the interviewer, the others respondents. One respondent
is stored as ``Respondent``; several as ``Respondent 1``, ``Respondent 2`` … — numbered as
written when every respondent carries a different number (``R2`` before ``R1`` stays
``Respondent 2``), otherwise in order of appearance. A name is never stored: turns keep only
their role label.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.importers.model import ParsedTranscript

INTERVIEWER_LABELS = {
    "i", "int", "interviewer", "interviewster", "onderzoeker", "onderzoekster", "q", "v", "vraag",
    "vraagsteller", "moderator", "gespreksleider", "iv",
}
RESPONDENT_LABELS = {
    "r", "resp", "respondent", "respondente", "geinterviewde", "geïnterviewde", "a", "antwoord",
    "deelnemer", "participant", "p", "b", "ip", "befragte", "befragter", "interviewee",
    "gesprekspartner",
}
_PAREN = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_NUMBER = re.compile(r"[\s_\-#.]*(\d+)$")


@lru_cache(maxsize=4096)
def _parts(speaker: str) -> tuple[str, int | None, str]:
    """(base without number, the number, the text in parentheses) in lower case."""
    s = speaker.strip().strip("*_[]").strip().casefold()
    inner = " ".join(m.group(1).strip() for m in _PAREN.finditer(s))
    s = _PAREN.sub("", s).strip().rstrip(":.").strip()
    m = _NUMBER.search(s)
    number = int(m.group(1)) if m else None
    base = s[: m.start()].strip() if m else s
    return re.sub(r"\s+", " ", base), number, inner


@lru_cache(maxsize=4096)
def _label_role(speaker: str) -> str | None:
    base, _n, inner = _parts(speaker)
    for candidate in (base, re.sub(r"\d+$", "", inner).strip()):
        if candidate in INTERVIEWER_LABELS:
            return "interviewer"
        if candidate in RESPONDENT_LABELS:
            return "respondent"
    return None


@lru_cache(maxsize=4096)
def is_known_label(speaker: str) -> bool:
    """``I``, ``R2``, ``Respondent 2``, ``Interviewer (I)``, ``Geïnterviewde`` … (not names)."""
    base, _n, _inner = _parts(speaker)
    return base in INTERVIEWER_LABELS or base in RESPONDENT_LABELS


@lru_cache(maxsize=4096)
def speaker_identity(speaker: str) -> str:
    """One identity per speaker: labels by role and number (``R`` = ``Respondent``,
    ``R1`` = ``Respondent 1``), names without case (``JAN`` = ``Jan``, ``Jan (moeder)`` = ``Jan``)."""
    base, number, _inner = _parts(speaker)
    role = _label_role(speaker)
    if role is not None and (base in INTERVIEWER_LABELS or base in RESPONDENT_LABELS):
        base = role
    return f"{base} {number}" if number is not None else base


def assign_roles(parsed: ParsedTranscript) -> None:
    named = list(dict.fromkeys(speaker_identity(t.speaker) for t in parsed.turns if _label_role(t.speaker) is None))
    raw_meta = str(parsed.metadata.get("interviewer") or "").strip().casefold()
    meta_names = {raw_meta} | {n.strip() for n in raw_meta.split(",") if n.strip()}
    meta_names = {speaker_identity(n) for n in meta_names if n}
    interviewers = {n for n in named if n in meta_names}
    has_interviewer_label = any(_label_role(t.speaker) == "interviewer" for t in parsed.turns)
    if named and not interviewers and not has_interviewer_label:
        interviewers = {named[0]}
        if len(named) > 1:
            first = next(t.speaker for t in parsed.turns if speaker_identity(t.speaker) == named[0])
            parsed.warnings.append(
                f"speaker names found; '{first}' (the first) was taken as the interviewer; set "
                "'interviewer: NAME' in the front matter or a sidecar .yaml to choose another"
            )
    respondents: list[str] = []
    numbers: dict[str, int | None] = {}
    for turn in parsed.turns:
        ident = speaker_identity(turn.speaker)
        role = _label_role(turn.speaker)
        if role == "interviewer" or (role is None and ident in interviewers):
            turn.role, turn.label = "interviewer", "Interviewer"
        else:
            turn.role = "respondent"
            if ident not in respondents:
                respondents.append(ident)
                numbers[ident] = _parts(turn.speaker)[1] if role is not None else None
    written = [numbers[r] for r in respondents]
    use_written = all(n is not None for n in written) and len(set(written)) == len(written)
    for turn in parsed.turns:
        if turn.role == "respondent":
            ident = speaker_identity(turn.speaker)
            if len(respondents) == 1:
                turn.label = "Respondent"
            else:
                n = numbers[ident] if use_written else respondents.index(ident) + 1
                turn.label = f"Respondent {n}"
