"""A codebook file, pure: the format-neutral entry model, its checks, and the YAML form.

:class:`CodeEntry` is format-neutral: the YAML reader here and the REFI-QDA ``.qdc`` reader
(:mod:`workbench.services.exchange.codebook`) both produce a list of entries, which
:mod:`workbench.services.codebook.sync` merges into a project.

The YAML file (``codebooks/codebook.yaml``) is written for people and diffs: ``version``, then
the themes in order, each with its codes (and sub-themes) nested, one block per code, ids kept,
empty fields left out, ``survey_themes`` as quoted strings (``'4.3'``). Every problem in a file
names the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import read_text_file
from workbench.textsafety import name_key

__all__ = ["BLOCK_KEYS", "FORMAT_VERSION", "NEW_PREFIX", "TEXT_FIELDS", "CodeEntry", "check_colour",
           "read_yaml", "sorted_themes", "survey_sort_key", "to_yaml_text",
           "validate_entries"]

FORMAT_VERSION = 1
TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example", "colour", "memo")
NEW_PREFIX = "new:"


@dataclass
class CodeEntry:
    """One code or theme as a codebook file describes it (format-neutral)."""

    id: str
    kind: str
    name: str
    parent_id: str | None = None
    position: int = 0
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    colour: str = ""
    memo: str = ""
    survey_themes: list[str] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("id")
        data["survey_themes"] = sorted({str(s) for s in self.survey_themes})
        data["parent_id"] = self.parent_id or None
        for f in TEXT_FIELDS:
            data[f] = data[f] or ""
        return data



_COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-zA-Z]{3,20}")


def check_colour(colour: str) -> str:
    """A colour is ``#rgb``, ``#rrggbb`` or a CSS colour name (``red``, ``darkgreen``); empty
    means none."""
    colour = (colour or "").strip()
    if colour and not (_COLOUR_RE.fullmatch(colour) and _known_colour(colour)):
        raise WorkbenchError(
            f"'{colour}' is not a colour: use #rrggbb (e.g. #e6194b) or a CSS colour name (e.g. red)"
        )
    return colour.lower() if colour.startswith("#") else colour


def _known_colour(colour: str) -> bool:
    if colour.startswith("#"):
        return True
    from matplotlib.colors import CSS4_COLORS  # only for names, which are rare

    return colour.lower() in CSS4_COLORS


def survey_sort_key(theme_id: str) -> tuple[tuple[int, int, str], ...]:
    """Survey theme ids in report order: ``4.2`` before ``4.10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"[.\-]", str(theme_id)))


def sorted_themes(ids: list[str]) -> list[str]:
    """Survey theme ids without repeats, in report order."""
    return sorted({str(i) for i in ids}, key=survey_sort_key)


# -- checking and normalising entries ---------------------------------------------------------

def validate_entries(
    entries: list[CodeEntry], *, source: str = "the codebook file", lines: list[int] | None = None,
) -> list[CodeEntry]:
    """Check ids, kinds, names, text fields, nesting and colours; give positions as ranks among
    siblings. Raises a WorkbenchError listing every problem (with the line of each entry when
    ``lines`` gives them, one per entry)."""
    from workbench.project import validate_name
    from workbench.textsafety import check_text

    problems: list[str] = []
    seen: dict[str, CodeEntry] = {}
    names: dict[tuple[str, str], str] = {}
    line_of: dict[int, int] = {id(e): n for e, n in zip(entries, lines or [], strict=False)}

    def at(e: CodeEntry) -> str:
        n = line_of.get(id(e))
        return f"line {n}: " if n else ""

    def label(e: CodeEntry) -> str:
        n = line_of.get(id(e))
        return f"line {n}" if n else (e.id if not e.id.startswith(NEW_PREFIX) else "no id")

    for e in entries:
        if e.kind not in ("theme", "code"):
            problems.append(f"{at(e)}'{e.name}': kind must be theme or code, not '{e.kind}'")
        if not str(e.name or "").strip():
            problems.append(f"{at(e)}a {e.kind} ({e.id or 'no id'}) has no name")
            continue
        try:
            e.name = validate_name(" ".join(str(e.name).split()), what=f"{e.kind} name")
            if e.id:
                e.id = validate_name(str(e.id), what=f"id of '{e.name}'")
            for f in TEXT_FIELDS:
                setattr(e, f, check_text(getattr(e, f), what=f"{f} of '{e.name}'"))
            e.colour = check_colour(e.colour)
        except WorkbenchError as exc:
            problems.append(f"{at(e)}{exc.message}")
            continue
        if not e.id:
            e.id = f"{NEW_PREFIX}{e.kind}:{name_key(e.name)}"
        key = (e.kind, name_key(e.name))
        if key in names:
            problems.append(f"{at(e)}two {e.kind}s are named '{e.name}' ({names[key]} and {label(e)})")
        elif e.id in seen:
            problems.append(f"{at(e)}the id {e.id} is used twice ('{seen[e.id].name}' and '{e.name}')")
        names.setdefault(key, label(e))
        seen.setdefault(e.id, e)
        e.survey_themes = sorted_themes([str(s) for s in e.survey_themes or []])
    for e in entries:
        if not e.parent_id:
            e.parent_id = None
            continue
        parent = seen.get(e.parent_id)
        if parent is None:
            problems.append(f"{at(e)}'{e.name}' belongs to {e.parent_id}, which is not in {source}")
        elif parent is e:
            problems.append(f"{at(e)}'{e.name}' is its own parent")
        elif parent.kind != "theme":
            problems.append(f"{at(e)}'{e.name}' is under '{parent.name}', which is a code; only themes hold codes")
        elif e.kind == "theme" and parent.parent_id:
            problems.append(f"{at(e)}sub-theme '{e.name}' is under a sub-theme; themes nest one level deep only")
    if problems:
        raise WorkbenchError(
            f"{source} has {len(problems)} problem(s); nothing was changed:\n  " + "\n  ".join(problems)
        )
    # positions as ranks among siblings of the same kind, in the order given
    groups: dict[tuple, list[tuple[int, int, CodeEntry]]] = {}
    for i, e in enumerate(entries):
        groups.setdefault((e.parent_id, e.kind), []).append((e.position or 0, i, e))
    for members in groups.values():
        for rank, (_p, _i, e) in enumerate(sorted(members, key=lambda m: (m[0], m[1]))):
            e.position = rank
    return entries


# -- the YAML form ----------------------------------------------------------------------------

def _loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """Safe YAML where numbers with a dot stay text (survey theme ``4.10`` is not 4.1)."""

    Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


BLOCK_KEYS = ("id", "name", *TEXT_FIELDS, "survey_themes")


def _did_you_mean(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def read_yaml(path: Path | str) -> list[CodeEntry]:
    """Read a codebook YAML file into entries; every problem names the file and line."""
    import yaml

    path = Path(path)
    text = read_text_file(path, what="codebook file")
    from workbench.yamlfile import Nodes, compose

    root = compose(text, path, _loader())
    if root is None:
        raise WorkbenchError(
            f"the codebook file is empty (expected 'version: {FORMAT_VERSION}' and 'themes:'); "
            "nothing was changed", path=path)

    nodes = Nodes(path)
    fail, text_of, mapping, sequence = nodes.fail, nodes.text, nodes.mapping, nodes.sequence

    def scalar(node: yaml.Node, what: str) -> str:
        value = text_of(node, what)
        if value is None:
            return ""
        return value.strip() if what.endswith(("name", "id")) else value.rstrip()

    entries: list[CodeEntry] = []
    lines: list[int] = []

    def block(node: yaml.Node, kind: str, parent: CodeEntry | None, depth: int) -> None:
        items: dict[str, Any] = {}
        nested: list[tuple[str, Any]] = []
        for key, value in mapping(node, f"a {kind}"):
            if key in ("codes", "subthemes"):
                if kind != "theme":
                    raise fail(f"a code cannot hold '{key}'", value)
                nested.append((key, value))
            elif key == "survey_themes":
                items[key] = [t for v in sequence(value, "survey_themes") if (t := scalar(v, "a survey theme id"))]
            elif key in BLOCK_KEYS:
                items[key] = scalar(value, f"{kind} {key}")
            else:
                known = [*BLOCK_KEYS, *(("codes", "subthemes") if kind == "theme" else ())]
                raise fail(f"unknown key '{key}' in a {kind}{_did_you_mean(key, known)} "
                           f"(known: {', '.join(known)})", value)
        if not items.get("name"):
            raise fail(f"a {kind} without a name", node)
        siblings = [e for e in entries if e.parent_id == (parent.id if parent else None) and e.kind == kind]
        e = CodeEntry(
            id=items.get("id", ""), kind=kind, name=items["name"],
            parent_id=parent.id if parent else None, position=len(siblings),
            survey_themes=items.get("survey_themes", []),
            **{f: items.get(f, "") for f in TEXT_FIELDS},
        )
        if not e.id:
            e.id = f"{NEW_PREFIX}{kind}:{name_key(e.name)}"
        entries.append(e)
        lines.append(node.start_mark.line + 1)
        for key, value in nested:
            if key == "subthemes" and depth >= 1:
                raise fail("sub-themes nest one level deep only", value)
            for child in sequence(value, key):
                block(child, "code" if key == "codes" else "theme", e, depth + 1)

    version = None
    for key, value in mapping(root, "the codebook file"):
        if key == "version":
            version = text_of(value, "version")
            if str(version).strip() != str(FORMAT_VERSION):
                raise fail(f"codebook format version {version} is not supported (this workbench "
                           f"reads version {FORMAT_VERSION})", value)
        elif key == "themes":
            for item in sequence(value, "themes"):
                block(item, "theme", None, 0)
        elif key == "codes":
            for item in sequence(value, "codes"):
                block(item, "code", None, 0)
        elif key in ("title", "description", "project"):
            continue
        else:
            known = ["version", "themes", "codes"]
            raise fail(f"unknown key '{key}'{_did_you_mean(key, known)} (known: {', '.join(known)})", value)
    if version is None:
        raise WorkbenchError(f"no 'version: {FORMAT_VERSION}' key: is this a workbench codebook?", path=path)
    try:
        return validate_entries(entries, source="the file", lines=lines)
    except WorkbenchError as exc:
        raise WorkbenchError(exc.message, path=path) from exc


class _FlowList(list):
    """A list written on one line: ``survey_themes: ['4.3', '4.5']``."""


def _block(e: CodeEntry) -> dict:
    out: dict[str, Any] = {"id": e.id, "name": e.name}
    for f in TEXT_FIELDS:
        if getattr(e, f):
            out[f] = getattr(e, f)
    if e.survey_themes:
        out["survey_themes"] = _FlowList(e.survey_themes)
    return out


def to_yaml_text(entries: list[CodeEntry]) -> str:
    """The YAML text for a list of entries (themes with nested codes, in order)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def str_repr(dumper, data: str):
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def flow_repr(dumper, data: _FlowList):
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    Dumper.add_representer(str, str_repr)
    Dumper.add_representer(_FlowList, flow_repr)
    by_parent: dict[str | None, list[CodeEntry]] = {}
    for e in entries:
        by_parent.setdefault(e.parent_id, []).append(e)

    def kids(parent: str | None, kind: str) -> list[CodeEntry]:
        return sorted((e for e in by_parent.get(parent, []) if e.kind == kind), key=lambda e: e.position)

    def theme(e: CodeEntry) -> dict:
        out = _block(e)
        codes = [_block(c) for c in kids(e.id, "code")]
        subs = [theme(s) for s in kids(e.id, "theme")]
        if codes:
            out["codes"] = codes
        if subs:
            out["subthemes"] = subs
        return out

    doc: dict[str, Any] = {"version": FORMAT_VERSION, "themes": [theme(t) for t in kids(None, "theme")]}
    loose = [_block(c) for c in kids(None, "code")]
    if loose:
        doc["codes"] = loose
    # no line wrapping: one field per line diffs best
    body = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1_000_000,
                     default_flow_style=False, indent=2)
    # a blank line before each top-level block keeps reading and diffs easy
    lines = body.splitlines(keepends=True)
    body = "".join(
        ("\n" + line) if line.startswith("- ") and i and not lines[i - 1].rstrip().endswith(":")
        else line
        for i, line in enumerate(lines)
    )
    header = ("# Workbench codebook (shared by the coders). Edit it, then run\n"
              "#   workbench codebook import codebooks/codebook.yaml\n"
              "# Ids are stable: keep them. survey_themes are report section ids.\n")
    return header + body


