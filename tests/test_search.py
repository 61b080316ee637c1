"""Search: words and phrases (FTS5, diacritics), lemmas, fuzzy passages, filters, KWIC, CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import WorkbenchError
from workbench.services.search import kwic, search

T1 = [
    ("I", "Hoe worden jongeren benaderd?"),
    ("R", "Ze ronselen via Snapchat. Een jongen werd door een oudere jongen geronseld op het "
          "schoolplein. Daarna ronselden ze zijn vrienden."),
    ("I", "En nu?"),
    ("R", "Hij ronselt nu zelf. Het café in de wijk is één van de plekken waar ze afspreken."),
]
T2 = [
    ("I", "Welke signalen ziet u?"),
    ("R", "Dure kleding en nieuwe telefoons, dat valt op. Ze spijbelen ook vaak en hebben ineens "
          "veel geld op zak zonder dat iemand weet waar het vandaan komt."),
    ("I", "Wat doet u dan?"),
    ("R", "Ik bel de wijkagent en we gaan samen op huisbezoek bij de ouders. Cafe De Hoek is ook "
          "zo'n plek."),
]


@pytest.fixture
def proj(project, add_transcript):
    add_transcript("T1", role="jongerenwerker", turns=T1)
    add_transcript("T2", role="wijkagent", turns=T2, date="2023-02-01")
    return project


def _texts(db, hits):
    return [db["transcripts"].get(h.transcript_id)["text"][h.start:h.end] for h in hits]


def test_lemma_search_finds_inflected_forms(proj):
    hits = search(proj.db, "ronselen", mode="lemma")
    assert sorted(_texts(proj.db, hits)) == ["geronseld", "ronselden", "ronselen", "ronselt"]
    assert {h.label for h in hits} == {"Jongerenwerker"}
    # and an inflected query finds the others as well
    assert sorted(_texts(proj.db, search(proj.db, "geronseld", mode="lemma"))) == [
        "geronseld", "ronselden", "ronselen", "ronselt"]
    # plain word search does not
    assert _texts(proj.db, search(proj.db, "ronselen")) == ["ronselen"]


def test_word_search_ignores_case_and_diacritics(proj):
    hits = search(proj.db, "cafe")
    assert sorted(_texts(proj.db, hits)) == ["Cafe", "café"]
    hits = search(proj.db, "EEN")
    texts = _texts(proj.db, hits)
    assert "één" in texts and "Een" in texts
    assert search(proj.db, "één café") and _texts(proj.db, search(proj.db, "één café")) == ["café in de wijk is één"]


def test_phrase_search_needs_words_in_order(proj):
    hits = search(proj.db, "oudere jongen", mode="phrase")
    assert _texts(proj.db, hits) == ["oudere jongen"]
    assert search(proj.db, "jongen oudere", mode="phrase") == []
    assert search(proj.db, "jongen oudere")  # as words, order does not matter
    # a quoted part of a word search is a phrase
    assert _texts(proj.db, search(proj.db, '"dure kleding" telefoons'))[0].startswith("Dure kleding")


def test_prefix_and_special_characters(proj):
    assert sorted(_texts(proj.db, search(proj.db, "ronsel*"))) == ["ronselden", "ronselen", "ronselt"]
    # FTS syntax in user input is taken literally, never an error
    for q in ['NOT "', "AND OR", "zo'n -plek", "kleding)"]:
        search(proj.db, q)
    with pytest.raises(WorkbenchError):
        search(proj.db, "  ")
    with pytest.raises(WorkbenchError):
        search(proj.db, "x", mode="regex")


def test_hit_fields_context_and_codes(proj):
    from workbench.services.codebook.codes import add
    from workbench.services.coding.passages import apply_code

    db = proj.db
    add(db, "anna", "Signalen")
    text = db["transcripts"].get("T2")["text"]
    s = text.index("Dure kleding")
    apply_code(db, "anna", "T2", "Signalen", s, s + len("Dure kleding en nieuwe telefoons"))
    [hit] = search(db, "telefoons")
    assert hit.transcript_id == "T2" and hit.label == "Wijkagent"
    assert text[hit.start:hit.end] == "telefoons"
    assert text[hit.sentence_start:hit.sentence_end] == hit.text
    assert hit.codes == ["Signalen"]
    assert hit.text in hit.context and "Welke signalen ziet u?" not in hit.context  # another turn
    assert (hit.speaker, hit.respondent_label) == ("respondent", "Wijkagent")
    assert "Ze spijbelen" in hit.context
    # filters
    assert [h.transcript_id for h in search(db, "kleding", code="Signalen")] == ["T2"]
    assert search(db, "ronselen", code="Signalen") == []
    assert {h.transcript_id for h in search(db, "ze", respondent="Jongerenwerker")} == {"T1"}
    assert len(search(db, "ze", limit=1)) == 1


def test_fuzzy_search_with_two_typos(proj):
    query = "een jonge werd door een oudre jongen geronseld"  # two typos
    hits = search(proj.db, query, mode="fuzzy")
    assert hits, "no fuzzy hit"
    best = hits[0]
    text = proj.db["transcripts"].get(best.transcript_id)["text"]
    assert text[best.start:best.end] == "Een jongen werd door een oudere jongen geronseld"
    assert best.score >= 85
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


def test_fuzzy_search_across_two_sentences(proj):
    query = "dat valt op. ze spijbelen ook vaak en hebbn ineens veel geld"
    best = search(proj.db, query, mode="fuzzy")[0]
    text = proj.db["transcripts"].get(best.transcript_id)["text"]
    assert text[best.start:best.end].startswith("dat valt op. Ze spijbelen")
    assert text[best.start:best.end].endswith("veel geld")


def test_fuzzy_search_finds_nothing_for_unrelated_text(proj):
    assert search(proj.db, "kwantumfysica en sterrenkunde", mode="fuzzy") == []


def test_kwic_lists_every_occurrence_with_codes(proj):
    from workbench.services.codebook.codes import add
    from workbench.services.coding.passages import apply_code

    db = proj.db
    add(db, "anna", "Ronselen")
    text = db["transcripts"].get("T1")["text"]
    s = text.index("Daarna ronselden")
    apply_code(db, "anna", "T1", "Ronselen", s, s + len("Daarna ronselden ze zijn vrienden."))
    rows = kwic(db, "ronselen", width=20)
    assert [r["match"] for r in rows] == ["ronselen", "geronseld", "ronselden", "ronselt"]
    by_match = {r["match"]: r for r in rows}
    assert by_match["ronselden"]["codes"] == ["Ronselen"]
    assert by_match["ronselt"]["codes"] == []
    r = by_match["geronseld"]
    assert r["left"].endswith("oudere jongen ") and r["right"].startswith(" op het")
    assert len(r["left"]) <= 20 and len(r["right"]) <= 20


def test_search_cli(proj):
    from workbench.cli.main import cli

    runner = CliRunner()
    base = ["--project", str(proj.root)]
    result = runner.invoke(cli, [*base, "search", "ronselen", "--lemma"])
    assert result.exit_code == 0, result.output
    assert "»geronseld«" in result.output and "4 hit(s)" in result.output
    result = runner.invoke(cli, [*base, "search", "oudre jongen geronsld", "--fuzzy", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data[0]["transcript_id"] == "T1" and data[0]["score"] > 60
    result = runner.invoke(cli, [*base, "search", "cafe", "--respondent", "Wijkagent", "--json"])
    assert [h["transcript_id"] for h in json.loads(result.output)] == ["T2"]
    result = runner.invoke(cli, [*base, "search", "x", "--code", "nonexistent"])
    assert result.exit_code != 0 and "nonexistent" in result.output
    result = runner.invoke(cli, [*base, "kwic", "ronselen"])
    assert result.exit_code == 0 and "4 occurrence(s)" in result.output
    result = runner.invoke(cli, [*base, "kwic", "ronselen", "--json"])
    assert len(json.loads(result.output)) == 4


# -- who spoke (issue 14) ---------------------------------------------------------------------------

def test_interviewer_hits_carry_the_interviewers_label_and_come_last(proj):
    # "jongeren" in T1's question, and in no answer; "ronselen" in answers only;
    # "signalen" in T2's question only; "ze" in both.
    hits = search(proj.db, "jongeren")
    assert [(h.label, h.speaker, h.turn, h.respondent_label) for h in hits] == [
        ("Interviewer", "interviewer", 0, "Jongerenwerker")]
    both = search(proj.db, "ze")
    speakers = [h.speaker for h in both]
    assert "interviewer" not in speakers or speakers.index("interviewer") > max(
        i for i, s in enumerate(speakers) if s == "respondent")
    assert all(h.label != "Jongerenwerker" for h in search(proj.db, "benaderd"))
    for mode in ("word", "lemma", "fuzzy", "phrase"):
        hits = search(proj.db, "Welke signalen ziet u", mode=mode)
        assert hits and hits[-1].label == "Interviewer", mode
        assert all(h.speaker == "respondent" for h in search(
            proj.db, "Welke signalen ziet u", mode=mode, respondents_only=True)), mode


def test_respondent_hits_first_even_when_the_question_ranks_higher(project, add_transcript):
    add_transcript("T3", turns=[("I", "Snapchat Snapchat Snapchat?"),
                                ("R", "Ja, via Snapchat, en soms via andere apps en vrienden van vrienden.")])
    hits = search(project.db, "snapchat")
    assert [h.speaker for h in hits] == ["respondent", "interviewer"]
    assert [h.speaker for h in search(project.db, "snapchat", limit=1)] == ["respondent"]


def test_kwic_names_the_speaker_and_marks_turn_edges(proj):
    rows = kwic(proj.db, "ronselen", width=40)
    assert {r["label"] for r in rows} == {"Jongerenwerker"} and {r["speaker"] for r in rows} == {"respondent"}
    first = next(r for r in rows if r["match"] == "ronselen")  # "Ze ronselen via": the turn starts 3 chars before
    assert first["left"].startswith("¶ ") and "benaderd" not in first["left"]
    last = next(r for r in rows if r["match"] == "ronselden")  # the end of the turn comes before 40 chars
    assert last["right"].endswith(" ¶") and "En nu" not in last["right"]
    asked = kwic(proj.db, "signaal")
    assert [r["label"] for r in asked][-1] == "Interviewer"
    assert all(r["speaker"] == "respondent" for r in kwic(proj.db, "signaal", respondents_only=True))


def test_cli_search_and_kwic_show_the_speaker(proj):
    runner = CliRunner()

    def run(*args):
        out = runner.invoke(__import__("workbench.cli.main", fromlist=["cli"]).cli,
                            ["--project", str(proj.root), *args])
        assert out.exit_code == 0, out.output
        return out.stdout

    out = run("search", "jongeren")
    assert out.splitlines()[0].startswith("Interviewer · T1 s0 ")
    assert "Jongerenwerker" not in out.splitlines()[0]
    assert run("search", "jongeren", "--respondents").startswith("no hits")
    data = json.loads(run("search", "ze", "--json"))
    assert {d["speaker"] for d in data} <= {"respondent", "interviewer"} and data[0]["speaker"] == "respondent"
    out = run("kwic", "ronselen")
    assert "¶" in out and "Interviewer" not in out


def test_fuzzy_search_scores_a_bounded_set_when_every_word_start_is_common(proj, monkeypatch):
    """Issue 17: with word starts too common to rank (here: in more than one sentence), the
    candidates are the sentences with all of them, never every sentence."""
    import rapidfuzz.process

    from workbench.services import search as search_module

    scored: list[int] = []
    original = rapidfuzz.process.extract

    def counting(query, choices, **kw):
        scored.append(len(choices))
        return original(query, choices, **kw)

    monkeypatch.setattr(search_module, "FUZZY_COMMON", 1)
    monkeypatch.setattr(rapidfuzz.process, "extract", counting)
    total = proj.db.execute("select count(*) from sentences").fetchone()[0]
    best = search(proj.db, "een oudere jongn geronsld op het schoolplein", mode="fuzzy")[0]
    assert "op het schoolplein" in best.text
    assert total > 6 and scored == [2]  # the one sentence with every word start, and its pair


def test_a_fuzzy_hit_over_two_sentences_keeps_the_transcripts_white_space(project, add_transcript):
    add_transcript("T1", turns=[("I", "Hoe?"), ("R", "Ze ronselen via Snapchat.\nDaarna ronselden ze zijn vrienden.")])
    best = search(project.db, "via snapchat daarna ronselden ze", mode="fuzzy")[0]
    text = project.db["transcripts"].get("T1")["text"]
    assert "\n" in best.text and best.text == text[best.sentence_start : best.start + len(best.text)]
