"""Pilot tests for the map, matrix and progress screens, in a tiny host app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_visual_data import build_demo
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, Tree

from workbench.services.codebook import codes as codebook
from workbench.services.visual.matrix import build_matrix, cell_extracts
from workbench.tui.visual.map_view import MapScreen
from workbench.tui.visual.matrix_view import ExtractsModal, MatrixScreen
from workbench.tui.visual.progress_view import ProgressScreen

REPO = Path(__file__).resolve().parent.parent


class Host(App[None]):
    """Pushes one screen; records what the screens ask the workbench app to open."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.first = screen
        self.opened: list[tuple] = []

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def open_transcript(self, tid: str, *, offset: int | None = None, end: int | None = None) -> None:
        self.opened.append(("transcript", tid, offset, end))


@pytest.fixture
def demo(project, add_transcript):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    return project, build_demo(project, add_transcript)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def tree_nodes(tree: Tree):
    stack = [tree.root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def parent_of(tree: Tree, node_id: str) -> str | None:
    for node in tree_nodes(tree):
        if node.data and node.data["id"] == node_id:
            return node.parent.data["id"] if node.parent and node.parent.data else None
    raise KeyError(node_id)


async def test_map_view_shows_every_code_under_its_theme_and_follows_moves(demo, monkeypatch):
    project, info = demo
    screen = MapScreen(project, "anna")
    app = Host(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        tree = screen.query_one(Tree)
        code_nodes = [n for n in tree_nodes(tree) if n.data and n.data["kind"] == "code"]
        assert sorted(n.data["id"] for n in code_nodes) == sorted(
            r[0] for r in project.db.execute("select id from codes where kind = 'code'"))
        listed = {r["id"]: r for r in codebook.list_codebook(project.db)}
        for n in code_nodes:
            assert parent_of(tree, n.data["id"]) == (listed[n.data["id"]]["parent_id"] or "(no theme)")
            assert n.label.plain.split("  ")[1] == str(listed[n.data["id"]]["transcripts"])
        assert any(n.data and n.data["id"] == "survey:4.3" for n in tree_nodes(tree))

        # a move elsewhere in the app: the map shows it when the app asks it to refresh
        drugs, dwang = info["codes"]["Drugsrunnen"], info["themes"]["Dwangmiddelen"]
        builds = screen.builds
        codebook.move(project.db, "anna", drugs, dwang)
        screen.refresh_data()
        for _ in range(30):
            await pilot.pause(0.1)
            await settle(pilot)
            if screen.builds > builds:
                break
        assert parent_of(tree, drugs) == dwang

        # the details pane follows the cursor
        node = next(n for n in tree_nodes(tree) if n.data and n.data["id"] == dwang)
        tree.move_cursor(node)
        await pilot.pause()
        details = str(screen.query_one("#map-details", Static).render())
        assert "Dwangmiddelen" in details and "4.4" in details

        # co-occurrence shown on request, as children of codes
        await pilot.press("minus", "c")
        await settle(pilot)
        assert screen.min_count == 1
        assert screen.show_cooccurrence, "the key reached the screen"
        assert screen.map.cooccurrence, f"pairs in >= {screen.min_count} interviews"
        assert any(n.data and n.data["kind"] == "cooccurrence" for n in tree_nodes(tree))


async def test_map_view_refreshes_on_resume(demo):
    project, info = demo
    screen = MapScreen(project, "anna")
    app = Host(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.push_screen(Screen())
        await pilot.pause()
        codebook.rename(project.db, "anna", info["themes"]["Dwangmiddelen"], "Dwang en drang")
        screen.stale = True  # what the workbench app does for the screens below a change
        app.pop_screen()
        await settle(pilot)
        labels = [n.label.plain for n in tree_nodes(screen.query_one(Tree))]
        assert any(label.startswith("Dwang en drang") for label in labels)
        screen.refresh_map()  # the public hook rebuilds too
        await settle(pilot)


async def test_matrix_view_table_and_extracts_behind_a_cell(demo):
    project, _info = demo
    screen = MatrixScreen(project, "anna", count="extracts")
    app = Host(screen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = screen.query_one(DataTable)
        m = build_matrix(project.db, by="respondent", count="extracts")
        assert table.row_count == len(m.rows)
        assert len(table.columns) == len(m.columns) + 2  # label + columns + total
        for i in range(len(m.rows)):
            for j in range(len(m.columns)):
                cell = table.get_cell_at((i, j + 1)).plain.strip()
                assert cell == (str(m.cells[i][j]) if m.cells[i][j] else "·")
        # the shading darkens with the value
        i, j = max(((i, j) for i in range(len(m.rows)) for j in range(len(m.columns))),
                   key=lambda ij: m.cells[ij[0]][ij[1]])
        assert " on #" in str(table.get_cell_at((i, j + 1)).style)

        table.move_cursor(row=i, column=j + 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExtractsModal)
        options = app.screen.query_one(OptionList)
        want = cell_extracts(project.db, m, i, j)
        enabled = [options.get_option_at_index(k) for k in range(options.option_count)
                   if not options.get_option_at_index(k).disabled]
        assert [o.id for o in enabled] == [r["id"] for r in want]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        first = want[0]
        assert app.opened == [("transcript", first["transcript_id"], first["start"], first["end"])]

        # switching to the co-occurrence matrix and opening an off-diagonal cell
        await pilot.press("b", "b", "b")
        await settle(pilot)
        assert screen.matrix.by == "code"
        mc = screen.matrix
        i, j = next((i, j) for i in range(len(mc.rows)) for j in range(len(mc.columns))
                    if i != j and mc.cells[i][j])
        table.move_cursor(row=i, column=j + 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExtractsModal)
        assert mc.columns[j].label in app.screen.heading
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and len(app.opened) == 1


async def test_matrix_label_column_opens_nothing(demo):
    project, _info = demo
    screen = MatrixScreen(project, "anna")
    app = Host(screen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen.query_one(DataTable).move_cursor(row=0, column=0)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen


async def test_progress_view(demo):
    project, _info = demo
    screen = ProgressScreen(project, "anna")
    app = Host(screen)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(k)] for k in range(table.row_count)]
        assert rows[0][1] == "1 Familiarising" and rows[0][0] == "✓"
        assert any("2 of 21 codes not in a theme" in r[2] for r in rows)
        assert rows[-1][1] == "Agreement" and rows[-1][0] == "·"


async def test_the_app_refreshes_the_shown_screen_and_marks_the_others_stale(demo):
    """One way to learn that data changed: a write the screen was not told of (here through the
    window's own connection, as a forgotten notice would be) reaches the screen shown within
    the app's follow tick; a screen below is marked stale and rebuilds when shown again."""
    from workbench.tui.app import WorkbenchApp

    project, info = demo
    app = WorkbenchApp(project, "anna")
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.action_area("matrix")
        await settle(pilot)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        app.action_area("map")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MapScreen)
        tree = screen.query_one(Tree)
        drugs, dwang = info["codes"]["Drugsrunnen"], info["themes"]["Dwangmiddelen"]
        assert parent_of(tree, drugs) != dwang
        codebook.move(project.db, "anna", drugs, dwang)  # no data_changed: the follow sees it
        for _ in range(40):
            await pilot.pause(0.1)
            await settle(pilot)
            if parent_of(tree, drugs) == dwang:
                break
        assert parent_of(tree, drugs) == dwang
        assert matrix.stale, "the screen below learns it is out of date"
        app.pop_screen()
        await settle(pilot)
        assert app.screen is matrix and not matrix.stale
