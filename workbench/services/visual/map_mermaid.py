"""The thematic map as Mermaid flowchart text (renders in GitHub, GitLab, Obsidian, …).

Node ids are stable within one map: ``S1…`` survey themes, ``T1…`` themes, ``ST1…``
sub-themes, ``C1…`` codes, ``U`` the codes in no theme; a ``%%`` comment maps each to the
workbench id. Edges: ``-->`` tree (theme to sub-theme or code), ``-.->`` survey theme to the
theme or code it is linked to, ``-.-|"n"|`` co-occurrence with its interview count.
"""

from __future__ import annotations

from workbench.services.visual import map_labels as labels
from workbench.services.visual.map_model import ThematicMap

SHAPES = {
    "survey": ('(["', '"])'),
    "theme": ('["', '"]'),
    "subtheme": ('("', '")'),
    "code": ('["', '"]'),
    "unthemed": ('{{"', '"}}'),
}
CLASSES = {
    "survey": "fill:#fdf0d5,stroke:#b07d1a,color:#000",
    "theme": "fill:#dbe7f5,stroke:#2b5c8a,stroke-width:2px,color:#000",
    "subtheme": "fill:#eef4fb,stroke:#4f7fb0,color:#000",
    "code": "fill:#ffffff,stroke:#8a8a8a,color:#000",
    "unthemed": "fill:#f2f2f2,stroke:#777,stroke-dasharray:4 2,color:#000",
}


def escape_label(text: str) -> str:
    """Mermaid entity codes for characters that would end or confuse a quoted label."""
    out = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return " ".join(out.split())


def render_mermaid(m: ThematicMap, *, title: str = labels.TITLE) -> str:
    """Mermaid ``flowchart LR`` text for the map."""
    ids: dict[str, str] = {}
    counters = {"survey": 0, "theme": 0, "subtheme": 0, "code": 0}
    prefix = {"survey": "S", "theme": "T", "subtheme": "ST", "code": "C"}

    def mid(kind: str, key: str) -> str:
        if key not in ids:
            if kind == "unthemed":
                ids[key] = "U"
            else:
                counters[kind] += 1
                ids[key] = f"{prefix[kind]}{counters[kind]}"
        return ids[key]

    lines = [
        *labels.mermaid_header(escape_label(title), m.built_at, m.total_interviews),
        "flowchart LR",
    ]
    by_class: dict[str, list[str]] = {k: [] for k in SHAPES}

    def node(kind: str, key: str, label: str) -> None:
        nid = mid(kind, key)
        left, right = SHAPES[kind]
        lines.append(f"  {nid}{left}{escape_label(label)}{right}")
        by_class[kind].append(nid)

    linked = m.linked_survey
    for s in linked:
        node("survey", f"survey:{s.id}", f"{s.id} {s.title}".strip())
    edges: list[str] = []
    for g in m.groups:
        node(g.kind, g.id, f"{labels.group_name(g)} ({labels.interviews(g.interviews)})")
        for child in g.children:
            if child.kind == "code":
                node("code", child.id, f"{child.name} ({child.interviews})")
            else:
                node("subtheme", child.id, f"{child.name} ({labels.interviews(child.interviews)})")
                for c in child.children:
                    node("code", c.id, f"{c.name} ({c.interviews})")
                    edges.append(f"  {ids[child.id]} --> {ids[c.id]}")
            edges.append(f"  {ids[g.id]} --> {ids[child.id]}")
    for code_id, sid in m.survey_links:
        if code_id in ids:
            edges.append(f"  {ids['survey:' + sid]} -.-> {ids[code_id]}")
    for link in m.cooccurrence:
        if link.a in ids and link.b in ids:
            edges.append(f'  {ids[link.a]} -.-|"{link.interviews}"| {ids[link.b]}')
    lines.extend(edges)
    for kind, style in CLASSES.items():
        if by_class[kind]:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(by_class[kind])} {kind}")
    mapping = ", ".join(f"{v}={k}" for k, v in ids.items())
    lines.append(f"%% ids: {mapping}")
    return "\n".join(lines) + "\n"


def render_markdown(m: ThematicMap, *, title: str = labels.TITLE) -> str:
    """The Mermaid text in a fenced block under a heading, for a Markdown viewer."""
    return f"# {title}\n\n```mermaid\n{render_mermaid(m, title=title)}```\n"
