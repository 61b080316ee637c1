"""Code suggestions for a selected passage: never applied, only offered.

- :func:`suggest_codes`: existing codes whose coded extracts resemble the passage, scored by
  the overlap of their content lemmas (weighted so that rare words count more) and rapidfuzz's
  ``token_set_ratio`` over lemmas, with the shared lemmas that explain the score.
- :func:`suggest_names`: candidate in-vivo code names from the passage's salient words: words
  that are frequent in the passage and rare in the project, and pairs of adjacent content
  words (noun phrases when the loaded model has a parser), Dutch stop words left out.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.store.lemma_edits import decode as decode_lemmas
from workbench.store.lemma_edits import text_words


@dataclass
class CodeSuggestion:
    code_id: str
    name: str
    score: float
    shared: list[str] = field(default_factory=list)
    extracts: int = 0
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NameSuggestion:
    name: str
    score: float
    exists: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# Words that carry no theme of their own in Dutch interview talk: light verbs, hesitations,
# hedges, vague nouns, number words. Never evidence for a code, never an in-vivo name.
LIGHT_WORDS = frozenset("""
ja nee nou eh uh uhm euh ehm hm hè oké ok gewoon echt eigenlijk natuurlijk inderdaad precies
best heel erg wel soms vaak altijd nooit misschien beetje soort keer ding dingen iets iemand
mensen persoon personen manier kant stuk deel tijd moment jaar jaren dag dagen week weken
gaan komen krijgen weten zeggen doen maken zien willen kunnen moeten zitten staan liggen laten
houden geven nemen vinden denken hebben zijn worden blijven lijken proberen horen merken
zo'n zulke zulk allemaal elkaar beide waar wanneer hoe wat wie
één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien
zeventien achttien negentien twintig dertig veertig vijftig honderd duizend
""".split())
_PRONOMINAL_ADVERB = re.compile(
    r"^(daar|hier|waar|er)(aan|achter|af|bij|binnen|buiten|door|in|langs|mee|na|naar|naast|om|"
    r"onder|op|over|tegen|toe|tussen|uit|van|voor|zonder)$")
# Anonymisation placeholders: [naam], [naam wijk], [X], <naam>, {plaats}, XXX.
PLACEHOLDER_RE = re.compile(r"\[[^\[\]]{0,40}\]|<[^<>]{0,40}>|\{[^{}]{0,40}\}|\b[Xx]{2,}\b")


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's Dutch stop words and :data:`LIGHT_WORDS`. spaCy's list is read from its file,
    without importing spaCy (a second of start-up for a set of words)."""
    import importlib.util
    import sys
    from pathlib import Path

    spec = None if "spacy" in sys.modules else importlib.util.find_spec("spacy")
    found = (importlib.util.spec_from_file_location(
        "_workbench_nl_stop_words", Path(spec.origin).parent / "lang" / "nl" / "stop_words.py")
        if spec is not None and spec.origin else None)
    if found is None or found.loader is None:  # spaCy already loaded, or not laid out as files
        from spacy.lang.nl.stop_words import STOP_WORDS
    else:
        module = importlib.util.module_from_spec(found)
        found.loader.exec_module(module)
        STOP_WORDS = module.STOP_WORDS
    return frozenset(STOP_WORDS) | LIGHT_WORDS


def is_noise(word: str, stops: frozenset[str]) -> bool:
    """Whether a (lower-case) word or lemma can never be evidence or an in-vivo name."""
    return (len(word) <= 2 or word in stops or any(c.isdigit() for c in word)
            or _PRONOMINAL_ADVERB.match(word) is not None)


def without_placeholders(text: str) -> str:
    """The text with anonymisation placeholders blanked out (same length: offsets hold)."""
    return PLACEHOLDER_RE.sub(lambda m: " " * len(m.group()), text)


def placeholder_words(texts: list[str]) -> frozenset[str]:
    """The words inside the placeholders of some texts (``[naam wijk]``: naam, wijk): the
    stored lemmas of their sentences hold them, but they are no one's words."""
    out: set[str] = set()
    for text in texts:
        for m in PLACEHOLDER_RE.finditer(text):
            out.update(text_words(m.group()))
    return frozenset(out)


def _content(lemmas: list[str], stops: frozenset[str]) -> list[str]:
    return [w for w in lemmas if not is_noise(w, stops)]


def _passage(db: sqlite_utils.Database, transcript: str, start: int, end: int) -> tuple[dict[str, Any], str]:
    from workbench.services.coding.passages import check_span
    from workbench.services.transcripts.library import resolve_transcript

    t = resolve_transcript(db, transcript)
    start, end = check_span(t["text"], start, end)
    return t, t["text"][start:end]


class _SentenceIndex:
    """Sentences (start, end, lemma words) of some transcripts, for finding those under a span."""

    def __init__(self, db: sqlite_utils.Database, tids: set[str]) -> None:
        from workbench.services.transcripts.library import get_sentences

        self.by_tid: dict[str, tuple[list[int], list[tuple[int, int, list[str]]]]] = {}
        for tid in tids:
            items = [(s["start"], s["end"], decode_lemmas(s["text"], s["lemmas"] or "", s["lemma_edits"] or ""))
                     for s in get_sentences(db, tid)]
            if items:
                self.by_tid[tid] = ([it[1] for it in items], items)

    def lemmas(self, tid: str, start: int, end: int) -> list[str]:
        ends, items = self.by_tid.get(tid, ([], []))
        out: list[str] = []
        i = bisect.bisect_right(ends, start)
        while i < len(items) and items[i][0] < end:
            out.extend(items[i][2])
            i += 1
        return out


def suggest_codes(
    db: sqlite_utils.Database, transcript_id: str, start: int, end: int, limit: int = 5
) -> list[CodeSuggestion]:
    """Existing codes whose coded extracts are most like ``[start, end)``; best first."""
    from rapidfuzz import fuzz

    from workbench.nlp.sentences import lemmas_of

    t, text = _passage(db, transcript_id, start, end)
    codings = list(db.query(
        "select x.id, x.transcript_id, x.code_id, x.start, x.end, c.name from codings x "
        "join codes c on c.id = x.code_id where c.kind = 'code'"
    ))
    involved = sorted({c["transcript_id"] for c in codings} | {t["id"]})
    marks = ", ".join("?" for _ in involved)
    stops = stop_words() | placeholder_words(
        [r[0] for r in db.execute(f"select text from transcripts where id in ({marks})", involved)])
    mine = _content(text_words(lemmas_of(without_placeholders(text))), stops)
    if not mine:
        return []
    index = _SentenceIndex(db, {c["transcript_id"] for c in codings})
    applied: set[str] = set()
    extracts: dict[str, list[list[str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for c in codings:
        names[c["code_id"]] = c["name"]
        if c["transcript_id"] == t["id"] and c["start"] < end and c["end"] > start:
            applied.add(c["code_id"])  # the passage's own coding is no evidence
            continue
        lem = _content(index.lemmas(c["transcript_id"], c["start"], c["end"]), stops)
        if lem:
            extracts[c["code_id"]].append(lem)
    if not extracts:
        return []
    # Rarer lemmas weigh more: inverse document frequency over the codes' profiles.
    profiles = {cid: set().union(*map(set, ex)) for cid, ex in extracts.items()}
    df = Counter(w for prof in profiles.values() for w in prof)
    n_codes = len(profiles)

    def idf(w: str) -> float:
        return math.log(1 + n_codes / (1 + df.get(w, 0)))

    my_set = set(mine)
    my_weight = sum(idf(w) for w in my_set) or 1.0
    my_str = " ".join(sorted(my_set))
    out: list[CodeSuggestion] = []
    for cid, prof in profiles.items():
        shared = my_set & prof
        if not shared:
            continue
        overlap = 100.0 * sum(idf(w) for w in shared) / my_weight
        best = max(fuzz.token_set_ratio(my_str, " ".join(sorted(set(ex)))) for ex in extracts[cid])
        score = round(0.6 * overlap + 0.4 * best, 1)
        out.append(CodeSuggestion(
            cid, names[cid], score, sorted(shared, key=lambda w: (-idf(w), w))[:6],
            len(extracts[cid]), cid in applied,
        ))
    out.sort(key=lambda s: (-s.score, s.name.lower()))
    return out[:limit]


def _sentence_frequency(db: sqlite_utils.Database, lemma: str) -> int:
    try:
        return int(db.execute(
            "select count(*) from sentences_fts where sentences_fts match ?",
            ["{text lemmas} : " + " + ".join(f'"{p}"' for p in lemma.replace('"', " ").split() or [lemma])],
        ).fetchone()[0])
    except Exception:  # noqa: BLE001 - a lemma FTS cannot parse counts as rare
        return 0


def suggest_names(
    db: sqlite_utils.Database, transcript_id: str, start: int, end: int, limit: int = 5
) -> list[NameSuggestion]:
    """Candidate in-vivo code names from the passage's salient words; best first."""
    from workbench.nlp.pipeline import get_pipeline, is_word, token_lemma, using_pipeline

    _t, text = _passage(db, transcript_id, start, end)
    text = without_placeholders(text)
    stops = stop_words()
    total = max(db.execute("select count(*) from sentences").fetchone()[0], 1)
    _nlp, info = get_pipeline()
    candidates: dict[str, float] = {}
    with using_pipeline() as nlp:
        doc = nlp(text)
        toks = [t for t in doc if is_word(t)]
        has_pos = info.has_pos
        content_pos = {"NOUN", "PROPN", "ADJ", "VERB"}

        def is_content(tok: Any) -> bool:
            lemma = token_lemma(tok)
            if is_noise(lemma, stops) or is_noise(tok.text.lower(), stops):
                return False
            return tok.pos_ in content_pos if has_pos and tok.pos_ else True

        lemma_count = Counter(token_lemma(t) for t in toks if is_content(t))
        weight: dict[str, float] = {}
        for lemma, tf in lemma_count.items():
            weight[lemma] = tf * math.log(1 + total / (1 + _sentence_frequency(db, lemma)))
        for lemma, w in weight.items():
            candidates[lemma] = max(candidates.get(lemma, 0.0), w)
        # Pairs of adjacent content words, in the respondent's own words.
        for a, b in zip(toks, toks[1:], strict=False):
            if b.i == a.i + 1 and is_content(a) and is_content(b):
                phrase = f"{a.text} {b.text}".lower()
                candidates[phrase] = max(candidates.get(phrase, 0.0),
                                         weight.get(token_lemma(a), 0) + weight.get(token_lemma(b), 0))
        if "parser" in nlp.pipe_names:
            try:
                for chunk in doc.noun_chunks:
                    words = [t for t in chunk if is_word(t) and not (t.is_stop or t.pos_ == "DET")]
                    if len(words) >= 1 and any(is_content(t) for t in words):
                        phrase = " ".join(t.text for t in words).lower()
                        score = sum(weight.get(token_lemma(t), 0) for t in words) * 1.1
                        candidates[phrase] = max(candidates.get(phrase, 0.0), score)
            except (NotImplementedError, ValueError):
                pass
    existing = {r[0].lower() for r in db.execute("select name from codes")}
    ranked = sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return []
    top = ranked[0][1] or 1.0
    return [NameSuggestion(name, round(100 * w / top, 1), name in existing) for name, w in ranked[:limit]]


def sentence_or_span(db: sqlite_utils.Database, transcript: str, *, span: str | None, sentence: int | None) -> tuple[str, int, int]:
    """Resolve the CLI's ``--span S:E`` or ``--sentence N`` to (transcript id, start, end)."""
    from workbench.services.coding.passages import sentence_span
    from workbench.services.transcripts.library import resolve_transcript

    t = resolve_transcript(db, transcript)
    if (span is None) == (sentence is None):
        raise WorkbenchError("give exactly one of --span START:END or --sentence N")
    if sentence is not None:
        s, e = sentence_span(db, t["id"], sentence)
        return t["id"], s, e
    try:
        a, b = (int(x) for x in str(span).split(":"))
    except ValueError as exc:
        raise WorkbenchError(f"--span must be START:END with two whole numbers, not '{span}'") from exc
    return t["id"], a, b
