"""Respondent labels: role with a capital, letters by date then id, manual and frozen labels."""

from __future__ import annotations

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.transcripts.labels import compute_labels, letter
from workbench.services.transcripts.library import list_transcripts, set_label


def labels_of(project) -> dict[str, str]:
    return {t["id"]: t["label"] for t in list_transcripts(project.db)}


def test_letters() -> None:
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_single_role_no_letter_shared_role_letters_by_date_then_id(project, add_transcript) -> None:
    add_transcript("J3", "jongerenwerker", date="2023-05-01")
    add_transcript("J1", "jongerenwerker", date="2023-06-01")
    add_transcript("J2", "Jongerenwerker", date="2023-05-01")
    add_transcript("W1", "wijkcoach", date="2023-01-01")
    assert labels_of(project) == {
        "J2": "Jongerenwerker A", "J3": "Jongerenwerker B", "J1": "Jongerenwerker C", "W1": "Wijkcoach",
    }


def test_second_interview_of_a_role_relabels_first_when_not_frozen(project, add_transcript) -> None:
    add_transcript("W1", "wijkagent", date="2023-03-01")
    assert labels_of(project)["W1"] == "Wijkagent"
    add_transcript("W2", "wijkagent", date="2023-01-01")
    assert labels_of(project) == {"W1": "Wijkagent B", "W2": "Wijkagent A"}


def test_frozen_labels_stay_and_new_take_next_letter(project, add_transcript) -> None:
    add_transcript("J1", "jongerenwerker", date="2023-02-01")
    add_transcript("J2", "jongerenwerker", date="2023-03-01")
    add_transcript("W1", "wijkagent", date="2023-03-01")
    result = CliRunner().invoke(cli, ["--project", str(project.root), "label", "--freeze"])
    assert result.exit_code == 0, result.output
    add_transcript("J0", "jongerenwerker", date="2023-01-01")  # earlier date, yet frozen
    add_transcript("W0", "wijkagent", date="2023-01-01")
    assert labels_of(project) == {
        "J1": "Jongerenwerker A", "J2": "Jongerenwerker B", "J0": "Jongerenwerker C",
        "W1": "Wijkagent", "W0": "Wijkagent B",
    }
    result = CliRunner().invoke(cli, ["--project", str(project.root), "label", "--unfreeze"])
    assert result.exit_code == 0
    assert labels_of(project)["J0"] == "Jongerenwerker A"


def test_manual_label_is_kept_and_recorded(project, add_transcript) -> None:
    add_transcript("J1", "jongerenwerker", date="2023-02-01")
    add_transcript("J2", "jongerenwerker", date="2023-03-01")
    result = CliRunner().invoke(cli, ["--project", str(project.root), "label", "J1", "Jongerenwerker D"])
    assert result.exit_code == 0, result.output
    add_transcript("J3", "jongerenwerker", date="2023-01-01")
    labels = labels_of(project)
    assert labels["J1"] == "Jongerenwerker D"
    assert sorted([labels["J2"], labels["J3"]]) == ["Jongerenwerker A", "Jongerenwerker B"]
    assert project.db.execute("select count(*) from changes where action = 'label.set'").fetchone()[0] == 1


def test_duplicate_manual_label_refused(project, add_transcript) -> None:
    add_transcript("J1", "jongerenwerker", date="2023-02-01")
    add_transcript("W1", "wijkcoach")
    result = CliRunner().invoke(cli, ["--project", str(project.root), "label", "W1", "Wijkcoach X"])
    assert result.exit_code == 0, result.output  # a free label
    result = CliRunner().invoke(cli, ["--project", str(project.root), "label", "J1", "Wijkcoach X"])
    assert result.exit_code == 1 and "already used" in result.output
    try:
        set_label(project.db, "nope", "X", "anna")
    except Exception as exc:  # noqa: BLE001
        assert "no transcript 'nope'" in str(exc)


def test_compute_labels_pure() -> None:
    rows = [
        {"id": "b", "role": "halt", "date": "", "label": "", "label_manual": 0, "labelled": False},
        {"id": "a", "role": "halt", "date": "2023-01-01", "label": "", "label_manual": 0, "labelled": False},
    ]
    assert compute_labels(rows, frozen=False) == {"a": "Halt A", "b": "Halt B"}


def test_apply_labels_reports_old_and_new_and_can_be_recorded(project, add_transcript) -> None:
    from workbench.services.transcripts.labels import LabelChange, apply_labels, describe_changes
    from workbench.store.changes import record, undo_last

    add_transcript("J1", "jongerenwerker", date="2023-02-01")
    add_transcript("J2", "jongerenwerker", date="2023-03-01")
    db = project.db
    db["transcripts"].update("J2", {"role": "wijkcoach"})  # as a replace with a new role would
    with record(db, "anna", "test.relabel") as cs:
        changes = apply_labels(db, changes=cs)
    assert changes == [LabelChange("J1", "Jongerenwerker A", "Jongerenwerker"),
                       LabelChange("J2", "Jongerenwerker B", "Wijkcoach")]
    line = describe_changes(changes)
    assert "J1: Jongerenwerker A → Jongerenwerker" in line and "workbench label --freeze" in line
    undo_last(db, "anna")
    assert labels_of(project) == {"J1": "Jongerenwerker A", "J2": "Jongerenwerker B"}


def test_frozen_labels_report_no_changes(project, add_transcript, tmp_path) -> None:
    from conftest import transcript_text

    from workbench.services.transcripts.library import freeze_labels, import_paths

    add_transcript("J1", "jongerenwerker", date="2023-02-01")
    freeze_labels(project.db, True)
    path = tmp_path / "J2.txt"
    path.write_text(transcript_text("J2", "jongerenwerker", [("I", "Vraag?"), ("R", "Ja.")], date="2023-01-01"),
                    encoding="utf-8")
    result = import_paths(project, [path])[0]
    assert result.status == "imported" and result.relabelled == []
    assert labels_of(project) == {"J1": "Jongerenwerker", "J2": "Jongerenwerker B"}
