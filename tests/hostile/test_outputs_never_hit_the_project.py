"""Issue 15: no command writes over the project's own files, whatever the path or --force:
the database, its journal files (also through a symbolic link or another name for an SQLite
file), the backups folder; and exports never overwrite a file without --force."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.files import protected_reason, write_atomic


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def intact(project) -> bool:
    con = sqlite3.connect(project.db_path)
    try:
        return con.execute("pragma integrity_check").fetchone()[0] == "ok" and \
            con.execute("select count(*) from transcripts").fetchone()[0] >= 1
    finally:
        con.close()


PROTECTED = "no export or output is ever written over it"


@pytest.mark.parametrize(("command", "target"), [
    (["qdpx", "export"], "workbench.db"),
    (["qdpx", "export"], "workbench.db-wal"),
    (["qdpx", "export"], "workbench.db-shm"),
    (["qdpx", "export"], "link.qdpx"),          # a symbolic link to the database
    (["qdpx", "export"], "copy.qdpx"),          # another SQLite file under an export's name
    (["codings-export"], "link.csv"),
    (["codings-export"], "link.yaml"),
    (["codings-export"], "copy.csv"),
    (["codebook", "export"], "link.yaml"),
    (["codebook", "export"], "link.qdc"),
])
def test_no_output_lands_on_the_project(project, add_transcript, command, target):
    from workbench.services.codebook import codes as codebook

    add_transcript("T1")
    codebook.add(project.db, "anna", "Signalen")
    root = project.root
    for name in ("link.qdpx", "link.csv", "link.yaml", "link.qdc"):
        (root / name).symlink_to(root / "workbench.db")
    for name in ("copy.qdpx", "copy.csv"):
        sqlite3.connect(root / name).execute("create table t (x)").connection.close()
    before = (root / "workbench.db").read_bytes()[:16]
    out = run(project, *command, str(root / target), "--force")
    assert out.exit_code == 1, out.output
    assert PROTECTED in out.output, out.output
    assert (root / "workbench.db").read_bytes()[:16] == before
    assert intact(project)


def test_the_backups_folder_is_never_a_target(project, add_transcript):
    add_transcript("T1")
    backups = project.root / "exports" / "backups"
    backups.mkdir(parents=True)
    with pytest.raises(WorkbenchError, match="backups folder"):
        write_atomic(backups / "anything.md", "x", force=True)
    assert protected_reason(project.root / "exports" / "chapter.md") is None


def test_codings_export_needs_force_to_overwrite(project, add_transcript, tmp_path):
    add_transcript("T1")
    path = tmp_path / "codings.csv"
    path.write_text("mine", encoding="utf-8")
    out = run(project, "codings-export", str(path))
    assert out.exit_code != 0 and "--force" in out.output
    assert path.read_text(encoding="utf-8") == "mine"
    assert run(project, "codings-export", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("transcript")


def test_a_plain_new_file_is_fine(tmp_path: Path):
    assert protected_reason(tmp_path / "out.md") is None


def test_codebook_export_needs_force_for_another_file(project, tmp_path):
    from workbench.services.codebook import codes as codebook

    codebook.add(project.db, "anna", "Signalen")
    path = tmp_path / "mine.yaml"
    path.write_text("mine", encoding="utf-8")
    out = run(project, "codebook", "export", str(path))
    assert out.exit_code != 0 and "--force" in out.output
    assert path.read_text(encoding="utf-8") == "mine"
    assert run(project, "codebook", "export", str(path), "--force").exit_code == 0
    assert "Signalen" in path.read_text(encoding="utf-8")
    # the shared codebook file is the synced one: always rewritten
    assert run(project, "codebook", "export").exit_code == 0
    assert run(project, "codebook", "export").exit_code == 0
    assert run(project, "codebook", "export", str(project.codebook_file)).exit_code == 0


def test_codebook_export_keeps_edits_that_were_never_imported(project):
    """Rewriting codebooks/codebook.yaml over a hand edit keeps that edit in the backups."""
    from workbench.services.codebook import codes as codebook

    codebook.add(project.db, "anna", "Signalen")
    assert run(project, "codebook", "export").exit_code == 0
    shared = project.codebook_file
    again = run(project, "codebook", "export")  # nothing edited: no copy
    assert again.exit_code == 0 and "never imported" not in again.output
    shared.write_text(shared.read_text(encoding="utf-8").replace("Signalen", "Signalen en zorgen"),
                      encoding="utf-8")
    result = run(project, "codebook", "export")
    assert result.exit_code == 0 and "never imported" in result.output
    kept = list((project.root / "exports" / "backups").glob("codebook-not-imported-*.yaml"))
    assert len(kept) == 1 and "Signalen en zorgen" in kept[0].read_text(encoding="utf-8")
    assert "Signalen en zorgen" not in shared.read_text(encoding="utf-8")
