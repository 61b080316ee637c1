"""deduce reads only the sentences that can hold what it finds (workbench.audit.deduce_focus),
and finds exactly what it finds reading everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.audit import deduce_engine
from workbench.audit.deduce_focus import focus

ROOT = Path(__file__).resolve().parent.parent


def read(text: str, lower_words: tuple[str, ...] = ()) -> list[str]:
    f = focus(text, lower_words)
    return [text[s:e].strip() for s, e in f.spans]


def test_plain_sentences_are_skipped_and_names_digits_and_addresses_are_read() -> None:
    text = ("I: Hoe gaat het met hem?\nR: Goed. Maar hij zit nog thuis. Ik sprak Ilias gisteren. "
            "Hij is 15 jaar. Mail hem op kevin.b@live.nl als je wilt. Dat is alles.")
    assert read(text) == ["Ik sprak Ilias gisteren. Hij is 15 jaar. Mail hem op "
                          "kevin.b@live.nl als je wilt."]


def test_a_first_word_that_can_be_a_name_is_read_and_an_abbreviation_ends_no_sentence() -> None:
    assert read("Dan ging hij weg. Roos zei niks.") == ["Dan ging hij weg. Roos zei niks."]
    assert read("Ik heb dhr. Jansen gesproken. Ja.") == ["Ik heb dhr. Jansen gesproken."]
    assert read("Dat was J. de Vries, denk ik.") == ["Dat was J. de Vries, denk ik."]


def test_a_hospital_deduce_knows_in_lower_case_is_read() -> None:
    text = "hij lag in het antonius. daarna ging hij naar huis."
    assert read(text) == []
    assert read(text, ("antonius",)) == ["hij lag in het antonius."]


def test_offsets_in_the_joined_text_map_back() -> None:
    text = "Ik weet het niet. Ik sprak Ilias. Dat is zo. Hij woont in Zuilen."
    f = focus(text)
    assert f.text == " Ik sprak Ilias.\n Hij woont in Zuilen."
    for name in ("Ilias", "Zuilen"):
        i = f.text.index(name)
        start, end = f.original(i, i + len(name))  # type: ignore[misc]
        assert text[start:end] == name
    assert f.original(0, len(f.text)) is None  # across the join of two sentences apart
    assert 0 < f.share < 1


@pytest.mark.slow
def test_deduce_finds_the_same_reading_less(deduce_ready: object,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.planted import generate  # identifiers of every kind in speech

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "transcripts").glob("*"))
             if p.suffix in (".txt", ".md")]
    texts += [interview.text for interview in generate(6, 3, seed=5)]
    texts.append("hij lag in het antonius en daarna in het amc. Ik sprak dhr. Jansen.")
    focused = [deduce_engine.deduce_flags(t) for t in texts]
    assert deduce_engine.hospital_words(), "deduce's hospital list was not found"
    monkeypatch.setattr(deduce_engine, "hospital_words", lambda: None)  # read everything
    assert [deduce_engine.deduce_flags(t) for t in texts] == focused
    assert any(f.text == "antonius" for f in focused[-1])
