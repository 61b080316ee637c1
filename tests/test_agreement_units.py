"""Units by the more-than-half coverage rule, and which transcripts take part."""

from __future__ import annotations

import pytest

from workbench.agreement import units
from workbench.agreement.units import collect, merge_spans
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.transcripts.library import get_sentences, get_turns


def turns(tid: str) -> list[tuple[str, str]]:
    return [(TURNS[0][0], f"Hoe begon het (interview {tid})?"), *TURNS[1:]]


TURNS = [
    ("I", "Hoe begon het?"),
    ("R", "Het begon op school met een paar jongens. Daarna ging het snel."),
    ("I", "Wat deed u?"),
    ("R", "Ik belde de wijkagent. We maakten samen een plan."),
]


@pytest.fixture
def setup(project, add_transcript):
    db = project.db
    for n, tid in enumerate(("T1", "T2", "T3"), start=1):
        add_transcript(tid, turns=turns(tid), date=f"2023-0{n}-01")
    codebook.add(db, "anna", "School")
    codebook.add(db, "anna", "Politie")
    return db


def sentence(db, tid: str, n: int) -> dict:
    return get_sentences(db, tid)[n]


def test_merge_spans_unions_overlapping_and_touching():
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 12), (20, 20)]) == [(0, 4), (5, 12)]


def test_exactly_half_is_not_applied_more_than_half_is(setup):
    db = setup
    text = db["transcripts"].get("T1")["text"]
    # a sentence of even length whose middle characters are not spaces (spans are trimmed)
    even = next(
        x for x in get_sentences(db, "T1")
        if (x["end"] - x["start"]) % 2 == 0
        and not text[x["start"] + (x["end"] - x["start"]) // 2 - 1].isspace()
        and not text[x["start"] + (x["end"] - x["start"]) // 2].isspace()
    )
    h = (even["end"] - even["start"]) // 2
    coding.apply_code(db, "anna", "T1", "School", even["start"], even["start"] + h)
    coding.apply_code(db, "bram", "T1", "School", even["start"], even["start"] + h + 1)
    uc = collect(db, ("anna", "bram"), "sentence")
    school = codebook.resolve(db, "School")["id"]
    pos = uc.position("T1", even["idx"])
    assert pos is not None
    assert pos not in uc.applied["anna"].get(school, set())  # exactly 50%: not applied
    assert pos in uc.applied["bram"].get(school, set())  # 50% and one character: applied


def test_union_of_codings_counts_and_overlaps_are_not_double_counted(setup):
    db = setup
    s = sentence(db, "T1", 1)
    n = s["end"] - s["start"]
    third = n // 3
    # two codings each a third, together two thirds: applied
    coding.apply_code(db, "anna", "T1", "School", s["start"], s["start"] + third)
    coding.apply_code(db, "anna", "T1", "School", s["start"] + third + 1, s["start"] + 2 * third + 1)
    # bram: 0-40% and 10-40%: together 70% of the characters, but their union is 40%
    text = db["transcripts"].get("T1")["text"]
    forty = int(n * 0.4)
    while text[s["start"] + forty - 1].isspace():
        forty -= 1
    ten = next(k for k in range(int(n * 0.1), n) if not text[s["start"] + k].isspace())
    coding.apply_code(db, "bram", "T1", "School", s["start"], s["start"] + forty)
    coding.apply_code(db, "bram", "T1", "School", s["start"] + ten, s["start"] + forty)
    uc = collect(db, ("anna", "bram"))
    school = codebook.resolve(db, "School")["id"]
    pos = uc.position("T1", 1)
    assert pos in uc.applied["anna"][school]
    assert pos not in uc.applied["bram"].get(school, set())


def test_a_long_coding_applies_to_every_unit_it_mostly_covers(setup):
    db = setup
    turn = get_turns(db, "T1")[1]
    coding.apply_code(db, "anna", "T1", "School", turn["start"], turn["end"])
    coding.apply_code(db, "bram", "T1", "Politie", turn["start"], turn["end"])
    uc = collect(db, ("anna", "bram"), "sentence")
    school = codebook.resolve(db, "School")["id"]
    got = sorted(uc.units[p].idx for p in uc.applied["anna"][school])
    assert got == [s["idx"] for s in get_sentences(db, "T1") if s["turn_idx"] == 1]
    by_turn = collect(db, ("anna", "bram"), "turn")
    assert [by_turn.units[p].idx for p in by_turn.applied["anna"][school]] == [1]
    whole = collect(db, ("anna", "bram"), "transcript", include_interviewer=True)
    assert len(whole.units) == 1
    # one turn is less than half of the whole transcript …
    assert not whole.applied["anna"].get(school)
    # … but more than half of the respondent's words (turns 1 and 3), which count by default
    respondent = collect(db, ("anna", "bram"), "transcript")
    assert respondent.applied["anna"][school] == {0}
    assert respondent.segments == {"T1": [(t["start"], t["end"]) for t in get_turns(db, "T1")
                                          if t["role"] == "respondent"]}


def test_only_transcripts_every_coder_coded_take_part(setup):
    db = setup
    coding.apply_code(db, "anna", "T1", "School", *span(db, "T1", 1))
    coding.apply_code(db, "bram", "T1", "School", *span(db, "T1", 1))
    coding.apply_code(db, "anna", "T2", "School", *span(db, "T2", 1))
    uc = collect(db, ("anna", "bram"))
    assert uc.transcripts == ["T1"]
    reasons = {e["transcript"]: e["reason"] for e in uc.excluded}
    assert reasons == {"T2": "not coded by bram", "T3": "not coded by anna, bram"}
    assert {u.transcript_id for u in uc.units} == {"T1"}
    assert len(collect(db, ("anna", "bram"), include_interviewer=True).units) == len(get_sentences(db, "T1"))


def span(db, tid, n):
    s = sentence(db, tid, n)
    return s["start"], s["end"]


def test_default_coders_are_the_two_with_most_codings_without_consensus(setup):
    db = setup
    for tid in ("T1", "T2", "T3"):
        coding.apply_code(db, "anna", tid, "School", *span(db, tid, 1))
        coding.apply_code(db, "consensus", tid, "School", *span(db, tid, 1))
        coding.apply_code(db, "consensus", tid, "Politie", *span(db, tid, 3))
    coding.apply_code(db, "bram", "T1", "School", *span(db, "T1", 1))
    assert units.default_coders(db) == ("anna", "bram")
    with pytest.raises(WorkbenchError, match="no codings by zoe"):
        units.parse_coders(db, "anna,zoe")
    with pytest.raises(WorkbenchError, match="at least two"):
        units.parse_coders(db, "anna")


def test_agreement_needs_two_coders(setup):
    db = setup
    coding.apply_code(db, "anna", "T1", "School", *span(db, "T1", 1))
    with pytest.raises(WorkbenchError, match="two coders"):
        units.default_coders(db)
    with pytest.raises(WorkbenchError, match="unknown unit"):
        collect(db, ("anna", "bram"), "paragraph")


def test_units_are_the_respondents_unless_the_interviewer_is_included(setup):
    db = setup
    sents = get_sentences(db, "T1")
    turn_role = {t["idx"]: t["role"] for t in get_turns(db, "T1")}
    respondent = [s["idx"] for s in sents if turn_role[s["turn_idx"]] == "respondent"]
    interviewer = [s["idx"] for s in sents if turn_role[s["turn_idx"]] == "interviewer"]
    assert respondent and interviewer
    # both coders also coded an interviewer question (coding it is not forbidden)
    for coder in ("anna", "bram"):
        coding.apply_code(db, coder, "T1", "School", *span(db, "T1", respondent[0]))
        coding.apply_code(db, coder, "T1", "Politie", *span(db, "T1", interviewer[0]))
    uc = collect(db, ("anna", "bram"))
    assert [u.idx for u in uc.units] == respondent
    assert uc.position("T1", interviewer[0]) is None
    politie = codebook.resolve(db, "Politie")["id"]
    assert not uc.applied["anna"].get(politie)  # the question's coding counts nowhere
    every = collect(db, ("anna", "bram"), include_interviewer=True)
    assert [u.idx for u in every.units] == [s["idx"] for s in sents]
    assert every.applied["anna"][politie] == {every.position("T1", interviewer[0])}
    turns_only = collect(db, ("anna", "bram"), "turn")
    assert [u.idx for u in turns_only.units] == [i for i, r in turn_role.items() if r == "respondent"]
    assert units.interviewer_unit(db, "sentence", "T1", interviewer[0])
    assert not units.interviewer_unit(db, "sentence", "T1", respondent[0])
    assert units.interviewer_unit(db, "turn", "T1", 0) and not units.interviewer_unit(db, "turn", "T1", 1)
