"""The shared codebook file: YAML round trip, three-way merge, conflicts, strategies."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from workbench.errors import ConflictError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import sync
from workbench.services.coding.passages import apply_code
from workbench.store.changes import undo_last


@pytest.fixture
def shared(project, add_transcript):
    """A project with a small codebook, one coding, and the codebook file exported."""
    add_transcript("T1")
    db = project.db
    codebook.add(db, "anna", "Signalen", kind="theme", definition="Wat men ziet")
    codebook.add(db, "anna", "Online", kind="theme", parent="Signalen")
    codebook.add(db, "anna", "Dure spullen", parent="Signalen", definition="kleding, telefoons")
    codebook.add(db, "anna", "Snapchat", parent="Online", definition="werving via Snapchat")
    codebook.add(db, "anna", "Spijbelen", parent="Signalen", definition="verzuim")
    codebook.add(db, "anna", "Losse code")
    codebook.set_survey_themes(db, "anna", "Snapchat", ["4.3", "4.10"])
    text = db["transcripts"].get("T1")["text"]
    start = text.index("Dure kleding")
    apply_code(db, "anna", "T1", "Dure spullen", start, start + len("Dure kleding"))
    path = project.codebook_file
    sync.write_yaml(db, path)
    return project, path


def _state(db) -> tuple:
    codes = sorted(tuple(sorted(r.items())) for r in db.query("select * from codes"))
    codings = sorted(tuple(sorted(r.items())) for r in db.query("select * from codings"))
    links = sorted(tuple(r.values()) for r in db.query("select code_id, survey_theme_id from survey_links"))
    return codes, codings, links


def _edit(path, func) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    func(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _code(doc, name):
    def walk(items):
        for item in items or []:
            if item["name"] == name:
                return item
            found = walk(item.get("codes")) or walk(item.get("subthemes"))
            if found:
                return found
        return None

    return walk(doc.get("themes")) or walk(doc.get("codes"))


def test_yaml_round_trip_is_stable(shared):
    project, path = shared
    db = project.db
    text = path.read_text(encoding="utf-8")
    assert text.count("- id: c-") == 4 and "survey_themes: ['4.3', '4.10']" in text
    entries = sync.read_yaml(path)
    assert [(e.id, e.kind, e.name, e.parent_id) for e in entries] == [
        (e.id, e.kind, e.name, e.parent_id) for e in sync.entries_from_db(db)
    ]
    snap = next(e for e in entries if e.name == "Snapchat")
    assert snap.survey_themes == ["4.3", "4.10"]
    plan = sync.plan_sync(db, entries)
    assert not plan.has_changes and not plan.conflicts
    sync.write_yaml(db, path)
    assert path.read_text(encoding="utf-8") == text


def test_changes_only_in_the_file_are_taken(shared):
    project, path = shared
    db = project.db

    def change(doc):
        _code(doc, "Dure spullen")["definition"] = "nieuwe definitie"
        _code(doc, "Signalen")["codes"].append({"name": "Angst", "definition": "bang zijn"})
        doc["codes"] = []  # removes 'Losse code' (unused)
        _code(doc, "Snapchat")["survey_themes"] = ["4.4"]

    _edit(path, change)
    report = sync.apply_sync(db, "bram", sync.read_yaml(path))
    assert (report.added, report.updated, report.removed) == (1, 2, 1)
    assert codebook.resolve(db, "Dure spullen")["definition"] == "nieuwe definitie"
    angst = codebook.resolve(db, "Angst")
    assert angst["parent_id"] == codebook.resolve(db, "Signalen")["id"] and angst["id"].startswith("c-")
    assert codebook.survey_themes_of(db, codebook.resolve(db, "Snapchat")["id"]) == ["4.4"]
    with pytest.raises(WorkbenchError):
        codebook.resolve(db, "Losse code")
    again = sync.plan_sync(db, sync.read_yaml(path))
    assert not again.has_changes and not again.conflicts


def test_changes_only_here_are_kept(shared):
    project, path = shared
    db = project.db
    codebook.update_fields(db, "anna", "Spijbelen", definition="lokaal aangepast")
    codebook.add(db, "anna", "Nieuw hier")
    plan = sync.plan_sync(db, sync.read_yaml(path))
    assert not plan.conflicts and not plan.has_changes
    assert codebook.resolve(db, "Spijbelen")["definition"] == "lokaal aangepast"


def test_conflicting_import_changes_nothing_until_resolved(shared):
    project, path = shared
    db = project.db
    codebook.rename(db, "anna", "Spijbelen", "Verzuim")
    codebook.update_fields(db, "anna", "Dure spullen", definition="hier")

    def change(doc):
        _code(doc, "Spijbelen")["name"] = "Schoolverzuim"
        _code(doc, "Dure spullen")["definition"] = "daar"
        _code(doc, "Losse code")["definition"] = "alleen in het bestand"

    _edit(path, change)
    entries = sync.read_yaml(path)
    plan = sync.plan_sync(db, entries)
    assert len(plan.conflicts) == 2
    reasons = " | ".join(c.reason for c in plan.conflicts)
    assert "name changed here and in the file" in reasons and "definition" in reasons
    before = _state(db)
    changes_before = db.execute("select count(*) from changes").fetchone()[0]
    with pytest.raises(ConflictError) as err:
        sync.apply_sync(db, "anna", entries)
    assert "nothing was changed" in str(err.value) and "Schoolverzuim" in str(err.value)
    assert _state(db) == before
    assert db.execute("select count(*) from changes").fetchone()[0] == changes_before

    report = sync.apply_sync(db, "anna", entries, strategy="ours")
    assert len(report.resolved) == 2
    assert codebook.resolve(db, "Verzuim")["definition"] == "verzuim"
    assert codebook.resolve(db, "Dure spullen")["definition"] == "hier"
    assert codebook.resolve(db, "Losse code")["definition"] == "alleen in het bestand"
    # the file is now the base: importing it again is quiet, and local changes stay
    assert not sync.plan_sync(db, sync.read_yaml(path)).conflicts


def test_theirs_takes_the_file_version(shared):
    project, path = shared
    db = project.db
    codebook.rename(db, "anna", "Spijbelen", "Verzuim")
    _edit(path, lambda doc: _code(doc, "Spijbelen").update(name="Schoolverzuim"))
    sync.apply_sync(db, "anna", sync.read_yaml(path), strategy="theirs")
    assert codebook.resolve(db, "Schoolverzuim")["definition"] == "verzuim"


def test_removed_in_file_but_used_here_is_a_conflict(shared):
    project, path = shared
    db = project.db
    _edit(path, lambda doc: _code(doc, "Signalen")["codes"].remove(_code(doc, "Dure spullen")))
    entries = sync.read_yaml(path)
    plan = sync.plan_sync(db, entries)
    assert [c.kind for c in plan.conflicts] == ["deleted_there"] and "1 coding" in plan.conflicts[0].reason
    with pytest.raises(ConflictError):
        sync.apply_sync(db, "anna", entries)
    sync.apply_sync(db, "anna", entries, strategy="ours")
    assert codebook.resolve(db, "Dure spullen")
    # with --theirs the code and its coding go, in one undoable change
    db.execute("delete from codebook_sync_base")
    sync.mark_synced(db)
    report = sync.apply_sync(db, "anna", entries, strategy="theirs")
    assert report.removed == 1 and report.removed_codings == 1
    assert db.execute("select count(*) from codings").fetchone()[0] == 0
    undo_last(db, "anna")
    assert codebook.resolve(db, "Dure spullen")
    assert db.execute("select count(*) from codings").fetchone()[0] == 1


def test_deleted_here_but_changed_in_file_is_a_conflict(shared):
    project, path = shared
    db = project.db
    codebook.delete(db, "anna", "Spijbelen")
    assert not sync.plan_sync(db, sync.read_yaml(path)).has_changes  # unchanged in file: stays deleted
    _edit(path, lambda doc: _code(doc, "Spijbelen").update(definition="aangepast in bestand"))
    entries = sync.read_yaml(path)
    assert [c.kind for c in sync.plan_sync(db, entries).conflicts] == ["deleted_here"]
    sync.apply_sync(db, "anna", entries, strategy="ours")
    with pytest.raises(WorkbenchError):
        codebook.resolve(db, "Spijbelen")
    _edit(path, lambda doc: _code(doc, "Spijbelen").update(definition="nog eens aangepast"))
    sync.apply_sync(db, "anna", sync.read_yaml(path), strategy="theirs")
    assert codebook.resolve(db, "Spijbelen")["definition"] == "nog eens aangepast"


def test_same_name_added_on_both_sides_merges_with_theirs(shared):
    project, path = shared
    db = project.db
    local = codebook.add(db, "anna", "Angst", parent="Signalen")
    text = db["transcripts"].get("T1")["text"]
    apply_code(db, "anna", "T1", local["id"], 0, 10)
    _edit(path, lambda doc: _code(doc, "Signalen")["codes"].append({"id": "c-fromfile", "name": "Angst"}))
    entries = sync.read_yaml(path)
    plan = sync.plan_sync(db, entries)
    assert [c.kind for c in plan.conflicts] == ["name_clash"]
    sync.apply_sync(db, "anna", entries, strategy="theirs")
    assert codebook.resolve(db, "Angst")["id"] == "c-fromfile"
    coded = db.execute("select code_id, start, end from codings where start = 0").fetchone()
    assert coded == ("c-fromfile", 0, 10) and text


def test_import_is_undoable_and_can_be_redone(shared):
    project, path = shared
    db = project.db
    _edit(path, lambda doc: _code(doc, "Spijbelen").update(definition="uit het bestand"))
    sync.apply_sync(db, "bram", sync.read_yaml(path))
    assert codebook.resolve(db, "Spijbelen")["definition"] == "uit het bestand"
    undo_last(db, "bram")
    assert codebook.resolve(db, "Spijbelen")["definition"] == "verzuim"
    sync.apply_sync(db, "bram", sync.read_yaml(path))
    assert codebook.resolve(db, "Spijbelen")["definition"] == "uit het bestand"


def test_codes_without_ids_are_matched_by_name(project, tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        themes:
          - name: Werving
            codes:
              - name: Snapchat
                definition: via de app
        codes:
          - name: Los
    """), encoding="utf-8")
    db = project.db
    report = sync.apply_sync(db, "anna", sync.read_yaml(path))
    assert report.added == 3
    assert codebook.resolve(db, "Snapchat")["parent_id"] == codebook.resolve(db, "Werving")["id"]
    again = sync.plan_sync(db, sync.read_yaml(path))
    assert not again.has_changes and not again.conflicts


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("version: 1\nthemes:\n  - name: A\n    defintion: x\n", "unknown key 'defintion'", 4),
        ("version: 1\nthemes:\n  - name: A\n    codes:\n      - definition: x\n", "without a name", 5),
        ("version: 2\nthemes: []\n", "version 2 is not supported", 1),
        ("themes: []\n", "no 'version: 1'", None),
        ("version: 1\nthemes: [\n", "not valid YAML", None),
        ("version: 1\ncodes:\n  - name: A\n    codes: []\n", "a code cannot hold 'codes'", 4),
        ("version: 1\nthemes:\n  - name: A\n    subthemes:\n      - name: B\n        subthemes:\n          - name: C\n",
         "one level deep", 7),
    ],
)
def test_bad_codebook_files_name_file_and_line(tmp_path, body, message, line):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        sync.read_yaml(path)
    assert message in str(err.value) and str(path) in str(err.value)
    if line is not None:
        assert err.value.line == line


def test_duplicate_ids_and_names_are_listed(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        codes:
          - {id: c-1, name: A}
          - {id: c-1, name: B}
          - {id: c-2, name: a}
          - {id: c-3, name: C, colour: "not a colour!"}
    """), encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        sync.read_yaml(path)
    text = str(err.value)
    assert "c-1 is used twice" in text and "two codes are named" in text and "not a colour" in text


def test_format_neutral_entries(project):
    """The REFI-QDA reader hands over entries with its own ids and positions."""
    db = project.db
    entries = [
        sync.CodeEntry(id="GUID-T", kind="theme", name="Thema", position=5),
        sync.CodeEntry(id="GUID-B", kind="code", name="Tweede", parent_id="GUID-T", position=9),
        sync.CodeEntry(id="GUID-A", kind="code", name="Eerste", parent_id="GUID-T", position=2,
                       survey_themes=["4.2"]),
    ]
    sync.apply_sync(db, "anna", entries)
    names = [e.name for e in sync.entries_from_db(db)]
    assert names == ["Thema", "Eerste", "Tweede"]
    assert codebook.survey_themes_of(db, "GUID-A") == ["4.2"]
    with pytest.raises(WorkbenchError, match="not in"):
        sync.plan_sync(db, [sync.CodeEntry(id="X", kind="code", name="Wees", parent_id="NOPE")])
