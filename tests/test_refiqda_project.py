"""REFI-QDA projects (.qdpx): schema-valid export, exact round trips, offsets, the real samples
from other programs, and the CLI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import ConflictError
from workbench.formats.refiqda.textmap import export_text, segment
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.services.exchange.project_export import export_qdpx
from workbench.services.exchange.project_import import import_qdpx

SHARED = Path("/work/shared/refi-qda")
PROJECT_XSD = SHARED / "Project-mrt2019.xsd"
SAMPLES = SHARED / "samples"

pytestmark = pytest.mark.skipif(not PROJECT_XSD.is_file(), reason="REFI-QDA schemas not available")


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(PROJECT_XSD))


def validate(path: Path, schema: xmlschema.XMLSchema) -> None:
    with zipfile.ZipFile(path) as zf:
        schema.validate(zf.read("project.qde").decode("utf-8"))


@pytest.fixture
def coded_project(project: Project, add_transcript) -> Project:
    """Two transcripts, a nested codebook, codings by two coders, memos of every kind."""
    add_transcript("INT01", turns=[
        ("I", "Kunt u iets vertellen over uw werk?"),
        ("R", "Ik werk al tien jaar met jongeren. Soms worden ze geronseld via Snapchat 😀.\nDat zien we steeds vaker."),
        ("I", "Welke signalen ziet u?"),
        ("R", "Dure kleding en nieuwe telefoons. Ze spijbelen ook vaak."),
    ])
    add_transcript("INT02", role="wijkagent", date="2023-03-02", municipality="Tilburg",
                   domain="Openbare Orde en Veiligheid",
                   turns=[("I", "Hoe ziet u uitbuiting?"), ("R", "Jongeren moeten drugs vervoeren voor schulden.")])
    db = project.db
    codebook.add(db, "anna", "Signalen", kind="theme", definition="Wat opvalt")
    codebook.add(db, "anna", "Online", kind="theme", parent="Signalen")
    codebook.add(db, "anna", "Social media", parent="Online", definition="Werving online", inclusion="ook games",
                 memo="bespreken met Bert")
    codebook.add(db, "anna", "Statussymbolen", parent="Signalen")
    codebook.add(db, "anna", "Dwangmiddelen", kind="theme")
    codebook.add(db, "anna", "Schulden", parent="Dwangmiddelen")
    t1 = db["transcripts"].get("INT01")["text"]
    s = t1.index("geronseld")
    e = t1.index("😀") + 1
    coding.apply_code(db, "anna", "INT01", "Social media", s, e, memo="mooi citaat")
    coding.apply_code(db, "bert", "INT01", "Social media", s, e)
    coding.apply_code(db, "bert", "INT01", "Statussymbolen", t1.index("Dure"), len(t1))
    coding.apply_code(db, "anna", "INT01", "Statussymbolen", t1.index("Ik werk"), t1.index("Dure") + 4)
    t2 = db["transcripts"].get("INT02")["text"]
    coding.apply_code(db, "anna", "INT02", "Schulden", 0, len(t2))
    memos.add(db, "anna", "project", None, "Eerste indrukken")
    memos.add(db, "bert", "transcript", "INT01", "Veel over sociale media")
    return project


def snapshot(db) -> dict:
    """Everything a round trip must keep, by names (ids may differ in a new project)."""
    code_names = {r["id"]: r["name"] for r in db.query("select id, name from codes")}
    return {
        "transcripts": sorted(
            (r["id"], r["text"], r["role"], r["label"], r["municipality"], r["domain"], r["date"])
            for r in db.query("select * from transcripts")
        ),
        "turns": sorted(
            (r["transcript_id"], r["idx"], r["speaker"], r["role"], r["start"], r["end"])
            for r in db.query("select * from turns")
        ),
        "codes": sorted(
            (r["kind"], r["name"], code_names.get(r["parent_id"]), r["definition"], r["inclusion"], r["memo"], r["colour"])
            for r in db.query("select * from codes")
        ),
        "codings": sorted(
            (r["transcript_id"], code_names[r["code_id"]], r["coder"], r["start"], r["end"], r["memo"])
            for r in db.query("select * from codings")
        ),
        "memos": sorted((r["target_kind"], r["target_id"], r["coder"], r["text"]) for r in db.query("select * from memos")),
    }


def test_export_is_valid_against_the_schema(coded_project: Project, tmp_path: Path, project_schema) -> None:
    out = export_qdpx(coded_project, tmp_path / "p.qdpx", coder="anna")
    validate(out.path, project_schema)
    assert out.counts["sources"] == 2 and out.counts["codings"] == 5 and out.counts["users"] >= 2
    with zipfile.ZipFile(out.path) as zf:
        names = zf.namelist()
        doc = project_schema.to_dict(zf.read("project.qde").decode("utf-8"))
        texts = {n: zf.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    assert len(texts) == 2 and all(n.endswith(".txt") for n in texts)
    src = next(s for s in doc["Sources"]["TextSource"] if s["@name"] == "INT01")
    text = texts[f"sources/{src['@guid']}.txt"]
    assert text.startswith("Interviewer: Kunt u")
    sel = next(s for s in src["PlainTextSelection"] if s["@name"].startswith("geronseld"))
    # code points: the emoji is one position, as in Python
    assert text[sel["@startPosition"]:sel["@endPosition"]] == "geronseld via Snapchat 😀"
    assert {c["@creatingUser"] for c in sel["Coding"]} == {
        u["@guid"] for u in doc["Users"]["User"] if u["@name"] in ("anna", "bert")
    }
    case_names = {c["@name"] for c in doc["Cases"]["Case"]}
    assert case_names == {"Jongerenwerker", "Wijkagent"}
    assert {v["@name"] for v in doc["Variables"]["Variable"]} == {"role", "label", "municipality", "domain", "date"}


def test_export_never_overwrites_without_force(coded_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "p.qdpx"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(ConflictError, match="--force"):
        export_qdpx(coded_project, target)
    assert target.read_text(encoding="utf-8") == "keep me"
    export_qdpx(coded_project, target, force=True)
    assert zipfile.is_zipfile(target)


def test_round_trip_into_a_new_project(coded_project: Project, tmp_path: Path) -> None:
    out = export_qdpx(coded_project, tmp_path / "p.qdpx", coder="anna")
    result = import_qdpx(out.path, target=tmp_path / "copy", coder="carla")
    assert result.created and sorted(result.transcripts) == ["INT01", "INT02"]
    assert result.report.not_carried == []
    copy = Project.open(tmp_path / "copy")
    try:
        assert snapshot(copy.db) == snapshot(coded_project.db)
    finally:
        copy.close()


def test_round_trip_into_the_same_project_adds_nothing(coded_project: Project, tmp_path: Path) -> None:
    before = snapshot(coded_project.db)
    out = export_qdpx(coded_project, tmp_path / "p.qdpx", coder="anna")
    result = import_qdpx(out.path, project=coded_project, coder="anna")
    assert result.transcripts == []
    assert result.backup is not None and result.backup.is_file()
    assert snapshot(coded_project.db) == before
    assert result.report.counts.get("codings already there") == 5


def test_second_coder_from_another_tool_is_merged_in(coded_project: Project, tmp_path: Path) -> None:
    """The archive comes back with an extra coding by a new coder: only that is added."""
    out = export_qdpx(coded_project, tmp_path / "p.qdpx", coder="anna")
    with zipfile.ZipFile(out.path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    qde = files["project.qde"].decode("utf-8")
    qde = qde.replace("<Users>", '<Users>\n    <User guid="{ABCDEF01-2345-6789-ABCD-EF0123456789}" name="dana" />', 1)
    marker = "</PlainTextSelection>"
    i = qde.index(marker)
    extra = (
        '<Coding guid="{12345678-1234-1234-1234-1234567890AB}" creatingUser="ABCDEF01-2345-6789-ABCD-EF0123456789">'
        '<CodeRef targetGUID="{code}" /></Coding>'
    )
    code_guid = qde.split('name="Social media" isCodable="true"')[0].rsplit('guid="', 1)[1].split('"')[0]
    qde = qde[:i] + extra.replace("{code}", code_guid) + qde[i:]
    files["project.qde"] = qde.encode("utf-8")
    with zipfile.ZipFile(tmp_path / "back.qdpx", "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    before = len(list(coded_project.db.query("select id from codings")))
    import_qdpx(tmp_path / "back.qdpx", project=coded_project, coder="anna")
    rows = list(coded_project.db.query("select * from codings where coder = 'dana'"))
    assert len(rows) == 1 and len(list(coded_project.db.query("select id from codings"))) == before + 1
    assert coded_project.db["codes"].get(rows[0]["code_id"])["name"] == "Social media"


def test_codebook_conflict_fails_cleanly_and_theirs_resolves(coded_project: Project, tmp_path: Path) -> None:
    other = Project.init(tmp_path / "other", default_coder="bert")
    try:
        codebook.add(other.db, "bert", "Schulden", definition="een andere definitie")
        out = export_qdpx(other, tmp_path / "other.qdpx", coder="bert")
    finally:
        other.close()
    before = snapshot(coded_project.db)
    with pytest.raises(ConflictError):
        import_qdpx(out.path, project=coded_project, coder="anna")
    assert snapshot(coded_project.db) == before
    import_qdpx(out.path, project=coded_project, coder="anna", strategy="ours")
    assert codebook.resolve(coded_project.db, "Schulden")["definition"] == ""


def test_sample_project_round_trip(sample_project: Project, tmp_path: Path, project_schema) -> None:
    out = export_qdpx(sample_project, tmp_path / "sample.qdpx", coder="anna")
    validate(out.path, project_schema)
    result = import_qdpx(out.path, target=tmp_path / "copy", coder="anna")
    copy = Project.open(tmp_path / "copy")
    try:
        a, b = snapshot(sample_project.db), snapshot(copy.db)
        for key in ("transcripts", "turns", "codes", "codings", "memos"):
            assert b[key] == a[key], key
    finally:
        copy.close()
    assert result.report.not_carried == []


# -- offsets ---------------------------------------------------------------------------------


def test_export_text_maps_offsets_past_the_prefixes() -> None:
    text = "Vraag?\n\nAntwoord 😀 hier."
    turns = [{"start": 0, "end": 6, "speaker": "Interviewer", "time": None},
             {"start": 8, "end": len(text), "speaker": "Respondent", "time": "00:01:02"}]
    body, to_export = export_text(text, turns)
    assert body == "Interviewer: Vraag?\n\n[00:01:02] Respondent: Antwoord 😀 hier."
    for start, end in [(0, 6), (8, len(text)), (0, len(text)), (17, 18)]:
        seg = segment(body)
        assert seg.text == text
        s, e = to_export(start, False), to_export(end, True)
        assert body[s:e].endswith(text[end - 1]) and body[s] == text[start]
        assert seg.to_canonical(s, e) == (start, end)


def test_crlf_bom_and_blank_lines_map_exactly() -> None:
    source = "Inleiding van het verslag.\r\n\r\nTweede   alinea met  spaties.\r\nNog een regel.   \r\n"
    seg = segment(source)
    assert seg.text == "Inleiding van het verslag.\n\nTweede   alinea met  spaties.\nNog een regel."
    assert [t["role"] for t in seg.turns] == ["respondent", "respondent"]
    start = source.index("alinea")
    end = source.index("regel") + len("regel")
    s, e = seg.to_canonical(start, end)
    assert seg.text[s:e] == "alinea met  spaties.\nNog een regel"


def test_selection_covering_only_a_prefix_is_reported(tmp_path: Path) -> None:
    text = "Jan Jansen: Hallo.\n\nPiet: Dag."
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Other 1.0">
    <CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Groet" isCodable="true"/></Codes></CodeBook>
    <Sources><TextSource guid="bbbbbbbb-0000-0000-0000-000000000001" name="Gesprek.txt">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="cccccccc-0000-0000-0000-000000000001" name="Jan" startPosition="0" endPosition="10">
        <Coding guid="dddddddd-0000-0000-0000-000000000001"><CodeRef targetGUID="AAAAAAAA-0000-0000-0000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="cccccccc-0000-0000-0000-000000000002" name="Hallo" startPosition="12" endPosition="18">
        <Coding guid="dddddddd-0000-0000-0000-000000000002"><CodeRef targetGUID="{{aaaaaaaa-0000-0000-0000-000000000001}}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="cccccccc-0000-0000-0000-000000000003" name="x" startPosition="5" endPosition="900"/>
    </TextSource></Sources></Project>"""
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
    result = import_qdpx(path, target=tmp_path / "p", coder="anna")
    p = Project.open(tmp_path / "p")
    try:
        t = p.db["transcripts"].get("Gesprek")
        assert t["text"] == "Hallo.\n\nDag."  # speaker names are not kept
        rows = list(p.db.query("select * from codings"))
        assert [t["text"][r["start"]:r["end"]] for r in rows] == ["Hallo."]
        assert rows[0]["coder"] == "anna"  # no creatingUser: the importing coder
    finally:
        p.close()
    lost = "\n".join(result.report.not_carried)
    assert "covers only a speaker prefix" in lost
    assert "outside its text" in lost


# -- the real samples from other programs ----------------------------------------------------


@pytest.mark.parametrize(
    "name, transcripts, lost_needles",
    [
        ("atlasti23-blank-project.qdpx", 0, []),
        ("atlasti23-target-project.qdpx", 0, []),
        ("atlasti84-standard-project.qdpx", 0, ["picture source", "not in the archive", "set(s)", "graph(s)", "link(s)", "region selection"]),
        ("nvivo-mac15-project.qdpx", 0, ["has no text"]),
        ("qc-demo-project.qdpx", 2, []),
    ],
)
def test_real_samples_import(name: str, transcripts: int, lost_needles: list[str], tmp_path: Path) -> None:
    result = import_qdpx(SAMPLES / name, target=tmp_path / "p", coder="anna")
    assert len(result.transcripts) == transcripts
    lost = "\n".join(result.report.not_carried)
    for needle in lost_needles:
        assert needle in lost, (needle, lost)
    if lost_needles:
        assert result.report.not_carried
    p = Project.open(tmp_path / "p")
    try:
        n_codes = p.db.execute("select count(*) from codes").fetchone()[0]
        if name != "atlasti23-blank-project.qdpx":
            assert n_codes > 0
        if name == "qc-demo-project.qdpx":
            assert p.db.execute("select count(*) from codings").fetchone()[0] == 205
            assert {r[0] for r in p.db.execute("select distinct coder from codings")} == {"cp"}
            # every coding's text is the source text at the selection, minus a speaker prefix
            for row in p.db.query("select c.start, c.end, t.text from codings c join transcripts t on t.id = c.transcript_id"):
                assert row["text"][row["start"]:row["end"]].strip()
        if name == "atlasti84-standard-project.qdpx":
            assert p.db.execute("select count(*) from memos").fetchone()[0] == 2
    finally:
        p.close()


def test_qc_selection_offsets_match_the_source(tmp_path: Path) -> None:
    """qc writes plainTextPath without internal:// and counts code points: the coded text in
    the transcript equals the source text at the selection (less prefix and whitespace)."""
    import re

    from workbench.services.exchange.project_import import read_archive

    data = read_archive(SAMPLES / "qc-demo-project.qdpx")
    import_qdpx(SAMPLES / "qc-demo-project.qdpx", target=tmp_path / "p", coder="anna")
    p = Project.open(tmp_path / "p")
    try:
        texts = {r["id"]: r["text"] for r in p.db.query("select id, text from transcripts")}
        src = next(s for s in data.sources if s.name == "board_2017.txt")
        seg = segment(src.text)
        assert texts["board_2017"] == seg.text
        words = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
        for sel in src.selections[:40]:
            span = seg.to_canonical(sel.start, sel.end)
            assert words(seg.text[span[0]:span[1]]) in words(src.text[sel.start:sel.end])
    finally:
        p.close()


def test_exported_archive_of_an_import_is_valid(tmp_path: Path, project_schema) -> None:
    import_qdpx(SAMPLES / "qc-demo-project.qdpx", target=tmp_path / "p", coder="anna")
    p = Project.open(tmp_path / "p")
    try:
        out = export_qdpx(p, tmp_path / "again.qdpx")
        validate(out.path, project_schema)
        qde = zipfile.ZipFile(out.path).read("project.qde").decode("utf-8")
        # the codes keep qc's GUIDs
        assert "34653336-3766-3235-6466-363134396437" in qde
    finally:
        p.close()


# -- CLI -------------------------------------------------------------------------------------


def test_cli_export_and_import(coded_project: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    archive = tmp_path / "out.qdpx"
    res = runner.invoke(cli, ["--project", str(coded_project.root), "qdpx", "export", str(archive)])
    assert res.exit_code == 0, res.output
    assert "2 transcript(s)" in res.output and archive.is_file()
    res = runner.invoke(cli, ["--project", str(coded_project.root), "qdpx", "export", str(archive)])
    assert res.exit_code == 1 and "--force" in res.output
    res = runner.invoke(cli, ["--project", str(coded_project.root), "qdpx", "export", str(archive), "--force"])
    assert res.exit_code == 0
    res = runner.invoke(cli, ["--coder", "anna", "qdpx", "import", str(archive), "--project",
                              str(tmp_path / "new")])
    assert res.exit_code == 0, res.output
    assert "into new project" in res.output and "everything in the archive was carried over" in res.output
    assert "default coder of the new project: anna" in res.output


def test_cli_import_lists_what_is_not_carried_over(tmp_path: Path) -> None:
    archive = str(SAMPLES / "atlasti84-standard-project.qdpx")
    # No coder given, none in the environment, a new project: refused, nothing created, and
    # the machine's login name never becomes a coder.
    res = CliRunner().invoke(cli, ["qdpx", "import", archive, "--project", str(tmp_path / "new")])
    assert res.exit_code == 1 and "no coder is set" in res.output
    assert not (tmp_path / "new").exists()
    res = CliRunner().invoke(cli, ["qdpx", "import", archive, "--project", str(tmp_path / "new")],
                             env={"WORKBENCH_CODER": "eva"})
    assert res.exit_code == 0, res.output
    assert "not carried over" in res.output and "picture source" in res.output


def test_cli_import_refuses_unsafe_archive(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        zf.writestr("../../evil", "x")
    res = CliRunner().invoke(cli, ["qdpx", "import", str(bad), "--project", str(tmp_path / "new")])
    assert res.exit_code == 1
    assert "outside the target folder" in res.output
    assert not (tmp_path / "new").exists()


def test_cli_import_conflict_exit_code(coded_project: Project, tmp_path: Path) -> None:
    other = Project.init(tmp_path / "other", default_coder="bert")
    try:
        codebook.add(other.db, "bert", "Schulden", definition="anders")
        export_qdpx(other, tmp_path / "o.qdpx", coder="bert")
    finally:
        other.close()
    res = CliRunner().invoke(cli, ["--project", str(coded_project.root), "qdpx", "import", str(tmp_path / "o.qdpx")])
    assert res.exit_code == 3
    assert "--theirs" in res.output


def test_cli_import_outside_a_project_needs_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["qdpx", "import", str(SAMPLES / "atlasti23-blank-project.qdpx")])
    assert res.exit_code == 1 and "--project DIR" in res.output
