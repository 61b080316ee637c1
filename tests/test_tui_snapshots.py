"""Snapshot tests of the workbench's main screens (pytest-textual-snapshot).

Fixed terminal size, cursor blink off, no notifications on screen. Update the baselines with
``make snapshot-update`` only after looking at the report of a failing run.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.worker import WorkerCancelled

from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.tui.app import WorkbenchApp

SIZE = (120, 36)


@pytest.fixture
def coded(project, add_transcript):
    """Two interviews, a theme with two codes, codings by anna and bram."""
    add_transcript("INT01")
    add_transcript("INT02", role="wijkagent", turns=[
        ("I", "Wat ziet u op straat?"),
        ("R", "Jongeren die pakketjes rondbrengen. Ze krijgen er geld voor. "
              "Ronselaars benaderen ze op het schoolplein."),
    ], municipality="Rotterdam", domain="Openbare Orde en Veiligheid")
    db = project.db
    theme = codebook.add(db, "anna", "Werving", kind="theme")
    online = codebook.add(db, "anna", "Ronselen online", parent=theme["id"])
    money = codebook.add(db, "anna", "Geld en spullen", parent=theme["id"])
    sent = {r["text"]: (r["start"], r["end"]) for r in db.query(
        "select text, start, end from sentence_texts")}
    coding.apply_code(db, "anna", "INT01", online["id"],
                      *sent["Soms worden ze geronseld via Snapchat."])
    coding.apply_code(db, "anna", "INT01", money["id"],
                      *sent["Dure kleding en nieuwe telefoons."])
    coding.apply_code(db, "bram", "INT01", money["id"],
                      sent["Dure kleding en nieuwe telefoons."][0],
                      sent["Ze spijbelen ook vaak."][1])
    coding.apply_code(db, "anna", "INT02", online["id"],
                      *sent["Ronselaars benaderen ze op het schoolplein."])
    return project


async def settle(pilot) -> None:
    app = pilot.app
    await pilot.pause()
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause(0.4)  # the debounced codebook reload
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    for field in app.screen.query(Input):
        field.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


def test_transcripts_screen(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_reader_with_codings_selection_and_other_coder(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "j", "j", "shift+down", "o")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_reader_word_selection(snap_compare, coded):
    """A selection from the middle of a sentence, by the word cursor (→) and ⇧→."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "j", "j", "right", "right", "right", "shift+right", "shift+right")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_code_picker(snap_compare, coded):
    """A new name with a look-alike present: ＋ new code comes first, highlighted."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "j", "c", *"Ronselen op school")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_theme_review(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_review(codebook.resolve(coded.db, "Werving")["id"])
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_similar_queue(snap_compare, coded, add_transcript):
    """The review queue of passages like the theme's three extracts (anna's)."""
    add_transcript("INT03", role="wijkcoach", turns=[
        ("I", "Hoe komen ze in contact?"),
        ("R", "Het begint vaak online. Ze worden op Snapchat geronseld met dure kleding en "
              "telefoons. Daarna gaat het snel."),
    ], municipality="Alkmaar")

    async def run_before(pilot):
        from workbench.tui.screens.similar import SimilarScreen

        await settle(pilot)
        pilot.app.push_screen(SimilarScreen(codebook.resolve(coded.db, "Werving")["id"]))
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_search(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"jongeren")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_agreement(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_disagreements(snap_compare, coded):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = pilot.app.screen
        code = codebook.resolve(coded.db, "Geld en spullen")["id"]
        screen.query_one("DataTable").move_cursor(row=screen.row_keys.index(f"code:{code}"))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_audit(snap_compare, coded):
    from workbench.services.anonymity.audit import RUN_KEY, run_audit

    db = coded.db
    tid = "INT01"
    text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
    start = text.index("Snapchat")
    run_audit(coded, use_deduce=False)  # the quick audit finds nothing in these texts
    with db.atomic():
        db["audit_flags"].insert({"id": "a1b2c3d4", "transcript_id": tid, "start": start,
                                  "end": start + len("Snapchat"), "category": "social_handle",
                                  "text": "Snapchat", "source": "patterns", "decision": "open"})
        db["meta"].upsert({"key": RUN_KEY, "value": "2026-11-23T12:00:00+00:00"}, pk="key")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_export(snap_compare, coded):
    import shutil
    from pathlib import Path

    from workbench.services.reporting import quotes, survey

    shutil.copy(Path(__file__).resolve().parent.parent / "codebooks" / "survey_themes.yaml",
                coded.codebooks_dir)
    db = coded.db
    survey.link(db, "anna", "Werving", "4.3")
    first = db.execute("select id from codings where coder = 'anna' order by transcript_id, "
                       "start limit 1").fetchone()[0]
    quotes.star(db, "anna", first)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("down", "down", "space")
        await pilot.pause(0.5)
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)


def test_export_on_a_new_project(snap_compare, coded):
    """No survey themes file: a section per codebook theme, and the ways to make the file."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)

    assert snap_compare(WorkbenchApp(coded), terminal_size=SIZE, run_before=run_before)
