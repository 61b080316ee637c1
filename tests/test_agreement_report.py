"""The Markdown methods-section report of the agreement figures."""

from __future__ import annotations

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.transcripts.library import get_sentences


def test_report_is_written_once_and_not_overwritten_without_force(project, add_transcript, tmp_path):
    db = project.db
    add_transcript("T1")
    add_transcript("T2")
    codebook.add(db, "anna", "Werven", kind="theme")
    codebook.add(db, "anna", "Online", parent="Werven")
    codebook.add(db, "anna", "Kleding", parent="Werven")
    sents = get_sentences(db, "T1")
    for coder, name, n in (("anna", "Online", 2), ("bram", "Online", 2), ("anna", "Kleding", 5),
                           ("bram", "Online", 5)):
        coding.apply_code(db, coder, "T1", name, sents[n]["start"], sents[n]["end"])
    s2 = get_sentences(db, "T2")[2]
    coding.apply_code(db, "anna", "T2", "Online", s2["start"], s2["end"])
    target = tmp_path / "methods.md"
    base = ["-p", str(project.root), "agreement", "--report", str(target)]
    res = CliRunner().invoke(cli, base)
    assert res.exit_code == 0, res.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Intercoder agreement")
    assert "anna and bram" in text
    assert "T2" in text and "not coded by bram" in text
    assert "more than half" in text and "Krippendorff's alpha (nominal)" in text
    assert "| Werven |" in text and "| Online | Werven |" in text
    assert "| Pooled over codes |" in text and "## Segment matching" in text
    assert "90%" in text
    target.write_text("mine", encoding="utf-8")
    res = CliRunner().invoke(cli, base)
    assert res.exit_code != 0 and "--force" in res.output
    assert target.read_text(encoding="utf-8") == "mine"
    res = CliRunner().invoke(cli, [*base, "--force", "--overlap", "50"])
    assert res.exit_code == 0
    assert "50%" in target.read_text(encoding="utf-8")
    assert "the respondents' words only" in text and "interviewer's turns were left out" in text


def test_undefined_figures_are_short_cells_with_plain_notes_and_include_interviewer(project, add_transcript, tmp_path):
    db = project.db
    add_transcript("T1")
    codebook.add(db, "anna", "Werven", kind="theme")
    codebook.add(db, "anna", "Online", parent="Werven")
    codebook.add(db, "anna", "Kleding", parent="Werven")
    codebook.add(db, "anna", "Nooit")
    s = next(x for x in get_sentences(db, "T1") if x["turn_idx"] == 1)  # the respondent's
    for coder in ("anna", "bram"):  # the theme only ever gets 'Online': kappa/alpha undefined
        coding.apply_code(db, coder, "T1", "Online", s["start"], s["end"])
    target = tmp_path / "r.md"
    res = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "--report", str(target)])
    assert res.exit_code == 0, res.output
    text = target.read_text(encoding="utf-8")
    assert "undefined: " not in text  # no raw reasons in the table cells
    table_rows = [line for line in text.splitlines() if line.startswith("| Werven ")]
    assert table_rows and "undefined¹" in table_rows[0] and len(table_rows[0]) < 120
    assert "¹ Not defined: wherever the coders both gave one of the theme's codes, it was ‘Online’" in text
    assert "pairable" not in text and "repr" not in text
    nooit = next(line for line in text.splitlines() if line.startswith("| Nooit "))
    number = nooit.split("undefined")[1][0]
    assert f"{number} Not defined: no coder applied this code in the compared transcripts." in text
    assert "cohen kappa" not in text and "Cohen's kappa 1" in text
    res = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "--include-interviewer",
                                   "--report", str(target), "--force"])
    assert res.exit_code == 0, res.output
    assert "the interviewer's as well as the respondent's" in target.read_text(encoding="utf-8")


def test_report_into_a_missing_folder_is_refused(project, add_transcript, tmp_path):
    db = project.db
    add_transcript("T1")
    codebook.add(db, "anna", "Online")
    s = next(x for x in get_sentences(db, "T1") if x["turn_idx"] == 1)
    for coder in ("anna", "bram"):
        coding.apply_code(db, coder, "T1", "Online", s["start"], s["end"])
    res = CliRunner().invoke(cli, ["-p", str(project.root), "agreement", "--report",
                                   str(tmp_path / "typo" / "r.md")])
    assert res.exit_code == 1 and "does not exist" in res.output
    assert not (tmp_path / "typo").exists()
