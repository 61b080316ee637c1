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
import unicodedata
from functools import lru_cache

from workbench.formats.importers.model import ParsedTranscript

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
_NUMBER = re.compile(r"(?:\s+(?:nr|no)\b\.?)?[\s_\-#.]*(\d+)$")  # R1, SPEAKER_00, #2, nr. 4


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


_NAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "het", "t", "vd", "v", "d", "la", "le", "du", "da", "di", "dos", "el", "al", "op", "in"})
_SPLIT_NAMES = re.compile(r"\s*(?:;|/|&|\+|\ben\b|\band\b)\s*", re.I)


@lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """A name as comparable tokens: no case, accents, punctuation, parenthesis or particles
    (``Verhoeven, Sanne`` and ``sanne  VERHOEVEN`` give the same tokens; ``S. Verhoeven`` has
    the initial ``s``)."""
    s = unicodedata.normalize("NFKD", _PAREN.sub(" ", name))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    tokens = re.findall(r"[^\W_]+", s)
    kept = tuple(t for t in tokens if t not in _NAME_PARTICLES)
    return kept or tuple(tokens)


def _name_fit(given: tuple[str, ...], speaker: tuple[str, ...]) -> str | None:
    """``"full"`` when the names have the same tokens (initials match a word they start),
    ``"partial"`` when every given token is in the speaker's name, else None."""
    free = list(speaker)
    whole_word = False
    for g in sorted(given, key=len, reverse=True):
        match = next((s for s in free if s == g), None)
        if match is None:
            match = next((s for s in free if (len(g) == 1 and s.startswith(g)) or (len(s) == 1 and g.startswith(s))), None)
        elif len(g) > 1:
            whole_word = True
        if match is None:
            return None
        free.remove(match)
    if not whole_word:
        return None
    return "full" if not free else "partial"


def match_interviewer(given: str, speakers: dict[str, str]) -> tuple[set[str], str | None]:
    """Which speakers (identity -> name as written) the metadata's ``interviewer`` names.

    Names are compared as sets of tokens (:func:`name_tokens`), so ``Sanne Verhoeven`` matches
    Teams' ``Verhoeven, Sanne`` and ``S. Verhoeven``; a given name that is part of exactly one
    speaker's name (``Sanne``) matches that speaker. Several interviewers may be given, separated
    by ``;``, ``/``, ``&``, ``en`` or commas. Returns (identities, a problem or None)."""
    tokens = {ident: name_tokens(written) for ident, written in speakers.items()}

    def fit(name: str) -> tuple[set[str], set[str]]:
        want = name_tokens(name)
        if not want:
            return set(), set()
        full = {i for i, t in tokens.items() if _name_fit(want, t) == "full"}
        if full:
            return full, set()
        partial = {i for i, t in tokens.items() if _name_fit(want, t) == "partial"}
        return (partial, set()) if len(partial) == 1 else (set(), partial)

    found, ambiguous = fit(given)
    if not found and not ambiguous:
        for part in (p for chunk in _SPLIT_NAMES.split(given) for p in chunk.split(",")):
            one, many = fit(part)
            found |= one
            ambiguous |= many
    if found:
        return found, None
    listed = ", ".join(f"'{speakers[i]}'" for i in speakers)
    if ambiguous:
        several = ", ".join(f"'{speakers[i]}'" for i in speakers if i in ambiguous)
        return set(), f"the interviewer '{given}' given in the metadata fits several speakers ({several})"
    return set(), f"the interviewer '{given}' given in the metadata matches none of the speakers ({listed})"


def assign_roles(parsed: ParsedTranscript) -> None:
    named: dict[str, str] = {}
    for t in parsed.turns:
        if _label_role(t.speaker) is None:
            named.setdefault(speaker_identity(t.speaker), t.speaker)
    given = str(parsed.metadata.get("interviewer") or "").strip()
    has_interviewer_label = any(_label_role(t.speaker) == "interviewer" for t in parsed.turns)
    interviewers: set[str] = set()
    problem: str | None = None
    if given and named and not is_known_label(given):
        interviewers, problem = match_interviewer(given, named)
    if named and not interviewers and not has_interviewer_label:
        first_id, first = next(iter(named.items()))
        interviewers = {first_id}
        if len(named) > 1:
            if problem:
                parsed.warnings.append(
                    f"{problem}; '{first}' (the first) was taken as the interviewer: correct "
                    "'interviewer:' (a name as the file writes it) and import again with --replace"
                )
            else:
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
