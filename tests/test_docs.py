"""The README documents every command, and every command explains itself in --help."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from workbench.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "workbench"):
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        yield full, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, full)


def test_readme_starts_with_the_two_commands() -> None:
    head = README.split("\n## ", 1)[0]
    assert head.index("make run") < head.index("make test")


def test_every_command_is_in_the_readme_cli_reference_and_has_help() -> None:
    missing = [full for full, _cmd in _commands(cli) if f"`{full}`" not in README]
    assert not missing, f"commands missing from README's CLI reference: {missing}"
    no_help = [full for full, cmd in _commands(cli) if not (cmd.help or "").strip()]
    assert not no_help, f"commands without help: {no_help}"


def test_every_option_has_help_text() -> None:
    bare = [
        f"{full} {param.opts[0]}"
        for full, cmd in _commands(cli)
        for param in cmd.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert not bare, f"options without help: {bare}"


def test_help_runs_for_every_command() -> None:
    runner = CliRunner()
    for full, _cmd in _commands(cli):
        result = runner.invoke(cli, [*full.split()[1:], "--help"])
        assert result.exit_code == 0, (full, result.output)
