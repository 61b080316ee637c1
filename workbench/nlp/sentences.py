"""Sentence segmentation with stable offsets and lemmas, in batches through ``nlp.pipe``.

Whatever pipeline is loaded, the contract is the same: for each input text, a list of
``Sentence(start, end, lemmas)`` where ``text[start:end]`` is the sentence without surrounding
whitespace and sentences do not overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workbench.nlp.pipeline import get_pipeline, segmenting_components

BATCH_SIZE = 256


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
    texts: Iterable[str], *, progress: Callable[[int], None] | None = None
) -> list[list[Sentence]]:
    """Split each text into sentences (with lemmas), batching through ``nlp.pipe``."""
    nlp, _info = get_pipeline()
    texts = list(texts)
    out: list[list[Sentence]] = []
    disable = segmenting_components(nlp)
    with nlp.select_pipes(disable=disable):
        for n, doc in enumerate(nlp.pipe(texts, batch_size=BATCH_SIZE), start=1):
            text = doc.text
            sentences: list[Sentence] = []
            for sent in doc.sents:
                start, end = _strip_span(text, sent.start_char, sent.end_char)
                if start >= end:
                    continue
                lemmas = " ".join(
                    (t.lemma_ or t.text).lower() for t in sent if not (t.is_punct or t.is_space)
                )
                sentences.append(Sentence(start, end, lemmas))
            out.append(sentences)
            if progress is not None:
                progress(n)
    return out
