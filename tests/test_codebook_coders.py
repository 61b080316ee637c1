"""Codebook operations across coders: the codebook is shared, codings are per coder.

split moves only the acting coder's codings unless --any-coder; delete --force and merge say
how many codings of each coder they removed or moved; a refused import names the file and says
what to do.
"""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.errors import ConflictError, WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import sync as codebook_sync
from workbench.services.coding.passages import apply_code, list_codings


@pytest.fixture
def two_coders(project, add_transcript):
    add_transcript("T1")
    db = project.db
    codebook.add(db, "anna", "Online ronselen")
    codebook.add(db, "anna", "Ronselen op school")
    text = db["transcripts"].get("T1")["text"]

    def span(words: str) -> tuple[int, int]:
        s = text.index(words)
        return s, s + len(words)

    rows = {
        "anna1": apply_code(db, "anna", "T1", "Online ronselen", *span("Soms worden ze geronseld via Snapchat.")),
        "anna2": apply_code(db, "anna", "T1", "Online ronselen", *span("Dure kleding en nieuwe telefoons.")),
        "bram1": apply_code(db, "bram", "T1", "Online ronselen", *span("Soms worden ze geronseld via Snapchat.")),
    }
    return project, rows


def run(project, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def test_split_refuses_another_coders_codings_without_any_coder(two_coders):
    project, rows = two_coders
    db = project.db
    with pytest.raises(WorkbenchError, match="belong to bram.*--any-coder"):
        codebook.split(db, "anna", "Online ronselen", "Via Snapchat", [rows["anna1"]["id"], rows["bram1"]["id"]])
    assert db.execute("select count(*) from codes").fetchone()[0] == 2  # nothing was created
    new = codebook.split(db, "anna", "Online ronselen", "Via Snapchat", [rows["anna1"]["id"]])
    assert new["codings_by_coder"] == {"anna": 1}
    by_id = {r["id"]: (r["code"], r["coder"]) for r in list_codings(db)}
    assert by_id[rows["bram1"]["id"]] == ("Online ronselen", "bram")


def test_split_cli_any_coder_says_whose_codings_moved(two_coders):
    project, rows = two_coders
    refused = run(project, "codebook", "split", "Online ronselen", "Via Snapchat",
                  "--codings", f"{rows['anna1']['id'][:8]},{rows['bram1']['id'][:8]}")
    assert refused.exit_code == 1 and "--any-coder" in refused.output and "bram" in refused.output
    done = run(project, "codebook", "split", "Online ronselen", "Via Snapchat", "--any-coder",
               "--codings", f"{rows['anna1']['id'][:8]},{rows['bram1']['id'][:8]}")
    assert done.exit_code == 0, done.output
    assert "2 coding(s) moved to new code 'Via Snapchat'" in done.output
    assert "by coder: anna 1, bram 1" in done.output
    own = run(project, "codebook", "split", "Online ronselen", "Kleding", "--codings", rows["anna2"]["id"][:8])
    assert own.exit_code == 0 and "1 coding(s) moved" in own.output and "by coder" not in own.output


def test_split_as_the_other_coder(two_coders):
    project, rows = two_coders
    out = run(project, "--coder", "bram", "codebook", "split", "Online ronselen", "Via Snapchat",
              "--codings", rows["bram1"]["id"][:8])
    assert out.exit_code == 0, out.output
    coders = {r["coder"] for r in list_codings(project.db, code="Via Snapchat")}
    assert coders == {"bram"}


def test_delete_force_lists_codings_per_coder(two_coders):
    project, _rows = two_coders
    refused = run(project, "codebook", "delete", "Online ronselen")
    assert refused.exit_code == 1 and "3 coding(s) by anna, bram" in refused.output
    out = run(project, "codebook", "delete", "Online ronselen", "--force")
    assert out.exit_code == 0, out.output
    assert "and 3 coding(s) (by coder: anna 2, bram 1)" in out.output
    history = project.db.execute("select summary from changes order by id desc limit 1").fetchone()[0]
    assert "(anna 2, bram 1)" in history
    assert "undone" in run(project, "undo").output
    assert project.db.execute("select count(*) from codings").fetchone()[0] == 3


def test_merge_says_how_many_codings_of_each_coder_moved(two_coders):
    project, _rows = two_coders
    result = codebook.merge(project.db, "anna", "Online ronselen", "Ronselen op school")
    assert result["codings_by_coder"] == {"anna": 2, "bram": 1}
    assert "undone" in run(project, "undo").output
    out = run(project, "codebook", "merge", "Online ronselen", "Ronselen op school")
    assert out.exit_code == 0, out.output
    assert "3 coding(s) moved (by coder: anna 2, bram 1)" in out.output


def test_per_coder_text():
    assert codebook.per_coder_text({"bram": 1, "anna": 2}) == "anna 2, bram 1"


# -- the conflict message ---------------------------------------------------------------------

def test_conflict_message_names_the_file_and_what_to_do(project, add_transcript, tmp_path):
    add_transcript("T1")
    codebook.add(project.db, "anna", "Online ronselen", definition="via apps")
    out = run(project, "codebook", "export")
    assert out.exit_code == 0, out.output
    data = yaml.safe_load(project.codebook_file.read_text(encoding="utf-8"))
    data["codes"][0]["definition"] = "via sociale media"
    theirs = tmp_path / "cb_colleague.yaml"
    theirs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    codebook.update_fields(project.db, "anna", "Online ronselen", definition="via Snapchat")
    result = run(project, "codebook", "import", str(theirs))
    assert result.exit_code == 3
    assert "the codebook file cb_colleague.yaml has 1 conflict(s)" in result.output
    assert "the cb_colleague.yaml" not in result.output
    assert "--theirs" in result.output and "--ours" in result.output and "--dry-run" in result.output
    assert codebook.resolve(project.db, "Online ronselen")["definition"] == "via Snapchat"


def test_conflict_message_for_other_sources():
    conflicts = [codebook_sync.Conflict("c-1", "X", "both_changed", "code 'X': definition changed", {})]
    archive = codebook_sync.conflict_message("project archive p.qdpx", conflicts)
    assert archive.startswith("the project archive p.qdpx has 1 conflict(s)")
    assert "--theirs" in archive and "--dry-run" not in archive
    default = codebook_sync.conflict_message("codebook file", conflicts)
    assert default.startswith("the codebook file has 1 conflict(s)")


def test_apply_sync_raises_the_message(project):
    codebook.add(project.db, "anna", "A", definition="een")
    entries = codebook_sync.entries_from_db(project.db)
    codebook_sync.mark_synced(project.db, entries)
    codebook.update_fields(project.db, "anna", "A", definition="twee")
    entries[0].definition = "drie"
    with pytest.raises(ConflictError, match="the codebook file book.yaml has 1 conflict"):
        codebook_sync.apply_sync(project.db, "anna", entries, source="book.yaml")
