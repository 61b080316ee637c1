"""Issue 15: every YAML the workbench reads goes through one bounded reader.

Each reader (front matter, sidecar, codebook, codings, survey themes, prevalence thresholds,
the visual survey source) gets the same hostile inputs, generated here: an alias bomb, nesting
20,000 levels deep, impossible dates, a number Python cannot hold, a Python tag. Each must end
at once with a WorkbenchError naming the file and line, and change nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.yamlfile import MAX_DEPTH, load, load_located


def finishes(fn: Callable[[], object], within: float = 120) -> object:
    """Run ``fn`` in a thread; fail (instead of hanging the suite) if it never returns."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(within)
    assert not t.is_alive(), "the reader never finished (a hang)"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def alias_bomb(key: str = "x") -> str:
    """The 'billion laughs': 9 levels of 9 aliases, 1.4 KB of text, 387 million leaves."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        refs = ",".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    lines.append(f"{key}: *a9")
    return "\n".join(lines) + "\n"


DEEP = "x: " + "[" * 20_000 + "]" * 20_000 + "\n"
# Readers that keep nodes (codebook, codings, survey themes) report a tag or a number where
# they expect a list or a mapping as a structure error; these three they must name as such.
EXPANDING = ("alias bomb", "deep nesting", "merge key")
HOSTILE = {
    "alias bomb": (alias_bomb(), "alias"),
    "deep nesting": (DEEP, "nested more than"),
    "python tag": ("x: !!python/object/apply:os.system ['true']\n", "tag"),
    "huge number": ("x: " + "9" * 5000 + "\n", "not understood"),
    "merge key": ("base: &b {a: 1}\nx:\n  <<: *b\n", "alias"),
}


# -- the reader itself --------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_reader_refuses_hostile_yaml_at_once(name):
    text, message = HOSTILE[name]
    with pytest.raises(WorkbenchError) as info:
        finishes(lambda: load(text, "f.yaml"))
    assert message in str(info.value)
    assert info.value.path == Path("f.yaml")
    assert info.value.line is not None


def test_nesting_up_to_the_bound_is_read():
    depth = MAX_DEPTH - 1
    assert load("[" * depth + "1" + "]" * depth, "f.yaml") is not None
    with pytest.raises(WorkbenchError, match="nested more than"):
        load("[" * (MAX_DEPTH + 1) + "1" + "]" * (MAX_DEPTH + 1), "f.yaml")


def test_dates_stay_as_written_and_lines_count_from_the_block():
    data, lines = load_located("id: X\n\ndatum: 2021-13-01\n", "f.md", first_line=5)
    assert data == {"id": "X", "datum": "2021-13-01"}
    assert lines == {"id": 5, "datum": 7}
    with pytest.raises(WorkbenchError) as info:
        load("a: 1\nb: [\n", "f.md", first_line=10)
    assert info.value.line is not None and info.value.line >= 11


def test_a_key_given_twice_names_both_lines():
    with pytest.raises(WorkbenchError, match=r"appears twice \(first on line 1\)") as info:
        load("rol: a\ngemeente: b\nrol: c\n", "f.yaml")
    assert info.value.line == 3


def test_a_file_over_the_size_limit_is_refused_unread():
    with pytest.raises(WorkbenchError, match="too large"):
        load("x: 1\n" * 10, "f.yaml", max_chars=20)


# -- every reader, through the command a researcher runs -------------------------------------

def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


FRONT = "---\nid: {tid}\nrol: jongerenwerker\n{extra}---\nI: Vraag?\nR: Antwoord van {tid}.\n"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_front_matter_in_a_folder_import(project, tmp_path, name):
    """The bad file is reported with its line; the other files of the folder are imported."""
    text, message = HOSTILE[name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.txt").write_text(FRONT.format(tid="A", extra=""), encoding="utf-8")
    (folder / "B.txt").write_text(FRONT.format(tid="B", extra=text), encoding="utf-8")
    (folder / "C.txt").write_text(FRONT.format(tid="C", extra=""), encoding="utf-8")
    result = finishes(lambda: run(project, "import", str(folder)))
    assert result.exit_code != 0
    assert "B.txt, line" in result.output and message in result.output
    ids = {r[0] for r in project.db.execute("select id from transcripts")}
    assert ids == {"A", "C"}


@pytest.mark.parametrize(("value", "line"), [("2021-13-01", 5), ("2021-02-30", 5), ("2021", 5)])
def test_an_impossible_date_names_its_own_line(project, tmp_path, value, line):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.txt").write_text(FRONT.format(tid="A", extra=f"gemeente: Utrecht\ndatum: {value}\n"),
                                  encoding="utf-8")
    (folder / "B.txt").write_text(FRONT.format(tid="B", extra=""), encoding="utf-8")
    result = run(project, "import", str(folder))
    assert result.exit_code != 0
    assert f"A.txt, line {line}:" in result.output and value in result.output
    assert [r[0] for r in project.db.execute("select id from transcripts")] == ["B"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_sidecar(project, tmp_path, name):
    text, message = HOSTILE[name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.txt").write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    (folder / "A.yaml").write_text(text, encoding="utf-8")
    result = finishes(lambda: run(project, "import", str(folder / "A.txt")))
    assert result.exit_code != 0
    assert "A.yaml, line" in result.output and message in result.output
    assert project.db.execute("select count(*) from transcripts").fetchone()[0] == 0


def test_metadata_over_its_size_limit(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.txt").write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    (folder / "A.yaml").write_text("notitie: " + "x" * 1_100_000 + "\n", encoding="utf-8")
    result = run(project, "import", str(folder / "A.txt"))
    assert result.exit_code != 0 and "too large" in result.output and "A.yaml" in result.output


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_codebook_file(project, tmp_path, name):
    text, message = HOSTILE[name]
    path = tmp_path / "cb.yaml"
    path.write_text("version: 1\n" + text.replace("x:", "themes:"), encoding="utf-8")
    before = project.db.execute("select count(*) from codes").fetchone()[0]
    result = finishes(lambda: run(project, "codebook", "import", str(path)))
    assert result.exit_code != 0
    assert "cb.yaml, line" in result.output
    assert message in result.output or name not in EXPANDING
    assert "Traceback" not in result.output
    assert project.db.execute("select count(*) from codes").fetchone()[0] == before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_codings_file(project, add_transcript, tmp_path, name):
    add_transcript("T1")
    text, message = HOSTILE[name]
    path = tmp_path / "codings.yaml"
    path.write_text(text.replace("x:", "codings:"), encoding="utf-8")
    result = finishes(lambda: run(project, "codings-import", str(path)))
    assert result.exit_code != 0
    assert "codings.yaml, line" in result.output
    assert message in result.output or name not in EXPANDING
    assert "Traceback" not in result.output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 0


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_survey_themes_file(project, tmp_path, name):
    text, message = HOSTILE[name]
    (project.root / "codebooks" / "survey_themes.yaml").write_text(
        text.replace("x:", "survey_themes:"), encoding="utf-8")
    result = finishes(lambda: run(project, "survey", "list"))
    assert result.exit_code != 0
    assert "survey_themes.yaml, line" in result.output
    assert message in result.output or name not in EXPANDING
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_visual_survey_source(project, name):
    """The map and the dashboard read the survey themes through the survey service."""
    from workbench.services.visual.survey_source import load_survey_themes

    text, message = HOSTILE[name]
    path = project.root / "codebooks" / "survey_themes.yaml"
    path.write_text(text.replace("x:", "survey_themes:"), encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        finishes(lambda: load_survey_themes(project))
    assert info.value.path == path
    if name in EXPANDING:
        assert message in str(info.value) and info.value.line is not None


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_prevalence_thresholds(project, add_transcript, name):
    add_transcript("T1")
    text, message = HOSTILE[name]
    (project.root / "codebooks" / "prevalence.yaml").write_text(
        text.replace("x:", "prevalence:"), encoding="utf-8")
    result = finishes(lambda: run(project, "prevalence"))
    assert result.exit_code != 0
    assert "prevalence.yaml, line" in result.output and message in result.output


@pytest.mark.parametrize("value", [".inf", ".nan", "1e999"])
def test_thresholds_that_are_not_finite_numbers(project, add_transcript, value):
    add_transcript("T1")
    (project.root / "codebooks" / "prevalence.yaml").write_text(f"few_min: {value}\n", encoding="utf-8")
    result = run(project, "prevalence")
    assert result.exit_code != 0 and "few_min" in result.output and "Traceback" not in result.output


def test_a_docx_zip_bomb_is_refused_before_it_is_read(project, tmp_path):
    """A .docx whose document.xml expands a thousandfold is refused, not read into memory."""
    import zipfile

    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * 50_000_000 + "</w:document>")
    result = finishes(lambda: run(project, "import", str(path)))
    assert result.exit_code != 0 and "zip bomb" in result.output and "bom.docx" in result.output
