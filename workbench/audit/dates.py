"""Full dates by their form: a day, a month and a year written out or in figures.

deduce finds dates with its own patterns; this module finds them without its tables (the
quick ``--no-deduce`` audit) and makes sure a date of birth is flagged whole:

* in figures: ``14-02-2007``, ``7-5-2004``, ``24/03/2010``, ``3.6.2009`` (day 1–31, month
  1–12, a year of four digits);
* a year of birth: ``geboren in 2008``, ``geboortejaar 2009``, ``hij is van 2009``;
* written out: ``3 mei 2008``, ``12 februari '09``, ``1 januari`` with ``geboren`` or
  ``geboortedatum`` before it (a day and month alone is only taken in that context).

All are flagged as ``date`` (source ``pattern``).
"""

from __future__ import annotations

import re

from workbench.audit.detectors import Flag
from workbench.audit.words import word_index

__all__ = ["date_flags"]

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
           "|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_NUMERIC_RE = re.compile(rf"(?<![\w\-/.]){_DAY}(?P<sep>[-/.]){_MONTH}(?P=sep)(?:19|20)\d\d(?![\w\-/])")
_WRITTEN_RE = re.compile(
    rf"(?<![\w]){_DAY}\s+(?i:{_MONTHS})\.?\s+(?:(?:19|20)\d\d|['’]\d\d)(?![\w])")
#: What a text must hold for the patterns below to match (a cheap test first).
_BIRTH_WORDS = ("geboren", "geboortedatum", "jarig", "verjaardag")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_BIRTH_RE = re.compile(
    rf"(?i:geboren|geboortedatum|jarig|verjaardag)\D{{0,20}}?(?P<date>(?<![\w]){_DAY}\s+"
    rf"(?i:{_MONTHS}))(?![\w])")


#: A year of birth: "geboren in 2008", "geboortejaar 2009", "hij is van 2009".
_BIRTH_YEAR_RE = re.compile(
    r"(?i:geboren(?:\s+in)?|geboortejaar|(?:hij|zij|ze|ik)\s+(?:is|ben|was)\s+van)\s+"
    r"(?:(?:ergens\s+)?in\s+)?(?P<year>(?:19|20)\d\d)(?![\w\-/])")


def date_flags(text: str) -> list[Flag]:
    """Full dates in figures or words, and a day and month after a word about birth."""
    words = word_index(text)
    flags = [Flag(m.start(), m.end(), "date", m.group(), "pattern")
             for regex in (_NUMERIC_RE, _WRITTEN_RE) for m in words.matches(regex, words.numbers)]
    lower = text.lower()
    if any(word in lower for word in _BIRTH_WORDS):
        for m in _BIRTH_RE.finditer(text):
            flags.append(Flag(m.start("date"), m.end("date"), "date", m.group("date"),
                              "pattern"))
    if _YEAR_RE.search(text):
        for m in _BIRTH_YEAR_RE.finditer(text):
            flags.append(Flag(m.start("year"), m.end("year"), "date", m.group("year"),
                              "pattern"))
    return flags
