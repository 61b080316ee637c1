"""Export works from a new project (issue 24.4): without a survey themes file the chapter has a
section per codebook theme and says so; the survey themes can be made from the codebook (CLI and
export screen), codes linked in the UI, and the screen follows the file and the links."""

from __future__ import annotations

from click.testing import CliRunner

from tests.test_tui_areas import SIZE, settle
from tests.test_tui_snapshots import coded  # noqa: F401  (fixture)
from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.reporting import survey
from workbench.services.reporting.chapter import BY_CODEBOOK_NOTE, preview_chapter
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import ChoiceScreen
from workbench.tui.screens.export import ExportScreen


def test_chapter_without_survey_themes_has_a_section_per_codebook_theme(coded):  # noqa: F811
    assert not survey.has_themes_file(coded)
    text = preview_chapter(coded)
    assert "# T1 Werving" in text and BY_CODEBOOK_NOTE in text
    assert "(Jongerenwerker)" in text and "(Wijkagent)" in text
    runner = CliRunner()
    out = runner.invoke(cli, ["--project", str(coded.root), "export", "chapter"])
    assert out.exit_code == 0, out.output
    assert "no survey themes file" in out.stderr and "--from-codebook" in out.stderr
    assert list(coded.exports_dir.glob("chapter-*.md"))


def test_survey_init_from_the_codebook_writes_and_links(coded):  # noqa: F811
    codebook.add(coded.db, "anna", "Aanpak", kind="theme")
    out = CliRunner().invoke(cli, ["--project", str(coded.root), "survey", "init", "--from-codebook"])
    assert out.exit_code == 0, out.output
    themes = survey.load(coded)
    assert [(t.id, t.title) for t in themes] == [("T1", "Werving"), ("T2", "Aanpak")]
    assert {(r["name"], r["survey_theme_id"]) for r in survey.links(coded.db)} == {
        ("Werving", "T1"), ("Aanpak", "T2")}
    text = preview_chapter(coded)
    assert "# T1 Werving" in text and BY_CODEBOOK_NOTE not in text
    again = CliRunner().invoke(cli, ["--project", str(coded.root), "survey", "init", "--from-codebook"])
    assert again.exit_code == 1 and "exists already" in again.output


async def test_export_screen_makes_survey_themes_links_and_follows_the_file(coded):  # noqa: F811
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot, 0.5)
        screen = app.screen
        assert isinstance(screen, ExportScreen) and screen.by_codebook
        assert [t.id for t in screen.themes] == ["T1"]
        assert "section per codebook theme" in str(screen.query_one("#export-survey-note").render())
        assert "# T1 Werving" in screen.markdown
        await pilot.press("S")
        await settle(app, pilot, 0.5)
        assert survey.has_themes_file(coded) and not screen.by_codebook
        assert [t.id for t in screen.themes] == ["T1"]
        # link a code to the survey theme from the screen
        await pilot.press("L")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"Geld en", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await settle(app, pilot, 0.5)
        assert ("Geld en spullen", "T1") in {(r["name"], r["survey_theme_id"]) for r in survey.links(coded.db)}
        # the file changes outside the UI: the screen follows
        path = survey.themes_path(coded.root)
        path.write_text(path.read_text(encoding="utf-8") + "- id: T9\n  title: Nieuw thema\n",
                        encoding="utf-8")
        await pilot.pause(1.5)
        await settle(app, pilot, 0.3)
        assert [t.id for t in screen.themes] == ["T1", "T9"]
