"""Benchmark the terminal workbench on a generated project.

Prints, measured in this run on this machine:
- start-up to the first usable screen (the transcripts table painted) of the workbench on the
  generated project, against a minimal Textual app started the same way (ratio; goal ≤ 2×);
- the time to apply a code to a selection until the reader has redrawn, at 100,000 codings
  (goal ≤ 50 ms);
- the peak memory (RSS) of the app process after start-up, opening a transcript and coding
  (goal < 400 MB).

Every figure comes from a fresh child process (headless Textual), so imports count.

    python bench/bench_tui.py                     # full: 200 interviews, 50k codings
    python bench/bench_tui.py --size smoke        # 20 interviews, 5k codings
    python bench/bench_tui.py --interviews 50 --codings 10000 --apply-codings 100000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"smoke": (20, 5_000), "full": (200, 50_000)}


# -- children ------------------------------------------------------------------------------------

def child_minimal() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

        def on_ready(self) -> None:
            print("READY", flush=True)
            self.exit()

    Minimal().run(headless=True)


def child_app(directory: str) -> None:
    from workbench._fast_imports import import_sqlite_utils

    import_sqlite_utils()  # as `workbench` itself does before it opens a project
    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp

    class Timed(WorkbenchApp):
        def on_ready(self) -> None:
            # The transcripts table is filled in the first screen's on_mount: usable now.
            table = self.screen.query_one("#transcript-table")
            print(f"READY rows={table.row_count}", flush=True)
            self.exit()

    # As `workbench open` on a terminal: the integrity check runs in a worker after start-up.
    Timed(Project.open(directory, check_later=True)).run(headless=True)


def child_apply(directory: str, repeats: int) -> None:
    import asyncio
    import resource

    from textual.worker import WorkerCancelled

    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.reader import ReaderScreen

    async def settle(app, pilot) -> None:
        # Let the previous action's background work (the debounced codebook reload) finish,
        # as it does between two codings by a person.
        await pilot.pause(0.5)
        for _ in range(10):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue
        await pilot.pause()

    async def run() -> dict:
        project = Project.open(directory)
        app = WorkbenchApp(project)
        codings = project.db.execute("select count(*) from codings").fetchone()[0]
        code_id = project.db.execute("select id from codes where kind = 'code' limit 1").fetchone()[0]
        tid = project.db.execute("select id from transcripts order by id limit 1").fetchone()[0]
        times = []
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.open_transcript(tid)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            view = screen.view
            loop = asyncio.get_running_loop()
            for i in range(repeats):
                view.action_cursor(2 + i % 3)
                view.action_extend_sentence(1)
                await pilot.pause()
                span = view.target_span
                done = loop.create_future()
                t0 = time.perf_counter()
                screen.apply({"code_id": code_id}, span)
                app.call_after_refresh(lambda d=done: d.done() or d.set_result(time.perf_counter()))
                t1 = await done
                times.append((t1 - t0) * 1000)
                await settle(app, pilot)
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"codings": codings, "apply_ms": times, "rss_mb": rss_kb / 1024}

    print("RESULT " + json.dumps(asyncio.run(run())), flush=True)


def child_visits(directory: str, visits: int) -> None:
    """Open and close the reader ``visits`` times, cycling through the transcripts; the
    process's memory half-way (every transcript seen, caches warm) and at the end (issue 25:
    flat over a working day)."""
    import asyncio
    import gc

    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp

    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0.0

    async def run() -> dict:
        project = Project.open(directory)
        app = WorkbenchApp(project)
        tids = [r[0] for r in project.db.execute("select id from transcripts order by id")]
        marks = {}
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for i in range(visits):
                app.open_transcript(tids[i % len(tids)])
                await pilot.pause(0.02)
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
                if i + 1 in (visits // 2, visits):
                    await pilot.pause(0.6)
                    gc.collect()
                    marks[i + 1] = rss_mb()
        return marks

    print("RESULT " + json.dumps(asyncio.run(run())), flush=True)


TOUR = ("enter", "v", "3", "4", "5", "6", "8", "?", "/")
"""Every screen in turn from the transcripts list: reader, theme review, map, matrix,
agreement, export, dashboard, help, search (the audit builds deduce: left out)."""


def child_tour(directory: str, tours: int) -> None:
    """Open every screen in turn and go back, ``tours`` times; the process's memory after
    the first tours (every screen and cache warm) and at the end."""
    import asyncio
    import gc

    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.transcripts import TranscriptsScreen

    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0.0

    async def run() -> dict:
        project = Project.open(directory)
        app = WorkbenchApp(project)
        marks = {}
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for i in range(tours):
                for key in TOUR:
                    await pilot.press(key)
                    await pilot.pause(0.02)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    while not isinstance(app.screen, TranscriptsScreen):
                        await pilot.press("escape")
                        await pilot.pause()
                if i + 1 in (tours // 2, tours):
                    await pilot.pause(0.6)
                    gc.collect()
                    marks[i + 1] = rss_mb()
        return marks

    print("RESULT " + json.dumps(asyncio.run(run())), flush=True)


# -- parent --------------------------------------------------------------------------------------

def _spawn(args: list[str]) -> tuple[float, str]:
    env = {**os.environ, "TEXTUAL": ""}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True,
                            env=env)
    out = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(("READY", "RESULT")):
            out = line.strip()
            elapsed = time.perf_counter() - t0
            break
    else:
        elapsed = time.perf_counter() - t0
    proc.wait()
    if proc.returncode != 0 or not out:
        raise SystemExit(f"child {args} failed (exit {proc.returncode})")
    return elapsed, out


def startup(directory: Path, runs: int) -> dict:
    minimal, app = [], []
    for _ in range(runs):  # interleaved, so that machine noise hits both alike
        minimal.append(_spawn(["--child", "minimal"])[0])
        elapsed, line = _spawn(["--child", "app", str(directory)])
        app.append(elapsed)
    return {"minimal": minimal, "app": app, "rows": line.split("rows=")[-1]}


def integrity_cost(directory: Path, runs: int) -> dict:
    """Opening the database when its file is as the workbench left it, against opening it
    after something else touched it (then ``quick_check`` runs once)."""
    import os

    from workbench.store import connection, integrity

    db_path = directory / "workbench.db"
    trusted, checked, deferred, log = [], [], [], []
    for _ in range(runs):
        connection._VERIFIED.clear()
        integrity.record_clean(db_path)
        t0 = time.perf_counter()
        connection.open_database(db_path).close()
        trusted.append(time.perf_counter() - t0)
        connection._VERIFIED.clear()
        os.utime(db_path)  # as if another program wrote to it
        t0 = time.perf_counter()
        connection.open_database(db_path).close()
        checked.append(time.perf_counter() - t0)
        connection._VERIFIED.clear()
        os.utime(db_path)
        t0 = time.perf_counter()  # the terminal UI: open now, check in a worker
        connection.open_database(db_path, check_later=True).close()
        deferred.append(time.perf_counter() - t0)
    # another process has the project open and has committed: its write-ahead log is read
    # (frame headers only) on every open
    other = connection.open_database(db_path)
    other.execute("pragma wal_autocheckpoint = 0")
    for n in range(200):
        other.execute("insert or replace into meta(key, value) values ('bench', ?)", [str(n)])
        other.conn.commit()
    wal = Path(f"{db_path}-wal").stat().st_size
    for _ in range(runs):
        t0 = time.perf_counter()
        integrity.check_file(db_path, whole=False)
        log.append(time.perf_counter() - t0)
    other.close()
    integrity.record_clean(db_path)
    return {"trusted": statistics.median(trusted), "checked": statistics.median(checked),
            "deferred": statistics.median(deferred), "log": statistics.median(log),
            "wal_kb": wal // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the terminal workbench.")
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--interviews", type=int)
    parser.add_argument("--codings", type=int)
    parser.add_argument("--apply-codings", type=int, default=100_000,
                        help="codings in the project when timing 'apply a code'")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/workbench-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "minimal":
            child_minimal()
        elif kind == "app":
            child_app(rest[0])
        elif kind == "apply":
            child_apply(rest[0], int(rest[1]))
        elif kind == "visits":
            child_visits(rest[0], int(rest[1]))
        elif kind == "tour":
            child_tour(rest[0], int(rest[1]))
        return

    sys.path.insert(0, str(HERE))
    from make_big_project import generate, top_up_codings

    interviews, codings = SIZES[args.size]
    interviews = args.interviews or interviews
    codings = args.codings or codings
    directory = args.dir / f"i{interviews}-c{codings}"
    t0 = time.perf_counter()
    project = generate(directory, interviews=interviews, codings=codings, quiet=True)
    words = project.db.execute("select sum(word_count) from transcripts").fetchone()[0]
    project.close()
    print(f"project: {interviews} interviews, {words:,} words, {codings:,} codings "
          f"(generated in {time.perf_counter() - t0:.1f}s)")

    s = startup(directory, args.runs)
    best_min, best_app = min(s["minimal"]), min(s["app"])
    med_min, med_app = statistics.median(s["minimal"]), statistics.median(s["app"])
    print(f"start-up, minimal Textual app: best {best_min * 1000:.0f} ms, median {med_min * 1000:.0f} ms")
    print(f"start-up, workbench ({s['rows']} rows): best {best_app * 1000:.0f} ms, "
          f"median {med_app * 1000:.0f} ms")
    print(f"start-up ratio (median): {med_app / med_min:.2f}× (goal ≤ 2×)")

    check = integrity_cost(directory, args.runs)
    print(f"open the project database, file as the workbench left it (no check): median "
          f"{check['trusted'] * 1000:.1f} ms")
    print(f"open it after another program touched the file (quick_check): median "
          f"{check['checked'] * 1000:.1f} ms ({check['checked'] / max(check['trusted'], 1e-9):.0f}× ; "
          "paid once, then recorded)")
    print(f"the terminal UI opens such a file in {check['deferred'] * 1000:.1f} ms and checks it "
          f"in a worker (writes wait for the check)")
    print(f"look at the write-ahead log of another open process ({check['wal_kb']} KB): median "
          f"{check['log'] * 1000:.2f} ms per open")

    apply_dir = args.dir / f"i{interviews}-c{codings}-apply"
    import shutil

    from workbench.project import Project

    shutil.rmtree(apply_dir, ignore_errors=True)
    shutil.copytree(directory, apply_dir)
    project = Project.open(apply_dir)
    added = top_up_codings(project, args.apply_codings)
    project.close()
    _elapsed, line = _spawn(["--child", "apply", str(apply_dir), str(args.repeats)])
    result = json.loads(line.split(" ", 1)[1])
    times = sorted(result["apply_ms"])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"apply a code at {result['codings']:,} codings (+{added:,} synthetic), until redrawn: "
          f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
          "(goal ≤ 50 ms)")
    print(f"peak memory (RSS) of the app process: {result['rss_mb']:.0f} MB (goal < 400 MB)")

    visits = 80 if args.size == "smoke" else 400
    _elapsed, line = _spawn(["--child", "visits", str(directory), str(visits)])
    marks = {int(k): v for k, v in json.loads(line.split(" ", 1)[1]).items()}
    half = visits // 2
    grown = marks[visits] - marks[half]
    print(f"memory over reader visits: {marks[half]:.0f} MB after {half} (caches warm), "
          f"{marks[visits]:.0f} MB after {visits}: {grown:+.1f} MB, "
          f"{grown / (visits - half) * 100:+.1f} MB per 100 visits (goal: < 5 MB per 100 visits)")

    tours = 8 if args.size == "smoke" else 40
    _elapsed, line = _spawn(["--child", "tour", str(directory), str(tours)])
    marks = {int(k): v for k, v in json.loads(line.split(" ", 1)[1]).items()}
    half = tours // 2
    grown = marks[tours] - marks[half]
    print(f"memory over every screen in turn ({len(TOUR)} screens a tour): {marks[half]:.0f} MB "
          f"after {half} tours, {marks[tours]:.0f} MB after {tours}: {grown:+.1f} MB, "
          f"{grown / (tours - half) * 10:+.1f} MB per 10 tours (goal: flat, < 5 MB per 10 tours)")


if __name__ == "__main__":
    main()
