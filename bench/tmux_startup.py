"""Start-up in a real terminal: tmux, time until the first transcript's id is on screen, for the
cached scale projects (``bench_scale.py`` makes them), against a minimal Textual app started the
same way, interleaved; each run quits with ``q`` so that the project is left as the workbench
leaves it (an unclean close makes the next start check the file in a worker). Not part of
``make bench`` (it needs tmux); run it by hand:

    python bench/tmux_startup.py [--runs 9] [--sizes 20,200,1000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

MINIMAL = (f"{sys.executable} -c \"from textual.app import App\nfrom textual.widgets import Static\n"
           "class M(App):\n    def compose(self):\n        yield Static('READY-MARK')\nM().run()\"")


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True)


def measure(command: str, marker: str, runs: int) -> float:
    """Median seconds from starting ``command`` in tmux until ``marker`` is on screen."""
    out = []
    for _ in range(runs):
        _tmux("kill-session", "-t", "st")
        t0 = time.perf_counter()
        subprocess.run(["tmux", "new", "-d", "-s", "st", "-x", "140", "-y", "40", command], check=True)
        seconds = float("inf")
        while time.perf_counter() - t0 < 20:
            if marker in _tmux("capture-pane", "-p", "-t", "st").stdout:
                seconds = time.perf_counter() - t0
                break
            time.sleep(0.005)
        out.append(seconds)
        _tmux("send-keys", "-t", "st", "q")
        for _ in range(100):
            if _tmux("has-session", "-t", "st").returncode:
                break
            time.sleep(0.05)
        _tmux("kill-session", "-t", "st")
        time.sleep(0.3)
    return statistics.median(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="20,200,1000")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        minimal = measure(MINIMAL, "READY-MARK", args.runs)
        app = measure(f"{sys.executable} -m workbench --project /tmp/workbench-bench/scale-{n} open",
                      "INT001", args.runs)
        print(f"{n} interviews: minimal {minimal * 1000:.0f} ms, workbench {app * 1000:.0f} ms, "
              f"{app / minimal:.2f}×", flush=True)


if __name__ == "__main__":
    main()
