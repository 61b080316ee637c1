"""The audit's word lists are kept in the cache folder between runs (workbench.audit.word_cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.audit import word_cache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    return tmp_path / "words"


def test_a_list_is_built_once_then_read_from_the_cache(cache: Path) -> None:
    calls: list[int] = []

    def build() -> tuple[frozenset[str], ...]:
        calls.append(1)
        return (frozenset({"huis", "straat"}),)

    assert word_cache.cached("test", build, kind=tuple) == (frozenset({"huis", "straat"}),)
    assert word_cache.cached("test", build, kind=tuple) == (frozenset({"huis", "straat"}),)
    assert calls == [1]
    (stored,) = cache.glob("test-*.pickle")
    assert "spacy-lookups-data-" in stored.name  # rebuilt when spaCy's data changes
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])  # the last: 1
def test_a_broken_or_foreign_file_is_built_again(cache: Path, content: bytes) -> None:
    word_cache.cached("test", lambda: ("a",), kind=tuple)
    (stored,) = cache.glob("test-*.pickle")
    stored.write_bytes(content)
    assert word_cache.cached("test", lambda: ("b",), kind=tuple) == ("b",)
    assert word_cache.cached("test", lambda: ("c",), kind=tuple) == ("b",)


def test_a_cache_that_cannot_be_written_still_gives_the_list(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(blocker))
    assert word_cache.cached("test", lambda: ("a",), kind=tuple) == ("a",)


def test_the_common_word_filter_gives_the_same_answers_from_the_cache(
        cache: Path) -> None:
    from workbench.audit import common_words

    words = ["huis", "jongeren", "gelopen", "Kevin", "Overvecht", "kust", "verdriet", "xqzt"]

    def answers() -> list[tuple[bool, bool]]:
        common_words._lexicon = None
        common_words._indexes = None
        return [(common_words.is_common_word(w), common_words.is_known_word(w)) for w in words]

    built = answers()
    assert list(cache.glob("*.pickle"))
    assert answers() == built
    assert built[0] == (True, True) and built[-1] == (False, False)


@pytest.mark.slow
def test_prepare_builds_what_the_first_audit_needs(deduce_ready: object, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from workbench.audit import common_words
    from workbench.cli.main import cli

    cache = Path.home() / ".cache" / "workbench-tests"  # where the tests keep deduce's tables
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(cache))
    for stored in (cache / "words").glob("*.pickle"):
        stored.unlink()  # the word lists are built again, as on a fresh machine
    monkeypatch.setattr(common_words, "_lexicon", None)
    monkeypatch.setattr(common_words, "_indexes", None)
    result = CliRunner().invoke(cli, ["prepare"])
    assert result.exit_code == 0, result.output
    assert "the anonymity audit is ready" in result.output
    assert {p.name.split("-spacy")[0] for p in (cache / "words").glob("*.pickle")} == {
        "nl-lexicon", "lemma-indexes"}
