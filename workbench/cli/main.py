"""The ``workbench`` command group. Without a subcommand it opens the terminal workbench."""

from __future__ import annotations

import importlib

import click

from workbench import __version__
from workbench.cli.common import State, coder_option, project_option, run_guarded

# Each module has ``register(group)``; areas add their module here.
COMMAND_MODULES = [
    "report_cmds",
    "project_cmds",
    "safety_cmds",
    "language_cmds",
    "visual_cmds",
    "codebook_cmds",
    "coding_cmds",
    "agreement_cmds",
    "qdpx_cmds",
]


class WorkbenchGroup(click.Group):
    """Every command's errors become one clear line and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        return run_guarded(lambda: super(WorkbenchGroup, self).invoke(ctx))


@click.group(
    cls=WorkbenchGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@project_option
@coder_option
@click.version_option(__version__, prog_name="workbench")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A keyboard-first workbench for coding interview transcripts (Braun & Clarke).

    Run it inside a project folder (or pass --project DIR). Without a command it opens the
    terminal workbench. Start with 'workbench init DIR', then 'workbench import FILES…'.
    """
    ctx.ensure_object(State)
    from workbench.store import connection

    # The project is opened (and migrated) before the terminal UI takes the screen.
    connection.on_migrating = lambda message: click.echo(message, err=True)
    if ctx.invoked_subcommand not in (None, "open"):  # not under the terminal UI's screen
        # A write that waits for another process's says so on stderr after a second.
        connection.on_wait = lambda message: click.echo(message, err=True)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["open"])


for _name in COMMAND_MODULES:
    importlib.import_module(f"workbench.cli.{_name}").register(cli)


def main(argv: list[str] | None = None) -> None:
    """The ``workbench`` command. Click's own messages (a mistyped command or option) echo
    what was typed: they are shown through the same neutraliser as all other output."""
    import sys

    from workbench.textsafety import shown

    try:
        rv = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        # click declares ``message`` final, but its show() reads it: neutralise it in place
        setattr(exc, "message", shown(exc.message))  # noqa: B010
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(rv if isinstance(rv, int) else 0)


__all__ = ["cli", "main"]
