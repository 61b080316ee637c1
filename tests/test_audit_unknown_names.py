"""The last net (workbench.audit.unknown_names): a capitalised word inside a sentence that no
word list knows is flagged as a name of unknown kind; a capital that grammar or a word list
explains is not."""

from __future__ import annotations

import pytest

from workbench.audit.engine import audit_text
from workbench.audit.unknown_names import unknown_name_flags


def names(text: str) -> list[str]:
    return [f.text for f in unknown_name_flags(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hij is opgegroeid op Katendrecht.", "Katendrecht"),
        ("Ze krijgt hulp van Lindenhout.", "Lindenhout"),
        ("Op het Albeda kreeg hij een nieuwe kans.", "Albeda"),  # the known words before go
        ("Een paar jongens uit De Peperklip zijn opgepakt.", "De Peperklip"),
        ("Daar hebben we Belcompany nog over gebeld.", "Belcompany"),
    ],
)
def test_an_unknown_capitalised_word_inside_a_sentence_is_a_name(text: str, name: str) -> None:
    assert names(text) == [name]
    assert all(f.category == "entity" for f in unknown_name_flags(text))


@pytest.mark.parametrize(
    "text",
    [
        "Katendrecht is een wijk in Rotterdam.",  # a sentence's first word: grammar's capital
        "Dat zei de Officier van Justitie.",  # words written with a capital
        "We werken met de Signs of Safety-methode.",  # English words, a hyphenated compound
        "Ze hebben een Whatsappgroep met de ouders.",  # a platform's compound
        "Nou, Inderdaad, zo gaat dat.",  # spoken adverbs
        "Zo Gaat Het Altijd Met Hem.",  # a line in title case, verb forms
        "Hij droeg een Rolex en reed in zijn Golf.",  # things someone has
        "Hij is Moslim en spreekt Papiaments.",  # faiths and languages
        "Mail naar kevin.Bouzid@mail.nl of volg @Katendrecht010.",  # addresses and handles
        "De GGD en het MBO weten ervan.",  # capitals only
        "Hij gaat naar Lindenhout, maar lindenhout is ook een woord hier.",  # lower case too
    ],
)
def test_a_capital_that_grammar_or_a_word_list_explains_is_no_name(text: str) -> None:
    assert names(text) == []


def test_a_rule_that_knows_the_kind_wins_when_flags_are_merged() -> None:
    flags = audit_text("Hij heeft een contract bij Belcompany gehad.", use_deduce=False)
    assert [(f.category, f.text) for f in flags] == [("institution", "Belcompany")]
