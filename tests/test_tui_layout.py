"""Pilot tests of how the workbench's screens use the terminal: the codebook panel's width and
labels at several sizes, a footer that is never cut at 120 columns, the numbers in the reader's
status line (the ones the CLI takes), and the codebook import from the UI (.yaml and .qdc).

They run on the sample project (real names, two coders), so long names are tested as users
see them.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey
from textual.worker import WorkerCancelled

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.reader import ReaderScreen
from workbench.tui.widgets.codebook_panel import CodebookPanel, counts_text


async def settle(app: WorkbenchApp, pilot, delay: float = 0.0) -> None:
    await pilot.pause(delay)
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def panel_lines(panel: CodebookPanel) -> list[tuple[dict, str]]:
    """(row, the line as the user sees it: left of the scrollbar) for every node shown."""
    out = []
    visible = panel.scrollable_content_region.width
    for y in range(len(panel._tree_lines)):
        node = panel._tree_lines[y].node
        text = "".join(seg.text for seg in panel._render_line(y, 0, panel.size.width,
                                                               panel.rich_style))
        out.append((node.data, text[:visible]))
    return out


# -- the codebook panel --------------------------------------------------------------------------

@pytest.mark.parametrize("width", [100, 120, 140, 200])
async def test_codebook_panel_width_names_and_counts(sample_project, width):
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot, 0.4)
        panel = app.screen.query_one(CodebookPanel)
        table = app.screen.query_one(DataTable)
        # A sensible share of the screen: never the old 26 columns, never most of it.
        assert 36 <= panel.outer_size.width <= 60
        assert panel.outer_size.width <= width * 0.4
        # The transcript table: the id, the label and every coder's progress in view.
        assert table.size.width >= width - 61
        progress = [c for c in table.ordered_columns if str(c.key.value).startswith("coder:")]
        assert progress and [str(c.label) for c in table.ordered_columns[:2]] == ["Id", "Label"]
        right = sum(c.get_render_width(table) for c in table.ordered_columns[:2 + len(progress)])
        assert right <= table.scrollable_content_region.width
        lines = panel_lines(panel)
        assert len(lines) > 10
        cut = 0
        for row, line in lines:
            if not row:
                continue
            counts = counts_text(row)
            # The counts always show, right-aligned at the panel's edge.
            assert line.rstrip().endswith(counts), (line, counts)
            if row["name"] not in line:
                cut += 1
                assert "…" in line
        # No horizontal scrolling: every line fits beside the scrollbar.
        assert not panel.show_horizontal_scrollbar
        assert panel.show_vertical_scrollbar  # the sample's codebook is longer than the screen
        names = [r["name"] for r in panel.rows]
        if width >= 140:
            assert cut == 0, "at 140 columns and more every name shows in full"
            assert any(len(n) >= 30 for n in names)
        else:
            assert cut < len(names) / 2


async def test_codebook_panel_in_reader_and_review_fits(sample_project):
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("INT01")
        await settle(app, pilot, 0.4)
        reader = app.screen
        panel = reader.query_one(CodebookPanel)
        assert 30 <= panel.outer_size.width <= 50
        assert reader.view.text_width >= 55  # the transcript keeps a readable line length
        for row, line in panel_lines(panel):
            if row:
                assert line.rstrip().endswith(counts_text(row))
        await pilot.press("v")
        await settle(app, pilot, 0.4)
        panel = app.screen.query_one(CodebookPanel)
        assert 36 <= panel.outer_size.width <= 60
        assert all(line.rstrip().endswith(counts_text(row))
                   for row, line in panel_lines(panel) if row)


# -- the footer ------------------------------------------------------------------------------------

def footer_problems(screen, width: int) -> list[str]:
    """Footer keys that do not fit whole left of the palette key."""
    keys = [k for k in screen.query(FooterKey) if "-command-palette" not in k.classes]
    palette = [k for k in screen.query(FooterKey) if "-command-palette" in k.classes]
    limit = palette[0].region.x if palette else width
    return [f"{k.key} {k.description} ends at {k.region.right} > {limit}"
            for k in keys if k.region.right > limit or k.region.width == 0]


def footer_keys(screen) -> list[str]:
    """What the footer shows, by description, in order."""
    return [k.description for k in screen.query(FooterKey)
            if "-command-palette" not in k.classes]


async def test_footer_fits_at_120_columns_on_every_screen(sample_project):
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)

        async def check(name: str, first: list[str]) -> None:
            await settle(app, pilot, 0.2)
            assert footer_problems(app.screen, 120) == [], name
            keys = footer_keys(app.screen)
            assert keys[: len(first)] == first, (name, keys)
            assert "Keys" in keys and "Undo" in keys, (name, keys)

        await check("transcripts", [])
        assert {"Map", "Agreement", "Export", "Audit"} <= set(footer_keys(app.screen))  # the areas, on the first screen
        app.open_transcript("INT01")
        await check("reader", ["Turn", "Select", "Code"])
        await pilot.press("v")
        await check("review", ["Rename", "Definition"])
        for key, first in [("3", ["Co-occurrence"]), ("4", ["Columns"]), ("5", ["Coders"]),
                           ("6", ["Write chapter"]), ("7", ["Dismiss", "Placeholder"]),
                           ("8", ["Refresh"])]:
            await pilot.press(key)
            await check(f"area {key}", first)
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("enter")  # disagreements
        await check("disagreements", ["Keep A", "Keep B"])


# -- the reader's numbers ----------------------------------------------------------------------------

async def test_reader_status_shows_the_numbers_the_cli_takes(sample_project):
    db = sample_project.db
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("INT01")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press(*["j"] * 14)
        await pilot.pause()
        status = str(reader.query_one("#status").render())
        idx, turn = db.execute(
            "select idx, turn_idx from sentences where transcript_id = 'INT01' order by idx "
            "limit 1 offset 14").fetchone()
        assert idx == 14
        assert status.startswith(f"s{idx} of {reader.view.sentence_numbers.__len__()} · turn {turn}")
        # The same numbers the CLI shows and takes: `workbench show INT01 --sentences`.
        start, end = reader.view.cursor_span
        assert db.execute("select start, end from sentences where transcript_id = 'INT01' "
                          "and idx = ?", [idx]).fetchone() == (start, end)
        await pilot.press("J")  # next turn: its first sentence
        await pilot.pause()
        s, _e, t = reader.view.sentences[reader.view.cursor]
        first = db.execute("select min(idx) from sentences where transcript_id = 'INT01' "
                           "and turn_idx = ?", [t]).fetchone()[0]
        assert str(reader.query_one("#status").render()).startswith(f"s{first} of ")


# -- codebook import from the UI: .qdc too ------------------------------------------------------------

async def test_codebook_import_from_the_ui_reads_a_qdc(sample_project, project, tmp_path):
    """A REFI-QDA codebook from another project: planned, shown, applied as one change."""
    from textual.widgets import Input

    from workbench.services.exchange.codebook import write_qdc
    from workbench.tui.screens.dialogs import PromptScreen
    from workbench.tui.screens.imports import CodebookImportScreen

    qdc = tmp_path / "other tool.qdc"
    write_qdc(sample_project.db, qdc)
    names = {r["name"] for r in sample_project.db.query("select name from codes")}
    db = project.db
    assert db.execute("select count(*) from codes").fetchone()[0] == 0
    app = WorkbenchApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Import codebook")
        await settle(app, pilot, 0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = f'"{qdc}"'  # quoted: the name has a space
        await pilot.press("enter")
        await settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, CodebookImportScreen), [n.message for n in app._notifications]
        assert len(modal.plan.adds) == len(names) and not modal.plan.conflicts
        assert db.execute("select count(*) from codes").fetchone()[0] == 0  # nothing yet
        await pilot.press("enter")
        await settle(app, pilot)
        assert {r["name"] for r in db.query("select name from codes")} == names, [n.message for n in app._notifications]
        assert db.execute("select count(*) from changes").fetchone()[0] == 1
        await pilot.press("u")  # one recorded change: undone at once
        await settle(app, pilot)
        assert db.execute("select count(*) from codes").fetchone()[0] == 0


async def test_codebook_import_refuses_other_files_by_name(project, tmp_path):
    bad = tmp_path / "codes.txt"
    bad.write_text("Werving\n", encoding="utf-8")
    app = WorkbenchApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        from workbench.tui.screens.imports import plan_codebook_import

        plan_codebook_import(app, bad)
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any(".qdc" in m and "codes.txt" in m for m in messages), messages
        assert project.db.execute("select count(*) from codes").fetchone()[0] == 0


# -- the palette --------------------------------------------------------------------------------------

async def test_empty_palette_lists_the_workbench_actions_not_widget_keys(sample_project):
    from textual.command import CommandList, CommandPalette

    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("INT01")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot, 0.5)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(CommandList)
        titles = [str(options.get_option_at_index(i).prompt).split("\n")[0]
                  for i in range(options.option_count)]
        assert any(t.startswith("Code") for t in titles), titles
        assert any(t.startswith("Import codebook file") for t in titles), titles
        assert sum(t.startswith("Keys") for t in titles) == 1, titles  # ours, not Textual's too
        assert not {"Up", "Down", "Quit the application"} & {t.strip() for t in titles}


# -- the other areas at 120 columns ----------------------------------------------------------------------

async def test_areas_fit_120_columns_matrix_audit_dashboard(sample_project):
    db = sample_project.db
    text = db.execute("select text from transcripts where id = 'INT07'").fetchone()[0]
    at = text.index("Jongens")
    with db.atomic():  # a long category name and a long label: the table still fits
        db["audit_flags"].insert({"id": "flag0001", "transcript_id": "INT07", "start": at,
                                  "end": at + 7, "category": "social_handle", "text": "Jongens",
                                  "source": "test", "decision": "open"})
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")  # matrix: the highlighted cell in words, with the code's theme
        await settle(app, pilot)
        status = str(app.screen.query_one("#matrix-status").render())
        m = app.screen.matrix
        assert status.startswith(f"{m.rows[0].label} (theme {m.rows[0].group}) × "
                                 f"{m.columns[0].label}: {m.cells[0][0]} ")
        label_column = app.screen.query_one(DataTable).ordered_columns[0]
        assert label_column.get_render_width(app.screen.query_one(DataTable)) <= 42

        await pilot.press("7")  # audit: readable categories, every column on screen
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row("flag0001")[0]) == "social-media-naam"
        assert table.virtual_size.width <= table.scrollable_content_region.width
        context = str(table.get_row("flag0001")[2])
        assert "»Jongens«" in context

        await pilot.press("8")  # dashboard: long lines wrap instead of running off the screen
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_typing_in_the_notes_takes_the_letter_keys_out_of_the_footer(sample_project):
    app = WorkbenchApp(sample_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_transcript("INT01")
        await settle(app, pilot)
        assert "Search" in footer_keys(app.screen)
        await pilot.press("N")
        await settle(app, pilot)
        keys = footer_keys(app.screen)
        assert "Save notes" in keys and not {"Search", "Keys", "Undo"} & set(keys)
        await pilot.press(*"u/?")
        assert app.screen.query_one("#memo-text").text == "u/?"
