"""Issue 15: the same text under a new id or with new metadata is a decision, not a silent drop.

A copy of a transcript's text with another id, role and municipality fails with a non-zero
exit naming the twin and what would be dropped; ``--as-new`` imports it as another
transcript; ``--update-metadata`` gives the existing transcript the file's metadata (codings
stay); with the same id, ``--update-metadata`` applies changed metadata of the same text.
"""

from __future__ import annotations

from click.testing import CliRunner

from workbench.cli.main import cli

BODY = "I: Hoe begon het?\nR: Met een jongen op het plein. Hij had ineens dure kleding.\n"


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def write(folder, name, tid, role, gemeente):
    path = folder / name
    path.write_text(f"---\nid: {tid}\nrol: {role}\ngemeente: {gemeente}\n---\n{BODY}", encoding="utf-8")
    return path


def rows(project):
    return project.db.execute("select id, role, municipality from transcripts order by id").fetchall()


def test_a_copy_under_a_new_id_is_refused_with_what_would_be_dropped(project, tmp_path):
    assert run(project, "import", str(write(tmp_path, "h01.txt", "H01", "wijkagent", "Utrecht"))).exit_code == 0
    copy = write(tmp_path, "h09.txt", "H09", "leerplichtambtenaar", "Zwolle")
    result = run(project, "import", str(copy))
    assert result.exit_code == 1
    assert "identical to transcript H01" in result.output
    assert "its id H09" in result.output and "role 'leerplichtambtenaar'" in result.output
    assert "--as-new" in result.output and "--update-metadata" in result.output
    assert rows(project) == [("H01", "wijkagent", "Utrecht")]


def test_as_new_imports_it_as_another_transcript(project, tmp_path):
    run(project, "import", str(write(tmp_path, "h01.txt", "H01", "wijkagent", "Utrecht")))
    result = run(project, "import", "--as-new", str(write(tmp_path, "h09.txt", "H09", "docent", "Zwolle")))
    assert result.exit_code == 0 and "identical to transcript H01" in result.output
    assert rows(project) == [("H01", "wijkagent", "Utrecht"), ("H09", "docent", "Zwolle")]


def test_update_metadata_moves_the_metadata_onto_the_twin_and_keeps_codings(project, tmp_path):
    run(project, "import", str(write(tmp_path, "h01.txt", "H01", "wijkagent", "Utrecht")))
    from workbench.services.codebook import codes as codebook

    codebook.add(project.db, "anna", "Signalen")
    assert run(project, "code", "H01", "Signalen", "--span", "20:40").exit_code == 0
    result = run(project, "import", "--update-metadata", str(write(tmp_path, "h09.txt", "H09", "docent", "Zwolle")))
    assert result.exit_code == 0, result.output
    assert "its id H09 was not used" in result.output
    assert rows(project) == [("H01", "docent", "Zwolle")]
    assert project.db.execute("select start, end from codings").fetchall() == [(20, 40)]


def test_update_metadata_with_the_same_id(project, tmp_path):
    run(project, "import", str(write(tmp_path, "h01.txt", "H01", "wijkagent", "Utrecht")))
    changed = write(tmp_path, "h01.txt", "H01", "wijkagent", "Amersfoort")
    assert run(project, "import", str(changed)).exit_code == 1  # a decision here too
    assert run(project, "import", "--update-metadata", str(changed)).exit_code == 0
    assert rows(project) == [("H01", "wijkagent", "Amersfoort")]


def test_both_flags_at_once_is_a_usage_error(project, tmp_path):
    path = write(tmp_path, "h01.txt", "H01", "wijkagent", "Utrecht")
    assert run(project, "import", "--as-new", "--update-metadata", str(path)).exit_code == 2
