"""A sentence's lemmas, stored as what differs from its words.

Most lemmas of a Dutch sentence are its words as full-text search sees them (folded: ``de``,
``jongeren``, ``niet``); about one word in eight has another (``zag`` → ``zien``). So a
sentence stores only those (``sentences.lemmas``, which the FTS ``lemmas`` column indexes)
and where they go among its words (``sentences.lemma_edits``); the text itself is the rest.

The words here are FTS words: runs of letters and digits, folded (:mod:`workbench.textfold`).
:func:`encode` turns a sentence's text and the lemmas the language pipeline gave it (one per
word, separated by spaces) into ``(lemmas, edits)``; :func:`decode` gives back every lemma
word of the sentence, the same words FTS found in the pipeline's lemmas. ``edits`` is a list
of places separated by spaces: ``i`` (the i-th word of the text has the next stored lemma
word instead) or ``i:n:k`` (the n words from the i-th have the next k stored lemma words).
"""

from __future__ import annotations

from workbench.textfold import WORD_RE, fold


def text_words(text: str) -> list[str]:
    """The words of ``text`` as FTS sees them (folded)."""
    return WORD_RE.findall(fold(text))


def encode(text: str, lemmas: str) -> tuple[str, str]:
    """``(lemmas, edits)`` to store for a sentence of ``text`` whose pipeline lemmas are
    ``lemmas``: ``("", "")`` when every lemma is its word."""
    words = text_words(text)
    lemma_words = text_words(lemmas)
    if words == lemma_words:
        return "", ""
    stored: list[str] = []
    places: list[str] = []
    if len(words) == len(lemma_words):
        for i, (word, lemma) in enumerate(zip(words, lemma_words, strict=True)):
            if word != lemma:
                stored.append(lemma)
                places.append(str(i))
        return " ".join(stored), " ".join(places)
    for i1, n, j1, k in _blocks(words, lemma_words):
        i2, j2 = i1 + n, j1 + k
        if n == k:  # word for word
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if words[i] != lemma_words[j]:
                    stored.append(lemma_words[j])
                    places.append(str(i))
            continue
        stored.extend(lemma_words[j1:j2])
        places.append(f"{i1}:{n}:{k}")
    return " ".join(stored), " ".join(places)


_LOOK_AHEAD = 4


def _blocks(words: list[str], lemma_words: list[str]) -> list[tuple[int, int, int, int]]:
    """``(i, n, j, k)``: the n words from the i-th have the k lemma words from the j-th instead;
    the rest pair off one to one. Greedy: after a difference, the nearest place where the two
    agree again (within a few words) ends the block. Any blocks give the lemmas back exactly;
    near ones keep most words paired with their own lemma (``collega's`` → ``collega``: the
    ``s`` is a block of its own)."""
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    n_words, n_lemmas = len(words), len(lemma_words)
    while i < n_words and j < n_lemmas:
        if words[i] == lemma_words[j]:
            i += 1
            j += 1
            continue
        found = None
        for total in range(1, 2 * _LOOK_AHEAD + 1):
            for di in range(max(0, total - _LOOK_AHEAD), min(total, _LOOK_AHEAD) + 1):
                dj = total - di
                if i + di < n_words and j + dj < n_lemmas and words[i + di] == lemma_words[j + dj]:
                    found = (di, dj)
                    break
            if found:
                break
        if found is None:
            break
        out.append((i, found[0], j, found[1]))
        i, j = i + found[0], j + found[1]
    if i < n_words or j < n_lemmas:
        out.append((i, n_words - i, j, n_lemmas - j))
    return out


def decode(text: str, lemmas: str, edits: str) -> list[str]:
    """Every lemma word of the sentence ``text`` with the stored ``lemmas`` and ``edits``."""
    words = text_words(text)
    if not edits:
        return words
    stored = lemmas.split()
    out: list[str] = []
    at = taken = 0
    for place in edits.split():
        i, n, k = _place(place)
        out.extend(words[at:i])
        out.extend(stored[taken : taken + k])
        at, taken = i + n, taken + k
    out.extend(words[at:])
    return out


def word_lemmas(text: str, lemmas: str, edits: str) -> list[tuple[str, str]]:
    """``(word as written, its lemma word)`` for each word of ``text`` that has one lemma word
    of its own (words joined or split by the pipeline's lemmas are left out)."""
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(fold(text))]
    stored = lemmas.split()
    lemma_at: dict[int, str] = {}
    skip: set[int] = set()
    taken = 0
    for place in edits.split():
        i, n, k = _place(place)
        if n == k == 1:
            lemma_at[i] = stored[taken]
        else:
            skip.update(range(i, i + n))
        taken += k
    folded = fold(text)
    return [(text[s:e], lemma_at.get(i, folded[s:e])) for i, (s, e) in enumerate(spans) if i not in skip]


def _place(place: str) -> tuple[int, int, int]:
    if ":" not in place:
        return int(place), 1, 1
    i, n, k = place.split(":")
    return int(i), int(n), int(k)
