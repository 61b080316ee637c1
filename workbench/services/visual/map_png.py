"""The thematic map as a PNG image (the same drawing as the SVG, rasterised by Agg)."""

from __future__ import annotations

from workbench.services.visual.map_labels import TITLE
from workbench.services.visual.map_model import ThematicMap


def render_png(m: ThematicMap, *, title: str = TITLE, dpi: int = 150) -> bytes:
    from workbench.services.visual.map_svg import render

    return render(m, "png", title=title, dpi=dpi)
