"""Issue 25: every screen follows the project within a second.

While a Pilot-driven app is open, another connection (as the CLI or a second window would)
codes the open transcript, renames a code and undoes a coding: the reader's margin and the
codebook panel show it within a second, without leaving the screen, and the cursor stays.
"""

from __future__ import annotations

from tests.test_tui import SIZE, open_reader, settle
from workbench.db.changes import undo_last
from workbench.db.connection import open_database
from workbench.services import codebook, coding
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CodePicker
from workbench.tui.widgets.codebook_panel import CodebookPanel


def labels(panel: CodebookPanel) -> str:
    out = []

    def walk(node):
        out.append(str(node.label))
        for child in node.children:
            walk(child)

    walk(panel.root)
    return "\n".join(out)


async def test_reader_and_panel_follow_another_process(project, add_transcript):
    add_transcript("T1")
    code = codebook.add(project.db, "anna", "Netwerk")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(app, pilot, "T1")
        await pilot.press("j", "j")
        cursor = reader.view.cursor
        other = open_database(project.db_path)  # the CLI, elsewhere
        row = coding.apply_code(other, "anna", "T1", code["id"], 0, 12)
        codebook.rename(other, "anna", code["id"], "Netwerken")
        await pilot.pause(1.5)
        await settle(app, pilot)
        assert row["id"] in {s.id for s in reader.view.own}
        assert "Netwerken" in labels(reader.query_one(CodebookPanel))
        assert reader.view.cursor == cursor
        undo_last(other, "anna")  # the rename
        undo_last(other, "anna")  # the coding
        other.close()
        await pilot.pause(1.5)
        await settle(app, pilot)
        assert row["id"] not in {s.id for s in reader.view.own}
        assert "Netwerken" not in labels(reader.query_one(CodebookPanel))


async def test_the_open_picker_follows_a_rename(project, add_transcript):
    add_transcript("T1")
    code = codebook.add(project.db, "anna", "Netwerk")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(app, pilot, "T1")
        text = project.db["transcripts"].get("T1")["text"]
        start = text.index("Ik werk")
        reader._pick_code((start, start + 20))
        await settle(app, pilot)
        assert isinstance(app.screen, CodePicker)
        other = open_database(project.db_path)
        codebook.rename(other, "anna", code["id"], "Netwerken")
        other.close()
        await pilot.pause(1.5)
        await settle(app, pilot)
        assert [c["name"] for c in app.screen.codes] == ["Netwerken"]
