"""User-visible files are written whole, with the umask's permissions, never over a file by
accident, and never into a folder made up by a typo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.errors import ConflictError, WorkbenchError
from workbench.files import write_atomic, write_with


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "chapter.md", "# Hoofdstuk\n")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
    assert path.read_text(encoding="utf-8") == "# Hoofdstuk\n"


def test_no_overwrite_without_force_and_no_made_up_folders(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "a.txt", "een")
    with pytest.raises(ConflictError, match="--force"):
        write_atomic(target, "twee")
    assert target.read_text() == "een"
    write_atomic(target, "twee", force=True)
    assert target.read_text() == "twee"
    with pytest.raises(WorkbenchError, match="does not exist"):
        write_atomic(tmp_path / "typo" / "b.txt", "x")
    assert not (tmp_path / "typo").exists()
    assert write_atomic(tmp_path / "new" / "b.txt", "x", create_parents=True).exists()


def test_a_failing_writer_leaves_nothing(tmp_path: Path) -> None:
    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_with(tmp_path / "x.zip", broken)
    assert list(tmp_path.iterdir()) == []
