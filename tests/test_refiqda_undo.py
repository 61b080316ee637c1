"""A .qdpx import is one undoable change, an archive's codebook never removes local codes, and a
project created by an import gets the importing coder as its default coder."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.bad_input_support import files_of, refused, run
from workbench.formats.codebook_file import read_yaml
from workbench.project import DB_NAME, Project
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import sync as codebook_sync
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.services.exchange.codebook import read_qdc, write_qdc
from workbench.services.exchange.project_export import export_qdpx
from workbench.services.exchange.project_import import import_qdpx
from workbench.store.changes import redo_last, undo_last

HISTORY = {"changes", "change_rows"}


def dump(root: Path) -> dict[str, list[tuple]]:
    """Every row of every table (not the history itself, SQLite's own tables or the full-text
    index's storage), and the full-text index's answer to a query over every sentence."""
    con = sqlite3.connect(root / DB_NAME)
    try:
        names = [r[0] for r in con.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like 'sentences_fts%' order by name")]
        out = {n: sorted(con.execute(f"select * from [{n}]").fetchall(), key=repr)
               for n in names if n not in HISTORY}
        con.execute("insert into sentences_fts(sentences_fts) values ('integrity-check')")
        out["fts"] = sorted(con.execute(
            "select rowid, text from sentences_fts where sentences_fts match 'jongeren OR werk'").fetchall())
        return out
    finally:
        con.close()


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], f"table {table} differs"


def _transcript(project: Project, tmp_path: Path, tid: str, role: str, turns: list[tuple[str, str]],
                date: str = "2023-01-01") -> None:
    from tests.conftest import transcript_text
    from workbench.services.transcripts.library import import_paths

    path = tmp_path / f"in-{project.root.name}" / f"{tid}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(transcript_text(tid, role, turns, date=date), encoding="utf-8")
    assert import_paths(project, [path])[0].status == "imported"


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    """Our project: eva's codings on our own codes, codebook exported (the sync base is set)."""
    _transcript(project, tmp_path, "INT01", "jongerenwerker", [
        ("I", "Kunt u iets vertellen over uw werk?"),
        ("R", "Ik werk al tien jaar met jongeren. Soms worden ze geronseld via Snapchat."),
        ("I", "Welke signalen ziet u?"),
        ("R", "Dure kleding en nieuwe telefoons. Ze spijbelen ook vaak."),
    ])
    db = project.db
    codebook.add(db, "eva", "Signalen", kind="theme")
    codebook.add(db, "eva", "Werving", parent="Signalen", definition="hoe jongeren worden benaderd")
    codebook.add(db, "eva", "Statussymbolen", parent="Signalen")
    codebook.add(db, "eva", "Schulden", definition="onze definitie")
    text = db["transcripts"].get("INT01")["text"]
    coding.apply_code(db, "eva", "INT01", "Werving", text.index("Soms"), text.index("Snapchat.") + 9)
    coding.apply_code(db, "eva", "INT01", "Statussymbolen", text.index("Dure"), text.index("telefoons") + 9)
    coding.apply_code(db, "eva", "INT01", "Schulden", text.index("Ze spijbelen"), len(text))
    memos.add(db, "eva", "transcript", "INT01", "eerste lezing")
    codebook_sync.write_yaml(db, project.codebook_file)  # `codebook export`
    return project


@pytest.fixture
def other_archive(tmp_path: Path) -> Path:
    """Another project's archive: other codes (one shares a name with ours, with another
    definition), a transcript of the same role (our labels change), codings by two coders."""
    other = Project.init(tmp_path / "other", default_coder="femke")
    try:
        _transcript(other, tmp_path, "INT09", "jongerenwerker", [
            ("I", "Hoe begon het?"),
            ("R", "Jongeren moeten drugs vervoeren voor schulden. Dat werk is gevaarlijk."),
        ], date="2023-05-01")
        db = other.db
        codebook.add(db, "femke", "Dwang", kind="theme")
        codebook.add(db, "femke", "Schulden", parent="Dwang", definition="hun definitie")
        codebook.add(db, "femke", "Drugs", parent="Dwang")
        text = db["transcripts"].get("INT09")["text"]
        coding.apply_code(db, "femke", "INT09", "Drugs", text.index("Jongeren"), text.index("schulden.") + 9,
                          memo="transport")
        coding.apply_code(db, "bram", "INT09", "Schulden", text.index("Jongeren"), text.index("schulden.") + 9)
        memos.add(db, "femke", "project", None, "veldwerk mei")
        return export_qdpx(other, tmp_path / "other.qdpx", coder="femke").path
    finally:
        other.close()


# -- 1. undo -------------------------------------------------------------------------------


def test_import_into_a_fresh_project_is_undone_completely(project: Project, other_archive: Path) -> None:
    before = dump(project.root)
    result = import_qdpx(other_archive, project=project, coder="anna")
    assert result.transcripts == ["INT09"] and result.report.counts["codings"] == 2
    after = dump(project.root)
    assert after["codings"] and after["sentences"] and after["coders"]
    assert undo_last(project.db, "anna") is not None
    assert_same(dump(project.root), before)
    assert all(not rows for t, rows in dump(project.root).items() if t not in ("meta", "_sqlite_migrations"))
    assert redo_last(project.db, "anna") is not None
    assert_same(dump(project.root), after)


def test_import_into_an_existing_project_is_undone_exactly(study: Project, other_archive: Path) -> None:
    before = dump(study.root)
    result = import_qdpx(other_archive, project=study, coder="eva", strategy="theirs")
    assert result.transcripts == ["INT09"]
    # the new jongerenwerker relabelled ours: that is part of the change too
    assert study.db["transcripts"].get("INT01")["label"] == "Jongerenwerker A"
    assert any("INT01: Jongerenwerker → Jongerenwerker A" in n for n in result.report.notes)
    history = [c for c in study.db["changes"].rows_where("undone = 0", order_by="id desc")]
    assert history[0]["action"] == "qdpx.import"  # one change, the last one
    assert undo_last(study.db, "eva")["action"] == "qdpx.import"
    assert_same(dump(study.root), before)


def test_cli_undo_right_after_the_import(study: Project, other_archive: Path) -> None:
    before = dump(study.root)
    res = run(study, "--coder", "eva", "qdpx", "import", str(other_archive), "--theirs")
    assert res.exit_code == 0, res.output
    assert "'workbench undo' takes the whole import back" in res.output
    res = run(study, "--coder", "eva", "undo")
    assert res.exit_code == 0, res.output
    assert "undone: import project archive other.qdpx" in res.output
    assert_same(dump(study.root), before)


def test_refused_import_changes_nothing_and_leaves_no_backup(study: Project, other_archive: Path) -> None:
    refused(study, "qdpx", "import", str(other_archive), code=3,
            message=["'Schulden'", "--theirs"])


# -- 2. an archive's codebook is another project's -----------------------------------------


def _codes_and_codings(db) -> tuple[dict, list]:
    codes = {r["id"]: r["name"] for r in db.query("select id, name from codes")}
    codings = sorted((r["id"], r["code_id"], r["coder"], r["start"], r["end"])
                     for r in db.query("select * from codings"))
    return codes, codings


def test_theirs_never_removes_local_codes_or_codings(study: Project, other_archive: Path) -> None:
    codes, codings = _codes_and_codings(study.db)
    res = run(study, "--coder", "eva", "qdpx", "import", str(other_archive), "--theirs")
    assert res.exit_code == 0, res.output
    after_codes, after_codings = _codes_and_codings(study.db)
    assert codes.items() <= after_codes.items()  # every local code, with its id and name
    assert set(codings) <= set(after_codings)  # every local coding, untouched
    assert len(after_codings) == len(codings) + 2
    # the shared name is one code (ours, by id), now with the archive's definition and place
    schulden = codebook.resolve(study.db, "Schulden")
    assert schulden["id"] in codes and schulden["definition"] == "hun definitie"
    assert {r["coder"] for r in study.db.query(
        "select coder from codings where code_id = ?", [schulden["id"]])} == {"eva", "bram"}
    out = res.output
    assert "removed" not in out
    assert "not in the file are kept" in out
    assert "resolved the archive's way (--theirs)" in out and "'Schulden'" in out
    # the shared codebook's merge base is ours still: the YAML we exported removes nothing
    plan = codebook_sync.plan_sync(study.db, read_yaml(study.codebook_file))
    assert plan.removals == []


def test_ours_lists_the_archive_side_as_not_carried_over(study: Project, other_archive: Path) -> None:
    res = run(study, "--coder", "eva", "qdpx", "import", str(other_archive), "--ours")
    assert res.exit_code == 0, res.output
    assert codebook.resolve(study.db, "Schulden")["definition"] == "onze definitie"
    assert "everything in the archive was carried over" not in res.output
    assert "kept this project's, --ours" in res.output


def test_reimporting_the_archive_changes_nothing(study: Project, other_archive: Path) -> None:
    import_qdpx(other_archive, project=study, coder="eva", strategy="theirs")
    before = dump(study.root)
    result = import_qdpx(other_archive, project=study, coder="eva")
    assert result.transcripts == [] and result.report.counts.get("codings already there") == 2
    assert not result.recorded  # no empty change: 'workbench undo' would take back the one before
    after = dump(study.root)
    assert_same(after, before)


def test_foreign_qdc_never_removes_but_our_own_does(study: Project, tmp_path: Path) -> None:
    other = Project.init(tmp_path / "o2", default_coder="femke")
    try:
        codebook.add(other.db, "femke", "Drugs")
        write_qdc(other.db, tmp_path / "foreign.qdc")
    finally:
        other.close()
    entries = read_qdc(tmp_path / "foreign.qdc", study.db, remember=False)
    assert entries.foreign
    plan = codebook_sync.plan_sync(study.db, entries, "theirs")
    assert plan.removals == [] and [e.name for e in plan.adds] == ["Drugs"]
    # our own codebook, exported here, with a code deleted: that removal is meant
    write_qdc(study.db, tmp_path / "ours.qdc")
    tree = ET.parse(tmp_path / "ours.qdc")
    parent = next(p for p in tree.iter() for c in p if c.get("name") == "Statussymbolen")
    parent.remove(next(c for c in parent if c.get("name") == "Statussymbolen"))
    tree.write(tmp_path / "ours.qdc", encoding="utf-8", xml_declaration=True)
    mine = read_qdc(tmp_path / "ours.qdc", study.db, remember=False)
    assert not mine.foreign
    plan = codebook_sync.plan_sync(study.db, mine, "theirs")
    assert [r["name"] for r in plan.removals] == ["Statussymbolen"]


# -- 3. a new project gets a default coder --------------------------------------------------


def test_new_project_gets_the_importing_coder_as_default(other_archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "new"
    res = run(None, "--coder", "eva", "qdpx", "import", str(other_archive), "--project", str(target))
    assert res.exit_code == 0, res.output
    assert "default coder of the new project: eva" in res.output
    p = Project.open(target)
    try:
        assert p.get_setting("default_coder") == "eva"
        assert p.coder() == "eva"
    finally:
        p.close()
    assert not any(name.startswith("exports/backups") for name in files_of(target))


def test_new_project_default_coder_from_the_environment(other_archive: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CODER", "femke")
    result = import_qdpx(other_archive, target=tmp_path / "new2")
    assert result.default_coder == "femke"
    monkeypatch.delenv("WORKBENCH_CODER")
    p = Project.open(tmp_path / "new2")
    try:
        assert p.coder() == "femke"
    finally:
        p.close()
