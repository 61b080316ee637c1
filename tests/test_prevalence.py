"""Prevalence: interviews and respondents per theme and code (a theme counts its sub-themes'
codes), per coder or all coders together, and the Dutch wording with its threshold edges."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_export_fixtures import build_report_project

from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.services import prevalence
from workbench.services.codebook import codes as codebook
from workbench.services.prevalence import Thresholds, category, wording


@pytest.mark.parametrize("n, total, expected", [
    (0, 7, "none"),
    (7, 7, "all"),
    (9, 10, "almost_all"),       # 90% is "bijna alle"
    (8, 9, "more_than_half"),    # 88.9%
    (12, 20, "more_than_half"),  # 60%
    (11, 20, "about_half"),      # 55% is not more than 55%
    (9, 20, "about_half"),       # 45%
    (8, 20, "several"),          # 40%, at least 3
    (3, 20, "several"),
    (2, 20, "few"),
    (1, 20, "one"),
    (1, 2, "one"),               # a single interview is always "één"
    (2, 4, "about_half"),
    (2, 3, "more_than_half"),
    (1, 1, "one"),
])
def test_category_edges(n: int, total: int, expected: str) -> None:
    assert category(n, total) == expected


def test_wording_phrases() -> None:
    assert wording(5, 7) == "in meer dan de helft van de interviews"
    assert wording(0, 7) == "in geen enkel interview"
    assert wording(1, 7) == "in één interview"
    assert wording(2, 20) == "in enkele interviews"
    assert wording(4, 20) == "in meerdere interviews"
    assert wording(10, 20) == "in ongeveer de helft van de interviews"
    assert wording(19, 20) == "in bijna alle interviews"
    assert wording(20, 20) == "in alle interviews"
    assert prevalence.respondent_wording(1) == "een enkele respondent"
    assert prevalence.respondent_wording(2) == "enkele respondenten"
    assert prevalence.respondent_wording(5) == "meerdere respondenten"


def test_thresholds_are_configurable(project) -> None:
    assert category(8, 10) == "more_than_half"
    (project.codebooks_dir / "prevalence.yaml").write_text("almost_all_pct: 80\nseveral_min: 4\n", encoding="utf-8")
    thr = prevalence.load_thresholds(project)
    assert thr == Thresholds(almost_all_pct=80.0, several_min=4)
    assert category(8, 10, thr) == "almost_all"
    assert category(3, 20, thr) == "few"
    project.set_setting("prevalence_thresholds", json.dumps({"more_than_half_pct": 50}))
    thr = prevalence.load_thresholds(project)
    assert (thr.almost_all_pct, thr.more_than_half_pct) == (80.0, 50.0)


@pytest.mark.parametrize("text, fragment", [
    ("almost_all_pct: 40\n", "about_half_low_pct ≤ more_than_half_pct ≤ almost_all_pct"),
    ("few_min: 3\n", "few_min < several_min"),
    ("lots: 3\n", "unknown prevalence threshold 'lots'"),
    ("several_min: many\n", "must be a number"),
])
def test_bad_thresholds_name_the_file(project, text: str, fragment: str) -> None:
    path = project.codebooks_dir / "prevalence.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        prevalence.load_thresholds(project)
    assert fragment in str(info.value) and info.value.path == path


@pytest.fixture
def rp(project, add_transcript):
    build_report_project(project, add_transcript)
    return project


def _by_name(db, result):
    return {p.name: p for p in result.values()}


def test_counts_over_all_coders(rp) -> None:
    db = rp.db
    p = _by_name(db, prevalence.compute(db))
    assert (p["Statussymbolen"].interviews, p["Statussymbolen"].respondents) == (3, 3)
    assert p["Statussymbolen"].transcript_ids == ["T1", "T2", "T4"]
    assert p["Signalen"].interviews == 3 and p["Signalen"].total_interviews == 5
    assert p["Signalen"].wording == "in meer dan de helft van de interviews"
    assert p["Signalen"].sentence() == ("Dit thema komt in meer dan de helft van de interviews voor "
                                        "(3 van 5 interviews, 3 respondenten).")
    # A theme occurs where its sub-theme's codes occur.
    assert p["Online werving"].transcript_ids == ["T1", "T5"]
    assert p["Werving"].transcript_ids == ["T1", "T2", "T5"]
    assert p["Schulden"].wording == "in enkele interviews"
    assert p["Corona"].sentence() == "Deze code komt in één interview voor (1 van 5 interviews, 1 respondent)."


def test_counts_for_one_coder(rp) -> None:
    db = rp.db
    anna = _by_name(db, prevalence.compute(db, coder="anna"))
    bob = _by_name(db, prevalence.compute(db, coder="bob"))
    assert anna["Statussymbolen"].transcript_ids == ["T1", "T2"]
    assert bob["Statussymbolen"].transcript_ids == ["T2", "T4"]
    assert anna["Corona"].interviews == 0 and anna["Corona"].wording == "in geen enkel interview"
    with pytest.raises(WorkbenchError, match="no coder 'nobody'"):
        prevalence.compute(db, coder="nobody")


def test_respondents_count_labels(rp) -> None:
    db = rp.db
    # Two interviews with one respondent (same label) count as one respondent.
    db.execute("update transcripts set label = 'Jongerenwerker A', label_manual = 1 where id = 'T2'")
    p = _by_name(db, prevalence.compute(db))
    assert (p["Statussymbolen"].interviews, p["Statussymbolen"].respondents) == (3, 2)


def test_cli_prevalence(rp) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["--project", str(rp.root), "prevalence", "--json"])
    assert res.exit_code == 0, res.output
    data = {r["name"]: r for r in json.loads(res.output)}
    assert data["Werving"]["interviews"] == 3 and data["Werving"]["sentence"].startswith("Dit thema komt")
    res = runner.invoke(cli, ["--project", str(rp.root), "--coder", "bob", "prevalence"])
    assert res.exit_code == 0
    line = next(x for x in res.output.splitlines() if x.strip().startswith("Statussymbolen"))
    assert line.split()[2:4] == ["2", "2"]
    assert codebook.resolve(rp.db, "Werving")["kind"] == "theme"


def test_themes_and_prevalence_word_the_same_counts_the_same_way(rp) -> None:
    """`workbench themes` and `workbench prevalence` (and the chapter) share one wording, with
    the project's thresholds (here codebooks/prevalence.yaml)."""
    (rp.codebooks_dir / "prevalence.yaml").write_text("more_than_half_pct: 70\n", encoding="utf-8")
    runner = CliRunner()
    base = ["--project", str(rp.root)]
    res = runner.invoke(cli, [*base, "prevalence", "--json"])
    assert res.exit_code == 0, res.output
    worded = {r["name"]: r["wording"] for r in json.loads(res.output)}
    res = runner.invoke(cli, [*base, "themes", "--all-coders", "--json"])  # prevalence counts every coder
    assert res.exit_code == 0, res.output

    def walk(entries):
        for e in entries:
            yield e
            yield from e.get("codes", [])
            yield from walk(e.get("subthemes", []))

    spread = {e["name"]: e["spread"] for e in walk(json.loads(res.output)["themes"]) if e["id"]}
    assert spread == {name: worded[name] for name in spread}
    # 3 of 5 (60%) is "meer dan de helft" by default; the project's file moves it to "ongeveer".
    assert spread["Werving"] == "in ongeveer de helft van de interviews"
    assert spread["Corona"] == "in één interview"


def test_prevalence_coder_option_filters(rp) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["--project", str(rp.root), "prevalence", "--coder", "bob", "--json"])
    assert res.exit_code == 0, res.output
    data = {r["name"]: r for r in json.loads(res.output)}
    assert data["Statussymbolen"]["interviews"] == 2 and data["Snapchat"]["interviews"] == 0
    res = runner.invoke(cli, ["--project", str(rp.root), "prevalence", "--coder", "nobody"])
    assert res.exit_code == 1 and "no codings by coder 'nobody'" in res.output
