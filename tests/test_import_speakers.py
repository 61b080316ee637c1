"""Speaker prefixes the file's structure decides (numbered, lower-case, unusual), the warning for
every prefix kept as text, and matching the metadata's interviewer to a speaker's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.formats.importers import read_transcript
from workbench.formats.importers.model import ParsedTranscript
from workbench.formats.importers.speakers import assign_roles, match_interviewer, name_tokens
from workbench.formats.importers.turns import (
    judge_prefixes,
    loose_prefix_kind,
    match_turn,
    parse_turn_lines,
)

FORMATS = Path(__file__).resolve().parent / "data" / "formats"


def roles(lines: list[str], metadata: dict | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, text) per turn, and the warnings, for lines of a plain transcript."""
    turns, warnings = parse_turn_lines(lines, Path("x.txt"))
    parsed = ParsedTranscript(Path("x.txt"), "txt", turns, dict(metadata or {}), warnings)
    assign_roles(parsed)
    return [(t.label, t.text) for t in parsed.turns], parsed.warnings


# -- item: prefixes recognised from the file's structure ------------------------------------------

def test_numbered_participant_alternating_with_interviewer() -> None:
    parsed = read_transcript(FORMATS / "speakers_numbered.txt")
    assert [(t.label, t.text) for t in parsed.turns] == [
        ("Interviewer", "Vraag een?"), ("Respondent", "Antwoord een."),
        ("Interviewer", "Vraag twee?"), ("Respondent", "Antwoord twee."),
    ]


def test_site_code_speaker_and_one_off_name_is_warned() -> None:
    parsed = read_transcript(FORMATS / "speakers_unusual.txt")
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent"] * 3
    assert all("WA-Enschede" not in t.text for t in parsed.turns)
    assert parsed.turns[5].text.endswith("Bijvoorbeeld: een sleutel terug laten geven.")
    # 'Roos:' once, between two established speakers: text, and said so with its line
    assert parsed.turns[3].text.endswith("Roos: (collega, schuift aan) Dat zien wij ook, ja.")
    warning = next(w for w in parsed.warnings if "kept as text" in w)
    assert "'Roos:' (line 13" in warning and "(R)" in warning


def test_lower_case_name_alternating_with_a_label() -> None:
    parsed = read_transcript(FORMATS / "speakers_lowercase.txt")
    assert [(t.label, t.text) for t in parsed.turns] == [
        ("Interviewer", "Vraag een?"), ("Respondent", "Antwoord een met woorden."),
        ("Interviewer", "Vraag twee?"), ("Respondent", "Antwoord twee met meer woorden."),
    ]
    assert any("'jan:'" in w and "read as speaker" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "lines",
    [
        ["Interviewer: Vraag?", "deelnemer 4: Antwoord.", "Interviewer: Nog een?", "deelnemer 4: Ja."],
        ["I: Vraag?", "Deelnemer nr. 4: Antwoord.", "I: Nog een?", "Deelnemer nr. 4: Ja."],
        ["Interviewer: Vraag?", "Spreker #2: Antwoord.", "Interviewer: Nog een?", "Spreker #2: Ja."],
        ["i: Vraag?", "r: Antwoord.", "i: Nog een?", "r: Ja."],
        ["sanne: Vraag?", "jan de vries: Antwoord.", "sanne: Nog een?", "jan de vries: Ja."],
        ["**interviewer**: Vraag?", "**deelnemer_2**: Antwoord.", "**interviewer**: Nog een?", "**deelnemer_2**: Ja."],
    ],
)
def test_unusual_prefixes_that_take_turns_are_speakers(lines: list[str]) -> None:
    turns, _ = roles(lines)
    assert [t[1] for t in turns] == ["Vraag?", "Antwoord.", "Nog een?", "Ja."]
    assert len({t[0] for t in turns}) == 2


def test_lower_case_name_answering_once_is_a_speaker() -> None:
    turns, warnings = roles(["I: Wat doet u?", "jan: Ik ben wijkagent.", "I: Dank u."])
    assert turns == [("Interviewer", "Wat doet u?"), ("Respondent", "Ik ben wijkagent."), ("Interviewer", "Dank u.")]
    assert any("'jan:'" in w and "answers 'I'" in w for w in warnings)


@pytest.mark.parametrize(
    ("lines", "prefix", "reason"),
    [
        # a word the transcript also uses as an ordinary word
        (["I: Vraag?", "R: Antwoord.", "zeg: het is zo, zeg ik.", "I: Nou?", "R: Ja.", "zeg: dat."],
         "zeg", "ordinary word"),
        # once, not between two turns of one speaker
        (["I: Vraag?", "R: Antwoord.", "dus: dat is het.", "I: Oké.", "R: Ja."], "dus", "only once"),
        # twice, but nobody else speaks in between
        (["I: Vraag?", "R: Antwoord.", "stap: een.", "stap: twee.", "I: Oké.", "R: Ja."], "stap", "follow each other"),
        # a number alone does not make a one-off prefix a speaker
        (["I: Vraag?", "R: Antwoord.", "fase 2: de school.", "I: Oké.", "R: Ja."], "fase 2", "only once"),
    ],
)
def test_speaker_like_prefixes_kept_as_text_are_listed(lines: list[str], prefix: str, reason: str) -> None:
    turns, warnings = roles(lines)
    assert [label for label, _ in turns] == ["Interviewer", "Respondent"] * (len(turns) // 2)
    assert any(line.startswith(f"{prefix}:") for _, text in turns for line in text.split("\n"))
    warning = next(w for w in warnings if "kept as text" in w)
    assert f"'{prefix}:'" in warning and reason in warning


def test_sentences_with_colons_stay_text_without_a_warning() -> None:
    lines = ["I: Vraag?", "R: Het punt is: ze weten het niet.", "Om 12:30 staan ze er.", "wat ik zeg: klein.",
             "Het punt is: zo.", "ja, dus: zo.", "I: Oké."]
    turns, warnings = roles(lines)
    assert [label for label, _ in turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert turns[1][1].split("\n") == [line.removeprefix("R: ") for line in lines[1:6]]
    assert not any("kept as text" in w for w in warnings)


def test_single_lines_without_the_file_are_judged_strictly() -> None:
    assert match_turn("Deelnemer #4: Antwoord.") == ("Deelnemer #4", "Antwoord.", None)
    assert match_turn("WA-Enschede #2: Ja.") == ("WA-Enschede #2", "Ja.", None)
    assert match_turn("jan: Antwoord.") is None  # lower case needs the file's turn-taking


def test_prefix_shapes() -> None:
    assert loose_prefix_kind("jan") == loose_prefix_kind("jan de vries") == "name"
    assert loose_prefix_kind("deelnemer 4") == loose_prefix_kind("spreker #2") == "marker"
    for sentence in ("Het punt is", "wat ik zeg", "ja, dus", "dat komt omdat", "In 2020"):
        assert loose_prefix_kind(sentence) is None, sentence


def test_lower_case_speakers_in_captions(tmp_path: Path) -> None:
    cues = ["Interviewer: Wat doet u?", "jan: Ik ben wijkagent.", "Interviewer: Sinds wanneer?", "jan: Sinds 2019."]
    body = "\n\n".join(f"{n}\n00:00:0{n}.000 --> 00:00:0{n}.900\n{c}" for n, c in enumerate(cues, 1))
    path = tmp_path / "z.vtt"
    path.write_text("WEBVTT\n\n" + body + "\n", encoding="utf-8")
    parsed = read_transcript(path)
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent"] * 2
    assert parsed.turns[1].text == "Ik ben wijkagent."


words = st.text(alphabet="bcdfghklmnpstvwz", min_size=3, max_size=8).map(lambda s: s[:1] + "o" + s[1:])


@settings(max_examples=60, deadline=None)
@given(word=words, count=st.integers(min_value=1, max_value=3))
def test_every_doubtful_prefix_is_either_a_turn_or_in_a_warning(word: str, count: int) -> None:
    """Whatever the word: a lower-case prefix inside the respondent's answers is never dropped
    silently; it starts a turn (and is reported) or stays text (and is reported)."""
    lines = ["I: Hoe begon het?"]
    for n in range(count):
        lines += ["R: Het begon klein.", f"{word}: stukje {n}.", "I: En toen?"]
    lines.append("R: Toen ging het mis.")
    turns, warnings = roles(lines)
    spoken = " ".join(text for _, text in turns)
    for n in range(count):
        assert f"stukje {n}." in spoken
    as_text = any(line.startswith(f"{word}:") for _, text in turns for line in text.split("\n"))
    assert any(f"'{word}:'" in w for w in warnings)
    if as_text:
        assert any("kept as text" in w and f"'{word}:'" in w for w in warnings)


def test_judge_reports_kept_and_accepted_separately() -> None:
    from workbench.formats.importers.turns import match_line, match_loose

    lines = ["I: Vraag?", "jan: Antwoord.", "I: Nog een?", "jan: Ja.", "Kijk: dat is het.", "kijk maar."]
    found = [(n, match_line(x) or match_loose(x)) for n, x in enumerate(lines, 1)]
    verdict = judge_prefixes([(n, c) for n, c in found if c], "\n".join(lines))
    assert set(verdict.accepted) == {"jan"}
    assert set(verdict.kept) == {"Kijk"}


# -- item: the metadata's interviewer ----------------------------------------------------------------

SPEAKERS = {"bakker, joost": "Bakker, Joost (Gemeente Tilburg)", "verhoeven, sanne": "Verhoeven, Sanne"}


@pytest.mark.parametrize(
    "given_name",
    ["Sanne Verhoeven", "Verhoeven, Sanne", "sanne  VERHOEVEN", "Sanné Verhoeven", "S. Verhoeven",
     "Sanne", "Verhoeven", "Sanne Verhoeven; Piet Jansen", "Sanne Verhoeven (onderzoeker)"],
)
def test_interviewer_name_variants_match(given_name: str) -> None:
    found, problem = match_interviewer(given_name, SPEAKERS)
    assert (found, problem) == ({"verhoeven, sanne"}, None)


def test_interviewer_that_matches_nobody_or_several() -> None:
    found, problem = match_interviewer("Piet Jansen", SPEAKERS)
    assert not found
    assert "'Piet Jansen'" in problem and "'Verhoeven, Sanne'" in problem and "'Bakker, Joost" in problem
    found, problem = match_interviewer("Sanne", {"a": "Sanne Bakker", "b": "Sanne de Vries"})
    assert not found and "several" in problem
    assert match_interviewer("S.", SPEAKERS)[0] == set()  # an initial alone names nobody


def test_name_tokens() -> None:
    assert set(name_tokens("Vries, Jan de")) == set(name_tokens("Jan de Vries")) == {"jan", "vries"}
    assert name_tokens("Zoë Çelik") == ("zoe", "celik")


def test_teams_last_first_with_respondent_speaking_first() -> None:
    parsed = read_transcript(FORMATS / "teams_last_first.vtt")
    assert [t.label for t in parsed.turns] == ["Respondent", "Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert not any("interviewer" in w for w in parsed.warnings)


def test_interviewer_given_but_not_found_says_so(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "teams_last_first.vtt", tmp_path / "T.vtt")
    (tmp_path / "T.yaml").write_text("rol: activeringscoach\ninterviewer: Piet Jansen\n", encoding="utf-8")
    parsed = read_transcript(tmp_path / "T.vtt")
    warning = next(w for w in parsed.warnings if "interviewer" in w)
    assert "'Piet Jansen'" in warning and "'Verhoeven, Sanne'" in warning
    assert "set 'interviewer: NAME'" not in warning and "--replace" in warning


def test_no_interviewer_given_keeps_the_first_speaker_hint() -> None:
    turns, warnings = roles(["Anouk: Vraag?", "Karim: Antwoord.", "Anouk: Dank."])
    assert [label for label, _ in turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert any("set 'interviewer: NAME'" in w for w in warnings)
