"""The audit's plausibility rules: ordinary words capitalised at a sentence start are no names,
ages written in Dutch number words are ages, and categories have readable names.

The rules are tested without deduce (flags are made by hand, as deduce makes them, and first
names come from a stub); the end-to-end test with deduce on the trial's sentences is in
test_audit_engine.py (it shares that module's deduce fixture).
"""

from __future__ import annotations

import pytest

from workbench.audit import common_words
from workbench.audit.categories import LABELS, label
from workbench.audit.common_words import (
    drop_common_word_flags,
    is_common_word,
    occurs_in_lower_case,
)
from workbench.audit.detectors import CATEGORIES, Flag, age_flags, number_value, pattern_flags

FIRST_NAMES = {"Kevin", "Mohammed", "Bas", "Sanne"}


def first_name(word: str) -> bool:
    return word in FIRST_NAMES


def person(text: str, word: str, nth: int = 0, category: str = "person") -> Flag:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Flag(start, start + len(word), category, word, "deduce")


def kept(text: str, *flags: Flag) -> list[str]:
    return [f.text for f in drop_common_word_flags(text, list(flags), first_name=first_name)]


# -- rule 1: the word occurs in lower case elsewhere ---------------------------------------------

def test_word_in_lower_case_elsewhere_is_dropped_wherever_it_stands() -> None:
    text = "Ik zag het gebeuren. Jongens die dealen. Die jongens waren jong. Ik sprak met Jongens."
    assert kept(text, person(text, "Jongens"), person(text, "Jongens", 1)) == []


def test_name_never_in_lower_case_is_kept() -> None:
    text = "Ik had bijvoorbeeld Kevin, die kwam op een avond. Kevin was vijftien."
    assert kept(text, person(text, "Kevin"), person(text, "Kevin", 1)) == ["Kevin", "Kevin"]


def test_unknown_surname_mid_sentence_is_kept() -> None:
    text = "Ik sprak met Yilmaz over zijn broer."
    assert kept(text, person(text, "Yilmaz")) == ["Yilmaz"]


def test_occurs_in_lower_case_whole_words_only_and_skips_the_flag_itself() -> None:
    assert occurs_in_lower_case("Pas later. Dat pas ik.", "Pas")
    assert not occurs_in_lower_case("Pas later. Dat paspoort.", "Pas")
    assert not occurs_in_lower_case("het ging om jan", "jan", skip=(12, 15))
    assert occurs_in_lower_case("jan en jan", "jan", skip=(0, 3))


def test_a_first_name_mid_sentence_stays_even_if_the_word_occurs_in_lower_case() -> None:
    text = "Ik had Bas op bezoek. Hij speelt bas in een band."
    assert kept(text, person(text, "Bas")) == ["Bas"]
    text = "Bas kwam binnen. Hij speelt bas in een band."
    assert kept(text, person(text, "Bas")) == []


# -- rule 2: a common Dutch word at a sentence start ---------------------------------------------

@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Ik weet het niet. Pas als het echt misgaat, komen ze.", "Pas"),
        ("Het gaat snel. Pak je een groepje op, dan staat er weer een.", "Pak"),
        ("We hadden het over dealers. Punt. Dat waren de boefjes.", "Punt"),
        ("Wat zie je? Jongens, in ruim negen van de tien gevallen.", "Jongens"),
        ("Of ze zeggen: Jongens zijn het vooral.", "Jongens"),
        ("Jongens die op een vaste plek staan te wachten.", "Jongens"),
    ],
)
def test_common_word_at_sentence_start_is_dropped(text: str, word: str) -> None:
    assert kept(text, person(text, word)) == []


def test_common_word_in_mid_sentence_is_kept() -> None:
    text = "Ik sprak gisteren met Bakker over de zaak."
    assert kept(text, person(text, "Bakker")) == ["Bakker"]


def test_known_first_name_at_sentence_start_is_kept_even_if_in_the_lexicon() -> None:
    text = "Mohammed kwam binnen. Kevin ook."
    assert is_common_word("Mohammed")  # the lookup table lists it as a lemma ...
    assert kept(text, person(text, "Mohammed"), person(text, "Kevin")) == ["Mohammed", "Kevin"]


def test_common_word_lexicon() -> None:
    for word in ("Pas", "Pak", "Punt", "Jongens", "Meiden", "Daarom"):
        assert is_common_word(word), word
    for word in ("Yilmaz", "Presikhaaf", "Kevin"):
        assert not is_common_word(word), word


def test_other_categories_and_multi_word_flags_are_untouched() -> None:
    text = "Pas later. Ik zat op het Pas College. Meneer Punt kwam. Punt."
    flags = [
        Flag(0, 3, "school", "Pas", "pattern"),
        person(text, "Meneer Punt"),
        person(text, "Punt", 1, category="place"),
    ]
    assert kept(text, *flags) == ["Pas", "Meneer Punt"]


def test_place_flags_follow_the_same_rules() -> None:
    text = "Ik ben opgegroeid in Tubbergen. Zuid was anders. Ik woonde in zuid."
    assert kept(text, person(text, "Tubbergen", category="place"), person(text, "Zuid", category="place")) == ["Tubbergen"]


def test_without_deduce_loaded_no_first_names_are_known() -> None:
    text = "Ik had Kevin op bezoek."
    flags = drop_common_word_flags(text, [person(text, "Kevin")], first_name=lambda _w: None)
    assert [f.text for f in flags] == ["Kevin"]


# -- ages in words --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Ze is zestien jaar oud.", ["zestien"]),
        ("Hij was toen zestien jaar.", ["zestien"]),
        ("zestien jaar", ["zestien"]),
        ("Ik had een jongen van vijftien in de groep.", ["vijftien"]),
        ("Een meisje van vijftien met een vriend van drieëntwintig.", ["vijftien", "drieëntwintig"]),
        ("toen hij veertien was, begon het", ["veertien"]),
        ("Hij was pas veertien.", ["veertien"]),
        ("ze was vijftien of zestien", ["vijftien of zestien"]),
        ("een 16-jarige jongen", ["16"]),
        ("een jongen van 15", ["15"]),
        ("al vanaf dat ze tien, elf jaar zijn", ["tien, elf"]),
        ("een jongen is van achttien, net uit huis", ["achttien"]),
    ],
)
def test_ages_in_words(text: str, ages: list[str]) -> None:
    flags = age_flags(text)
    assert [f.text for f in flags] == ages
    assert all(f.category == "age" and text[f.start:f.end] == f.text for f in flags)
    assert [f.text for f in pattern_flags(text) if f.category == "age"] == ages


@pytest.mark.parametrize(
    "text",
    [
        "Ik werk hier al zestien jaar.",
        "Hij zat twee jaar vast.",
        "Dat was tien jaar geleden.",
        "In de twintig jaar dat ik hier werk.",
        "negentien jaar lang heb ik dat gedaan",
        "Het was twaalf uur.",
        "een jongen van drie straten verder",
        "En die jongens van vijftien vinden dat geweldig.",
        "Halt is er voor jongeren van twaalf tot achttien.",
        "Vroeger was het zestien, zeventien.",
        "studenten van zestien tot een jaar of drieëntwintig",
        "Hij deed het voor de tweede keer, dat was wel 3 keer zo erg.",
        "op 12 maart 2023",
    ],
)
def test_not_ages(text: str) -> None:
    assert age_flags(text) == []


def test_number_values() -> None:
    assert number_value("zestien") == 16
    assert number_value("drieëntwintig") == 23
    assert number_value("vierentwintig") == 24
    assert number_value("twaalf") == 12
    assert number_value("negentig") == 90
    assert number_value("17") == 17
    assert number_value("jongen") is None


# -- readable category names -------------------------------------------------------------------

def test_every_category_has_a_readable_label() -> None:
    assert set(LABELS) == set(CATEGORIES)
    assert label("social_handle") == "social-media-naam"
    assert label("licence_plate") == "kenteken"
    assert label("person") == "naam"
    assert label("something_new") == "something new"
    assert label(None) == "onbekend"
    assert all("_" not in label(c) for c in CATEGORIES)


def test_list_flags_and_cli_show_readable_categories(project, add_transcript) -> None:
    from click.testing import CliRunner

    from workbench.cli.main import cli
    from workbench.services.anonymity.audit import list_flags, run_audit

    add_transcript("T1", turns=[("I", "Heb je een account?"), ("R", "Mijn snap is dealer_boy09, zeg maar.")])
    run_audit(project, use_deduce=False)
    flags = list_flags(project.db)
    assert [(f["category"], f["category_label"]) for f in flags] == [("social_handle", "social-media-naam")]
    out = CliRunner().invoke(cli, ["--project", str(project.root), "audit", "--no-deduce"])
    assert out.exit_code == 0, out.output
    assert "social-media-naam (pattern)" in out.output and "social_handle" not in out.output


def test_lexicon_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    is_common_word("pas")
    loaded = common_words._lexicon
    assert loaded is not None
    is_common_word("punt")
    assert common_words._lexicon is loaded
