"""Issue 15: text that reaches a terminal is neutralised.

Names, roles and memos from files are checked at the door (control, bidi and invisible
characters refused, length limits); whatever is stored from before is written out visibly by
a migration; and every CLI line goes through one renderer, so no ESC from a file ever reaches
the terminal raw.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli, main
from workbench.project import Project
from workbench.store.connection import connect
from workbench.store.schema import migrations
from workbench.textsafety import check_name, check_text, shown

ESC = "\x1b"
RAW = (ESC, "\x9b", "\x07", "\u202e", "\u200b")


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def no_raw(text: str) -> bool:
    return not any(ch in text for ch in RAW)


def test_shown_escapes_visibly_and_keeps_json_valid():
    assert shown("Wijk\x1b[31magent") == "Wijk\\u001b[31magent"
    assert shown("a\u202eb\u200bc\x9bd") == "a\\u202eb\\u200bc\\u009bd"
    assert shown("twee\nregels\tmet tab") == "twee\nregels\tmet tab"
    assert shown("twee\nregels", one_line=True) == "twee\\u000aregels"
    data = {"naam": "x\x7fy\u2066z"}
    assert json.loads(shown(json.dumps(data, ensure_ascii=False))) == data


@pytest.mark.parametrize("bad", ["Wijk\x1b[31magent", "\x1b]0;pwned\x07", "A\u202eB", "x\u200by",
                                 "C1\x9bq", "two\nlines"])
def test_names_refuse_what_steers_a_terminal(bad):
    with pytest.raises(Exception, match="not allowed in names"):
        check_name(bad, what="role")


def test_texts_keep_line_breaks_but_refuse_controls():
    assert check_text("regel 1\n\tregel 2", what="memo") == "regel 1\n\tregel 2"
    with pytest.raises(Exception, match="control characters"):
        check_text("a\x00b", what="memo")
    with pytest.raises(Exception, match="at most 200,000"):
        check_text("x" * 200_001, what="memo")


@pytest.mark.parametrize(("line", "field"), [
    ('rol: "Wijk\\e[31magent"', "role"),
    ('gemeente: "\\e]0;pwned\\a"', "municipality"),
    ('domein: "Jeugd\\u202e"', "domain"),
    ('notitie: "stil\\x9b"', "value of 'notitie'"),
])
def test_front_matter_with_terminal_sequences_is_refused(project, tmp_path, line, field):
    path = tmp_path / "A.txt"
    path.write_text(f"---\nid: A\n{line}\n---\nI: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code != 0
    assert "A.txt, line 3" in result.output and field in result.output
    assert no_raw(result.output)
    assert project.db.execute("select count(*) from transcripts").fetchone()[0] == 0


@pytest.mark.parametrize("what", ["id", "role"])
def test_values_over_their_limit_are_refused(project, tmp_path, what):
    path = tmp_path / "A.txt"
    key, value = ("id", "A" * 100_000) if what == "id" else ("rol", "r" * 100_000)
    path.write_text(f"---\n{key}: {value}\n---\nI: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code != 0 and "characters long; at most" in result.output
    assert len(result.output) < 2_000


def test_a_transcript_body_with_a_c1_control_is_refused(project, tmp_path):
    path = tmp_path / "A.txt"
    path.write_text("I: Vraag?\nR: Ant\x9bwoord.\n", encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code != 0 and "A.txt, line 2" in result.output and "U+009B" in result.output


def test_an_error_message_never_echoes_a_raw_escape(project, add_transcript):
    add_transcript("T1")
    result = run(project, "code", "T1", "Rood\x1b[31m", "--span", "0:5")
    assert result.exit_code != 0 and "\\u001b" in result.output and no_raw(result.output)


def test_click_usage_errors_are_neutralised_too(capsys):
    with pytest.raises(SystemExit) as info:
        main(["co\x1b]0;pwned\x07de"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "No such command" in err and no_raw(err)


def _schema9_project(tmp_path: Path) -> Project:
    """A project from before the text checks, holding what a merge or front matter let in."""
    root = tmp_path / "old"
    root.mkdir()
    for folder in ("transcripts", "codebooks", "exports"):
        (root / folder).mkdir()
    db = connect(root / "workbench.db")
    migrations.apply(db, stop_before="m010_neutralise_stored_text")
    now = "2026-01-01T00:00:00"
    db["codes"].insert({"id": "c-1", "kind": "code", "name": "Rood\x1b[31m", "name_key": "rood\x1b[31m",
                        "position": 0, "memo": "met NUL\x00 erin", "created_at": now,
                        "created_by": "anna", "updated_at": now, "updated_by": "anna"})
    db["codes"].insert({"id": "c-2", "kind": "code", "name": "Rood\\u001b[31m",
                        "name_key": "rood\\u001b[31m", "position": 1, "created_at": now,
                        "created_by": "anna", "updated_at": now, "updated_by": "anna"})
    text = "I: Vraag?\nR: Antwoord.\n"
    db["transcripts"].insert({"id": "T1", "text": text, "content_hash": "h", "label": "Wijk A",
                              "role": "Wijk\x1b]0;pwned\x07agent", "word_count": 2, "turn_count": 0,
                              "sentence_count": 0, "metadata": "{}", "imported_at": now,
                              "imported_by": "anna"})
    db["meta"].upsert({"key": "default_coder", "value": "anna"}, pk="key")
    db.conn.commit()
    db.close()
    return Project.open(root)


def test_stored_controls_are_written_out_visibly_by_a_migration(tmp_path):
    project = _schema9_project(tmp_path)
    names = dict(project.db.execute("select id, name from codes").fetchall())
    assert names == {"c-1": "Rood\\u001b[31m (2)", "c-2": "Rood\\u001b[31m"}
    assert project.db.execute("select memo from codes where id = 'c-1'").fetchone()[0] == "met NUL\\u0000 erin"
    role = project.db.execute("select role from transcripts").fetchone()[0]
    assert role == "Wijk\\u001b]0;pwned\\u0007agent"
    listing = run(project, "codebook", "list")
    assert "written out visibly" in listing.output and no_raw(listing.output)
    assert no_raw(run(project, "transcripts").output)


def test_merge_refuses_a_copy_with_controls_in_names(project, add_transcript, tmp_path):
    import shutil

    add_transcript("T1")
    project.close()
    other = tmp_path / "other"
    shutil.copytree(project.root, other)
    con = sqlite3.connect(other / "workbench.db")
    now = "2026-01-01T00:00:00"
    con.execute("insert into codes (id, kind, name, name_key, position, created_at, created_by, "
                "updated_at, updated_by) values ('c-x', 'code', ?, 'x', 0, ?, 'bram', ?, 'bram')",
                ["Slecht\x1b[2J", now, now])
    con.commit()
    con.close()
    result = run(project, "merge", str(other))
    assert result.exit_code != 0 and "in OTHER" in result.output and no_raw(result.output)
    assert project.db.execute("select count(*) from codes").fetchone()[0] == 0


def test_a_survey_title_written_over_lines_becomes_one_line(tmp_path):
    from workbench.services.reporting.survey import load_themes

    path = tmp_path / "survey_themes.yaml"
    path.write_text('survey_themes:\n  - id: "4.1"\n    title: |\n      Lange\n      titel\n', encoding="utf-8")
    assert [t.title for t in load_themes(path)] == ["Lange titel"]
