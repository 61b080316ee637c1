"""Drawing the thematic map with matplotlib (Agg, imported lazily) as SVG or PNG bytes.

The picture follows :func:`workbench.services.visual.map_layout.layout_map`: survey themes (amber) on
the left, linked to themes (blue) by curves; themes and sub-themes span their codes (white,
with the code's colour as a strip), each code with its number of interviews at the right;
co-occurrence arcs with their interview counts to the right of the codes. SVG text stays text
(``svg.fonttype = none``) so that theme names can be searched and read by tools.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from workbench.services.visual import map_labels as labels
from workbench.services.visual.map_layout import (
    COUNT_W,
    FONT_PT,
    PAD,
    MapLayout,
    arc_bulge,
    layout_map,
    line_height,
)
from workbench.services.visual.map_model import ThematicMap

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

STYLE = {
    "theme": {"fc": "#dbe7f5", "ec": "#2b5c8a"},
    "unthemed": {"fc": "#f2f2f2", "ec": "#777777"},
    "subtheme": {"fc": "#eef4fb", "ec": "#4f7fb0"},
    "code": {"fc": "#ffffff", "ec": "#8a8a8a"},
    "survey": {"fc": "#fdf0d5", "ec": "#b07d1a"},
}
EDGE_COLOUR = {"tree": "#7b8ca0", "survey": "#c8951f", "cooccurrence": "#8e3b8e"}


def _safe_colour(colour: str, fallback: str = "#cccccc") -> str:
    from matplotlib.colors import is_color_like

    return colour if colour and is_color_like(colour) else fallback


def _badge(ax: Any, right: float, y: float, text: str, box_id: str) -> None:
    """An amber survey-id badge ending at ``right`` (for a link drawn to the theme box)."""
    ax.text(right - 0.05, y, text, fontsize=FONT_PT["survey"] * 0.85, ha="right", va="center",
            color="#6b4a00", zorder=4, gid=f"badge:{box_id}",
            bbox={"boxstyle": "round,pad=0.18", "fc": STYLE["survey"]["fc"],
                  "ec": STYLE["survey"]["ec"], "lw": 0.6})


def draw_layout(layout: MapLayout) -> Figure:
    """A matplotlib ``Figure`` of the layout (no pyplot, no global state)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle
    from matplotlib.path import Path

    fig = Figure(figsize=(layout.width, layout.height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    by_id = {b.id: b for b in layout.boxes}

    ax.text(0.3, 0.22, layout.title, fontsize=13, fontweight="bold", va="top", ha="left")
    ax.text(0.3, 0.56, layout.legend, fontsize=8.5, color="#555555", va="top", ha="left")
    if layout.footnote:
        ax.text(0.3, layout.height - 0.2, layout.footnote, fontsize=8, color="#555555",
                va="bottom", ha="left")

    # edges first, so that boxes sit on top of them
    for e in layout.edges:
        src, dst = by_id.get(e.src), by_id.get(e.anchor or e.dst)
        if src is None or dst is None:
            continue
        colour = EDGE_COLOUR[e.kind]
        if e.kind == "tree":
            ax.plot([src.right, dst.x], [dst.cy, dst.cy], color=colour, lw=0.9, zorder=1)
        elif e.kind == "survey":
            x0, y0, x1, y1 = src.right, src.cy, dst.x, dst.cy
            mid = (x0 + x1) / 2
            path = Path([(x0, y0), (mid, y0), (mid, y1), (x1, y1)],
                        [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
            ax.add_patch(PathPatch(path, fc="none", ec=colour, lw=1.3, alpha=0.9, zorder=0.5))
        else:  # co-occurrence arc to the right of the codes
            x0 = layout.arc_x
            ya, yb = sorted((src.cy, dst.cy))
            bulge = arc_bulge(yb - ya)
            path = Path([(x0, ya), (x0 + bulge, ya), (x0 + bulge, yb), (x0, yb)],
                        [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
            lw = 0.7 + min(e.weight, 8) * 0.35
            ax.add_patch(PathPatch(path, fc="none", ec=colour, lw=lw, alpha=0.75, zorder=1))
            ax.text(x0 + 0.75 * bulge, (ya + yb) / 2, e.label, fontsize=7.5, color=colour,
                    ha="center", va="center", zorder=4, gid=f"arc:{e.src}:{e.dst}",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": colour, "lw": 0.6})

    for b in layout.boxes:
        st = STYLE[b.kind]
        ax.add_patch(FancyBboxPatch(
            (b.x, b.y), b.w, b.h, boxstyle="round,pad=0,rounding_size=0.05",
            fc=st["fc"], ec=st["ec"], lw=1.2 if b.kind in ("theme", "unthemed") else 0.8,
            ls=(0, (4, 2)) if b.dashed else "solid", zorder=2, gid=f"box:{b.id}",
        ))
        size = FONT_PT[b.kind]
        lh = line_height(b.kind)
        if b.kind == "code":
            ax.add_patch(Rectangle((b.x, b.y), 0.06, b.h, fc=_safe_colour(b.colour), ec="none",
                                   zorder=3))
            ax.text(b.x + PAD + 0.04, b.y + PAD, "\n".join(b.lines), fontsize=size,
                    va="top", ha="left", linespacing=1.2, zorder=3, gid=f"text:{b.id}")
            ax.text(b.right - PAD, b.cy, b.count, fontsize=size, fontweight="bold",
                    va="center", ha="right", color="#2b5c8a", zorder=3, gid=f"count:{b.id}")
            if b.tags:
                _badge(ax, b.right - COUNT_W, b.cy, b.tag_text, b.id)
        elif b.kind == "survey":
            ax.text(b.x + PAD, b.y + PAD, "\n".join(b.lines), fontsize=size, va="top",
                    ha="left", linespacing=1.2, zorder=3, gid=f"text:{b.id}")
        else:  # theme, sub-theme, unthemed: name in bold, interview count below
            if b.tags:
                _badge(ax, b.right - PAD, b.y + PAD + 0.08, b.tag_text, b.id)
            name, count = b.lines[:-1], b.lines[-1]
            top = b.cy - len(b.lines) * lh / 2
            ax.text(b.x + PAD, top, "\n".join(name), fontsize=size, fontweight="bold",
                    va="top", ha="left", linespacing=1.2, zorder=3, gid=f"text:{b.id}",
                    color="#1d3f63" if b.kind != "unthemed" else "#444444")
            ax.text(b.x + PAD, top + len(name) * lh, count, fontsize=size - 1, va="top",
                    ha="left", color="#444444", zorder=3, gid=f"count:{b.id}")
    return fig


def render(m: ThematicMap, fmt: str = "svg", *, title: str = labels.TITLE,
           dpi: int = 150) -> bytes:
    """The map as ``svg`` or ``png`` bytes."""
    import matplotlib

    fig = draw_layout(layout_map(m, title=title))
    buf = io.BytesIO()
    rc: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "workbench-map",
                                "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        metadata = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()


def render_svg(m: ThematicMap, *, title: str = labels.TITLE) -> str:
    return render(m, "svg", title=title).decode("utf-8")
