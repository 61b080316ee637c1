"""Issue 25 (attack round): the project file deleted or replaced while a window has it open.

Another program moves a different database over ``workbench.db`` (``mv``, a sync tool, a
checkout) or deletes it. SQLite would go on writing: to a file that is gone, or, worse, into
the new file's pages through the ``-wal`` both now share (a second project's rows showed up in
the first). Each write transaction checks that the path still names the file it opened; the
UI notices within a second, says so once, and writes nothing more.
"""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from tests.test_tui import SIZE, settle
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.store.connection import StorageError
from workbench.tui.app import WorkbenchApp


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def other_project(tmp_path):
    other = Project.init(tmp_path / "other", default_coder="bram")
    codebook.add(other.db, "bram", "Andere code")
    other.close()
    return other


def test_a_write_to_a_replaced_file_is_refused(project, other_project):
    codebook.add(project.db, "anna", "Netwerk")
    (project.root / "moved").mkdir()
    moved = project.root / "moved" / "workbench.db"
    os.rename(project.db_path, moved)  # mv workbench.db moved/
    os.replace(other_project.db_path, project.db_path)  # mv other/workbench.db proj/
    replacement = digest(project.db_path)
    with pytest.raises(StorageError) as refused:
        codebook.add(project.db, "anna", "Daarna")
    assert refused.value.kind == "replaced"
    assert "replaced by another file" in str(refused.value)
    assert digest(project.db_path) == replacement
    project.abandon(refused.value)  # as the UI does: no more reads through the shared log
    fresh = Project.open(project.root)  # the file now there is whole: one code, its own
    assert [r["name"] for r in fresh.db["codes"].rows] == ["Andere code"]
    fresh.close()
    kept = Project.open(moved.parent)  # the moved file holds every commit made before, "Netwerk" too
    assert [r["name"] for r in kept.db["codes"].rows] == ["Netwerk"]
    kept.close()


def test_a_write_to_a_deleted_file_is_refused(project):
    codebook.add(project.db, "anna", "Netwerk")
    shutil.copy(project.db_path, project.root / "elsewhere.db")
    project.db_path.unlink()
    with pytest.raises(StorageError, match="was deleted by another program"):
        codebook.add(project.db, "anna", "Daarna")


async def test_the_ui_notices_a_replaced_file_and_writes_nothing(project, other_project):
    codebook.add(project.db, "anna", "Netwerk")
    app = WorkbenchApp(project)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        os.replace(other_project.db_path, project.db_path)
        replacement = digest(project.db_path)
        await pilot.pause(1.2)
        assert sum("replaced by another file" in n for n in notes) == 1
        assert project.gone is not None and project.gone.kind == "replaced"
        with app.guard():
            codebook.add(project.db, "anna", "Daarna")
        assert "quit and open the project again" in notes[-1]
        said = len(notes)
        await pilot.pause(1.2)
        assert len(notes) == said  # said once, not on every tick
        assert digest(project.db_path) == replacement  # nothing written into the other file
        fresh = Project.open(project.root)  # the file now there is whole, and its own
        assert [r["name"] for r in fresh.db["codes"].rows] == ["Andere code"]
        fresh.close()
        await pilot.press("enter")  # the one choice: quit
        await pilot.pause()
    assert not app.is_running
