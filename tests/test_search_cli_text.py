"""CLI wording of the language commands: KWIC lines keep the text's own spacing, help texts are
complete (no cut-off first lines, every option explained), doctor takes --project."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli.language_cmds import kwic_line
from workbench.cli.main import cli


def test_kwic_line_adds_no_space_before_punctuation():
    row = {"label": "Jongerenwerker B", "left": "gefouilleerd. Waar worden ze ", "match": "geronseld",
           "right": "? Overal eigenlijk."}
    line = kwic_line(row, 30, 16)
    assert "»geronseld«?" in line and "« ?" not in line
    assert line.startswith("Jongerenwerker B  ") and "ze »geronseld«" in line


def test_kwic_line_keeps_columns_aligned():
    a = kwic_line({"label": "A", "left": "kort ", "match": "x", "right": " y"}, 20, 3)
    b = kwic_line({"label": "Bcd", "left": "een veel langere linkerkant ", "match": "x", "right": "."}, 20, 3)
    assert a.index("»") == b.index("»")
    assert kwic_line({"label": "A", "left": "abc", "match": "x", "right": "def"}, 0, 1) == "A  »x«"


def test_kwic_command_on_a_project(project, add_transcript):
    add_transcript("T1", turns=[("I", "Hoe gaat dat?"), ("R", "Waar worden ze geronseld? Overal eigenlijk.")])
    out = CliRunner().invoke(cli, ["--project", str(project.root), "kwic", "ronselen", "--width", "20"])
    assert out.exit_code == 0, out.output
    assert "»geronseld«?" in out.output and "« ?" not in out.output


def _short_help_lines(args: list[str]) -> list[str]:
    out = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80)
    assert out.exit_code == 0
    return out.output.split("Commands:")[1].splitlines()[1:]


OURS = {
    (): {"allow", "audit", "code", "codebook", "coder", "codings", "codings-export", "codings-import",
         "doctor", "history", "kwic", "memo", "redo", "reprocess", "search", "suggest", "themes", "uncode"},
    ("allow",): {"add", "remove", "list"},
    ("audit",): {"dismiss", "reopen", "replace"},
    ("codebook",): {"add", "check", "delete", "edit", "export", "import", "list", "merge", "move",
                    "rename", "split"},
    ("memo",): {"add", "delete", "edit", "list"},
}


@pytest.mark.parametrize("group", list(OURS))
def test_command_lists_have_no_cut_off_summaries_for_our_commands(group):
    seen = set()
    for line in _short_help_lines(list(group)):
        name = line.split()[0] if line.strip() else ""
        if name in OURS[group]:
            seen.add(name)
            assert not line.rstrip().endswith("..."), line
            assert "(e.g." not in line, line
    assert seen == OURS[group]


def test_allow_add_summary_is_whole():
    lines = _short_help_lines(["allow"])
    assert any(line.split()[:1] == ["add"] and "Allow TERM everywhere in the project." in line for line in lines)


@pytest.mark.parametrize(
    ("command", "option", "words"),
    [
        ("kwic", "--width", "context"),
        ("search", "--limit", "at most"),
        ("suggest", "--limit", "at most"),
    ],
)
def test_options_have_help(command, option, words):
    out = CliRunner().invoke(cli, [command, "--help"], terminal_width=120)
    line = next(ln for ln in out.output.splitlines() if ln.strip().startswith(option))
    assert words in line


def test_doctor_takes_project(project, tmp_path):
    ok = CliRunner().invoke(cli, ["doctor", "--project", str(project.root)])
    assert ok.exit_code == 0, ok.output
    assert f"project:       {project.root}" in ok.output
    bad = CliRunner().invoke(cli, ["doctor", "--project", str(tmp_path)])
    assert bad.exit_code == 1 and "is not a workbench project" in bad.output
    assert "--project" in CliRunner().invoke(cli, ["doctor", "--help"]).output
