"""The Markdown methods-section report of the agreement figures."""

from __future__ import annotations

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services import codebook, coding
from workbench.services.transcripts import get_sentences


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
