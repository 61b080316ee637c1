"""Combine deduce, the pattern detectors, names found by context and optional model entities
into one audit.

:func:`audit_text` is the single entry point for auditing a piece of text. It
returns non-overlapping :class:`~workbench.audit.detectors.Flag` objects sorted
by start, with allow-listed terms and ordinary words taken for names
(:mod:`workbench.audit.common_words`) removed, and every occurrence of a term on the
project's deny list flagged whatever the detectors say (source ``list``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from workbench.audit.addresses import address_flags
from workbench.audit.context import context_flags, prefer_firms, prefer_places, with_first_names
from workbench.audit.dates import date_flags
from workbench.audit.detectors import Flag, merge_flags, pattern_flags
from workbench.audit.unknown_names import unknown_name_flags

__all__ = ["MODEL_LABELS", "AuditCounts", "Flag", "audit_text", "deny_flags", "model_flags",
           "rules_fingerprint"]

#: spaCy entity label -> flag category. Labels mapped to ``None`` are ignored
#: (numbers and amounts do not identify anyone); any other label -> "entity".
MODEL_LABELS: dict[str, str | None] = {
    "PER": "person",
    "PERSON": "person",
    "LOC": "place",
    "GPE": "place",
    "FAC": "place",
    "ORG": "institution",
    "DATE": "date",
    "CARDINAL": None,
    "ORDINAL": None,
    "QUANTITY": None,
    "PERCENT": None,
    "MONEY": None,
    "TIME": None,
}

_EDGE_CHARS = " \t\r\n.,;:!?\"'()[]{}«»“”‘’@"


def model_flags(text: str, entities: Iterable[tuple[int, int, str]]) -> list[Flag]:
    """Turn (start, end, label) spans from a spaCy model into flags (source "model").

    PER/PERSON -> person, LOC/GPE/FAC -> place, ORG -> institution,
    DATE -> date, numeric labels are dropped, anything else -> "entity".

    Raises:
        ValueError: if a span does not fit in ``text``.
    """
    flags: list[Flag] = []
    for start, end, label in entities:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"entity span ({start}, {end}) outside text of length {len(text)}")
        upper = label.upper()
        category = MODEL_LABELS[upper] if upper in MODEL_LABELS else "entity"
        if category is None:
            continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            flags.append(Flag(start, end, category, text[start:end], "model"))
    return flags


def _normalise(term: str) -> str:
    return " ".join(term.strip(_EDGE_CHARS).split()).casefold()


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A hash of the audit detectors' own source (this package's modules) and deduce's
    version: a project audited by other rules is audited again."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.read_bytes())
    try:
        from importlib.metadata import version

        digest.update(version("deduce").encode())
    except Exception:  # noqa: BLE001 - deduce not installed: the patterns alone
        pass
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=16)
def _terms_regex(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation of every term (longest first), matched case-insensitively as
    whole words with any whitespace between their words; compiled once per term list."""
    parts = sorted({r"\s+".join(re.escape(w) for w in t.split()) for t in terms if t.split()},
                   key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class _AllowedTerms:
    """Where allowed terms cover a flag: looked up in a window around each flag only (a
    transcript has tens of flags but 50,000 characters), with one compiled regex."""

    def __init__(self, text: str, terms: Sequence[str]) -> None:
        self.text = text
        self.normalised = {_normalise(term) for term in terms}
        self.regex = _terms_regex(tuple(sorted(set(terms))))
        self.reach = max((len(t) for t in terms), default=0) + 8

    def covers(self, flag: Flag) -> bool:
        if _normalise(flag.text) in self.normalised:
            return True
        if self.regex is None:
            return False
        lo, hi = max(0, flag.start - self.reach), min(len(self.text), flag.end + self.reach)
        return any(m.start() <= flag.start and flag.end <= m.end()
                   for m in self.regex.finditer(self.text, lo, hi))


def deny_flags(text: str, deny: Iterable[tuple[str, str]]) -> list[Flag]:
    """A flag (source ``list``) on every occurrence of each ``(term, category)`` of the
    project's deny list, matched like the allow list (case-insensitive, whole words)."""
    flags = []
    pairs = list(deny)
    regex = _terms_regex(tuple(sorted({term for term, _ in pairs})))
    if regex is None:
        return []
    category_of = {_normalise(term): category or "listed" for term, category in pairs}
    for m in regex.finditer(text):
        category = category_of.get(_normalise(m.group()), "listed")
        flags.append(Flag(m.start(), m.end(), category, m.group(), "list"))
    return flags


class AuditCounts:
    """What the project's lists did in one :func:`audit_text` call: ``allowed`` flags left
    out because of the allow list, ``denied`` flags that stand because of the deny list."""

    __slots__ = ("allowed", "denied")

    def __init__(self) -> None:
        self.allowed = 0
        self.denied = 0


def audit_text(
    text: str,
    *,
    allow: Iterable[str] = (),
    nlp_entities: Iterable[tuple[int, int, str]] = (),
    use_deduce: bool = True,
    drop_common_words: bool = True,
    deny: Iterable[tuple[str, str]] = (),
    counts: AuditCounts | None = None,
) -> list[Flag]:
    """Find text that may identify someone.

    Args:
        text: The text to audit (e.g. one transcript segment or a whole transcript).
        allow: Terms that are fine to keep (e.g. "Halt", "Veilig Thuis", a
            municipality that is part of the study design). A flag is dropped
            when its text equals an allowed term (case-insensitive, ignoring
            surrounding punctuation and extra whitespace) or when it lies inside
            an occurrence of an allowed term in ``text`` (e.g. a flag on
            "Thuis" inside "Veilig Thuis").
        nlp_entities: Optional (start, end, label) spans from a spaCy model on
            the same text; see :func:`model_flags`.
        use_deduce: Run deduce (default). Blocks while deduce is still loading;
            pass False (e.g. while :func:`~workbench.audit.deduce_engine.is_ready`
            is False) for a quick pattern-only audit.
        drop_common_words: Drop one-word person and place flags that are ordinary words
            here: the word occurs in lower case elsewhere in ``text``, or it is a common Dutch
            word at the start of a sentence (see :mod:`workbench.audit.common_words`). Audit
            a whole transcript at once so that the first rule sees all of it.
        deny: ``(term, category)`` pairs of the project's deny list: every occurrence is
            flagged (source ``list``, the pair's category), whatever the allow list, the
            common-word filter or the detectors say.
        counts: If given, receives how many flags the allow list left out and how many the
            deny list gave (see :class:`AuditCounts`).

    Returns:
        Non-overlapping flags sorted by start. Where flags from different
        sources overlap they are merged into one flag covering both spans, with
        the most specific category (see
        :data:`~workbench.audit.detectors.CATEGORIES`).
    """
    flags: list[Flag] = []
    if use_deduce:
        from workbench.audit.deduce_engine import deduce_flags  # imports deduce lazily

        flags.extend(deduce_flags(text))
    flags.extend(pattern_flags(text))
    flags.extend(context_flags(text))
    flags.extend(unknown_name_flags(text))
    flags.extend(address_flags(text))
    flags.extend(date_flags(text))
    flags.extend(model_flags(text, nlp_entities))
    flags = prefer_firms(prefer_places(text, with_first_names(text, flags)))

    if drop_common_words:
        from workbench.audit.common_words import drop_common_word_flags

        flags = drop_common_word_flags(text, flags)
    allow_list = [term for term in allow if term and term.strip()]
    if allow_list:
        allowed = _AllowedTerms(text, allow_list)
        kept: list[Flag] = []
        dropped: list[Flag] = []
        for f in flags:
            (dropped if allowed.covers(f) else kept).append(f)
        result: list[Flag] = []
        for f in merge_flags(kept, text):
            (dropped if allowed.covers(f) else result).append(f)
        if counts is not None:
            counts.allowed += len(merge_flags(dropped, text))
    else:
        result = merge_flags(flags, text)
    listed = deny_flags(text, deny)
    if listed:
        result = merge_flags([*result, *listed], text)
        if counts is not None:
            counts.denied += sum(1 for f in result if f.source == "list")
    return result
