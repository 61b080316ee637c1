"""The fixed Dutch texts of the thematic-map pictures (SVG, PNG, Mermaid, Markdown).

Exports go into a Dutch report, so everything the map draws besides the user's own names is in
Dutch; ``--title`` replaces the title. The map model itself (``map --json``, the terminal UI)
keeps its data as it is; only what is drawn is worded here.
"""

from __future__ import annotations

from workbench.services.visual.map_model import MapNode

TITLE = "Thematische kaart"
UNTHEMED = "Codes nog zonder thema"


def interviews(n: int) -> str:
    """``1 interview``, ``3 interviews``."""
    return f"{n} interview{'s' if n != 1 else ''}"


def themes(n: int) -> str:
    return f"{n} thema{'’s' if n != 1 else ''}"


def codes(n: int) -> str:
    return f"{n} code{'s' if n != 1 else ''}"


def group_name(node: MapNode) -> str:
    """A theme's name, or the Dutch name of the box of codes in no theme."""
    return UNTHEMED if node.kind == "unthemed" else node.name


def unknown_survey(survey_id: str) -> str:
    return f"{survey_id} (niet in het bestand met vragenlijstthema’s)"


def unlinked_survey(ids: list[str]) -> str:
    return "Vragenlijstthema’s zonder koppeling aan een thema: " + ", ".join(ids)


def legend(n_themes: int, n_codes: int, total: int, min_cooccurrence: int | None = None) -> str:
    text = f"{themes(n_themes)}, {codes(n_codes)}; getallen zijn interviews (van {total})"
    if min_cooccurrence is not None:
        text += (f"; bogen: codes gecodeerd op overlappende passages in ≥{min_cooccurrence} "
                 "interviews")
    return text


def mermaid_header(title: str, built_at: str, total: int) -> list[str]:
    return [f"%% {title}: gemaakt {built_at} uit de projectdatabase",
            f"%% getallen zijn interviews (van {total})"]
