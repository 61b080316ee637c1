"""The reader's "find quote" action (`"` or a terminal paste): a report quote is found the way
`workbench code --quote` finds it, selected in the reader, and coded only after Enter."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.test_passage import TURNS
from tests.test_tui import SIZE, settle
from workbench.services.codebook import codes as codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import ChoiceScreen, CodePicker, PromptScreen
from workbench.tui.screens.reader import ReaderScreen

ELIDED = "“Dat gaat vaak via Snapchat. […] Dan reageren ze, en voor je het weet zitten ze erin.” (Jongerenwerker)"
ACROSS = "Die jongens zijn vaak een jaar of veertien, vijftien. […] Op school ook, ja."


def span(text: str, first: str, last: str) -> tuple[int, int]:
    a = text.index(first)
    return a, text.index(last, a) + len(last)


async def open_t1(project, add_transcript, pilot, app) -> ReaderScreen:
    await settle(app, pilot)
    app.open_transcript("T1")
    await settle(app, pilot)
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def submit_quote(app, pilot, quote: str) -> None:
    await pilot.press("quotation_mark")
    assert isinstance(app.screen, PromptScreen)
    app.screen.query_one(Input).value = quote
    await pilot.press("enter")
    await settle(app, pilot)


async def test_pasted_quote_is_selected_then_coded_after_enter(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    code = codebook.add(project.db, "anna", "Ronselen online")
    text = project.db["transcripts"].get("T1")["text"]
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_t1(project, add_transcript, pilot, app)
        await submit_quote(app, pilot, ELIDED)
        assert app.screen is reader
        expected = span(text, "Dat gaat vaak", "zitten ze erin.")
        assert reader.view.selection == expected
        status = str(reader.query_one("#status").render())
        assert "found word for word" in status and "Enter" in status
        assert project.db.execute("select count(*) from codings").fetchone()[0] == 0  # not yet
        await pilot.press("enter")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Ronselen online", "enter")
        await settle(app, pilot)
        rows = list(project.db.query("select code_id, start, end from codings"))
        assert [(r["code_id"], r["start"], r["end"]) for r in rows] == [(code["id"], *expected)]


async def test_terminal_paste_opens_the_prompt_with_the_text(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_t1(project, add_transcript, pilot, app)
        reader.post_message(events.Paste("Schulden\nvooral."))
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "Schulden vooral."
        await pilot.press("escape")
        assert app.screen is reader


async def test_quote_into_the_question_asks_and_escape_codes_nothing(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    codebook.add(project.db, "anna", "Leeftijd")
    text = project.db["transcripts"].get("T1")["text"]
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_t1(project, add_transcript, pilot, app)
        await submit_quote(app, pilot, ACROSS)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first choice: cancel
        await settle(app, pilot)
        assert app.screen is reader and reader.view.selection is None
        await submit_quote(app, pilot, ACROSS)
        app.screen.query_one("OptionList").highlighted = 1  # select it anyway
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.view.selection == span(text, "Die jongens zijn", "Op school ook, ja.")
        assert "includes interviewer text" in str(reader.query_one("#status").render())
        await pilot.press("escape")  # clears the selection: Enter then codes nothing
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is reader
        assert project.db.execute("select count(*) from codings").fetchone()[0] == 0


async def test_weak_quote_is_a_notification(project, add_transcript):
    add_transcript("T1", turns=TURNS)
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_t1(project, add_transcript, pilot, app)
        await submit_quote(app, pilot, "de politie kwam langs met een hond en een busje")
        assert app.screen is reader and reader.view.selection is None
        assert any("a fuzzy match needs 90%" in n.message for n in app._notifications)
