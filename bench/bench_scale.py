"""The same figures at every size: 20, 200 and 1,000 interviews (issue 17's `scale` section).

For each size a generated project (``bench/make_big_project.py``: 7,500 words and 250 codings
by two coders per interview) is built once and cached in ``--dir`` (built again when the
generator changes). Every figure comes from fresh processes, so imports and opening the project
count, measured ``--runs`` times interleaved with its baseline (machine noise hits both alike);
the median is printed, with the peak memory (max RSS) of the slowest of them:

- start-up: until the first screen's transcripts list is painted (headless, as
  ``bench_tui.py``), against a minimal Textual app; goal ≤ 2×, alike at every size;
- search processes, 20 hits: word (the baseline), lemma and fuzzy; goal ≤ 1.5× word search;
- ``codings --json`` (every coding), applying a code to a sentence, and agreement between the
  two coders, against a process that only starts the CLI (``workbench --version``).

    python bench/bench_scale.py --size full       # 20, 200 and 1,000 interviews
    python bench/bench_scale.py --size smoke      # 10 and 30 interviews, one run each
    python bench/bench_scale.py --sizes 20,200    # chosen sizes
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SIZES = {"smoke": ([10, 30], 1), "full": ([20, 200, 1000], 3)}
CODINGS_PER_INTERVIEW = 250
TIMEOUT = 300.0
QUERIES = {"word": ["jongeren signalen"], "lemma": ["jongere signaal", "--lemma"],
           "fuzzy": ["jongeren signaleren uitbuiting op straat", "--fuzzy"]}


def project_for(base: Path, interviews: int) -> Path:
    """The cached generated project of this size (built when missing or out of date)."""
    source = (HERE / "make_big_project.py").read_bytes()
    stamp_text = hashlib.sha256(source + str(CODINGS_PER_INTERVIEW).encode()).hexdigest()[:16]
    root = base / f"scale-{interviews}"
    stamp = root / ".bench-stamp"
    if stamp.is_file() and stamp.read_text() == stamp_text and (root / "workbench.db").is_file():
        return root
    t0 = time.perf_counter()
    print(f"  generating {interviews} interviews in {root} …", file=sys.stderr, flush=True)
    # In a child process: a process forked from a big parent reports the parent's memory as
    # its own peak (ru_maxrss counts the image before exec), so this process stays small.
    subprocess.run([sys.executable, str(HERE / "make_big_project.py"), str(root), "--interviews",
                    str(interviews), "--codings", str(interviews * CODINGS_PER_INTERVIEW)],
                   check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(stamp_text)
    print(f"  generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return root


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "workbench"
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench"]


def run_process(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process (its output thrown away)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + TIMEOUT
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            proc.wait()
            return float("inf"), 0.0
        time.sleep(0.005)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed (exit {code}): {err[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds and the largest peak memory of each command, interleaved."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    memory: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for name, args in commands.items():
            seconds, mb = run_process(args)
            times[name].append(seconds)
            memory[name] = max(memory[name], mb)
    return {k: (statistics.median(v), memory[k]) for k, v in times.items()}


def startup(root: Path, runs: int) -> tuple[float, float]:
    import bench_tui

    found = bench_tui.startup(root, runs)
    return statistics.median(found["minimal"]), statistics.median(found["app"])


def one_size(base: Path, interviews: int, runs: int) -> dict[str, object]:
    root = project_for(base, interviews)
    cli = [*_cli(), "--project", str(root)]
    sentence = _respondent_sentence(root)
    commands = {
        "start": [*cli, "--version"],
        **{f"search {mode}": [*cli, "search", q[0], *q[1:], "--limit", "20"] for mode, q in QUERIES.items()},
        "codings --json": [*cli, "codings", "--json"],
        "apply a code": [*cli, "--coder", "anna", "code", "INT001", "Vermoedens 1", "--sentence", str(sentence)],
        "agreement": [*cli, "agreement", "--coders", "anna,bram"],
    }
    measure({"warm": commands["search word"], "warm lemma": commands["search lemma"]}, 1)
    found = measure(commands, runs)
    minimal, app = startup(root, runs)
    _undo_bench_codings(root)
    return {"interviews": interviews, "figures": found, "minimal": minimal, "app": app}


def _respondent_sentence(root: Path) -> int:
    import sqlite3

    con = sqlite3.connect(root / "workbench.db")
    try:
        row = con.execute("select s.idx from sentences s join turns t on t.transcript_id = s.transcript_id "
                          "and t.idx = s.turn_idx where s.transcript_id = 'INT001' and t.role = 'respondent' "
                          "order by s.idx desc limit 1").fetchone()
        return int(row[0])
    finally:
        con.close()


def _undo_bench_codings(root: Path) -> None:
    """Take the codings this run applied out again, so that the cached project stays as made."""
    import sqlite3

    from workbench.store.integrity import record_clean

    con = sqlite3.connect(root / "workbench.db")
    try:
        con.execute("delete from codings where id not like 'b%'")
        con.commit()
    finally:
        con.close()
    # as the workbench leaves a file it closed: the next start-up does not check it again
    record_clean(root / "workbench.db")


def _ms(seconds: float) -> str:
    return "timeout" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def report(results: list[dict[str, object]]) -> None:
    sizes = [r["interviews"] for r in results]
    print("| figure | " + " | ".join(f"{n} interviews" for n in sizes) + " | goal |")
    print("|---|" + "---:|" * len(sizes) + "---|")

    def row(name: str, cells: list[str], goal: str = "") -> None:
        print(f"| {name} | " + " | ".join(cells) + f" | {goal} |")

    row("start-up, minimal Textual app", [_ms(r["minimal"]) for r in results])  # type: ignore[arg-type]
    row("start-up, workbench (transcripts list painted)",
        [f"{_ms(r['app'])} ({r['app'] / r['minimal']:.2f}×)" for r in results], "≤ 2×, flat")  # type: ignore[operator]
    figures = [r["figures"] for r in results]
    row("a CLI process that only starts (`--version`)", [_ms(f["start"][0]) for f in figures])  # type: ignore[index]
    row("word search process (20 hits)", [_ms(f["search word"][0]) for f in figures])  # type: ignore[index]
    for mode in ("lemma", "fuzzy"):
        row(f"{mode} search process",
            [f"{_ms(f[f'search {mode}'][0])} ({f[f'search {mode}'][0] / f['search word'][0]:.2f}× word)"  # type: ignore[index]
             for f in figures], "≤ 1.5× word")
    for name in ("codings --json", "apply a code", "agreement"):
        row(f"`{name}` process",
            [f"{_ms(f[name][0])} ({f[name][0] / f['start'][0]:.1f}× start)" for f in figures])  # type: ignore[index]
    print()
    print("Peak memory (MB, max RSS of the process):\n")
    print("| process | " + " | ".join(f"{n}" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name in figures[0]:  # type: ignore[union-attr]
        print(f"| {name} | " + " | ".join(f"{f[name][1]:.0f}" for f in figures) + " |")  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--sizes", help="comma-separated interview counts (instead of --size's)")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/workbench-bench"))
    args = parser.parse_args()
    sizes, runs = SIZES[args.size]
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
    runs = args.runs or runs
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"Generated projects of {sizes} interviews (7,500 words and {CODINGS_PER_INTERVIEW} codings "
          f"each), median of {runs} fresh process(es) per figure:\n", flush=True)
    results = [one_size(args.dir, n, runs) for n in sizes]
    report(results)


if __name__ == "__main__":
    main()
