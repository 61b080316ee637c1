"""The anonymity audit's deny list: local names always flagged, with the team's category;
added one by one or from a file (a bad line names file and line, nothing stored); undo; the
audit says how many flags each list gave."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.audit.engine import AuditCounts, audit_text
from workbench.errors import WorkbenchError
from workbench.services.anonymity import audit as A
from workbench.services.anonymity import deny_list as D
from workbench.store.changes import undo_last


def test_a_denied_term_is_flagged_everywhere_with_its_category() -> None:
    text = "De jongens uit de kanaleneiland-buurt? Nee, Kanaleneiland zelf. KANALENEILAND!"
    counts = AuditCounts()
    flags = audit_text(text, use_deduce=False, deny=[("Kanaleneiland", "place")], counts=counts)
    listed = [f for f in flags if f.source == "list"]
    assert [f.text for f in listed] == ["kanaleneiland", "Kanaleneiland", "KANALENEILAND"]
    assert {f.category for f in listed} == {"place"}
    assert counts.denied == 3


def test_the_deny_list_beats_the_allow_list_the_common_word_filter_and_other_categories() -> None:
    text = "Hij zit op De Brug, dat is een school. Over de brug lopen ze naar huis."
    counts = AuditCounts()
    flags = audit_text(text, use_deduce=False, allow=["De Brug"],
                       deny=[("De Brug", "school")], counts=counts)
    assert [(f.text, f.category, f.source) for f in flags if "rug" in f.text] == [
        ("De Brug", "school", "list"), ("de brug", "school", "list")]
    # a detector's category gives way to the team's
    flags = audit_text("Hij woont in Lombok, vlak bij het station.", use_deduce=False,
                       deny=[("Lombok", "listed")])
    assert [(f.text, f.category) for f in flags] == [("Lombok", "listed")]


def test_the_allow_list_count() -> None:
    counts = AuditCounts()
    flags = audit_text("Hij woont in Tilburg en werkt in Breda.", use_deduce=False,
                       allow=["Tilburg"], counts=counts)
    assert [f.text for f in flags] == ["Breda"]
    assert counts.allowed == 1 and counts.denied == 0


def test_add_edit_remove_and_undo(project) -> None:
    db = project.db
    row = D.deny_add(db, "anna", "  Kanaleneiland ", "wijk")
    assert (row["term"], row["category"]) == ("Kanaleneiland", "place")
    assert D.deny_add(db, "anna", "kanaleneiland")["category"] == "place"  # no category: kept
    assert D.deny_add(db, "anna", "KANALENEILAND", "organisatie")["category"] == "institution"
    assert D.deny_terms(db) == [("Kanaleneiland", "institution")]
    undo_last(db, "anna")
    assert D.deny_terms(db) == [("Kanaleneiland", "place")]
    D.deny_remove(db, "anna", "kanaleneiland")
    assert D.deny_terms(db) == []
    with pytest.raises(WorkbenchError, match="not on the deny list"):
        D.deny_remove(db, "anna", "Kanaleneiland")
    with pytest.raises(WorkbenchError, match="unknown category 'rubbish'"):
        D.deny_add(db, "anna", "Hoograven", "rubbish")
    assert D.list_deny(db) == []


def test_import_a_file(project, tmp_path) -> None:
    path = tmp_path / "lokaal.txt"
    path.write_text("# lokale namen\n\nwijk: Hoograven\nschool: Het Zadkine\nPostNL\n"
                    "werkgever: PostNL\nhoograven\nTijd: 10:30 bij de bakker\n", encoding="utf-8")
    report = D.deny_import(project.db, "anna", path)
    assert report.added == ["Hoograven", "Het Zadkine", "PostNL", "Tijd: 10:30 bij de bakker"]
    assert dict(D.deny_terms(project.db)) == {
        "Hoograven": "place", "Het Zadkine": "school", "PostNL": "listed",
        "Tijd: 10:30 bij de bakker": "listed"}
    again = D.deny_import(project.db, "anna", path)
    assert again.added == [] and len(again.unchanged) == 4
    # one undo takes the whole file back
    undo_last(project.db, "anna")
    undo_last(project.db, "anna")
    assert D.deny_terms(project.db) == []


@pytest.mark.parametrize(("content", "line", "message"), [
    (b"Hoograven\nschool:   \n", 2, "empty"),
    (b"Hoograven\n" + b"x" * 300 + b"\n", 2, "at most 200"),
    (b"Hoograven\nbad\x1bterm\n", 2, "control"),
    (b"Hoograven\nOverv\xe9cht\n", 2, "not UTF-8"),
])
def test_a_bad_file_names_its_line_and_stores_nothing(project, tmp_path, content, line, message):
    path = tmp_path / "lokaal.txt"
    path.write_bytes(content)
    with pytest.raises(WorkbenchError, match=message) as info:
        D.deny_import(project.db, "anna", path)
    assert info.value.path == path and info.value.line == line
    assert D.deny_terms(project.db) == []


def test_a_folder_or_missing_file_is_refused(project, tmp_path) -> None:
    with pytest.raises(WorkbenchError, match="folder"):
        D.deny_import(project.db, "anna", tmp_path)
    with pytest.raises(WorkbenchError, match="no such file"):
        D.deny_import(project.db, "anna", tmp_path / "nope.txt")


def test_the_audit_flags_denied_terms_and_counts_both_lists(project, add_transcript) -> None:
    tid = add_transcript("P1", municipality="Utrecht", turns=[
        ("I", "Waar werk je?"),
        ("R", "In Utrecht, vooral in Hoograven. Gagelbos is waar de jongens rondhangen.")])
    D.deny_add(project.db, "anna", "Hoograven", "wijk")
    D.deny_add(project.db, "anna", "Gagelbos", "instelling")
    summary = A.run_audit(project, [tid], use_deduce=False)
    flags = A.list_flags(project.db, transcript=tid)
    assert {(f["text"], f["category"], f["source"]) for f in flags} >= {
        ("Hoograven", "place", "list"), ("Gagelbos", "institution", "list")}
    assert "Utrecht" not in {f["text"] for f in flags}
    assert summary.denied == 2 and summary.deny_size == 2
    assert summary.allowed >= 1  # Utrecht, the project's municipality
    assert "deny list (2 terms): 2 flag(s)" in summary.lists_line()
    # off the list: the flag goes at the next audit (no detector finds "Gagelbos" on its own at
    # the start of a sentence)
    D.deny_remove(project.db, "anna", "Gagelbos")
    A.run_audit(project, [tid], use_deduce=False)
    assert "Gagelbos" not in {f["text"] for f in A.list_flags(project.db, transcript=tid)}


def test_deny_cli(project, add_transcript, tmp_path) -> None:
    from workbench.cli.main import cli

    add_transcript("P2", municipality="Utrecht", turns=[
        ("I", "Waar?"), ("R", "Ze komt uit Hoograven, dat weet iedereen.")])
    path = tmp_path / "lokaal.txt"
    path.write_text("wijk: Hoograven\nschool: Zadkine\n", encoding="utf-8")
    runner = CliRunner()
    base = ["--project", str(project.root)]
    result = runner.invoke(cli, [*base, "deny", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    result = runner.invoke(cli, [*base, "deny", "add", "PostNL", "Coolblue", "-c", "werkgever"])
    assert result.exit_code == 0 and "Coolblue (instelling)" in result.output
    result = runner.invoke(cli, [*base, "deny", "list", "--json"])
    assert {r["term"]: r["category"] for r in json.loads(result.output)} == {
        "Hoograven": "place", "Zadkine": "school", "PostNL": "institution",
        "Coolblue": "institution"}
    result = runner.invoke(cli, [*base, "audit", "--no-deduce"])
    assert result.exit_code == 0, result.output
    assert "deny list (4 terms): 1 flag(s)" in result.output
    assert "»Hoograven«" in result.output
    bad = tmp_path / "bad.txt"
    bad.write_text("Lombok\nschool:\n", encoding="utf-8")
    result = runner.invoke(cli, [*base, "deny", "import", str(bad)])
    assert result.exit_code != 0 and "bad.txt, line 2" in result.output
    result = runner.invoke(cli, [*base, "deny", "remove", "Lombok"])
    assert result.exit_code != 0 and "not on the deny list" in result.output
