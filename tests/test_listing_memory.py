"""Listings stay bounded on a big project (issue 17, item 4): `codings`, `kwic`, `search` and
`quote list` on 1,000 generated interviews (60,000 codings) each keep their peak memory under a
fixed bound, whatever they print; paging with --limit and --offset; JSON streamed as it is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOUND_MB = 90  # the interpreter, click and the store take about 45 MB
HWM = """
import atexit, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("VmHWM " + line.split()[1] + "\\n")
atexit.register(report)
sys.argv = ["workbench", *sys.argv[1:]]
from workbench.cli.main import main
main()
"""


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_big_project import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    root = tmp_path_factory.mktemp("thousand") / "project"
    generate(root, interviews=1000, words=300, codings=60_000, quiet=True)
    return root


def _count(root: Path) -> int:
    import sqlite3

    con = sqlite3.connect(root / "workbench.db")
    try:
        return int(con.execute("select count(*) from codings").fetchone()[0])
    finally:
        con.close()


def run_measured(root: Path, *args: str) -> tuple[str, int]:
    """The command's output and its peak memory in MB (VmHWM: its own, not its parent's)."""
    proc = subprocess.run([sys.executable, "-c", HWM, "--project", str(root), *args],
                          capture_output=True, text=True, check=True)
    peak = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("VmHWM"))
    return proc.stdout, peak // 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
@pytest.mark.parametrize("args", [
    ("codings", "--json"), ("codings", "--jsonl"), ("codings",), ("kwic", "jongeren", "--json"),
    ("kwic", "jongeren"), ("search", "jongeren", "--limit", "200", "--json"), ("quote", "list", "--json"),
])
def test_a_listing_keeps_its_memory_bounded(thousand, args):
    out, peak = run_measured(thousand, *args)
    assert out.strip()
    assert peak < BOUND_MB, f"{' '.join(args)} peaked at {peak} MB"
    if args[0] == "codings" and args[1:]:
        count = _count(thousand)
        assert len(json.loads(out) if args[1] == "--json" else out.splitlines()) == count


def test_codings_page_through_with_limit_and_offset(thousand):
    from click.testing import CliRunner

    from workbench.cli.main import cli

    base = ["--project", str(thousand), "codings"]
    runner = CliRunner()
    whole = [json.loads(line) for line in runner.invoke(cli, [*base, "--jsonl", "--limit", "30"]).output.splitlines()]
    first = json.loads(runner.invoke(cli, [*base, "--json", "--limit", "10"]).output)
    second = json.loads(runner.invoke(cli, [*base, "--json", "--limit", "20", "--offset", "10"]).output)
    assert len(whole) == 30 and first + second == whole
    table = runner.invoke(cli, base).output
    assert "codings 1-500 of" in table and "--offset 500 shows the next" in table
    assert len([line for line in table.splitlines() if line.startswith(("   b", " ! b"))]) <= 500


def test_kwic_pages_through_its_occurrences(thousand):
    from click.testing import CliRunner

    from workbench.cli.main import cli

    base = ["--project", str(thousand), "kwic", "jongeren"]
    runner = CliRunner()
    whole = [json.loads(line) for line in runner.invoke(cli, [*base, "--jsonl", "--limit", "12"]).output.splitlines()]
    page = json.loads(runner.invoke(cli, [*base, "--json", "--limit", "5", "--offset", "7"]).output)
    assert len(whole) == 12 and page == whole[7:]
    table = runner.invoke(cli, [*base, "--limit", "3"]).output
    assert "occurrences 1-3; more follow: --offset 3 shows the next" in table


def test_search_pages_with_offset(thousand):
    from workbench.project import Project
    from workbench.services.search import search

    db = Project.open(thousand).db
    ten = search(db, "jongeren signalen", limit=10)
    assert search(db, "jongeren signalen", limit=4, offset=6) == ten[6:]
