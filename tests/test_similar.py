"""Passages like a code's extracts (``workbench similar``): ranking, what is left out, why,
passages grown over neighbours, too few extracts, themes, the JSON output and the evaluation."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from click.testing import CliRunner

from workbench.analysis.similarity import Sentence, grow_passages, random_rank_recall
from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages, similar

FILLER = [
    "We praten over de wijk en het buurthuis.", "Het weer was die week slecht.",
    "De gemeente heeft een nieuw beleid voor de sportvelden.", "Ouders komen naar de avond.",
    "Wij organiseren voetbal op woensdag.", "De bibliotheek is verbouwd.",
    "Er is een nieuwe collega begonnen bij het team.", "Het overleg duurt meestal een uur.",
]


def _quote(db, tid: str, text: str) -> tuple[int, int]:
    full = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
    start = full.index(text)
    return start, start + len(text)


@pytest.fixture
def corpus(project, add_transcript):
    """Four interviews: recruitment through Snapchat comes up in several respondent turns (three
    coded by anna), once in an interviewer's question, the rest is about other things."""
    add_transcript("A1", turns=[
        ("I", "Hoe worden jongeren benaderd?"),
        ("R", "Ze worden geronseld via Snapchat met berichten over snel geld verdienen."),
        ("I", "En verder?"),
        ("R", FILLER[0] + " " + FILLER[1]),
    ])
    add_transcript("A2", turns=[
        ("I", "Wat ziet u?"),
        ("R", "Op Snapchat krijgen ze berichten: snel geld verdienen met je bankpas."),
        ("I", "Wordt er via Snapchat geronseld met berichten over snel geld?"),
        ("R", FILLER[2] + " " + FILLER[3]),
    ])
    add_transcript("A3", turns=[
        ("I", "Vertel eens."),
        ("R", "Ronselaars sturen berichten via Snapchat en beloven snel geld."),
        ("I", "Dank u."),
        ("R", FILLER[4] + " " + FILLER[5]),
    ])
    add_transcript("A4", turns=[
        ("I", "Nog iets?"),
        ("R", FILLER[6] + " Jongens worden geronseld via Snapchat, met berichten over snel geld. "
              "Die berichten over geld verdienen gaan rond via Snapchat groepen. " + FILLER[7]),
    ])
    add_transcript("A5", turns=[  # much else besides: a random order rarely finds the few
        (("I", "Wat doet u?") if n % 2 else ("R", " ".join(FILLER[(n + i) % len(FILLER)] for i in range(4))))
        for n in range(24)] + [
        ("R", "Mijn dochter zit ook op Snapchat, net als iedereen."), ("I", "Juist."),
        ("R", "Snel geld is voor veel jongeren aantrekkelijk."), ("I", "Ja."),
        ("R", "Die berichten lees ik eigenlijk nooit."), ("I", "Nog meer?"),
        ("R", "Hij liep rond met een tas vol drugsgeld."),
    ])
    db = project.db
    codebook.add(db, "anna", "Werving", kind="theme")
    codebook.add(db, "anna", "Ronselen online", parent="Werving")
    for tid, text in (("A1", "Ze worden geronseld via Snapchat met berichten over snel geld verdienen."),
                      ("A2", "Op Snapchat krijgen ze berichten: snel geld verdienen met je bankpas."),
                      ("A3", "Ronselaars sturen berichten via Snapchat en beloven snel geld.")):
        passages.apply_code(db, "anna", tid, "Ronselen online", *_quote(db, tid, text))
    return project


def test_the_uncoded_passage_comes_first_with_its_reasons(corpus):
    result = similar.find_similar(corpus.db, "Ronselen online", coder="anna", limit=5)
    assert result.extracts == 3
    best = result.suggestions[0]
    assert best.transcript == "A4"
    assert "geronseld via Snapchat" in best.text
    assert {"snapchat", "geld"} <= set(best.why)
    assert best.label == corpus.db.execute("select label from transcripts where id = 'A4'").fetchone()[0]
    full = corpus.db.execute("select text from transcripts where id = 'A4'").fetchone()[0]
    assert full[best.start:best.end] == best.text
    # neither a coded extract nor the interviewer's question that uses the same words
    for s in result.suggestions:
        assert not (s.transcript in ("A1", "A3") and "Snapchat" in s.text)
        assert "Wordt er via Snapchat" not in s.text
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_neighbours_that_score_alike_make_one_passage(corpus):
    best = similar.find_similar(corpus.db, "Ronselen online", coder="anna").suggestions[0]
    assert len(best.sentences) == 2 and best.sentences[1] == best.sentences[0] + 1
    assert best.text.startswith("Jongens worden geronseld") and best.text.endswith("Snapchat groepen.")


def test_all_speakers_includes_the_interviewer(corpus):
    texts = [s.text for s in similar.find_similar(corpus.db, "Ronselen online", coder="anna",
                                                  all_speakers=True, limit=10).suggestions]
    assert any("Wordt er via Snapchat geronseld" in t for t in texts)


def test_a_theme_uses_the_extracts_of_its_codes(corpus):
    result = similar.find_similar(corpus.db, "Werving", coder="anna", limit=3)
    assert result.code["kind"] == "theme" and result.extracts == 3
    assert result.suggestions[0].transcript == "A4"


def test_too_few_extracts_is_said_plainly(corpus):
    with pytest.raises(WorkbenchError, match=r"'Ronselen online' has 0 extract\(s\) coded by bram.*at least 3"):
        similar.find_similar(corpus.db, "Ronselen online", coder="bram")
    db = corpus.db
    passages.apply_code(db, "bram", "A1", "Ronselen online",
                        *_quote(db, "A1", "Ze worden geronseld via Snapchat met berichten over snel geld verdienen."))
    with pytest.raises(WorkbenchError, match="has 1 extract"):
        similar.find_similar(db, "Ronselen online", coder="bram")


def test_the_command_prints_json_as_documented(corpus):
    result = CliRunner().invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online",
                                      "--json", "--limit", "3"], env={})
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and len(rows) <= 3
    assert set(rows[0]) == {"transcript", "start", "end", "sentences", "label", "text", "score", "why"}
    assert rows[0]["transcript"] == "A4"
    text = CliRunner().invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online"], env={})
    assert text.exit_code == 0 and "why: " in text.output and "suggestions only" in text.output
    bram = CliRunner().invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online",
                                    "--coder", "bram"], env={})
    assert bram.exit_code != 0 and "at least 3" in bram.output


def test_nothing_is_coded(corpus):
    before = corpus.db.execute("select count(*) from codings").fetchone()[0]
    similar.find_similar(corpus.db, "Ronselen online", coder="anna")
    assert corpus.db.execute("select count(*) from codings").fetchone()[0] == before


def test_evaluation_finds_hidden_extracts_far_above_chance(corpus):
    db = corpus.db
    passages.apply_code(db, "anna", "A4", "Ronselen online",
                        *_quote(db, "A4", "Jongens worden geronseld via Snapchat, met berichten over snel geld."))
    result = similar.evaluate(db, "Ronselen online", coder="anna")
    assert result.extracts == 4 and len(result.ranks) == 4
    assert result.recall[10] == 1.0
    assert result.baseline[10] < result.recall[10]
    everything = similar.evaluate_all(db, coder="anna")
    assert [e.code["name"] for e in everything] == ["Ronselen online"]
    with pytest.raises(WorkbenchError, match="at least 4"):
        similar.evaluate(db, "Ronselen online", coder="bram")


def test_random_baseline_matches_counting() -> None:
    for eligible, m, k in ((10, 1, 3), (12, 2, 5), (7, 3, 7), (9, 4, 2)):
        orders = list(itertools.combinations(range(eligible), k))  # the first k of a random order
        found = sum(1 for first in orders if any(i < m for i in first)) / len(orders)
        assert random_rank_recall(eligible, [m], k) == pytest.approx(found)


def test_passages_stay_in_their_turn() -> None:
    rng = random.Random(1)
    scored = [Sentence("T", i, i // 3, i * 10, i * 10 + 9, rng.uniform(0.5, 1.0), [f"w{i}"]) for i in range(9)]
    grown = grow_passages(scored, 10)
    for p in grown:
        turns = {scored[i].turn for i in p.sentences}
        assert len(turns) == 1
        assert p.sentences == list(range(p.sentences[0], p.sentences[-1] + 1))
    assert sorted(i for p in grown for i in p.sentences) == list(range(9))


def test_a_rejected_passage_is_not_suggested_again_and_undo_brings_it_back(corpus):
    from workbench.store.changes import undo_last

    db = corpus.db
    best = similar.find_similar(db, "Ronselen online", coder="anna").suggestions[0]
    similar.reject(db, "anna", "Ronselen online", best.transcript, best.start, best.end)
    again = similar.find_similar(db, "Ronselen online", coder="anna").suggestions
    assert all(not (s.transcript == best.transcript and s.start < best.end and s.end > best.start) for s in again)
    # another coder still gets it
    for tid, text in (("A1", "Ze worden geronseld via Snapchat met berichten over snel geld verdienen."),
                      ("A2", "Op Snapchat krijgen ze berichten: snel geld verdienen met je bankpas."),
                      ("A3", "Ronselaars sturen berichten via Snapchat en beloven snel geld.")):
        passages.apply_code(db, "bram", tid, "Ronselen online", *_quote(db, tid, text))
    assert similar.find_similar(db, "Ronselen online", coder="bram").suggestions[0].start == best.start
    undo_last(db, "bram")
    undo_last(db, "bram")
    undo_last(db, "bram")
    undo_last(db, "anna")
    assert similar.find_similar(db, "Ronselen online", coder="anna").suggestions[0].start == best.start


# -- the review queue in the terminal UI ------------------------------------------------------------

async def _queue(app, pilot, code_ref: str):
    from workbench.tui.screens.review import ReviewScreen
    from workbench.tui.screens.similar import SimilarScreen

    code_id = codebook.resolve(app.project.db, code_ref)["id"]
    app.push_screen(ReviewScreen(code_id))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f")
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, SimilarScreen) and app.screen.loaded:
            break
    assert isinstance(app.screen, SimilarScreen) and app.screen.loaded
    return app.screen


async def test_the_queue_codes_only_on_a_key_and_remembers_rejections(corpus):
    from workbench.tui.app import WorkbenchApp

    db = corpus.db
    app = WorkbenchApp(corpus)
    async with app.run_test(size=(130, 40)) as pilot:
        queue = await _queue(app, pilot, "Ronselen online")
        first = queue.current
        assert first.transcript == "A4"
        assert "suggestion 1 of" in str(queue.query_one("#similar-head").render())
        assert "why:" in str(queue.query_one("#similar-why").render())
        codings = db.execute("select count(*) from codings").fetchone()[0]
        await pilot.press("s")  # skip: nothing written
        assert db.execute("select count(*) from codings").fetchone()[0] == codings
        second = queue.current
        await pilot.press("r")  # reject: remembered for anna and this code
        assert db.execute("select transcript_id, start, [end] from similar_rejections where coder = 'anna'"
                          ).fetchall() == [(second.transcript, second.start, second.end)]
        third = queue.current
        await pilot.press("a")  # accept: coded, one recorded change
        await pilot.pause()
        row = db.execute("select transcript_id, start, [end], coder from codings where transcript_id = ? "
                         "and start = ?", [third.transcript, third.start]).fetchone()
        assert row == (third.transcript, third.start, third.end, "anna")
        assert queue.counts == {"accepted": 1, "rejected": 1, "skipped": 1}
        assert "reviewed 3: 1 accepted, 1 rejected, 1 skipped" in str(queue.query_one("#similar-head").render())
        await pilot.press("u")  # the app's undo takes the coding back
        await pilot.pause()
        assert db.execute("select count(*) from codings").fetchone()[0] == codings
        await pilot.press("enter")
        await pilot.pause()
        from workbench.tui.screens.reader import ReaderScreen
        assert isinstance(app.screen, ReaderScreen) and app.screen.transcript_id == queue.current.transcript
    again = similar.find_similar(db, "Ronselen online", coder="anna", limit=50).suggestions
    assert not any(s.transcript == second.transcript and s.start == second.start for s in again)
    assert any(s.transcript == first.transcript and s.start == first.start for s in again)  # skipped stays


async def test_the_queue_says_when_there_are_too_few_extracts(corpus):
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(corpus, coder="bram")
    async with app.run_test(size=(130, 40)) as pilot:
        queue = await _queue(app, pilot, "Ronselen online")
        assert queue.current is None
        assert "at least 3" in str(queue.query_one("#similar-head").render())


def test_a_compound_counts_as_its_last_part(corpus):
    from workbench.analysis.similarity import Profile

    profile = Profile([["snapchat", "geld", "woning"]], ["x"], lambda _w: 1.0)
    assert profile.head("drugsgeld") == "geld" and profile.head("huurwoning") == "woning"
    assert profile.head("geld") == "geld" and profile.head("gelden") == "gelden"
    assert profile.head("xgeld") == "xgeld"  # a part of its own of at least 3 letters
    found = similar.find_similar(corpus.db, "Ronselen online", coder="anna", limit=50).suggestions
    drugsgeld = next(s for s in found if "drugsgeld" in s.text)
    assert "geld" in drugsgeld.why


def test_rejected_passages_are_negative_examples(corpus):
    from workbench.analysis.similarity import Profile

    extracts = [["snapchat", "geld", "bericht"], ["snapchat", "ronselen"], ["geld", "verdienen"]]
    plain = Profile(extracts, ["a", "b", "c"], lambda _w: 1.0)
    taught = Profile(extracts, ["a", "b", "c"], lambda _w: 1.0, negatives=[["snapchat", "dochter"]])
    assert taught.score(["snapchat", "dochter"])[0] < plain.score(["snapchat", "dochter"])[0]
    assert taught.score(["geld", "verdienen"])[0] == plain.score(["geld", "verdienen"])[0]

    db = corpus.db

    def daughter_score() -> float:
        found = similar.find_similar(db, "Ronselen online", coder="anna", limit=50).suggestions
        return next(s.score for s in found if "dochter" in s.text)

    before = daughter_score()
    best = similar.find_similar(db, "Ronselen online", coder="anna").suggestions[0]
    similar.reject(db, "anna", "Ronselen online", best.transcript, best.start, best.end)
    assert daughter_score() < before  # it shares 'snapchat' with the rejected passage


def test_the_command_rejects_a_suggestion(corpus):
    best = similar.find_similar(corpus.db, "Ronselen online", coder="anna").suggestions[0]
    run = CliRunner()
    done = run.invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online", "--reject",
                            f"{best.transcript}:{best.start}:{best.end}"], env={})
    assert done.exit_code == 0, done.output
    assert "rejected" in done.output
    after = run.invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online", "--json"], env={})
    assert all(r["start"] != best.start for r in json.loads(after.output) if r["transcript"] == best.transcript)
    bad = run.invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online", "--reject", "A4:5"], env={})
    assert bad.exit_code == 2 and "TRANSCRIPT:START:END" in bad.output
    outside = run.invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online", "--reject",
                               "A4:0:999999"], env={})
    assert outside.exit_code != 0 and "outside the text" in outside.output
    unknown = run.invoke(cli, ["--project", str(corpus.root), "similar", "Ronselen online", "--reject",
                               "NOPE:0:5"], env={})
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
