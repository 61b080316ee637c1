"""REFI-QDA codebooks (.qdc): schema-valid export, stable GUIDs, round trips through
codebook_sync, and reading other programs' codebooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from workbench.formats.refiqda.model import (
    format_description,
    norm_colour,
    norm_guid,
    parse_description,
)
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.codebook.sync import apply_sync, plan_sync
from workbench.services.exchange.codebook import read_qdc, read_qdc_entries, write_qdc

SHARED = Path(__file__).resolve().parents[2] / "shared" / "refi-qda"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/refi-qda")
CODEBOOK_XSD = SHARED / "Codebook.xsd"
ANNEX = SHARED / "samples" / "refi-spec-annexA1-codebook.qdc"

pytestmark = pytest.mark.skipif(not CODEBOOK_XSD.is_file(), reason="REFI-QDA schemas not available")


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(CODEBOOK_XSD))


def build_codebook(db) -> None:
    codebook.add(db, "anna", "Signalen", kind="theme", definition="Wat professionals opmerken")
    codebook.add(db, "anna", "Online werving", kind="theme", parent="Signalen")
    codebook.add(db, "anna", "Snapchat", parent="Online werving", definition="Werving via Snapchat",
                 inclusion="ook Instagram", exclusion="geen WhatsApp", example="“via snap”", memo="nog bespreken")
    codebook.add(db, "anna", "Dure kleding", parent="Signalen", colour="red")
    codebook.add(db, "anna", "Schulden", definition="Regel één\nRegel twee")
    codebook.add(db, "anna", "Leeg thema", kind="theme")


def shape(db) -> list[tuple]:
    """The codebook by names: (kind, name, parent name, fields) sorted."""
    rows = list(db.query("select c.*, p.name as parent from codes c left join codes p on p.id = c.parent_id"))
    return sorted(
        (r["kind"], r["name"], r["parent"], r["definition"], r["inclusion"], r["exclusion"], r["example"],
         r["memo"], norm_colour(r["colour"]) if r["kind"] == "code" else "")
        for r in rows
    )


def test_exported_codebook_is_valid_and_nested(project: Project, tmp_path: Path, codebook_schema) -> None:
    build_codebook(project.db)
    path = write_qdc(project.db, tmp_path / "cb.qdc")
    codebook_schema.validate(str(path))
    doc = codebook_schema.to_dict(str(path))
    top = {c["@name"]: c for c in doc["Codes"]["Code"]}
    assert top["Signalen"]["@isCodable"] is False
    online = next(c for c in top["Signalen"]["Code"] if c["@name"] == "Online werving")
    snap = online["Code"][0]
    assert snap["@name"] == "Snapchat" and snap["@isCodable"] is True
    assert snap["@color"].startswith("#") and len(snap["@color"]) == 7
    assert "Inclusion: ook Instagram" in snap["Description"]
    kleding = next(c for c in top["Signalen"]["Code"] if c["@name"] == "Dure kleding")
    assert kleding["@color"] == "#ff0000"  # a colour name becomes #RRGGBB


def test_guids_are_stable_across_exports(project: Project, tmp_path: Path) -> None:
    build_codebook(project.db)
    a = write_qdc(project.db, tmp_path / "a.qdc").read_text(encoding="utf-8")
    b = write_qdc(project.db, tmp_path / "b.qdc").read_text(encoding="utf-8")
    assert a == b


def test_empty_codebook_is_refused(project: Project, tmp_path: Path) -> None:
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="empty"):
        write_qdc(project.db, tmp_path / "x.qdc")
    assert not (tmp_path / "x.qdc").exists()


def test_round_trip_into_a_new_project(project: Project, tmp_path: Path) -> None:
    build_codebook(project.db)
    path = write_qdc(project.db, tmp_path / "cb.qdc")
    other = Project.init(tmp_path / "other", default_coder="bert")
    try:
        entries = read_qdc(path)
        apply_sync(other.db, "bert", entries, "fail", source=path.name)
        assert shape(other.db) == shape(project.db)
        # our own GUIDs carry our ids, even without the project at hand
        assert {r["id"] for r in other.db.query("select id from codes")} == {
            r["id"] for r in project.db.query("select id from codes")
        }
    finally:
        other.close()


def test_round_trip_into_the_same_project_changes_nothing(project: Project, tmp_path: Path) -> None:
    build_codebook(project.db)
    path = write_qdc(project.db, tmp_path / "cb.qdc")
    plan = plan_sync(project.db, read_qdc(path))
    assert not plan.conflicts
    assert not plan.has_changes, plan.describe()


def test_change_in_the_file_is_taken(project: Project, tmp_path: Path) -> None:
    build_codebook(project.db)
    path = write_qdc(project.db, tmp_path / "cb.qdc")  # also the merge base, as for YAML
    text = path.read_text(encoding="utf-8").replace("Werving via Snapchat", "Werving via Snapchat en TikTok")
    path.write_text(text, encoding="utf-8")
    report = apply_sync(project.db, "anna", read_qdc(path), "fail")
    assert report.updated == 1
    assert codebook.resolve(project.db, "Snapchat")["definition"] == "Werving via Snapchat en TikTok"


def test_annex_codebook_reads(project: Project) -> None:
    entries = read_qdc(ANNEX, project.db)
    by_name = {e.name: e for e in entries}
    assert by_name["Topics"].kind == "theme"  # not codable, no children
    assert by_name["Economy"].kind == "code"
    assert by_name["Economy"].colour == "#ffff00"
    assert by_name["Economy"].definition == "Anything about jobs or taxes or business"
    apply_sync(project.db, "anna", entries, "fail")
    # the GUIDs (some in braces, one without) are remembered, so an export keeps them
    out = write_qdc(project.db, Path(project.root) / "exports" / "again.qdc").read_text(encoding="utf-8")
    assert "d7aa29da-519b-4946-9b90-253b6db8fd0a" in out
    assert "9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" in out


def test_foreign_tree_is_mapped_onto_themes_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "deep.qdc"
    g = iter(f"{i:08x}-aaaa-4bbb-8ccc-dddddddddddd" for i in range(100))
    path.write_text(
        f"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
        <Code guid="{next(g)}" name="A" isCodable="true">
          <Code guid="{next(g)}" name="B" isCodable="true">
            <Code guid="{next(g)}" name="C" isCodable="true">
              <Code guid="{next(g)}" name="D" isCodable="true"/>
            </Code>
            <Code guid="{next(g)}" name="dup" isCodable="true" color="#0F0"/>
          </Code>
          <Code guid="{next(g)}" name="dup" isCodable="true"/>
        </Code></Codes>
        <Sets><Set guid="{next(g)}" name="My set"/></Sets></CodeBook>""",
        encoding="utf-8",
    )
    entries, report = read_qdc_entries(path)
    kinds = {e["name"]: (e["kind"], e["parent_id"]) for e in entries}
    ids = {e["name"]: e["id"] for e in entries}
    assert kinds["A"] == ("theme", None)
    assert kinds["B"] == ("theme", ids["A"])
    assert kinds["C"] == ("code", ids["B"])  # flattened: no third theme level
    assert kinds["C / D"] == ("code", ids["B"])
    assert kinds["dup"][0] == "code" and "dup (A)" in kinds
    assert next(e for e in entries if e["name"] == "dup")["colour"] == "#00ff00"
    assert any("set" in line for line in report.not_carried)
    assert any("nested deeper" in n for n in report.notes)


def test_description_round_trip() -> None:
    fields = {"definition": "Een\ndefinitie", "inclusion": "in", "exclusion": "uit", "example": "vb",
              "memo": "m", "survey_themes": ["4.3", "4.10"]}
    back = parse_description(format_description(fields))
    assert back == fields
    assert parse_description("Just a description")["definition"] == "Just a description"


def test_guid_and_colour_normalising() -> None:
    assert norm_guid("{D7AA29DA-519B-4946-9B90-253B6DB8FD0A}") == "d7aa29da-519b-4946-9b90-253b6db8fd0a"
    assert norm_colour("#F00082") == "#f00082"
    assert norm_colour("#ff0") == "#ffff00"
    assert norm_colour("not a colour!") == ""
