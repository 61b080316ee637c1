"""Survey themes and figures: loading in report order, clear errors with file and line, and
links from codebook themes/codes that can be undone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import NotFoundError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.reporting import survey
from workbench.store.changes import undo_last

REPO = Path(__file__).resolve().parent.parent
DOMAIN_TITLES = [
    "Vermoedens van criminele uitbuiting", "Vormen van gedwongen criminaliteit",
    "Locaties van werven en ronselen", "Modus operandi: ronselen en dwangmiddelen",
    "Kenmerken van vermoedelijke slachtoffers", "Vermoedelijke daders",
    "Overlap van criminele en seksuele uitbuiting", "Invloed coronamaatregelen",
    "Kennis en bewustwording", "Werkwijze", "Kansen in signalering en aanpak",
]


def test_repository_survey_themes_cover_the_report_in_order() -> None:
    themes = survey.load(REPO)
    assert [t.title for t in themes] == DOMAIN_TITLES
    assert themes[9].id == "4.10"  # kept as written, not the number 4.1
    first = themes[0]
    assert first.items and first.figures
    assert first.figures[0].formatted() == "53% (n=434 van 821)"


def test_figure_percent_rounds_half_up() -> None:
    assert survey.Figure("x", "s", 1, 8).percent == 13  # 12.5
    assert survey.Figure("x", "s", 434, 821).formatted() == "53% (n=434 van 821)"


def test_order_key_moves_a_theme(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text('survey_themes:\n  - id: "1"\n    title: Een\n  - id: "2"\n    title: Twee\n    order: -1\n', encoding="utf-8")
    assert [t.id for t in survey.load_themes(p)] == ["2", "1"]


@pytest.mark.parametrize("text, line, fragment", [
    ('survey_themes:\n  - id: "4.1"\n    title: A\n  - id: "4.1"\n    title: B\n', 4, "duplicate survey theme id '4.1'"),
    ('survey_themes:\n  - id: "4.1"\n    title: A\n  - id: "4.2"\n', 4, "'4.2' has no title"),
    ('survey_themes:\n  - title: A\n', 2, "without an id"),
    ('survey_themes:\n  - id: "4.1"\n    title: A\n    order: first\n', 4, "must be a number"),
    ('survey_themes:\n  - id: "4.1"\n    titel: A\n', 2, "unknown key"),
    ('survey_themes: [\n', 2, "not valid YAML"),
])
def test_bad_themes_file_names_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = tmp_path / "survey_themes.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        survey.load_themes(p)
    assert info.value.path == p and info.value.line == line
    assert fragment in str(info.value) and "survey_themes.yaml, line" in str(info.value)


@pytest.mark.parametrize("row, fragment", [
    ("4.1,Iets,abc,821", "n must be a whole number"),
    ("4.1,Iets,900,821", "larger than the base"),
    ("4.1,Iets,1,0", "base must be above 0"),
    ("9.9,Iets,1,10", "unknown survey theme '9.9'"),
    ("4.1,,1,10", "no statement"),
])
def test_bad_figures_name_file_and_line(tmp_path: Path, row: str, fragment: str) -> None:
    themes = [survey.SurveyTheme("4.1", "A")]
    p = tmp_path / "survey_figures.csv"
    p.write_text(f"# fictief\nsurvey_theme_id,statement,n,base\n4.1,Goed,1,2\n{row}\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        survey.load_figures(p, themes)
    assert info.value.line == 4 and fragment in str(info.value)


def test_figures_accept_thousands_and_semicolons(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_text("survey_theme_id;statement;n;base\n4.1;Alle professionals;1.637;1.637\n", encoding="utf-8")
    (f,) = survey.load_figures(p, [survey.SurveyTheme("4.1", "A")])
    assert (f.n, f.base, f.formatted()) == (1637, 1637, "100% (n=1637 van 1637)")


def test_link_unlink_undo(project) -> None:
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    db = project.db
    theme = codebook.add(db, "anna", "Werving", kind="theme")
    themes = survey.load(project)
    survey.link(db, "anna", "Werving", "4.3", themes=themes)
    survey.link(db, "anna", "werving", "4.4", themes=themes)
    assert {r["survey_theme_id"] for r in survey.links(db)} == {"4.3", "4.4"}
    changes = db.execute("select count(*) from changes").fetchone()[0]
    again = survey.link(db, "anna", "Werving", ["4.3"], themes=themes)  # twice: nothing to do
    assert (again.done, again.unchanged) == ([], ["4.3"])
    assert db.execute("select count(*) from changes").fetchone()[0] == changes  # nothing recorded
    with pytest.raises(NotFoundError, match="no survey theme '9.9'"):
        survey.link(db, "anna", "Werving", ["4.5", "9.9"], themes=themes)
    assert {r["survey_theme_id"] for r in survey.links(db)} == {"4.3", "4.4"}  # 4.5 not linked either
    survey.unlink(db, "anna", "Werving", "4.3")
    assert [r["survey_theme_id"] for r in survey.links(db)] == ["4.4"]
    undo_last(db, "anna")
    assert {r["survey_theme_id"] for r in survey.links(db)} == {"4.3", "4.4"}
    assert survey.linked_codes(db, "4.3")[0]["id"] == theme["id"]


def test_cli_survey_link_list_unlink(project) -> None:
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    shutil.copy(REPO / "codebooks" / "survey_figures.csv", project.codebooks_dir)
    codebook.add(project.db, "anna", "Signalen", kind="theme")
    runner = CliRunner()
    base = ["--project", str(project.root)]
    res = runner.invoke(cli, [*base, "survey", "link", "Signalen", "4.1", "4.9"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, [*base, "survey", "list", "--json"])
    data = {t["id"]: t for t in json.loads(res.output)}
    assert [link["name"] for link in data["4.1"]["links"]] == ["Signalen"]
    assert data["4.1"]["figures"][0]["text"] == "53% (n=434 van 821)"
    res = runner.invoke(cli, [*base, "survey", "list"])
    assert "4.1    Vermoedens van criminele uitbuiting" in res.output and "-> theme Signalen" in res.output
    res = runner.invoke(cli, [*base, "survey", "link", "Signalen", "12.1"])
    assert res.exit_code != 0 and "no survey theme '12.1'" in res.output
    res = runner.invoke(cli, [*base, "survey", "unlink", "Signalen", "4.9"])
    assert res.exit_code == 0
    assert [r["survey_theme_id"] for r in survey.links(project.db)] == ["4.1"]


def test_missing_themes_file_is_a_clear_error(project) -> None:
    res = CliRunner().invoke(cli, ["--project", str(project.root), "survey", "list"])
    assert res.exit_code != 0 and "survey_themes.yaml" in res.output and "no survey themes file" in res.output


def test_cli_link_twice_is_a_no_op_and_names_the_theme(project) -> None:
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", project.codebooks_dir)
    theme = codebook.add(project.db, "anna", "Signalen", kind="theme")
    base = ["--project", str(project.root)]
    runner = CliRunner()
    res = runner.invoke(cli, [*base, "survey", "link", "Signalen", "4.1"])
    assert res.exit_code == 0, res.output
    assert f"linked theme 'Signalen' ({theme['id']}) to survey theme 4.1 Vermoedens" in res.output
    res = runner.invoke(cli, [*base, "survey", "link", "Signalen", "4.1", "4.9"])
    assert res.exit_code == 0, res.output
    assert "already linked to survey theme 4.1" in res.output and "nothing to do" in res.output
    assert "linked theme 'Signalen'" in res.output and "4.9 Kennis en bewustwording" in res.output
    res = runner.invoke(cli, [*base, "survey", "unlink", "Signalen", "4.9"])
    assert res.exit_code == 0 and f"unlinked theme 'Signalen' ({theme['id']}) from survey theme 4.9" in res.output
    assert [r["survey_theme_id"] for r in survey.links(project.db)] == ["4.1"]


def test_missing_file_explains_the_format_and_survey_init_writes_a_template(project) -> None:
    base = ["--project", str(project.root)]
    runner = CliRunner()
    res = runner.invoke(cli, [*base, "survey", "list"])
    assert res.exit_code == 1
    assert "survey_themes:" in res.output and '- id: "4.1"' in res.output and "title:" in res.output
    assert "workbench survey init" in res.output
    res = runner.invoke(cli, [*base, "survey", "init"])
    assert res.exit_code == 0, res.output
    path = project.codebooks_dir / "survey_themes.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "survey_figures.csv" in text
    assert [t.id for t in survey.load(project)] == ["1.1", "1.2"]  # the template loads as it is
    path.write_text(text.replace("Tweede thema", "Mijn thema"), encoding="utf-8")
    res = runner.invoke(cli, [*base, "survey", "init"])
    assert res.exit_code == 1 and "exists already" in res.output
    assert "Mijn thema" in path.read_text(encoding="utf-8")  # never overwritten


@pytest.mark.parametrize("text, line, fragment", [
    ('survey_themes:\n  - id: "4.1"\n    title: A\n    title: B\n', 4, "'title' appears twice"),
    ('survey_themes:\n  - id: "4.1"\n    title: "a\\x07b"\n', 3, "control characters (U+0007)"),
    ('survey_themes:\n  - id: "4.1"\n    title: A\n    items: ["V\\x00"]\n', 4, "control characters"),
])
def test_duplicate_keys_and_control_characters_are_refused(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = tmp_path / "survey_themes.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        survey.load_themes(p)
    assert info.value.line == line and fragment in info.value.message


@pytest.mark.parametrize("text, line, fragment", [
    ("survey_theme_id,statement,n,base\n4.1,Iets,4,821,99\n", 2, "5 cells but the header has 4 columns"),
    ("survey_theme_id,statement,n,n,base\n4.1,Iets,4,5,821\n", 1, "column(s) n twice"),
    ("survey_theme_id,statement,n,base\n4.1,Iets\x07,4,821\n", 2, "control characters"),
])
def test_figures_with_extra_cells_or_a_column_twice_are_refused(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = tmp_path / "survey_figures.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        survey.load_figures(p, [survey.SurveyTheme("4.1", "A")])
    assert info.value.line == line and fragment in info.value.message


def test_figures_with_trailing_empty_cells_load(tmp_path: Path) -> None:
    p = tmp_path / "survey_figures.csv"
    p.write_text("survey_theme_id,statement,n,base,\n4.1,Iets,4,821,\n", encoding="utf-8")
    assert [f.n for f in survey.load_figures(p, [survey.SurveyTheme("4.1", "A")])] == [4]
