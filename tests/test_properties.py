"""Property-based tests (hypothesis) for the importers and the span arithmetic."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import ImportFileError, WorkbenchError
from workbench.formats.importers import read_transcript
from workbench.formats.importers.encoding import decode_bytes
from workbench.services.coding.passages import check_span
from workbench.services.transcripts.library import build

words = st.text(alphabet=string.ascii_letters + "éëïöüçàè", min_size=1, max_size=10)
sentences = st.lists(words, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
turn_texts = st.lists(sentences, min_size=1, max_size=4).map(" ".join)
turns = st.lists(st.tuples(st.sampled_from(["I", "R"]), turn_texts), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=turns, crlf=st.booleans(), bom=st.booleans())
def test_any_wellformed_transcript_round_trips(tmp_path_factory, turns, crlf, bom) -> None:
    body = "---\nid: P1\nrol: wijkcoach\n---\n" + "\n".join(f"{s}: {t}" for s, t in turns) + "\n"
    if crlf:
        body = body.replace("\n", "\r\n")
    data = body.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path = Path(tmp_path_factory.mktemp("prop")) / "p.txt"
    path.write_bytes(data)
    built = build(read_transcript(path))
    assert len(built.turns) == len(turns)
    for (speaker, text), turn in zip(turns, built.turns, strict=True):
        assert built.text[turn["start"]:turn["end"]] == text.strip()
        assert turn["role"] == ("interviewer" if speaker == "I" else "respondent")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoder_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        text = decode_bytes(data, Path("x.txt"))
    except ImportFileError as exc:
        assert "x.txt" in str(exc)
    else:
        assert "\r" not in text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=400))
def test_reader_rejects_garbage_cleanly(tmp_path_factory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("garbage")) / "g.txt"
    path.write_bytes(data)
    try:
        parsed = read_transcript(path)
    except ImportFileError as exc:
        assert "g.txt" in str(exc)
    else:
        assert parsed.turns and all(t.text.strip() for t in parsed.turns)


@given(st.text(max_size=60), st.integers(-5, 70), st.integers(-5, 70))
def test_check_span_result_is_inside_and_trimmed(text: str, start: int, end: int) -> None:
    try:
        s, e = check_span(text, start, end)
    except WorkbenchError:
        assert start < 0 or end > len(text) or start >= end or not text[max(start, 0):end].strip()
    else:
        assert 0 <= start <= s < e <= end <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert text[s:e] == text[start:end].strip()
