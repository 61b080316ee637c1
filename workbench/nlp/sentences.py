"""Sentence segmentation with stable offsets and lemmas, in batches through ``nlp.pipe``.

Whatever pipeline is loaded, the contract is the same (and the same Dutch rule: a sentence also
ends at a trailing-off ``…`` or ``...`` before a capital, :data:`SEGMENTATION_RULES`): for each
input text, a list of
``Sentence(start, end, lemmas)`` where ``text[start:end]`` is the sentence without surrounding
whitespace and sentences do not overlap. ``lemmas`` holds one lower-case lemma per word
(punctuation left out), separated by single spaces, in the order of the words: search lines
them up with the words that :func:`workbench.nlp.pipeline.word_spans` finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workbench.nlp.lemma_table import clean_lemma
from workbench.nlp.pipeline import (
    get_pipeline,
    is_word,
    segmenting_components,
    token_lemma,
    using_pipeline,
)

BATCH_SIZE = 256
# Longer texts (a turn of a transcript nobody split into turns) go through spaCy in pieces cut
# at a line break or a sentence end: spaCy refuses texts over ``nlp.max_length`` (1,000,000
# characters) and a trained pipeline needs about 1 GB of memory per 100,000 characters.
CHUNK_CHARS = 100_000


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    lemmas: str


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment_texts(
    texts: Iterable[str], *, progress: Callable[[int], None] | None = None,
    forms: set[tuple[str, str]] | None = None,
) -> list[list[Sentence]]:
    """Split each text into sentences (with lemmas), batching through ``nlp.pipe`` with only
    the components that sentences and lemmas need. ``forms``, when given, receives every word
    met as ``(the word as written, its stored lemma)``: lemma search looks queries up there.

    Token attributes are read in one ``Doc.to_array`` call per text and lemma strings are looked
    up once per distinct lemma: making a Python ``Token`` per word would cost more than the
    rule-based pipeline itself.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START

    nlp, _info = get_pipeline()
    texts = list(texts)
    pieces: list[tuple[int, int]] = []  # (index of the text, offset of the piece in it)
    piece_texts: list[str] = []
    for i, text in enumerate(texts):
        for offset, piece in _pieces(text, CHUNK_CHARS):
            pieces.append((i, offset))
            piece_texts.append(piece)
    out: list[list[Sentence]] = [[] for _ in texts]
    fast = _rule_based_parts(nlp)
    disable = list(nlp.pipe_names) if fast is not None else segmenting_components(nlp)
    with using_pipeline(disable) as nlp:
        strings = nlp.vocab.strings
        lemma_of: dict[tuple[int, int], str] = {}
        if fast is not None:
            punct_orths = {strings.add(ch) for ch in fast[0]}
            table = fast[1]

            def lemma(lem: int, orth: int) -> str:  # spaCy's Dutch lookup lemmatizer, per form
                form = strings[orth]
                low = form.lower()
                found = clean_lemma(table.get(low, low) if table is not None else low, form)
                lemma_of[(lem, orth)] = found
                return found

            docs = nlp.tokenizer.pipe(piece_texts, batch_size=BATCH_SIZE)
        else:
            punct_orths = set()

            def lemma(lem: int, orth: int) -> str:
                found = clean_lemma(strings[lem] if lem else "", strings[orth])
                lemma_of[(lem, orth)] = found
                return found

            docs = nlp.pipe(piece_texts, batch_size=BATCH_SIZE)

        done = 0
        for (index, offset), piece, doc in zip(pieces, piece_texts, docs, strict=True):
            text = piece  # doc.text would join a Python Token per word to say the same
            rows = doc.to_array([ORTH, LEMMA, IS_PUNCT, IS_SPACE, SENT_START, IDX, LENGTH]).tolist() if len(doc) else []
            if fast is not None:
                _sentencize(rows, punct_orths)
            # the lemma of each token (None for punctuation and spaces) and where sentences start
            words = [
                None if punct or space else (lemma_of.get((lem, orth)) or lemma(lem, orth))
                for orth, lem, punct, space, _ss, _idx, _len in rows
            ]
            starts = [i for i, row in enumerate(rows)
                      if i == 0 or row[4] == 1
                      or (rows[i - 1][2] and _after_trailing_off(rows, i, strings))]
            sentences: list[Sentence] = []
            for first, nxt in zip(starts, [*starts[1:], len(rows)] if starts else [], strict=True):
                last = rows[nxt - 1]
                start, end = _strip_span(text, rows[first][5], last[5] + last[6])
                if start >= end:
                    continue
                lemmas = " ".join([w for w in words[first:nxt] if w is not None])
                sentences.append(Sentence(offset + start, offset + end, lemmas))
            out[index].extend(sentences)
            if offset + len(text) == len(texts[index]):  # the text's last piece
                done += 1
                if progress is not None:
                    progress(done)
        if forms is not None:
            forms.update((strings[orth], found) for (_lem, orth), found in lemma_of.items())
    return out


def _rule_based_parts(nlp: Any) -> tuple[set[str], Any] | None:
    """For spaCy's rule-based Dutch pipeline (a sentencizer and a lookup lemmatizer, nothing
    else): the sentencizer's sentence-ending characters and the lemmatizer's lookup table
    (None without one). The workbench then runs only the tokenizer and applies both rules
    itself over the token arrays, with the same result: spaCy's own components make a Python
    ``Token`` for every word, which cost more than everything else an import does. None for
    any other pipeline (it runs as it is)."""
    names = set(nlp.pipe_names)
    if "sentencizer" not in names or not names <= {"sentencizer", "lemmatizer"}:
        return None
    sentencizer = nlp.get_pipe("sentencizer")
    if getattr(sentencizer, "overwrite", False):
        return None
    table = None
    if "lemmatizer" in names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) != "lookup" or type(lemmatizer).__name__ != "DutchLemmatizer":
            return None
        table = lemmatizer.lookups.get_table("lemma_lookup", {})
    return set(sentencizer.punct_chars), table


def _sentencize(rows: list[list[int]], punct_orths: set[int]) -> None:
    """spaCy's ``Sentencizer.predict`` over token rows (``SENT_START`` at index 4 set to 1 or
    -1): a sentence starts at the first token and at each token that is not punctuation after
    a sentence-ending character."""
    seen_period = False
    for i, row in enumerate(rows):
        ends = row[0] in punct_orths
        if i == 0:
            row[4] = 1
        else:
            row[4] = -1
        if seen_period and not row[2] and not ends:
            row[4] = 1
            seen_period = False
        elif ends:
            seen_period = True


ELLIPSES = frozenset({"…", "...", "....", "…."})


def _after_trailing_off(rows: list[list[int]], i: int, strings) -> bool:
    """Whether token ``i`` starts a sentence because the speaker trailed off before it: the
    token before is an ellipsis (``…`` or ``...``) and this one starts with a capital
    (``Hoe ze het vertelde… Je hoorde …``). Checked for every pipeline, rule-based or trained,
    since neither splits there by itself; a lower-case word after ``…`` goes on the sentence."""
    prev = rows[i - 1]
    if not prev[2]:  # IS_PUNCT
        return False
    row = rows[i]
    if row[2] or row[3]:  # punctuation or space
        return False
    if strings[prev[0]] not in ELLIPSES:
        return False
    word = strings[row[0]]
    return word[:1].isupper()


def _pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at a line break or else after
    a sentence end or else at a space, as late as possible; ``(offset, piece)`` pairs."""
    if len(text) <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut <= 0:
            cut = limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def lemmas_of(text: str) -> str:
    """The stored-lemma string for one piece of text (as if it were one sentence)."""
    nlp, _info = get_pipeline()
    with using_pipeline(segmenting_components(nlp)) as nlp:
        return " ".join(token_lemma(t) for t in nlp(text) if is_word(t))
