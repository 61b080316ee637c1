"""Where each box of the thematic map goes: a deterministic left-to-right tree.

Columns, left to right: linked survey themes, themes, sub-themes (only when there are any),
codes, and (on request) co-occurrence arcs to the right of the codes. Every code has its own
row, as tall as its wrapped label; a theme's box spans the rows of its codes, so boxes never
overlap and the figure grows with the content. Survey themes sit level with the themes they are
linked to, pushed apart where they would touch. Units are inches, ``y`` grows downwards.
Nothing here draws; :mod:`workbench.services.visual.map_svg` turns a :class:`MapLayout` into a picture.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from workbench.services.visual import map_labels as labels
from workbench.services.visual.map_model import MapNode, ThematicMap
from workbench.services.visual.survey_source import survey_sort_key

FONT_PT = {"survey": 8.5, "theme": 9.5, "subtheme": 9.0, "code": 8.5, "unthemed": 9.5}
LINE = 1.32  # line height in em
CHAR_EM = 0.58  # a generous average glyph width (DejaVu Sans) in em
BOLD = {"theme": 1.1, "subtheme": 1.1, "unthemed": 1.1}  # bold labels run wider
PAD = 0.07  # inner padding of a box, inches
COL_W = {"survey": 2.3, "theme": 2.2, "subtheme": 2.0, "code": 2.5}
COUNT_W = 0.42  # room for the interview count at the right of a code box
COL_GAP = 0.55
ROW_GAP = 0.08
GROUP_GAP = 0.28
MARGIN = 0.3
HEADER = 0.62  # title and legend above the columns


def line_height(kind: str) -> float:
    return FONT_PT[kind] * LINE / 72


def chars_per_line(kind: str, width: float) -> int:
    return max(8, int((width - 2 * PAD) / (FONT_PT[kind] * CHAR_EM * BOLD.get(kind, 1.0) / 72)))


def wrap(text: str, width_chars: int) -> list[str]:
    """Wrap on spaces; a word longer than a line is broken."""
    return textwrap.wrap(text, width_chars, break_long_words=True, break_on_hyphens=True) or [""]


@dataclass
class Box:
    id: str
    kind: str  # survey, theme, subtheme, code, unthemed
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    count: str = ""  # the interview count printed in the box
    colour: str = ""
    dashed: bool = False
    group: str = ""  # the top-level theme (or unthemed group) a code or sub-theme is under
    tags: list[str] = field(default_factory=list)  # survey ids linked to this code/sub-theme

    @property
    def tag_text(self) -> str:
        return " ".join(self.tags)

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


@dataclass
class Edge:
    src: str
    dst: str
    kind: str  # tree, survey, cooccurrence
    label: str = ""
    weight: int = 1
    anchor: str = ""  # the box the line ends on, when not ``dst`` (a code's theme box)


@dataclass
class MapLayout:
    width: float
    height: float
    title: str
    legend: str
    boxes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    arc_x: float = 0.0  # where co-occurrence arcs start (right edge of the code column)
    footnote: str = ""

    def box(self, box_id: str) -> Box:
        for b in self.boxes:
            if b.id == box_id:
                return b
        raise KeyError(box_id)


def _text_box(kind: str, lines: list[str]) -> float:
    return len(lines) * line_height(kind) + 2 * PAD


def layout_map(m: ThematicMap, *, title: str = labels.TITLE) -> MapLayout:
    """Place every node of ``m``; see the module docstring for the scheme."""
    cols = _Columns(m)
    boxes, edges, body_bottom = _place_groups(m, cols)
    if m.linked_survey:
        body_bottom = _place_survey(m, cols, boxes, edges, body_bottom)
    width = cols.code_right + MARGIN
    if m.cooccurrence:
        by_id = {b.id: b for b in boxes}
        widest = 0.0
        for link in m.cooccurrence:
            if link.a in by_id and link.b in by_id:
                edges.append(Edge(link.a, link.b, "cooccurrence", str(link.interviews),
                                  link.interviews))
                widest = max(widest, arc_bulge(abs(by_id[link.a].cy - by_id[link.b].cy)))
        width = cols.code_right + widest * 0.75 + 0.45 + MARGIN
    unlinked = [s.id for s in m.survey if not s.linked]
    footnote = labels.unlinked_survey(unlinked) if unlinked else ""
    height = body_bottom + MARGIN + (0.3 if footnote else 0)
    if footnote:
        width = max(width, len(footnote) * 8 * CHAR_EM / 72 + 2 * MARGIN)
    legend = labels.legend(len(m.themes), len(m.codes), m.total_interviews,
                           m.min_cooccurrence if m.cooccurrence else None)
    return MapLayout(width=width, height=height, title=title, legend=legend, boxes=boxes,
                     edges=edges, arc_x=cols.code_right, footnote=footnote)


class _Columns:
    """Where each column starts and how wide it is: survey themes (if linked), themes,
    sub-themes (if any), codes; codes carrying survey badges get a wider column, so that their
    names keep their room."""

    def __init__(self, m: ThematicMap) -> None:
        has_sub = any(n.kind == "subtheme" for n in m.nodes())
        badge = max((tag_width(own_tags(m, c)) for c in m.codes), default=0.0)
        self.w = {**COL_W, "code": COL_W["code"] + min(badge, 1.2)}
        self.x: dict[str, float] = {}
        x = MARGIN
        for col in ("survey", "theme", "subtheme", "code"):
            if (col == "survey" and not m.linked_survey) or (col == "subtheme" and not has_sub):
                continue
            self.x[col] = x
            x += self.w[col] + COL_GAP
        self.code_right = self.x["code"] + self.w["code"]


def _place_leaves(cols: _Columns, children: list[MapNode], top: float, group: str,
                  inherited: set[str]) -> tuple[list[Box], float]:
    """Code boxes for ``children`` (codes only) from ``top``; returns boxes and bottom."""
    out = []
    cy = top
    for c in children:
        tags = [t for t in c.survey if t not in inherited]
        room = cols.w["code"] - COUNT_W - tag_width(tags)
        lines = wrap(c.name, chars_per_line("code", room))
        h = _text_box("code", lines)
        out.append(Box(c.id, "code", cols.x["code"], cy, cols.w["code"], h, lines,
                       count=str(c.interviews), colour=c.colour, group=group, tags=tags))
        cy += h + ROW_GAP
    return out, (cy - ROW_GAP if out else top)


def _place_groups(m: ThematicMap, cols: _Columns) -> tuple[list[Box], list[Edge], float]:
    """Each theme (or the unthemed group) with its codes and sub-themes, top to bottom; returns
    the boxes, the tree edges and the bottom of the body."""
    boxes: list[Box] = []
    edges: list[Edge] = []
    y = MARGIN + HEADER
    for group in m.groups:
        top = y
        kind = "theme"
        g_lines = wrap(labels.group_name(group), chars_per_line(kind, COL_W[kind]))
        g_lines.append(labels.interviews(group.interviews))
        g_min_h = _text_box(kind, g_lines)
        cursor = top
        for child in group.children:
            if child.kind == "code":
                placed, bottom = _place_leaves(cols, [child], cursor, group.id, set(group.survey))
                boxes.extend(placed)
                edges.append(Edge(group.id, child.id, "tree"))
                cursor = bottom + ROW_GAP
                continue
            # a sub-theme and its codes
            s_tags = [t for t in child.survey if t not in group.survey]
            s_lines = wrap(child.name, chars_per_line(
                "subtheme", COL_W["subtheme"] - tag_width(s_tags)))
            s_lines.append(labels.interviews(child.interviews))
            s_min_h = _text_box("subtheme", s_lines)
            placed, bottom = _place_leaves(cols, child.codes, cursor, group.id,
                                           set(group.survey) | set(child.survey))
            span = max(bottom - cursor, s_min_h)
            if placed and span > bottom - cursor:  # stretch the last code row
                placed[-1].h += span - (bottom - cursor)
            boxes.extend(placed)
            boxes.append(Box(child.id, "subtheme", cols.x["subtheme"], cursor,
                             COL_W["subtheme"], span, s_lines, group=group.id, tags=s_tags))
            edges.append(Edge(group.id, child.id, "tree"))
            edges.extend(Edge(child.id, p.id, "tree") for p in placed)
            cursor = cursor + span + ROW_GAP
        span = max(cursor - ROW_GAP - top, g_min_h)
        boxes.append(Box(group.id, group.kind, cols.x["theme"], top, COL_W["theme"], span, g_lines,
                         dashed=group.kind == "unthemed"))
        y = top + span + GROUP_GAP
    return boxes, edges, y - GROUP_GAP


def _place_survey(m: ThematicMap, cols: _Columns, boxes: list[Box], edges: list[Edge],
                  body_bottom: float) -> float:
    """Survey themes level with their linked nodes, pushed apart so that none touch, and their
    edges; returns the new bottom of the body."""
    by_id = {b.id: b for b in boxes}
    wanted = []
    for s in m.linked_survey:
        ys = [by_id[_anchor(by_id, c)].cy for c, sid in m.survey_links
              if sid == s.id and c in by_id]
        head = f"{s.id} {s.title}".strip() if s.known else labels.unknown_survey(s.id)
        lines = wrap(head, chars_per_line("survey", COL_W["survey"]))
        h = _text_box("survey", lines)
        target = (sum(ys) / len(ys) if ys else MARGIN + HEADER) - h / 2
        wanted.append((target, s, lines, h))
    wanted.sort(key=lambda w: (round(w[0] + w[3] / 2, 3), survey_sort_key(w[1].id)))
    placed_s: list[list[Any]] = []
    cursor = MARGIN + HEADER
    for target, s, lines, h in wanted:
        top = max(target, cursor)
        placed_s.append([top, s, lines, h])
        cursor = top + h + ROW_GAP * 2
    # if the column ran past the codes, pull it up from the bottom, then restack
    gap = ROW_GAP * 2
    limit = max(body_bottom, MARGIN + HEADER)
    for item in reversed(placed_s):
        item[0] = min(item[0], limit - item[3])
        limit = item[0] - gap
    cursor = MARGIN + HEADER
    for item in placed_s:
        item[0] = max(item[0], cursor)
        cursor = item[0] + item[3] + gap
    for top, s, lines, h in placed_s:
        boxes.append(Box(f"survey:{s.id}", "survey", cols.x["survey"], top, COL_W["survey"],
                         h, lines, dashed=not s.known))
        body_bottom = max(body_bottom, top + h)
    for code_id, sid in m.survey_links:
        if code_id in by_id:
            edges.append(Edge(f"survey:{sid}", code_id, "survey", anchor=_anchor(by_id, code_id)))
    return body_bottom


def own_tags(m: ThematicMap, code: MapNode) -> list[str]:
    """The survey ids of a code that its theme (or sub-theme) is not linked to already."""
    inherited: set[str] = set()
    for group in m.groups:
        for node in group.walk():
            if any(c.id == code.id for c in node.children):
                inherited |= set(node.survey) | set(group.survey)
    return [t for t in code.survey if t not in inherited]


def _anchor(by_id: dict[str, Box], node_id: str) -> str:
    """Survey links to a code or sub-theme are drawn to its theme's box (the code carries a
    badge with the survey id), so that no line runs through a theme box."""
    box = by_id[node_id]
    return box.group if box.kind in ("code", "subtheme") and box.group in by_id else node_id


def tag_width(tags: list[str]) -> float:
    """Room for the survey-id badge of a code or sub-theme (0 without links)."""
    if not tags:
        return 0.0
    return len(" ".join(tags)) * FONT_PT["survey"] * 0.85 * CHAR_EM / 72 + 0.16


def arc_bulge(dy: float) -> float:
    """How far right of the code column an arc spanning ``dy`` inches reaches (control
    points); taller arcs bulge further, so nested arcs stay apart."""
    return float(0.35 + 0.45 * dy ** 0.8)
