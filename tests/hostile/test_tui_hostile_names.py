"""Issue 15: the terminal UI with names that look like markup or hold odd characters.

Code names, theme names, roles, municipalities, memos and labels such as ``[/bold]`` or
``[link=x]`` are text, never Rich markup: every main screen and area opens and renders them
without a crash, and shows them as written.
"""

from __future__ import annotations

import pytest

from tests.test_tui import SIZE, open_reader, settle
from workbench.services.codebook import codes as codebook
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.tui.app import WorkbenchApp

HOSTILE = ["[/bold]", "[link=file:///etc/passwd]klik[/link]", "[b]vet", "\\[x]", "a]b[c", "[@click=app.quit]q[/]"]


@pytest.fixture
def odd(project, add_transcript):
    add_transcript("INT01", role='"[/wijk]agent"', municipality='"[red]Utrecht"')
    theme = codebook.add(project.db, "anna", "[/thema]", kind="theme")
    ids = [codebook.add(project.db, "anna", name, parent=theme["id"])["id"] for name in HOSTILE]
    for n, cid in enumerate(ids):
        coding.apply_code(project.db, "anna", "INT01", cid, n, n + 20)
        coding.apply_code(project.db, "bram", "INT01", cid, n, n + 20)
    memos.add(project.db, "anna", "transcript", "INT01", "[/memo] en [b]meer")
    return project


async def test_every_screen_renders_markup_like_names_as_text(odd):
    app = WorkbenchApp(odd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await open_reader(app, pilot)
        assert reader is app.screen
        from workbench.tui.widgets.codebook_panel import CodebookPanel

        panel = reader.query_one(CodebookPanel)
        labels = []

        def walk(node):
            labels.append(str(node.label))
            for child in node.children:
                walk(child)

        walk(panel.root)
        text = "\n".join(labels)
        for name in HOSTILE:  # as written, not as styles
            assert name.replace("\\[", "[") in text or name in text, name
        await pilot.press("escape")
        await settle(app, pilot)
        for key in ["v", "slash", "escape", "1", "2", "3", "4", "5", "6", "t"]:
            await pilot.press(key)
            await settle(app, pilot, 0.1)
        assert app.is_running
