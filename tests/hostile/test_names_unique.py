"""Issue 15: code and theme names are unique by construction.

A unique index on the folded name (migration 9) is the last guard; ``code --new`` is
create-or-use in one transaction, also when processes race; an old project with duplicate
names is migrated by renaming the later ones, said once; undo and redo never trip over the
index; a name differing only in case, spacing or Unicode form is the same name.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import ConflictError, WorkbenchError
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.store.changes import undo_last
from workbench.store.connection import connect
from workbench.store.schema import migrations


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


@pytest.mark.parametrize("other", ["signalen", "SIGNALEN", "  Signalen ", "Signalen\u00a0", "Ｓignalen"])
def test_names_that_compare_equal_are_refused(project, other):
    codebook.add(project.db, "anna", "Signalen")
    with pytest.raises(ConflictError, match="exists already"):
        codebook.add(project.db, "anna", other)


def test_accents_make_another_name(project):
    codebook.add(project.db, "anna", "voor de melding")
    assert codebook.add(project.db, "anna", "vóór de melding")["name"] == "vóór de melding"


def test_the_index_refuses_a_duplicate_written_past_the_checks(project):
    from workbench.store.changes import record

    codebook.add(project.db, "anna", "Signalen")
    row = codebook.prepare(project.db, "anna", "Anders")
    row["name"] = "SIGNALEN"
    with pytest.raises(ConflictError, match="exists already"), record(project.db, "anna", "x") as cs:
        cs.insert("codes", row)
    assert project.db.execute("select count(*) from codes").fetchone()[0] == 1


def test_new_code_uses_a_code_made_a_moment_ago(project, add_transcript):
    add_transcript("T1")
    first, _row, created, _stored = coding.apply_new_code(project.db, "anna", "T1", "Geronseld", 0, 10)
    assert created
    again, row, created, _stored = coding.apply_new_code(project.db, "bram", "T1", "geronseld", 5, 20)
    assert not created and again["id"] == first["id"] and row["code_id"] == first["id"]
    assert project.db.execute("select count(*) from codes").fetchone()[0] == 1
    # the second change applied a code; its undo removes bram's coding only
    undo_last(project.db, "bram")
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 1
    assert project.db.execute("select count(*) from codes").fetchone()[0] == 1


RACE = """
import sys
from workbench.cli.main import main
sys.argv = ["workbench", "--project", sys.argv[1], "--coder", sys.argv[2], "code", "T1",
            "Nieuwe naam", "--new", "--span", sys.argv[3]]
main()
"""


def test_concurrent_new_code_makes_one_code(project, add_transcript):
    """Six processes create the same new code at once: one code, six codings, all exit 0."""
    add_transcript("T1")
    project.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(project.root), f"coder{n}",
                               f"{n}:{n + 20}"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in range(6)]
    outs = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert all(rc == 0 for rc, _o, _e in outs), outs
    con = sqlite3.connect(project.db_path)
    assert con.execute("select count(*) from codes where name_key = 'nieuwe naam'").fetchone()[0] == 1
    assert con.execute("select count(*) from codings").fetchone()[0] == 6
    con.close()
    result = run(project, "code", "T1", "Nieuwe naam", "--span", "0:5")
    assert result.exit_code == 0, result.output


def _old_project(tmp_path: Path) -> Project:
    """A project at schema 8 (before unique names) holding duplicate names."""
    root = tmp_path / "old"
    root.mkdir()
    for folder in ("transcripts", "codebooks", "exports"):
        (root / folder).mkdir()
    db = connect(root / "workbench.db")
    migrations.apply(db, stop_before="m009_unique_code_names")
    now = "2026-01-01T00:00:00"
    for cid, kind, name, at in [("c-1", "code", "Signalen", now), ("c-2", "code", "signalen ", now + "1"),
                                ("c-3", "code", "SIGNALEN", now + "2"), ("t-1", "theme", "Signalen", now),
                                ("c-4", "code", "Anders", now)]:
        db["codes"].insert({"id": cid, "kind": kind, "name": name, "position": 0,
                            "created_at": at, "created_by": "anna", "updated_at": at,
                            "updated_by": "anna"})
    db["meta"].upsert({"key": "default_coder", "value": "anna"}, pk="key")
    db.conn.commit()
    db.close()
    return Project.open(root)


def test_the_migration_renames_duplicates_and_says_so_once(tmp_path):
    project = _old_project(tmp_path)
    names = dict(project.db.execute("select id, name from codes").fetchall())
    assert names == {"c-1": "Signalen", "c-2": "signalen (2)", "c-3": "SIGNALEN (3)",
                     "t-1": "Signalen", "c-4": "Anders"}
    first = run(project, "codebook", "list")
    assert first.exit_code == 0
    assert "renamed 'signalen (2)'" in first.output and "renamed 'SIGNALEN (3)'" in first.output
    second = run(project, "codebook", "list")
    assert "renamed" not in second.output
    # names resolve again: no 'ambiguous'
    assert run(project, "code", "--help").exit_code == 0
    assert codebook.resolve(project.db, "signalen", "code")["id"] == "c-1"


def test_undo_of_a_change_made_before_the_migration(tmp_path):
    """Change rows recorded without name_key still undo (derived columns are recomputed)."""
    root = tmp_path / "old"
    root.mkdir()
    db = connect(root / "workbench.db")
    migrations.apply(db, stop_before="m009_unique_code_names")
    from workbench.store.changes import record

    with record(db, "anna", "code.add", "add") as cs:
        db["codes"].insert({"id": "c-1", "kind": "code", "name": "Oud", "position": 0,
                            "created_at": "x", "created_by": "anna", "updated_at": "x",
                            "updated_by": "anna"})
        cs.rows.append(("codes", ["c-1"], None, dict(db["codes"].get("c-1"))))
    with record(db, "anna", "code.rename", "rename") as cs:
        before = dict(db["codes"].get("c-1"))
        db.execute("update codes set name = 'Nieuw' where id = 'c-1'")
        cs.rows.append(("codes", ["c-1"], before, dict(db["codes"].get("c-1"))))
    db.conn.commit()
    db.close()
    project = Project.open(root)
    assert undo_last(project.db, "anna") is not None
    assert project.db.execute("select name, name_key from codes").fetchone() == ("Oud", "oud")
    with pytest.raises(ConflictError):
        codebook.add(project.db, "anna", "OUD")


def test_undo_redo_of_a_swap_of_two_names(project):
    a = codebook.add(project.db, "anna", "Alfa")
    b = codebook.add(project.db, "anna", "Beta")
    codebook.rename(project.db, "anna", a["id"], "Tijdelijk")
    codebook.rename(project.db, "anna", b["id"], "Alfa")
    codebook.rename(project.db, "anna", a["id"], "Beta")
    for _ in range(3):
        undo_last(project.db, "anna")
    names = dict(project.db.execute("select id, name from codes").fetchall())
    assert names == {a["id"]: "Alfa", b["id"]: "Beta"}


def test_names_with_terminal_controls_or_too_long_are_refused(project):
    for bad in ["Wijk\x1b[31magent", "A\u202eB", "zero\u200bwidth", "C1\x9bx"]:
        with pytest.raises(WorkbenchError, match="not allowed in names"):
            codebook.add(project.db, "anna", bad)
    with pytest.raises(WorkbenchError, match="at most 200"):
        codebook.add(project.db, "anna", "x" * 100_000)


def test_check_finds_duplicate_names_controls_and_dangling_references(project, add_transcript):
    """What only a hand edit of the database (or an old bug) can leave behind, check finds."""
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    db = project.db
    assert run(project, "check").exit_code == 0
    with db.atomic():
        db.execute("drop index codes_name_key")
        db.execute("insert into codes (id, kind, name, name_key, position, created_at, created_by, "
                   "updated_at, updated_by) values ('c-dup', 'code', 'signalen', 'signalen', 0, 'x', "
                   "'anna', 'x', 'anna')")
        db.execute("update codes set memo = 'a\x1bb' where id = 'c-dup'")
        db.execute("insert into memos (id, target_kind, target_id, coder, text, created_at, updated_at) "
                   "values ('m-1', 'transcript', 'GONE', 'anna', 'x', 'x', 'x')")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "('signalen')" in result.output and "have one name" in result.output
    assert "memo holds control or invisible characters (U+001B)" in result.output
    assert "memo m-1 is on transcript GONE, which does not exist" in result.output
    assert "\x1b" not in result.output
