"""Re-importing a file whose text is the same but whose reading changed (roles, turns, times,
metadata), removing a transcript (undoable), label changes reported by an import, and the
one-time language-pipeline note."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.project import Project
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.transcripts.labels import LabelChange
from workbench.services.transcripts.library import (
    NOTICE_KEY,
    get_sentences,
    get_turns,
    import_paths,
    remove_transcript,
    stored_fingerprint,
)

FORMATS = Path(__file__).resolve().parent / "data" / "formats"


def run(project: Project, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def teams(tmp_path: Path, interviewer: str, role: str = "activeringscoach") -> Path:
    path = tmp_path / "INT92.vtt"
    if not path.exists():
        shutil.copy(FORMATS / "teams_last_first.vtt", path)
    (tmp_path / "INT92.yaml").write_text(f"rol: {role}\ninterviewer: {interviewer}\n", encoding="utf-8")
    return path


def speakers(project: Project, tid: str) -> list[str]:
    return [t["speaker"] for t in get_turns(project.db, tid)]


def test_changed_roles_are_noticed_and_replace_applies_them(project: Project, tmp_path: Path) -> None:
    path = teams(tmp_path, "Piet Jansen")  # matches nobody: the first speaker is taken
    first = import_paths(project, [path])[0]
    assert first.status == "imported"
    assert speakers(project, "INT92")[:2] == ["Interviewer", "Respondent"]
    db = project.db
    codebook.add(db, "anna", "Geldezels")
    turn = get_turns(db, "INT92")[2]
    kept = coding.apply_code(db, "anna", "INT92", "Geldezels", turn["start"], turn["end"])
    text = db["transcripts"].get("INT92")["text"]

    teams(tmp_path, "Sanne Verhoeven")
    refused = import_paths(project, [path])[0]
    assert refused.status == "failed"
    assert "speakers of 5 turn(s)" in refused.message and "turn 0: Interviewer → Respondent" in refused.message
    assert "interviewer 'Piet Jansen' → 'Sanne Verhoeven'" in refused.message
    assert "--replace" in refused.message and "the text is the same" in refused.message
    assert speakers(project, "INT92")[0] == "Interviewer"  # nothing changed

    replaced = import_paths(project, [path], replace=True)[0]
    assert replaced.status == "replaced", replaced.message
    assert any("speakers" in d for d in replaced.differences)
    assert speakers(project, "INT92") == ["Respondent", "Interviewer", "Respondent", "Interviewer", "Respondent"]
    row = db["transcripts"].get("INT92")
    assert row["text"] == text and row["interviewer"] == "Sanne Verhoeven"
    assert db["codings"].get(kept["id"]) == kept  # same text: the coding did not move
    assert [s["text"] for s in get_sentences(db, "INT92")]
    assert list((project.root / "exports" / "backups").glob("*before-replace*.db"))
    assert import_paths(project, [path])[0].status == "unchanged"


def test_metadata_and_time_changes_without_text_change(project: Project, tmp_path: Path) -> None:
    path = teams(tmp_path, "Sanne Verhoeven")
    import_paths(project, [path])
    assert project.db["transcripts"].get("INT92")["label"] == "Activeringscoach"
    teams(tmp_path, "Sanne Verhoeven", role="schuldhulpverlener")
    refused = import_paths(project, [path])[0]
    assert refused.status == "failed" and "role 'activeringscoach' → 'schuldhulpverlener'" in refused.message
    replaced = import_paths(project, [path], replace=True)[0]
    assert replaced.status == "replaced"
    assert replaced.relabelled == [LabelChange("INT92", "Activeringscoach", "Schuldhulpverlener")]
    assert project.db["transcripts"].get("INT92")["label"] == "Schuldhulpverlener"

    path.write_text(path.read_text(encoding="utf-8").replace("00:00:20.000 -->", "00:00:21.000 -->"), encoding="utf-8")
    refused = import_paths(project, [path])[0]
    assert refused.status == "failed" and "the times of 1 turn(s)" in refused.message


def test_changed_text_still_reported_as_text(project: Project, tmp_path: Path) -> None:
    path = teams(tmp_path, "Sanne Verhoeven")
    import_paths(project, [path])
    path.write_text(path.read_text(encoding="utf-8").replace("Ja prima.", "Ja hoor."), encoding="utf-8")
    refused = import_paths(project, [path])[0]
    assert refused.status == "failed" and "differs in the text" in refused.message
    assert "re-anchored" in refused.message


def test_audit_flags_survive_a_replace_with_the_same_text(project: Project, tmp_path: Path) -> None:
    path = teams(tmp_path, "Piet Jansen")
    import_paths(project, [path])
    project.db["audit_flags"].insert({"id": "f1", "transcript_id": "INT92", "start": 0, "end": 3,
                                      "category": "name", "text": "Ja ", "source": "test"})
    teams(tmp_path, "Sanne Verhoeven")
    assert import_paths(project, [path], replace=True)[0].status == "replaced"
    assert project.db["audit_flags"].count == 1


def test_stored_fingerprint_equals_the_imported_one(project: Project, tmp_path: Path) -> None:
    """The migration fills old rows with stored_fingerprint(): it must equal a fresh import's."""
    import_paths(project, [teams(tmp_path, "Sanne Verhoeven"), FORMATS / "f4.txt", FORMATS / "zoom.vtt"])
    for row in project.db["transcripts"].rows:
        assert row["import_fingerprint"] and row["import_fingerprint"] == stored_fingerprint(project.db, row["id"])


# -- labels ---------------------------------------------------------------------------------------

def test_import_lists_the_labels_it_changed(project: Project, add_transcript, tmp_path: Path) -> None:
    add_transcript("J1", "jongerenwerker", date="2023-01-01")
    from conftest import transcript_text

    path = tmp_path / "J2.txt"
    path.write_text(transcript_text("J2", "jongerenwerker", [("I", "Vraag?"), ("R", "Antwoord.")], date="2023-02-01"),
                    encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "J1: Jongerenwerker → Jongerenwerker A" in result.output
    assert "workbench label --freeze" in result.output
    path3 = tmp_path / "J3.txt"
    path3.write_text(transcript_text("J3", "jongerenwerker", [("I", "Vraag 3?"), ("R", "Antwoord 3.")], date="2023-03-01"),
                     encoding="utf-8")
    results = import_paths(project, [path3])
    assert results[0].relabelled == []  # J1 and J2 keep A and B; J3's own first label is no change
    data = json.loads(run(project, "import", str(path), "--json").output)
    assert data[0]["relabelled"] == []


# -- removing ---------------------------------------------------------------------------------------

def table_rows(project: Project) -> dict[str, list]:
    db = project.db
    return {t: sorted(json.dumps(r, sort_keys=True) for r in db[t].rows)
            for t in ("transcripts", "turns", "sentences", "codings", "quotes", "memos", "audit_flags")}


def test_remove_is_refused_with_codings_then_forced_and_undone(project: Project, add_transcript) -> None:
    from workbench.services.coding import memos
    from workbench.services.reporting import quotes
    from workbench.store.changes import undo_last

    add_transcript("J1", "jongerenwerker", date="2023-01-01")
    add_transcript("J2", "jongerenwerker", date="2023-02-01")
    db = project.db
    codebook.add(db, "anna", "Werving")
    text = db["transcripts"].get("J2")["text"]
    start = text.index("Soms worden")
    c = coding.apply_code(db, "anna", "J2", "Werving", start, text.index("Snapchat.") + len("Snapchat."))
    quotes.star(db, "anna", c["id"])
    memos.add(db, "anna", "transcript", "J2", "eerste indruk")
    db["audit_flags"].insert({"id": "f1", "transcript_id": "J2", "start": 0, "end": 4,
                              "category": "name", "text": text[:4], "source": "test"})
    before = table_rows(project)

    result = run(project, "transcripts", "remove", "J2")
    assert result.exit_code == 1 and "1 coding(s) by anna and 1 quote(s)" in result.output
    assert "--force" in result.output
    assert table_rows(project) == before

    summary = remove_transcript(project, "J2", "anna", force=True)
    assert {k: summary.removed[k] for k in ("codings", "quotes", "memos", "audit_flags")} == {
        "codings": 1, "quotes": 1, "memos": 1, "audit_flags": 1}
    assert summary.backup.exists()
    assert summary.relabelled == [LabelChange("J1", "Jongerenwerker A", "Jongerenwerker")]
    assert db.execute("select count(*) from sentences_fts where sentences_fts match 'Snapchat'").fetchone()[0] == 1
    for table in ("turns", "sentences", "codings", "memos", "audit_flags"):
        assert not db.execute(f"select count(*) from {table} where "
                              + ("target_id" if table == "memos" else "transcript_id") + " = 'J2'").fetchone()[0]
    assert db["transcripts"].get("J1")["label"] == "Jongerenwerker"

    undo_last(db, "anna")
    assert table_rows(project) == before
    hits = db.execute("select count(*) from sentences_fts where sentences_fts match 'Snapchat'").fetchone()[0]
    assert hits == 2  # the search index has the sentences back


def test_remove_cli_and_undo_cli(project: Project, add_transcript) -> None:
    add_transcript("W1", "wijkcoach")
    result = run(project, "transcripts", "remove", "W1")
    assert result.exit_code == 0, result.output
    assert "removed transcript W1 (Wijkcoach)" in result.output and "workbench undo" in result.output
    assert "no transcripts yet" in run(project, "transcripts").output
    assert "undone: remove transcript W1" in run(project, "undo").output
    assert "W1" in run(project, "transcripts").output
    assert "redone: remove transcript W1" in run(project, "redo").output
    assert "no transcripts yet" in run(project, "transcripts").output
    assert run(project, "transcripts", "remove", "NOPE").exit_code == 1


def test_undo_help_does_not_promise_undoing_imports() -> None:
    text = " ".join(CliRunner().invoke(cli, ["undo", "--help"]).output.split())
    assert "not imports" in text


# -- the language pipeline note ---------------------------------------------------------------------

def test_pipeline_note_once_per_project_and_pipeline(project: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("geen sprekers hier\n", encoding="utf-8")
    assert run(project, "import", str(bad)).exit_code == 1
    assert project.db.execute("select 1 from meta where key = ?", [NOTICE_KEY]).fetchone() is None
    first = run(project, "import", str(FORMATS / "f4.txt"))
    assert first.exit_code == 0, first.output
    notes = [line for line in first.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "nl_core_news_sm" in notes[0]
    second = run(project, "import", str(FORMATS / "zoom.vtt"))
    assert second.exit_code == 0 and "note:" not in second.stderr
    project.db["meta"].upsert({"key": NOTICE_KEY, "value": "another pipeline"}, pk="key")
    third = run(project, "import", str(FORMATS / "otter.txt"))
    assert third.stderr.count("note:") == 1
