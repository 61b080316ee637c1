"""The one safe reader for every YAML file the workbench reads.

Front matter, sidecars, the codebook, codings files, survey themes and prevalence thresholds
all go through :func:`compose` (to nodes, which keep the line of every value and scalars as
written: ``0012`` stays ``0012``) or :func:`load` (to plain Python values). Both are bounded
so that a small hostile file cannot hang or crash the workbench:

* aliases (``*name``, and with them ``<<: *name`` merges) are refused, so nothing expands
  (a 2 KB "billion laughs" file stays 2 KB);
* nesting deeper than :data:`MAX_DEPTH` levels is refused before Python's recursion limit;
* a file larger than its limit is refused before it is parsed;
* dates stay as written (the caller validates them and names the line), and a value Python
  cannot hold (a 5,000-digit number) is an error, not a traceback;
* only the plain YAML types are accepted (``!!python/…`` and other tags are refused).

Every problem becomes a :class:`workbench.errors.WorkbenchError` (or the subclass the caller
asks for) naming the file and the line in that file, also for a block that starts further
down a file (front matter).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import WorkbenchError

# Tags a plain, untagged scalar can resolve to; anything else (``!!python/…``) is refused.
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (a codebook needs about 8)."""
MAX_CHARS = 64_000_000
"""Largest YAML file read (a codings file of 100,000 codings is about 30 MB)."""
MAX_METADATA_CHARS = 1_000_000
"""Largest front matter or sidecar file read (metadata is a few lines)."""


class _Refused(yaml.MarkedYAMLError):
    """A construct the bounded reader refuses (an alias, too deep a nesting)."""


@functools.cache
def bounded(loader: Any) -> type[Any]:
    """``loader`` with aliases refused and nesting bounded (cached per loader class)."""

    class Bounded(loader):
        _depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _Refused(
                    None, None,
                    f"an alias (*{event.anchor}) repeats another part of the file; the workbench "
                    "does not expand aliases: write the value out", event.start_mark)
            if self._depth >= MAX_DEPTH:
                raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep",
                               self.peek_event().start_mark)
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    Bounded.__name__ = Bounded.__qualname__ = f"Bounded{loader.__name__}"
    return Bounded


def _check_size(text: str, path: Path | str, max_chars: int, error: type[WorkbenchError]) -> None:
    if len(text) > max_chars:
        raise error(f"the file is too large to read as YAML ({len(text):,} characters; the limit "
                    f"is {max_chars:,})", path=path)


def compose(text: str, path: Path | str, loader: Any = yaml.SafeLoader, *,
            first_line: int = 1, max_chars: int = MAX_CHARS,
            error: type[WorkbenchError] = WorkbenchError) -> yaml.Node | None:
    """The root node of ``text`` (None for an empty document).

    ``first_line`` is the file line ``text`` starts on (error lines count from it); the nodes
    keep their marks relative to ``text``: add ``first_line - 1`` for a file line."""
    _check_size(text, path, max_chars, error)
    offset = first_line - 1
    try:
        instance = bounded(loader)(text)
        try:
            return instance.get_single_node()
        finally:
            instance.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        raise error(f"not valid YAML: the file holds the control character U+{exc.character:04X} "
                    "(is it a binary file?)", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"not valid YAML: {problem}", path=path,
                    line=mark.line + 1 + offset if mark else None) from exc
    except RecursionError as exc:  # the depth bound should make this unreachable
        raise error("not valid YAML: nested too deeply", path=path) from exc


def load(text: str, path: Path | str, loader: Any = yaml.SafeLoader, *,
         first_line: int = 1, max_chars: int = MAX_CHARS,
         error: type[WorkbenchError] = WorkbenchError) -> Any:
    """``text`` as plain values: dicts, lists, str, int, float, bool, None.

    Dates stay text as written (``2021-13-01`` included): the caller validates them. A key
    given twice in one mapping is an error naming both lines."""
    return load_located(text, path, loader, first_line=first_line, max_chars=max_chars,
                        error=error)[0]


def load_located(text: str, path: Path | str, loader: Any = yaml.SafeLoader, *,
                 first_line: int = 1, max_chars: int = MAX_CHARS,
                 error: type[WorkbenchError] = WorkbenchError) -> tuple[Any, dict[str, int]]:
    """Like :func:`load`, plus the file line of each key of a top-level mapping."""
    root = compose(text, path, loader, first_line=first_line, max_chars=max_chars, error=error)
    if root is None:
        return None, {}
    offset = first_line - 1
    constructor = bounded(loader)("")

    def line_of(node: yaml.Node) -> int:
        return node.start_mark.line + 1 + offset

    def value(node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value
            if node.tag not in PLAIN_TAGS:
                raise error(f"the YAML tag {node.tag} is not supported; write plain text",
                            path=path, line=line_of(node))
            try:
                return constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                raise error(f"the value {node.value[:40]!r} is not understood ({exc})",
                            path=path, line=line_of(node)) from exc
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ_TAG:
                raise error(f"the YAML tag {node.tag} is not supported; write a plain list",
                            path=path, line=line_of(node))
            return [value(item) for item in node.value]
        if node.tag != MAP_TAG:
            raise error(f"the YAML tag {node.tag} is not supported; write plain 'key: value' lines",
                        path=path, line=line_of(node))
        out: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise error("a key must be text, not a list or mapping", path=path, line=line_of(k))
            key = value(k)
            if key in seen:
                raise error(f"the key {str(key)[:60]!r} appears twice (first on line {seen[key]})",
                            path=path, line=line_of(k))
            seen[key] = line_of(k)
            out[key] = value(v)
        return out

    try:
        data = value(root)
    finally:
        constructor.dispose()
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        lines = {str(k.value): line_of(k) for k, _v in root.value}
    return data, lines


class Nodes:
    """Reading composed nodes (from :func:`compose`) of one file, every error naming the file
    and the node's line: the one walker the codebook, codings and survey-theme readers share.

    Scalars are read as written (``0012`` stays ``'0012'``, ``yes`` stays ``'yes'``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = path

    @staticmethod
    def line(node: yaml.Node) -> int:
        """The file line of ``node`` (counting from 1)."""
        return int(node.start_mark.line) + 1

    def fail(self, message: str, node: yaml.Node) -> WorkbenchError:
        """An error at ``node``'s line (to raise)."""
        return WorkbenchError(message, path=self.path, line=self.line(node))

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A scalar as written; None for an empty value (``~``, ``null`` or nothing)."""
        if not isinstance(node, yaml.ScalarNode):
            kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
            raise self.fail(f"{what} must be text, not a {kind}", node)
        if node.tag not in PLAIN_TAGS:
            raise self.fail(f"{what}: the YAML tag {node.tag} is not supported; write plain text",
                            node)
        if node.tag == "tag:yaml.org,2002:null" and node.style is None:
            return None
        return str(node.value)

    def mapping(self, node: yaml.Node, what: str, *,
                fold_case: bool = False) -> list[tuple[str, yaml.Node]]:
        """The ``(key, value node)`` pairs of a mapping, keys stripped (and lower-cased with
        ``fold_case``); a key given twice is an error naming both lines."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping (key: value)", node)
        out: list[tuple[str, yaml.Node]] = []
        seen: dict[str, int] = {}
        for k, v in node.value:
            key = str(self.text(k, "a key") or "").strip()
            key = key.lower() if fold_case else key
            if key in seen:
                raise self.fail(f"the key '{key}' appears twice in {what} (first on line "
                                f"{seen[key]})", k)
            seen[key] = self.line(k)
            out.append((key, v))
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """The items of a list; an empty value is an empty list."""
        if isinstance(node, yaml.ScalarNode) and self.text(node, what) is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"{what} must be a list", node)
        return list(node.value)

    def listed_under(self, root: yaml.Node | None, key: str, *, empty: str, missing: str,
                     not_a_list: str) -> list[yaml.Node]:
        """The list a file holds under its top-level ``key`` (or the file's own top-level
        list), with the caller's words for an empty file, a missing key and a non-list."""
        if root is None:
            raise WorkbenchError(empty, path=self.path)
        items = root
        if isinstance(root, yaml.MappingNode):
            found = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == key]
            if not found:
                raise self.fail(missing, root)
            items = found[0]
        if not isinstance(items, yaml.SequenceNode):
            raise self.fail(not_a_list, items)
        return list(items.value)
