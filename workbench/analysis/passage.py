"""Finding the passage of a transcript that a report quote stands for.

A quote as a report prints it is read with the house-style rules of :mod:`verbatim`: ``[…]``,
``(…)``, ``[...]`` mark omitted words, ``[author words]`` stand in for up to
:data:`~workbench.analysis.verbatim.MAX_REPLACED` source words, ``[D]ie`` marks a changed
letter; curly and straight quote marks around the quote and a trailing respondent label
(``“…” (Jongerenwerker C)``) are dropped. The passage runs from the first to the last source word
the quote stands for, whatever lies between its fragments, and takes in the closing punctuation
the quote shows.

Words are compared ignoring case, diacritics and punctuation, and hesitation fillers (*eh*,
*ehm*) between quoted words are skipped. When some fragment is not in the text word for word, each
fragment is looked up fuzzily (rapidfuzz) and must reach :data:`MIN_SCORE`. A passage that would
run into an interviewer turn is refused unless the caller allows it; a quote that fits two places
equally well is refused (quote more words). Pure: takes the text and its turns, never a database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.analysis.verbatim import FILLERS, MAX_REPLACED, Token, tokenize_display
from workbench.errors import WorkbenchError
from workbench.nlp.normalize import fold

MIN_SCORE = 90.0  # a fuzzy match needs this similarity (percent) for every fragment
AMBIGUITY_MARGIN = 3.0  # two fuzzy places closer than this are "equally good"
_SETTLE = 3  # words tried either side of a fuzzy alignment's ends
CONTEXT = 30  # characters of context shown on each side of a found passage

_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "”", "”": "”", "'": "'", "‘": "’", "‚": "’", "«": "»", "»": "«"}
_LABEL_RE = re.compile(r"^(?P<quote>.*[\"”’'»«])\s*\((?P<label>[^()]{1,80})\)\s*[.,;:]?\s*$", re.S)
_CLOSING = ".?!…"
_CLOSING_MARKS = "\"”’')»"


class PassageError(WorkbenchError):
    """The quote could not be placed; ``kind`` says why: ``short``, ``absent``, ``weak``,
    ``ambiguous`` or ``interviewer`` (the only passage runs into interviewer text)."""

    def __init__(self, message: str, *, kind: str, turns: Sequence[int] = ()):
        self.kind = kind
        self.turns = list(turns)
        super().__init__(message)


@dataclass(frozen=True)
class TurnSpan:
    """One speaker turn of the text: its number, the speaker's role and its span."""

    idx: int
    role: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """Where a quote stands: the whole span, how it was found, the similarity in percent (100
    unless fuzzy) with the threshold it had to reach, the span of each quoted fragment, and the
    turns the passage covers (with those of the interviewer among them)."""

    start: int
    end: int
    how: str  # "exact" (the very text), "words" (word for word, house style honoured) or "fuzzy"
    score: float
    threshold: float = MIN_SCORE
    fragments: list[tuple[int, int]] = field(default_factory=list)
    turns: list[int] = field(default_factory=list)
    interviewer_turns: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Word:
    key: str
    start: int
    end: int


def percent(score: float) -> str:
    """A similarity as a whole percentage, rounded down, so a score below a threshold never
    reads as reaching it (89.6 → "89%")."""
    return f"{math.floor(score + 1e-9):.0f}%"


def _key(word: str) -> str:
    return fold(word.replace("’", "'"))


def words_of(text: str) -> list[_Word]:
    return [_Word(_key(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def strip_quote(quote: str) -> str:
    """The quote without a trailing respondent label and without its outer quote marks."""
    q = (quote or "").strip()
    m = _LABEL_RE.match(q)
    if m and not any(c.isdigit() for c in m.group("label")[:1]):
        q = m.group("quote").strip()
    if len(q) >= 2 and q[0] in _QUOTE_PAIRS and q[-1] in (_QUOTE_PAIRS[q[0]], q[0], "”", '"'):
        q = q[1:-1].strip()
    elif q[:1] in "“„" and "”" not in q:
        q = q[1:].strip()
    return q


# -- reading the quote ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """A quoted word (``key`` or, for a changed letter, ``pattern``) or an insertion."""

    kind: str  # "word" or "insert"
    key: str = ""
    pattern: re.Pattern[str] | None = None

    def matches(self, word: _Word) -> bool:
        if self.pattern is not None:
            return self.pattern.fullmatch(word.key) is not None
        return self.key == word.key


def _piece(token: Token) -> _Piece:
    if token.kind == "insert":
        return _Piece("insert")
    if token.pattern is not None:
        # "[D]ie" was compiled for the exact letters; compare keys (case and accents folded).
        parts = re.split(r"\[[^\]]*\]", token.text)
        regex = r"[\w'-]*".join(re.escape(_key(p)) for p in parts)
        return _Piece("word", _key("".join(parts)), re.compile(regex))
    return _Piece("word", _key(token.text))


def fragments_of(quote: str) -> list[list[_Piece]]:
    """The quote split at its omission marks into fragments of words and insertions."""
    frags: list[list[_Piece]] = [[]]
    for token in tokenize_display(quote):
        if token.kind == "elide":
            frags.append([])
        else:
            frags[-1].append(_piece(token))
    return [f for f in frags if any(p.kind == "word" for p in f)]


# -- exact (word for word) placement ------------------------------------------------------------


def _match_from(frag: list[_Piece], words: Sequence[_Word], i: int) -> int | None:
    """The index after ``frag`` matched word for word from source word ``i``, or None.
    Fillers between quoted words are skipped; an insertion stands for 0..MAX_REPLACED words."""
    n = len(words)

    def rec(k: int, j: int, first: bool) -> int | None:
        if k == len(frag):
            return j
        piece = frag[k]
        if piece.kind == "insert":
            for skip in range(MAX_REPLACED + 1):
                if j + skip > n:
                    break
                found = rec(k + 1, j + skip, False)
                if found is not None:
                    return found
            return None
        if not first:
            while j < n and words[j].key in FILLERS and not piece.matches(words[j]):
                j += 1
        if j < n and piece.matches(words[j]):
            return rec(k + 1, j + 1, False)
        return None

    return rec(0, i, True)


def _occurrences(
    frag: list[_Piece], words: Sequence[_Word], lo: int = 0, hi: int | None = None, *,
    first_only: bool = False,
) -> list[tuple[int, int]]:
    """Every place (first word, index after the last) where ``frag`` stands word for word,
    starting from source word ``lo`` and ending by ``hi``; with ``first_only`` just the first."""
    lead = 0
    while frag[lead].kind == "insert":
        lead += 1
    core = frag[lead:]
    first = core[0]
    found = []
    for i in range(lo, len(words) if hi is None else hi):
        if first.pattern is None and words[i].key != first.key:
            continue
        end = _match_from(core, words, i)
        if end is not None and (hi is None or end <= hi):
            found.append((i, end))
            if first_only:
                break
    return found


# -- fuzzy placement ------------------------------------------------------------------------------


def _fuzzy_place(
    frag: list[_Piece], words: Sequence[_Word], lo: int, hi: int
) -> tuple[int, int, float, tuple[int, int, float] | None] | None:
    """The best fuzzy place of ``frag`` among source words ``lo..hi``: (first word, index after
    the last, score, a rival place about as good or None)."""
    needle = " ".join(p.key for p in frag if p.kind == "word")
    best = _align(needle, words, lo, hi)
    if best is None:
        return None
    a, b, score = best
    n_words = len(needle.split())
    rival = None
    for r_lo, r_hi in ((lo, a), (b, hi)):
        if r_hi - r_lo >= n_words:
            other = _align(needle, words, r_lo, r_hi)
            if other is not None and other[2] >= max(MIN_SCORE, score - AMBIGUITY_MARGIN):
                rival = other
                break
    if rival is not None and rival[2] > score:
        (a, b, score), rival = rival, (a, b, score)
    return a, b, score, rival


def _align(needle: str, words: Sequence[_Word], lo: int, hi: int) -> tuple[int, int, float] | None:
    """Align ``needle`` (word keys joined by spaces) with source words ``lo..hi``: rapidfuzz's
    best partial alignment, then settled on whole words by the best plain ratio."""
    from rapidfuzz import fuzz

    if not needle or hi <= lo:
        return None
    keys = [w.key for w in words[lo:hi]]
    hay = " ".join(keys)
    if len(needle) > len(hay):
        return None
    # A quote most of whose letters belong to words the text does not have cannot reach the
    # threshold; say so at once (an alignment with nothing in common is slow on long texts).
    vocabulary = set(keys)
    known = sum(len(w) for w in needle.split() if w in vocabulary)
    if len(needle) > 300 and known < 0.5 * len(needle.replace(" ", "")):
        return None
    found = fuzz.partial_ratio_alignment(needle, hay, processor=None)
    if found is None or found.dest_end <= found.dest_start:
        return None
    owner: list[int] = []  # the word index of each character of hay
    for n, k in enumerate(keys):
        owner.extend([lo + n] * (len(k) + 1))
    first = owner[found.dest_start] + (1 if hay[found.dest_start] == " " else 0)
    last = owner[max(found.dest_start, found.dest_end - 1)]
    # The alignment's window is as long as the quote, so a word left out or added shifts it;
    # try a few words more or less at each end.
    n_words = len(needle.split())
    score, a, b = -1.0, first, last + 1
    for s in range(first - _SETTLE, first + _SETTLE + 1):
        for e in range(last + 1 - _SETTLE, last + 2 + _SETTLE):
            if lo <= s < e <= hi:
                r = fuzz.ratio(needle, " ".join(keys[s - lo:e - lo]), processor=None)
                # Prefer the span with the quote's own number of words when scores tie.
                if r > score or (r == score and abs((e - s) - n_words) < abs((b - a) - n_words)):
                    score, a, b = r, s, e
    return a, b, float(score)


# -- the passage ----------------------------------------------------------------------------------


def _interviewer_in(turns: Sequence[TurnSpan], start: int, end: int) -> list[int]:
    return [t.idx for t in turns if t.role == "interviewer" and t.start < end and t.end > start]


def _turns_in(turns: Sequence[TurnSpan], start: int, end: int) -> list[int]:
    return [t.idx for t in turns if t.start < end and t.end > start]


def _sentence_break(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return "\n" in gap or any(c in gap for c in ".?!")


def _widen_for_insertions(
    text: str, words: Sequence[_Word], frags: list[list[_Piece]], first: int, after: int
) -> tuple[int, int]:
    """An insertion at the very start (or end) stands for source words before (after) the quoted
    ones: take them in up to the sentence boundary when that is at most MAX_REPLACED words away."""
    if frags[0][0].kind == "insert":
        i = first
        while i > 0 and first - i < MAX_REPLACED and not _sentence_break(text, words[i - 1].end, words[i].start):
            i -= 1
        if i == 0 or _sentence_break(text, words[i - 1].end, words[i].start):
            while i < first and words[i].key in FILLERS:  # "Eh, ze …": not the hesitation
                i += 1
            first = i
    if frags[-1][-1].kind == "insert":
        j = after
        while j < len(words) and j - after < MAX_REPLACED and not _sentence_break(text, words[j - 1].end, words[j].start):
            j += 1
        if j == len(words) or _sentence_break(text, words[j - 1].end, words[j].start):
            after = j
    return first, after


def _closing(text: str, quote: str, end: int) -> int:
    """Take in the closing punctuation right after the last word (``.``, ``?``, ``."``, ``!”``)
    when the quote ends with punctuation of its own."""
    tail = quote.rstrip()
    if not tail or tail[-1].isalnum() or tail[-1] == "]":
        return end
    j = end
    while j < len(text) and text[j] in _CLOSING + _CLOSING_MARKS:
        j += 1
    while j > end and text[j - 1] in _CLOSING_MARKS and not _opened(text, end, j - 1):
        j -= 1  # a quote mark that opens something after the passage stays out
    return j


def _opened(text: str, end: int, at: int) -> bool:
    """Whether the mark at ``at`` closes a quotation that opened before ``end`` (in the turn)."""
    mark = text[at]
    opening = {"”": "“„", "’": "‘", "»": "«", ")": "(", '"': '"', "'": "'"}[mark]
    line_start = text.rfind("\n", 0, end) + 1
    before = text[line_start:end]
    if mark in "\"'":
        return before.count(mark) % 2 == 1
    return sum(before.count(o) for o in opening) > before.count(mark)


def _where(text: str, start: int) -> str:
    return f"offset {start} (line {text.count(chr(10), 0, start) + 1})"


def show(text: str, start: int, end: int, *, context: int = CONTEXT, inner: int = 60) -> str:
    """A passage in one line with a little context: ``…before «passage» after…``; a long
    passage shows its first and last words with ``…`` between them."""
    def flat(s: str) -> str:
        return " ".join(s.split())

    body = flat(text[start:end])
    if len(body) > 2 * inner:
        body = f"{body[:inner].rstrip()} … {body[-inner:].lstrip()}"
    before = flat(text[max(0, start - context):start])
    after = flat(text[end:end + context])
    lead = "…" if start - context > 0 else ""
    trail = "…" if end + context < len(text) else ""
    sep = "" if after[:1] in (".", ",", ";", ":", "?", "!", "…", ")") else " "
    return f"{lead}{before} «{body}»{sep}{after}{trail}".strip()


def find_passage(
    text: str,
    quote: str,
    *,
    turns: Sequence[TurnSpan] = (),
    include_interviewer: bool = False,
    name: str = "the transcript",
    min_score: float = MIN_SCORE,
) -> Passage:
    """The passage of ``text`` that ``quote`` stands for (see the module docstring).

    Raises :class:`PassageError` when the quote is too short, absent, only weakly similar, fits
    two places about equally well, or would run into an interviewer turn (unless
    ``include_interviewer``)."""
    q = strip_quote(quote)
    frags = fragments_of(q)
    n_words = sum(1 for f in frags for p in f if p.kind == "word")
    if n_words == 0 or len(q) < 3:
        raise PassageError("the quote is too short to find: give at least a few words", kind="short")
    words = words_of(text)
    if not words:
        raise PassageError(f"{name} holds no words", kind="absent")

    if frags and len(frags) == 1 and all(p.kind == "word" for p in frags[0]):
        exact = [m.start() for m in re.finditer(re.escape(q), text)]
    else:
        exact = []

    how = "words"
    readings = [(a, b, 100.0) for a, b in _word_chains(frags, words)]
    if not readings:
        readings = _fuzzy_chains(text, frags, words, name, min_score)
        how = "fuzzy"
    scores: dict[tuple[int, int], float] = {}
    for first, after, s in readings:
        first, after = _widen_for_insertions(text, words, frags, first, after)
        span = (words[first].start, _closing(text, q, words[after - 1].end))
        scores[span] = max(s, scores.get(span, 0.0))
    spans = sorted(scores)
    if len(exact) == 1 and how == "words":
        e0, e1 = exact[0], exact[0] + len(q)
        if any(s <= e0 and e1 <= e for s, e in spans):
            spans = [(e0, e1)]
            scores[(e0, e1)] = 100.0
            how = "exact"
    start, end = _choose(text, spans, turns, include_interviewer, name)
    score = scores[(start, end)]
    fragments = _fragment_spans(frags, words, start, end) if how != "exact" else [(start, end)]
    return Passage(start, end, how, score, min_score, fragments, _turns_in(turns, start, end),
                   _interviewer_in(turns, start, end))


def _word_chains(frags: list[list[_Piece]], words: Sequence[_Word]) -> list[tuple[int, int]]:
    """Every tightest chain of word-for-word fragment places, in order: for each place of the
    first fragment, each later fragment at its first place after the one before. Chains that
    another chain lies inside are dropped (the tighter reading wins)."""
    firsts = _occurrences(frags[0], words)
    if not firsts:
        return []
    rest_places = [_occurrences(f, words) for f in frags[1:]]
    if any(not places for places in rest_places):
        return []
    chains = []
    for a, b in firsts:
        end = b
        ok = True
        for places in rest_places:
            nxt = next((p for p in places if p[0] >= end), None)
            if nxt is None:
                ok = False
                break
            end = nxt[1]
        if ok:
            chains.append((a, end))
    # Greedy chains from later starts never end earlier, so a chain holds another only when
    # both end alike: per end, the latest start is the tightest reading.
    latest: dict[int, int] = {}
    for a, end in chains:
        latest[end] = max(a, latest.get(end, a))
    return sorted((a, end) for end, a in latest.items())


def _fuzzy_chains(
    text: str, frags: list[list[_Piece]], words: Sequence[_Word], name: str, min_score: float
) -> list[tuple[int, int, float]]:
    """Fuzzy readings of the quote: each fragment in turn, word for word where it stands so,
    else fuzzily, after the one before. The first fragment starts every place it stands word for
    word (or its best fuzzy place, refused when a rival is about as good). Each reading's score
    is its weakest fragment's; readings below ``min_score`` are refused with the closest one."""
    starts = _occurrences(frags[0], words)
    if starts:
        first_places = [(a, b, 100.0) for a, b in starts]
    else:
        placed = _fuzzy_place(frags[0], words, 0, len(words))
        shown = " ".join(p.key for p in frags[0] if p.kind == "word")
        if placed is None:
            raise PassageError(f"the words “{_short(shown)}” are not in {name}", kind="absent")
        a, b, s, rival = placed
        _check_score(text, words, frags, 0, a, b, s, name, min_score)
        if rival is not None:
            ra = words[rival[0]].start
            raise PassageError(
                f"the quote matches two passages in {name} about equally well "
                f"({_where(text, words[a].start)}, {percent(s)}; {_where(text, ra)}, "
                f"{percent(rival[2])}); quote more words",
                kind="ambiguous",
            )
        first_places = [(a, b, s)]
    readings = []
    failure: PassageError | None = None
    for a, b, s in first_places:
        weakest = s
        lo = b
        try:
            for n, frag in enumerate(frags[1:], start=1):
                exact = _occurrences(frag, words, lo, first_only=True)
                if exact:
                    fa, fb = exact[0]
                else:
                    placed = _fuzzy_place(frag, words, lo, len(words))
                    if placed is None:
                        shown = " ".join(p.key for p in frag if p.kind == "word")
                        raise PassageError(f"the words “{_short(shown)}” are not in {name} after "
                                           "the quote's earlier words", kind="absent")
                    fa, fb, fs, _rival = placed
                    _check_score(text, words, frags, n, fa, fb, fs, name, min_score)
                    weakest = min(weakest, fs)
                lo = fb
        except PassageError as exc:
            failure = failure or exc
            continue
        readings.append((a, lo, weakest))
    if not readings:
        assert failure is not None
        raise failure
    best = max(r[2] for r in readings)
    return [r for r in readings if r[2] >= best - AMBIGUITY_MARGIN]


def _check_score(
    text: str, words: Sequence[_Word], frags: list[list[_Piece]], n: int, a: int, b: int,
    score: float, name: str, min_score: float,
) -> None:
    if score >= min_score:
        return
    shown = " ".join(p.key for p in frags[n] if p.kind == "word")
    near = show(text, words[a].start, words[b - 1].end)
    raise PassageError(
        f"the quote is not in {name}: the closest passage"
        + (f" to the words “{_short(shown)}”" if len(frags) > 1 else "")
        + f", at {_where(text, words[a].start)}, is only {percent(score)} similar "
        f"(a fuzzy match needs {percent(min_score)}): {near}",
        kind="weak",
    )


def _short(s: str, limit: int = 60) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _fragment_spans(frags: list[list[_Piece]], words: Sequence[_Word], start: int, end: int) -> list[tuple[int, int]]:
    """The span of each fragment inside the chosen passage (for highlighting)."""
    inside = [i for i, w in enumerate(words) if start <= w.start and w.end <= end]
    if not inside:
        return [(start, end)]
    lo = inside[0]
    hi = inside[-1] + 1
    out = []
    for frag in frags:
        places = _occurrences(frag, words, lo, hi, first_only=True)
        if not places:
            return [(start, end)]
        a, b = places[0]
        out.append((words[a].start, words[b - 1].end))
        lo = b
    return out


def _choose(
    text: str, spans: list[tuple[int, int]], turns: Sequence[TurnSpan], include_interviewer: bool, name: str
) -> tuple[int, int]:
    """One passage among the candidates: those clear of interviewer text first, then those
    within one turn; more than one left is an ambiguity."""
    clean = [s for s in spans if not _interviewer_in(turns, *s)]
    pool = clean
    if not clean:
        if not include_interviewer:
            s = spans[0]
            which = _interviewer_in(turns, *s)
            label = "turn" if len(which) == 1 else "turns"
            raise PassageError(
                f"the passage found in {name} at {_where(text, s[0])} runs into the interviewer's "
                f"{label} {', '.join(str(t) for t in which)}: {show(text, *s)}. Interviewer text is "
                "not quoted in a report; quote the respondent's words only, or allow interviewer "
                "text (--include-interviewer)",
                kind="interviewer",
                turns=which,
            )
        pool = spans
    if len(pool) > 1 and turns:
        single = [s for s in pool if len(_turns_in(turns, *s)) <= 1]
        if single:
            pool = single
    if len(pool) > 1:
        places = ", ".join(_where(text, s) for s, _ in pool[:5])
        raise PassageError(
            f"the quote occurs {len(pool)} times in {name} ({places}); quote more words",
            kind="ambiguous",
        )
    return pool[0]
