"""The survey themes of a project (``codebooks/survey_themes.yaml``), as ``{id, title}`` rows.

The survey service (``workbench.services.survey``) owns that file; this module asks its
``load_themes`` (which validates the file) and only when that service is missing reads the YAML
itself: either a list of ``{id, title}`` mappings or
a mapping with a ``themes`` (or ``survey_themes``) list. Ids are kept as strings (``4.3`` stays
``"4.3"``, never the float 4.3).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import read_input_text

FILE_NAME = "survey_themes.yaml"


def survey_sort_key(theme_id: str) -> tuple:
    """Sort ``4.10`` after ``4.9`` and numbers before words."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", str(theme_id))
    )


def _from_service(project) -> list[dict] | None:
    """The survey service's reading of the file (it validates it), when that service exists."""
    try:
        from workbench.services import survey
    except ImportError:
        return None
    load_themes = getattr(survey, "load_themes", None)
    if not callable(load_themes):
        return None
    path = project.codebooks_dir / FILE_NAME
    if not path.is_file():
        return []
    return [_row(t) for t in load_themes(path)]


def _row(item) -> dict:
    if isinstance(item, dict):
        tid = item.get("id")
        title = item.get("title") or item.get("name") or ""
    else:
        tid = getattr(item, "id", None)
        title = getattr(item, "title", "") or ""
    return {"id": str(tid), "title": str(title)}


def read_survey_yaml(path: Path) -> list[dict]:
    """Read a survey themes file; a malformed file is a WorkbenchError naming it."""
    from workbench.yamlfile import load

    try:
        data = load(read_input_text(path), path, _string_loader())
    except UnicodeDecodeError as exc:
        raise WorkbenchError("is not UTF-8 text", path=path) from exc
    if isinstance(data, dict):
        data = data.get("themes", data.get("survey_themes"))
    if data is None:
        return []
    if not isinstance(data, list):
        raise WorkbenchError("expected a list of survey themes with id and title", path=path)
    out = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            raise WorkbenchError(f"survey theme {n} has no id", path=path)
        out.append(_row(item))
    return out


@functools.cache
def _string_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """A safe loader that keeps numbers such as 4.3 as text (ids, not floats)."""

    Loader.add_constructor(
        "tag:yaml.org,2002:float", lambda loader, node: loader.construct_scalar(node)
    )
    Loader.add_constructor(
        "tag:yaml.org,2002:int", lambda loader, node: loader.construct_scalar(node)
    )
    return Loader


def load_survey_themes(project) -> list[dict]:
    """The project's survey themes, in file order; ``[]`` when there is no file."""
    rows = _from_service(project)
    if rows is not None:
        return rows
    path = project.codebooks_dir / FILE_NAME
    if not path.is_file():
        return []
    return read_survey_yaml(path)
