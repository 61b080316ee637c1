"""Searching a project's transcripts: words, phrases, lemmas, half-remembered passages, KWIC.

Four modes over the stored sentences, never loading spaCy at query time:

- ``word``: every word of the query in one sentence (SQLite FTS5 on ``sentences_fts.text``,
  case- and diacritics-insensitive: ``een`` finds ``één``). ``"quoted parts"`` are phrases and a
  trailing ``*`` makes a prefix (``ronsel*``).
- ``phrase``: the query's words next to each other, in order.
- ``lemma``: the query's words lemmatised from the project's word forms (or spaCy's lookup
  table, read directly) and matched on the sentences' lemmas (``ronselen`` finds ``geronseld``,
  ``ronselt``, ``ronselden``): the index holds the lemmas that differ from their words, so a
  sentence with the lemma's word or the lemma is a candidate, kept when one of its words has
  the lemma (:mod:`workbench.store.lemma_edits`).
- ``fuzzy``: a half-remembered passage, typos tolerated: a bounded set of candidates from FTS on
  the query's rarer word starts, scored with rapidfuzz partial matching over sentences and
  pairs of adjacent sentences (never a pass over every sentence).

Every hit carries the transcript, its respondent label, the sentence number, the offsets of the
matched words (else of the sentence), the sentence, its context and the codes on it.
:func:`kwic` lists every occurrence of a lemma with its left and right context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.nlp.normalize import WORD_RE, fold, fold_words
from workbench.store.lemma_edits import decode as decode_lemmas
from workbench.store.sentence_index import sentence_text_sql

MODES = ("word", "phrase", "lemma", "fuzzy")
FUZZY_CUTOFF = 60.0
FUZZY_CANDIDATES = 1500
FUZZY_COMMON = 5000  # a word start in more sentences than this is too common to rank by
_TOKEN_RE = re.compile(r'"([^"]*)"?|([^\W_]+)(\*?)')


INTERVIEWER_LABEL = "Interviewer"
TURN_MARK = "¶ "  # where a keyword-in-context line meets the edge of the speaker's turn


@dataclass
class Hit:
    """One search hit. ``speaker`` is the role of the turn it stands in (``respondent`` or
    ``interviewer``) and ``label`` the speaker's label: the respondent's label (Jongerenwerker
    C) or "Interviewer", never the respondent's label on the interviewer's words;
    ``respondent_label`` is the interview's respondent either way."""

    transcript_id: str
    label: str
    sentence: int
    start: int
    end: int
    text: str
    context: str
    score: float
    codes: list[str] = field(default_factory=list)
    matches: list[tuple[int, int]] = field(default_factory=list)
    sentence_start: int = 0
    sentence_end: int = 0
    speaker: str = "respondent"
    turn: int = 0
    respondent_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- query parsing -----------------------------------------------------------------------------

@dataclass
class _Term:
    """One term of a word query: a word (maybe a prefix) or a phrase of words."""

    words: list[str]
    prefix: bool = False

    def fts(self) -> str:
        quoted = " + ".join(f'"{w}"' for w in self.words)
        return quoted + ("*" if self.prefix else "")


def _parse(query: str, *, phrase: bool) -> list[_Term]:
    if phrase:
        found = WORD_RE.findall(fold(query))
        prefix = query.rstrip().endswith("*")
        return [_Term(found, prefix)] if found else []
    terms: list[_Term] = []
    for m in _TOKEN_RE.finditer(query):
        if m.group(1) is not None:
            found = WORD_RE.findall(fold(m.group(1)))
            if found:
                terms.append(_Term(found))
        elif m.group(2):
            terms.append(_Term([fold(m.group(2))], bool(m.group(3))))
    return terms


# -- filters -------------------------------------------------------------------------------------

def _code_ids(db: sqlite_utils.Database, code: str) -> list[str]:
    from workbench.services.codebook import codes as codebook

    row = codebook.resolve(db, code)
    if row["kind"] == "code":
        return [row["id"]]
    return codebook.subtree_ids(db, row["id"])


def _filters(
    db: sqlite_utils.Database, code: str | None, respondent: str | None, respondents_only: bool = False
) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if respondents_only:
        where.append("not " + _INTERVIEWER_LAST)
    if respondent:
        from workbench.services.transcripts.library import resolve_transcript

        where.append("s.transcript_id = ?")
        args.append(resolve_transcript(db, respondent)["id"])
    if code:
        ids = _code_ids(db, code)
        marks = ", ".join("?" for _ in ids)
        where.append(
            "exists (select 1 from codings c where c.transcript_id = s.transcript_id and "
            f"c.start < s.end and c.end > s.start and c.code_id in ({marks}))"
        )
        args.extend(ids)
    return "".join(f" and {w}" for w in where), args


# -- helpers ---------------------------------------------------------------------------------------

# A sentence's text is cut from its transcript's (sentences hold none): only ever for the rows
# a query returns, never for every row it sorts.
_SENTENCE_TEXT = sentence_text_sql("t.text", "s")
_BARE_COLUMNS = ("s.rowid as rowid, s.transcript_id, s.idx, s.turn_idx, s.start, s.end, "
                 "s.lemmas, s.lemma_edits, t.label, coalesce(u.role, 'respondent') as speaker, "
                 "u.start as turn_start, u.[end] as turn_end")
_ROW_COLUMNS = f"{_BARE_COLUMNS}, {_SENTENCE_TEXT} as text"
# Every sentence row is joined to its turn for the speaker's role.
_TURN_JOIN = "left join turns u on u.transcript_id = s.transcript_id and u.idx = s.turn_idx "
_INTERVIEWER_LAST = "(coalesce(u.role, '') = 'interviewer')"
# Without filters the ranking runs on the FTS table alone; this many times the limit is read so
# that the respondent's hits can come first (interviewer hits fill up only when those run out).
_OVERFETCH = 4


def speaker_label(row: dict[str, Any]) -> str:
    """The label of who spoke a sentence row: the respondent's label, or "Interviewer"."""
    return INTERVIEWER_LABEL if row.get("speaker") == "interviewer" else row["label"]


def _fts_rows(
    db: sqlite_utils.Database, match: str, extra: str, args: list[Any], limit: int | None,
    *, ranked: bool = True,
) -> list[dict[str, Any]]:
    """Sentences matching an FTS5 expression, best (lowest bm25) first (``ranked=False``: the
    first ``limit`` in the index's order, each with rank 0, without scoring every match).

    Without filters the ranking runs on the FTS table alone and only the best ``limit`` rows
    are joined to their sentences: a common word matches tens of thousands of sentences.
    """
    if not ranked:
        sql = (
            f"select {_ROW_COLUMNS}, 0.0 as rank from sentences_fts "
            "join sentences s on s.rowid = sentences_fts.rowid "
            f"join transcripts t on t.id = s.transcript_id {_TURN_JOIN}"
            f"where sentences_fts match ?{extra} limit ?"
        )
        return list(db.query(sql, [match, *args, limit if limit is not None else -1]))
    if not extra and limit is not None:
        sql = (
            f"select {_ROW_COLUMNS}, f.rank as rank from (select rowid, bm25(sentences_fts) as rank "
            "from sentences_fts where sentences_fts match ? order by rank limit ?) f "
            f"join sentences s on s.rowid = f.rowid join transcripts t on t.id = s.transcript_id {_TURN_JOIN}"
            f"order by {_INTERVIEWER_LAST}, f.rank, s.transcript_id, s.idx limit ?"
        )
        params: list[Any] = [match, limit * _OVERFETCH, limit]
    else:
        # ranked and limited over the spans first; the text only for the rows kept
        sql = (
            f"select {_ROW_COLUMNS}, f.rank as rank from (select s.rowid as rowid, bm25(sentences_fts) as rank, "
            f"{_INTERVIEWER_LAST} as late, s.transcript_id as tid, s.idx as idx from sentences_fts "
            f"join sentences s on s.rowid = sentences_fts.rowid {_TURN_JOIN}"
            f"where sentences_fts match ?{extra} order by late, rank, tid, idx limit ?) f "
            f"join sentences s on s.rowid = f.rowid join transcripts t on t.id = s.transcript_id {_TURN_JOIN}"
            "order by f.late, f.rank, f.tid, f.idx"
        )
        params = [match, *args, limit if limit is not None else -1]
    try:
        return list(db.query(sql, params))
    except Exception as exc:  # sqlite3.OperationalError: a query FTS5 cannot parse
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            raise WorkbenchError(f"cannot search for {match!r}: {exc}") from exc
        raise


def _codes_on_many(db: sqlite_utils.Database, spans: list[tuple[str, int, int]]) -> list[list[str]]:
    """The code names on each ``(transcript, start, end)``, a few queries for all of them."""
    found: list[set[str]] = [set() for _ in spans]
    for first in range(0, len(spans), 2000):  # SQLite caps the number of parameters
        chunk = spans[first : first + 2000]
        values = ", ".join("(?, ?, ?, ?)" for _ in chunk)
        args = [v for i, (tid, s, e) in enumerate(chunk, start=first) for v in (i, tid, s, e)]
        for i, name in db.execute(
            f"with h(i, tid, s, e) as (values {values}) select distinct h.i, c.name from h "
            "join codings x on x.transcript_id = h.tid and x.start < h.e and x.end > h.s "
            "join codes c on c.id = x.code_id",
            args,
        ).fetchall():
            found[i].add(name)
    return [sorted(names, key=str.lower) for names in found]


def _contexts_many(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[str]:
    """Each sentence with the one before and after it in the same turn, in one query."""
    if not rows:
        return []
    wanted = {(r["transcript_id"], r["idx"] + d) for r in rows for d in (-1, 1)}
    values = ", ".join("(?, ?)" for _ in wanted)
    args = [v for pair in wanted for v in pair]
    texts = {
        (tid, idx): (turn, text)
        for tid, idx, turn, text in db.execute(
            f"with w(tid, idx) as (values {values}) select s.transcript_id, s.idx, s.turn_idx, {_SENTENCE_TEXT} "
            "from w join sentences s on s.transcript_id = w.tid and s.idx = w.idx "
            "join transcripts t on t.id = s.transcript_id",
            args,
        ).fetchall()
    }
    out = []
    for r in rows:
        parts = []
        for idx in (r["idx"] - 1, r["idx"], r["idx"] + 1):
            turn, text = texts.get((r["transcript_id"], idx), (None, None)) if idx != r["idx"] else (r["turn_idx"], r["text"])
            if text and turn == r["turn_idx"]:  # the context stays in the speaker's own turn
                parts.append(text)
        out.append(" ".join(parts))
    return out


@dataclass
class _Pending:
    row: dict[str, Any]
    matches: list[tuple[int, int]]
    score: float
    span: tuple[int, int] | None = None
    text: str | None = None


def _hits(db: sqlite_utils.Database, pending: list[_Pending]) -> list[Hit]:
    """Build the hits, reading contexts and codes for all of them at once."""
    rows = [p.row for p in pending]
    contexts = _contexts_many(db, rows)
    codes = _codes_on_many(db, [(r["transcript_id"], r["start"], r["end"]) for r in rows])
    hits = []
    for p, context, names in zip(pending, contexts, codes, strict=True):
        row = p.row
        if p.span is not None:
            start, end = p.span
        elif p.matches:
            start, end = p.matches[0]
        else:
            start, end = row["start"], row["end"]
        hits.append(Hit(
            transcript_id=row["transcript_id"],
            label=speaker_label(row),
            sentence=row["idx"],
            start=start,
            end=end,
            text=row["text"] if p.text is None else p.text,
            context=context,
            score=float(f"{p.score:.4g}"),
            codes=names,
            matches=p.matches,
            sentence_start=row["start"],
            sentence_end=row["end"],
            speaker=row["speaker"],
            turn=row["turn_idx"],
            respondent_label=row["label"],
        ))
    return hits


def _word_matches(row: dict[str, Any], terms: list[_Term]) -> list[list[tuple[int, int]]]:
    """For each term, the offsets (in the transcript) of the sentence's words matching it."""
    folded = fold(row["text"])
    toks = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(folded)]
    base = row["start"]
    per_term: list[list[tuple[int, int]]] = []
    for term in terms:
        found: list[tuple[int, int]] = []
        n = len(term.words)
        for i in range(len(toks) - n + 1):
            ok = True
            for j, w in enumerate(term.words):
                word = toks[i + j][2]
                last = j == n - 1
                if not (word == w or (last and term.prefix and word.startswith(w))):
                    ok = False
                    break
            if ok:
                found.append((base + toks[i][0], base + toks[i + n - 1][1]))
        per_term.append(found)
    return per_term


def _combine(per_term: list[list[tuple[int, int]]]) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """All matched spans, and the span from the first match of the first term to the end of
    the first match of the last (None when some term matched no word of the sentence)."""
    matches = sorted({span for spans in per_term for span in spans})
    if not per_term or any(not spans for spans in per_term):
        return matches, None
    firsts = [spans[0] for spans in per_term]
    return matches, (min(s for s, _e in firsts), max(e for _s, e in firsts))


# -- the modes -------------------------------------------------------------------------------------

def _search_words(db: sqlite_utils.Database, query: str, *, phrase: bool, extra: str, args: list[Any],
                  limit: int) -> list[Hit]:
    terms = _parse(query, phrase=phrase)
    if not terms:
        raise WorkbenchError("the search has no words to look for")
    match = "{text} : (" + " AND ".join(t.fts() for t in terms) + ")"
    pending = []
    for row in _fts_rows(db, match, extra, args, limit):
        matches, span = _combine(_word_matches(row, terms))
        pending.append(_Pending(row, matches, -row["rank"], span))
    return _hits(db, pending)


def lemma_terms(db: sqlite_utils.Database, query: str) -> list[set[str]]:
    """For each word of the query: its lemma and the word itself (folded), as FTS sees them,
    from the project's word forms (no spaCy; see :mod:`workbench.services.word_forms`)."""
    from workbench.services import word_forms

    word_forms.ensure_forms(db)
    return word_forms.query_terms(db, query)


def _lemma_patterns(db: sqlite_utils.Database, terms: list[set[str]]) -> list[re.Pattern[str] | None]:
    """For each term, a pattern finding the forms of its lemma (see :mod:`word_forms`)."""
    from workbench.services import word_forms

    return [word_forms.form_pattern(word_forms.forms_of(db, options)) for options in terms]


def _lemma_spans(row: dict[str, Any], patterns: list[re.Pattern[str] | None]) -> list[list[tuple[int, int]]]:
    """For each term, the transcript offsets of the row's words whose lemma matches it: the
    forms of the lemma found back in the sentence."""
    from workbench.services import word_forms

    base = row["start"]
    return [[(base + s, base + e) for s, e in word_forms.matched_spans(row["text"], pattern)]
            for pattern in patterns]


def _lemma_match_expr(terms: list[set[str]]) -> str:
    def one(options: set[str]) -> str:
        parts = []
        for opt in sorted(options):
            words = WORD_RE.findall(opt)
            if words:
                parts.append(" + ".join(f'"{w}"' for w in words))
        return "(" + " OR ".join(parts) + ")"

    # A lemma that is its word is stored only as the word (see workbench.store.lemma_edits):
    # the index finds the sentences that may have the lemmas, :func:`_has_lemmas` keeps those
    # that do.
    return "{text lemmas} : (" + " AND ".join(one(t) for t in terms) + ")"


def _has_lemmas(row: dict[str, Any], terms: list[set[str]]) -> bool:
    """Whether the sentence ``row`` has, for each term, a word whose lemma is one of its
    options (its lemma words decoded from the stored ones)."""
    lemma_words = decode_lemmas(row["text"], row["lemmas"] or "", row["lemma_edits"] or "")
    present = set(lemma_words)
    joined = f" {' '.join(lemma_words)} "
    for options in terms:
        for option in options:
            words = WORD_RE.findall(option)
            if words and (words[0] in present if len(words) == 1 else f" {' '.join(words)} " in joined):
                break
        else:
            return False
    return True


def _lemma_rows(db: sqlite_utils.Database, terms: list[set[str]], extra: str, args: list[Any],
                limit: int) -> list[dict[str, Any]]:
    """The best ``limit`` sentences with the terms' lemmas (more are read when some that the
    index offered have the word but not the lemma)."""
    match = _lemma_match_expr(terms)
    want = limit
    while True:
        rows = _fts_rows(db, match, extra, args, want)
        kept = [row for row in rows if _has_lemmas(row, terms)]
        if len(kept) >= limit or len(rows) < want:
            return kept[:limit]
        want *= 4


def _search_lemmas(db: sqlite_utils.Database, query: str, *, extra: str, args: list[Any],
                   limit: int) -> list[Hit]:
    terms = lemma_terms(db, query)
    if not terms:
        raise WorkbenchError("the search has no words to look for")
    rows = _lemma_rows(db, terms, extra, args, limit)
    pending = []
    patterns = _lemma_patterns(db, terms)
    for row in rows:
        matches, span = _combine(_lemma_spans(row, patterns))
        pending.append(_Pending(row, matches, -row["rank"], span))
    return _hits(db, pending)


def _prefix_count(db: sqlite_utils.Database, prefix: str) -> int:
    """How many sentences have a word starting with ``prefix``, counted up to
    :data:`FUZZY_COMMON` (a bounded read of the index)."""
    row = db.execute(
        "select count(*) from (select rowid from sentences_fts where sentences_fts match ? limit ?)",
        ['{text} : "' + prefix + '"*', FUZZY_COMMON],
    ).fetchone()
    return int(row[0])


def _fuzzy_candidates(db: sqlite_utils.Database, query: str, extra: str, args: list[Any]) -> list[dict[str, Any]]:
    """The sentences worth scoring, at most :data:`FUZZY_CANDIDATES`, from the index: those with
    any of the query's rarer word starts, best (bm25) first. A word start that more than
    :data:`FUZZY_COMMON` sentences have is left out of that (ranking every sentence with "jong…"
    of a thousand interviews costs more than scoring them all); when all are that common, the
    sentences with all of them, else the first with any."""
    found = WORD_RE.findall(fold(query))
    words = [w for w in found if len(w) >= 3] or found
    prefixes = sorted({w[:4] for w in words})
    rare = [p for p in prefixes if _prefix_count(db, p) < FUZZY_COMMON]
    tries = [(rare, " OR ")] if rare else [(prefixes, " AND ")]
    if rare != prefixes:
        tries.append((prefixes, " OR "))
    for chosen, joiner in tries:
        match = "{text} : (" + joiner.join(f'"{p}"*' for p in chosen) + ")"
        rows = _fts_rows(db, match, extra, args, FUZZY_CANDIDATES, ranked=bool(rare) or joiner == " AND ")
        if rows:
            return rows
    return []


def _fuzzy_texts(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int, int, str]]:
    """Each candidate sentence, and each with the next sentence of the same turn (joined by
    spaces where the transcript has other white space: :func:`_exact_text` reads it back for
    the hits)."""
    out: list[tuple[dict[str, Any], int, int, str]] = [(row, row["start"], row["end"], row["text"]) for row in rows]
    if not rows:
        return out
    nexts: dict[tuple[str, int], tuple[int, int, int, str]] = {}
    keys = sorted({(r["transcript_id"], r["idx"] + 1) for r in rows})
    for first in range(0, len(keys), 400):  # SQLite caps the number of parameters
        chunk = keys[first : first + 400]
        values = ", ".join("(?, ?)" for _ in chunk)
        for tid, idx, turn_idx, start, end, text in db.execute(
            f"with w(tid, idx) as (values {values}) select s.transcript_id, s.idx, s.turn_idx, s.start, "
            f"s.end, {_SENTENCE_TEXT} from w join sentences s on s.transcript_id = w.tid and s.idx = w.idx "
            "join transcripts t on t.id = s.transcript_id",
            [v for k in chunk for v in k],
        ).fetchall():
            nexts[(tid, idx)] = (turn_idx, start, end, text)
    for row in rows:
        found = nexts.get((row["transcript_id"], row["idx"] + 1))
        if found is None or found[0] != row["turn_idx"]:
            continue
        _turn, start, end, text = found
        # between two sentences of a turn there is only white space
        out.append((row, row["start"], end, row["text"] + " " * (start - row["end"]) + text))
    return out


def _exact_text(db: sqlite_utils.Database, tid: str, start: int, end: int) -> str:
    row = db.execute("select substr(text, ?, ?) from transcripts where id = ?", [start + 1, end - start, tid]).fetchone()
    return str(row[0])


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim spaces and punctuation at the edges."""
    while start > 0 and text[start - 1].isalnum() and start < len(text) and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _search_fuzzy(db: sqlite_utils.Database, query: str, *, extra: str, args: list[Any], limit: int,
                  cutoff: float = FUZZY_CUTOFF) -> list[Hit]:
    from rapidfuzz import fuzz

    q = " ".join(fold_words(query).split())
    if len(q) < 3:
        raise WorkbenchError("a fuzzy search needs at least three letters")
    from rapidfuzz import process

    texts = _fuzzy_texts(db, _fuzzy_candidates(db, query, extra, args))
    folded = [fold_words(t[3]) for t in texts]
    scored = []
    for _choice, score, i in process.extract(
        q, folded, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=None
    ):
        row, start, end, text = texts[i]
        if len(folded[i]) < len(q):
            score *= len(folded[i]) / len(q)  # a short sentence inside a long query is no match
            if score < cutoff:
                continue
        scored.append((score, row, start, end, text))
    scored.sort(key=lambda x: (x[1]["speaker"] == "interviewer", -x[0], x[3] - x[2], x[1]["transcript_id"], x[2]))
    pending: list[_Pending] = []
    taken: list[tuple[str, int, int]] = []
    for score, row, start, end, text in scored:
        align = fuzz.partial_ratio_alignment(q, fold_words(text))
        if align is not None and len(text) >= len(q):
            s, e = _snap(text, align.dest_start, align.dest_end)
        else:
            s, e = _snap(text, 0, len(text))
        s, e = start + s, start + e
        if any(t == row["transcript_id"] and s < te and e > ts for t, ts, te in taken):
            continue
        taken.append((row["transcript_id"], s, e))
        if end > row["end"]:  # a pair of sentences: its white space as the transcript has it
            text = _exact_text(db, row["transcript_id"], start, end)
        pending.append(_Pending(row, [(s, e)], score, (s, e), text))
        if len(pending) >= limit:
            break
    return _hits(db, pending)


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    mode: str = "word",
    code: str | None = None,
    respondent: str | None = None,
    limit: int = 50,
    respondents_only: bool = False,
    offset: int = 0,
) -> list[Hit]:
    """Search the project's sentences: the respondents' hits first, best first; then the
    interviewers' (none with ``respondents_only``); ``limit`` hits from ``offset`` on (the
    next page). See the module docstring."""
    if mode not in MODES:
        raise WorkbenchError(f"unknown search mode '{mode}' (use one of: {', '.join(MODES)})")
    if not query or not query.strip():
        raise WorkbenchError("the search is empty")
    if limit < 1:
        raise WorkbenchError("the limit must be at least 1")
    if offset < 0:
        raise WorkbenchError("the offset cannot be negative")
    extra, args = _filters(db, code, respondent, respondents_only)
    upto = limit + offset
    if mode == "fuzzy":
        return _search_fuzzy(db, query, extra=extra, args=args, limit=upto)[offset:]
    if mode == "lemma":
        return _search_lemmas(db, query, extra=extra, args=args, limit=upto)[offset:]
    return _search_words(db, query, phrase=mode == "phrase", extra=extra, args=args, limit=upto)[offset:]


def kwic(
    db: sqlite_utils.Database, lemma: str, width: int = 40, *, limit: int | None = None,
    respondents_only: bool = False, offset: int = 0,
) -> list[dict[str, Any]]:
    """Every occurrence of ``lemma`` (any form of the word) with ``width`` characters of
    context each side and the codes on the occurrence, in transcript order, the respondents'
    first. Each carries its ``speaker`` and the speaker's ``label``; the context stays inside
    the speaker's turn and shows :data:`TURN_MARK` where the turn begins or ends.
    :func:`iter_kwic` gives them one at a time."""
    return list(iter_kwic(db, lemma, width, limit=limit, respondents_only=respondents_only, offset=offset))


def iter_kwic(
    db: sqlite_utils.Database, lemma: str, width: int = 40, *, limit: int | None = None,
    respondents_only: bool = False, offset: int = 0,
) -> Iterator[dict[str, Any]]:
    """The occurrences of :func:`kwic` from ``offset`` on, at most ``limit``, read as they
    are written out (a transcript's text at a time): a word in every sentence of a thousand
    interviews is never held at once. Bad arguments fail at once."""
    terms = lemma_terms(db, lemma)
    if not terms:
        raise WorkbenchError("give a word to list in context")
    if width < 0:
        raise WorkbenchError("the context width cannot be negative")
    if offset < 0 or (limit is not None and limit < 0):
        raise WorkbenchError("--offset and --limit cannot be negative")
    return _kwic_rows(db, terms, width, limit, respondents_only, offset)


def _kwic_rows(db: sqlite_utils.Database, terms: list[set[str]], width: int, limit: int | None,
               respondents_only: bool, offset: int) -> Iterator[dict[str, Any]]:
    patterns = _lemma_patterns(db, terms)
    extra = " and not " + _INTERVIEWER_LAST if respondents_only else ""
    rows = db.query(  # the text of each row is cut from its transcript's, read once
        f"select {_BARE_COLUMNS} from sentences_fts join sentences s on s.rowid = sentences_fts.rowid "
        f"join transcripts t on t.id = s.transcript_id {_TURN_JOIN}"
        f"where sentences_fts match ?{extra} order by {_INTERVIEWER_LAST}, s.transcript_id, s.idx",
        [_lemma_match_expr(terms)],
    )
    text_of: tuple[str, str] = ("", "")
    to_skip, left = offset, limit
    batch: list[dict[str, Any]] = []
    for row in rows:
        tid = row["transcript_id"]
        if text_of[0] != tid:
            text_of = (tid, db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0])
        row["text"] = text_of[1][row["start"] : row["end"]]
        if not _has_lemmas(row, terms):
            continue
        matches, _span = _combine(_lemma_spans(row, patterns))
        spans = matches or [(row["start"], row["end"])]
        if to_skip >= len(spans):
            to_skip -= len(spans)
            continue
        spans, to_skip = spans[to_skip:], 0
        for s, e in spans:
            batch.append(_kwic_line(row, text_of[1], s, e, width))
            if left is not None:
                left -= 1
                if left == 0:
                    break
        if len(batch) >= 200 or left == 0:
            yield from _with_codes(db, batch)
            batch = []
            if left == 0:
                return
    yield from _with_codes(db, batch)


def _kwic_line(row: dict[str, Any], text: str, s: int, e: int, width: int) -> dict[str, Any]:
    lo = row["turn_start"] if row["turn_start"] is not None else 0
    hi = row["turn_end"] if row["turn_end"] is not None else len(text)
    left = text[max(lo, s - width):s]
    right = text[e:min(hi, e + width)]
    if s - width < lo and lo > 0:  # the turn starts inside the context: show where
        left = TURN_MARK + left.lstrip()
    if e + width > hi and hi < len(text):
        right = right.rstrip() + " " + TURN_MARK.strip()
    return {
        "transcript_id": row["transcript_id"],
        "label": speaker_label(row),
        "speaker": row["speaker"],
        "turn": row["turn_idx"],
        "respondent_label": row["label"],
        "sentence": row["idx"],
        "start": s,
        "end": e,
        "left": re.sub(r"\s+", " ", left),
        "match": text[s:e],
        "right": re.sub(r"\s+", " ", right),
        "codes": [],
    }


def _with_codes(db: sqlite_utils.Database, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for line, names in zip(lines, _codes_on_many(db, [(r["transcript_id"], r["start"], r["end"]) for r in lines]),
                           strict=True):
        line["codes"] = names
    return lines
