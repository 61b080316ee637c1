"""Passages like a code's extracts: checking a theme against the whole data set (Braun &
Clarke's phase 4) on the researcher's own machine. Nothing is coded here: suggestions only.

:func:`find_similar` ranks respondent passages that a coder has not coded with a code (for a
theme: with any code under it) by how much they read like that coder's extracts of it
(:mod:`workbench.analysis.similarity`: lemma vectors weighted by rarity in the project, the
extracts' centroid and nearest extract, near-identical wording), each with the shared lemmas
and phrases that explain it. Candidates come from the full-text index (the extracts' weightiest
lemmas, as words or lemmas), never a scan over every sentence; the rarity of a lemma is its
sentence count in that index (``fts5vocab``).

:func:`evaluate` says how good that is on this project: it hides part of the coder's extracts
of a code in turn, ranks, and reports where the hidden ones come, beside what a random order
of the same sentences would give.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NoReturn

import sqlite_utils

from workbench.analysis.similarity import (
    Passage,
    Profile,
    Sentence,
    grow_passages,
    random_rank_recall,
)
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding.suggest import (
    is_noise,
    placeholder_words,
    stop_words,
    without_placeholders,
)
from workbench.store.lemma_edits import decode as decode_lemmas

#: Fewer extracts than this say too little about a code to suggest from.
MIN_EXTRACTS = 3
#: The profile's weightiest lemmas looked up in the full-text index.
QUERY_TERMS = 24
#: Compounds of those lemmas looked up too (``huurwoning`` for ``woning``).
COMPOUND_TERMS = 24
#: Sentences the index offers for scoring, best BM25 first.
CANDIDATES = 5000
RECALL_AT = (10, 20, 50)
#: The best-scoring candidates whose wording is compared with every extract's.
WORDING_CHECKED = 400


@dataclass
class Suggestion:
    transcript: str
    label: str
    start: int
    end: int
    sentences: list[int]
    text: str
    score: float
    why: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SimilarResult:
    code: dict[str, str]  # id, name, kind
    coder: str
    extracts: int
    suggestions: list[Suggestion]
    respondents_only: bool = True


@dataclass(frozen=True)
class _Extract:
    transcript: str
    start: int
    end: int


class _Corpus:
    """What one ranking (or evaluation) reads, read once: texts, labels, rarity of lemmas."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.stops = stop_words()
        self._texts: dict[str, str] = {}
        self._df: dict[str, int] = {}
        self._vocab: list[tuple[str, int]] | None = None
        self._noise: dict[str, bool] = {}
        self._under: dict[_Extract, list[tuple[Any, ...]]] = {}
        self.sentences = int(db.execute("select count(*) from sentences").fetchone()[0])
        db.execute("create virtual table if not exists temp.similar_vocab "
                   "using fts5vocab(main, 'sentences_fts', 'row')")

    def text(self, tid: str) -> str:
        if tid not in self._texts:
            row = self.db.execute("select text from transcripts where id = ?", [tid]).fetchone()
            self._texts[tid] = row[0] if row else ""
        return self._texts[tid]

    def idf(self, lemma: str) -> float:
        if lemma not in self._df:
            row = self.db.execute("select doc from temp.similar_vocab where term = ?", [lemma]).fetchone()
            self._df[lemma] = int(row[0]) if row else 0
        return math.log((self.sentences + 1) / (self._df[lemma] + 1)) + 1.0

    def compounds(self, heads: Sequence[str]) -> list[str]:
        """The project's words that are compounds of these (``huurwoning`` for ``woning``), the
        most frequent first, at most :data:`COMPOUND_TERMS`."""
        from workbench.analysis.similarity import HEAD_MIN

        if self._vocab is None:
            self._vocab = self.db.execute("select term, doc from temp.similar_vocab").fetchall()
        wanted = {h for h in heads if len(h) >= HEAD_MIN}
        found = [(doc, term) for term, doc in self._vocab
                 if len(term) >= HEAD_MIN + 3 and term not in wanted
                 and any(term.endswith(h) and len(term) - len(h) >= 3 for h in wanted)]
        return [term for _doc, term in sorted(found, reverse=True)[:COMPOUND_TERMS]]

    def content(self, text: str, lemmas: str, edits: str) -> list[str]:
        """The sentence's lemmas that can be evidence (no stop words, no placeholder words)."""
        placeholders = placeholder_words([text]) if "[" in text or "<" in text or "{" in text \
            or "xx" in text.lower() else frozenset()
        out = []
        for w in decode_lemmas(text, lemmas, edits):
            noise = self._noise.get(w)
            if noise is None:
                noise = self._noise[w] = is_noise(w, self.stops)
            if not noise and w not in placeholders:
                out.append(w)
        return out

    def under(self, extract: _Extract) -> list[tuple[Any, ...]]:
        """``(idx, start, end, lemmas, lemma_edits)`` of the sentences the extract overlaps."""
        if extract not in self._under:
            self._under[extract] = self.db.execute(
                "select idx, start, [end], lemmas, lemma_edits from sentences where transcript_id = ? "
                "and start < ? and [end] > ? order by idx",
                [extract.transcript, extract.end, extract.start]).fetchall()
        return self._under[extract]


def _extracts(db: sqlite_utils.Database, code_ids: Sequence[str], coder: str) -> list[_Extract]:
    marks = ", ".join("?" for _ in code_ids)
    return [_Extract(*r) for r in db.execute(
        f"select transcript_id, start, [end] from codings where coder = ? and code_id in ({marks}) "
        "order by transcript_id, start, [end]", [coder, *code_ids])]


def _covered(corpus: _Corpus, extracts: Iterable[_Extract]) -> set[tuple[str, int]]:
    return {(e.transcript, row[0]) for e in extracts for row in corpus.under(e)}


def _lemmas(corpus: _Corpus, e: _Extract) -> list[str]:
    text = corpus.text(e.transcript)
    words: list[str] = []
    for _idx, start, end, lem, edits in corpus.under(e):
        words.extend(corpus.content(text[start:end], lem or "", edits or ""))
    return words


def _profile(corpus: _Corpus, extracts: Sequence[_Extract],
             rejected: Sequence[_Extract] = ()) -> Profile | None:
    lemmas: list[list[str]] = []
    texts: list[str] = []
    for e in extracts:
        words = _lemmas(corpus, e)
        if words:
            lemmas.append(words)
            texts.append(without_placeholders(corpus.text(e.transcript)[e.start:e.end]))
    if len(lemmas) < MIN_EXTRACTS:
        return None
    negatives = [words for words in (_lemmas(corpus, r) for r in rejected) if words]
    return Profile(lemmas, texts, corpus.idf, negatives)


def _fts_query(terms: Sequence[str]) -> str:
    return "{text lemmas} : (" + " OR ".join('"' + t.replace('"', " ") + '"' for t in terms) + ")"


def _rank(corpus: _Corpus, profile: Profile, exclude: set[tuple[str, int]], limit: int,
          respondents_only: bool) -> list[Passage]:
    db = corpus.db
    terms = profile.terms(QUERY_TERMS)
    rowids = [r[0] for r in db.execute(
        "select rowid from sentences_fts where sentences_fts match ? order by rank limit ?",
        [_fts_query(terms + corpus.compounds(terms)), CANDIDATES])]
    scored: list[Sentence] = []
    wording: list[str] = []
    role = " and t.role = 'respondent'" if respondents_only else ""
    for first in range(0, len(rowids), 500):
        chunk = rowids[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        for tid, idx, turn, start, end, lem, edits in db.execute(
                "select s.transcript_id, s.idx, s.turn_idx, s.start, s.[end], s.lemmas, s.lemma_edits "
                "from sentences s join turns t on t.transcript_id = s.transcript_id and t.idx = s.turn_idx "
                f"where s.rowid in ({marks}){role}", chunk):
            if (tid, idx) in exclude:
                continue
            text = corpus.text(tid)[start:end]
            score, why = profile.score(corpus.content(text, lem or "", edits or ""))
            if score > 0:
                scored.append(Sentence(tid, idx, turn, start, end, score, why))
                wording.append(text)
    # Near-identical wording also shares most lemmas: asked of the best candidates only.
    best = sorted(range(len(scored)), key=lambda i: -scored[i].score)[:WORDING_CHECKED]
    for i, close in zip(best, profile.wording([without_placeholders(wording[i]) for i in best]), strict=True):
        scored[i].score = max(scored[i].score, close)
    return grow_passages(scored, limit)


def find_similar(db: sqlite_utils.Database, ref: str, *, coder: str, limit: int = 20,
                 all_speakers: bool = False) -> SimilarResult:
    """Passages (respondent text unless ``all_speakers``) that read like ``coder``'s extracts of
    the code or theme ``ref`` and that ``coder`` has not coded with it; best first."""
    code = codebook.resolve(db, ref)
    code_ids = codebook.subtree_ids(db, code["id"])
    extracts = _extracts(db, code_ids, coder)
    rejected = _rejected(db, coder, [code["id"], *code_ids])
    corpus = _Corpus(db)
    profile = _profile(corpus, extracts, rejected)
    if profile is None:
        _too_few(code, coder, extracts)
    exclude = _covered(corpus, extracts) | _covered(corpus, rejected)
    passages = _rank(corpus, profile, exclude, limit, not all_speakers)
    labels = dict(db.execute("select id, label from transcripts").fetchall())
    suggestions = [Suggestion(p.transcript, labels.get(p.transcript) or p.transcript, p.start, p.end,
                              p.sentences, corpus.text(p.transcript)[p.start:p.end], round(p.score, 3), p.why)
                   for p in passages]
    return SimilarResult({"id": code["id"], "name": code["name"], "kind": code["kind"]}, coder,
                         len(extracts), suggestions, not all_speakers)


def _rejected(db: sqlite_utils.Database, coder: str, code_ids: Sequence[str]) -> list[_Extract]:
    marks = ", ".join("?" for _ in code_ids)
    return [_Extract(*r) for r in db.execute(
        f"select transcript_id, start, [end] from similar_rejections where coder = ? and code_id in ({marks})",
        [coder, *code_ids])]


def reject(db: sqlite_utils.Database, coder: str, ref: str, transcript: str, start: int, end: int) -> None:
    """Remember that ``coder`` rejected ``[start, end)`` of ``transcript`` as a passage like
    ``ref``: it is never suggested to them for it again. One recorded change (undo takes it
    back)."""
    from workbench.clock import now_iso
    from workbench.services.coding.passages import check_span
    from workbench.services.transcripts.library import resolve_transcript
    from workbench.store.changes import record

    code = codebook.resolve(db, ref)
    found = resolve_transcript(db, transcript)
    transcript = found["id"]
    start, end = check_span(found["text"], start, end)
    key = [coder, code["id"], transcript, start, end]
    if db.execute("select 1 from similar_rejections where coder = ? and code_id = ? and transcript_id = ? "
                  "and start = ? and [end] = ?", key).fetchone():
        return
    with record(db, coder, "similar.reject",
                f"not like '{code['name']}': {transcript} [{start}:{end}]") as cs:
        cs.insert("similar_rejections", {"coder": coder, "code_id": code["id"], "transcript_id": transcript,
                                         "start": start, "end": end, "rejected_at": now_iso()})


def _too_few(code: dict[str, Any], coder: str, extracts: Sequence[_Extract]) -> NoReturn:
    what = "theme" if code["kind"] == "theme" else "code"
    under = " (with the codes under it)" if code["kind"] == "theme" else ""
    raise WorkbenchError(
        f"the {what} '{code['name']}'{under} has {len(extracts)} extract(s) coded by {coder} "
        f"with words to compare; finding similar passages needs at least {MIN_EXTRACTS}: code a "
        "few more first (or name another coder with --coder)")


# -- evaluation ---------------------------------------------------------------------------------

@dataclass
class CodeEvaluation:
    code: dict[str, str]
    coder: str
    extracts: int
    folds: int
    ranks: list[int | None]  # of each hidden extract (None: not among the ranked passages)
    recall: dict[int, float] = field(default_factory=dict)
    baseline: dict[int, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _folds(n: int, folds: int) -> list[list[int]]:
    """Extract indexes hidden in each fold: as many folds as asked (at most ``n``), each
    leaving at least :data:`MIN_EXTRACTS` to rank from."""
    folds = max(1, min(folds, n))
    while n - math.ceil(n / folds) < MIN_EXTRACTS:
        if folds >= n:
            return []
        folds += 1
    return [list(range(i, n, folds)) for i in range(folds)]


def evaluate(db: sqlite_utils.Database, ref: str, *, coder: str, folds: int = 5,
             depth: int = max(RECALL_AT), seed: int = 7) -> CodeEvaluation:
    """Hide part of ``coder``'s extracts of ``ref`` in turn (``folds`` folds), rank from the rest
    and record where each hidden extract comes (the first passage that overlaps it), with
    recall at 10, 20 and 50 and the same for a random order of the eligible sentences."""
    code = codebook.resolve(db, ref)
    code_ids = codebook.subtree_ids(db, code["id"])
    extracts = _extracts(db, code_ids, coder)
    random.Random(seed).shuffle(extracts)
    plan = _folds(len(extracts), folds)
    if not plan:
        raise WorkbenchError(
            f"'{code['name']}' has {len(extracts)} extract(s) coded by {coder}; an evaluation "
            f"hides some and ranks from the rest, which needs at least {MIN_EXTRACTS + 1}")
    corpus = _Corpus(db)
    eligible_sql = ("select count(*) from sentences s join turns t on t.transcript_id = s.transcript_id "
                    "and t.idx = s.turn_idx where t.role = 'respondent'")
    respondent_sentences = int(db.execute(eligible_sql).fetchone()[0])
    ranks: list[int | None] = []
    baseline = dict.fromkeys(RECALL_AT, 0.0)
    for hidden_at in plan:
        hidden = [extracts[i] for i in hidden_at]
        kept = [e for i, e in enumerate(extracts) if i not in set(hidden_at)]
        profile = _profile(corpus, kept)
        if profile is None:
            ranks.extend(None for _ in hidden)
            continue
        exclude = _covered(corpus, kept)
        passages = _rank(corpus, profile, exclude, depth, True)
        for h in hidden:
            ranks.append(next((n for n, p in enumerate(passages, start=1)
                               if p.transcript == h.transcript and p.start < h.end and p.end > h.start), None))
        eligible = respondent_sentences - len(exclude)
        sizes = [max(1, len(corpus.under(h))) for h in hidden]
        for k in RECALL_AT:
            baseline[k] += random_rank_recall(eligible, sizes, k) * len(hidden)
    n = len(ranks)
    recall = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in RECALL_AT}
    return CodeEvaluation({"id": code["id"], "name": code["name"], "kind": code["kind"]}, coder,
                          len(extracts), len(plan), ranks, recall, {k: v / n for k, v in baseline.items()})


def evaluate_all(db: sqlite_utils.Database, *, coder: str, folds: int = 5) -> list[CodeEvaluation]:
    """:func:`evaluate` for every code with enough of ``coder``'s extracts to hide some."""
    rows = db.execute("select c.id, count(*) from codings x join codes c on c.id = x.code_id "
                      "where x.coder = ? and c.kind = 'code' group by c.id having count(*) > ? "
                      "order by c.name", [coder, MIN_EXTRACTS]).fetchall()
    out = []
    for cid, _n in rows:
        try:
            out.append(evaluate(db, cid, coder=coder, folds=folds))
        except WorkbenchError:
            continue  # too few extracts with words to compare
    return out
