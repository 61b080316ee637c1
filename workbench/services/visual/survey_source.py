"""The survey themes of a project (``codebooks/survey_themes.yaml``) as ``{id, title}`` rows
for the thematic map and the phase dashboard, in file order. The survey service
(:mod:`workbench.services.reporting.survey`) owns the file and reads and checks it; ids stay text (``4.3``
stays ``"4.3"``).
"""

from __future__ import annotations

import re
from typing import Any

from workbench.project import Project

FILE_NAME = "survey_themes.yaml"


def survey_sort_key(theme_id: str) -> tuple[Any, ...]:
    """Sort ``4.10`` after ``4.9`` and numbers before words."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", str(theme_id))
    )


def load_survey_themes(project: Project) -> list[dict[str, Any]]:
    """The project's survey themes, in file order; ``[]`` when there is no file. A damaged file
    is a :class:`~workbench.errors.WorkbenchError` naming it (and the line)."""
    from workbench.services.reporting import survey

    path = project.codebooks_dir / FILE_NAME
    if not path.is_file():
        return []
    return [{"id": str(t.id), "title": str(t.title or "")} for t in survey.load_themes(path)]
