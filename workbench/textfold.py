"""Length-preserving text folding for matching Dutch words as SQLite FTS5 does.

:func:`fold` lower-cases and strips diacritics (``één`` → ``een``, ``Café`` → ``cafe``) one
character for one character, so an index into the folded text is an index into the original:
matches found on folded text are reported with the original offsets. :func:`fold_words` also
turns every character that is not a letter or digit into a space (for fuzzy matching).
Pure Python, cheap to import.
"""

from __future__ import annotations

import re
import unicodedata

# Words as FTS5's unicode61 tokenizer sees them: runs of letters and digits.
WORD_RE = re.compile(r"[^\W_]+")


class _FoldTable(dict):
    """A ``str.translate`` table that works out each character's folded form on first use."""

    def __init__(self, *, words_only: bool) -> None:
        super().__init__()
        self.words_only = words_only

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        low = base.lower()
        out = low if len(low) == 1 else base
        if self.words_only and not out.isalnum():
            out = " "
        self[code] = out
        return out


_FOLD = _FoldTable(words_only=False)
_FOLD_WORDS = _FoldTable(words_only=True)


def fold(text: str) -> str:
    """Lower-case, strip diacritics; the result has exactly the length of ``text``."""
    if text.isascii():  # the same, without a table look-up per character
        return text.lower()
    return text.translate(_FOLD)


def fold_words(text: str) -> str:
    """Like :func:`fold`, and every character that is not a letter or digit becomes a space."""
    return text.translate(_FOLD_WORDS)


def words(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` for each word of ``text``."""
    folded = fold(text)
    return [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(folded)]
