"""The code picker in the reader: abbreviations rank the code first; a new code and its coding
are one change that one undo removes (issue 14, parts 6 and 7)."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.test_tui import SIZE, open_reader, settle, two  # noqa: F401  (fixture)
from workbench.services.codebook import codes as codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CodePicker


async def test_abbreviation_picks_the_code(two):  # noqa: F811
    for name in ("Signalen financieel", "Financiële signalen", "Ronselen op school", "Ronselen online"):
        codebook.add(two.db, "anna", name)
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_reader(app, pilot)
        await pilot.press("j", "j", "c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"fin sig")
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert "Financiële signalen" in str(first.prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        row = two.db.execute(
            "select c.name from codings x join codes c on c.id = x.code_id").fetchone()
        assert row[0] == "Financiële signalen"


async def _picker(app, pilot, typed: str):
    await settle(app, pilot)
    await open_reader(app, pilot)
    await pilot.press("j", "j", "c", *typed)
    assert isinstance(app.screen, CodePicker)
    return app.screen.query_one(OptionList)


async def test_a_typed_new_name_is_created_despite_a_look_alike(two):  # noqa: F811
    """Issue 24.1: 'Niet verschijnen op afspraken' with 'Jongeren op straat' present."""
    codebook.add(two.db, "anna", "Jongeren op straat")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        options = await _picker(app, pilot, "Niet verschijnen op afspraken")
        assert options.get_option_at_index(0).id == "__new__" and options.highlighted == 0
        await pilot.press("enter")
        await settle(app, pilot)
        names = [r[0] for r in two.db.execute(
            "select c.name from codings x join codes c on c.id = x.code_id")]
        assert names == ["Niet verschijnen op afspraken"]


async def test_exact_name_and_abbreviation_apply_the_code(two):  # noqa: F811
    code = codebook.add(two.db, "anna", "Jongeren op straat")
    for typed in ("jongeren OP straat", "jon op str"):
        app = WorkbenchApp(two)
        async with app.run_test(size=SIZE) as pilot:
            options = await _picker(app, pilot, typed)
            assert options.get_option_at_index(0).id == code["id"], typed
            await pilot.press("enter")
            await settle(app, pilot)
        two.db.execute("delete from codings")
        two.db.conn.commit()


async def test_arrows_choose_a_look_alike(two):  # noqa: F811
    code = codebook.add(two.db, "anna", "Jongeren op straat")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        options = await _picker(app, pilot, "jongeren straat hangen")
        assert options.get_option_at_index(0).id == "__new__"
        await pilot.press("down")
        assert options.get_option_at_index(options.highlighted).id == code["id"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert two.db.execute("select code_id from codings").fetchone()[0] == code["id"]
        assert two.db.execute("select count(*) from codes").fetchone()[0] == 1


async def test_the_reader_asks_before_coding_the_interviewers_words(two):  # noqa: F811
    """Issue 24.5: the same check as the CLI (coding.interviewer_turns), then a confirmation."""
    from workbench.tui.screens.dialogs import ChoiceScreen

    codebook.add(two.db, "anna", "Werk")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        await pilot.press("c")  # sentence 0: the interviewer's question
        assert isinstance(app.screen, ChoiceScreen)
        assert "interviewer's words (turn 0)" in str(app.screen.query_one("Label").render())
        await pilot.press("enter")  # the first choice: cancel
        await settle(app, pilot)
        assert app.screen is reader
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 0
        await pilot.press("c")
        app.screen.query_one(OptionList).highlighted = 1  # code it anyway
        await pilot.press("enter")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Werk", "enter")
        await settle(app, pilot)
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 1



async def test_a_name_close_to_a_code_is_asked_about_once(two):  # noqa: F811
    """Issue 16: the reader codes through the CLI's use case (coding.code_span); the picker has
    asked about the close name, so the reader does not warn about it a second time."""
    codebook.add(two.db, "anna", "Jongeren op straat")
    warning = codebook.near_duplicate_warnings(two.db, "Jongeren op strat", "code")[0]
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        options = await _picker(app, pilot, "Jongeren op strat")
        assert options.get_option_at_index(0).id == "__new__"
        await pilot.press("enter")  # the picker: close to an existing code, Enter again
        assert two.db.execute("select count(*) from codes").fetchone()[0] == 1
        await pilot.press("enter")
        await settle(app, pilot)
        shown = [str(n.message) for n in app._notifications]
    assert warning not in shown and any(m.startswith("coded “Jongeren op strat”") for m in shown)
    assert {r[0] for r in two.db.execute("select name from codes")} == {
        "Jongeren op straat", "Jongeren op strat"}
    assert two.db.execute("select count(*) from codings").fetchone()[0] == 1
