"""Imports whose sentences are made in worker processes: the same project as an import that
makes them in one process, with the same answers for bad, duplicate and repeated files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from workbench.project import Project
from workbench.services.transcripts import segmenting
from workbench.services.transcripts.library import import_paths
from workbench.store import sentence_index

REPO = Path(__file__).resolve().parent.parent


def _incoming(tmp_path: Path) -> Path:
    """The sample interviews, a bad file between them, a second copy of one interview's text
    under another id, and a transcript whose id another file uses too."""
    folder = tmp_path / "incoming"
    shutil.copytree(REPO / "transcripts", folder)
    (folder / "INT03b_broken.txt").write_text("---\nid: [unclosed\n---\nI: Hallo?\n", encoding="utf-8")
    text = (folder / "INT01_jongerenwerker_utrecht.txt").read_text(encoding="utf-8")
    (folder / "INT09_copy.txt").write_text(text.replace("id: INT01", "id: INT09"), encoding="utf-8")
    same_id = text.replace("Snapchat", "Instagram")
    (folder / "INT10_same_id.txt").write_text(same_id, encoding="utf-8")
    return folder


def _contents(project: Project) -> dict[str, Any]:
    db = project.db
    return {
        "transcripts": db.execute("select id, label, word_count, turn_count, sentence_count, content_hash, "
                                  "import_fingerprint from transcripts order by id").fetchall(),
        "sentences": db.execute("select transcript_id, idx, turn_idx, start, [end], lemmas, lemma_edits "
                                "from sentences order by transcript_id, idx").fetchall(),
        "forms": db.execute("select word, form from lemma_forms order by word, form").fetchall(),
        "index": db.execute("select s.transcript_id, s.idx from sentences_fts f join sentences s "
                            "on s.rowid = f.rowid where sentences_fts match 'snapchat' "
                            "order by 1, 2").fetchall(),
    }


def _import(tmp_path: Path, name: str, workers: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, list]:
    monkeypatch.setenv(segmenting.JOBS_ENV, workers)
    project = Project.init(tmp_path / name, default_coder="anna")
    results = import_paths(project, [tmp_path / "incoming"])
    return project, [(r.path.name, r.status, r.message.replace(str(tmp_path), "")) for r in results]


def test_workers_make_the_same_project_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _incoming(tmp_path)
    alone, alone_results = _import(tmp_path, "alone", "1", monkeypatch)
    # A thread besides this one: the workers come from a clean server process, not a fork.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        pooled, pooled_results = _import(tmp_path, "pooled", "2", monkeypatch)
    finally:
        stop.set()
    assert pooled_results == alone_results
    statuses = {name: status for name, status, _ in pooled_results}
    assert statuses["INT03b_broken.txt"] == "failed"
    assert statuses["INT09_copy.txt"] == "failed"  # a duplicate of INT01's text: a decision
    assert statuses["INT10_same_id.txt"] == "failed"  # INT01 again, differing: --replace
    assert list(statuses.values()).count("imported") == len(list((REPO / "transcripts").iterdir())) - 1
    assert _contents(pooled) == _contents(alone)
    assert _contents(alone)["sentences"]
    assert sentence_index.problems(pooled.db) == []


def test_replacing_within_one_import_stores_in_file_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two files for one transcript in one import with --replace: the second replaces the
    first (decided after the first is stored, not against the project before it)."""
    folder = _incoming(tmp_path)
    (folder / "INT03b_broken.txt").unlink()
    (folder / "INT09_copy.txt").unlink()
    monkeypatch.setenv(segmenting.JOBS_ENV, "2")
    project = Project.init(tmp_path / "p", default_coder="anna")
    results = import_paths(project, [folder], replace=True)
    by_name = {r.path.name: r for r in results}
    assert by_name["INT01_jongerenwerker_utrecht.txt"].status == "imported"
    assert by_name["INT10_same_id.txt"].status == "replaced"
    text = project.db.execute("select text from transcripts where id = 'INT01'").fetchone()[0]
    assert "Instagram" in text and "Snapchat" not in text


def test_the_command_line_forks_workers_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _incoming(tmp_path)
    alone, _ = _import(tmp_path, "alone", "1", monkeypatch)
    Project.init(tmp_path / "cli", default_coder="anna")
    env = {k: v for k, v in os.environ.items() if k != segmenting.JOBS_ENV}
    done = subprocess.run([sys.executable, "-m", "workbench", "--project", str(tmp_path / "cli"), "import",
                           "--jobs", "2", str(tmp_path / "incoming")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode != 0  # the broken file and the duplicates
    assert "INT03b_broken.txt" in done.stderr + done.stdout
    assert _contents(Project.open(tmp_path / "cli")) == _contents(alone)


def test_a_worker_that_dies_costs_only_time(tmp_path: Path) -> None:
    text = (REPO / "transcripts" / "INT01_jongerenwerker_utrecht.txt").read_text(encoding="utf-8")
    spans = [(0, len(text) // 2), (len(text) // 2 + 1, len(text))]
    expected = segmenting.segment_transcript(text, spans)
    with segmenting.Segmenter(2) as segmenter:
        assert segmenter.submit(text, spans)() == expected
        pool = segmenter._pool
        assert pool is not None
        for process in list(pool._processes.values()):  # type: ignore[attr-defined]
            process.kill()
            process.join()
        assert segmenter.submit(text, spans)() == expected
        assert segmenter.submit(text, spans)() == expected
        assert segmenter.workers == 0  # the rest in this process


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(segmenting.JOBS_ENV, raising=False)
    assert segmenting.workers_for(10_000, 5) == 0  # a pilot: not worth starting processes
    assert segmenting.workers_for(50_000_000, 1) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert segmenting.workers_for(50_000_000, 200) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert segmenting.workers_for(50_000_000, 200) == 0
    monkeypatch.setenv(segmenting.JOBS_ENV, "3")
    assert segmenting.workers_for(10, 1) == 3
    assert segmenting.workers_for(10, 1, jobs=1) == 0  # --jobs 1: this process alone
    monkeypatch.setenv(segmenting.JOBS_ENV, "1")
    assert segmenting.workers_for(50_000_000, 200) == 0


async def test_the_terminal_ui_imports_with_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the terminal UI, sys.stderr is no file (Textual captures it): starting
    multiprocessing's helpers failed there ('bad value(s) in fds_to_keep') and the import
    stopped at its first file."""
    from multiprocessing import resource_tracker

    from textual.widgets import Input

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.imports import ImportTranscriptsScreen

    resource_tracker._resource_tracker._stop()  # as in a fresh process: started by this import
    folder = tmp_path / "incoming"
    shutil.copytree(REPO / "transcripts", folder)
    monkeypatch.setenv(segmenting.JOBS_ENV, "2")
    project = Project.init(tmp_path / "p", default_coder="anna")
    app = WorkbenchApp(project)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        app.action_import_transcripts()
        await pilot.pause()
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        for _ in range(600):
            await pilot.pause(0.1)
            if isinstance(app.screen, ImportTranscriptsScreen) and app.screen.done:
                break
        modal = app.screen
        assert isinstance(modal, ImportTranscriptsScreen) and modal.done
        assert {r.status for r in modal.results} == {"imported"}, [r.message for r in modal.results]
    assert project.db.execute("select count(*) from transcripts").fetchone()[0] == len(modal.results)


def test_reprocessing_with_workers_keeps_the_same_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services.transcripts.reprocess import reprocess

    _incoming(tmp_path)
    project, _ = _import(tmp_path, "p", "1", monkeypatch)
    before = _contents(project)
    project.db.execute("update sentences set lemmas = 'x' where idx = 0")  # something to put right
    monkeypatch.setenv(segmenting.JOBS_ENV, "2")
    summary = reprocess(project)
    assert summary.sentences_after == summary.sentences_before == len(before["sentences"])
    assert _contents(project) == before
    assert sentence_index.problems(project.db) == []


def test_ctrl_c_during_an_import_says_what_is_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped by Ctrl-C after some files: the command says how many transcripts were stored
    (each whole), how to go on, and exits 130; the stored ones are consistent."""
    from click.testing import CliRunner

    from workbench.cli.main import cli
    from workbench.services.transcripts import library

    folder = tmp_path / "incoming"
    shutil.copytree(REPO / "transcripts", folder)
    project = Project.init(tmp_path / "p", default_coder="anna")
    project.close()
    real = library.import_paths

    def stopped_after_two(project, paths, **kwargs):
        kwargs["progress"] = None
        files = sorted(f for f in folder.iterdir() if f.suffix in (".txt", ".md"))[:2]
        real(project, files, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(library, "import_paths", stopped_after_two)
    done = CliRunner().invoke(cli, ["--project", str(tmp_path / "p"), "import", str(folder)], env={})
    assert done.exit_code == 130, done.output
    assert "2 new transcript(s) were stored" in done.output and "run the same command again" in done.output
    reopened = Project.open(tmp_path / "p")
    assert reopened.db.execute("select count(*) from transcripts").fetchone()[0] == 2
    assert sentence_index.problems(reopened.db) == []


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["fork", "forkserver"])
def test_ctrl_c_is_for_the_importing_process_not_its_workers(how: str) -> None:
    """Workers ignore SIGINT (a terminal's Ctrl-C reaches the whole process group: workers hit by
    it printed tracebacks); the importing process keeps it (it stops the import)."""
    script = f"""
import signal, threading, sys
from pathlib import Path
from workbench.services.transcripts import segmenting
stop = threading.Event()
if {how!r} == "forkserver":  # another thread: workers come from a server process
    threading.Thread(target=stop.wait, daemon=True).start()
text = "Ze worden geronseld via Snapchat. Dat zien we vaker."
with segmenting.Segmenter(2) as s:
    s.submit(text, [(0, len(text))])()
    def ignored(pid):
        mask = next(l for l in open(f"/proc/{{pid}}/status") if l.startswith("SigIgn"))
        return bool(int(mask.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    workers = [ignored(p) for p in s._pool._processes]
    print(ignored("self"), bool(workers) and all(workers))
stop.set()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "False True", done.stdout
