"""Merging a second coder's copy of the project back: matched safely, idempotent, undoable."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import ConflictError, WorkbenchError
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.services.exchange import merge as merge_service
from workbench.services.transcripts.library import get_sentences
from workbench.store.changes import undo_last

TURNS = [
    ("I", "Hoe begon het?"),
    ("R", "Het begon op school. Daarna ging het snel. Ze kregen geld. Ze moesten pakketjes rijden."),
    ("I", "Wat deed u?"),
    ("R", "Ik belde de wijkagent. We maakten een plan. Het hielp niet altijd. Soms is het te laat."),
]


def cli_ok(root, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def copy_project(project: Project, target) -> Project:
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(project.root, target)
    return Project.open(target)


def db_hash(root) -> str:
    """The database's content (a dump), not its bytes: a connection the CLI runner left open
    may checkpoint the write-ahead log into the file at any moment without changing a row."""
    import sqlite3

    con = sqlite3.connect(root / "workbench.db")
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def codings_of(db, coder: str) -> list[tuple]:
    return sorted(
        (r["transcript_id"], r["code_id"], r["start"], r["end"])
        for r in db.query("select * from codings where coder = ?", [coder])
    )


@pytest.fixture
def main_and_copy(project, add_transcript, tmp_path):
    db = project.db
    add_transcript("T1", turns=TURNS)
    add_transcript("T2")
    codebook.add(db, "anna", "Werven", kind="theme")
    codebook.add(db, "anna", "School", parent="Werven")
    codebook.add(db, "anna", "Geld")
    for n, name in ((1, "School"), (3, "Geld")):
        cli_ok(project.root, "code", "T1", name, "--sentence", str(n), "--coder", "anna")
    copy = copy_project(project, tmp_path / "bram-copy")
    # bram codes in his copy, through the CLI, adds a code, a memo and edits a definition
    cli_ok(copy.root, "code", "T1", "School", "--sentence", "1", "--coder", "bram")
    cli_ok(copy.root, "code", "T1", "Geld", "--sentence", "4", "--coder", "bram")
    cli_ok(copy.root, "codebook", "add", "Online", "--theme", "Werven", "--coder", "bram")
    cli_ok(copy.root, "code", "T1", "Online", "--sentence", "2", "--coder", "bram")
    memos.add(copy.db, "bram", "transcript", "T1", "Eerste lezing: veel over school.")
    copy.close()
    return project, copy


def test_merge_brings_in_the_copy_and_is_idempotent_and_undoable(main_and_copy, monkeypatch):
    project, copy = main_and_copy
    db = project.db
    other_before = db_hash(copy.root)
    anna_before = codings_of(db, "anna")
    result = merge_service.merge(project, "anna", copy.root)
    assert result["merged"] is True
    assert result["new_codings"] == {"bram": 3}
    assert [c["name"] for c in result["new_codes"]] == ["Online"]
    assert result["new_memos"] == 1
    assert result["backup"] and (project.root / "exports" / "backups").is_dir()
    assert len(codings_of(db, "bram")) == 3
    assert codings_of(db, "anna") == anna_before
    online = codebook.resolve(db, "Online")
    assert online["parent_id"] == codebook.resolve(db, "Werven")["id"]
    assert db.execute("select count(*) from memos where coder = 'bram'").fetchone()[0] == 1
    assert db.execute("select 1 from coders where name = 'bram'").fetchone()
    assert db_hash(copy.root) == other_before  # OTHER is only read

    again = merge_service.merge(project, "anna", copy.root)
    assert again["merged"] is False and again["new_codings"] == {}
    assert len(codings_of(db, "bram")) == 3

    change = undo_last(db, "anna")
    assert change["action"] == "merge"
    assert codings_of(db, "bram") == []
    assert db.execute("select count(*) from codes where name = 'Online'").fetchone()[0] == 0
    assert db.execute("select count(*) from memos").fetchone()[0] == 0
    # and after the undo, the agreement between anna and bram is gone with the codings
    with pytest.raises(WorkbenchError):
        from workbench.agreement import figures

        figures.compute(db)


def test_merge_cli_then_agreement(main_and_copy):
    project, copy = main_and_copy
    out = cli_ok(project.root, "merge", str(copy.root), "--dry-run")
    assert "would merge" in out and "3 by bram" in out
    assert codings_of(project.db, "bram") == []  # a dry run writes nothing
    cli_ok(project.root, "merge", str(copy.root / "workbench.db"))
    data = json.loads(cli_ok(project.root, "agreement", "--json"))
    assert data["coders"] == ["bram", "anna"]  # most codings first
    assert data["transcripts"] == ["T1"]
    assert data["excluded_transcripts"][0]["reason"] == "not coded by bram, anna"
    out = cli_ok(project.root, "merge", str(copy.root))
    assert "nothing new to merge" in out


def test_unmatched_items_block_the_merge_until_mapped(main_and_copy, tmp_path, add_transcript):
    project, copy = main_and_copy
    db = project.db
    copy = Project.open(copy.root)
    # a transcript only the copy has, and a code renamed in the copy
    from workbench.services.transcripts.library import import_paths

    extra = tmp_path / "extra" / "T9.txt"
    extra.parent.mkdir()
    extra.write_text("---\nid: T9\nrol: wijkcoach\n---\nI: Vraag over werk?\nR: Een antwoord over jongeren.\n", encoding="utf-8")
    assert import_paths(copy, [extra])[0].status == "imported"
    s = get_sentences(copy.db, "T9")[1]
    coding.apply_code(copy.db, "bram", "T9", "Geld", s["start"], s["end"])
    codebook.rename(copy.db, "bram", "Geld", "Geldzaken")
    copy.close()

    n_before = db.execute("select count(*) from codings").fetchone()[0]
    with pytest.raises(ConflictError) as err:
        merge_service.merge(project, "anna", copy.root)
    message = str(err.value)
    assert "T9" in message and "not in this project" in message
    assert "'Geldzaken' in OTHER but code 'Geld' here" in message
    assert db.execute("select count(*) from codings").fetchone()[0] == n_before
    plan = merge_service.merge(project, "anna", copy.root, dry_run=True)
    assert {u["id"] for u in plan["unmatched"]} == {"T9", codebook.resolve(db, "Geld")["id"]}

    result = CliRunner().invoke(cli, ["-p", str(project.root), "merge", str(copy.root)])
    assert result.exit_code != 0 and "nothing was merged" in result.output

    geld = codebook.resolve(db, "Geld")["id"]
    maps = merge_service.parse_maps(["T9=-", f"{geld}={geld}"])
    done = merge_service.merge(project, "anna", copy.root, maps)
    assert done["merged"] and done["new_codings"] == {"bram": 3}
    assert codebook.resolve(db, "Geld")["name"] == "Geld"  # our name is kept
    with pytest.raises(WorkbenchError, match="names no transcript"):
        merge_service.merge(project, "anna", copy.root, merge_service.parse_maps(["T8=-", f"{geld}={geld}", "T9=-"]))
    with pytest.raises(WorkbenchError, match="OLD=NEW"):
        merge_service.parse_maps(["T9"])


def test_a_coding_removed_here_is_not_brought_back(main_and_copy):
    project, copy = main_and_copy
    db = project.db
    first = next(iter(db.query("select id from codings where coder = 'anna' order by start")))["id"]
    coding.remove_coding(db, "anna", first)
    result = merge_service.merge(project, "anna", copy.root)
    assert db.execute("select count(*) from codings where id = ?", [first]).fetchone()[0] == 0
    assert result["unchanged"]["codings removed here earlier (not brought back)"] == 1


def test_codebook_edits_of_the_copy_are_taken_when_newer(main_and_copy, monkeypatch):
    project, copy = main_and_copy
    copy = Project.open(copy.root)
    monkeypatch.setattr(codebook, "now_iso", lambda: "2999-01-01T00:00:00+00:00")
    codebook.update_fields(copy.db, "bram", "School", definition="Werving op en rond school.")
    copy.close()
    result = merge_service.merge(project, "anna", copy.root)
    assert [u["fields"] for u in result["updated_codes"]] == [["definition", "updated_at", "updated_by"]]
    assert codebook.resolve(project.db, "School")["definition"] == "Werving op en rond school."


def test_refuses_itself_newer_schemas_and_non_projects(main_and_copy, tmp_path):
    project, copy = main_and_copy
    with pytest.raises(WorkbenchError, match="the project itself"):
        merge_service.merge(project, "anna", project.root)
    with pytest.raises(WorkbenchError, match="no workbench project"):
        merge_service.merge(project, "anna", tmp_path / "nowhere")
    conn = sqlite3.connect(copy.root / "workbench.db")
    conn.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) values ('workbench', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(WorkbenchError, match="newer workbench"):
        merge_service.merge(project, "anna", copy.root)


def test_backups_create_only_their_own_folder(project, tmp_path):
    from workbench.store import backup

    backups = backup.backups_dir(project.db_path)
    shutil.rmtree(backups, ignore_errors=True)
    auto = backup.backup_now(project)  # exports/backups/ is made when missing
    assert auto.parent == backups and auto.is_file()
    before = backup.backup_before(project.db, project.db_path, reason="merge")
    assert before.parent == backups and before != auto
    with pytest.raises(WorkbenchError, match="does not exist; create it first"):
        backup.backup_now(project, tmp_path / "typo" / "copy.db")
    assert not (tmp_path / "typo").exists()
    with pytest.raises(WorkbenchError, match="is a folder"):
        backup.backup_now(project, tmp_path)
    chosen = backup.backup_now(project, tmp_path / "copy.db")
    assert sqlite3.connect(chosen).execute("select count(*) from transcripts").fetchone()[0] == 0
