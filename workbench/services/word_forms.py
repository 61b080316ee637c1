"""The project's word forms and their lemmas: lemma search without loading spaCy.

Every import and re-processing stores each word form it met (as the pipeline split and wrote
it: ``geronseld``, ``Ronselen``) with each word of its lemma as FTS sees it (folded:
``ronselen``) in ``lemma_forms``. A lemma query is then lemmatised by looking its words up
there (:func:`query_terms`), and for a word the transcripts never had, in spaCy's Dutch lookup
table read directly (:mod:`workbench.nlp.lemma_table`), which is how the rule-based pipeline
lemmatises. The words of a hit whose lemma matches are found back in the sentence from the
forms of that lemma (:func:`matched_spans`), again without the tokenizer.

With a trained model (context-dependent lemmas) a form keeps every lemma it had in the
transcripts, so a query word stands for all of them.

Projects made before this table have ``meta`` ``lemma_forms_due``: :func:`ensure_forms` fills
the table once from the stored sentences on the first lemma search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import sqlite_utils

from workbench.nlp.normalize import WORD_RE, fold
from workbench.store.schema import LEMMA_FORMS_DUE

_ALNUM = r"[^\W_]"


def _rows(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """``(word, form)`` rows for ``(form, lemma)`` pairs: one per word of the folded lemma."""
    return {(word, form) for form, lemma in pairs for word in WORD_RE.findall(fold(lemma))}


def record(db: sqlite_utils.Database, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Remember ``(form, lemma)`` pairs (inside the caller's transaction); returns the
    ``(word, form)`` rows that were new (an undoable import records them)."""
    added = []
    cursor = db.conn.cursor()
    for row in sorted(_rows(pairs)):
        cursor.execute("insert or ignore into lemma_forms (word, form) values (?, ?)", row)
        if cursor.rowcount:
            added.append(row)
    return added


def replace_all(db: sqlite_utils.Database, pairs: Iterable[tuple[str, str]]) -> None:
    """Forget every stored form and keep these (re-processing with another pipeline)."""
    db.execute("delete from lemma_forms")
    record(db, pairs)
    db.execute("delete from meta where key = ?", [LEMMA_FORMS_DUE])


def is_due(db: sqlite_utils.Database) -> bool:
    """Whether the forms of some transcripts are missing (a project older than the table)."""
    return db.execute("select 1 from meta where key = ?", [LEMMA_FORMS_DUE]).fetchone() is not None


def ensure_forms(db: sqlite_utils.Database, progress: Callable[[int, int, str], None] | None = None) -> bool:
    """Fill ``lemma_forms`` from the stored sentences when it is due; True when it was.

    Each word of a sentence is paired with its lemma word (decoded from the stored lemmas:
    :func:`workbench.store.lemma_edits.word_lemmas`); a word whose lemma the pipeline joined
    with another's or split gives none. No spaCy is loaded."""
    if not is_due(db):
        return False
    from workbench.store.lemma_edits import word_lemmas

    total = db.execute("select count(*) from sentences").fetchone()[0]
    pairs: set[tuple[str, str]] = set()
    n = 0
    for (tid,) in db.execute("select id from transcripts").fetchall():
        text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
        for start, end, lemmas, edits in db.execute(
                "select start, [end], lemmas, lemma_edits from sentences where transcript_id = ?", [tid]):
            if progress and n % 5000 == 0:
                progress(n, total, "collecting word forms for lemma search")
            pairs.update(word_lemmas(text[start:end], lemmas or "", edits or ""))
            n += 1
    with db.atomic():
        record(db, pairs)
        db.execute("delete from meta where key = ?", [LEMMA_FORMS_DUE])
    if progress:
        progress(total, total, "done")
    return True


def query_terms(db: sqlite_utils.Database, query: str) -> list[set[str]]:
    """For each word of the query: the word itself and the words of its lemma, folded as FTS
    sees them. A word is looked up as written, then in lower case among the project's forms;
    a word the transcripts never had is lemmatised with spaCy's lookup table."""
    from workbench.nlp.lemma_table import lemmas

    words = WORD_RE.findall(query)
    known: dict[str, set[str]] = {}
    candidates = sorted({w for word in words for w in (word, word.lower())})
    for first in range(0, len(candidates), 500):
        chunk = candidates[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        for form, word in db.execute(f"select form, word from lemma_forms where form in ({marks})", chunk):
            known.setdefault(form, set()).add(word)
    unseen = [w for w in words if w not in known and w.lower() not in known]
    looked_up = lemmas(unseen) if unseen else {}
    terms: list[set[str]] = []
    for word in words:
        options = {fold(word)}
        parts = known.get(word) or known.get(word.lower())
        if parts is None:
            parts = set(WORD_RE.findall(fold(looked_up[word])))
        options.update(parts)
        terms.append(options)
    return terms


def forms_of(db: sqlite_utils.Database, options: set[str]) -> set[str]:
    """Every stored form whose lemma has one of ``options`` among its words."""
    found: set[str] = set()
    ordered = sorted(options)
    for first in range(0, len(ordered), 500):
        chunk = ordered[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(r[0] for r in db.execute(f"select form from lemma_forms where word in ({marks})", chunk))
    return found


def form_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding any of ``forms`` as a whole word (a form that begins or ends with a
    letter or digit is not taken from inside a longer run of them), case as written, the
    longest form first."""
    parts = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        if not form:
            continue
        before = rf"(?<!{_ALNUM})" if re.match(_ALNUM, form[0]) else ""
        after = rf"(?!{_ALNUM})" if re.match(_ALNUM, form[-1]) else ""
        parts.append(before + re.escape(form) + after)
    return re.compile("|".join(parts)) if parts else None


def matched_spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where the pattern's forms stand in ``text``, without overlaps."""
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
