"""Pilot tests of the workbench's other areas in the terminal UI: map, matrix and dashboard
keys, agreement and reconciliation, export, anonymity audit, code suggestions, codebook and
transcript import, transcript notes. Each checks the database after the keys.

Slow work is stubbed: the audit runs without deduce (its lookup tables take minutes to build)
and the deduce loading is replaced by a fake that reports progress from a thread.
"""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, ProgressBar, Tree
from textual.worker import WorkerCancelled

from workbench.agreement import figures
from workbench.services.codebook import codes as codebook
from workbench.services.codebook import sync as codebook_sync
from workbench.services.coding import memos
from workbench.services.coding import passages as coding
from workbench.services.reporting import quotes, survey
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.agreement import AgreementScreen, DisagreementsScreen
from workbench.tui.screens.audit import AuditScreen
from workbench.tui.screens.dialogs import CodePicker, PromptScreen
from workbench.tui.screens.export import ExportScreen, FlaggedQuotesScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.imports import CodebookImportScreen, ImportTranscriptsScreen
from workbench.tui.screens.reader import ReaderScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.transcripts import TranscriptsScreen
from workbench.tui.visual.map_view import MapScreen
from workbench.tui.visual.matrix_view import MatrixScreen
from workbench.tui.visual.progress_view import ProgressScreen
from workbench.tui.widgets.memo_panel import MemoPanel

REPO = Path(__file__).resolve().parent.parent
SIZE = (130, 40)


async def settle(app: WorkbenchApp, pilot, delay: float = 0.0) -> None:
    await pilot.pause(delay)
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def sentence_span(db, text: str) -> tuple[str, int, int]:
    row = db.execute("select transcript_id, start, end from sentence_texts where text = ?",
                     [text]).fetchone()
    assert row is not None, text
    return row[0], row[1], row[2]


@pytest.fixture
def pair(project, add_transcript):
    """Two interviews, a theme with two codes, codings by anna and bram that differ."""
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
    tid, s, e = sentence_span(db, "Soms worden ze geronseld via Snapchat.")
    coding.apply_code(db, "anna", tid, online["id"], s, e)
    coding.apply_code(db, "bram", tid, online["id"], s, e)
    _, s1, e1 = sentence_span(db, "Dure kleding en nieuwe telefoons.")
    _, s2, e2 = sentence_span(db, "Ze spijbelen ook vaak.")
    coding.apply_code(db, "anna", tid, money["id"], s1, e1)
    coding.apply_code(db, "bram", tid, money["id"], s1, e2)
    coding.apply_code(db, "anna", "INT02", online["id"],
                      *sentence_span(db, "Ronselaars benaderen ze op het schoolplein.")[1:])
    coding.apply_code(db, "bram", "INT02", money["id"],
                      *sentence_span(db, "Ze krijgen er geld voor.")[1:])
    return project


def tree_parent(tree: Tree, node_id: str) -> str | None:
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.data and node.data.get("id") == node_id:
            return node.parent.data.get("id") if node.parent and node.parent.data else None
        stack.extend(node.children)
    raise AssertionError(f"{node_id} not in the tree")


# -- map, matrix, dashboard ------------------------------------------------------------------------

async def test_area_keys_open_screens_and_the_map_follows_moves_and_undo(pair):
    db = pair.db
    loose = codebook.add(db, "anna", "Losse code")
    theme = codebook.resolve(db, "Werving")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key, cls in (("4", MatrixScreen), ("8", ProgressScreen), ("3", MapScreen)):
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, cls)
            if key != "3":
                await pilot.press("escape")
                assert isinstance(app.screen, TranscriptsScreen)
        map_screen = app.screen
        tree = map_screen.query_one(Tree)
        assert tree_parent(tree, loose["id"]) != theme["id"]
        # Move the code from theme review opened on top of the map, then come back.
        app.open_review(loose["id"])
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        panel = review.query_one("#codebook")
        panel.focus()
        panel.select_id(loose["id"])
        await pilot.pause()
        await pilot.press("m", *"Werving", "enter")
        await settle(app, pilot)
        assert codebook.resolve(db, loose["id"])["parent_id"] == theme["id"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is map_screen
        assert tree_parent(map_screen.query_one(Tree), loose["id"]) == theme["id"]
        await pilot.press("u")  # undo the move, on the map
        await settle(app, pilot)
        assert codebook.resolve(db, loose["id"])["parent_id"] is None
        assert tree_parent(map_screen.query_one(Tree), loose["id"]) != theme["id"]
        await pilot.press("3")  # already open: stays, no second map
        assert sum(isinstance(s, MapScreen) for s in app.screen_stack) == 1


# -- agreement -------------------------------------------------------------------------------------

async def test_agreement_screen_shows_the_computed_figures(pair):
    unused = codebook.add(pair.db, "anna", "Nog door niemand gebruikt")
    expected = figures.compute(pair.db, coders=None, unit="sentence", overlap=0.9)
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        table = screen.query_one(DataTable)
        rows = {key: table.get_row(key) for key in screen.row_keys}
        width = screen.cell_width  # fitted to the screen: all columns visible
        assert 16 <= width <= 22
        assert table.virtual_size.width <= screen.size.width

        def shown(value) -> str:  # as the cell shows it: whole, or cut at the cell width
            text = str(figures.decode(value))
            return text if len(text) <= width else text[: width - 1] + "…"

        for c in expected["codes"]:
            row = rows[f"code:{c['code_id']}"]
            assert str(row[4]) == shown(c["cohen_kappa"])
            assert str(row[5]) == shown(c["krippendorff_alpha"])
            assert str(row[3]) == shown(c["percent_agreement"])
        pooled = rows["overall:pooled"]
        assert str(pooled[4]) == str(figures.decode(expected["overall"]["pooled"]["cohen_kappa"]))
        # An undefined figure: cut in its cell, its whole reason under the table.
        entry = next(c for c in expected["codes"] if c["code_id"] == unused["id"])
        reason = str(figures.decode(entry["cohen_kappa"]))
        assert reason.startswith("undefined: ")
        row = rows[f"code:{unused['id']}"]
        assert str(row[4]).startswith("undefined:") and reason.startswith(str(row[4]).rstrip("…"))
        table.move_cursor(row=screen.row_keys.index(f"code:{unused['id']}"))
        await pilot.pause()
        assert f"Cohen's κ: {reason}" in str(screen.query_one("#agreement-detail").render())
        # The mean row says in words over how many codes each figure is averaged.
        mean = expected["overall"]["mean"]
        total = expected["overall"]["codes"]
        assert str(rows["overall:mean"][2]) == f"{total} codes"
        assert mean["defined"]["cohen_kappa"] < total  # the unused code has no κ
        assert str(rows["overall:mean"][4]).endswith(f"({mean['defined']['cohen_kappa']} codes)")
        table.move_cursor(row=screen.row_keys.index("overall:mean"))
        await pilot.pause()
        detail = str(screen.query_one("#agreement-detail").render())
        assert (f"Cohen's κ over {mean['defined']['cohen_kappa']} of {total} codes" in detail)
        assert "/" not in str(rows["overall:mean"][2])
        assert any(k.startswith("segments:anna:bram") for k in screen.row_keys)
        assert "anna × bram" in str(screen.query_one("#agreement-summary").render())
        await pilot.press("n")  # unit: turn
        await settle(app, pilot)
        turn = figures.compute(pair.db, unit="turn")
        assert screen.result["unit"] == "turn"
        code = turn["codes"][0]
        assert str(table.get_row(f"code:{code['code_id']}")[4]) == shown(code["cohen_kappa"])


async def test_deciding_a_disagreement_creates_a_consensus_coding(pair):
    db = pair.db
    money = codebook.resolve(db, "Geld en spullen")
    tid, s, e = sentence_span(db, "Ze spijbelen ook vaak.")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        agreement = app.screen
        table = agreement.query_one(DataTable)
        table.move_cursor(row=agreement.row_keys.index(f"code:{money['id']}"))
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DisagreementsScreen)
        units = [(r["transcript"], r["start"], r["end"]) for r in screen.rows]
        assert (tid, s, e) in units
        options = screen.query_one(OptionList)
        options.highlighted = units.index((tid, s, e))
        await pilot.press("b")  # keep bram's: the code goes on the unit for consensus
        await settle(app, pilot)
        rows = list(db.query("select * from codings where coder = 'consensus'"))
        assert [(r["transcript_id"], r["code_id"], r["start"], r["end"]) for r in rows] == [
            (tid, money["id"], s, e)]
        assert screen.consensus[units.index((tid, s, e))] == ["Geld en spullen"]
        # Enter shows the passage with both coders' codings.
        options.highlighted = units.index((tid, s, e))
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.other_coder == "bram"
        assert reader.view.show_other and reader.view.selection == (s, e)
        assert [sp.name for sp in reader.view.codings_at(s, e, own=False)] == ["Geld en spullen"]
        await pilot.press("escape", "escape")
        assert app.screen is screen
        await pilot.press("u")  # undo the decision
        await settle(app, pilot)
        assert db.execute("select count(*) from codings where coder = 'consensus'").fetchone()[0] == 0


async def test_reader_compares_two_other_coders_read_only(pair):
    tid, s, e = sentence_span(pair.db, "Ze spijbelen ook vaak.")
    app = WorkbenchApp(pair, coder="carla")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_transcript(tid, offset=s, end=e, compare=("anna", "bram"))
        await settle(app, pilot)
        reader = app.screen
        assert reader.read_only and reader.own_coder == "anna" and reader.other_coder == "bram"
        assert "anna: —" in str(reader.query_one("#status").render())
        await pilot.press("c")  # refused: not carla's codings
        assert app.screen is reader
        assert pair.db.execute("select count(*) from codings where coder = 'carla'").fetchone()[0] == 0


# -- export ----------------------------------------------------------------------------------------

@pytest.fixture
def linked(pair):
    shutil.copy(REPO / "codebooks" / "survey_themes.yaml", pair.codebooks_dir)
    db = pair.db
    survey.link(db, "anna", "Werving", "4.3")
    tid, s, e = sentence_span(db, "Soms worden ze geronseld via Snapchat.")
    row = db.execute("select id from codings where coder = 'anna' and transcript_id = ? and "
                     "start = ?", [tid, s]).fetchone()
    quotes.star(db, "anna", row[0])
    return pair


async def test_export_screen_previews_writes_and_refuses_flagged_quotes(linked):
    db = linked.db
    app = WorkbenchApp(linked)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot, 0.4)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        ids = [t.id for t in screen.themes]
        await pilot.press(*(["down"] * ids.index("4.3")), "space")
        await settle(app, pilot, 0.5)
        assert screen.selected_ids == ["4.3"]
        assert "Snapchat" in screen.markdown and "(Jongerenwerker)" in screen.markdown
        await pilot.press("f")  # docx
        await pilot.press("w")
        await settle(app, pilot)
        written = list(linked.exports_dir.glob("chapter-4.3-*.docx"))
        assert len(written) == 1 and written[0].stat().st_size > 0
        assert any(written[0].name in n.message for n in app._notifications)

        # An open anonymity flag on the starred quote's words: refused, listed, nothing written.
        tid, s, _e = sentence_span(db, "Soms worden ze geronseld via Snapchat.")
        at = s + len("Soms worden ze geronseld via ")
        with db.atomic():
            db["audit_flags"].insert({"id": "f1", "transcript_id": tid, "start": at,
                                      "end": at + len("Snapchat"), "category": "social_handle",
                                      "text": "Snapchat", "source": "test", "decision": "open"})
        await pilot.press("f", "w")  # md
        await settle(app, pilot)
        assert isinstance(app.screen, FlaggedQuotesScreen)
        assert [i.flagged_text for i in app.screen.items] == ["Snapchat"]
        assert list(linked.exports_dir.glob("chapter-4.3-*.md")) == []
        await pilot.press("enter")  # opens the passage in the reader
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.view.flags == [(at, at + len("Snapchat"))]


# -- anonymity audit -------------------------------------------------------------------------------

@pytest.fixture
def contact(project, add_transcript):
    add_transcript("INT05", turns=[
        ("I", "Hoe kunnen jongeren u bereiken?"),
        ("R", "Ze bellen mij op 06-12345678 of mailen naar jan.devries@example.nl. "
              "Dat werkt goed."),
    ])
    return project


async def test_audit_screen_runs_and_dismiss_and_replace_change_the_db_and_reader(contact, monkeypatch):
    monkeypatch.setattr(AuditScreen, "USE_DEDUCE", False)
    db = contact.db
    app = WorkbenchApp(contact)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_transcript("INT05")
        await settle(app, pilot)
        reader = app.screen
        assert reader.view.flags == []
        await pilot.press("7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.flags == []
        await pilot.press("A")
        await settle(app, pilot)
        texts = {f["text"]: f for f in screen.flags}
        assert {"06-12345678", "jan.devries@example.nl"} <= set(texts)
        assert screen.query_one(DataTable).row_count == len(screen.flags)
        # Categories by their readable names, never the stored keys.
        shown = {str(screen.query_one(DataTable).get_row(f["id"])[0]): f["category"]
                 for f in screen.flags}
        assert {"telefoonnummer", "e-mailadres"} <= set(shown)
        assert not set(shown) & {"phone", "email"}

        table = screen.query_one(DataTable)
        table.move_cursor(row=[f["text"] for f in screen.flags].index("jan.devries@example.nl"))
        await pilot.press("d")
        await settle(app, pilot)
        assert db.execute("select decision from audit_flags where text = ?",
                          ["jan.devries@example.nl"]).fetchone()[0] == "dismissed"
        assert "jan.devries@example.nl" not in [f["text"] for f in screen.flags]

        table.move_cursor(row=[f["text"] for f in screen.flags].index("06-12345678"))
        await pilot.press("p")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "[telefoonnummer]"
        await pilot.press("enter")
        await settle(app, pilot)
        text = db.execute("select text from transcripts where id = 'INT05'").fetchone()[0]
        assert "[telefoonnummer]" in text and "06-12345678" not in text
        # Back in the reader: the new text, and no open flag left.
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is reader
        assert "[telefoonnummer]" in reader.view.text
        assert reader.view.flags == []
        await pilot.press("u")  # undo the replacement from the reader
        await settle(app, pilot)
        assert "06-12345678" in reader.view.text
        assert len(reader.view.flags) == 1


async def test_audit_loads_deduce_in_the_background_with_progress(contact, monkeypatch):
    """The deduce build is faked: it reports from its own thread, as the real one does."""
    from workbench.audit import deduce_engine
    from workbench.services.anonymity import audit

    ready = threading.Event()
    seen: list[str] = []
    real_run = audit.run_audit

    def fake_build(progress=None, **_kw):
        def run():
            progress("building deduce's lookup tables (1 s)", None)
            ready.set()
            progress("deduce ready", 1.0)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def fake_run(project, transcripts=None, progress=None, *, use_deduce=True):
        seen.append(f"use_deduce={use_deduce}")
        return real_run(project, transcripts, progress, use_deduce=False)

    monkeypatch.setattr(deduce_engine, "is_ready", lambda: ready.is_set())
    monkeypatch.setattr(deduce_engine, "build_in_background", fake_build)
    monkeypatch.setattr(deduce_engine, "engine_info", lambda: {"ready": ready.is_set()})
    monkeypatch.setattr(audit, "run_audit", fake_run)
    app = WorkbenchApp(contact)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        screen = app.screen
        statuses: list[str] = []
        original = screen._progress

        shown: list[bool] = []

        def spy(message, done, total):
            statuses.append(message)
            shown.append(screen.query_one(ProgressBar).display)
            original(message, done, total)

        screen._progress = spy
        await pilot.press("A")
        await settle(app, pilot)
        assert shown and all(shown)  # the bar showed while deduce loaded and the audit ran
        assert statuses[0].startswith("building deduce")
        assert any(s.startswith("deduce ready after") for s in statuses)
        assert seen == ["use_deduce=True"]
        assert not screen.query_one(ProgressBar).display
        assert len(screen.flags) >= 2


# -- code suggestions ------------------------------------------------------------------------------

async def test_picker_offers_suggestions_and_applies_only_a_chosen_one(pair, add_transcript):
    add_transcript("INT03", turns=[("I", "Hoe gaat dat?"),
                                   ("R", "Ze worden via Snapchat geronseld, vaak na school.")])
    db = pair.db
    online = codebook.resolve(db, "Ronselen online")
    tid, s, e = sentence_span(db, "Ze worden via Snapchat geronseld, vaak na school.")
    before = db.execute("select count(*) from codings").fetchone()[0]
    app = WorkbenchApp(pair, coder="bram")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_transcript(tid, offset=s)
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert [x.code_id for x in picker.suggested_codes][:1] == [online["id"]]
        assert picker.suggested_names, "in-vivo names from the passage"
        shown = picker.query_one("#picker-suggestions", OptionList)
        ids = [shown.get_option_at_index(i).id for i in range(shown.option_count)]
        assert f"code:{online['id']}" in ids and any(i.startswith("name:") for i in ids)
        assert db.execute("select count(*) from codings").fetchone()[0] == before
        # An in-vivo name only fills the field: nothing is created until Enter.
        name = picker.suggested_names[0].name
        shown.focus()
        shown.highlighted = ids.index(f"name:{name}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert picker.query_one(Input).value == name
        assert db.execute("select count(*) from codes where name = ?", [name]).fetchone()[0] == 0
        await pilot.press("tab")
        shown.highlighted = ids.index(f"code:{online['id']}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not picker
        assert db.execute("select code_id from codings where coder = 'bram' and transcript_id = ? "
                          "and start = ?", [tid, s]).fetchone()[0] == online["id"]


# -- codebook import -------------------------------------------------------------------------------

async def test_codebook_import_shows_conflicts_and_changes_nothing_until_chosen(pair):
    db = pair.db
    path = pair.codebook_file
    codebook_sync.write_yaml(db, path)
    code = codebook.resolve(db, "Geld en spullen")
    codebook.rename(db, "anna", code["id"], "Geld en cadeaus")
    path.write_text(path.read_text(encoding="utf-8").replace("Geld en spullen",
                                                             "Geld en luxe"), encoding="utf-8")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Import codebook")
        await settle(app, pilot, 0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == str(path)
        await pilot.press("enter")
        await settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, CodebookImportScreen)
        assert len(modal.plan.conflicts) == 1
        assert modal.query_one(DataTable).get_row_at(0)[0].plain == "CONFLICT"
        await pilot.press("enter")  # refused: conflicts need a choice
        assert app.screen is modal
        assert any("choose t (theirs)" in n.message for n in app._notifications)
        assert codebook.resolve(db, code["id"])["name"] == "Geld en cadeaus"
        await pilot.press("escape")
        assert codebook.resolve(db, code["id"])["name"] == "Geld en cadeaus"
        history = db.execute("select count(*) from changes").fetchone()[0]

        app.action_import_codebook()
        await pilot.press("enter")
        await settle(app, pilot)
        assert db.execute("select count(*) from changes").fetchone()[0] == history
        await pilot.press("t")  # the file's version
        await settle(app, pilot)
        assert codebook.resolve(db, code["id"])["name"] == "Geld en luxe"


# -- transcript import -----------------------------------------------------------------------------

async def test_import_transcripts_from_the_ui_with_results(project, tmp_path):
    incoming = tmp_path / "new"
    incoming.mkdir()
    (incoming / "INT09.txt").write_text(
        "---\nid: INT09\nrol: wijkcoach\ngemeente: Tilburg\n---\n"
        "I: Wat doet u?\nR: Ik ben wijkcoach. Ik zie veel jongeren.\n", encoding="utf-8")
    (incoming / "broken.txt").write_text("---\nid: [oeps\n---\nI: Hallo\n", encoding="utf-8")
    app = WorkbenchApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_import_transcripts()
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = str(incoming)
        await pilot.press("enter")
        await settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, ImportTranscriptsScreen) and modal.done
        status = {r.path.name: r for r in modal.results}
        assert status["INT09.txt"].status == "imported"
        assert status["broken.txt"].status == "failed"
        assert "broken.txt" in status["broken.txt"].message
        table = modal.query_one(DataTable)
        assert table.row_count == 2
        assert project.db.execute("select label from transcripts where id = 'INT09'"
                                  ).fetchone()[0] == "Wijkcoach"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TranscriptsScreen)
        assert app.screen.query_one(DataTable).row_count == 1


# -- notes ------------------------------------------------------------------------------------------

async def test_transcript_notes_from_the_reader(pair):
    db = pair.db
    memos.add(db, "bram", "transcript", "INT01", "Bram: veel over school.")
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = await _open(app, pilot, "INT01")
        await pilot.press("N")
        await settle(app, pilot)
        panel = reader.query_one(MemoPanel)
        assert panel.has_class("open")
        assert "Bram: veel over school." in str(panel.query_one("#memo-others").render())
        await pilot.press(*"Eerste indruk: open gesprek.", "ctrl+s")
        await settle(app, pilot)
        rows = [m for m in memos.list_memos(db, "transcript", "INT01") if m["coder"] == "anna"]
        assert [m["text"] for m in rows] == ["Eerste indruk: open gesprek."]
        await pilot.press(*" Later meer.", "escape")  # closing saves the edit
        await settle(app, pilot)
        assert not panel.has_class("open") and reader.view.has_focus
        rows = [m for m in memos.list_memos(db, "transcript", "INT01") if m["coder"] == "anna"]
        assert [m["text"] for m in rows] == ["Eerste indruk: open gesprek. Later meer."]
        await pilot.press("N")
        await settle(app, pilot)
        assert panel.text == "Eerste indruk: open gesprek. Later meer."


async def _open(app, pilot, tid: str) -> ReaderScreen:
    app.open_transcript(tid)
    await settle(app, pilot)
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


# -- help and palette --------------------------------------------------------------------------------

async def test_help_and_palette_list_the_new_areas(pair):
    app = WorkbenchApp(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        for expected in (["Everywhere", "5", "Agreement between coders"],
                         ["Disagreements", "t", "Both"], ["Anonymity audit", "p", "Placeholder"],
                         ["Export", "w", "Write chapter"], ["Reader: coding", "N", "Notes"]):
            assert expected in rows
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"Anonymity audit")
        await settle(app, pilot, 0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
async def test_audit_screen_audits_over_worker_processes(contact, add_transcript, monkeypatch):
    """The audit screen's thread forks the workers while the UI runs: same flags, UI unharmed."""
    from workbench.audit import pool

    add_transcript("INT06", turns=[("I", "En verder?"),
                                   ("R", "Bel 06-87654321, of mail naar p.jansen@example.nl.")])
    monkeypatch.setattr(AuditScreen, "USE_DEDUCE", False)
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)
    started: list[int] = []
    real = pool.ProcessPoolExecutor
    monkeypatch.setattr(pool, "ProcessPoolExecutor",
                        lambda *a, **k: started.append(k["max_workers"]) or real(*a, **k))
    monkeypatch.setenv(pool.JOBS_ENV, "2")
    app = WorkbenchApp(contact)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        await pilot.press("A")
        for _ in range(50):
            await settle(app, pilot)
            if not app.screen.running:
                break
        assert started == [2]
        assert {"06-12345678", "jan.devries@example.nl", "06-87654321",
                "p.jansen@example.nl"} <= {f["text"] for f in app.screen.flags}
        await pilot.press("escape")
        await settle(app, pilot)
