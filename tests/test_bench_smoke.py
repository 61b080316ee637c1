"""The benchmark suite runs in CI at its small "smoke" size: every script exits cleanly and
prints its figures with their baselines. (Speed itself is never asserted in tests.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.slow
def test_bench_smoke_runs_every_script() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--size", "smoke"],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    scripts = sorted(p.stem for p in BENCH.glob("bench_*.py"))
    assert len(scripts) >= 4
    for name in scripts:
        assert f"## {name}" in proc.stdout
        assert f"({name}.py:" in proc.stdout and "exit 0)" in proc.stdout
    assert "baseline" in proc.stdout.lower()
