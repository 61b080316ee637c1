"""Start-up: import sqlite-utils without numpy.

sqlite-utils imports numpy (and tries pandas) at import time only to map numpy scalar types to
column types when it creates tables from values; the workbench creates its tables from an
explicit schema and stores plain Python values, so that mapping is never used. numpy costs
about 100-190 ms of every start-up (see bench/bench_tui.py). The CLI calls
:func:`import_sqlite_utils` before it opens a project: while sqlite_utils itself is being
imported numpy and pandas look absent, and right after they import normally (spaCy and
matplotlib need numpy).
"""

from __future__ import annotations

import sys

_HIDDEN = ("numpy", "pandas")


def import_sqlite_utils() -> None:
    if "sqlite_utils" in sys.modules or any(name in sys.modules for name in _HIDDEN):
        return
    for name in _HIDDEN:
        sys.modules[name] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in _HIDDEN:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
