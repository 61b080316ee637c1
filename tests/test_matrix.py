"""Code matrices equal direct SQL counts, in every direction and output format, and the
extracts behind a cell are exactly the ones it counts."""

from __future__ import annotations

import csv
import io

import defusedxml.ElementTree as DET
import pytest
from test_visual_data import build_demo

from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.visual.matrix import (
    NONE_LABEL,
    build_matrix,
    cell_extracts,
    to_csv,
    to_markdown,
    to_svg,
)

COLUMN = {"respondent": "label", "domain": "domain", "municipality": "municipality"}
TREE = ("with recursive tree(id) as (select ? union all select c.id from codes c join tree "
        "on c.parent_id = tree.id) select id from tree")


@pytest.fixture
def demo(project, add_transcript):
    return project, build_demo(project, add_transcript)


def sql_count(db, row_id: str, rows: str, by: str, col: str, count: str) -> int:
    """The cell counted straight from the tables (no shared code with the module)."""
    what = "count(distinct x.transcript_id)" if count == "interviews" else "count(*)"
    codes = f"x.code_id in ({TREE})" if rows == "themes" else "x.code_id = ?"
    value = f"trim(coalesce(t.[{COLUMN[by]}], ''))"
    cond = f"{value} = ''" if col == NONE_LABEL else f"{value} = ?"
    args = [row_id] + ([] if col == NONE_LABEL else [col])
    return db.execute(
        f"select {what} from codings x join transcripts t on t.id = x.transcript_id "
        f"where {codes} and {cond}", args).fetchone()[0]


def sql_cooccurrence(db, a_id: str, b_id: str, rows: str, count: str) -> int:
    member = f"in ({TREE})" if rows == "themes" else "= ?"
    what = "count(distinct a.transcript_id)" if count == "interviews" else "count(distinct a.id)"
    return db.execute(
        f"select {what} from codings a join codings b on a.transcript_id = b.transcript_id and "
        "a.coder = b.coder and a.code_id != b.code_id and a.start < b.end and b.start < a.end "
        f"where a.code_id {member} and b.code_id {member}", [a_id, b_id]).fetchone()[0]


@pytest.mark.parametrize("by", ["respondent", "domain", "municipality"])
@pytest.mark.parametrize("rows", ["codes", "themes"])
@pytest.mark.parametrize("count", ["interviews", "extracts"])
def test_matrix_equals_sql(demo, by, rows, count):
    project, _info = demo
    db = project.db
    m = build_matrix(db, by=by, rows=rows, count=count)
    kind = "code" if rows == "codes" else "theme"
    assert sorted(r.id for r in m.rows) == sorted(r[0] for r in db.execute("select id from codes where kind = ?", [kind]))
    values = {(r[0] or "").strip() or NONE_LABEL for r in db.execute(f"select [{COLUMN[by]}] from transcripts")}
    assert {c.id for c in m.columns} == values
    listed = {r["id"]: r for r in codebook.list_codebook(db)}
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.columns):
            assert m.cells[i][j] == sql_count(db, r.id, rows, by, c.id, count), (r.label, c.label)
        assert m.totals[i] == listed[r.id]["transcripts" if count == "interviews" else "codings"]
    # the outputs carry the same numbers
    parsed = list(csv.reader(io.StringIO(to_csv(m))))
    assert parsed[0][2:] == [c.label for c in m.columns] + ["total"]
    for i, line in enumerate(parsed[1:]):
        assert line[0] == m.rows[i].label
        assert [int(v) for v in line[2:]] == m.cells[i] + [m.totals[i]]
    md = [ln for ln in to_markdown(m).splitlines() if ln.startswith("| ") and "---" not in ln]
    for i, line in enumerate(md[1:]):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert [int(v) for v in cells[2:]] == m.cells[i] + [m.totals[i]]


@pytest.mark.parametrize("rows", ["codes", "themes"])
@pytest.mark.parametrize("count", ["interviews", "extracts"])
def test_cooccurrence_matrix_equals_sql(demo, rows, count):
    project, _info = demo
    db = project.db
    m = build_matrix(db, by="code", rows=rows, count=count)
    assert [c.id for c in m.columns] == [r.id for r in m.rows]
    listed = {r["id"]: r for r in codebook.list_codebook(db)}
    nonzero = 0
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.columns):
            if i == j:
                assert m.cells[i][j] == listed[r.id]["transcripts" if count == "interviews" else "codings"]
            else:
                assert m.cells[i][j] == sql_cooccurrence(db, r.id, c.id, rows, count), (r.label, c.label)
                nonzero += m.cells[i][j] > 0
    assert nonzero > 0
    if count == "interviews":
        assert all(m.cells[i][j] == m.cells[j][i] for i in range(len(m.rows)) for j in range(len(m.rows)))


def test_coder_filter(demo):
    project, _info = demo
    db = project.db
    both = build_matrix(db, by="respondent", count="extracts")
    anna = build_matrix(db, by="respondent", count="extracts", coders=["anna"])
    bob = build_matrix(db, by="respondent", count="extracts", coders=["bob"])
    total = sum(map(sum, both.cells))
    assert total == db.execute("select count(*) from codings").fetchone()[0]
    assert sum(map(sum, anna.cells)) + sum(map(sum, bob.cells)) == total
    assert "coders anna" in anna.title
    # a name without codings is a typo, not an empty matrix
    with pytest.raises(WorkbenchError) as err:
        build_matrix(db, by="respondent", coders=["anna", "nope"])
    assert "unknown coder 'nope'" in str(err.value) and "anna, bob" in str(err.value)


@pytest.mark.parametrize("by", ["respondent", "domain", "code"])
def test_cell_extracts_are_what_the_cell_counts(demo, by):
    project, _info = demo
    db = project.db
    m = build_matrix(db, by=by, rows="codes", count="extracts")
    mi = build_matrix(db, by=by, rows="codes", count="interviews")
    checked = 0
    for i in range(len(m.rows)):
        for j in range(len(m.columns)):
            rows = cell_extracts(db, m, i, j)
            assert len(rows) == m.cells[i][j]
            assert len({r["transcript_id"] for r in rows}) == mi.cells[i][j]
            for r in rows:
                assert r["code_id"] == m.rows[i].id
                text = db.execute("select text from transcripts where id = ?", [r["transcript_id"]]).fetchone()[0]
                assert r["text"] == text[r["start"]:r["end"]]
                if by == "code" and i != j:
                    assert m.columns[j].label in r["overlaps"]
            checked += bool(rows)
    assert checked > 3


def test_theme_cell_extracts_include_sub_theme_codes(demo):
    project, info = demo
    db = project.db
    m = build_matrix(db, by="domain", rows="themes", count="extracts")
    i = next(k for k, r in enumerate(m.rows) if r.id == info["themes"]["Werving en ronselen"])
    names = set()
    for j in range(len(m.columns)):
        rows = cell_extracts(db, m, i, j)
        assert len(rows) == m.cells[i][j]
        names |= {r["code"] for r in rows}
    assert names <= {"Snapchat en Telegram", "Influencers en status", "Schoolplein en hangplekken",
                     "Oudere jongeren als ronselaar"}
    assert len(names) >= 3


def test_empty_column_value_and_zero_rows(project, add_transcript):
    db = project.db
    add_transcript("T1", municipality="", domain="Onderwijs")
    add_transcript("T2", municipality="Utrecht", domain="Onderwijs")
    c = codebook.add(db, "anna", "Alleen")["id"]
    codebook.add(db, "anna", "Nooit")
    coding.apply_code(db, "anna", "T1", c, 0, 10)
    m = build_matrix(db, by="municipality")
    assert [col.id for col in m.columns] == ["Utrecht", NONE_LABEL]
    assert m.cells == [[0, 1], [0, 0]]
    assert [r["transcript_id"] for r in cell_extracts(db, m, 0, 1)] == ["T1"]


def test_bad_arguments_are_refused(project):
    with pytest.raises(WorkbenchError, match="--by"):
        build_matrix(project.db, by="gemeente")
    with pytest.raises(WorkbenchError, match="--count"):
        build_matrix(project.db, count="words")


def test_svg_is_well_formed_with_labels_and_counts(demo):
    project, _info = demo
    m = build_matrix(project.db, by="respondent")
    root = DET.fromstring(to_svg(m).encode("utf-8"))
    text = " ".join(" ".join(root.itertext()).split())
    assert "Jongerenwerker A" in text and "Dure spullen en geld" in text and "total" in text
    shaded = [el for el in root.iter() if el.tag.endswith("path") and "fill: #" in (el.get("style") or "")]
    assert len(shaded) >= len(m.rows) * len(m.columns)


def test_markdown_escapes_pipes(project, add_transcript):
    db = project.db
    add_transcript("T1")
    c = codebook.add(db, "anna", "Dit | dat")["id"]
    coding.apply_code(db, "anna", "T1", c, 0, 10)
    md = to_markdown(build_matrix(db))
    assert "Dit \\| dat" in md


def test_sample_project_matrices_equal_sql(sample_project):
    db = sample_project.db
    if not db.execute("select 1 from codings limit 1").fetchone():
        pytest.skip("the sample project has no codings yet")
    for by in ("respondent", "domain", "municipality"):
        m = build_matrix(db, by=by, rows="themes", count="interviews")
        for i, r in enumerate(m.rows):
            for j, c in enumerate(m.columns):
                assert m.cells[i][j] == sql_count(db, r.id, "themes", by, c.id, "interviews")
