"""The sample project: the repository's transcripts, codebook and two coders' codings, built
into a project folder.

:func:`build_sample_project` copies ``transcripts/`` and ``codebooks/`` from a source folder
(the repository) into the target when they differ, creates the project there, imports the
transcripts, applies ``codebooks/codebook.yaml`` and loads ``codebooks/sample_codings.yaml``.
It is idempotent: a second run changes nothing. With source and target the same folder (the
repository root, for ``make run``) nothing is copied.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.project import Project

SAMPLE_CODER = "anna"
CODEBOOK = Path("codebooks") / "codebook.yaml"
CODINGS = Path("codebooks") / "sample_codings.yaml"
COPIED = ("transcripts", "codebooks")


def _copy_changed(source: Path, target: Path) -> int:
    """Copy the files of ``source`` that are missing or different in ``target``."""
    copied = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        dest = target / rel
        if dest.is_file() and filecmp.cmp(path, dest, shallow=False):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    return copied


def build_sample_project(source_root: Path | str, target_root: Path | str) -> Project:
    """Build (or bring up to date) the sample project in ``target_root``."""
    from workbench.formats.codebook_file import read_yaml
    from workbench.services.codebook import sync as codebook_sync
    from workbench.services.coding.codings_file import load_codings
    from workbench.services.transcripts.library import import_paths

    source = Path(source_root).expanduser().resolve()
    target = Path(target_root).expanduser().resolve()
    if source != target:
        for name in COPIED:
            _copy_changed(source / name, target / name)
    project = Project.init(target)
    if not project.get_setting("default_coder"):
        project.set_setting("default_coder", SAMPLE_CODER)
    results = import_paths(project, [project.transcripts_dir], coder=SAMPLE_CODER)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise WorkbenchError(
            "sample transcripts failed to import:\n  " + "\n  ".join(f"{r.path.name}: {r.message}" for r in failed),
            path=project.transcripts_dir,
        )
    codebook_file = target / CODEBOOK
    if codebook_file.is_file():
        entries = read_yaml(codebook_file)
        codebook_sync.apply_sync(project.db, SAMPLE_CODER, entries, strategy="fail",
                                 source=str(CODEBOOK))
    codings_file = target / CODINGS
    if codings_file.is_file():
        load_codings(project, codings_file, coder=SAMPLE_CODER)
    return project
