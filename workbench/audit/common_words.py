"""Drop person and place flags that are ordinary Dutch words capitalised at a sentence start.

deduce marks a capitalised word as a person when its surname list holds it, and Dutch surnames
include many ordinary words: "Jongens die …", "Pas als …", "Pak je …", "Punt." all come out as
person names. Capitalisation is only evidence of a name where grammar does not explain it, so
for a flag of one word, category ``person`` or ``place`` (from deduce or a model), this module
applies two rules:

1. **Lower case elsewhere.** The word also occurs in lower case in the same text (the whole
   transcript, as :func:`workbench.services.audit.run_audit` audits it): it is an ordinary
   word here, and the flag is **dropped**.
2. **A common word at a sentence start.** The word stands at the start of a sentence (or line,
   or after a colon or an opening quote) and is a common Dutch word: one of spaCy's Dutch stop
   words, or a word form or lemma in spaCy's Dutch lookup lemmatizer table (also after taking
   off a plural ``-s`` or ``-en``). The flag is **dropped**.

A word deduce knows as a first name (``Kevin``, ``Mohammed``, ``Bas``) is never taken for a
common word (rule 2 does not apply to it), and in the middle of a sentence it is always kept.
Every other name that never occurs in lower case and is not a common word at a sentence start
stays flagged too ("Ik had Kevin …", "Mohammed kwam …", "met Bakker"). Flags of more than one
word ("meneer Bakker", "Den Haag") and every other category are never dropped here.

Dropped means not stored: the flag simply is not raised (a flag decided earlier keeps its
decision). The word lists load lazily, once per process.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from workbench.audit.detectors import Flag, is_sentence_start

__all__ = ["drop_common_word_flags", "is_common_word", "occurs_in_lower_case"]

#: Categories the rules apply to (names of people and places).
NAME_CATEGORIES = frozenset({"person", "place"})

_lock = threading.Lock()
_lexicon: tuple[frozenset[str], Any, frozenset[str]] | None = None


def _load_lexicon() -> tuple[frozenset[str], Any, frozenset[str]]:
    """spaCy's Dutch stop words, its lookup lemma table (forms -> lemma) and the lemmas."""
    global _lexicon
    with _lock:
        if _lexicon is None:
            from spacy.lang.nl.stop_words import STOP_WORDS

            table: Any = {}
            lemmas: frozenset[str] = frozenset()
            try:
                from spacy.lookups import load_lookups

                table = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
                lemmas = frozenset(str(v).lower() for v in table.values())
            except Exception:  # noqa: BLE001 - spacy-lookups-data missing: stop words only
                table, lemmas = {}, frozenset()
            _lexicon = (frozenset(STOP_WORDS), table, lemmas)
        return _lexicon


def _candidates(word: str) -> list[str]:
    w = word.lower()
    out = [w]
    if len(w) > 3 and w.endswith("s"):
        out.append(w[:-1])
    if len(w) > 4 and w.endswith("en"):
        out.append(w[:-2])
    return out


def is_common_word(word: str) -> bool:
    """Whether ``word`` is a common Dutch word (stop word, or a form or lemma in spaCy's
    Dutch lookup table, also without a plural ``-s``/``-en``)."""
    stop, table, lemmas = _load_lexicon()
    for w in _candidates(word):
        if w in stop or w in lemmas:
            return True
        try:
            if w in table:
                return True
        except TypeError:
            continue
    return False


def occurs_in_lower_case(text: str, word: str, skip: tuple[int, int] | None = None) -> bool:
    """Whether ``word`` occurs as a whole word in all lower case in ``text`` (outside the span
    ``skip``, the flagged occurrence itself)."""
    lower = word.lower()
    if not lower:
        return False
    for m in re.finditer(r"(?<![\w\-])" + re.escape(lower) + r"(?![\w\-])", text):
        if skip is not None and m.start() < skip[1] and skip[0] < m.end():
            continue
        if _inside_an_address(text, m.start(), m.end()):
            continue  # "@sanne.x.2006", "sanne@mail.nl": a handle holds the name, not a word
        return True
    return False


def _inside_an_address(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a handle, an e-mail address or a web address: the
    run of non-space characters around it holds ``@``, ``/``, or a dot between word
    characters."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    token = text[left:right].strip(".,;:!?\"'()[]")
    return "@" in token or "/" in token or re.search(r"\w[._]\w", token) is not None


def _single_word(flag: Flag) -> str | None:
    word = flag.text.strip()
    if not word or any(ch.isspace() for ch in word) or not word[0].isalpha():
        return None
    return word


def drop_common_word_flags(
    text: str,
    flags: Iterable[Flag],
    *,
    first_name: Callable[[str], bool | None] | None = None,
) -> list[Flag]:
    """The flags without the person/place flags the two rules above explain away.

    ``first_name(word)`` says whether a word is a known first name (default: deduce's table
    when deduce is loaded, see :func:`workbench.audit.deduce_engine.is_first_name`).
    """
    if first_name is None:
        from workbench.audit.deduce_engine import is_first_name as first_name
    kept: list[Flag] = []
    lower_cache: dict[str, bool] = {}
    for flag in flags:
        word = _single_word(flag) if flag.category in NAME_CATEGORIES else None
        if word is None:
            kept.append(flag)
            continue
        at_start = is_sentence_start(text, flag.start)
        known_name = bool(first_name(word))
        if known_name and not at_start:
            kept.append(flag)  # "Ik had Kevin op bezoek": a first name where grammar needs none
            continue
        if word != word.lower():  # the flagged occurrence itself is not lower case
            if word not in lower_cache:
                lower_cache[word] = occurs_in_lower_case(text, word)
            lowered = lower_cache[word]
        else:
            lowered = occurs_in_lower_case(text, word, skip=(flag.start, flag.end))
        if lowered:
            continue
        if at_start and not known_name and is_common_word(word):
            continue
        kept.append(flag)
    return kept
