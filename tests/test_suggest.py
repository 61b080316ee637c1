"""Code suggestions: similar existing codes and in-vivo names; never applied."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import WorkbenchError
from workbench.services.codebook.codes import add
from workbench.services.coding.passages import apply_code
from workbench.services.coding.suggest import suggest_codes, suggest_names


@pytest.fixture
def coded(project, add_transcript):
    db = project.db
    add_transcript("S1", turns=[
        ("I", "Hoe worden ze benaderd?"),
        ("R", "Ze worden via Snapchat geronseld door oudere jongens. "
              "Ze krijgen dure kleding en nieuwe telefoons. "
              "Later moeten ze drugs vervoeren naar andere steden."),
    ])
    add_transcript("S2", turns=[
        ("I", "Wat ziet u?"),
        ("R", "Een meisje werd op Instagram geronseld door een oudere jongen. "
              "Hij gaf haar een nieuwe telefoon en dure schoenen. "
              "Ik bel dan de wijkagent en de ouders."),
    ])
    add(db, "anna", "Ronselen via sociale media")
    add(db, "anna", "Lokmiddelen")
    add(db, "anna", "Samenwerking")
    t1 = db["transcripts"].get("S1")["text"]
    for frag, code in [("Ze worden via Snapchat geronseld door oudere jongens.", "Ronselen via sociale media"),
                       ("Ze krijgen dure kleding en nieuwe telefoons.", "Lokmiddelen")]:
        s = t1.index(frag)
        apply_code(db, "anna", "S1", code, s, s + len(frag))
    t2 = db["transcripts"].get("S2")["text"]
    s = t2.index("Ik bel dan")
    apply_code(db, "anna", "S2", "Samenwerking", s, s + len("Ik bel dan de wijkagent en de ouders."))
    return project


def _span(db, tid, frag):
    text = db["transcripts"].get(tid)["text"]
    s = text.index(frag)
    return s, s + len(frag)


def test_similar_codes_come_first(coded):
    db = coded.db
    before = db.execute("select count(*) from codings").fetchone()[0]
    s, e = _span(db, "S2", "Een meisje werd op Instagram geronseld door een oudere jongen.")
    sugg = suggest_codes(db, "S2", s, e)
    assert sugg[0].name == "Ronselen via sociale media"
    assert "ronselen" in sugg[0].shared and "oud" in " ".join(sugg[0].shared)
    assert all(a.score >= b.score for a, b in zip(sugg, sugg[1:], strict=False))
    s, e = _span(db, "S2", "Hij gaf haar een nieuwe telefoon en dure schoenen.")
    assert suggest_codes(db, "S2", s, e)[0].name == "Lokmiddelen"
    # suggestions are never applied
    assert db.execute("select count(*) from codings").fetchone()[0] == before


def test_code_already_on_the_passage_is_marked_not_used_as_evidence(coded):
    db = coded.db
    s, e = _span(db, "S2", "Ik bel dan de wijkagent en de ouders.")
    sugg = suggest_codes(db, "S2", s, e)
    # the only extract of Samenwerking is this passage itself: no evidence for it elsewhere
    assert all(c.name != "Samenwerking" for c in sugg)


def test_names_are_salient_words_without_stop_words(coded):
    db = coded.db
    s, e = _span(db, "S1", "Later moeten ze drugs vervoeren naar andere steden.")
    names = [n.name for n in suggest_names(db, "S1", s, e, limit=10)]
    assert names, "no names suggested"
    for stop in ("ze", "naar", "moeten", "andere", "later"):
        assert stop not in names
    assert "drugs" in names or "drugs vervoeren" in names
    assert any(" " in n for n in names)  # a phrase in the respondent's own words


def test_bad_spans_are_refused(coded):
    with pytest.raises(WorkbenchError):
        suggest_codes(coded.db, "S1", 10, 5)
    with pytest.raises(WorkbenchError):
        suggest_names(coded.db, "S1", 0, 10**6)
    with pytest.raises(WorkbenchError):
        suggest_codes(coded.db, "nope", 0, 5)


def test_suggest_cli(coded):
    from workbench.cli.main import cli

    runner = CliRunner()
    base = ["--project", str(coded.root)]
    result = runner.invoke(cli, [*base, "suggest", "S2", "--sentence", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["codes"][0]["name"] == "Ronselen via sociale media"
    assert data["names"]
    s, e = _span(coded.db, "S2", "Hij gaf haar een nieuwe telefoon en dure schoenen.")
    result = runner.invoke(cli, [*base, "suggest", "S2", "--span", f"{s}:{e}"])
    assert result.exit_code == 0 and "Lokmiddelen" in result.output
    result = runner.invoke(cli, [*base, "suggest", "S2"])
    assert result.exit_code != 0 and "--span" in result.output
    result = runner.invoke(cli, [*base, "suggest", "S2", "--span", "a:b"])
    assert result.exit_code != 0


# -- content words only (issue 24.6) ---------------------------------------------------------------

def test_suggestions_rest_on_content_words_on_a_generated_codebook(project, add_transcript):
    """Passages full of light verbs, hesitations, numbers and placeholders: none of those is
    ever shared evidence or an in-vivo name, over every passage of a generated project."""
    import random

    from workbench.services.coding.suggest import LIGHT_WORDS, placeholder_words, stop_words
    from workbench.services.transcripts.library import get_sentences

    rng = random.Random(24)
    content = ["snapchat", "ronselaars", "schulden", "pakketjes", "dreiging", "wijkagent",
               "schoolplein", "naaktfoto", "katvanger", "huisbezoek", "jeugdreclassering"]
    filler = ["Eh, ze gaan daar dan gewoon naartoe.", "Je krijgt dat dan wel mee, weet je.",
              "Mensen komen daarvoor twee of drie keer.", "Dat zie je bij [naam wijk] ook.",
              "Ik weet het niet, in [X] ook, twaalf jongens of zo.", "Daarna gaan ze weer."]
    turns = []
    for n in range(12):
        turns.append(("I", f"Vraag {n}?"))
        words = rng.sample(content, 3)
        turns.append(("R", f"{rng.choice(filler)} De {words[0]} en de {words[1]} bij {words[2]}. "
                           f"{rng.choice(filler)}"))
    add_transcript("G1", turns=turns)
    db = project.db
    codes = [add(db, "anna", f"Code {i}")["id"] for i in range(5)]
    sentences = [s for s in get_sentences(db, "G1") if not s["text"].startswith("Vraag")]
    for i, s in enumerate(sentences[:20]):
        apply_code(db, "anna", "G1", codes[i % 5], s["start"], s["end"])
    text = db["transcripts"].get("G1")["text"]
    noise = stop_words() | LIGHT_WORDS | placeholder_words([text]) | {"daarvoor", "daarna"}
    assert {"naam", "wijk", "x"} <= placeholder_words([text])
    seen_codes = seen_names = 0
    for s in sentences:
        for sug in suggest_codes(db, "G1", s["start"], s["end"]):
            seen_codes += 1
            assert not (set(sug.shared) & noise), (s["text"], sug.shared)
            assert not any(w.isdigit() for w in sug.shared)
        for name in suggest_names(db, "G1", s["start"], s["end"]):
            seen_names += 1
            words = name.name.split()
            assert not any(w in noise or w.isdigit() for w in words), (s["text"], name.name)
    assert seen_codes and seen_names
