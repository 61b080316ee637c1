"""The verbatim check of quote display texts: legal elisions and insertions pass, changed,
added, reordered and silently dropped words are refused with the first offending word named."""

from __future__ import annotations

import pytest

from workbench.analysis.verbatim import VerbatimError, check, is_verbatim, tokenize_display

SOURCE = (
    "Ja, eh, ik ben jongerenwerker in Utrecht, ik doe dit nu een jaar of twaalf. Dure kleding, "
    "nieuwe schoenen, een tweede telefoon. Dat is zo'n klassieker. Hij zei: \"even iets "
    "vasthouden\" en dan zit je erin, weet je."
)


@pytest.mark.parametrize("display", [
    "ik ben jongerenwerker in Utrecht",
    "“ik ben jongerenwerker in Utrecht”",                      # the author's quote marks
    "\"ik  ben\njongerenwerker   in Utrecht\"",                 # whitespace
    "ik ben jongerenwerker […] een jaar of twaalf",
    "ik ben jongerenwerker (…) een jaar of twaalf",
    "ik ben jongerenwerker [...] een jaar of twaalf",
    "ik ben jongerenwerker (...) een jaar of twaalf",
    "Ja, ik ben jongerenwerker",                                # the filler 'eh' dropped
    "Dure kleding, nieuwe schoenen, een tweede telefoon [als signalen]",  # insertion
    "[Hij] zei: ‘even iets vasthouden’",                        # insertion replacing a word
    "[De jongen] zei: 'even iets vasthouden' en dan zit je erin",
    "[I]k doe dit nu een jaar of twaalf",                       # changed capital marked
    "Dure kleding […] Dat is zo’n klassieker",                  # curly apostrophe
    "[…] een tweede telefoon […]",
])
def test_accepts_legal_changes(display: str) -> None:
    alignment = check(SOURCE, display)
    assert alignment.spans and all(SOURCE[s:e] for s, e in alignment.spans)


def test_alignment_points_at_the_source_words() -> None:
    a = check(SOURCE, "Dure kleding […] een tweede telefoon")
    assert [SOURCE[s:e] for s, e in a.spans] == ["Dure", "kleding", "een", "tweede", "telefoon"]


@pytest.mark.parametrize("display, word, fragment", [
    ("ik ben jongerenwerker in Amsterdam", "Amsterdam", "not in the respondent's words"),
    ("ik ben jongerenwerker in Utrecht sinds kort", "sinds", "not in the respondent's words"),
    ("ik ben heel erg jongerenwerker", "heel", "square brackets"),
    ("Ik ben jongerenwerker", "Ik", "[I]k"),                      # case changed
    ("nieuwe schoenen, Dure kleding", "Dure", "not in this order"),
    ("ik ben jongerenwerker een jaar of twaalf", "een", "without a mark"),  # unmarked omission
    ("Dure kleding een tweede telefoon", "een", "without a mark"),
    ("[…] […]", "", "none of the respondent's words"),
])
def test_rejects_changed_words(display: str, word: str, fragment: str) -> None:
    with pytest.raises(VerbatimError) as info:
        check(SOURCE, display)
    assert info.value.word == word
    assert fragment in info.value.message
    if word:
        assert f"'{word}'" in info.value.message


def test_reordered_words_are_refused() -> None:
    assert not is_verbatim(SOURCE, "een telefoon tweede")
    assert is_verbatim(SOURCE, "een tweede telefoon")


def test_allowed_spans_limit_the_quotable_words() -> None:
    start = SOURCE.index("Dure")
    end = SOURCE.index("telefoon.") + len("telefoon.")
    assert is_verbatim(SOURCE, "Dure kleding", allowed_spans=[(start, end)])
    with pytest.raises(VerbatimError) as info:
        check(SOURCE, "Dat is zo'n klassieker", allowed_spans=[(start, end)])
    assert info.value.word == "Dat"


def test_tokens() -> None:
    kinds = [t.kind for t in tokenize_display("“Nou [de jongen] zei […] dat (…) [D]at”")]
    assert kinds == ["word", "insert", "word", "elide", "word", "elide", "word"]


# -- punctuation (issue 14: the verbatim check sees punctuation) ---------------------------------

@pytest.mark.parametrize("display", [
    "Dure kleding, nieuwe schoenen, een tweede telefoon.",
    "Dure kleding, nieuwe schoenen, een tweede telefoon",            # the closing stop left off
    "een tweede telefoon. Dat is zo’n klassieker.",
    "Hij zei: ‘even iets vasthouden’ en dan zit je erin",            # house-style inner quotes
    "Hij zei: “even iets vasthouden” en dan zit je erin, weet je.",
    "Ja, ik ben jongerenwerker in Utrecht, ik doe dit",              # 'eh,' left out with its comma
    "Dure kleding, [en] nieuwe schoenen",                            # punctuation next to an insertion is the author's
    "Dure kleding […]. Dat is zo'n klassieker",
])
def test_the_respondents_punctuation_passes(display: str) -> None:
    assert is_verbatim(SOURCE, display), display


@pytest.mark.parametrize("display, says", [
    ("Dure kleding,, nieuwe schoenen", "has ',,' where the respondent's words have ','"),
    ("Dure kleding nieuwe schoenen", "leaves out the respondent's ','"),
    ("een tweede telefoon Dat is zo'n klassieker", "leaves out the respondent's '.'"),
    ("een tweede telefoon, Dat is zo'n klassieker", "has ',' where the respondent's words have '.'"),
    ("ik ben jongerenwerker. In Utrecht", None),  # changed case is a spelling problem first
    ("ik ben jongerenwerker in Utrecht. Ik doe dit", None),
    ("Dure kleding? Nieuwe schoenen", None),
    ("ik ben jongerenwerker in Utrecht, ik doe dit nu een jaar of twaalf?", "ends with a question mark"),
    ("Dat is zo'n klassieker!", "ends with a exclamation mark"),
    ("Hij zei. even iets vasthouden", "has '.' where the respondent's words have ': \"'"),
    ("Hij zei: even iets vasthouden en dan zit je erin", "has ':' where the respondent's words have ': \"'"),
    ("Dure, kleding", "adds ',', which the respondent's words do not have"),
    ("ik ben jongerenwerker in Utrecht.", "ends with a full stop after 'Utrecht'"),
])
def test_changed_punctuation_is_refused_and_named(display: str, says: str | None) -> None:
    with pytest.raises(VerbatimError) as err:
        check(SOURCE, display)
    if says is None:
        assert err.value.kind in ("punctuation", "spelling")
        return
    assert err.value.kind == "punctuation", err.value.message
    assert says in err.value.message, err.value.message
