"""The code picker finds codes by the starts of their words (issue 14, part 6)."""

from __future__ import annotations

import pytest

from workbench.analysis.name_match import fold, rank

CODES = [
    "Signalen financieel",
    "Ronselen via sociale media",
    "Schulden",
    "Financiële signalen",
    "Ronselen op school",
    "Sociale isolatie",
    "Geïsoleerde meiden",
    "Schoolverzuim",
    "Ronselaars",
    "Fysiek geweld",
]


def ranked(query: str) -> list[str]:
    return [CODES[i] for i in rank(query, CODES)]


@pytest.mark.parametrize("query, first", [
    ("fin sig", "Financiële signalen"),
    ("FIN SIG", "Financiële signalen"),
    ("financiele", "Financiële signalen"),
    ("ron sch", "Ronselen op school"),
    ("ron soc", "Ronselen via sociale media"),
    ("r v s m", "Ronselen via sociale media"),
    ("geisol", "Geïsoleerde meiden"),
    ("geïs mei", "Geïsoleerde meiden"),
    ("sch", "Schulden"),
    ("soc iso", "Sociale isolatie"),
])
def test_starts_of_words_rank_the_code_first(query, first):
    assert ranked(query)[0] == first


def test_typed_order_beats_any_order_and_first_word_beats_later():
    assert ranked("fin sig")[:2] == ["Financiële signalen", "Signalen financieel"]
    assert ranked("sig fin")[:2] == ["Signalen financieel", "Financiële signalen"]
    # 'sch' starts Schulden and Schoolverzuim (first words) before 'Ronselen op school'
    assert ranked("sch")[:3] == ["Schulden", "Schoolverzuim", "Ronselen op school"]


def test_fuzzy_still_finds_typos_after_the_prefix_matches():
    assert "Schoolverzuim" in ranked("scholverzuim")
    assert ranked("xyzzy") == []
    assert rank("", CODES) == []


def test_fold():
    assert fold("Financiële GEÏSOLEERD") == "financiele geisoleerd"
