"""Shared fixtures: temporary projects, quick transcripts, and the sample project.

The rule-based Dutch pipeline is used throughout (no model download, ever). The sample project
(the repository's own transcripts/ and codebooks/) is built once per test session and copied
for each test that asks for it.
"""

from __future__ import annotations

import shutil
import socket
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.audit import deduce_engine
from workbench.project import Project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    monkeypatch.delenv("WORKBENCH_SPACY_MODEL", raising=False)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(_cache_dir(tmp_path_factory)))


def _cache_dir(factory: pytest.TempPathFactory) -> Path:
    # deduce's lookup tables are slow to build: share one cache folder per machine user.
    path = Path.home() / ".cache" / "workbench-tests"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project with default coder 'anna'."""
    p = Project.init(tmp_path / "proj", default_coder="anna")
    yield p
    p.close()


def transcript_text(
    tid: str, role: str, turns: list[tuple[str, str]], *, date: str = "2023-01-01",
    municipality: str = "Utrecht", domain: str = "Jeugd, Zorg en Welzijn",
) -> str:
    body = "\n".join(f"{speaker}: {text}" for speaker, text in turns)
    return textwrap.dedent(
        f"""\
        ---
        id: {tid}
        rol: {role}
        gemeente: {municipality}
        domein: "{domain}"
        datum: {date}
        ---
        """
    ) + body + "\n"


@pytest.fixture
def add_transcript(project: Project, tmp_path: Path) -> Callable[..., str]:
    """Write a transcript file and import it; returns its id."""
    from workbench.services.transcripts.library import import_paths

    def make(tid: str, role: str = "jongerenwerker", turns: list[tuple[str, str]] | None = None, **kw: str) -> str:
        turns = turns or [
            ("I", f"Kunt u iets vertellen over uw werk? (interview {tid})"),
            ("R", "Ik werk al tien jaar met jongeren. Soms worden ze geronseld via Snapchat. "
                  "Dat zien we steeds vaker."),
            ("I", "Welke signalen ziet u?"),
            ("R", "Dure kleding en nieuwe telefoons. Ze spijbelen ook vaak."),
        ]
        path = tmp_path / "incoming" / f"{tid}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(transcript_text(tid, role, turns, **kw), encoding="utf-8")
        results = import_paths(project, [path])
        assert results[0].status in ("imported", "replaced"), results[0].message
        return tid

    return make


@pytest.fixture(scope="session")
def _sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.services.sample import build_sample_project

    root = tmp_path_factory.mktemp("sample")
    build_sample_project(REPO, root)
    return root


@pytest.fixture
def sample_project(_sample_db: Path, tmp_path: Path) -> Project:
    """A fresh copy of the sample project (transcripts, codebook, two coders' codings)."""
    target = tmp_path / "sample"
    shutil.copytree(_sample_db, target)
    p = Project.open(target)
    yield p
    p.close()


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the audit engine must not use the network")


@pytest.fixture(scope="session")
def deduce_ready() -> list[tuple[str, float | None]]:
    """Load deduce once per test run (progress messages are returned)."""
    messages: list[tuple[str, float | None]] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _no_network)
        thread = deduce_engine.build_in_background(
            lambda message, fraction: messages.append((message, fraction)),
            cache_root=Path.home() / ".cache" / "workbench-tests",
        )
        thread.join(timeout=900)
    info = deduce_engine.engine_info()
    assert deduce_engine.is_ready(), info
    return messages

