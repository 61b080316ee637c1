"""Which sentences of a text deduce needs to read: the rest cannot hold anything it finds.

deduce reads every token of a transcript (two thirds of a first audit). Almost everything it
finds has a capital letter (names, places, streets, institutions from its tables, all matched
case-sensitively) or a digit (dates, ages, phone numbers, postcodes, BSNs, house numbers) or is
an e-mail or web address. The one lookup deduce matches in lower case is its list of hospitals
("het amc", "in het antonius"). So a sentence without a digit, ``@``, ``www`` or ``http``,
without a hospital's word, and with no capital but a function word at its start ("Ik", "Maar")
or a speaker's role label ("I:", "Respondent:") gives deduce nothing to find. In spoken Dutch
that is three sentences in four.

:func:`focus` returns the sentences deduce must read as a :class:`Focus`: their spans, one text
joining them for a single deduce call, and the way from offsets in it back to the original. On
the sample interviews deduce then reads a quarter of the text and takes 2.4x less time, with
the same findings (``tests/test_deduce_focus.py`` compares). Pure ``re`` and the shared
:func:`~workbench.audit.words.word_index`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from workbench.audit.words import word_index

__all__ = ["Focus", "focus"]

#: Words that begin a sentence with a capital and are never anyone's name (pronouns,
#: articles, conjunctions, prepositions, fillers). A first name that is also a word ("Dan",
#: "Wil", "Roos") is not here: a sentence starting with one is read.
FUNCTION_WORDS = frozenset("""
ik jij je u hij zij ze wij we jullie het de een dat die dit deze en maar of want dus toen als
omdat ja nee nou eh ehm uh oké ok oh ach tja hm mm wel niet ook nog daar hier er waar wat wie
hoe waarom wanneer welke zo heel echt gewoon eigenlijk misschien natuurlijk inderdaad precies
klopt goed fijn dank bedankt prima in op bij met voor van naar uit aan over door tot na om
tegen zonder onder tussen sinds tijdens is was zijn waren heb heeft had hebben kun kunnen moet
moeten willen zou zouden gaat gaan komt iemand niemand iets niets alles veel weinig soms vaak
altijd nooit meestal vooral juist mijn jouw ons onze hun daarna daarom daarnaast verder eerst
nu straks vroeger zeker sowieso volgens
""".split())

#: A speaker's role at the start of a turn ("I:", "R:", "Interviewer:"), never a name.
_ROLE_LABEL_RE = re.compile(
    r"\s*(?i:i|r|int|resp|interviewer|respondent|onderzoeker|geïnterviewde)\s*:\s*")
#: Where a sentence ends: its end marks before a space (not the dots of an address), or a
#: line break.
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|\n")
#: A short word and a full stop at a sentence's end: an abbreviation or an initial ("dhr.",
#: "mw.", "J."), which belongs to the sentence after it.
_ABBREVIATION_END_RE = re.compile(
    r"(?<![\w])(?:[A-Z]|(?i:dhr|mw|mevr|mvr|dr|drs|ir|mr|prof|ing|st|jr|sr|bijv|o\.a|nr))\.$")
_WORD_RE = re.compile(r"\w+")
_MUST_READ_RE = re.compile(r"[\d@]|www|http", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        if m.group() == "." and _ABBREVIATION_END_RE.search(text, max(0, m.start() - 6), m.end()):
            continue  # "dhr." or "J." ends no sentence: read it with the words after it
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _first_word_is_exempt(text: str, start: int, end: int, pos: int) -> bool:
    """Whether the capital at ``pos`` is in the sentence's role label or is its first word and
    a function word ("Ik", "Maar")."""
    label = _ROLE_LABEL_RE.match(text, start, end)
    body = label.end() if label else start
    if pos < body:
        return True
    first = _WORD_RE.search(text, body, end)
    return (first is not None and first.start() == pos
            and first.group().casefold() in FUNCTION_WORDS)


class Focus:
    """The sentences of a text deduce must read, joined into one text (``text``), with the
    way back to the original's offsets (:meth:`original`)."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.source = text
        self.spans = spans
        parts: list[str] = []
        self._starts: list[int] = []  # where each span begins in the joined text
        pos = 0
        for start, end in spans:
            self._starts.append(pos)
            parts.append(text[start:end])
            pos += end - start + 1
        self.text = "\n".join(parts)

    @property
    def share(self) -> float:
        """The part of the original text deduce reads (0-1)."""
        return sum(e - s for s, e in self.spans) / max(len(self.source), 1)

    def original(self, start: int, end: int) -> tuple[int, int] | None:
        """The original offsets of ``[start, end)`` in the joined text; ``None`` for a span
        across the join of two sentences that were apart."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        span_start, span_end = self.spans[i]
        offset = span_start - self._starts[i]
        if end + offset > span_end:
            return None
        return start + offset, end + offset


def focus(text: str, lower_words: Iterable[str] = ()) -> Focus:
    """The sentences of ``text`` deduce must read (see the module docstring); ``lower_words``
    are words deduce also matches in lower case (a hospital's words). Neighbouring sentences
    that are read stay one span."""
    sentences = _sentences(text)
    starts = [start for start, _ in sentences]
    need = bytearray(len(sentences))

    def sentence_of(pos: int) -> int:
        return bisect_right(starts, pos) - 1

    for m in _MUST_READ_RE.finditer(text):
        need[sentence_of(m.start())] = 1
    words = word_index(text)
    for word in lower_words:
        for pos in words.at.get(word.casefold(), ()):
            need[sentence_of(pos)] = 1
    for pos in words.capitals:
        i = sentence_of(pos)
        if not need[i] and not _first_word_is_exempt(text, *sentences[i], pos):
            need[i] = 1
    spans: list[tuple[int, int]] = []
    for (start, end), read in zip(sentences, need, strict=True):
        if not read:
            continue
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return Focus(text, spans)
