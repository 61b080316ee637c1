"""The verbatim check: is a quote's display text faithful to the respondent's words?

An author may shorten an extract and clarify it, following the house style of Dutch reports:

- ``[…]`` or ``(…)`` (also ``[...]`` and ``(...)``) marks omitted words;
- words in square brackets are the author's own (``een opstapeling van [signalen]``); a
  bracketed insertion may stand in for up to :data:`MAX_REPLACED` source words (``[de jongen]``
  for ``hij``), and a bracket glued to a word marks a changed letter (``[D]ie``, ``jongen[s]``).

Every other word must stand in the source, in the same order, with the same spelling and case.
Between two quoted words with no marker in between, no source word may be left out (except
hesitation fillers such as *eh* and *ehm*, see :data:`FILLERS`). Between two quoted words that
follow each other in the source the punctuation must be the respondent's (a doubled comma, a
dropped or added full stop is a change); a closing ``.``/``?``/``!`` must stand in the source
too. Whitespace, the kind of quote mark or dash, and the author's surrounding quote marks are
not compared. :func:`check` returns where each quoted word
stands in the source, or raises :class:`VerbatimError` naming the first offending word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import WorkbenchError

# Hesitations a transcript writes down and a report silently drops.
FILLERS = frozenset({"eh", "ehm", "euh", "uh", "uhm", "um", "hm", "hmm", "ehh", "ehhm", "uhh"})
# How many source words one bracketed insertion may replace.
MAX_REPLACED = 4

_GLUE = "\ue000"  # a bracketed part glued to a word: "[D]ie"
_INSERT = "\ue001"  # a free bracketed insertion: "[signalen]"
_ELIDE = "\ue002"  # an omission: "[…]", "(…)"

ELISION_RE = re.compile(r"[\[(]\s*(?:…|\.\s*\.\s*\.)\s*[\])]")
BRACKET_RE = re.compile(r"\[[^\[\]]*\]")
SOURCE_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
DISPLAY_TOKEN_RE = re.compile(
    rf"[\w{_GLUE}]+(?:[-'’][\w{_GLUE}]+)*|{_INSERT}|{_ELIDE}"
)


class VerbatimError(WorkbenchError):
    """The display text changes the respondent's words; ``word`` is the first offending one.

    ``kind`` says what is wrong: ``absent`` (the word is not in the allowed source words),
    ``order`` (reordered), ``spelling`` (another case or spelling), ``gap`` (words left out
    without a mark), ``punctuation`` (a mark added, dropped or changed between quoted words)
    or ``empty`` (no source words at all)."""

    def __init__(self, message: str, *, word: str = "", index: int = -1, kind: str = ""):
        self.word = word
        self.index = index
        self.kind = kind
        super().__init__(message)


@dataclass(frozen=True)
class SourceWord:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "insert", "elide"
    text: str  # as the author wrote it (for messages)
    pattern: re.Pattern[str] | None = None  # for words with a glued bracket
    before: str = ""  # the punctuation (and spaces) between the previous token and this one


@dataclass
class Alignment:
    """Where the quoted words stand: one source word index and character span per word."""

    word_indices: list[int]
    spans: list[tuple[int, int]]

    def merged_spans(self, source_words: Sequence[SourceWord]) -> list[tuple[int, int]]:
        """The shown source text as maximal runs of consecutive source words."""
        runs: list[tuple[int, int]] = []
        prev = None
        for i in self.word_indices:
            w = source_words[i]
            if runs and prev is not None and i == prev + 1:
                runs[-1] = (runs[-1][0], w.end)
            else:
                runs.append((w.start, w.end))
            prev = i
        return runs


def _norm(word: str) -> str:
    return word.replace("’", "'")


def source_words(text: str) -> list[SourceWord]:
    return [SourceWord(_norm(m.group()), m.start(), m.end()) for m in SOURCE_WORD_RE.finditer(text)]


def tokenize_display(display: str) -> list[Token]:
    """Split a display text into words, insertions and omissions (punctuation dropped; each
    token keeps the punctuation before it in ``before``)."""
    return tokenize_with_tail(display)[0]


def tokenize_with_tail(display: str) -> tuple[list[Token], str]:
    """The tokens of a display text and what follows the last one (its closing punctuation)."""
    glued: list[str] = []
    free: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        text = m.string
        s, e = m.start(), m.end()
        before = text[s - 1] if s else " "
        after = text[e] if e < len(text) else " "
        inner = m.group()[1:-1]
        if (before.isalnum() or after.isalnum()) and inner and not any(c.isspace() for c in inner):
            glued.append(m.group())
            return _GLUE
        free.append(m.group())
        return f" {_INSERT} "

    marked = ELISION_RE.sub(f" {_ELIDE} ", display)
    marked = BRACKET_RE.sub(bracket, marked)
    free_inserts = free
    tokens: list[Token] = []
    g = i = 0
    prev_end = 0
    for m in DISPLAY_TOKEN_RE.finditer(marked):
        before = marked[prev_end:m.start()]
        prev_end = m.end()
        t = m.group()
        if t == _ELIDE:
            tokens.append(Token("elide", "[…]"))
        elif t == _INSERT:
            tokens.append(Token("insert", free_inserts[i] if i < len(free_inserts) else "[…]"))
            i += 1
        elif _GLUE in t:
            parts = t.split(_GLUE)
            shown = ""
            regex = ""
            for n, part in enumerate(parts):
                shown += part
                regex += re.escape(_norm(part))
                if n < len(parts) - 1:
                    shown += glued[g] if g < len(glued) else "[]"
                    regex += r"[\w'-]*"
                    g += 1
            tokens.append(Token("word", shown, re.compile(regex), before))
        else:
            tokens.append(Token("word", _norm(t), None, before))
    return tokens, marked[prev_end:]


def _matches(token: Token, word: str) -> bool:
    if token.pattern is not None:
        return token.pattern.fullmatch(word) is not None
    return token.text == word


def _segments(tokens: list[Token]) -> list[list[Token]]:
    segs: list[list[Token]] = [[]]
    for t in tokens:
        if t.kind == "elide":
            segs.append([])
        else:
            segs[-1].append(t)
    return [s for s in segs if s]


def _match_at(
    seg: list[Token], words: Sequence[SourceWord], allowed: Sequence[bool], start: int
) -> tuple[list[int], int] | None:
    """Match ``seg`` contiguously from source word ``start``; return the word indices used and
    the index after the match, or None. Fillers may be skipped; insertions replace 0..N words."""
    n = len(words)

    def rec(k: int, i: int, used: list[int], first: bool) -> tuple[list[int], int] | None:
        if k == len(seg):
            return used, i
        tok = seg[k]
        if tok.kind == "insert":
            for skip in range(0, MAX_REPLACED + 1):
                if i + skip > n:
                    break
                found = rec(k + 1, i + skip, used, False)
                if found is not None:
                    return found
            return None
        j = i
        if not first:
            while j < n and words[j].text.lower() in FILLERS and not _matches(tok, words[j].text):
                j += 1
        if j < n and allowed[j] and _matches(tok, words[j].text):
            return rec(k + 1, j + 1, [*used, j], False)
        return None

    return rec(0, start, [], True)


def _prefix_len(seg: list[Token], words: Sequence[SourceWord], allowed: Sequence[bool], start: int) -> int:
    """How many of the segment's tokens match contiguously from ``start`` (for messages)."""
    best = 0
    for k in range(len(seg), 0, -1):
        if _match_at(seg[:k], words, allowed, start) is not None:
            best = k
            break
    return best


def _loose_problem(tokens: list[Token], words: Sequence[SourceWord], allowed: Sequence[bool]) -> VerbatimError | None:
    """The first quoted word that does not stand in the source in order (ignoring gaps)."""
    i = 0
    prev = ""
    for n, tok in enumerate(t for t in tokens if t.kind == "word"):
        j = i
        while j < len(words) and not (allowed[j] and _matches(tok, words[j].text)):
            j += 1
        if j < len(words):
            i = j + 1
            prev = tok.text
            continue
        anywhere = [w for w, ok in zip(words, allowed, strict=True) if ok and _matches(tok, w.text)]
        if anywhere:
            where = f" after '{prev}'" if prev else ""
            msg = (f"the word '{tok.text}' (word {n + 1} of the quote) stands in the source, but not "
                   f"in this order{where}: the respondent's words may not be reordered")
            kind = "order"
        else:
            same_ci = [w.text for w, ok in zip(words, allowed, strict=True) if ok and w.text.lower() == tok.text.lower()]
            if same_ci:
                msg = (f"the word '{tok.text}' (word {n + 1} of the quote) is written '{same_ci[0]}' in "
                       f"the source: keep the respondent's spelling, or mark a changed letter in "
                       f"brackets, e.g. '[{tok.text[:1]}]{tok.text[1:]}'")
                kind = "spelling"
            else:
                msg = (f"the word '{tok.text}' (word {n + 1} of the quote) is not in the respondent's "
                       "words: put words of your own in [square brackets]")
                kind = "absent"
        return VerbatimError(msg, word=tok.text, index=n, kind=kind)
    return None


def check(
    source_text: str, display_text: str, *, allowed_spans: Sequence[tuple[int, int]] | None = None
) -> Alignment:
    """Verify ``display_text`` against ``source_text``; return where its words stand.

    ``allowed_spans`` (character spans of ``source_text``) restrict which source words may be
    quoted (a quote joining two codings may use only their words); words outside them can only
    be skipped with ``[…]``. Raises :class:`VerbatimError` naming the first offending word.
    """
    words = source_words(source_text)
    if allowed_spans is None:
        allowed = [True] * len(words)
    else:
        allowed = [any(s <= w.start and w.end <= e for s, e in allowed_spans) for w in words]
    tokens, tail = tokenize_with_tail(display_text)
    if not any(t.kind == "word" for t in tokens):
        raise VerbatimError("the quote holds none of the respondent's words", kind="empty")
    problem = _loose_problem(tokens, words, allowed)
    if problem is not None:
        raise problem
    indices: list[int] = []
    pos = 0
    word_no = 0
    for seg in _segments(tokens):
        found = None
        for start in range(pos, len(words)):
            found = _match_at(seg, words, allowed, start)
            if found is not None:
                break
        if found is None:
            # Find where the segment breaks off: the longest matching prefix from any start.
            best_k = 0
            for start in range(pos, len(words)):
                k = _prefix_len(seg, words, allowed, start)
                if k > best_k:
                    best_k = k
            seg_words = [t for t in seg[best_k:] if t.kind == "word"]
            bad = seg_words[0] if seg_words else seg[min(best_k, len(seg) - 1)]
            before = [t.text for t in seg[:best_k] if t.kind == "word"]
            after = f" after '{before[-1]}'" if before else ""
            raise VerbatimError(
                f"words of the respondent are left out before '{bad.text}'{after} without a "
                "mark: show the omission with […] (or keep the words)",
                word=bad.text,
                index=word_no + len(before),
                kind="gap",
            )
        used, pos = found
        indices.extend(used)
        word_no += sum(1 for t in seg if t.kind == "word")
    wrong = _punctuation_problem(source_text, words, tokens, tail, indices)
    if wrong is not None:
        raise wrong
    return Alignment(indices, [(words[i].start, words[i].end) for i in indices])


# Punctuation is compared with spacing dropped and quote marks, dashes and dots evened out (the
# house style turns inner quotes into ‘…’; an apostrophe may be straight or curly).
_PUNCT_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": '"', "’": '"', "‚": '"',
                             "'": '"', "«": '"', "»": '"', "–": "-", "—": "-", "‐": "-"})
_TERMINAL = ".?!…,;:"


def _fold_punct(text: str) -> str:
    return "".join(text.split()).replace("...", "…").translate(_PUNCT_FOLD)


def _say(punct: str) -> str:
    names = {".": "full stop", ",": "comma", "?": "question mark", "!": "exclamation mark",
             ";": "semicolon", ":": "colon", "…": "ellipsis"}
    return names.get(punct, f"'{punct}'")


def _punctuation_problem(
    source_text: str, words: Sequence[SourceWord], tokens: list[Token], tail: str, indices: list[int]
) -> VerbatimError | None:
    """The first place where the quote's punctuation differs from the respondent's: between two
    quoted words that follow each other in the source (not where hesitations were left out or
    an insertion or omission stands), and a closing mark the source does not have there."""
    n = -1
    prev: Token | None = None
    for tok in tokens:
        if tok.kind != "word":
            prev = None
            continue
        n += 1
        if prev is not None and indices[n] == indices[n - 1] + 1:
            a, b = words[indices[n - 1]], words[indices[n]]
            source_gap = source_text[a.end:b.start]
            if _fold_punct(source_gap) != _fold_punct(tok.before):
                shown_src = " ".join(source_gap.split()) or " "
                shown_quote = " ".join(tok.before.split()) or " "
                where = f"between '{prev.text}' and '{tok.text}' (words {n} and {n + 1} of the quote)"
                src, got = _fold_punct(source_gap), _fold_punct(tok.before)
                if not got:
                    what = f"leaves out the respondent's '{src}'"
                elif not src:
                    what = f"adds '{got}', which the respondent's words do not have"
                else:
                    what = f"has '{shown_quote.strip()}' where the respondent's words have '{shown_src.strip()}'"
                return VerbatimError(
                    f"the punctuation {where} is changed: the quote {what}; keep the respondent's "
                    "punctuation (or mark an omission with […])",
                    word=tok.text, index=n, kind="punctuation")
        prev = tok
    if prev is not None and indices:
        closing = "".join(c for c in _fold_punct(tail) if c in _TERMINAL)
        if closing:
            last = words[indices[-1]]
            nxt = indices[-1] + 1
            after = source_text[last.end:words[nxt].start if nxt < len(words) else len(source_text)]
            have = "".join(c for c in _fold_punct(after) if c in _TERMINAL)
            if not have.startswith(closing):
                said = _say(closing) if len(closing) == 1 else f"'{closing}'"
                has = f" (the respondent's words have '{have}' there)" if have else ""
                return VerbatimError(
                    f"the quote ends with a {said} after '{prev.text}' that the respondent's words "
                    f"do not have{has}: keep the respondent's punctuation, or end on […]",
                    word=prev.text, index=n, kind="punctuation")
    return None


def problem(source_text: str, display_text: str, *,
            allowed_spans: Sequence[tuple[int, int]] | None = None) -> str | None:
    """The verbatim problem as a message, or None when the display text is faithful."""
    try:
        check(source_text, display_text, allowed_spans=allowed_spans)
    except VerbatimError as exc:
        return exc.message
    return None


def is_verbatim(source_text: str, display_text: str, *,
                allowed_spans: Sequence[tuple[int, int]] | None = None) -> bool:
    return problem(source_text, display_text, allowed_spans=allowed_spans) is None
