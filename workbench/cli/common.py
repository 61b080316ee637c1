"""Shared CLI plumbing: the ``--project``/``--coder``/``--json`` options, output, errors."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.project import Project

MAX_INT = 2**53
"""Bound of every whole-number option: larger ones cannot be stored or compared (SQLite)."""


class WholeNumber(click.ParamType):
    """A whole number (at least ``min``) that SQLite can hold: ``--sentence 99999999999999999999``
    is a usage error, not an overflow deep in a query."""

    name = "integer"

    def __init__(self, min: int | None = None) -> None:  # noqa: A002 - click's own word
        self.min = min

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = click.INT.convert(value, param, ctx)
        if abs(number) > MAX_INT:
            self.fail(f"{value} is too large (at most {MAX_INT:,})", param, ctx)
        if self.min is not None and number < self.min:
            self.fail(f"{number} is not in the range x>={self.min}", param, ctx)
        return number


class State:
    def __init__(self) -> None:
        self.project_dir: Path | None = None
        self.coder: str | None = None
        self._project: Project | None = None

    def project(self, *, check_later: bool = False):
        """The project (opened once). ``check_later``: for the terminal UI, which checks a
        file that something else touched in a worker instead of before it starts."""
        from workbench._fast_imports import import_sqlite_utils

        import_sqlite_utils()
        from workbench.project import Project

        if self._project is None:
            self._project = Project.open(self.project_dir, check_later=check_later)
            if _interactive():
                self._project.ask_coder = _ask_coder
            from workbench.store.connection import read_only_reason
            from workbench.store.schema import take_notices

            db = self._project.db
            ctx = click.get_current_context(silent=True)
            if ctx is not None:  # a clean close is remembered: no check of the file next time
                ctx.call_on_close(self._project.close)
            why = read_only_reason(db)
            if why is not None and why.kind == "checking":
                pass  # the terminal UI checks the file in a worker and says what it found
            elif why is not None and why.kind == "damaged":
                echo(f"warning: {why.message}", err=True)
            elif why is not None:
                echo(f"note: {why.reason}: the project is opened read-only; changes are "
                     "refused", err=True)
            else:
                for notice in take_notices(db):  # e.g. what a migration renamed
                    echo(f"note: {notice}", err=True)
        return self._project


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_coder() -> str:
    """Ask who is coding (in a terminal, when no coder is set); it becomes the default."""
    from workbench.project import validate_name

    echo("No coder is set for this project. A coder is a person: their name goes on "
               "every coding and change.", err=True)
    while True:
        name = click.prompt("Who is coding? (your name, e.g. anna)", err=True)
        try:
            cleaned = validate_name(name, what="coder name")
        except Exception as exc:  # noqa: BLE001 - a WorkbenchError: say it and ask again
            echo(f"error: {exc}", err=True)
            continue
        echo(f"'{cleaned}' is now this project's default coder (`workbench coder NAME` "
                   "changes it)", err=True)
        return cleaned


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        ctx.ensure_object(State).project_dir = value
    return value


def _set_coder(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(State).coder = value
    return value


project_option = click.option(
    "--project", "-p", "project_dir", type=click.Path(path_type=Path, file_okay=False),
    callback=_set_project, expose_value=False, is_eager=True,
    help="The project folder (default: the current directory).",
)
coder_option = click.option(
    "--coder", callback=_set_coder, expose_value=False,
    help="Act as this coder (default: $WORKBENCH_CODER, then the project's default coder).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
jsonl_option = click.option("--jsonl", "as_jsonl", is_flag=True,
                            help="Print JSON lines: one object per line, as they are read.")


def paging_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--limit`` and ``--offset``: page through a long listing."""
    func = click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                        help="Skip this many first (with --limit: page through).")(func)
    return click.option("--limit", type=click.IntRange(min=0), default=None,
                        help="List at most this many (0: all). The table shows "
                             f"{TABLE_LIMIT} unless told; --json and --jsonl list all.")(func)


#: How many rows a listing shows as a table when no --limit is given.
TABLE_LIMIT = 500


def with_project(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command ``project`` (opened lazily) and the options every command has."""

    @project_option
    @coder_option
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        state = ctx.ensure_object(State)
        if isinstance(ctx.command, click.Group) and ctx.invoked_subcommand is not None:
            # A group that also acts alone (audit, transcripts): its subcommand opens the
            # project itself, after its own --project/--help are parsed.
            return None
        return func(state.project(), state.coder, *args, **kwargs)

    return wrapper


def echo(message: Any = None, *, err: bool = False, nl: bool = True) -> None:
    """Print a line of output: every CLI line goes through here, so that no control, bidi or
    invisible character from a file (a code name, a role, a memo) reaches the terminal raw;
    they are shown escaped (``\u001b``), which keeps JSON valid."""
    from workbench.textsafety import shown

    click.echo(None if message is None else shown(message), err=err, nl=nl)


def echo_json(data: Any) -> None:
    echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


#: Items written together by the streaming writers (one terminal write per batch, not per item).
STREAM_BATCH = 500


def echo_json_stream(rows: Iterable[Any]) -> int:
    """A JSON array written as its items come (the same text :func:`echo_json` prints for the
    list), in batches, never holding them all; returns how many were written."""
    count = 0
    parts: list[str] = []
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
        parts.append(("[\n  " if count == 0 else ",\n  ") + item)
        count += 1
        if len(parts) >= STREAM_BATCH:
            echo("".join(parts), nl=False)
            parts = []
    parts.append("\n]" if count else "[]")
    echo("".join(parts))
    return count


def echo_json_lines(rows: Iterable[Any]) -> int:
    """One JSON object per line, written in batches as they come; returns how many."""
    count = 0
    parts: list[str] = []
    for row in rows:
        parts.append(json.dumps(row, ensure_ascii=False, default=str))
        count += 1
        if len(parts) >= STREAM_BATCH:
            echo("\n".join(parts))
            parts = []
    if parts:
        echo("\n".join(parts))
    return count


def echo_table(rows: Sequence[dict], columns: Sequence[str], *, headers: Iterable[str] | None = None) -> None:
    """A plain, aligned text table (right-aligned numbers)."""
    heads = list(headers) if headers else list(columns)
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(heads)]
    numeric = [all(isinstance(r.get(c), int | float) for r in rows) and rows for c in columns]

    def fmt(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if numeric[i] else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    echo(fmt(heads))
    echo(fmt(["-" * w for w in widths]))
    for row in cells:
        echo(fmt(row))


def fail(message: str, code: int = 1) -> None:
    echo(f"error: {message}", err=True)
    sys.exit(code)


def run_guarded(func: Callable[[], Any]) -> Any:
    """Turn workbench and SQLite errors into one clear line and a non-zero exit."""
    import sqlite3

    try:
        return func()
    except WorkbenchError as exc:
        fail(str(exc))
    except sqlite3.DatabaseError as exc:  # a full disk, a read-only project, a lock, damage
        from workbench.store.connection import explain_for

        state = click.get_current_context(silent=True)
        obj = state.find_object(State) if state is not None else None
        project = getattr(obj, "_project", None)
        db = getattr(project._local, "db", None) if project is not None else None
        fail(str(explain_for(db, exc, project.db_path if project is not None else None)))
    except OverflowError as exc:  # a number beyond what SQLite stores
        fail(f"a number given is too large ({exc})")
    except BrokenPipeError:  # output piped into `head` and the like
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        fail(f"{where}{exc.strerror or exc}")
