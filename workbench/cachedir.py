"""Where the workbench keeps what it builds once per machine (deduce's lookup tables, the
audit's word lists, the Dutch lemma table): one cache folder, the same for every project."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_root() -> Path:
    """The workbench's cache folder: ``$WORKBENCH_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/workbench``, else ``~/.cache/workbench``."""
    env = os.environ.get("WORKBENCH_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "workbench"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):  # pragma: no cover
        return Path(os.environ["LOCALAPPDATA"]) / "workbench" / "Cache"
    return Path.home() / ".cache" / "workbench"
