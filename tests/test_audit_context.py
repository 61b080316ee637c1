"""Names found by their context (workbench.audit.context): places, organisations, schools and
first names that no lookup table holds, and the ordinary capitals that are no names."""

from __future__ import annotations

import pytest

from workbench.audit.context import context_flags
from workbench.audit.engine import audit_text


def found(text: str) -> set[tuple[str, str]]:
    return {(f.category, f.text) for f in context_flags(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hij woont in Kanaleneiland, vlak bij het station.", ("place", "Kanaleneiland")),
        ("De jongens komen uit Overvecht en hangen rond.", ("place", "Overvecht")),
        ("Ze verhuisde naar de Schilderswijk toen ze twaalf was.", ("place", "Schilderswijk")),
        ("In de wijk Hoograven is dat anders.", ("place", "Hoograven")),
        ("Hij komt uit Bergen op Zoom, geloof ik.", ("place", "Bergen op Zoom")),
        ("Hij werkt als bezorger voor PostNL sinds de zomer.", ("institution", "PostNL")),
        ("Ze had een bijbaantje bij Coolblue in het magazijn.", ("institution", "Coolblue")),
        ("We werken samen met Stichting DOCK in die buurt.", ("institution", "Stichting DOCK")),
        ("Hij hing altijd rond bij snackbar De Gouden Draak.", ("institution", "De Gouden Draak")),
        ("Ze zit op het Zadkine, een mbo-opleiding.", ("school", "Zadkine")),
        ("Hij ging naar basisschool De Regenboog hier om de hoek.", ("school", "De Regenboog")),
        ("Toen sprak ik Ilias na de training.", ("person", "Ilias")),
        ("Maar Ilias zei dat hij niet meer wilde.", ("person", "Ilias")),
        ("Zijn broer Mohammed zat ook in die groep.", ("person", "Mohammed")),
        ("Ik zei: hé Ilias, wat doe je hier?", ("person", "Ilias")),
        ("Dat was Sanne haar idee, niet het mijne.", ("person", "Sanne")),
    ],
)
def test_a_name_is_found_by_its_context(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Met Oud en Nieuw gaat het altijd mis in de buurt.",
        "Dan zei hij dat hij niet meer kwam.",
        "Hij haalde brood bij de Bakker om de hoek.",  # a shop or a surname: not taken as place
        "We hebben contact met de GGD en de politie.",  # capitals only: left to the allow list
        "Tijdens de Ramadan komen ze minder naar het buurthuis.",
        "Ik denk dat het in Nederland anders gaat dan in het Engels.",
        "Wat zij doen, dat is voor God en niemand anders.",
    ],
)
def test_ordinary_capitals_are_no_names(text: str) -> None:
    names = {t for _, t in found(text)}
    assert not names & {"Oud", "Oud en Nieuw", "Dan", "Bakker", "GGD", "Ramadan", "Engels", "God"}


def test_two_places_joined_by_en_are_two_flags() -> None:
    assert found("Dat speelt in Zwolle en in Deventer.") == {
        ("place", "Zwolle"), ("place", "Deventer")}


def test_a_handle_or_email_is_no_brand() -> None:
    names = {t for _, t in found("Mail naar jan.DeVries@example.nl of volg @KevinNL op insta.")}
    assert "DeVries" not in names and "KevinNL" not in names


def test_offsets_point_at_the_name() -> None:
    text = "Ze werkte bij de kapsalon Yasmina in Lombok, tot de zomer."
    for flag in context_flags(text):
        assert text[flag.start:flag.end] == flag.text
    assert ("institution", "Yasmina") in found(text)
    assert ("place", "Lombok") in found(text)


def test_the_audit_includes_context_flags_without_a_model() -> None:
    flags = audit_text("Hij werkt bij Albert Heijn in Kanaleneiland.", use_deduce=False)
    assert {f.text for f in flags} >= {"Albert Heijn", "Kanaleneiland"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Weet je, Tesfay is gewoon een lieve jongen, echt.", "Tesfay"),
        ("Zijn beste maat heet Dawit en die zat er ook in.", "Dawit"),
        ("Volgens mij wist Filmon precies wat er speelde.", "Filmon"),
        ("Een van de jongens, Filmon, had een nieuwe telefoon.", "Filmon"),
        ("Ik zei: Filmon, je moet hiermee stoppen.", "Filmon"),
        ("Zijn moeder, Imane Martina, belde mij op.", "Imane Martina"),
        ("Hij woont op de hoek van de Lijnbaan en de Coolsingel.", "Lijnbaan"),
        ("Ze hingen altijd rond op het Mercatorplein.", "Mercatorplein"),
        ("De jongerenwerkers van Welzijn Lokaal zagen het ook.", "Welzijn Lokaal"),
        ("In de Vogelaarwijk Bouwlust is het erg.", "Bouwlust"),
        ("Hij werkt als bezorger voor KFC, maar dat is tijdelijk.", "KFC"),
        ("De mentor van het Deltion heeft ons gebeld.", "Deltion"),
        ("Op zijn Snap, jaydenn_x, stond alles.", "jaydenn_x"),
        ("Hij heet op TikTok iets als mo.tb010.", "mo.tb010"),
        ("Het gebeurde in een flat aan de Burgemeester de Withweg 66-II.", "Burgemeester de Withweg 66-II"),
        ("Op het formulier stond postcode 3512JK.", "3512JK"),
        ("Bel hem op 06 - 85 873 357 als het moet.", "06 - 85 873 357"),
        ("Zijn moeder, Yonas Doğan, belde mij op.", "Yonas Doğan"),
        ("Zijn moeder, Filmon Ait Taleb, belde mij op.", "Filmon Ait Taleb"),
        ("Het dossier stond op naam van Anouar Aydın, maar dat klopte niet.", "Anouar Aydın"),
        ("Ze had een bijbaantje bij Randstad Uitzendbureau, in het magazijn.", "Randstad Uitzendbureau"),
        ("Haar geboortedatum is 24/03/2010, dat stond in het dossier.", "24/03/2010"),
        ("Toen Kevin zei dat hij wegging, was het al laat.", "Kevin"),
        ("We kregen een melding over de familie Kasem.", "Kasem"),
        ("In Zuilen en Ondiep gaat het om dezelfde groep.", "Ondiep"),
        ("Ze zat eerst op het Calvijn, daarna op het Wellantcollege.", "Calvijn"),
        ("Hij is zeventien geworden in de gevangenis.", "zeventien"),
        ("Ze is geboren in 2008, op de tiende van de vijfde.", "2008"),
    ],
)
def test_held_out_shapes_are_flagged_whole_without_tables(text: str, name: str) -> None:
    flags = audit_text(text, use_deduce=False)
    i = text.index(name)
    covering = [f for f in flags if f.start <= i and i + len(name) <= f.end]
    assert covering, [(f.text, f.category) for f in flags]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Wij als Jongerenwerk zijn er voor iedereen.", "Jongerenwerk"),
        ("Dat gebeurt vooral in het Westen van het land.", "Westen"),
        ("Sommige jongens gaan naar de Moskee, anderen niet.", "Moskee"),
        ("Ik haalde nog brood bij de Bakker om de hoek. Op school was het rustig.", "Bakker"),
        ("Het was 2019 EN toen ging het mis.", "2019 EN"),
        ("Hij zat in de Bijstand en had geen geld.", "Bijstand"),
        ("In de Zomer is het erger, dan zijn ze buiten.", "Zomer"),
        ("Ze hadden allemaal een nieuwe PlayStation.", "PlayStation"),
    ],
)
def test_held_out_decoys_stay_unflagged(text: str, word: str) -> None:
    from workbench.services.audit import PUBLIC_BODIES

    flags = audit_text(text, allow=PUBLIC_BODIES, use_deduce=False)
    i = text.index(word)
    assert not [f for f in flags if f.start < i + len(word) and i < f.end], flags
