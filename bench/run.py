"""`make bench`: run every benchmark script in bench/ and print their figures.

Each ``bench_*.py`` script takes ``--size smoke|full`` and prints its own table of figures, each
with the baseline measured in the same run and the ratio to it. ``--size smoke`` is small
enough for CI; ``--size full`` builds the 200-interview reference project (about 1.5 million
words, 50,000 codings by two coders) and takes a while.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=["smoke", "full"], default="smoke")
    parser.add_argument("--only", help="run only scripts whose name contains this")
    args = parser.parse_args()
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not args.only or args.only in p.name)
    print(f"# workbench benchmarks ({args.size}) on {machine()}\n")
    failed = 0
    summary: list[tuple[str, float, float, int]] = []
    for script in scripts:
        print(f"## {script.stem}\n", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script), "--size", args.size])
        _pid, status, usage = os.wait4(proc.pid, 0)  # this script's own peak memory
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        seconds = time.perf_counter() - t0
        print(f"\n({script.name}: {seconds:.1f} s, exit {code})\n", flush=True)
        summary.append((script.stem, seconds, usage.ru_maxrss / 1024, code))
        failed += code != 0
    print("## summary\n")
    print("| script | wall s | peak memory (MB, the script's own process) | exit |")
    print("|---|---:|---:|---:|")
    for name, seconds, mb, code in summary:
        print(f"| {name} | {seconds:.1f} | {mb:.0f} | {code} |")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
