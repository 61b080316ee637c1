"""Issue 15: CSV files open safely in Excel, LibreOffice and Sheets (OWASP CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR gets a leading ``'`` in
every CSV the workbench writes (codings, quotes, matrices); numbers stay numbers; reading a
codings CSV back takes the ``'`` off, so an export and import round-trip.
"""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.textsafety import from_spreadsheet_cell, spreadsheet_cell

FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_become_text_and_come_back(value):
    cell = spreadsheet_cell(value)
    assert cell == "'" + value
    assert from_spreadsheet_cell(cell) == value


def test_other_cells_are_untouched():
    for value in ["gewoon", "'al met een quote", 12, -5, 3.5, "", "Ja = nee"]:
        assert spreadsheet_cell(value) == value
    assert from_spreadsheet_cell("'gewoon") == "'gewoon"


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_codings_csv_neutralises_a_memo_and_round_trips(project, add_transcript, tmp_path):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    memo = "=HYPERLINK(\"http://evil\",\"klik\")"
    assert run(project, "code", "T1", "Signalen", "--span", "0:9", "--memo", memo).exit_code == 0
    out = tmp_path / "codings.csv"
    assert run(project, "codings-export", str(out)).exit_code == 0
    cells = _cells(out.read_text(encoding="utf-8"))
    assert "'" + memo in cells and memo not in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    # back in: the same memo, no quote mark
    run(project, "uncode", project.db.execute("select id from codings").fetchone()[0])
    assert run(project, "codings-import", str(out)).exit_code == 0
    assert project.db.execute("select memo from codings").fetchone()[0] == memo


def test_quotes_and_matrix_csv_neutralise_names(project, add_transcript, tmp_path):
    add_transcript("T1")
    codebook.add(project.db, "anna", "=cmd|' /C calc'!A0")
    assert run(project, "code", "T1", "=cmd|' /C calc'!A0", "--span", "0:9").exit_code == 0
    matrix = run(project, "matrix", "--by", "respondent", "--format", "csv", "--stdout")
    assert matrix.exit_code == 0, matrix.output
    cells = _cells(matrix.output)
    assert "'=cmd|' /C calc'!A0" in cells and not any(c.startswith("=") for c in cells)
    from workbench.services.reporting.quotes_export import render_csv

    text = render_csv([{"codes": "@SUM(A1)", "quote": "-1 zei hij", "label": "Jongerenwerker A"}])
    cells = _cells(text)
    assert "'@SUM(A1)" in cells and "'-1 zei hij" in cells and "Jongerenwerker A" in cells
