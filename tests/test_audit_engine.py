"""Tests for the anonymity-audit engine (workbench.audit): patterns, deduce, audit_text.

Pattern tests are fast. Tests that need deduce share one session-scoped fixture:
deduce's lookup tables are loaded once per test run from the shared test cache
folder (the very first build on a machine takes about two minutes; later runs
load the cached tables in seconds). Network access is blocked while deduce loads.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from workbench.audit import deduce_engine
from workbench.audit.deduce_engine import deduce_flags, map_tag
from workbench.audit.detectors import (
    CATEGORIES,
    Flag,
    bsn_flags,
    email_flags,
    is_valid_bsn,
    licence_plate_flags,
    merge_flags,
    pattern_flags,
    phone_flags,
    school_flags,
    social_handle_flags,
    url_flags,
)
from workbench.audit.engine import audit_text, model_flags

# Same folder that tests/conftest.py puts in WORKBENCH_CACHE_DIR (that fixture is
# function-scoped, so it is not yet active when the session fixture below runs).
TEST_CACHE_ROOT = Path.home() / ".cache" / "workbench-tests"

NEUTRAL_SENTENCES = [
    "Het was een lastige periode maar nu gaat het beter.",
    "We praatten over school, vrienden en geld.",
    "Interviewer: Hoe ging dat toen?",
    "Ik vond het wel spannend eigenlijk.",
    "Ik ging gewoon naar huis en at een boterham.",
    "Op school had ik niet zoveel zin meer.",
    "Hij deed het voor de tweede keer, dat was wel 3 keer zo erg.",
]


def texts(flags: list[Flag]) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in flags]


def assert_offsets(text: str, flags: list[Flag]) -> None:
    for flag in flags:
        assert text[flag.start : flag.end] == flag.text
        assert flag.category in CATEGORIES
        assert flag.source in ("deduce", "pattern", "model")




# ---------------------------------------------------------------------------
# BSN
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["111222333", "123456782", "111.222.333", "1112.22.333"])
def test_bsn_valid_numbers_are_flagged(number: str) -> None:
    text = f"zijn BSN is {number}."
    assert texts(bsn_flags(text)) == [("bsn", number)]


def test_eleven_test() -> None:
    assert is_valid_bsn("111222333")  # 9+8+7+12+10+8+9+6-3 = 66 = 6*11
    assert is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("12345678")


@pytest.mark.parametrize(
    "text",
    [
        "ordernummer 123456789",  # fails the eleven-test
        "nummer 000000000",
        "1111222333",  # ten digits
        "bedrag 111222333,50",
        "code 111222333X",
    ],
)
def test_bsn_negatives(text: str) -> None:
    assert bsn_flags(text) == []


def test_bsn_inside_phone_number_is_phone() -> None:
    text = "bel +31 111222333"
    assert texts(pattern_flags(text)) == [("phone", "+31 111222333")]


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 12345678",
        "0612345678",
        "06 12 34 56 78",
        "06-1234 5678",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)6-12345678",
        "0031 6 12 34 56 78",
        "020-1234567",
        "020 123 45 67",
        "(020) 1234567",
        "0135-123456",
    ],
)
def test_phone_numbers(number: str) -> None:
    text = f"bel {number}, dan hoor je het."
    assert texts(phone_flags(text)) == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "op 06-03-2023 om 10 uur",  # a date
        "bel 0800-1234 of 0900-8844",  # public service numbers
        "het kost 06 euro",
        "12345678901234",
        "hij was 1 van de 06 jongens",
    ],
)
def test_phone_negatives(text: str) -> None:
    assert phone_flags(text) == []


def test_phone_stops_after_nine_national_digits() -> None:
    assert texts(phone_flags("bel 06 12345678 15 keer")) == [("phone", "06 12345678")]


# ---------------------------------------------------------------------------
# E-mail and URLs
# ---------------------------------------------------------------------------


def test_email_and_url() -> None:
    text = "mail naar jan@example.nl of kijk op www.example.nl en https://foo.nl/x?y=1."
    assert texts(email_flags(text)) == [("email", "jan@example.nl")]
    assert texts(url_flags(text)) == [("url", "www.example.nl"), ("url", "https://foo.nl/x?y=1")]
    assert texts(pattern_flags(text)) == [
        ("email", "jan@example.nl"),
        ("url", "www.example.nl"),
        ("url", "https://foo.nl/x?y=1"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dat was o.a. lastig. Hij zei: kom op, 3.5 is genoeg @ 5 euro.",
        "zei hij.De volgende dag was het.Nu gaan we door.",  # missing space, not a URL
        "Het bestand heette verslag.docx of zo.",
    ],
)
def test_email_url_negatives(text: str) -> None:
    assert email_flags(text) == []
    assert url_flags(text) == []


# ---------------------------------------------------------------------------
# Social-media handles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("op Snapchat heet hij @dealer_boy", "@dealer_boy"),
        ("stuur maar naar @naam_123.", "@naam_123"),
        ("snap: xyz", "xyz"),
        ("zijn snapchat naam: kevin.k", "kevin.k"),
        ("zijn tiktok is lil.k", "lil.k"),
        ("insta kevin_2009 volgt iedereen", "kevin_2009"),
        ("Instagram = meisje_xo", "meisje_xo"),
    ],
)
def test_social_handles(text: str, handle: str) -> None:
    assert texts(social_handle_flags(text)) == [("social_handle", handle)]


@pytest.mark.parametrize(
    "text",
    [
        "mail naar jan@example.nl",
        "snap: jan@example.nl",
        "dat had ik op insta gezien",
        "zijn snap is niet meer actief",
        "zijn snap is geen probleem",
        "wa is dat nou weer",
        "het kost @ 5 euro",
        "Ik zit niet op Snapchat.",
    ],
)
def test_social_handle_negatives(text: str) -> None:
    assert social_handle_flags(text) == []


def test_email_is_not_a_handle_in_combined_patterns() -> None:
    assert texts(pattern_flags("snap: jan@example.nl")) == [("email", "jan@example.nl")]


# ---------------------------------------------------------------------------
# Licence plates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("kenteken 12-ABC-3", "12-ABC-3"),
        ("een auto met AB-123-C", "AB-123-C"),
        ("de scooter 1-ABC-23 stond er", "1-ABC-23"),
        ("die oude AB-12-CD", "AB-12-CD"),
        ("XX-99-99 en", "XX-99-99"),
        ("een busje GBX-12-S", "GBX-12-S"),
        ("zonder streepjes 12ABC3", "12ABC3"),
        ("kenteken: ab12cd", "ab12cd"),
        ("kentekenplaat is 12 abc 3", "12 abc 3"),
    ],
)
def test_licence_plates(text: str, plate: str) -> None:
    assert texts(licence_plate_flags(text)) == [("licence_plate", plate)]


@pytest.mark.parametrize(
    "text",
    [
        "code AB1234 is geen kenteken",  # sidecode 1 without dashes is too ambiguous
        "op 12-03-2023",
        "de 12-jarige jongen",
        "ab-12-cd in kleine letters zonder context",
        "een MP3-speler en een A4-tje",
    ],
)
def test_licence_plate_negatives(text: str) -> None:
    assert licence_plate_flags(text) == []


# ---------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("Hij zat op het Da Vinci College.", "Da Vinci College"),
        ("Ze zit op het Montessori Lyceum Amsterdam", "Montessori Lyceum Amsterdam"),
        ("Hij doet een opleiding bij ROC Midden Nederland.", "ROC Midden Nederland"),
        ("Het Christelijk Lyceum Zeist is groot", "Christelijk Lyceum Zeist"),
        ("ik zat op de Mariaschool", "Mariaschool"),
        ("op het Sint-Janscollege", "Sint-Janscollege"),
        ("op Basisschool De Regenboog", "Basisschool De Regenboog"),
        ("studeert aan de Universiteit van Amsterdam", "Universiteit van Amsterdam"),
        ("het Willem van Oranje College in Tilburg", "Willem van Oranje College"),
        ("op het Stedelijk Gymnasium", "Stedelijk Gymnasium"),
        ("bij het Summa college", "Summa college"),
        ("Ja. Het Summa College was te ver.", "Summa College"),
        ("R: Da Vinci college, daar zat ik.", "Da Vinci college"),
    ],
)
def test_schools(text: str, school: str) -> None:
    assert texts(school_flags(text)) == [("school", school)]


@pytest.mark.parametrize(
    "text",
    [
        "op school ging het niet goed",
        "Hij zat op het ROC.",
        "Basisschool was leuk.",
        "Mijn school was saai. Nieuwe school, nieuwe vrienden.",
        "Op de middelbare school en de Hogeschool.",
        "Hij wilde naar de rijschool.",
        "Sportschool is mijn uitlaatklep.",
        "Meestal jongens. Vaak vmbo, of praktijkonderwijs. Veel vmbo.",
    ],
)
def test_school_negatives(text: str) -> None:
    assert school_flags(text) == []


# ---------------------------------------------------------------------------
# Merging and pattern negatives
# ---------------------------------------------------------------------------


def test_merge_prefers_specific_category_and_unions_spans() -> None:
    text = "Hij zat op het Da Vinci College."
    flags = [
        Flag(19, 24, "person", "Vinci", "deduce"),
        Flag(15, 31, "school", "Da Vinci College", "pattern"),
        Flag(15, 24, "entity", "Da Vinci", "model"),
    ]
    assert merge_flags(flags, text) == [Flag(15, 31, "school", "Da Vinci College", "pattern")]


def test_merge_keeps_touching_flags_apart_and_sorts() -> None:
    text = "Kevin Tilburg"
    flags = [Flag(6, 13, "place", "Tilburg", "deduce"), Flag(0, 6, "person", "Kevin ", "model")]
    assert texts(merge_flags(flags, text)) == [("person", "Kevin "), ("place", "Tilburg")]


@pytest.mark.parametrize("sentence", NEUTRAL_SENTENCES)
def test_neutral_sentences_have_no_pattern_flags(sentence: str) -> None:
    assert pattern_flags(sentence) == []


def test_pattern_offsets_are_string_indices() -> None:
    text = "Één jongen 🙂 belde 06-12345678, mailde jan@example.nl en @dealer_boy (12-ABC-3)."
    flags = pattern_flags(text)
    assert_offsets(text, flags)
    assert [f.category for f in flags] == ["phone", "email", "social_handle", "licence_plate"]


# ---------------------------------------------------------------------------
# Model entities, allow list, audit_text without deduce
# ---------------------------------------------------------------------------


def test_model_entities_are_mapped() -> None:
    text = "Kevin ging met Jeugdzorg naar Tilburg in de zomer, twee keer."
    entities = [
        (0, 5, "PER"),
        (15, 24, "ORG"),
        (30, 37, "GPE"),
        (41, 49, "DATE"),
        (51, 55, "CARDINAL"),
    ]
    entities.append((41, 49, "MISC"))
    flags = model_flags(text, entities)
    assert texts(flags) == [
        ("person", "Kevin"),
        ("institution", "Jeugdzorg"),
        ("place", "Tilburg"),
        ("date", "de zomer"),
        ("entity", "de zomer"),
    ]
    assert {f.source for f in flags} == {"model"}
    with pytest.raises(ValueError):
        model_flags(text, [(0, 500, "PER")])


def test_audit_text_patterns_and_model_without_deduce() -> None:
    text = "Kevin zit op het Da Vinci College, bel 06-12345678."
    flags = audit_text(text, nlp_entities=[(0, 5, "PERSON"), (17, 25, "ORG")], use_deduce=False)
    assert texts(flags) == [
        ("person", "Kevin"),
        ("school", "Da Vinci College"),
        ("phone", "06-12345678"),
    ]
    assert_offsets(text, flags)


def test_allow_list_drops_allowed_terms() -> None:
    text = "Hij moest naar Halt en daarna kwam Veilig Thuis langs in Tilburg."
    entities = [(15, 19, "ORG"), (35, 47, "ORG"), (42, 47, "ORG"), (57, 64, "GPE")]
    everything = audit_text(text, nlp_entities=entities, use_deduce=False)
    assert texts(everything) == [
        ("institution", "Halt"),
        ("institution", "Veilig Thuis"),
        ("place", "Tilburg"),
    ]
    allowed = audit_text(
        text, nlp_entities=entities, allow=["halt", "VEILIG  THUIS"], use_deduce=False
    )
    assert texts(allowed) == [("place", "Tilburg")]
    # A flag inside an allowed term ("Thuis" in "Veilig Thuis") is dropped too.
    only_thuis = audit_text(
        text, nlp_entities=[(42, 47, "ORG")], allow=["Veilig Thuis"], use_deduce=False
    )
    assert not [f for f in only_thuis if f.start < 47 and f.end > 35]
    # The names found by their context ("naar Halt", "in Tilburg") stay.
    assert {f.text for f in only_thuis} == {"Halt", "Tilburg"}


def test_allow_list_does_not_drop_other_text() -> None:
    text = "Thuis zei Kevin niks."
    flags = audit_text(text, nlp_entities=[(0, 5, "ORG")], allow=["Veilig Thuis"], use_deduce=False)
    assert texts(flags) == [("institution", "Thuis"), ("person", "Kevin")]


def test_map_tag() -> None:
    assert map_tag("persoon") == "person"
    assert map_tag("patient") == "person"
    assert map_tag("locatie", "Kerkstraat 12") == "address"
    assert map_tag("locatie", "5038 AB Tilburg") == "address"
    assert map_tag("locatie", "Tilburg") == "place"
    assert map_tag("ziekenhuis") == "institution"
    assert map_tag("zorginstelling") == "institution"
    assert map_tag("datum") == "date"
    assert map_tag("leeftijd") == "age"
    assert map_tag("telefoonnummer") == "phone"
    assert map_tag("emailadres") == "email"
    assert map_tag("url") == "url"
    assert map_tag("bsn") == "bsn"
    assert map_tag("id") == "identifier"
    assert map_tag("voornaam+achternaam") == "person"
    assert map_tag("iets_nieuws") == "entity"


def test_importing_the_package_does_not_import_deduce() -> None:
    import subprocess
    import sys

    code = (
        "import sys, workbench.audit, workbench.audit.engine, workbench.audit.detectors;"
        "import workbench.audit.deduce_engine as d;"
        "assert 'deduce' not in sys.modules, 'deduce imported eagerly';"
        "assert not d.is_ready()"
    )
    repo = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo)


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    version = deduce_engine.deduce_version()
    assert version.startswith("3.")
    assert deduce_engine.cache_dir(tmp_path / "x") == tmp_path / "x" / "deduce" / version


# ---------------------------------------------------------------------------
# deduce (session fixture; the first build on a machine takes ~2 minutes)
# ---------------------------------------------------------------------------

DEDUCE_CASES = [
    ("Ik sprak met Kevin over zijn schuld.", [("person", "Kevin")]),
    ("Mijn vader, meneer Bakker, werkt hard.", [("person", "meneer Bakker")]),
    (
        "Hij woont aan de Kerkstraat 12 in Tilburg",
        [("address", "Kerkstraat 12"), ("place", "Tilburg")],
    ),
    ("Ik woon in 5038 AB.", [("address", "5038 AB")]),
    ("Ze werd opgenomen in het Erasmus MC.", [("institution", "Erasmus MC")]),
    ("bel 06-12345678", [("phone", "06-12345678")]),
    ("mail naar jan@example.nl", [("email", "jan@example.nl")]),
    ("kijk op www.example.nl", [("url", "www.example.nl")]),
    ("zijn BSN is 111222333", [("bsn", "111222333")]),
    ("een jongen van 15 jaar", [("age", "15")]),
    ("op 12 maart 2023", [("date", "12 maart 2023")]),
    ("geboren op 3-4-2008", [("date", "3-4-2008")]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), DEDUCE_CASES)
def test_deduce_categories(
    deduce_ready: object, text: str, expected: list[tuple[str, str]]
) -> None:
    flags = deduce_flags(text)
    assert texts(flags) == expected
    assert_offsets(text, flags)
    assert {f.source for f in flags} == {"deduce"}


@pytest.mark.slow
def test_deduce_order_number_is_not_a_bsn(deduce_ready: object) -> None:
    text = "ordernummer 123456789"
    flags = audit_text(text)
    assert "bsn" not in [f.category for f in flags]
    # deduce still reports the long number as a generic identifier.
    assert texts(flags) == [("identifier", "123456789")]


@pytest.mark.slow
@pytest.mark.parametrize("sentence", NEUTRAL_SENTENCES)
def test_audit_neutral_sentences_have_no_flags(deduce_ready: object, sentence: str) -> None:
    assert audit_text(sentence) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik sprak met Kevin over zijn schuld.", [("person", "Kevin")]),
        (
            "Hij woont aan de Kerkstraat 12 in Tilburg",
            [("address", "Kerkstraat 12"), ("place", "Tilburg")],
        ),
        ("bel 06-12345678", [("phone", "06-12345678")]),
        ("mail naar jan@example.nl", [("email", "jan@example.nl")]),
        ("zijn BSN is 111222333", [("bsn", "111222333")]),
        ("kenteken 12-ABC-3", [("licence_plate", "12-ABC-3")]),
        ("op Snapchat heet hij @dealer_boy", [("social_handle", "@dealer_boy")]),
        ("op het Da Vinci College", [("school", "Da Vinci College")]),
        ("een jongen van 15 jaar", [("age", "15")]),
        ("op 12 maart 2023", [("date", "12 maart 2023")]),
    ],
)
def test_audit_text_examples(
    deduce_ready: object, text: str, expected: list[tuple[str, str]]
) -> None:
    flags = audit_text(text)
    assert texts(flags) == expected
    assert_offsets(text, flags)


@pytest.mark.slow
def test_audit_text_combined_transcript(deduce_ready: object) -> None:
    text = (
        "R: Ik ben Kevin, ik woon aan de Kerkstraat 12 in Tilburg.\n"
        "R: Ik zit op het Da Vinci College, mijn snap is dealer_boy09 en bel me op 06 12 34 56 78.\n"
        "I: En toen?\nR: Toen moest ik naar Halt. Op 12 maart 2023 was ik 15 jaar."
    )
    flags = audit_text(text, nlp_entities=[(text.index("Halt"), text.index("Halt") + 4, "ORG")])
    assert_offsets(text, flags)
    assert [f.start for f in flags] == sorted(f.start for f in flags)
    assert all(a.end <= b.start for a, b in zip(flags, flags[1:], strict=False))
    found = texts(flags)
    for item in [
        ("person", "Kevin"),
        ("address", "Kerkstraat 12"),
        ("place", "Tilburg"),
        ("school", "Da Vinci College"),
        ("social_handle", "dealer_boy09"),
        ("phone", "06 12 34 56 78"),
        ("institution", "Halt"),
        ("date", "12 maart 2023"),
        ("age", "15"),
    ]:
        assert item in found
    allowed = texts(audit_text(text, allow=["Halt", "Tilburg"], nlp_entities=[]))
    assert ("place", "Tilburg") not in allowed
    assert ("institution", "Halt") not in allowed
    assert ("person", "Kevin") in allowed


@pytest.mark.slow
def test_allow_list_with_deduce(deduce_ready: object) -> None:
    text = "Hij woont in Tilburg en gaat naar Veilig Thuis."
    assert ("place", "Tilburg") in texts(audit_text(text))
    assert audit_text(text, allow=["tilburg", "Veilig Thuis"]) == []


@pytest.mark.slow
def test_engine_info_and_progress(deduce_ready: list[tuple[str, float | None]]) -> None:
    info = deduce_engine.engine_info()
    assert info["name"] == "deduce"
    assert info["version"] == deduce_engine.deduce_version()
    assert info["ready"] is True and info["state"] == "ready" and info["error"] is None
    assert info["cached"] is True
    assert Path(info["cache_file"]).is_file()
    assert Path(info["cache_path"]).is_relative_to(TEST_CACHE_ROOT)
    assert deduce_engine.is_ready()
    # progress: starts at 0.0 and ends with 1.0
    assert deduce_ready[0][1] == 0.0
    assert deduce_ready[-1][1] == 1.0
    # a second background call returns at once and reports ready
    seen: list[tuple[str, float | None]] = []
    deduce_engine.build_in_background(lambda m, f: seen.append((m, f))).join(timeout=10)
    assert seen and seen[-1][1] == 1.0


@pytest.mark.slow
def test_deduce_flags_from_several_threads(deduce_ready: object) -> None:
    text = "Ik sprak met Kevin in Tilburg op 12 maart 2023."
    expected = deduce_flags(text)
    results: list[list[Flag]] = []

    def work() -> None:
        for _ in range(5):
            results.append(deduce_flags(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 20
    assert all(r == expected for r in results)


@pytest.mark.slow
def test_deduce_empty_text(deduce_ready: object) -> None:
    assert deduce_flags("") == []
    assert audit_text("   \n ") == []


# -- ordinary words taken for names (workbench.audit.common_words), end to end

TRIAL_TEXT = (
    "I: Hoe merk je dat?\n"
    "R: Je hoort het. Jongens die tegen elkaar zeggen dat het mag. We hadden het over "
    "jongens die dealden. Punt. Dat waren de boefjes. Pas als het echt misgaat, komen ze. "
    "Pak je een groepje op, dan staat er binnen een week een nieuw. Ik had bijvoorbeeld Kevin, "
    "die kwam op een avond in het buurthuis. Hij was zestien jaar en zijn vriendin was een "
    "meisje van vijftien.\n"
)


@pytest.mark.slow
def test_trial_sentences_with_deduce(deduce_ready: object) -> None:
    from workbench.audit.deduce_engine import is_first_name

    raw = {f.text for f in deduce_flags(TRIAL_TEXT) if f.category == "person"}
    assert {"Jongens", "Punt", "Pas", "Pak", "Kevin"} <= raw  # what deduce alone flags
    assert is_first_name("Kevin") and not is_first_name("Jongens")
    flags = audit_text(TRIAL_TEXT)
    assert [(f.category, f.text) for f in flags] == [
        ("person", "Kevin"), ("age", "zestien"), ("age", "vijftien"),
    ]
    everything = audit_text(TRIAL_TEXT, drop_common_words=False)
    assert {"Jongens", "Punt", "Pas", "Pak"} <= {f.text for f in everything}
