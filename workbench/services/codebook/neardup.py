"""Near-duplicate code and theme names, so that a codebook does not grow two codes for one idea.

Names are normalised before they are compared: lower case, accents and punctuation removed, and
Dutch plural and diminutive endings stripped from each word (``scholen``/``school``,
``meisjes``/``meisje``/``meisjetje``, ``auto's``/``auto``). Doubled vowels and a doubled final
consonant are collapsed so that open and closed syllable spellings meet (``school`` and
``scholen`` both become ``schol``). The normalised names are then scored with rapidfuzz's
``token_sort_ratio`` (word order does not matter); 100 means the same after normalising.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sqlite_utils

DEFAULT_THRESHOLD = 85.0
PLURALS = ("'s", "en", "s")
# "-etje" is covered by "-tje" followed by the final "-e".
DIMINUTIVES = ("tje", "je")
MIN_STEM = 3
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w']+")
_DOUBLE_VOWEL = re.compile(r"(aa|ee|oo|uu)")
_DOUBLE_FINAL_CONSONANT = re.compile(r"([bcdfghjklmnpqrstvwxz])\1$")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strip(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def stem_word(word: str) -> str:
    """Strip a Dutch plural ending, then diminutive endings (at most two: ``-tje``/``-je``,
    so ``meisjetje`` meets ``meisje``), then a final ``-e``; then even out vowel spelling."""
    word = _strip(word, PLURALS)
    for _ in range(2):
        shorter = _strip(word, DIMINUTIVES)
        if shorter == word:
            break
        word = shorter
    word = _strip(word, ("e",)).replace("'", "")
    if len(word) > MIN_STEM:
        word = _DOUBLE_VOWEL.sub(lambda m: m.group(1)[0], word)
        word = _DOUBLE_FINAL_CONSONANT.sub(r"\1", word)
    return word


def normalise_name(name: str) -> str:
    """The comparable form of a code name: ``'Ronselen op Scholen!'`` -> ``'ronsel op schol'``."""
    text = _strip_accents(name.translate(_APOSTROPHES)).lower()
    words = [w.strip("'_") for w in _NON_WORD.split(text)]
    return " ".join(stem_word(w) for w in words if w)


def score(a: str, b: str) -> float:
    """Similarity (0–100) of two names after normalising."""
    from rapidfuzz import fuzz

    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    return float(fuzz.token_sort_ratio(na, nb, processor=None))


def similar(
    db: sqlite_utils.Database,
    name: str,
    kind: str = "code",
    exclude_id: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[tuple[dict[str, Any], float]]:
    """Codes (or themes) whose names are close to ``name``, best first, with their scores."""
    from rapidfuzz import fuzz, process

    rows = [
        r for r in db.query("select id, kind, name, parent_id from codes where kind = ?", [kind])
        if r["id"] != exclude_id
    ]
    query = normalise_name(name)
    if not rows or not query:
        return []
    choices = [normalise_name(r["name"]) for r in rows]
    hits = process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, processor=None,
        score_cutoff=threshold, limit=None,
    )
    out = [(rows[idx], float(sc)) for _choice, sc, idx in hits]
    out.sort(key=lambda pair: (-pair[1], pair[0]["name"].lower()))
    return out


def close_pairs(
    db: sqlite_utils.Database, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[dict[str, Any], dict[str, Any], float]]:
    """Every pair of codes (and every pair of themes) with close names, closest first."""
    from rapidfuzz import fuzz, process

    pairs: list[tuple[dict[str, Any], dict[str, Any], float]] = []
    for kind in ("code", "theme"):
        rows = list(db.query(
            "select id, kind, name, parent_id from codes where kind = ? order by position, name",
            [kind],
        ))
        if len(rows) < 2:
            continue
        names = [normalise_name(r["name"]) for r in rows]
        matrix = process.cdist(
            names, names, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=threshold,
        )
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                if names[i] and names[j] and matrix[i][j] >= threshold:
                    pairs.append((rows[i], rows[j], float(matrix[i][j])))
    pairs.sort(key=lambda p: (-p[2], p[0]["name"].lower(), p[1]["name"].lower()))
    return pairs


def warnings_for(
    db: sqlite_utils.Database, name: str, kind: str = "code", exclude_id: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[str]:
    """Readable warnings naming the existing codes close to ``name``."""
    return [
        f"'{name}' is close to the existing {row['kind']} '{row['name']}' ({row['id']}, "
        f"score {sc:.0f}); merge them if they mean the same"
        for row, sc in similar(db, name, kind, exclude_id=exclude_id, threshold=threshold)
    ]
