"""Projects on disk: init, open, refusing to run outside a project, schema and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import NotAProjectError, WorkbenchError
from workbench.project import Project
from workbench.store.connection import connect
from workbench.store.schema import SCHEMA_VERSION, migrations, schema_version


def test_init_creates_folders_and_database(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "study")
    for name in ("transcripts", "codebooks", "exports"):
        assert (p.root / name).is_dir()
    assert p.db_path.is_file()
    assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema_version(p.db) == SCHEMA_VERSION
    assert {"transcripts", "turns", "sentences", "codes", "codings", "changes"} <= set(p.db.table_names())


def test_init_twice_leaves_project_as_it_was(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "study", default_coder="anna")
    p.set_setting("x", "1")
    p.close()
    again = Project.init(tmp_path / "study")
    assert again.get_setting("x") == "1"
    assert again.get_setting("default_coder") == "anna"


def test_open_outside_project_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAProjectError, match="not a workbench project"):
        Project.open(tmp_path)


def test_cli_refuses_outside_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), "transcripts"])
    assert result.exit_code == 1
    assert "not a workbench project" in result.output


def test_cli_project_option_after_command(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "p")]).exit_code == 0
    result = runner.invoke(cli, ["transcripts", "--project", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "no transcripts yet" in result.output


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    p = Project.init(tmp_path / "p")
    p.db["_sqlite_migrations"].insert(
        {"migration_set": migrations.name, "name": "m999_future", "applied_at": "2030-01-01"}
    )
    p.close()
    with pytest.raises(WorkbenchError, match="newer workbench"):
        Project.open(tmp_path / "p")


def test_migration_from_empty_database_backs_up_nothing_and_applies_all(tmp_path: Path) -> None:
    path = tmp_path / "workbench.db"
    sqlite3.connect(path).close()
    db = connect(path)
    from workbench.store.schema import ensure_schema

    assert ensure_schema(db, path=path) == SCHEMA_VERSION
    assert ensure_schema(db, path=path) == 0


def test_coder_resolution_order(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert project.coder() == "anna"
    monkeypatch.setenv("WORKBENCH_CODER", "bram")
    assert project.coder() == "bram"
    assert project.coder("carla") == "carla"
    with pytest.raises(WorkbenchError, match="control characters"):
        project.coder("bad\x07name")


def test_sqlite_utils_is_imported_without_numpy_and_numpy_still_works() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from workbench._fast_imports import import_sqlite_utils\n"
        "import_sqlite_utils()\n"
        "assert 'sqlite_utils' in sys.modules and 'numpy' not in sys.modules\n"
        "import numpy, sqlite_utils\n"
        "print(numpy.arange(3).sum())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"
