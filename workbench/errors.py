"""The error types every layer raises and the CLI/UI turn into clear messages.

A ``WorkbenchError`` always carries a message a researcher can act on; where a file (and a
line) is to blame, they are part of the error so that the message names them.
"""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """A user-facing error: the message is shown as is, with a non-zero exit code."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        return f"{where}{self.message}"


class NotAProjectError(WorkbenchError):
    """Raised when a command runs outside a workbench project."""


class ImportFileError(WorkbenchError):
    """A transcript file that cannot be imported (nothing from it is stored)."""


class NotFoundError(WorkbenchError):
    """An id or name given by the user does not exist in the project."""


class ConflictError(WorkbenchError):
    """An operation that would overwrite or lose data without the user's say-so."""
