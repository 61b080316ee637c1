"""Agreement figures: the end-to-end CLI case computed by hand, themes, pooled and mean,
segment matching, undefined figures, and the pattern-count figures against the metrics library."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.agreement import figures, metrics
from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.transcripts.library import get_sentences

TURNS = [
    ("I", "Hoe begon het?"),
    ("R", "Het begon op school. Daarna ging het snel. Ze kregen geld. Ze moesten pakketjes rijden."),
    ("I", "Wat deed u?"),
    ("R", "Ik belde de wijkagent. We maakten een plan. Het hielp niet altijd. Soms is het te laat."),
]


def run(project, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_end_to_end_kappa_matches_a_hand_computation(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    assert len(get_sentences(project.db, "T1")) == 10  # s0 … s9; s0 and s5 are the interviewer's
    run(project, "codebook", "add", "Werving")
    for n in (1, 2, 3, 5):
        run(project, "code", "T1", "Werving", "--sentence", str(n), "--coder", "anna")
    for n in (1, 2, 4):
        run(project, "code", "T1", "Werving", "--sentence", str(n), "--coder", "bram")
    # With --include-interviewer, by hand, 10 sentences: both coded 1, 2 (2); only anna 3, 5
    # (2); only bram 4 (1); neither 0, 6, 7, 8, 9 (5).
    # p_o = (2 + 5) / 10 = 0.7
    # p_e = P(anna yes) P(bram yes) + P(anna no) P(bram no) = 0.4 * 0.3 + 0.6 * 0.7 = 0.54
    # kappa = (0.7 - 0.54) / (1 - 0.54) = 0.16 / 0.46 = 0.347826…
    # alpha (nominal): n = 20 values, 7 "present", 13 "absent"; 3 disagreeing units each give
    # 2 off-diagonal coincidences, D_o sum = 6; D_e sum = 2 * 7 * 13 = 182;
    # alpha = 1 - (n - 1) * 6 / 182 = 1 - 114 / 182 = 0.373626…
    data = json.loads(run(project, "agreement", "--json", "--include-interviewer"))
    (row,) = data["codes"]
    assert data["include_interviewer"] is True
    assert row["code"] == "Werving"
    assert row["coded"] == {"anna": 4, "bram": 3}
    assert row["both"] == 2
    assert row["percent_agreement"] == pytest.approx(0.7)
    assert row["cohen_kappa"] == pytest.approx(0.16 / 0.46)
    assert row["krippendorff_alpha"] == pytest.approx(1 - 114 / 182)
    assert data["coders"] == ["anna", "bram"]
    assert data["units"] == 10 and data["transcripts"] == ["T1"]
    # one code: pooled and mean equal the code's figures
    assert data["overall"]["pooled"]["cohen_kappa"] == pytest.approx(0.16 / 0.46)
    assert data["overall"]["mean"]["cohen_kappa"] == pytest.approx(0.16 / 0.46)
    text = run(project, "agreement", "--include-interviewer")
    assert "0.348" in text and "0.374" in text and "70.0%" in text and "all speakers" in text
    # By default only the respondent's 8 sentences (1-4, 6-9) are units; anna's coding of the
    # interviewer's sentence 5 does not count. Both 1, 2 (2); only anna 3; only bram 4;
    # neither 6, 7, 8, 9 (4). p_o = 6 / 8 = 0.75; p_e = (3/8)^2 + (5/8)^2 = 34/64;
    # kappa = (0.75 - 34/64) / (1 - 34/64) = 14/30 = 0.4667;
    # alpha: n = 16 values, 6 present, 10 absent; D_o sum = 4; D_e sum = 2 * 6 * 10 = 120;
    # alpha = 1 - 15 * 4 / 120 = 0.5.
    data = json.loads(run(project, "agreement", "--json"))
    (row,) = data["codes"]
    assert data["include_interviewer"] is False
    assert data["units"] == 8
    assert row["coded"] == {"anna": 3, "bram": 3} and row["both"] == 2
    assert row["percent_agreement"] == pytest.approx(0.75)
    assert row["cohen_kappa"] == pytest.approx(14 / 30)
    assert row["krippendorff_alpha"] == pytest.approx(0.5)
    text = run(project, "agreement")
    assert "0.467" in text and "0.500" in text and "75.0%" in text and "respondent only" in text


def test_json_keys_are_stable(two_coders):
    db, code, _ = two_coders
    code("anna", "Online", 1)
    code("bram", "Online", 1)
    data = figures.compute(db, ("anna", "bram"))
    assert list(data) == ["coders", "unit", "include_interviewer", "transcripts",
                          "excluded_transcripts", "units", "codes", "themes", "overall", "segments"]


@pytest.fixture
def two_coders(project, add_transcript):
    """T1 (10 sentences), a theme with two codes and a loose code."""
    db = project.db
    add_transcript("T1", turns=TURNS)
    codebook.add(db, "anna", "Werven", kind="theme")
    codebook.add(db, "anna", "Online", parent="Werven")
    codebook.add(db, "anna", "Straat", parent="Werven")
    codebook.add(db, "anna", "Aanpak")
    sents = get_sentences(db, "T1")

    def code(coder: str, name: str, n: int) -> None:
        coding.apply_code(db, coder, "T1", name, sents[n]["start"], sents[n]["end"])

    return db, code, sents


def test_theme_alpha_with_a_conflict(two_coders):
    db, code, _ = two_coders
    # unit: anna / bram
    code("anna", "Online", 1)
    code("bram", "Online", 1)      # 1: Online / Online
    code("anna", "Straat", 2)
    code("bram", "Online", 2)      # 2: Straat / Online
    code("anna", "Straat", 3)
    code("bram", "Straat", 3)
    code("bram", "Online", 3)      # 3: Straat / conflict -> missing
    code("anna", "Online", 4)      # 4: Online / none -> missing
    code("anna", "Straat", 6)
    code("bram", "Straat", 6)      # 6: Straat / Straat
    code("anna", "Aanpak", 9)
    code("bram", "Aanpak", 9)
    data = figures.compute(db, ("anna", "bram"))
    (theme,) = data["themes"]
    assert theme["theme"] == "Werven" and theme["codes"] == ["Online", "Straat"]
    assert theme["conflicts"] == {"anna": 0, "bram": 1}
    assert theme["units"] == 5  # units where either coder gave a theme code
    ref = [["Online", "Straat", "Straat", "Online", "Straat"],
           ["Online", "Online", None, None, "Straat"]]
    assert theme["krippendorff_alpha"] == pytest.approx(metrics.krippendorff_alpha(ref))
    assert theme["cohen_kappa"] == pytest.approx(metrics.cohen_kappa(*ref))
    assert theme["percent_agreement"] == pytest.approx(2 / 3)


def test_pooled_stacks_codes_and_mean_averages_them(two_coders):
    db, code, sents = two_coders
    code("anna", "Online", 1)
    code("bram", "Online", 1)
    code("anna", "Online", 2)
    code("anna", "Straat", 3)
    code("bram", "Straat", 3)
    code("bram", "Straat", 4)
    code("anna", "Aanpak", 9)
    code("bram", "Aanpak", 8)
    data = figures.compute(db, ("anna", "bram"))
    units = [s["idx"] for s in sents if s["idx"] not in (0, 5)]  # the respondent's sentences
    n = len(units)
    rows = {"Online": ({1, 2}, {1}), "Straat": ({3}, {3, 4}), "Aanpak": ({9}, {8})}
    stacked_a, stacked_b, kappas, alphas = [], [], [], []
    for _name, (a, b) in rows.items():
        ra = [u in a for u in units]
        rb = [u in b for u in units]
        stacked_a += ra
        stacked_b += rb
        kappas.append(metrics.cohen_kappa(ra, rb))
        alphas.append(metrics.krippendorff_alpha([ra, rb]))
    pooled = data["overall"]["pooled"]
    assert pooled["units"] == 3 * n
    assert pooled["cohen_kappa"] == pytest.approx(metrics.cohen_kappa(stacked_a, stacked_b))
    assert pooled["krippendorff_alpha"] == pytest.approx(metrics.krippendorff_alpha([stacked_a, stacked_b]))
    mean = data["overall"]["mean"]
    assert mean["cohen_kappa"] == pytest.approx(sum(kappas) / 3)
    assert mean["krippendorff_alpha"] == pytest.approx(sum(alphas) / 3)
    assert mean["defined"]["cohen_kappa"] == 3


def test_segment_matching_by_overlap_threshold(two_coders):
    db, _code, sents = two_coders
    s = sents[1]
    text = db["transcripts"].get("T1")["text"]
    length = s["end"] - s["start"]
    coding.apply_code(db, "anna", "T1", "Online", s["start"], s["end"])
    # bram covers anna's segment but for its last few characters
    cut = s["end"] - max(1, length // 10) - 1
    while text[cut - 1].isspace():
        cut -= 1
    coding.apply_code(db, "bram", "T1", "Online", s["start"], cut)
    share = (cut - s["start"]) / length
    assert share < 0.9
    high = figures.compute(db, ("anna", "bram"), overlap=0.9)["segments"]
    pairs = {(p["coder"], p["other"]): p for p in high["pairs"]}
    assert pairs[("anna", "bram")]["matched"] == 0 and pairs[("anna", "bram")]["segments"] == 1
    assert pairs[("anna", "bram")]["share"] == 0
    # bram's (shorter) segment lies wholly within anna's: matched in that direction
    assert pairs[("bram", "anna")]["share"] == 1
    low = figures.compute(db, ("anna", "bram"), overlap=share)["segments"]
    assert {(p["coder"], p["other"]): p["matched"] for p in low["pairs"]}[("anna", "bram")] == 1
    assert "segment's length" in high["definition"]
    by_code = {c["code"]: c for c in high["codes"]}
    assert by_code["Straat"]["pairs"][0]["share"]["value"] is None
    assert "no coded segments" in by_code["Straat"]["pairs"][0]["share"]["undefined"]


def test_undefined_figures_are_shown_as_undefined(two_coders, project):
    db, code, _ = two_coders
    code("anna", "Online", 1)
    code("bram", "Online", 1)
    data = figures.compute(db, ("anna", "bram"))
    rows = {c["code"]: c for c in data["codes"]}
    straat = rows["Straat"]  # nobody applied it
    assert straat["percent_agreement"] == 1.0
    for key in ("cohen_kappa", "krippendorff_alpha"):
        assert straat[key]["value"] is None
        assert "no coder applied this code" in straat[key]["undefined"]
    theme = data["themes"][0]
    assert theme["krippendorff_alpha"]["value"] is None
    assert "'Online'" in theme["krippendorff_alpha"]["undefined"]  # the name, not the id
    text = run(project, "agreement")
    # short cells, the reasons once each in numbered notes below the table
    assert "undefined: " not in text
    assert "undefined¹" in text
    notes = [line for line in text.splitlines() if line and line[0] in "¹²³⁴⁵⁶⁷⁸⁹"]
    assert any(line.startswith("¹ Not defined: no coder applied this code") for line in notes)
    assert len(notes) == len(set(notes)) == len({line.split(" ", 1)[1] for line in notes})
    assert max(len(line) for line in text.splitlines() if "undefined" in line and "|" not in line) < 120


def test_three_coders_have_alpha_but_no_kappa(two_coders):
    db, code, _ = two_coders
    for coder in ("anna", "bram", "cees"):
        code(coder, "Online", 1)
    code("anna", "Online", 2)
    code("cees", "Online", 3)
    data = figures.compute(db, "anna,bram,cees")
    row = next(c for c in data["codes"] if c["code"] == "Online")
    assert row["both"] == 1
    assert "exactly two coders" in row["cohen_kappa"]["undefined"]
    units = [u for u in range(10) if u not in (0, 5)]  # the respondent's sentences
    ref = [[u in s for u in units] for s in ({1, 2}, {1}, {1, 3})]
    assert row["krippendorff_alpha"] == pytest.approx(metrics.krippendorff_alpha(ref))
    assert row["percent_agreement"] == pytest.approx(metrics.percent_agreement(ref))


def test_no_common_transcript_makes_every_figure_undefined(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    add_transcript("T2")
    db = project.db
    codebook.add(db, "anna", "Online")
    s = get_sentences(db, "T1")[1]
    coding.apply_code(db, "anna", "T1", "Online", s["start"], s["end"])
    s2 = get_sentences(db, "T2")[1]
    coding.apply_code(db, "bram", "T2", "Online", s2["start"], s2["end"])
    data = figures.compute(db)
    assert data["units"] == 0
    assert {e["transcript"] for e in data["excluded_transcripts"]} == {"T1", "T2"}
    assert "no transcript was coded by all of anna, bram" in data["codes"][0]["cohen_kappa"]["undefined"]


def test_code_option_limits_to_a_code_or_a_theme(two_coders):
    db, code, _ = two_coders
    code("anna", "Online", 1)
    code("bram", "Online", 1)
    from workbench.services.second_coding import agreement

    one = agreement.compute(db, ("anna", "bram"), code="online")
    assert [c["code"] for c in one["codes"]] == ["Online"] and one["themes"] == []
    theme = agreement.compute(db, ("anna", "bram"), code="Werven")
    assert [c["code"] for c in theme["codes"]] == ["Online", "Straat"]
    assert [t["theme"] for t in theme["themes"]] == ["Werven"]


# -- the pattern-count figures equal the metrics library's ----------------------------------------

VALUES = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(2, 4).flatmap(lambda k: st.lists(st.tuples(*[VALUES] * k), min_size=1, max_size=25)))
def test_pattern_figures_equal_the_metrics_library(units):
    k = len(units[0])
    data = [[u[i] for u in units] for i in range(k)]
    patterns = Counter(units)
    got = figures.figures_of(patterns, k)
    expected = {
        "percent_agreement": metrics.safe(metrics.percent_agreement, data),
        "krippendorff_alpha": metrics.safe(metrics.krippendorff_alpha, data),
    }
    if k == 2:
        expected["cohen_kappa"] = metrics.safe(metrics.cohen_kappa, data[0], data[1])
    for name, ref in expected.items():
        assert got[name].defined == ref.defined, (name, got[name], ref)
        if ref.defined:
            assert got[name].value == pytest.approx(ref.value, abs=1e-9)
        else:
            assert got[name].reason == ref.reason


def test_encode_and_decode_round_trip():
    assert figures.encode(metrics.Figure(0.5)) == 0.5
    undefined = figures.encode(metrics.Figure(None, "why"))
    assert undefined == {"value": None, "undefined": "why"}
    assert str(figures.decode(undefined)) == "undefined: why"
