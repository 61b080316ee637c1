"""Issue 25: one coding per coder, code and span, by construction.

The check runs inside the write transaction and a unique index stands behind it; a
migration merges existing duplicates keeping their memos and quotes; an apply that changes
nothing says "already coded" in the CLI and the UI and records nothing undo could take.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.test_tui import SIZE, open_reader, settle
from workbench.cli.main import cli
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.transcripts.library import import_paths
from workbench.store.connection import connect
from workbench.store.schema import migrations
from workbench.tui.app import WorkbenchApp


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


RACE = """
import sys
from workbench.cli.main import main
sys.argv = ["workbench", "--project", sys.argv[1], "--coder", "anna", "code", "T1", "Signalen",
            "--span", "0:20"]
main()
"""


def test_six_processes_coding_one_passage_store_one_coding(project, add_transcript):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    project.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(project.root)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    outs = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert all(rc == 0 for rc, _o, _e in outs), outs
    said = "".join(o for _rc, o, _e in outs)
    assert said.count("already coded") == 5
    con = sqlite3.connect(project.db_path)
    assert con.execute("select count(*) from codings").fetchone()[0] == 1
    assert con.execute("select count(*) from changes where action = 'coding.apply'").fetchone()[0] == 1
    con.close()


def test_a_repeat_records_nothing(project, add_transcript):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    row, stored = coding.code_passage(project.db, "anna", "T1", "Signalen", 0, 20)
    assert stored
    changes = project.db.execute("select count(*) from changes").fetchone()[0]
    again, stored = coding.code_passage(project.db, "anna", "T1", "Signalen", 0, 20)
    assert not stored and again["id"] == row["id"]
    assert project.db.execute("select count(*) from changes").fetchone()[0] == changes


async def test_the_reader_says_already_coded(project, add_transcript):
    add_transcript("T1")
    code = codebook.add(project.db, "anna", "Signalen")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(app, pilot, "T1")
        start, end = reader.view.sentence_span(1) if hasattr(reader.view, "sentence_span") else (0, 20)
        notes: list[str] = []
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
        reader.apply({"code_id": code["id"]}, (start, end))
        changes = project.db.execute("select count(*) from changes").fetchone()[0]
        reader.apply({"code_id": code["id"]}, (start, end))
        await settle(app, pilot)
        assert notes[-1].startswith("already coded “Signalen”")
        assert project.db.execute("select count(*) from changes").fetchone()[0] == changes
        assert project.db.execute("select count(*) from codings").fetchone()[0] == 1


def test_the_migration_merges_duplicates_keeping_memos_and_quotes(tmp_path):
    root = tmp_path / "old"
    root.mkdir()
    for folder in ("transcripts", "codebooks", "exports"):
        (root / folder).mkdir()
    db = connect(root / "workbench.db")
    migrations.apply(db, stop_before="m011_unique_codings")
    now = "2026-01-01T00:00:00"
    db["transcripts"].insert({"id": "T1", "text": "Een tekst van wat woorden hier.", "content_hash": "h",
                              "label": "A", "role": "r", "word_count": 6, "turn_count": 0,
                              "sentence_count": 0, "metadata": "{}", "imported_at": now,
                              "imported_by": "anna"})
    db["codes"].insert({"id": "c-1", "kind": "code", "name": "X", "name_key": "x", "position": 0,
                        "created_at": now, "created_by": "anna", "updated_at": now, "updated_by": "anna"})
    for cid, memo, at in [("k1", "eerste", now), ("k2", "tweede", now + "1"), ("k3", "", now + "2")]:
        db["codings"].insert({"id": cid, "transcript_id": "T1", "code_id": "c-1", "coder": "anna",
                              "start": 0, "end": 9, "memo": memo, "created_at": at})
    db["quotes"].insert({"id": "q-1", "coding_id": "k2", "text": "Een tekst", "created_by": "anna",
                         "created_at": now, "extra_codings": '["k3"]'})
    db["meta"].upsert({"key": "default_coder", "value": "anna"}, pk="key")
    db.conn.commit()
    db.close()
    project = Project.open(root)
    rows = project.db.execute("select id, memo from codings").fetchall()
    assert rows == [("k1", "eerste\n\ntweede")]
    assert project.db.execute("select coding_id, extra_codings from quotes").fetchone() == ("k1", '["k1"]')
    listing = run(project, "codings")
    assert "duplicate coding(s)" in listing.output
    assert run(project, "check").exit_code == 0


def test_a_reimport_that_puts_two_codings_on_one_span_joins_them(project, tmp_path):
    path = tmp_path / "T1.txt"
    path.write_text("---\nid: T1\nrol: docent\n---\nI: Vraag?\nR: Nu dan: Geld geld en nog wat.\n", encoding="utf-8")
    import_paths(project, [path])
    codebook.add(project.db, "anna", "Geld")
    text = project.db["transcripts"].get("T1")["text"]
    first = text.index("Geld")
    second = text.index("geld")
    coding.apply_code(project.db, "anna", "T1", "Geld", first, first + 4, memo="een")
    coding.apply_code(project.db, "anna", "T1", "Geld", second, second + 4, memo="twee")
    path.write_text("---\nid: T1\nrol: docent\n---\nI: Ja?\nR: Nee.\n", encoding="utf-8")
    results = import_paths(project, [path], replace=True)
    assert results[0].status == "replaced", results[0].message
    rows = project.db.execute("select memo from codings").fetchall()
    assert len(rows) == 1 and "een" in rows[0][0] and "twee" in rows[0][0]


def test_check_finds_a_duplicate_coding(project, add_transcript):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    row = coding.apply_code(project.db, "anna", "T1", "Signalen", 0, 20)
    with project.db.atomic():
        project.db.execute("drop index codings_one_per_span")
        project.db.execute("insert into codings (id, transcript_id, code_id, coder, start, end, memo, "
                           "created_at) values ('dup', 'T1', ?, 'anna', 0, 20, '', 'x')", [row["code_id"]])
    result = run(project, "check")
    assert result.exit_code == 1 and "one coding twice" in result.output
