"""Where the words of a text start: so that the audit's patterns are tried only where they can
match, with the same matches as scanning every character.

A 7,500-word interview is 57,000 characters; a pattern that opens with one of its keywords
("in", "uit", "broer", "zei") or with a capitalised word can only match where such a word
starts, a few hundred places. Trying it there (:meth:`WordIndex.matches`) gives exactly what
``regex.finditer(text)`` gives, at a fraction of the cost. A pattern whose matches hold no
whitespace (an e-mail address, a URL) is tried only in the runs of non-space characters
that hold what every match must hold (:func:`runs_holding`).

Pure ``re``; :func:`word_index` keeps the index of the last few texts, so the detectors
auditing one transcript share one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

__all__ = ["CAPITAL_CHARS", "WordIndex", "first_chunks", "runs_holding", "word_index"]

TOKEN_RE = re.compile(r"\w+")
#: The first letters of a capitalised word as the detectors' ``[A-ZÀ-ÖØ-ÞĀ-ž]`` class has them.
CAPITAL_CHARS = frozenset(chr(c) for lo, hi in (("A", "Z"), ("À", "Ö"), ("Ø", "Þ"), ("Ā", "ž"))
                          for c in range(ord(lo), ord(hi) + 1))


def first_chunks(words: Iterable[str]) -> frozenset[str]:
    """The first run of word characters of each keyword, lower case ("in dienst bij" → "in",
    "sms'te" → "sms"): the word a match of a pattern opening with one of these keywords (at a
    word boundary) starts with.

    Raises:
        ValueError: a keyword does not start with a word character.
    """
    chunks = set()
    for word in words:
        m = TOKEN_RE.match(word.lower())
        if m is None:
            raise ValueError(f"keyword {word!r} does not start with a word character")
        chunks.add(m.group())
    return frozenset(chunks)


class WordIndex:
    """Where each word (a run of ``\\w``) of a text starts, by its lower-case form, where the
    capitalised words start, and where the words that start with a digit start."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        self.capitals: list[int] = []
        self.numbers: list[int] = []
        for m in TOKEN_RE.finditer(text):
            word = m.group()
            self.at.setdefault(word.lower(), []).append(m.start())
            first = word[0]
            if first in CAPITAL_CHARS:
                self.capitals.append(m.start())
            elif first.isdigit():
                self.numbers.append(m.start())

    def starting(self, keys: frozenset[str]) -> list[int]:
        """Where a word in ``keys`` (lower case) starts, in text order."""
        found: list[int] = []
        for key in keys:
            found.extend(self.at.get(key, ()))
        found.sort()
        return found

    def beginning_with(self, prefixes: tuple[str, ...]) -> list[int]:
        """Where a word beginning with one of ``prefixes`` (lower case) starts, in text order."""
        return sorted(pos for word, positions in self.at.items() if word.startswith(prefixes)
                      for pos in positions)

    def ending(self, suffixes: tuple[str, ...]) -> list[int]:
        """Where a word ending in one of ``suffixes`` (and longer than it) starts."""
        return sorted(pos for word, positions in self.at.items()
                      if word[1:].endswith(suffixes)  # ends in one and is longer than it
                      for pos in positions)

    def matches(self, regex: re.Pattern[str], starts: Iterable[int]) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)`` for a regex whose every match begins at one of ``starts``
        (in text order): tried at each, left to right, none inside an earlier match."""
        end = 0
        for pos in starts:
            if pos < end:
                continue
            m = regex.match(self.text, pos)
            if m is not None and m.end() > m.start():
                end = m.end()
                yield m


@functools.lru_cache(maxsize=4)
def word_index(text: str) -> WordIndex:
    """The :class:`WordIndex` of ``text``, built once for the detectors that audit it."""
    return WordIndex(text)


_SPACE_RE = re.compile(r"\s")


def runs_holding(text: str, needle: re.Pattern[str]) -> list[tuple[int, int]]:
    """The runs of non-space characters of ``text`` that hold a match of ``needle``, as
    ``(start, end)``: a pattern whose matches hold no whitespace and always hold ``needle``
    finds in them (``regex.finditer(text, start, end)``) exactly what it finds in the whole
    text, provided it tests nothing but word boundaries and characters at its end."""
    runs: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = needle.search(text, pos)
        if m is None:
            return runs
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        space = _SPACE_RE.search(text, m.end())
        end = space.start() if space else len(text)
        runs.append((start, end))
        pos = max(end, m.end() + 1)
