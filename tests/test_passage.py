"""A report quote finds exactly the passage it stands for (issue 14, part 1).

Quotes are written the way Dutch reports print them: curly quotes, a trailing respondent label,
``[…]``/``(…)`` omissions, ``[author words]``, ``[D]ie`` letter changes. Every span is asserted
exactly against the transcript text the test builds."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.analysis.passage import (
    PassageError,
    TurnSpan,
    find_passage,
    percent,
    show,
    strip_quote,
)
from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding

TURNS = [
    ("I", "Kunt u vertellen hoe jongeren worden benaderd?"),
    ("R", "Dat gaat vaak via Snapchat. Eh, ze krijgen een bericht van iemand die ze niet kennen, met "
          "een foto van geld. Wie wil er snel geld verdienen? Dan reageren ze, en voor je het weet "
          "zitten ze erin. Die jongens zijn vaak een jaar of veertien, vijftien."),
    ("I", "En op school? Zien jullie dat daar ook?"),
    ("R", "Op school ook, ja. Bij de poort staan soms oudere jongens te wachten. Die spreken de "
          "jongere jongens aan. Dat zien de docenten niet altijd. Meiden worden geïsoleerd van hun "
          "vriendinnen, dat is echt een probleem."),
    ("I", "Welke dwangmiddelen ziet u?"),
    ("R", "Schulden vooral. Ze krijgen eerst iets, een paar sneakers of een telefoon, en dan moeten ze "
          "dat terugbetalen. En als ze dat niet kunnen, dan moeten ze werken. Geweld zie ik ook, maar "
          "minder. Dreigen met naaktfoto's, dat komt steeds vaker voor."),
]


@pytest.fixture
def tdb(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    return project.db


def text_of(db) -> str:
    return db["transcripts"].get("T1")["text"]


def span(db, first: str, last: str) -> tuple[int, int]:
    """The span from the start of ``first`` to the end of ``last`` (both unique in the text)."""
    text = text_of(db)
    assert text.count(first) == 1 and text.count(last) == 1, (first, last)
    a = text.index(first)
    return a, text.index(last, a) + len(last)


def test_elision_in_the_middle_codes_the_whole_passage(tdb):
    found = coding.find_quote(
        tdb, "T1", "“Dat gaat vaak via Snapchat. […] Dan reageren ze, en voor je het weet zitten ze "
                   "erin.” (Jongerenwerker A)")
    assert (found.start, found.end) == span(tdb, "Dat gaat vaak", "zitten ze erin.")
    assert found.how == "words" and found.score == 100
    text = text_of(tdb)
    assert [text[a:b] for a, b in found.fragments] == ["Dat gaat vaak via Snapchat",
                                                       "Dan reageren ze, en voor je het weet zitten ze erin"]
    assert found.interviewer_turns == [] and found.turns == [1]


@pytest.mark.parametrize("marker", ["[…]", "(…)", "[...]", "(...)"])
def test_every_omission_mark(tdb, marker):
    found = coding.find_quote(tdb, "T1", f"Op school ook, ja. {marker} Die spreken de jongere jongens aan.")
    assert (found.start, found.end) == span(tdb, "Op school ook", "jongere jongens aan.")


def test_insertion_at_the_start_takes_in_the_words_it_stands_for(tdb):
    found = coding.find_quote(tdb, "T1", "[De jongeren] krijgen een bericht van iemand die ze niet kennen")
    # "Eh, ze krijgen": the insertion stands for "ze", not for the hesitation before it.
    assert (found.start, found.end) == span(tdb, "ze krijgen een bericht", "die ze niet kennen")


def test_insertion_in_the_middle_and_letter_change(tdb):
    found = coding.find_quote(tdb, "T1", "[d]reigen met naaktfoto’s, dat komt [in onze wijk] steeds vaker voor.")
    assert (found.start, found.end) == span(tdb, "Dreigen met", "steeds vaker voor.")
    found = coding.find_quote(tdb, "T1", "Ze krijgen eerst iets […] en dan moeten [de jongeren] dat terugbetalen")
    assert (found.start, found.end) == span(tdb, "Ze krijgen eerst", "dat terugbetalen")


def test_diacritics_curly_quotes_and_case(tdb):
    for quote in ("„Meiden worden geïsoleerd van hun vriendinnen”",
                  "'meiden worden geisoleerd van hun vriendinnen'",
                  "“MEIDEN worden geïsoleerd van hun vriendinnen, dat is echt een probleem.” (Jongerenwerker)"):
        found = coding.find_quote(tdb, "T1", quote)
        assert found.start == span(tdb, "Meiden worden", "vriendinnen")[0], quote
    assert found.end == span(tdb, "Meiden worden", "echt een probleem.")[1]


def test_the_very_text_is_exact(tdb):
    found = coding.find_quote(tdb, "T1", "Schulden vooral.")
    assert (found.how, found.score) == ("exact", 100)
    assert (found.start, found.end) == span(tdb, "Schulden", "vooral.")


def test_the_tightest_reading_of_a_common_first_fragment(tdb):
    found = coding.find_quote(tdb, "T1", "ze […] moeten ze werken")
    assert (found.start, found.end) == span(tdb, "ze dat niet kunnen", "moeten ze werken")


def test_quote_across_an_interviewer_turn_is_refused(tdb):
    quote = "Die jongens zijn vaak een jaar of veertien, vijftien. […] Op school ook, ja."
    with pytest.raises(PassageError) as err:
        coding.find_quote(tdb, "T1", quote)
    assert err.value.kind == "interviewer" and err.value.turns == [2]
    assert "interviewer's turn 2" in err.value.message and "--include-interviewer" in err.value.message
    found = coding.find_quote(tdb, "T1", quote, include_interviewer=True)
    assert (found.start, found.end) == span(tdb, "Die jongens zijn", "Op school ook, ja.")
    assert found.interviewer_turns == [2] and found.turns == [1, 2, 3]


def test_joined_turns_without_a_mark_are_refused(tdb):
    with pytest.raises(PassageError) as err:
        coding.find_quote(tdb, "T1", "Dat zien de docenten niet altijd. Schulden vooral.")
    assert err.value.kind in ("interviewer", "weak")


def test_a_quote_inside_the_question_is_refused(tdb):
    with pytest.raises(PassageError) as err:
        coding.find_quote(tdb, "T1", "hoe jongeren worden benaderd")
    assert err.value.kind == "interviewer"


def test_fuzzy_match_of_an_edited_quote(tdb):
    found = coding.find_quote(tdb, "T1", "Bij de poort staan vaak oudere jongens te wachten")
    assert found.how == "fuzzy" and found.threshold <= found.score < 100
    assert (found.start, found.end) == span(tdb, "Bij de poort", "te wachten")


def test_fuzzy_fragment_after_an_exact_one(tdb):
    found = coding.find_quote(tdb, "T1", "Schulden vooral. […] Geweld zie ik ook, maar wel minder.")
    assert found.how == "fuzzy"
    assert (found.start, found.end) == span(tdb, "Schulden vooral", "maar minder.")


def test_weak_quote_names_the_closest_passage_with_consistent_figures(tdb):
    with pytest.raises(PassageError) as err:
        coding.find_quote(tdb, "T1", "de politie kwam langs met een hond en een busje")
    msg = err.value.message
    assert err.value.kind == "weak" and "a fuzzy match needs 90%" in msg and "«" in msg
    shown = int(msg.split("is only ")[1].split("%")[0])
    assert shown < 90


def test_percent_never_rounds_up_to_the_threshold():
    assert percent(89.6) == "89%" and percent(90.0) == "90%" and percent(100) == "100%"


def test_a_quote_twice_in_the_respondents_words_is_ambiguous(project, add_transcript):
    add_transcript("T2", turns=[("I", "Vraag één?"), ("R", "Dat zie je steeds vaker. Echt."),
                                ("I", "Vraag twee?"), ("R", "Ja. Dat zie je steeds vaker.")])
    with pytest.raises(PassageError) as err:
        coding.find_quote(project.db, "T2", "Dat zie je steeds vaker")
    assert err.value.kind == "ambiguous" and "occurs 2 times" in err.value.message
    found = coding.find_quote(project.db, "T2", "Dat zie je steeds vaker. Echt.")
    assert found.how == "exact"


def test_label_and_quote_marks_are_stripped():
    assert strip_quote("“Dat is zo.” (Jongerenwerker C)") == "Dat is zo."
    assert strip_quote("'Dat is zo' (Wijkagent).") == "Dat is zo"
    assert strip_quote("Dat is (zo)") == "Dat is (zo)"


def test_pure_function_on_its_own():
    text = "Vraag?\n\nAntwoord een. Antwoord twee is langer. Antwoord drie."
    turns = [TurnSpan(0, "interviewer", 0, 6), TurnSpan(1, "respondent", 8, len(text))]
    found = find_passage(text, "Antwoord een […] drie.", turns=turns)
    assert text[found.start:found.end] == "Antwoord een. Antwoord twee is langer. Antwoord drie."
    assert "«" in show(text, found.start, found.end)


# -- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def run(project, tdb):
    codebook.add(project.db, "anna", "Ronselen online")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--project", str(project.root), *args])

    return invoke


def test_cli_codes_the_passage_of_a_report_quote(run, project, tdb):
    out = run("code", "T1", "Ronselen online", "--quote",
              "“Dat gaat vaak via Snapchat. […] Dan reageren ze […] zitten ze erin.” (Jongerenwerker A)")
    assert out.exit_code == 0, out.output
    row = tdb.execute("select start, end from codings").fetchone()
    assert tuple(row) == span(tdb, "Dat gaat vaak", "zitten ze erin.")


def test_cli_refuses_interviewer_text_and_allows_it_on_request(run, project, tdb):
    quote = "Die jongens zijn vaak een jaar of veertien, vijftien. […] Op school ook, ja."
    out = run("code", "T1", "Ronselen online", "--quote", quote)
    assert out.exit_code == 1
    assert "interviewer's turn 2" in out.output and "--include-interviewer" in out.output
    assert tdb.execute("select count(*) from codings").fetchone()[0] == 0
    out = run("code", "T1", "Ronselen online", "--quote", quote, "--include-interviewer", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["interviewer_turns"] == [2] and data["match"]["how"] == "words"


def test_cli_fuzzy_match_shows_passage_score_and_threshold(run, tdb):
    out = run("code", "T1", "Ronselen online", "--quote", "Bij de poort staan vaak oudere jongens te wachten")
    assert out.exit_code == 0, out.output
    line = out.stdout.splitlines()[0]
    assert line.startswith("fuzzy match, ") and "(a fuzzy match needs 90%)" in line
    score = int(line.split("fuzzy match, ")[1].split("%")[0])
    assert 90 <= score < 100
    assert "«Bij de poort staan soms oudere jongens te wachten»" in line
    a, b = span(tdb, "Bij de poort", "te wachten")
    assert f"coded [{a}:{b}]" in line


def test_a_long_quote_of_words_the_text_lacks_is_refused_as_absent():
    """(An alignment of a long quote with nothing in common is slow; it is not attempted.)"""
    text = "Vraag?\n\n" + "Dit is een antwoord van de respondent over het werk. " * 300
    with pytest.raises(PassageError) as err:
        find_passage(text, "onbekend " * 60)
    assert err.value.kind == "absent"
