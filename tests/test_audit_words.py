"""The audit's detectors try their patterns only where a match can start (after a keyword, at a
capitalised word, in a run holding "@" …): they must find exactly what scanning every
character finds. Checked against that scan on generated interviews, the sample transcripts and
hard cases."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from workbench.audit import addresses, context, dates, detectors, words
from workbench.audit.words import WordIndex, first_chunks, runs_holding, word_index

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from planted import generate  # noqa: E402

HARD = [
    "In Overvecht zie je dat. Hij woont in 't Zand en werkt bij PostNL, samen met Eneco.",
    "Zijn broer Ilias zei: Filmon, je moet stoppen! Toen kwam Yonas binnen.",
    "Mail naar s.öztürk@gmail.com of kijk op www.site.nl/x; snap: jaydenn_x, @mo.tb010",
    "Kenteken 12-ABC-3, ook wel 12ABC3 of AB-12-CD; geboren op 3 mei 2008, 14-02-2007.",
    "Ze woont op de Kastanjedreef 12-II, 3512 JK, aan 't Mercatorplein. Een jongen van zestien.",
    "hij is zestienjarige, ze is 16-jarig; toen ik veertien was. Drieëntwintig jaar oud.",
    "Ze zat op het Da Vinci College, daarna ROC Midden Nederland; de mbo-school Sint-Janscollege.",
    "Montessori Lyceum Amsterdam\nBasisschool De Regenboog. op school, het ROC.",
    "Łukasz en Şeyma zaten op het Zadkine. Ik sprak Ąna. sms'te hij? collega's van Welzijn Lokaal",
    "", "x", "@", "...", "De", "in Utrecht", "12", "'t",
]


def _texts() -> list[str]:
    texts = list(HARD)
    for seed in (1, 2, 3):
        texts += [interview.text for interview in generate(6, 6, seed=seed)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "transcripts").glob("*"))
              if p.is_file() and p.suffix in {".txt", ".md"}]
    return texts


def _scan_everything(monkeypatch) -> None:
    monkeypatch.setattr(WordIndex, "matches",
                        lambda self, regex, starts: regex.finditer(self.text))
    monkeypatch.setattr(detectors, "runs_holding", lambda text, needle: [(0, len(text))])
    monkeypatch.setattr(detectors, "_school_windows", lambda text: [(0, len(text))])


DETECTORS = [context.context_flags, detectors.pattern_flags, dates.date_flags,
             addresses.address_flags]


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda f: f.__module__ + "." + f.__name__)
def test_trying_patterns_where_they_can_start_finds_what_a_full_scan_finds(detector, monkeypatch):
    texts = _texts()
    fast = [detector(text) for text in texts]
    assert any(fast), "the texts hold findings for every detector"
    _scan_everything(monkeypatch)
    word_index.cache_clear()
    full = [detector(text) for text in texts]
    for text, a, b in zip(texts, fast, full, strict=True):
        assert a == b, text[:200]


def test_matches_skips_starts_inside_an_earlier_match_like_finditer():
    text = "bij de Bakker bij Bakker bij"
    regex = re.compile(r"(?<!\w)bij\s+(?:de\s+)?\w+")
    index = WordIndex(text)
    assert [m.span() for m in index.matches(regex, index.starting(frozenset({"bij", "de"})))] \
        == [m.span() for m in regex.finditer(text)]


def test_first_chunks_are_the_first_word_of_each_keyword():
    assert first_chunks(("in dienst bij", "sms'te", "Stichting")) == {"in", "sms", "stichting"}
    with pytest.raises(ValueError, match="'t"):
        first_chunks(("'t",))


def test_runs_holding_are_the_non_space_runs_around_each_needle():
    text = "mail a@b.nl of c@d.nl\tnu"
    assert [text[a:b] for a, b in runs_holding(text, re.compile("@"))] == ["a@b.nl", "c@d.nl"]
    assert runs_holding("geen", re.compile("@")) == []


def test_word_index_knows_capitals_numbers_and_words():
    index = words.WordIndex("De 12 jongens uit Łódź en 3b")
    assert [index.text[p:p + 2] for p in index.capitals] == ["De", "Łó"]
    assert [index.text[p] for p in index.numbers] == ["1", "3"]
    assert index.starting(frozenset({"uit", "en"})) == [14, 23]
