"""An audit does not redo what has not changed: a transcript whose text, allow and deny lists,
detectors and engine are as at its last audit keeps its flags without being audited again;
any change to one of them audits it again; --recheck audits everything."""

from __future__ import annotations

from click.testing import CliRunner

from workbench.services.anonymity import audit as A
from workbench.services.anonymity.deny_list import deny_add


def _two(add_transcript) -> tuple[str, str]:
    a = add_transcript("P1", municipality="Utrecht", turns=[
        ("I", "Wie?"), ("R", "Ik sprak Ilias gisteren nog. Bel 06-12345678 als het moet.")])
    b = add_transcript("P2", municipality="Utrecht", turns=[
        ("I", "Waar?"), ("R", "Hij komt uit Kanaleneiland, daar kent iedereen elkaar.")])
    return a, b


def test_an_unchanged_transcript_is_not_audited_again(project, add_transcript, monkeypatch):
    a, b = _two(add_transcript)
    first = A.run_audit(project, use_deduce=False)
    assert first.unchanged == 0 and first.found == 3
    seen: list[str] = []
    import workbench.audit.engine as engine

    real = engine.audit_text
    monkeypatch.setattr(engine, "audit_text", lambda text, **kw: seen.append(text) or real(text, **kw))
    again = A.run_audit(project, use_deduce=False)
    assert seen == [] and again.unchanged == 2
    assert again.found == first.found and again.per_transcript == first.per_transcript
    assert {f["text"] for f in A.list_flags(project.db)} == {"Ilias", "06-12345678", "Kanaleneiland"}
    # a dismissal changes no input: still nothing to do, and the decision stands
    flag = next(f for f in A.list_flags(project.db) if f["text"] == "Ilias")
    A.decide(project.db, "anna", flag["id"], "dismiss")
    assert A.run_audit(project, use_deduce=False).unchanged == 2 and seen == []
    # the deny list changed: both are audited again
    deny_add(project.db, "anna", "Kanaleneiland", "wijk")
    changed = A.run_audit(project, use_deduce=False)
    assert changed.unchanged == 0 and len(seen) == 2 and changed.denied == 1
    # a replacement changes the text of one transcript: only that one is audited again
    seen.clear()
    phone = next(f for f in A.list_flags(project.db) if f["text"] == "06-12345678")
    A.replace(project.db, "anna", phone["id"])
    after = A.run_audit(project, use_deduce=False)
    assert after.unchanged == 1 and len(seen) == 1 and "[telefoonnummer]" in seen[0]
    # quick (no deduce) and full audits are different inputs; --recheck redoes everything
    seen.clear()
    assert A.run_audit(project, use_deduce=False, recheck=True).unchanged == 0 and len(seen) == 2


def test_flags_removed_behind_its_back_are_found_again(project, add_transcript):
    a, _b = _two(add_transcript)
    A.run_audit(project, use_deduce=False)
    with project.db.atomic():
        project.db.execute("delete from audit_flags where transcript_id = ?", [a])
    again = A.run_audit(project, use_deduce=False)
    assert again.unchanged == 1
    assert {f["text"] for f in A.list_flags(project.db, transcript=a)} == {"Ilias", "06-12345678"}


def test_cli_says_how_many_were_unchanged_and_rechecks(project, add_transcript):
    from workbench.cli.main import cli

    _two(add_transcript)
    runner = CliRunner()
    base = ["--project", str(project.root)]
    first = runner.invoke(cli, [*base, "audit", "--no-deduce"])
    assert first.exit_code == 0 and "unchanged" not in first.output
    again = runner.invoke(cli, [*base, "audit", "--no-deduce"])
    assert again.exit_code == 0, again.output
    assert "(2 unchanged since their last audit; --recheck audits them again)" in again.output
    assert "»Kanaleneiland«" in again.output  # the flags are still listed
    forced = runner.invoke(cli, [*base, "audit", "--no-deduce", "--recheck"])
    assert forced.exit_code == 0 and "unchanged" not in forced.output
