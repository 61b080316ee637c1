"""Issue 26: no export path around the anonymity guard.

A quote that shows a word with an open anonymity flag is refused by every export (files and
``--stdout``); with ``--allow-flagged`` it carries a visible mark in every format
(``[open anonimiteitsmelding]`` in md, a column in csv, a field in json, a highlighted run
in docx); the command says how many quotes it wrote and how many carry the mark; and
``quote add`` warns when the extract it stars shows a flagged word.
"""

from __future__ import annotations

import csv
import json

import docx
import pytest
import test_export
from click.testing import CliRunner
from docx.enum.text import WD_COLOR_INDEX
from test_export import WHEN, _flag

from workbench.cli.main import cli
from workbench.services.reporting import FLAG_MARK, write_chapter_report, write_quotes_report

rp = test_export.rp  # the report project: four starred quotes
MARK = FLAG_MARK
assert MARK == "[open anonimiteitsmelding]"


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def test_stdout_is_refused_like_a_file(rp):
    project, _, starred = rp
    _flag(project.db, "T3", "pof")
    refused = run(project, "export", "chapter", "--stdout")
    assert refused.exit_code == 1
    assert starred[1]["id"] in refused.output and "'pof'" in refused.output
    assert "Met schulden" not in refused.output  # nothing of the chapter was printed
    allowed = run(project, "export", "chapter", "--stdout", "--allow-flagged")
    assert allowed.exit_code == 0
    line = next(x for x in allowed.stdout.splitlines() if "op de pof" in x)
    assert MARK in line
    assert "open anonymity flag" in allowed.stderr


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "docx"])
def test_every_quotes_format_marks_a_flagged_quote(rp, fmt):
    project, _, starred = rp
    _flag(project.db, "T3", "pof")
    written = write_quotes_report(project, fmt=fmt, when=WHEN, allow_flagged=True)
    assert written.quotes == len(starred) and written.flagged_quotes == 1
    path = written.path
    flagged_id = starred[1]["id"]
    if fmt == "md":
        md = path.read_text(encoding="utf-8")
        block = md.split(f"· {flagged_id}")[1].split("## ")[0]
        assert MARK in block and "'pof' (naam)" in block
        assert md.count(MARK) == 1
    elif fmt == "csv":
        rows = {r["quote_id"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
        assert rows[flagged_id]["open_flags"] == "'pof' (naam)"
        assert all(r["open_flags"] == "" for q, r in rows.items() if q != flagged_id)
    elif fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        by_id = {q["quote_id"]: q for q in data["quotes"]}
        assert [f["text"] for f in by_id[flagged_id]["open_flags"]] == ["pof"]
        assert all(q["open_flags"] == [] for i, q in by_id.items() if i != flagged_id)
    else:
        doc = docx.Document(str(path))
        marks = [r for p in doc.paragraphs for r in p.runs if MARK in r.text]
        assert len(marks) == 1
        assert marks[0].bold and marks[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
        paragraph = next(p for p in doc.paragraphs if MARK in p.text)
        assert "pof" in paragraph.text and paragraph.style.name == "Quote"


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_the_chapter_marks_a_flagged_quote_in_both_formats(rp, fmt):
    project, _, _ = rp
    _flag(project.db, "T3", "pof")
    written = write_chapter_report(project, fmt=fmt, when=WHEN, allow_flagged=True)
    assert written.flagged_quotes == 1 and written.quotes >= 1
    if fmt == "md":
        text = written.path.read_text(encoding="utf-8")
        assert any(MARK in line and "pof" in line for line in text.splitlines())
    else:
        doc = docx.Document(str(written.path))
        paragraph = next(p for p in doc.paragraphs if "pof" in p.text)
        assert any(MARK in r.text and r.font.highlight_color == WD_COLOR_INDEX.YELLOW
                   for r in paragraph.runs)


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_the_chapter_holds_back_a_flagged_quote(rp, fmt):
    project, _, starred = rp
    _flag(project.db, "T3", "pof")
    flagged_id = starred[1]["id"]
    written = write_chapter_report(project, fmt=fmt, when=WHEN, hold_back_flagged=True)
    assert [f.quote_id for f in written.held_back] == [flagged_id]
    assert "held back 1 quote(s)" in written.summary() and "'pof'" in written.summary()
    if fmt == "md":
        text = written.path.read_text(encoding="utf-8")
    else:
        text = "\n".join(p.text for p in docx.Document(str(written.path)).paragraphs)
    assert "pof" not in text and MARK not in text and flagged_id not in text
    assert "Vaak via Snapchat" in text and "klassieker" in text  # the others stay


def test_the_chapter_on_stdout_holds_back_too(rp):
    project, _, starred = rp
    _flag(project.db, "T3", "pof")
    result = run(project, "export", "chapter", "--stdout", "--hold-back-flagged")
    assert result.exit_code == 0, result.output
    assert "op de pof" not in result.stdout and MARK not in result.stdout
    assert "held back 1 quote(s)" in result.stderr and starred[1]["id"] in result.stderr
    both = run(project, "export", "chapter", "--hold-back-flagged", "--allow-flagged")
    assert both.exit_code != 0 and "choose one" in both.output


def test_export_says_how_many_quotes_and_how_many_are_marked(rp):
    project, _, starred = rp
    clean = run(project, "export", "quotes", "--format", "csv")
    assert clean.exit_code == 0 and f"({len(starred)} quote(s))" in clean.output
    _flag(project.db, "T3", "pof")
    refused = run(project, "export", "quotes", "--format", "json")
    assert refused.exit_code == 1 and "1 quote(s) show text with an open anonymity flag" in refused.output
    allowed = run(project, "export", "quotes", "--format", "json", "--allow-flagged", "--force")
    assert allowed.exit_code == 0
    assert "1 of them show words with an open anonymity flag, each marked" in allowed.output
    chapter = run(project, "export", "chapter", "--allow-flagged")
    assert chapter.exit_code == 0 and "1 of them show words" in chapter.output


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "docx"])
def test_hold_back_writes_the_others_and_says_which_and_why(rp, fmt):
    project, _, starred = rp
    _flag(project.db, "T3", "pof")
    flagged_id = starred[1]["id"]
    result = run(project, "export", "quotes", "--format", fmt, "--hold-back-flagged")
    assert result.exit_code == 0, result.output
    assert f"({len(starred) - 1} quote(s))" in result.output
    assert "held back 1 quote(s) that show words with an open anonymity flag" in result.output
    assert flagged_id in result.output and "'pof'" in result.output
    path = next(project.exports_dir.glob(f"quotes-*.{fmt}"))
    if fmt == "docx":
        body = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    else:
        body = path.read_text(encoding="utf-8")
    assert flagged_id not in body and "op de pof" not in body and MARK not in body
    assert all(q["id"] in body for q in starred if q["id"] != flagged_id)
    both = run(project, "export", "quotes", "--hold-back-flagged", "--allow-flagged", "--force")
    assert both.exit_code == 1 and "choose one" in both.output


def test_quote_add_and_edit_warn_about_a_flagged_word(rp):
    project, ids, starred = rp
    _flag(project.db, "T1", "Snapchat")
    added = run(project, "quote", "add", ids[("T1", "Snapchat", "anna")], "--text", "Vaak via Snapchat")
    assert added.exit_code == 0
    assert "open anonymity flag" in added.stderr and "'Snapchat'" in added.stderr
    quote_id = added.stdout.split(":")[0]
    edited = run(project, "quote", "edit", quote_id, "--text", "Vaak via […]")
    assert edited.exit_code == 0 and "open anonymity flag" not in edited.stderr
