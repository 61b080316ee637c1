"""How much a sentence reads like a code's coded extracts, and why (pure: no store, no spaCy).

A code's extracts become a :class:`Profile`: each extract a vector of its content lemmas
(stop words and anonymisation placeholders left out by the caller), each lemma weighted by how
rare it is in the project's sentences (inverse document frequency). A sentence scores by
cosine similarity with the extracts' centroid (what the code's extracts share) and with its
nearest extract (a code whose extracts say different things), half each; wording nearly
identical to one extract (rapidfuzz, :meth:`Profile.wording`, asked of the best candidates)
scores at least that closeness. :meth:`Profile.score` also says *why*: the shared lemmas that weigh most, and the shared phrases (two content lemmas
next to each other in both).

:func:`grow_passages` joins a high-scoring sentence with the neighbours in its turn that score
nearly as well, so that a suggestion is the natural passage, not a cut sentence. Passages the
coder rejected are negative examples: likeness to the nearest of them is taken off a score.
:func:`random_rank_recall` is the baseline for an evaluation: the chance that a random order
puts one of a hidden extract's sentences among the first ``k``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: A sentence joins its neighbour's passage when it scores at least this share of it.
GROW_SHARE = 0.6
#: How much likeness to a rejected passage takes off a sentence's score.
NEGATIVE_WEIGHT = 0.5
#: The shortest last part of a compound that counts as its lemma (``geld`` in ``drugsgeld``).
HEAD_MIN = 4
#: Wording at least this close (rapidfuzz token_set_ratio, 0-100) to one extract counts as
#: near-identical.
NEAR_IDENTICAL = 90.0


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values())) or 1.0


def _phrases(lemmas: Sequence[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in zip(lemmas, lemmas[1:], strict=False) if a != b}


@dataclass
class Profile:
    """What a code's extracts are about. ``extracts``: each extract's content lemmas in text
    order; ``texts``: their wording (for near-identical matches); ``idf``: the weight of a
    lemma (rarer: more)."""

    extracts: list[list[str]]
    texts: list[str]
    idf: Callable[[str], float]
    #: passages the coder rejected as like these: a sentence like one of them scores less
    negatives: list[list[str]] = field(default_factory=list)
    centroid: dict[str, float] = field(init=False)
    phrases: set[tuple[str, str]] = field(init=False)
    #: the extracts' unit vectors, one row each, a column per lemma of :attr:`columns`
    matrix: Any = field(init=False)
    columns: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        import numpy as np

        vectors = [self._vector(lemmas) for lemmas in self.extracts]
        self.columns = {}
        for vector in vectors:
            for w in vector:
                self.columns.setdefault(w, len(self.columns))
        self.matrix = np.zeros((len(vectors), len(self.columns)), dtype=np.float64)
        centroid: dict[str, float] = {}
        for n, vector in enumerate(vectors):
            size = _norm(vector)
            for w, v in vector.items():
                self.matrix[n, self.columns[w]] = v / size
                centroid[w] = centroid.get(w, 0.0) + v / size
        size = _norm(centroid)
        self.centroid = {w: v / size for w, v in centroid.items()}
        self._negatives: list[dict[str, float]] = []
        for lemmas in self.negatives:
            vector = self._vector(lemmas)
            size = _norm(vector)
            self._negatives.append({w: v / size for w, v in vector.items()})
        self.phrases = set().union(*(_phrases(e) for e in self.extracts)) if self.extracts else set()

    def _vector(self, lemmas: Sequence[str]) -> dict[str, float]:
        return {w: (1 + math.log(n)) * self.idf(w) for w, n in Counter(lemmas).items()}

    def terms(self, limit: int) -> list[str]:
        """The lemmas that weigh most in the profile: what to look for first."""
        return sorted(self.centroid, key=lambda w: (-self.centroid[w], w))[:limit]

    def score(self, lemmas: Sequence[str]) -> tuple[float, list[str]]:
        """``(score, why)`` for a sentence with these content lemmas (score 0-1; why: its
        shared phrases, then its shared lemmas that weigh most)."""
        lemmas = [self.head(w) for w in lemmas]
        shared = [w for w in set(lemmas) if w in self.centroid]
        if not shared:
            return 0.0, []
        vector = self._vector(lemmas)
        size = _norm(vector)
        central = sum(self.centroid[w] * vector[w] for w in shared) / size
        weights = [vector[w] for w in shared]
        nearest = float((self.matrix[:, [self.columns[w] for w in shared]] @ weights).max()) / size
        rejected = max((sum(n.get(w, 0.0) * v for w, v in vector.items()) / size for n in self._negatives),
                       default=0.0)
        shared.sort(key=lambda w: (-self.centroid[w] * vector[w], w))
        phrases = [f"{a} {b}" for a, b in _phrases(list(lemmas)) if (a, b) in self.phrases]
        score = 0.5 * central + 0.5 * nearest - NEGATIVE_WEIGHT * rejected
        return max(score, 0.0), sorted(set(phrases)) + shared[:8]

    def head(self, lemma: str) -> str:
        """A Dutch compound counts as its last part when that is a lemma of the profile
        (``huurwoning`` as ``woning``, ``drugsgeld`` as ``geld``): the longest such part of at
        least :data:`HEAD_MIN` letters after at least 3 of its own; else the lemma itself."""
        if lemma in self.centroid or len(lemma) < HEAD_MIN + 3:
            return lemma
        for i in range(3, len(lemma) - HEAD_MIN + 1):
            if lemma[i:] in self.centroid:
                return lemma[i:]
        return lemma

    def wording(self, texts: Sequence[str]) -> list[float]:
        """For each text, how close its wording is to the nearest extract's (0-1) when that is
        near-identical (:data:`NEAR_IDENTICAL`), else 0."""
        if not texts or not self.texts:
            return [0.0 for _ in texts]
        from rapidfuzz import fuzz, process

        matrix = process.cdist(texts, self.texts, scorer=fuzz.token_set_ratio,
                               score_cutoff=NEAR_IDENTICAL, workers=-1)
        return [float(row.max()) / 100.0 for row in matrix]


@dataclass
class Sentence:
    """A sentence that may be suggested: where it is, its score and why."""

    transcript: str
    idx: int
    turn: int
    start: int
    end: int
    score: float
    why: list[str]


@dataclass
class Passage:
    transcript: str
    sentences: list[int]
    start: int
    end: int
    score: float
    why: list[str]


def grow_passages(scored: Sequence[Sentence], limit: int) -> list[Passage]:
    """The best ``limit`` passages: each the best sentence not yet used, with the neighbours in
    its turn (next to it, one after another) that score at least :data:`GROW_SHARE` of it."""
    at = {(s.transcript, s.idx): s for s in scored}
    used: set[tuple[str, int]] = set()
    out: list[Passage] = []
    for seed in sorted(scored, key=lambda s: (-s.score, s.transcript, s.idx)):
        if len(out) >= limit:
            break
        if (seed.transcript, seed.idx) in used or seed.score <= 0:
            continue
        members = [seed]
        for step in (-1, 1):
            n = seed.idx + step
            while True:
                nb = at.get((seed.transcript, n))
                if (nb is None or nb.turn != seed.turn or (nb.transcript, nb.idx) in used
                        or nb.score < GROW_SHARE * seed.score):
                    break
                members.append(nb)
                n += step
        members.sort(key=lambda s: s.idx)
        used.update((m.transcript, m.idx) for m in members)
        why: list[str] = []
        for m in [seed, *members]:
            why.extend(w for w in m.why if w not in why)
        out.append(Passage(seed.transcript, [m.idx for m in members], members[0].start,
                           members[-1].end, seed.score, why[:10]))
    return out


def random_rank_recall(eligible: int, hidden_sizes: Sequence[int], k: int) -> float:
    """Expected share of hidden extracts found among the first ``k`` of a random order of
    ``eligible`` sentences, an extract of ``m`` sentences being found when any of them is:
    ``1 - C(eligible - m, k) / C(eligible, k)``."""
    if not hidden_sizes or eligible <= 0:
        return 0.0
    k = min(k, eligible)
    total = 0.0
    for m in hidden_sizes:
        m = min(m, eligible)
        miss = 1.0
        for i in range(k):  # the product form of C(E-m, k) / C(E, k)
            miss *= max(0.0, (eligible - m - i) / (eligible - i))
            if miss == 0.0:
                break
        total += 1.0 - miss
    return total / len(hidden_sizes)
