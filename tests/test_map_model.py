"""The thematic map as data and its drawings agree with the database: every code once under
its theme, interview counts equal list_codebook's, survey links present, co-occurrence equal to
the themes service; SVG/PNG/Mermaid are valid and complete; nothing overlaps in the layout."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest
from test_visual_data import build_demo

from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.visual.map_layout import layout_map
from workbench.services.visual.map_mermaid import render_mermaid
from workbench.services.visual.map_model import UNTHEMED_ID, build_map
from workbench.services.visual.survey_source import load_survey_themes

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(project, add_transcript):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    info = build_demo(project, add_transcript)
    return project, info


def _map(project, **kw):
    return build_map(project.db, survey_themes=load_survey_themes(project), **kw)


def check_map_against_db(project, m) -> None:
    """The invariants every map must satisfy, whatever the project."""
    db = project.db
    listed = {r["id"]: r for r in codebook.list_codebook(db)}
    codes_in_db = {r[0]: r[1] for r in db.execute("select id, parent_id from codes where kind = 'code'")}
    seen = [n.id for n in m.codes]
    assert sorted(seen) == sorted(codes_in_db), "every code exactly once"
    for group in m.groups:
        for node in group.walk():
            for child in node.children:
                expected_parent = node.id if node.kind != "unthemed" else None
                assert codes_in_db.get(child.id, listed[child.id]["parent_id"]) == expected_parent
    for n in m.nodes():
        if n.kind == "unthemed":
            ids = [c.id for c in n.children]
            marks = ",".join("?" * len(ids))
            want = db.execute(f"select count(distinct transcript_id) from codings where code_id in ({marks})", ids).fetchone()[0]
            assert n.interviews == want
            continue
        assert n.interviews == listed[n.id]["transcripts"], n.name
        assert n.codings == listed[n.id]["codings"], n.name
    links = {(r[0], str(r[1])) for r in db.execute("select code_id, survey_theme_id from survey_links")}
    assert set(m.survey_links) == links
    for code_id, sid in links:
        assert sid in m.node(code_id).survey
        assert any(s.id == sid and s.linked for s in m.survey)


def test_map_agrees_with_database(demo):
    project, info = demo
    m = _map(project)
    check_map_against_db(project, m)
    assert [g.name for g in m.themes][:2] == ["Signalen en vermoedens", "Werving en ronselen"]
    werving = m.node(info["themes"]["Werving en ronselen"])
    assert [c.kind for c in werving.children] == ["subtheme", "subtheme"]
    assert werving.children[0].children[0].name == "Snapchat en Telegram"
    unthemed = m.groups[-1]
    assert unthemed.id == UNTHEMED_ID and {c.name for c in unthemed.children} == {
        "Invloed van corona", "Overlap met seksuele uitbuiting"}
    assert m.node(info["codes"]["Nog niet gebruikt"]).interviews == 0
    assert m.total_interviews == 7
    # survey themes: file order, the linked ones flagged, titles from the file
    assert [s.id for s in m.survey][:3] == ["4.1", "4.2", "4.3"]
    assert {s.id for s in m.linked_survey} == {"4.1", "4.2", "4.3", "4.4", "4.8", "4.10", "4.11"}
    assert next(s for s in m.survey if s.id == "4.3").title == "Locaties van werven en ronselen"


def test_map_is_rebuilt_from_current_data(demo):
    project, info = demo
    db = project.db
    before = _map(project)
    code = info["codes"]["Drugsrunnen"]
    codebook.move(db, "anna", code, info["themes"]["Dwangmiddelen"])
    tid = db.execute("select id from transcripts where id not in (select transcript_id from "
                     "codings where code_id = ?) order by id", [code]).fetchone()[0]
    coding.apply_code(db, "anna", tid, code, 0, 10)
    after = _map(project)
    check_map_against_db(project, after)
    assert code in [c.id for c in after.node(info["themes"]["Dwangmiddelen"]).codes]
    assert code not in [c.id for c in after.node(info["themes"]["Vormen van gedwongen criminaliteit"]).codes]
    assert after.node(code).interviews == before.node(code).interviews + 1


def test_unknown_survey_id_is_still_shown(demo):
    project, info = demo
    codebook.set_survey_themes(project.db, "anna", info["themes"]["Dwangmiddelen"], ["4.4", "9.9"])
    m = _map(project)
    s = next(s for s in m.survey if s.id == "9.9")
    assert s.linked and not s.known
    check_map_against_db(project, m)


def test_cooccurrence_matches_themes_service(demo):
    from workbench.services.codebook.themes import cooccurrence

    project, _info = demo
    m = _map(project, cooccurrence=True, min_count=1)
    assert m.cooccurrence, "the demo has overlapping codings"
    ours = {(min(link.a, link.b), max(link.a, link.b)): (link.extracts, link.interviews)
            for link in m.cooccurrence}
    theirs = {(r["code_a"], r["code_b"]): (r["count"], r["interviews"])
              for r in cooccurrence(project.db, 1)}
    assert ours == theirs
    m2 = _map(project, cooccurrence=True, min_count=2)
    assert all(link.interviews >= 2 for link in m2.cooccurrence)
    assert len(m2.cooccurrence) == sum(1 for v in theirs.values() if v[1] >= 2)


def test_cooccurrence_needs_same_coder_and_overlap(project, add_transcript):
    db = project.db
    add_transcript("T1")
    a = codebook.add(db, "anna", "A")["id"]
    b = codebook.add(db, "anna", "B")["id"]
    coding.apply_code(db, "anna", "T1", a, 0, 20)
    coding.apply_code(db, "bob", "T1", b, 5, 15)  # other coder: not co-occurrence
    coding.apply_code(db, "anna", "T1", b, 20, 30)  # touching, not overlapping
    assert build_map(db, cooccurrence=True, min_count=1).cooccurrence == []
    coding.apply_code(db, "anna", "T1", b, 19, 25)
    links = build_map(db, cooccurrence=True, min_count=1).cooccurrence
    assert [(sorted((link.a, link.b)), link.interviews, link.extracts) for link in links] == [
        (sorted((a, b)), 1, 1)]


# -- layout ------------------------------------------------------------------------------------

def test_layout_has_no_overlapping_boxes(demo):
    project, _info = demo
    m = _map(project, cooccurrence=True, min_count=1)
    lay = layout_map(m)
    for i, a in enumerate(lay.boxes):
        assert 0 <= a.x and a.right <= lay.width and 0 <= a.y and a.bottom <= lay.height
        for b in lay.boxes[i + 1:]:
            assert not a.overlaps(b), (a.id, b.id)
    # every node of the map has a box, and every code is joined to its theme or sub-theme
    ids = {b.id for b in lay.boxes}
    assert {n.id for n in m.nodes()} <= ids
    tree_edges = {(e.src, e.dst) for e in lay.edges if e.kind == "tree"}
    for g in m.groups:
        for node in g.walk():
            for child in node.children:
                assert (node.id, child.id) in tree_edges
    assert {(e.dst, e.src.split(":", 1)[1]) for e in lay.edges if e.kind == "survey"} == set(m.survey_links)


def _rendered_texts(layout):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from workbench.services.visual.map_svg import draw_layout

    fig = draw_layout(layout)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    inv = ax.transData.inverted()
    out = []
    for t in ax.texts:
        patch = t.get_bbox_patch()
        bb = (patch or t).get_window_extent(renderer)
        (x0, y1), (x1, y0) = inv.transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
        out.append((t.get_gid() or "", t.get_text(), x0, y0, x1, y1))
    return out


@pytest.mark.parametrize("cooccurrence", [False, True])
def test_rendered_labels_fit_and_do_not_overlap(demo, cooccurrence):
    """Measure the text matplotlib really draws: inside its box, inside the figure, and no
    two labels on top of each other."""
    project, _info = demo
    m = _map(project, cooccurrence=cooccurrence, min_count=1)
    lay = layout_map(m)
    boxes = {b.id: b for b in lay.boxes}
    texts = _rendered_texts(lay)
    assert any(t[1] == "Signalen en vermoedens" for t in texts)
    eps = 1e-6
    for gid, text, x0, y0, x1, y1 in texts:
        assert x0 >= -eps and y0 >= -eps and x1 <= lay.width + eps and y1 <= lay.height + eps, text
        kind, _, box_id = gid.partition(":")
        if kind in ("text", "count", "badge"):
            b = boxes[box_id]
            assert b.x - eps <= x0 and x1 <= b.right + eps and b.y - eps <= y0 and y1 <= b.bottom + eps, (gid, text)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not (a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]), (a[:2], b[:2])


def test_long_names_wrap_inside_their_boxes(project, add_transcript):
    db = project.db
    add_transcript("T1")
    t = codebook.add(db, "anna", "Een heel lang thema over ronselen via sociale media en op "
                     "schoolpleinen in de grote steden", kind="theme")["id"]
    codebook.add(db, "anna", "Onvoorstelbaarlangewoordzonderspatiesdatnietpastindedoos", parent=t)
    for k in range(12):
        codebook.add(db, "anna", f"Code nummer {k} met een wat langere omschrijving erbij", parent=t)
    lay = layout_map(build_map(db))
    boxes = {b.id: b for b in lay.boxes}
    for gid, text, x0, y0, x1, y1 in _rendered_texts(lay):
        kind, _, box_id = gid.partition(":")
        if kind == "text":
            b = boxes[box_id]
            assert b.x <= x0 and x1 <= b.right + 1e-6 and b.y <= y0 and y1 <= b.bottom + 1e-6, text


# -- drawings ----------------------------------------------------------------------------------

def test_svg_is_well_formed_and_names_every_theme_and_code(demo):
    from workbench.services.visual.map_svg import render_svg

    project, _info = demo
    m = _map(project, cooccurrence=True)
    svg = render_svg(m)
    root = DET.fromstring(svg.encode("utf-8"))
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    flat = " ".join(text.split())
    for n in m.nodes():
        if n.kind in ("theme", "subtheme"):
            first_word = n.name.split()[0]
            assert first_word in flat, n.name
    for word in ("Signalen en vermoedens", "Dwangmiddelen", "Drugsrunnen", "4.3"):
        assert word in flat
    # the fixed texts are Dutch, like the exports
    assert "Thematische kaart" in flat and "getallen zijn interviews" in flat
    for english in ("Thematic map", "numbers are", "Codes not yet", "themes,"):
        assert english not in flat
    if any(n.kind == "unthemed" for n in m.groups):
        assert "Codes nog zonder thema" in flat
    width = float(re.match(r"[\d.]+", root.get("width")).group())
    assert width > 400


def test_png_is_a_valid_image_of_sensible_size(demo):
    from workbench.services.visual.map_png import render_png

    project, _info = demo
    data = render_png(_map(project), dpi=100)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 600 < width < 6000 and 600 < height < 8000
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(data))
    img.verify()


# -- Mermaid -----------------------------------------------------------------------------------

NODE_RE = re.compile(r'^\s*([A-Za-z][A-Za-z0-9_]*)(\(\[|\[|\(|\{\{)"(.*)"(\]\)|\]|\)|\}\})\s*$')
EDGE_RE = re.compile(r'^\s*([A-Za-z][A-Za-z0-9_]*)\s+(-->|-\.->|-\.-\|"([^"]*)"\|)\s+([A-Za-z][A-Za-z0-9_]*)\s*$')
PAIRS = {"([": "])", "[": "]", "(": ")", "{{": "}}"}


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """A small parser for the subset we write: nodes (id -> label) and edges."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("%%")]
    assert lines[0].strip() == "flowchart LR"
    nodes: dict[str, str] = {}
    edges = []
    for ln in lines[1:]:
        s = ln.strip()
        if s.startswith(("classDef ", "class ")):
            continue
        if mn := NODE_RE.match(ln):
            assert PAIRS[mn.group(2)] == mn.group(4), ln
            assert mn.group(1) not in nodes, f"node declared twice: {ln}"
            assert '"' not in mn.group(3)
            nodes[mn.group(1)] = mn.group(3)
            continue
        me = EDGE_RE.match(ln)
        assert me, f"not a node or edge: {ln!r}"
        kind = "-.-" if me.group(2).startswith("-.-|") else me.group(2)
        edges.append((me.group(1), kind, me.group(3) or "", me.group(4)))
    for a, _kind, _label, b in edges:
        assert a in nodes and b in nodes
    return nodes, edges


def test_mermaid_parses_and_matches_the_model(demo):
    project, _info = demo
    m = _map(project, cooccurrence=True, min_count=1)
    nodes, edges = parse_mermaid(render_mermaid(m))
    comment = next(ln for ln in render_mermaid(m).splitlines() if ln.startswith("%% ids: "))
    ids = dict(pair.split("=", 1) for pair in comment[len("%% ids: "):].split(", "))
    to_wb = dict(ids)
    assert len(nodes) == len(list(m.nodes())) + len(m.linked_survey)
    for mid, label in nodes.items():
        wb = to_wb[mid]
        if wb.startswith("survey:"):
            assert label.startswith(wb.split(":", 1)[1])
            continue
        n = m.node(wb)
        name = "Codes nog zonder thema" if n.kind == "unthemed" else n.name  # drawn in Dutch
        assert label.startswith(name.replace('"', "#quot;"))
        assert re.search(rf"\({n.interviews}( interviews?)?\)$", label), label
    tree = {(to_wb[a], to_wb[b]) for a, k, _l, b in edges if k == "-->"}
    want_tree = {(node.id, child.id) for g in m.groups for node in g.walk() for child in node.children}
    assert tree == want_tree
    survey = {(to_wb[b], to_wb[a].split(":", 1)[1]) for a, k, _lab, b in edges if k == "-.->"}
    assert survey == set(m.survey_links)
    co = {(frozenset((to_wb[a], to_wb[b])), int(lab)) for a, k, lab, b in edges if k == "-.-"}
    assert co == {(frozenset((link.a, link.b)), link.interviews) for link in m.cooccurrence}


def test_mermaid_escapes_awkward_names(project, add_transcript):
    db = project.db
    add_transcript("T1")
    t = codebook.add(db, "anna", 'Thema "met" <haken> & #hash', kind="theme")["id"]
    codebook.add(db, "anna", "Code [vierkant] (rond) {krul}", parent=t)
    nodes, edges = parse_mermaid(render_mermaid(build_map(db)))
    labels = list(nodes.values())
    assert any(lab.startswith("Thema #quot;met#quot; #lt;haken#gt; & #35;hash") for lab in labels)
    assert len(edges) == 1


# -- the sample project --------------------------------------------------------------------------

def test_sample_project_map_is_complete_and_readable(sample_project):
    """On the repository's sample project: the map agrees with the database, every survey link
    is drawn, and the labels matplotlib draws fit their boxes without overlapping."""
    project = sample_project
    if not project.db.execute("select 1 from codes limit 1").fetchone():
        pytest.skip("the sample project has no codebook yet")
    m = _map(project, cooccurrence=True, min_count=1)
    check_map_against_db(project, m)
    assert len(m.themes) >= 5 and len(m.codes) >= 20
    lay = layout_map(m)
    for i, a in enumerate(lay.boxes):
        for b in lay.boxes[i + 1:]:
            assert not a.overlaps(b), (a.id, b.id)
    boxes = {b.id: b for b in lay.boxes}
    texts = _rendered_texts(lay)
    for gid, text, x0, y0, x1, y1 in texts:
        kind, _, box_id = gid.partition(":")
        if kind in ("text", "count", "badge"):
            b = boxes[box_id]
            assert b.x - 1e-6 <= x0 and x1 <= b.right + 1e-6 and b.y - 1e-6 <= y0 and y1 <= b.bottom + 1e-6, text
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not (a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]), (a[:2], b[:2])
    nodes, _edges = parse_mermaid(render_mermaid(m))
    assert len(nodes) == len(list(m.nodes())) + len(m.linked_survey)
