"""Issue 25: a damaged project is noticed before anything is written to it.

Copies of a project are damaged in several places (a table's pages, an index's pages, the
middle of the file, the middle of its write-ahead log); the CLI and the terminal UI then open
it read-only with a message that says what is damaged and how to restore, write nothing (the
bytes of the file and its log are unchanged), and a sound project is not checked again on
every open (only when the file is not as the workbench left it). The UI checks in a worker:
it opens at once, reads, and refuses writes until the check has passed.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_tui import SIZE, settle
from workbench.cli.main import cli
from workbench.project import Project
from workbench.store import connection, integrity
from workbench.tui.app import WorkbenchApp


def run(root: Path, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pages_of(db_path: Path, name: str) -> list[int]:
    con = sqlite3.connect(db_path)
    try:
        return [r[0] for r in con.execute("select pageno from dbstat where name = ?", [name])]
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


@pytest.fixture
def sample_copy(sample_project, tmp_path):
    sample_project.close()
    root = tmp_path / "copy"
    shutil.copytree(sample_project.root, root, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    con = sqlite3.connect(root / "workbench.db")
    con.execute("pragma wal_checkpoint(truncate)")
    con.close()
    return root


def damage(db_path: Path, where: str) -> None:
    size = db_path.stat().st_size
    page = 4096
    if where in ("sentences", "codings_spans"):
        pages = _pages_of(db_path, where) or [size // page // 2]
        offset = (pages[len(pages) // 2] - 1) * page + 100
    else:  # the middle of the file
        offset = size // 2
    with db_path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(4096)))


@pytest.mark.parametrize("where", ["sentences", "codings_spans", "middle"])
def test_the_cli_notices_damage_and_writes_nothing(sample_copy, where):
    db_path = sample_copy / "workbench.db"
    damage(db_path, where)
    before = digest(db_path)
    listing = run(sample_copy, "codebook", "list")
    assert "damaged" in listing.output and "workbench restore" in listing.output
    added = run(sample_copy, "codebook", "add", "Nieuwe code")
    assert added.exit_code == 1 and "damaged" in added.output
    coded = run(sample_copy, "code", "INT01", "Nieuwe code", "--new", "--sentence", "1")
    assert coded.exit_code == 1
    assert digest(db_path) == before


async def test_the_ui_notices_damage_and_writes_nothing(sample_copy):
    db_path = sample_copy / "workbench.db"
    damage(db_path, "sentences")
    before = digest(db_path)
    project = Project.open(sample_copy)
    assert project.db.read_only and "damaged" in project.db.read_only.message
    app = WorkbenchApp(project, coder="anna")
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("damaged" in n for n in notes)
        from workbench.services.codebook import codes as codebook

        with app.guard():
            codebook.add(project.db, "anna", "Nieuw")
        assert any("damaged" in n and "nothing will be written" in n for n in notes[1:])
    project.close()
    assert digest(db_path) == before


def test_a_sound_project_is_checked_only_when_something_else_touched_it(project, add_transcript):
    add_transcript("T1")
    project.close()
    assert not integrity.needs_check(project.db_path)  # the clean close was recorded
    with project.db_path.open("ab") as fh:  # another program touched the file
        fh.write(b"")
    import os

    os.utime(project.db_path, ns=(1, 1))
    assert integrity.needs_check(project.db_path)


def _crashed_with_log(root: Path, commits: int = 30) -> Path:
    """A copy of ``root`` taken while a process had committed ``commits`` codes into the
    write-ahead log and not yet checkpointed them (as a crash leaves it)."""
    from workbench.services.codebook import codes as codebook
    from workbench.store.connection import open_database

    db = open_database(root / "workbench.db")
    db.execute("pragma wal_autocheckpoint = 0")
    for n in range(commits):
        codebook.add(db, "anna", f"Code uit het log {n:02d}")
    crashed = root.parent / "crashed"
    shutil.copytree(root, crashed)  # with its -shm, as a crash leaves it
    db.close()
    return crashed


def damage_log(wal: Path) -> None:
    size = wal.stat().st_size
    with wal.open("r+b") as fh:
        fh.seek(size // 3)
        fh.write(bytes((i * 53 + 7) % 256 for i in range(8192)))


def test_a_damaged_write_ahead_log_is_noticed_and_left_as_it_is(sample_copy):
    crashed = _crashed_with_log(sample_copy)
    db_path, wal = crashed / "workbench.db", crashed / "workbench.db-wal"
    assert wal.stat().st_size > 100_000
    damage_log(wal)
    before = digest(db_path), digest(wal)
    listing = run(crashed, "codebook", "list")
    assert "damaged" in listing.output and "write-ahead log" in listing.output
    added = run(crashed, "codebook", "add", "Nieuwe code")
    assert added.exit_code == 1 and "damaged" in added.output
    assert (digest(db_path), digest(wal)) == before  # not even a checkpoint on close


def test_a_sound_write_ahead_log_after_a_crash_is_read_in_full(sample_copy):
    crashed = _crashed_with_log(sample_copy)
    listing = run(crashed, "codebook", "list")
    assert listing.exit_code == 0 and "damaged" not in listing.output
    assert "Code uit het log 29" in listing.output


async def _run_app(project: Project):
    app = WorkbenchApp(project, coder="anna")
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
    return app, notes


async def test_the_ui_opens_at_once_and_checks_in_a_worker(sample_copy):
    db_path = sample_copy / "workbench.db"
    damage(db_path, "codings_spans")
    before = digest(db_path)
    project = Project.open(sample_copy, check_later=True)
    why = project.db.read_only
    assert why is not None and why.kind == "checking"  # not checked yet: read-only meanwhile
    from workbench.services.codebook import codes as codebook

    try:  # a write before the check is done is refused, naming the check
        codebook.add(project.db, "anna", "Te vroeg")
    except sqlite3.Error as exc:
        from workbench.store.connection import explain_for

        assert "being checked" in explain_for(project.db, exc, db_path).message
    else:
        raise AssertionError("a write went through before the check")
    app, notes = await _run_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("checking" in n.lower() for n in notes)
        assert any("damaged" in n for n in notes)
        assert project.db.read_only.kind == "damaged"
        assert project.db["codes"].count > 0  # reading still works
        with app.guard():
            codebook.add(project.db, "anna", "Nieuw")
        assert "nothing will be written" in notes[-1]
    project.close()
    assert digest(db_path) == before


async def test_the_ui_writes_once_its_check_has_passed(sample_copy):
    db_path = sample_copy / "workbench.db"
    import os

    os.utime(db_path, ns=(1, 1))  # touched by something else: needs a check
    project = Project.open(sample_copy, check_later=True)
    assert project.db.read_only.kind == "checking"
    app, notes = await _run_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert project.db.read_only is None
        from workbench.services.codebook import codes as codebook

        with app.guard():
            codebook.add(project.db, "anna", "Na de controle")
        assert project.db["codes"].count_where("name = ?", ["Na de controle"]) == 1
        assert not any("damaged" in n for n in notes)
    project.close()
    assert not integrity.needs_check(db_path)


def test_restore_brings_a_damaged_project_back_and_keeps_the_damaged_file(sample_copy):
    """The advice the damage message gives works: 'workbench restore FILE' on the damaged
    project (opened read-only) replaces it with the backup and keeps the damaged file."""
    backup = run(sample_copy, "backup")
    assert backup.exit_code == 0, backup.output
    source = next((sample_copy / "exports" / "backups").glob("workbench-*.db"))
    db_path = sample_copy / "workbench.db"
    codes_before = sqlite3.connect(source).execute("select count(*) from codes").fetchone()[0]
    damage(db_path, "sentences")
    damaged = digest(db_path)
    connection._VERIFIED.clear()  # each command is a new process
    restored = run(sample_copy, "restore", str(source), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "damaged database is kept" in restored.output
    kept = next((sample_copy / "exports" / "backups").glob("*-damaged.db"))
    assert digest(kept) == damaged  # byte for byte, for whoever wants to rescue from it
    checked = run(sample_copy, "check")
    assert checked.exit_code == 0 and "intact and consistent" in checked.output
    added = run(sample_copy, "codebook", "add", "Na het herstel")
    assert added.exit_code == 0 and "damaged" not in added.output
    listing = run(sample_copy, "codebook", "list")
    assert listing.output.count("\n") >= codes_before
    assert not list((sample_copy / "exports" / "backups").glob("*-shm"))  # no litter


def _unopenable(db_path: Path, how: str) -> None:
    if how == "emptied":  # a sync or copy that wrote nothing
        db_path.write_bytes(b"")
    elif how == "truncated":
        with db_path.open("r+b") as fh:
            fh.truncate(20_000)
    else:  # its header overwritten
        with db_path.open("r+b") as fh:
            fh.write(b"garbage header!!")


@pytest.mark.parametrize("how", ["emptied", "truncated", "header"])
def test_a_project_too_damaged_to_open_is_refused_and_restore_still_works(sample_copy, how):
    assert run(sample_copy, "backup").exit_code == 0
    source = next((sample_copy / "exports" / "backups").glob("workbench-*.db"))
    db_path = sample_copy / "workbench.db"
    _unopenable(db_path, how)
    connection._VERIFIED.clear()  # each command is a new process
    before = digest(db_path)
    listing = run(sample_copy, "codebook", "list")
    assert listing.exit_code == 1 and "workbench restore FILE" in listing.output
    assert ("empty (0 bytes)" if how == "emptied" else "cannot be opened") in listing.output
    assert digest(db_path) == before  # an emptied file is not made a new, empty project
    restored = run(sample_copy, "restore", str(source), "--yes")
    assert restored.exit_code == 0, restored.output
    kept = next((sample_copy / "exports" / "backups").glob("*-damaged.db"))
    assert digest(kept) == before
    checked = run(sample_copy, "check")
    assert checked.exit_code == 0 and "intact and consistent" in checked.output


async def test_the_ui_on_a_damaged_write_ahead_log_writes_nothing(sample_copy):
    crashed = _crashed_with_log(sample_copy)
    db_path, wal = crashed / "workbench.db", crashed / "workbench.db-wal"
    damage_log(wal)
    connection._VERIFIED.clear()
    before = digest(db_path), digest(wal)
    project = Project.open(crashed, check_later=True)
    app, notes = await _run_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("write-ahead log" in n and "damaged" in n for n in notes), notes
        from workbench.services.codebook import codes as codebook

        with app.guard():
            codebook.add(project.db, "anna", "Nieuw")
        assert "nothing will be written" in notes[-1]
    project.close()
    assert (digest(db_path), digest(wal)) == before


CRASH = """
import os, sys
from workbench.store.connection import open_database
from workbench.services.codebook import codes as codebook
db = open_database(sys.argv[1])
db.execute("pragma wal_autocheckpoint = 0")
for n in range(5):
    codebook.add(db, "anna", f"{sys.argv[2]} {n}")
print("ready", flush=True)
if sys.argv[2] == "crash":
    os._exit(0)  # as a kill -9 leaves it: no close, no checkpoint
sys.stdin.readline()  # stays open until told
"""


def test_a_log_left_by_a_crash_is_checked_once_a_live_one_is_not(sample_copy, monkeypatch):
    import subprocess
    import sys

    db_path = sample_copy / "workbench.db"
    integrity.record_clean(db_path)
    checks: list[bool] = []
    real = integrity.damage_of
    monkeypatch.setattr(integrity, "damage_of", lambda con: (checks.append(True), real(con))[1])

    live = subprocess.Popen([sys.executable, "-c", CRASH, str(db_path), "stay"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout.readline().strip() == "ready"
        assert not integrity.log_left_behind(db_path)  # another process has it open
    finally:
        live.communicate("\n", timeout=30)
    integrity.record_clean(db_path)

    crashed = subprocess.run([sys.executable, "-c", CRASH, str(db_path), "crash"],
                             capture_output=True, text=True, timeout=60)
    assert crashed.stdout.strip() == "ready", crashed.stderr[-2000:]
    assert not integrity.needs_check(db_path)  # the file itself is as it was left...
    assert integrity.log_left_behind(db_path)  # ...but a crash left commits in its log
    connection._VERIFIED.clear()
    listing = run(sample_copy, "codebook", "list")
    assert "crash 4" in listing.output and "damaged" not in listing.output
    assert checks == [True]  # checked once, then trusted
