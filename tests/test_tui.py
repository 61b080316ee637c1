"""Pilot tests of the terminal workbench, one per flow, each checking the database after.

The projects are small and imported with the rule-based pipeline, so no worker keeps the CPU
busy (Pilot waits for idle).
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList
from textual.worker import WorkerCancelled

from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import ChoiceScreen, CodePicker, FieldsScreen, PromptScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.reader import ReaderScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.search import SearchScreen
from workbench.tui.screens.transcripts import TranscriptsScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel

SIZE = (120, 40)


async def settle(app: WorkbenchApp, pilot, delay: float = 0.0) -> None:
    """Let workers (and the debounced codebook reload) finish."""
    await pilot.pause(delay)
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


@pytest.fixture
def two(project, add_transcript):
    add_transcript("INT01")
    add_transcript("INT02", role="wijkagent", turns=[
        ("I", "Wat ziet u op straat?"),
        ("R", "Jongeren die pakketjes rondbrengen. Ze krijgen er geld voor. "
              "Ronselaars benaderen ze op het schoolplein."),
    ], municipality="Rotterdam", domain="Openbare Orde en Veiligheid")
    return project


def sentences(project, tid):
    return list(project.db.query(
        "select idx, start, end, text from sentence_texts where transcript_id = ? order by idx", [tid]))


def index_of(project, tid, prefix) -> int:
    return next(r["idx"] for r in sentences(project, tid) if r["text"].startswith(prefix))


async def goto(pilot, reader, idx: int) -> None:
    """Move the cursor with the keys to sentence ``idx``."""
    await pilot.press(*(["j"] * (idx - reader.view.cursor)))
    assert reader.view.cursor == idx


def panel_names(screen) -> list[str]:
    return [r["name"] for r in screen.query_one(CodebookPanel).rows]


async def open_reader(app, pilot, tid="INT01") -> ReaderScreen:
    app.open_transcript(tid)
    await settle(app, pilot)
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def test_transcripts_screen_lists_and_enter_opens_reader(two):
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TranscriptsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert "coder anna" in app.sub_title and "phase 1/6" in app.sub_title
        assert [str(c) for c in table.get_row_at(0)[:2]] == ["INT01", "Jongerenwerker"]
        assert str(table.ordered_columns[0].label) == "Id"  # the id the CLI takes
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.transcript["id"] == "INT02"
        assert "Ronselaars" in app.screen.view.visible_text()
        await pilot.press("escape")
        assert isinstance(app.screen, TranscriptsScreen)


async def test_progress_column_shows_share_of_sentences_coded(two):
    s = sentences(two, "INT02")
    coding.apply_code(two.db, "anna", "INT02", codebook.add(two.db, "anna", "Geld")["id"],
                      s[1]["start"], s[1]["end"])
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(1)[2].endswith(f"{1 / len(s):4.0%}")
        assert table.get_row_at(0)[2].endswith("0%")


async def test_select_two_sentences_code_with_new_code_then_undo_redo(two):
    s = sentences(two, "INT01")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        k = index_of(two, "INT01", "Ik werk")
        await goto(pilot, reader, k)
        await pilot.press("shift+down", "shift+down")
        assert reader.view.selection == (s[k]["start"], s[k + 1]["end"])
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Werving via sociale media")
        await pilot.press("enter")
        await settle(app, pilot, 0.4)
        assert app.screen is reader
        rows = list(two.db.query("select c.*, k.name from codings c join codes k on k.id = c.code_id"))
        assert [(r["name"], r["coder"], r["start"], r["end"]) for r in rows] == [
            ("Werving via sociale media", "anna", s[k]["start"], s[k + 1]["end"])]
        assert [sp.name for sp in reader.view.own] == ["Werving via sociale media"]
        assert reader.view.selection is None
        assert "Werving via sociale media" in panel_names(reader)
        panel_row = reader.query_one(CodebookPanel).rows[0]
        assert (panel_row["codings"], panel_row["transcripts"]) == (1, 1)

        await pilot.press("u")  # one undo: the coding and the code it created
        await settle(app, pilot, 0.4)
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 0
        assert two.db.execute("select count(*) from codes").fetchone()[0] == 0
        assert reader.view.own == []
        assert "Werving via sociale media" not in panel_names(reader)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 1
        assert two.db.execute("select count(*) from codes").fetchone()[0] == 1
        assert len(reader.view.own) == 1


async def test_picker_lists_recent_codes_first_and_applies_existing(two):
    s = sentences(two, "INT01")
    old = codebook.add(two.db, "anna", "Aanpak school")
    recent = codebook.add(two.db, "anna", "Zorgen ouders")
    coding.apply_code(two.db, "anna", "INT02", recent["id"], 0, 5)
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        await pilot.press("j", "j", "c")  # sentence 2: the respondent's first
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            recent["id"], old["id"]]
        await pilot.press(*"aanpak")  # one word: maybe a new code, so that comes first
        assert options.get_option_at_index(0).id == "__new__"
        assert options.get_option_at_index(1).id == old["id"]
        await pilot.press("down", "enter")  # moving with the arrows is choosing
        await settle(app, pilot)
        row = two.db.execute("select code_id, start, end from codings where transcript_id = 'INT01'").fetchone()
        assert row == (old["id"], s[2]["start"], s[2]["end"])
        assert reader.view.own[0].name == "Aanpak school"


async def test_new_code_close_to_existing_warns_first(two):
    codebook.add(two.db, "anna", "Ronselen via sociale media")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_reader(app, pilot)
        await pilot.press("j", "j", "c", *"Ronselen via social media")
        picker = app.screen
        options = picker.query_one(OptionList)
        assert options.get_option_at_index(options.option_count - 1).id == "__new__"
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        assert app.screen is picker  # warned, not created
        assert "Close to existing" in str(picker.query_one("#picker-hint").render())
        assert two.db.execute("select count(*) from codes").fetchone()[0] == 1
        await pilot.press("enter")
        await settle(app, pilot)
        names = {r[0] for r in two.db.execute("select name from codes")}
        assert names == {"Ronselen via sociale media", "Ronselen via social media"}
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 1


async def test_word_selection_memo_and_remove(two):
    s = sentences(two, "INT01")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        k = index_of(two, "INT01", "Ik werk")
        await goto(pilot, reader, k)
        await pilot.press("shift+right", "shift+right", "shift+right")
        sel = reader.view.selection
        assert two.db.execute("select text from transcripts where id='INT01'").fetchone()[0][
            sel[0]:sel[1]] == "Ik werk al"
        await pilot.press("shift+left")
        await pilot.press("c", *"Ervaring", "enter")
        await settle(app, pilot)
        row = two.db.execute("select id, start, end from codings").fetchone()
        assert (row[1], row[2]) == (s[k]["start"], s[k]["start"] + len("Ik werk"))
        await pilot.press("m")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"tien jaar ervaring", "enter")
        await settle(app, pilot)
        assert two.db.execute("select memo from codings").fetchone()[0] == "tien jaar ervaring"
        await pilot.press("x")
        await settle(app, pilot)
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 0
        assert reader.view.own == []


async def test_other_coder_shown_read_only(two):
    s = sentences(two, "INT01")
    code = codebook.add(two.db, "bram", "Signalen")
    coding.apply_code(two.db, "bram", "INT01", code["id"], s[1]["start"], s[1]["end"])
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        assert reader.view.own == [] and not reader.view.show_other
        await pilot.press("j", "o")
        await settle(app, pilot)
        assert reader.view.show_other
        assert [(sp.coder, sp.name) for sp in reader.view.other] == [("bram", "Signalen")]
        await pilot.press("x")  # not ours: refused, nothing removed
        await settle(app, pilot)
        assert two.db.execute("select count(*) from codings").fetchone()[0] == 1
        await pilot.press("o")
        assert not reader.view.show_other


async def test_codebook_panel_rename_define_move_merge(two):
    theme = codebook.add(two.db, "anna", "Werving", kind="theme")
    a = codebook.add(two.db, "anna", "Online")
    b = codebook.add(two.db, "anna", "Sociale media")
    coding.apply_code(two.db, "anna", "INT01", a["id"], 0, 10)
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one(CodebookPanel)
        panel.focus()
        panel.select_id(a["id"])
        await pilot.pause()
        assert panel.current["id"] == a["id"]
        await pilot.press("r")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"Online ronselen", "enter")
        await settle(app, pilot)
        assert codebook.resolve(two.db, a["id"])["name"] == "Online ronselen"

        await pilot.press("e")
        assert isinstance(app.screen, FieldsScreen)
        await pilot.press(*"Werven via internet", "ctrl+s")
        await settle(app, pilot)
        assert codebook.resolve(two.db, a["id"])["definition"] == "Werven via internet"

        panel.select_id(a["id"])
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"Werving", "enter")
        await settle(app, pilot)
        assert codebook.resolve(two.db, a["id"])["parent_id"] == theme["id"]

        panel.select_id(b["id"])
        await pilot.pause()
        await pilot.press("M", *"Online ronselen", "enter")
        await settle(app, pilot)
        assert two.db.execute("select count(*) from codes where id = ?", [b["id"]]).fetchone()[0] == 0
        assert "Sociale media" not in panel_names(app.screen)



async def test_theme_review_star_quote_and_open_extract(two):
    theme = codebook.add(two.db, "anna", "Werving", kind="theme")
    code = codebook.add(two.db, "anna", "Ronselen", parent=theme["id"])
    s1, s2 = sentences(two, "INT01"), sentences(two, "INT02")
    c1 = coding.apply_code(two.db, "anna", "INT01", code["id"], s1[2]["start"], s1[2]["end"])
    coding.apply_code(two.db, "bram", "INT02", code["id"], s2[3]["start"], s2[3]["end"])
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_review(theme["id"])
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        # By default the coder's own codings, and the header and the pane say so.
        assert [r["transcript_id"] for r in review.rows] == ["INT01"]
        assert "showing anna's codings" in app.sub_title
        cover = str(review.query_one("#coverage").render())
        assert "anna's codings" in cover and "1 extract(s) · 1 interview(s) · 1 respondent(s)" in cover
        assert [(r["name"], r["codings"]) for r in review.query_one(CodebookPanel).rows] == [
            ("Werving", 1), ("Ronselen", 1)]
        await pilot.press("C")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"all coders", "enter")
        await settle(app, pilot, 0.4)
        assert app.screen is review and "showing all coders' codings" in app.sub_title
        assert [r["transcript_id"] for r in review.rows] == ["INT01", "INT02"]
        cover = str(review.query_one("#coverage").render())
        assert "all coders' codings" in cover and "2 extract(s) · 2 interview(s) · 2 respondent(s)" in cover
        assert [r["codings"] for r in review.query_one(CodebookPanel).rows] == [2, 2]
        await pilot.press("C", *"bram", "enter")
        await settle(app, pilot, 0.4)
        assert [r["transcript_id"] for r in review.rows] == ["INT02"] and "bram's codings" in app.sub_title
        app.set_view_coder(None)
        await settle(app, pilot, 0.4)
        extracts = review.query_one("#extracts")
        # The extract that was highlighted stays highlighted when the list is read again.
        assert review._current()["coder"] == "bram"
        extracts.highlighted = extracts.get_option_index(c1["id"])
        extracts.focus()
        await pilot.press("s")
        await settle(app, pilot)
        quotes = list(two.db.query("select coding_id, text from quotes"))
        assert [q["coding_id"] for q in quotes] == [c1["id"]]
        assert "1 starred" in str(review.query_one("#coverage").render())
        quote_text = two.db.execute("select text from quotes").fetchone()[0]
        assert any(f"starred as a quote: “{quote_text}” (Jongerenwerker)" == n.message
                   for n in app._notifications)
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.transcript["id"] == "INT01"
        assert reader.view.selection == (c1["start"], c1["end"])
        await pilot.press("escape", "escape")
        assert app.screen is review
        await pilot.press("s")  # unstar
        await settle(app, pilot)
        assert two.db.execute("select count(*) from quotes").fetchone()[0] == 0


async def test_search_and_jump_to_hit(two):
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"schoolplein")
        await settle(app, pilot)
        search = app.screen
        assert [h.transcript_id for h in search.hits] == ["INT02"]
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.transcript["id"] == "INT02"
        s, e = reader.view.cursor_span
        assert "schoolplein" in reader.view.text[s:e]


async def test_help_palette_phase_and_errors_as_notifications(two):
    codebook.add(two.db, "anna", "Geld")
    codebook.add(two.db, "anna", "Kleding")
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = [app.screen.query_one(DataTable).get_row_at(i)
                for i in range(app.screen.query_one(DataTable).row_count)]
        assert ["Reader: coding", "c", "Code"] in rows
        assert any(r[2] == "Undo" for r in rows)
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.press(*"Set phase 3")
        await settle(app, pilot, 0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert two.get_setting("phase") == "3"
        assert "phase 3/6 Searching for themes" in app.sub_title

        panel = app.screen.query_one(CodebookPanel)
        panel.focus()
        panel.select_id(codebook.resolve(two.db, "Geld")["id"])
        await pilot.pause()
        await pilot.press("r", "ctrl+a", "ctrl+k", *"Kleding", "enter")
        await settle(app, pilot)
        assert codebook.resolve(two.db, "Geld")["name"] == "Geld"
        assert any(n.severity == "error" and "exists already" in n.message
                   for n in app._notifications)


async def test_reader_handles_a_long_transcript(project, add_transcript):
    turns = []
    for n in range(600):
        turns.append(("I", f"Vraag nummer {n}?"))
        turns.append(("R", " ".join(f"Antwoord {n} zin {k} over jongeren en signalen op straat."
                                    for k in range(6))))
    add_transcript("LONG", turns=turns)
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot, "LONG")
        lines = reader.view._layout.lines
        assert len(lines) > 5000
        await pilot.press("G")
        assert "Antwoord 599 zin 5" in reader.view.visible_text()
        await pilot.press("g", "J", "J", "J")
        assert reader.view.sentences[reader.view.cursor][2] == 3
        await pilot.press("shift+down", "c", *"Lang", "enter")
        await settle(app, pilot)
        assert project.db.execute("select count(*) from codings").fetchone()[0] == 1


async def test_click_moves_cursor(two):
    app = WorkbenchApp(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        layout = reader.view._layout
        row = next(i for i, ln in enumerate(layout.lines)
                   if ln.kind == 1 and "Dure kleding" in reader.view.text[ln.start:ln.end])
        await pilot.click(reader.view, offset=(4, row))
        s, e = reader.view.cursor_span
        assert reader.view.text[s:e].startswith("Dure kleding")


def test_layout_wraps_within_width_and_keeps_offsets():
    from workbench.tui.widgets.layout import TEXT, build_layout

    body = "Een heel lang woord: " + "x" * 50 + " en dan\nnog een regel met woorden."
    text = "Vraag?\n\n" + body
    turns = [{"idx": 0, "start": 0, "end": 6}, {"idx": 1, "start": 8, "end": len(text)}]
    layout = build_layout(text, turns, 20)
    rows = [ln for ln in layout.lines if ln.kind == TEXT]
    assert all(ln.end - ln.start <= 20 for ln in rows)
    shown = "".join(text[ln.start:ln.end] for ln in rows)
    assert "".join(shown.split()) == "".join(text.split())  # nothing lost or repeated
    assert [text[ln.start:ln.end] for ln in rows][1:4] == [
        "Een heel lang woord:", "x" * 20, "x" * 20]
    for ln in rows:
        assert layout.row_of_offset(ln.start) == layout.lines.index(ln)
