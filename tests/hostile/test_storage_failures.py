"""Issue 15: honest messages when the storage refuses.

A full disk (simulated with SQLite's own SQLITE_FULL through ``max_page_count``, and for real
on a small tmpfs where the machine lets the tests mount one), a read-only project and a lock
held by another process each get their own message; a multi-file import says exactly which
files went in before the failure; reading still works on a full disk.
"""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.transcripts.library import import_paths
from workbench.store.connection import explain


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def write(folder: Path, tid: str, words: int) -> Path:
    body = " ".join(f"woord{tid}{n}" for n in range(words))
    path = folder / f"{tid}.txt"
    path.write_text(f"---\nid: {tid}\nrol: jongerenwerker\n---\nI: Vraag?\nR: {body}.\n",
                    encoding="utf-8")
    return path


def test_a_full_database_mid_import_says_which_files_went_in(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    files = [write(folder, "A", 5), write(folder, "B", 40_000), write(folder, "C", 5)]
    import_paths(project, [write(tmp_path, "W", 5)])  # the schema and a first transcript
    pages = project.db.execute("pragma page_count").fetchone()[0]
    project.db.execute(f"pragma max_page_count = {pages + 40}")  # room for A, not for B
    results = import_paths(project, files)
    assert [r.status for r in results] == ["imported", "failed", "failed"]
    assert "the disk is full" in results[1].message and "B.txt" in results[1].message
    assert "not imported: the import stopped at B.txt" in results[2].message
    ids = sorted(r[0] for r in project.db.execute("select id from transcripts"))
    assert ids == ["A", "W"]
    assert project.db.execute("pragma integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(("name", "text", "kind", "words"), [
    ("SQLITE_FULL", "database or disk is full", "full", "the disk is full"),
    ("SQLITE_READONLY", "attempt to write a readonly database", "read-only", "the project is read-only"),
    ("SQLITE_BUSY", "database is locked", "locked", "locked by another program"),
    ("SQLITE_CORRUPT", "database disk image is malformed", "damaged", "workbench restore"),
])
def test_each_storage_failure_has_its_own_message(tmp_path, name, text, kind, words):
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    problem = explain(exc, tmp_path / "workbench.db")
    assert problem.kind == kind and words in problem.message and "nothing was changed" in problem.message


def test_a_lock_held_by_another_process_is_named(project, add_transcript, monkeypatch):
    add_transcript("T1")
    import workbench.store.connection as connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(project.db_path)
    holder.execute("begin immediate")
    try:
        project.close()
        result = run(project, "codebook", "add", "Nieuw")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert "locked by another program" in result.output and "nothing was changed" in result.output


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (skipped where the tests may not mount one)."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_on_a_really_full_disk_reading_works_and_writing_says_why(small_disk, tmp_path):
    from workbench.project import Project

    project = Project.init(small_disk / "p", default_coder="anna")
    import_paths(project, [write(tmp_path, "A", 20)])
    project.close()
    with (small_disk / "fill").open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    listing = run(project, "transcripts")
    assert listing.exit_code == 0 and "A " in listing.output
    assert "the disk is full" in listing.output and "opened read-only" in listing.output
    added = run(project, "codebook", "add", "Nieuw")
    assert added.exit_code == 1 and "the disk is full" in added.output
    assert "disk I/O error" not in added.output
    (small_disk / "fill").unlink()
    assert run(project, "codebook", "add", "Nieuw").exit_code == 0
