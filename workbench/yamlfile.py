"""Reading the YAML files users write (codebook, codings, survey themes) into nodes.

Parsing to nodes (not values) keeps the line of every value for error messages and keeps
scalars as written (``0012`` stays ``0012``). Every YAML problem becomes a
:class:`workbench.errors.WorkbenchError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbench.errors import WorkbenchError

# Tags a plain, untagged scalar can resolve to; anything else (``!!python/…``) is refused.
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)


def compose(text: str, path: Path | str, loader: type[Any] = yaml.SafeLoader) -> yaml.Node | None:
    """The root node of ``text`` (None for an empty document)."""
    try:
        instance = loader(text)
        try:
            return instance.get_single_node()
        finally:
            instance.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise WorkbenchError(f"not valid YAML: the file holds the control character U+{exc.character:04X} "
                             "(is it a binary file?)", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WorkbenchError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path,
                             line=mark.line + 1 if mark else None) from exc
