"""Ranking code names against what a coder types in the picker: abbreviations first.

Coders type the starts of a code's words (``fin sig`` for "Financiële signalen", ``ron sch`` for
"Ronselen op school"). Names are ranked in tiers, best first:

1. every typed word starts a word of the name, in the typed order (the name's words between
   them may be skipped: ``ron sch`` skips *op*);
2. every typed word starts a word of the name, in any order;
3. the typed text stands in the name as it is;
4. general fuzzy similarity (rapidfuzz ``WRatio``) of at least the cutoff.

Case and accents are ignored (``financiele`` finds *Financiële*, ``geisol`` finds *geïsoleerd*).
Within a tier, names whose first word is matched come first, then those with fewer words left
over, then shorter names. Pure: takes the names, returns their indexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from workbench.nlp.normalize import fold

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _in_order(typed: Sequence[str], name_words: Sequence[str]) -> list[int] | None:
    """The positions of the name's words that the typed words start, in order, or None."""
    found: list[int] = []
    i = 0
    for t in typed:
        while i < len(name_words) and not name_words[i].startswith(t):
            i += 1
        if i == len(name_words):
            return None
        found.append(i)
        i += 1
    return found


def _any_order(typed: Sequence[str], name_words: Sequence[str]) -> list[int] | None:
    used: list[int] = []
    for t in typed:
        pos = next((i for i, w in enumerate(name_words) if i not in used and w.startswith(t)), None)
        if pos is None:
            return None
        used.append(pos)
    return sorted(used)


def means(query: str, name: str) -> bool:
    """Whether typing ``query`` unmistakably names ``name``: the very name (case and accents
    aside), or the starts of its words in order, one typed word per name word and the first
    word matched (``fin sig`` means *Financiële signalen*; ``Ronselen`` does not mean
    *Ronselen op school*, it may be a new code)."""
    typed, name_words = words(query), words(name)
    if not typed:
        return False
    if typed == name_words:
        return True
    if len(typed) < 2:
        return False
    positions = _in_order(typed, name_words)
    return positions is not None and positions[0] == 0 and len(typed) >= len(name_words) - 1


def rank(query: str, names: Sequence[str], *, limit: int = 40, cutoff: float = 55.0) -> list[int]:
    """Indexes of ``names`` that match ``query``, best first (see the module docstring)."""
    typed = words(query)
    if not typed:
        return []
    folded_query = " ".join(typed)
    scored: list[tuple[tuple[Any, ...], int]] = []
    rest: list[int] = []
    for idx, name in enumerate(names):
        name_words = words(name)
        for tier, match in ((0, _in_order), (1, _any_order)):
            positions = match(typed, name_words)
            if positions is not None:
                key = (tier, positions[0] != 0, len(name_words) - len(typed), len(name), fold(name))
                scored.append((key, idx))
                break
        else:
            if folded_query in " ".join(name_words):
                scored.append(((2, False, 0, len(name), fold(name)), idx))
            else:
                rest.append(idx)
    scored.sort()
    out = [idx for _key, idx in scored]
    if len(out) < limit and rest:
        from rapidfuzz import fuzz, process

        choices = {i: " ".join(words(names[i])) for i in rest}
        for _choice, _score, idx in process.extract(
            folded_query, choices, scorer=fuzz.WRatio, score_cutoff=cutoff, limit=limit - len(out)
        ):
            out.append(idx)
    return out[:limit]
