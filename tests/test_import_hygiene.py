"""The core never imports the terminal UI, and the CLI imports nothing heavy at start-up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"
UI_PACKAGES = ("tui",)
# The CLI's `open` command is the one place that starts the app (lazily, inside the command).
ALLOWED = {"cli/project_cmds.py"}


def test_core_modules_do_not_import_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in UI_PACKAGES or rel.as_posix() in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "textual" or n.startswith(("textual.", "workbench.tui")) for n in names):
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, offenders


def test_cli_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import workbench.cli.main\n"
        "heavy = [m for m in ('spacy', 'numpy', 'textual', 'deduce', 'docx', 'matplotlib', "
        "'rapidfuzz', 'sqlite_utils') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
