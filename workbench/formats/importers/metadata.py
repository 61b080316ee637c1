"""Transcript metadata: YAML front matter and sidecar files, with Dutch key aliases.

Known keys (English / Dutch): ``id``, ``role``/``rol``/``functie``, ``municipality``/``gemeente``,
``domain``/``domein``/``beleidsdomein``, ``date``/``datum``, ``interviewer``. Other keys are kept
as extra metadata. Dates become ISO ``YYYY-MM-DD`` (``14-03-2023`` is understood too).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from workbench.errors import ImportFileError, WorkbenchError
from workbench.formats.importers.encoding import read_text_file
from workbench.formats.importers.model import ParsedTranscript
from workbench.textsafety import NAME_LIMIT, check_name, check_text

ALIASES = {
    "id": "id",
    "role": "role",
    "rol": "role",
    "functie": "role",
    "municipality": "municipality",
    "gemeente": "municipality",
    "domain": "domain",
    "domein": "domain",
    "beleidsdomein": "domain",
    "date": "date",
    "datum": "date",
    "interviewer": "interviewer",
    "interviewers": "interviewer",
}
FENCE = "---"
NAMES = {"id": "id", "role": "role", "municipality": "municipality", "domain": "domain",
         "interviewer": "interviewer"}


def _checked(check, value: Any, path: Path, line: int | None, **kw: Any) -> str:
    """``check(value, **kw)`` with its error naming the file and line."""
    try:
        return check(value, **kw)
    except WorkbenchError as exc:
        raise ImportFileError(exc.message, path=path, line=line) from exc


def _check_extra(value: Any, key: str, path: Path, line: int | None) -> None:
    """Other metadata keys are kept as they are, but their texts pass the same check."""
    _checked(check_name, key, path, line, what="metadata key")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_extra(v, str(k), path, line)
    elif isinstance(value, list):
        for v in value:
            _check_extra(v, key, path, line)
    elif isinstance(value, str):
        _checked(check_text, value, path, line, what=f"value of '{key}'", limit=NAME_LIMIT * 50)


def normalise_metadata(raw: dict[Any, Any], path: Path, first_line: int | None = None,
                       lines: dict[str, int] | None = None) -> dict[str, Any]:
    """Canonical keys and checked values; ``lines`` gives each key's file line for errors."""
    out: dict[str, Any] = {}
    id_line = first_line
    for key, value in raw.items():
        line = (lines or {}).get(str(key), first_line)
        if not isinstance(key, str):
            raise ImportFileError(f"front matter key {key!r} is not text", path=path, line=line)
        canon = ALIASES.get(key.strip().lower(), key.strip())
        if canon == "date":
            value = normalise_date(value, path, line)
        elif canon in ("id", "role", "municipality", "domain", "interviewer"):
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            value = "" if value is None else " ".join(str(value).split())
            if value:
                value = _checked(check_name, value, path, line, what=NAMES[canon])
        else:
            _check_extra(value, key, path, line)
        if canon == "id":
            id_line = line
        out[canon] = value
    if "id" in out and not re.fullmatch(r"[\w.\-]+", out["id"]):
        raise ImportFileError(
            f"id {out['id']!r} may only contain letters, digits, '.', '-' and '_'",
            path=path,
            line=id_line,
        )
    return out


def normalise_date(value: Any, path: Path, line: int | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if not m:
            raise ImportFileError(
                f"date {text!r} not understood; write it as YYYY-MM-DD", path=path, line=line
            )
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError as exc:
        raise ImportFileError(f"date {text!r} is not a valid date", path=path, line=line) from exc


def parse_yaml_block(text: str, path: Path, first_line: int) -> dict[str, Any]:
    """Parse a YAML mapping with the bounded reader; errors point at the file line."""
    from workbench.yamlfile import MAX_METADATA_CHARS, load_located

    try:
        data, lines = load_located(text, path, first_line=first_line,
                                   max_chars=MAX_METADATA_CHARS, error=ImportFileError)
    except ImportFileError as exc:
        what = "front matter" if first_line > 1 else "metadata"
        raise ImportFileError(f"broken {what}: {exc.message}", path=path, line=exc.line) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFileError(
            "broken front matter: expected 'key: value' lines", path=path, line=first_line
        )
    return normalise_metadata(data, path, first_line, lines)


def split_front_matter(lines: list[str], path: Path) -> tuple[dict[str, Any], int, bool]:
    """If ``lines`` start with a ``---`` fence, parse the block up to the closing fence.

    Returns (metadata, index of the first line after the block, whether a block was present).
    """
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or lines[first].strip() != FENCE:
        return {}, 0, False
    for j in range(first + 1, len(lines)):
        if lines[j].strip() in (FENCE, "..."):
            meta = parse_yaml_block("\n".join(lines[first + 1 : j]), path, first + 2)
            return meta, j + 1, True
    raise ImportFileError(
        "broken front matter: the opening '---' has no closing '---'", path=path, line=first + 1
    )


def sidecar_for(path: Path) -> Path | None:
    for suffix in (".yaml", ".yml"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def apply_sidecar(parsed: ParsedTranscript, path: Path) -> None:
    """Merge ``STEM.yaml`` beside the transcript into its metadata (front matter wins)."""
    sidecar = sidecar_for(path)
    if sidecar is None:
        return
    meta = parse_yaml_block(read_text_file(sidecar), sidecar, 1)
    parsed.metadata = {**meta, **parsed.metadata}
