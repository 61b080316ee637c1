"""Issue 15: input files and numbers that could block, never end or overflow.

A pipe, a device (``/dev/zero``) or a folder given as an input file is refused before it is
opened, through the one reader of user files (``files.read_input``); an output path that is a
pipe is never opened to look at it; a number beyond what SQLite stores is a usage error.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli

from .test_yaml_readers import finishes


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [["codebook", "import"], ["codings-import"]])
def test_a_pipe_or_device_as_input_is_refused(project, fifo, command):
    for target in (str(fifo), "/dev/zero"):
        result = finishes(lambda t=target: run(project, *command, t), within=60)
        assert result.exit_code != 0
        assert "not a regular file" in result.output or "is .yaml" in result.output


def test_a_pipe_as_survey_themes_or_sidecar(project, tmp_path):
    survey = project.root / "codebooks" / "survey_themes.yaml"
    os.mkfifo(survey)
    result = finishes(lambda: run(project, "survey", "list"), within=60)
    assert result.exit_code != 0 and "not a regular file" in result.output
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.txt").write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    os.mkfifo(folder / "A.yaml")
    result = finishes(lambda: run(project, "import", str(folder / "A.txt")), within=60)
    assert result.exit_code == 0  # a pipe is no sidecar: it is not read


def test_an_output_over_a_pipe_never_blocks(project, fifo):
    result = finishes(lambda: run(project, "codings-export", str(fifo)), within=60)
    assert result.exit_code != 0 and "exists already" in result.output


@pytest.mark.parametrize("args", [
    ["code", "T1", "X", "--new", "--sentence", "99999999999999999999"],
    ["code", "T1", "X", "--new", "--turn", "-99999999999999999999"],
    ["history", "--limit", "99999999999999999999999"],
])
def test_numbers_beyond_sqlite_are_usage_errors(project, add_transcript, args):
    add_transcript("T1")
    result = run(project, *args)
    assert result.exit_code == 2 and "is too large" in result.output
    assert "Traceback" not in result.output
