"""Street addresses and postcodes by their form, with the house number's addition.

deduce finds "Molenstraat 12" but stops before an addition ("12-II", "12a", "12 hs") and
splits a street named after someone ("Burgemeester de Withweg 66") into a person and an
address. This module finds, without lookup tables:

* **a street and house number**: one or more words ending in a street word (``straat``,
  ``laan``, ``weg``, ``plein``, ``singel``, ``hof``, ``kade``, ``dreef``, ``gracht`` …), the
  first capitalised, then a number of one to four digits and an optional addition (a letter,
  ``-II``, ``-2``, ``hs``, ``bis``, ``zw``);
* **a street without a number after an article** (``Hij woont aan de Kastanjedreef``, ``op
  het Mercatorplein``, ``de hoek van de Lijnbaan``): a capitalised word ending in a street
  word after "de" or "het" is a street's name, unless it is one common word for a kind of
  place ("in de Supermarkt");
* **a named place and house number after "op de"/"aan het"** (``op de Vaartsche Rijn 88``,
  ``aan het Spui 3``): streets named after a water or a square have no street word; the
  number must end the clause or be followed by a small word (``in``, ``boven``, ``en`` …),
  so ``op de Havo 3 jaar`` is none;
* **a Dutch postcode**: four digits (not starting with 0) and two capitals, with or without a
  space (``3512 JK``, ``3512JK``), not followed by a letter or digit.

All are flagged as ``address`` (source ``pattern``).
"""

from __future__ import annotations

import re

from workbench.audit.common_words import is_common_word, is_kind_noun
from workbench.audit.detectors import Flag
from workbench.audit.words import word_index

__all__ = ["address_flags"]

_STREET_WORDS = ("straat", "straatweg", "laan", "weg", "plein", "singel", "hof", "kade", "dreef",
                 "pad", "gracht", "steeg", "dijk", "kanaal", "markt", "ring", "baan",
                 "boulevard", "allee", "erf", "wal", "haven", "park", "plantsoen", "burgwal",
                 "straatje", "hofje", "passage", "promenade")
_ENDINGS = "|".join(sorted(_STREET_WORDS, key=len, reverse=True))
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"  # Latin-1 and Latin Extended-A (Ş, Ł, Ğ: Turkish, Polish names)
_LOWER = "a-zß-öø-ÿĀ-ž"
#: Words before the street word: titles and names ("Burgemeester de With", "Van Limburg
#: Stirum", "Prinses Irene", "Pieter de Hooch"), each capitalised or a small name word.
_LEAD = rf"(?:(?:[{_UPPER}][\w'’.\-]*|van|de|der|den|het|'t|ter|ten|la|le)\s+){{0,4}}"
_STREET = rf"(?:IJ|[{_UPPER}])[\w'’\-]*?(?:{_ENDINGS})"
_ADDITION = r"(?:\s?[a-zA-Z](?![\w])|-[IVX]{1,4}(?![\w])|-\d{1,3}(?![\w])|[\s\-]?(?:hs|bis|zw|rd|bg)\b)?"
_NUMBERED_RE = re.compile(
    rf"(?<![\w])(?P<street>{_LEAD}{_STREET})\s+(?P<number>[1-9]\d{{0,3}}){_ADDITION}(?![\d])")
_UNNUMBERED_RE = re.compile(
    rf"(?<![\w])(?i:de|het|'t)\s+(?P<street>{_LEAD}{_STREET})(?![\w])")
_NAMED_WORD = rf"(?:IJ|[{_UPPER}])[{_LOWER}'’\-]+"
_PLACED_NUMBER_RE = re.compile(
    rf"(?<![\w])(?i:op|aan)\s+(?i:de|het|'t)\s+"
    rf"(?P<street>{_NAMED_WORD}(?:\s+(?:{_NAMED_WORD}|van|de|der|den|het|'t)){{0,3}})\s+"
    rf"(?P<number>[1-9]\d{{0,3}}){_ADDITION}(?![\d\w])"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:in|te|bij|boven|naast|tegenover|achter|en|of|was|is|stond"
    r"|woonde|woont|werd|wordt|waar|daar|hier|met|van)\b)")
_PLACED_KEYS = frozenset(("op", "aan"))
#: What every numbered address holds: a street word, space, a house number.
_STREET_NUMBER_RE = re.compile(rf"(?:{_ENDINGS})\s+[1-9]")
_ARTICLES = frozenset(("de", "het"))
#: Letter pairs no postcode has (SA, SD, SS) or that are words in capitals ("in 2019 EN …").
_NOT_POSTCODE_LETTERS = "SA|SD|SS|EN|OF|IN|OP|DE|TE|AN|IS|AT|ON|OR|TO|AD|BC|NA|ZO|OM|EU"
_POSTCODE_RE = re.compile(
    rf"(?<![\w\-])[1-9]\d{{3}}\s?(?!(?:{_NOT_POSTCODE_LETTERS})(?![\w]))[A-Z]{{2}}(?![\w])")
#: Words a capitalised "…weg"/"…hof" can be that are no street ("Onderweg", "Halfweg").
_NOT_STREETS = frozenset(("onderweg", "halverwege", "halfweg", "zeeweg", "snelweg", "opweg",
                          "kerkhof", "gerechtshof", "binnenhof", "ziekenhuis", "park",
                          "havenweg"))


def _trim_lead(text: str, start: int, street_start: int) -> int:
    """Drop a leading sentence word ("Het", "De") or small word from the street's start."""
    words = text[start:street_start]
    while True:
        m = re.match(r"(?:Het|De|In|Op|Aan|Bij|Naar|van|de|der|den|het|'t|ter|ten|la|le)\s+", words)
        if not m or start + m.end() > street_start:
            return start
        start += m.end()
        words = words[m.end():]


def address_flags(text: str) -> list[Flag]:
    """Street addresses (with number and addition, or after "aan de" …) and postcodes."""
    flags: list[Flag] = []
    words = word_index(text)
    numbered = _NUMBERED_RE.finditer(text) if _STREET_NUMBER_RE.search(text) else ()
    for m in numbered:
        street = m.group("street")
        last = street.split()[-1].casefold()
        if last in _NOT_STREETS and len(street.split()) == 1:
            continue
        start = _trim_lead(text, m.start("street"), m.end("street") - len(street.split()[-1]))
        end = m.end()
        flags.append(Flag(start, end, "address", text[start:end], "pattern"))
    for m in words.matches(_PLACED_NUMBER_RE, words.starting(_PLACED_KEYS)):
        flags.append(Flag(m.start("street"), m.end(), "address",
                          text[m.start("street"):m.end()], "pattern"))
    after_article = sorted([*words.starting(_ARTICLES),
                            *(p - 1 for p in words.at.get("t", ()) if p and text[p - 1] == "'")])
    for m in words.matches(_UNNUMBERED_RE, after_article):
        street = m.group("street")
        if street.split()[-1].casefold() in _NOT_STREETS or (
                " " not in street and is_common_word(street) and is_kind_noun(street)):
            continue  # "in de Supermarkt": a noun with a capital, no street's name
        start = _trim_lead(text, m.start("street"), m.end("street") - len(street.split()[-1]))
        flags.append(Flag(start, m.end("street"), "address", text[start:m.end("street")],
                          "pattern"))
    for m in words.matches(_POSTCODE_RE, words.numbers):
        flags.append(Flag(m.start(), m.end(), "address", m.group(), "pattern"))
    return flags
