"""Issue 25: every screen follows the project within a second.

While a Pilot-driven app is open, another connection (as the CLI or a second window would)
codes, renames, undoes, imports and stars: the reader's margin, the codebook panel, the
picker, the transcripts list, theme review, agreement and its disagreements, and export show
it within a second, without leaving the screen, and the cursor stays on what it was on.
"""

from __future__ import annotations

import shutil

from textual.widgets import DataTable, OptionList, SelectionList

from tests import test_tui_areas
from tests.conftest import transcript_text
from tests.test_tui import SIZE, open_reader, settle
from tests.test_tui_areas import REPO, sentence_span
from workbench.agreement import figures
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.reporting import quotes, survey
from workbench.services.transcripts.library import import_paths
from workbench.store.changes import undo_last
from workbench.store.connection import open_database
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.agreement import AgreementScreen, DisagreementsScreen
from workbench.tui.screens.dialogs import CodePicker
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.transcripts import TranscriptsScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel

pair = test_tui_areas.pair  # two interviews, two coders who differ


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
        await pilot.press("j", "j", "shift+down")
        cursor, selection = reader.view.cursor, reader.view.selection
        assert selection is not None
        other = open_database(project.db_path)  # the CLI, elsewhere
        row = coding.apply_code(other, "anna", "T1", code["id"], 0, 12)
        codebook.rename(other, "anna", code["id"], "Netwerken")
        await pilot.pause(1.5)
        await settle(app, pilot)
        assert row["id"] in {s.id for s in reader.view.own}
        assert "Netwerken" in labels(reader.query_one(CodebookPanel))
        assert reader.view.cursor == cursor and reader.view.selection == selection
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


# -- the other screens -------------------------------------------------------------------------





class Elsewhere:
    """Another process on the same project: its own connection, closed after each write."""

    def __init__(self, project: Project) -> None:
        self.project = Project(project.root)

    def __enter__(self) -> Project:
        return self.project

    def __exit__(self, *exc) -> None:
        self.project.close()


async def wait_a_second(app, pilot) -> None:
    await pilot.pause(1.2)
    await settle(app, pilot)


async def test_the_transcripts_list_follows_an_import_and_keeps_its_cursor(pair, tmp_path):
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptsScreen) and screen.row_ids == ["INT01", "INT02"]
        table = screen.query_one(DataTable)
        table.move_cursor(row=1)  # on INT02
        path = tmp_path / "INT00.txt"
        path.write_text(transcript_text("INT00", "leerplichtambtenaar", [
            ("I", "Wat doet u?"), ("R", "Ik spreek ouders aan.")]), encoding="utf-8")
        with Elsewhere(pair) as other:
            import_paths(other, [path])
        await wait_a_second(app, pilot)
        assert screen.row_ids == ["INT00", "INT01", "INT02"]
        assert screen.row_ids[table.cursor_row] == "INT02"  # the cursor stayed on its transcript


async def test_theme_review_follows_new_extracts_and_keeps_the_highlight(pair):
    online = codebook.resolve(pair.db, "Ronselen online")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_review(online["id"])
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        extracts = review.query_one("#extracts", OptionList)
        last = extracts.option_count - 1
        extracts.highlighted = last
        kept = extracts.get_option_at_index(last).id
        before = len(review.rows)
        with Elsewhere(pair) as other:
            db = other.db  # a new extract in the first interview, above the highlight
            coding.apply_code(db, "anna", "INT01", online["id"],
                              *sentence_span(db, "Dure kleding en nieuwe telefoons.")[1:])
        await wait_a_second(app, pilot)
        assert len(review.rows) == before + 1
        assert extracts.get_option_at_index(extracts.highlighted).id == kept


async def test_agreement_and_its_disagreements_follow_a_second_coder(pair):
    money = codebook.resolve(pair.db, "Geld en spullen")
    coding.apply_code(pair.db, "bram", "INT02", money["id"],  # a third disagreement
                      *sentence_span(pair.db, "Ronselaars benaderen ze op het schoolplein.")[1:])
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        agreement = app.screen
        assert isinstance(agreement, AgreementScreen)
        table = agreement.query_one(DataTable)
        table.move_cursor(row=agreement.row_keys.index(f"code:{money['id']}"))
        await pilot.press("enter")
        await settle(app, pilot)
        differences = app.screen
        assert isinstance(differences, DisagreementsScreen)
        before = len(differences.rows)
        options = differences.query_one(OptionList)
        _tid, start, _end = sentence_span(pair.db, "Ze spijbelen ook vaak.")
        gone = next(i for i, r in enumerate(differences.rows) if r["start"] == start)
        options.highlighted = gone + 1  # the passage after the one that will be agreed on
        here = differences.rows[gone + 1]
        assert gone + 1 < before - 1, "a row after it, so that keeping the index would move"
        with Elsewhere(pair) as other:  # anna now agrees with bram on that sentence
            db = other.db
            coding.apply_code(db, "anna", "INT01", money["id"],
                              *sentence_span(db, "Ze spijbelen ook vaak.")[1:])
        await wait_a_second(app, pilot)
        assert len(differences.rows) == before - 1
        assert differences.rows[options.highlighted] == here  # still on the same passage
        await pilot.press("escape")
        await settle(app, pilot)
        expected = figures.compute(pair.db, coders=None, unit="sentence", overlap=0.9)
        code = next(c for c in expected["codes"] if c["code_id"] == money["id"])
        shown = next(c for c in agreement.result["codes"] if c["code_id"] == money["id"])
        assert shown["percent_agreement"] == code["percent_agreement"]
        assert table.cursor_row == agreement.row_keys.index(f"code:{money['id']}")


async def test_export_follows_a_quote_starred_elsewhere_and_keeps_the_selection(pair):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", pair.codebooks_dir)
    survey.link(pair.db, "anna", "Werving", "4.3")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot, 0.4)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        ids = [t.id for t in screen.themes]
        await pilot.press(*(["down"] * ids.index("4.3")), "space")
        await settle(app, pilot, 0.5)
        assert "Snapchat" not in screen.markdown
        with Elsewhere(pair) as other:
            db = other.db
            tid, s, _e = sentence_span(db, "Soms worden ze geronseld via Snapchat.")
            row = db.execute("select id from codings where coder = 'anna' and transcript_id = ? "
                             "and start = ?", [tid, s]).fetchone()
            quotes.star(db, "anna", row[0])
        await wait_a_second(app, pilot)
        await settle(app, pilot, 0.5)
        assert "Snapchat" in screen.markdown
        selection = screen.query_one(SelectionList)
        assert screen.selected_ids == ["4.3"]
        assert selection.get_option_at_index(selection.highlighted).value == "4.3"



async def test_theme_review_of_a_code_deleted_elsewhere_says_so(pair):
    lonely = codebook.add(pair.db, "anna", "Eenmalig")
    coding.apply_code(pair.db, "anna", "INT01", lonely["id"],
                      *sentence_span(pair.db, "Ze spijbelen ook vaak.")[1:])
    app = WorkbenchApp(pair)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_review(lonely["id"])
        await settle(app, pilot)
        review = app.screen
        assert len(review.rows) == 1
        with Elsewhere(pair) as other:
            codebook.delete(other.db, "bram", lonely["id"], force=True)
        await wait_a_second(app, pilot)
        assert app.screen is review
        assert review.code_id != lonely["id"] and review.code["name"] != "Eenmalig"
        assert all(r["code_id"] != lonely["id"] for r in review.rows)
        assert "Eenmalig" not in labels(review.query_one(CodebookPanel))
        assert any("deleted meanwhile" in n for n in notes), notes
        assert not any("Not done" in n or "Unexpected" in n for n in notes)
