"""History rows go through the store's change mechanism (issue 16): an import and a
re-processing are logged as LOG_ONLY (no undo), and undo skips them."""

from __future__ import annotations

from workbench.store import changes
from workbench.store.schema import KNOWN_MIGRATIONS, SCHEMA_VERSION, schema_version


def test_an_import_is_logged_only_and_undo_passes_it_by(project, add_transcript):
    add_transcript("T1")
    rows = changes.history(project.db)
    imported = [r for r in rows if r["action"] == "import"]
    assert imported and imported[0]["undone"] == changes.LOG_ONLY and imported[0]["coder"] == "anna"
    assert changes.undo_last(project.db, "anna") is None  # nothing undoable: the import stays
    assert project.db.execute("select count(*) from transcripts").fetchone()[0] == 1


def test_the_schema_knows_its_migrations_by_name(project):
    assert SCHEMA_VERSION == len(KNOWN_MIGRATIONS) == schema_version(project.db)
    assert KNOWN_MIGRATIONS[0].startswith("m001") and len(set(KNOWN_MIGRATIONS)) == SCHEMA_VERSION
