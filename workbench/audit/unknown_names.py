"""The last net: capitalised words inside a sentence that no word list knows.

The context rules (:mod:`workbench.audit.context`) find names by the words around them, and
deduce finds the names its tables hold. A name in a sentence shape no rule foresaw ("Hij is
opgegroeid op Katendrecht", "Bij Enver hadden ze plek") still has one mark: Dutch writes its
nouns in lower case, so a capitalised word inside a sentence that is no Dutch or English word
(:func:`~workbench.audit.common_words.is_known_word`: spaCy's lookup table and its lemma
indexes, 161,000 Dutch nouns) is most likely a name.

Such a word is flagged as ``entity`` (a name of unknown kind; shown as "naam"), the least
specific category, so that any rule or table that says more wins when the flags are merged.
Not flagged:

* a capital that grammar explains: the first word of a sentence, of a line, after a colon or
  an opening quote ("Katendrecht is …" at a sentence start is left to the rules);
* words in capitals only (``GGD``, ``MBO``): abbreviations, left to the allow list;
* a club, an artist or a show someone is a fan of, listens or looks to, and the names listed
  after it ("luistert naar Boef en Ashafar");
* feasts, faiths, languages, peoples, months, platforms and wide places
  (:func:`~workbench.audit.common_words.is_never_a_name`, ``is_broad_place``, ``is_demonym``);
* a word that also occurs in lower case in the same text;
* a plural and a common word written together ("de Signalenkaart"), unless it ends like a
  place;
* a thing someone has ("een Rolex", "zijn Golf") and a line in title case;
* part of a handle, an e-mail address or a web address.

Pure ``re`` over the text with lazily loaded word lists.
"""

from __future__ import annotations

import re

from workbench.audit.common_words import (
    inside_an_address,
    is_broad_place,
    is_demonym,
    is_known_word,
    is_never_a_name,
    is_plural_compound,
    list_start,
    looked_at_list,
    occurs_in_lower_case,
)
from workbench.audit.context import looks_like_place
from workbench.audit.detectors import Flag, is_sentence_start

__all__ = ["unknown_name_flags"]

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
_LOWER = "a-zß-öø-ÿĀ-ž"
#: A capitalised word with a lower-case letter in it ("Katendrecht", "McDonald's", "El-Amrani").
_WORD = rf"(?:IJ|[{_UPPER}])[{_LOWER}{_UPPER}0-9'’\-]*[{_LOWER}][{_LOWER}{_UPPER}0-9'’\-]*"
#: Capitalised words in a row, with the small words names have inside ("Het Kabouterhuis",
#: "Jan de Rijk", "Bergen op Zoom").
_RUN_RE = re.compile(
    rf"(?<![\w@#/.\-])(?:(?:De|Het|'t)\s+)?{_WORD}"
    rf"(?:(?:\s+(?:op|aan|den|de|der|van|ter|te|'t|het|el|al))*\s+{_WORD})*(?![\w@])")


#: An indefinite article or a possessive before a word: a thing, not a name ("een Rolex").
_PRODUCT_BEFORE_RE = re.compile(r"(?<![\w])(?i:een|zijn|z'n|haar|mijn|m'n|hun|je|jouw|onze)\s+$")


#: "je" as the subject of a question or after a verb, not "your": "Heb je Boaz gesproken?"
_ASKED_YOU_RE = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*)[A-Z][a-z]+\s+je\s+$|(?<![\w])(?i:heb|had|zag|ken|kende|sprak|zie"
    r"|weet|hoor|hoorde|belde|bel|vraag|vroeg|spreek|spreekt|zoek|zocht)\s+je\s+$")
#: Endings that make a word a neighbourhood or a square: "Stadionbuurt", "Mercatorplein".
_AREA_ENDINGS = ("buurt", "wijk", "kwartier", "dorp", "plein", "park")

#: A club, an artist or a show someone follows: "fan van", "supporter van", "luistert naar".
_FAN_BEFORE_RE = re.compile(
    r"(?<![\w])(?i:fan|fans|supporter|supporters|supportert|luistert|luisterde|luisteren"
    r"|luister|keek|kijkt|kijken|kijk|volgt|volgde)\s+(?i:van|naar|voor)\s+(?:(?:de|het)\s+)?$")


def _capitalised(name: str) -> list[str]:
    return [w for w in name.split() if w[:1].isupper() and w not in ("De", "Het")]


def unknown_name_flags(text: str) -> list[Flag]:
    """Capitalised words and runs of them inside a sentence that are no known word (see the
    module docstring), as ``entity`` flags (source ``pattern``)."""
    flags: list[Flag] = []
    lowered: dict[str, bool] = {}
    for m in _RUN_RE.finditer(text):
        start, name = m.start(), m.group()
        while is_sentence_start(text, start):
            first = re.match(r"\S+\s+", name)
            if first is None or not is_known_word(name.split()[0].strip("'’")):
                break  # the sentence's first word may be the name itself: not taken
            start += first.end()  # "Op het Albeda": the known words before the name go
            name = text[start:m.end()]
        while name[:1].islower():  # "het Albeda" after "Op" went: the name is "Albeda"
            first = re.match(r"\S+\s+", name)
            if first is None:
                break
            start += first.end()
            name = text[start:m.end()]
        if not name[:1].isupper() or is_sentence_start(text, start):
            continue
        words = _capitalised(name)
        if not words or is_never_a_name(name) or is_broad_place(name):
            continue
        if (len(words) == 1 and _PRODUCT_BEFORE_RE.search(text, max(0, start - 8), start)
                and not _ASKED_YOU_RE.search(text, max(0, start - 30), start)):
            continue  # "een Rolex", "zijn Golf": a thing someone has, not a name
        begin = list_start(text, start)
        if (_FAN_BEFORE_RE.search(text, max(0, begin - 40), begin)
                or looked_at_list(text, begin)):
            continue  # "fan van Feyenoord", "luistert naar Boef en Ashafar": clubs, artists
        if len(words) >= 3 and sum(is_known_word(w) for w in words) * 2 > len(words):
            continue  # "Zo Gaat Het Altijd Met Hem": a line in title case
        if all(is_known_word(w.strip("'’")) or is_never_a_name(w) or is_demonym(w)
               for w in words):
            continue  # "Officier van Justitie", "de Kust": words written with a capital
        if (len(words) == 1 and " " not in name and is_plural_compound(name)
                and not looks_like_place(name)):
            continue  # "de Signalenkaart": a plural and a noun written together, with a capital
        if len(words) == 1 and " " not in name:
            if name not in lowered:
                lowered[name] = occurs_in_lower_case(text, name)
            if lowered[name]:
                continue
        end = start + len(name)
        if inside_an_address(text, start, end):
            continue
        kind = "place" if name.casefold().endswith(_AREA_ENDINGS) and len(words) == 1 else "entity"
        flags.append(Flag(start, end, kind, name, "pattern"))
    return flags
