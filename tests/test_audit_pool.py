"""A large first audit runs over several processes: the same flags as one process, in the same
order, a failing text named, a dying worker survived; the project's stored flags do not depend
on how many processes found them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.audit import pool
from workbench.audit.engine import audit_text
from workbench.errors import WorkbenchError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from planted import generate  # noqa: E402

needs_fork = pytest.mark.skipif(not pool._can_fork(), reason="workers are forked on Linux only")


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)
    started: list[int] = []
    real = pool.ProcessPoolExecutor

    def counting(*args, **kwargs):
        started.append(kwargs["max_workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counting)
    return started


def _texts() -> list[str]:
    return [i.text for i in generate(8, 4, seed=5)]


@needs_fork
def test_workers_find_what_one_process_finds_in_order(always_parallel):
    texts = _texts()
    allow, deny = ["Halt"], [("Zuilen", "wijk")]
    serial = [audit_text(t, allow=allow, deny=deny, use_deduce=False) for t in texts]
    results = list(pool.audit_many(texts, allow=allow, deny=deny, use_deduce=False, jobs=2))
    assert always_parallel == [2]
    assert [flags for flags, _counts in results] == serial
    assert any(serial)


def test_one_job_or_little_text_uses_no_workers(monkeypatch):
    started: list[int] = []
    monkeypatch.setattr(pool, "ProcessPoolExecutor", lambda *a, **k: started.append(1))
    texts = _texts()
    assert len(list(pool.audit_many(texts, use_deduce=False, jobs=1))) == len(texts)
    assert len(list(pool.audit_many(texts[:2], use_deduce=False, jobs=4))) == 2  # too little text
    assert started == []


def test_jobs_default_from_the_environment(monkeypatch):
    monkeypatch.setenv(pool.JOBS_ENV, "3")
    assert pool.default_jobs() == 3
    monkeypatch.setenv(pool.JOBS_ENV, "nonsense")
    assert pool.default_jobs() == 1
    monkeypatch.delenv(pool.JOBS_ENV)
    assert 1 <= pool.default_jobs() <= pool.MAX_DEFAULT_JOBS


@needs_fork
def test_a_worker_that_dies_leaves_the_rest_to_this_process(always_parallel, monkeypatch):
    from workbench.audit import engine

    texts = _texts()
    expected = [audit_text(t, use_deduce=False) for t in texts]
    parent = os.getpid()

    def dying(text, **kw):
        if text == texts[3] and os.getpid() != parent:
            os._exit(1)  # a worker killed (out of memory, a signal) halfway
        return audit_text(text, **kw)

    monkeypatch.setattr(engine, "audit_text", dying)
    results = list(pool.audit_many(texts, use_deduce=False, jobs=2))
    assert [flags for flags, _ in results] == expected


@needs_fork
def test_an_error_on_a_text_names_the_transcript(always_parallel, project, add_transcript,
                                                  monkeypatch):
    from workbench.audit import engine
    from workbench.services.anonymity.audit import run_audit

    for n in range(3):
        add_transcript(f"P{n}", municipality="Utrecht",
                       turns=[("I", "Wie?"), ("R", f"Ik sprak Ilias {n} keer." + (
                           " KAPOT" if n == 1 else ""))])
    real = engine.audit_text

    def failing(text, **kw):
        if "KAPOT" in text:
            raise RuntimeError("deduce crashed")
        return real(text, **kw)

    monkeypatch.setattr(engine, "audit_text", failing)
    with pytest.raises(WorkbenchError, match=r"failed on transcript .*deduce crashed"):
        run_audit(project, use_deduce=False, jobs=2)


@needs_fork
def test_stored_flags_do_not_depend_on_the_number_of_processes(always_parallel, project,
                                                               add_transcript):
    from workbench.services.anonymity.audit import list_flags, run_audit

    for n, interview in enumerate(generate(6, 3, seed=9)):
        add_transcript(f"P{n}", municipality="Utrecht", turns=[("R", interview.text)])
    one = run_audit(project, use_deduce=False, jobs=1, recheck=True)
    first = [(f["transcript_id"], f["start"], f["end"], f["category"]) for f in list_flags(project.db)]
    two = run_audit(project, use_deduce=False, jobs=2, recheck=True)
    assert always_parallel == [2]
    assert two.found == one.found and two.per_transcript == one.per_transcript and two.new == 0
    assert [(f["transcript_id"], f["start"], f["end"], f["category"])
            for f in list_flags(project.db)] == first


def test_cli_jobs_option(project, add_transcript):
    from workbench.cli.main import cli

    add_transcript("P1", municipality="Utrecht", turns=[("R", "Ik sprak Ilias gisteren.")])
    runner = CliRunner()
    ok = runner.invoke(cli, ["--project", str(project.root), "audit", "--no-deduce", "--jobs", "2"])
    assert ok.exit_code == 0, ok.output
    assert "Ilias" in ok.output
    bad = runner.invoke(cli, ["--project", str(project.root), "audit", "--no-deduce", "--jobs", "0"])
    assert bad.exit_code != 0 and "--jobs" in bad.output
