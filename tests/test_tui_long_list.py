"""The first screen at any size (issue 17, item 1): a long transcripts list paints a screenful of
rows from a covering index, the others come just after, and the list then behaves as one whole
list; the coders (one progress column each) are read without reading the codings."""

from __future__ import annotations

from textual.widgets import DataTable

from workbench.clock import now_iso
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.transcripts import TranscriptsScreen

COUNT = 150


def _many_transcripts(project, count: int = COUNT) -> list[str]:
    """``count`` transcript rows written straight into the store (the list needs no text)."""
    now = now_iso()
    ids = [f"INT{n:03d}" for n in range(1, count + 1)]
    with project.db.atomic():
        project.db["transcripts"].insert_all(
            {"id": tid, "text": "Tekst.", "content_hash": tid, "source_path": f"{tid}.txt",
             "source_format": "txt", "role": "jongerenwerker", "municipality": "Utrecht",
             "domain": "Onderwijs", "date": "2023-01-01", "label": f"Jongerenwerker {tid}",
             "label_manual": 1, "word_count": 1, "turn_count": 1, "sentence_count": 1,
             "metadata": "{}", "imported_at": now, "imported_by": "anna"}
            for tid in ids)
    return ids


async def test_the_first_paint_shows_a_screenful_and_then_every_row(project, monkeypatch):
    ids = _many_transcripts(project)
    seen: list[int] = []
    original = TranscriptsScreen._add_pending_rows

    def spy(self, filling):
        seen.append(self.query_one(DataTable).row_count)
        return original(self, filling)

    monkeypatch.setattr(TranscriptsScreen, "_add_pending_rows", spy)
    app = WorkbenchApp(project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert seen and seen[0] < 60  # painted first: the rows that fit, and a few more
        assert table.row_count == COUNT
        assert [str(table.get_row_at(n)[0]) for n in (0, COUNT - 1)] == [ids[0], ids[-1]]
        await pilot.press("end")
        assert table.cursor_row == COUNT - 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.transcript["id"] == ids[-1]


async def test_the_cursor_stays_on_its_transcript_beyond_the_first_screenful(project):
    ids = _many_transcripts(project)
    app = WorkbenchApp(project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=120)
        await pilot.pause()
        screen.refresh_data()  # as after a change: the list is filled again
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == COUNT
        assert screen.row_ids[table.cursor_row] == ids[120]


def test_the_list_reads_a_covering_index(project):
    plan = " ".join(str(r) for r in project.db.execute(
        "explain query plan select id, label, role, municipality, domain, date, turn_count, "
        "sentence_count, word_count, source_format from transcripts order by date, id").fetchall())
    assert "COVERING INDEX transcripts_list" in plan


def test_every_coder_of_a_coding_is_listed_without_reading_the_codings(project, add_transcript):
    from workbench.services.codebook import codes as codebook
    from workbench.services.team import coders

    add_transcript("INT01")
    code = codebook.add(project.db, "anna", "Werving")
    with project.db.atomic():  # as an import or a merge writes codings: straight into the table
        project.db.execute(
            "insert into codings (id, transcript_id, code_id, coder, start, end, memo, created_at) "
            "values ('x1', 'INT01', ?, 'zoë', 0, 5, '', '2026-01-01T00:00:00')", [code["id"]])
    assert "zoë" in coders(project.db)
    assert project.db.execute("select created_at from coders where name = 'zoë'").fetchone()[0] == \
        "2026-01-01T00:00:00"
