"""The rule-based pipeline: loading, segmentation contract, lemmas, doctor, reprocess."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import WorkbenchError
from workbench.nlp import pipeline
from workbench.nlp.sentences import lemmas_of, segment_texts

TRICKY = [
    "Ik werk hier. Ze werden geronseld!  Dat is  zo.",
    "",
    "   ",
    "Auto's en e-mails; d'r zijn er veel.\nNieuwe regel zonder punt",
    "Eén. Twee? Drie... vier!!! En  \n\n  nu",
    "x",
    "Hij zei: „Ik doe het niet.” Daarna ging hij weg…",
    "06-12345678 is zijn nummer. @kevin_2007 ook.",
]


def test_rule_based_pipeline_is_the_default():
    pipeline.reset_pipeline()
    nlp, info = pipeline.get_pipeline()
    assert info.kind == "rule-based" and info.name == "blank nl"
    assert info.components == ["sentencizer", "lemmatizer"]
    assert info.lemmatizer.startswith("lookup (spacy-lookups-data")
    assert info.notice and pipeline.INSTALL_HINT in info.notice
    assert not info.has_ner and not info.has_pos
    assert pipeline.get_pipeline()[0] is nlp  # loaded once
    assert pipeline.is_loaded()


def test_missing_model_folder_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_SPACY_MODEL", str(tmp_path / "nowhere"))
    pipeline.reset_pipeline()
    try:
        with pytest.raises(WorkbenchError, match="does not exist"):
            pipeline.get_pipeline()
        (tmp_path / "empty").mkdir()
        monkeypatch.setenv("WORKBENCH_SPACY_MODEL", str(tmp_path / "empty"))
        with pytest.raises(WorkbenchError, match="not a spaCy pipeline"):
            pipeline.get_pipeline()
    finally:
        monkeypatch.delenv("WORKBENCH_SPACY_MODEL")
        pipeline.reset_pipeline()


def test_segmentation_matches_spacy_sentences():
    """The fast array-based path gives what ``doc.sents`` and ``token.lemma_`` give."""
    nlp, _info = pipeline.get_pipeline()
    for text, sentences in zip(TRICKY, segment_texts(TRICKY), strict=True):
        doc = nlp(text)
        expected = [
            (s.start_char, s.end_char, " ".join(pipeline.token_lemma(t) for t in s if pipeline.is_word(t)))
            for s in doc.sents if s.text.strip()
        ]
        assert [x.lemmas for x in sentences] == [e[2] for e in expected]
        for sent, (start, end, _lemmas) in zip(sentences, expected, strict=True):
            assert text[sent.start:sent.end] == text[start:end].strip()
            assert sent.start < sent.end
        # sentences do not overlap and keep their order
        assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))


def test_lemmas_line_up_with_words():
    for text in TRICKY:
        for sent in segment_texts([text])[0]:
            [spans] = pipeline.word_spans([text[sent.start:sent.end]])
            assert len(spans) == len(sent.lemmas.split())


def test_lemmas():
    assert pipeline.lemmatize("ronselden geronseld ronselt") == ["ronselen"] * 3
    assert lemmas_of("Ze werden geronseld.") == "ze werden ronselen"
    assert pipeline.lemmatize("...") == []


def test_doctor_reports_pipeline_and_engine(project, add_transcript):
    from workbench.cli.main import cli

    pipeline.reset_pipeline()
    add_transcript("D1")
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(project.root), "doctor"])
    assert result.exit_code == 0, result.output
    out = result.output
    import spacy

    from workbench.audit.deduce_engine import deduce_version

    assert f"spaCy:         {spacy.__version__}" in out
    assert "blank nl (rule-based" in out and "sentencizer, lemmatizer" in out
    assert "lookup (spacy-lookups-data" in out
    assert pipeline.INSTALL_HINT in out
    assert f"deduce {deduce_version()}" in out and "deduce cache:" in out
    assert "reprocess:     not needed" in out
    data = json.loads(runner.invoke(cli, ["--project", str(project.root), "doctor", "--json"]).output)
    assert data["pipeline"]["kind"] == "rule-based"
    assert data["anonymity_engine"]["name"] == "deduce" and "cached" in data["anonymity_engine"]
    assert data["project"]["processed_with"] == data["pipeline"]["fingerprint"]


def test_doctor_outside_a_project(tmp_path, monkeypatch):
    from workbench.cli.main import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "pipeline:" in result.output and "project:" not in result.output


def test_reprocess_keeps_codings_and_rebuilds_sentences(project, add_transcript):
    from workbench.cli.main import cli
    from workbench.services.codebook.codes import add
    from workbench.services.coding.passages import apply_code, list_codings
    from workbench.services.search import search

    db = project.db
    add_transcript("R1")
    add(db, "anna", "Signalen")
    text = db["transcripts"].get("R1")["text"]
    s = text.index("Dure kleding")
    apply_code(db, "anna", "R1", "Signalen", s, s + len("Dure kleding en nieuwe telefoons."))
    before_codings = list_codings(db)
    before_sentences = list(db.query("select idx, turn_idx, start, end, text, lemmas from sentence_texts order by idx"))
    # damage the derived data, as an old pipeline might have left it
    db.execute("update sentences set lemmas = ''")
    db.execute("update meta set value = 'rule-based:old' where key = ?", [pipeline.FINGERPRINT_KEY])
    db.conn.commit()
    assert search(db, "ronselen", mode="lemma") == []
    result = CliRunner().invoke(cli, ["--project", str(project.root), "reprocess"])
    assert result.exit_code == 0, result.output
    assert "codings unchanged" in result.output
    assert list(db.query("select idx, turn_idx, start, end, text, lemmas from sentence_texts order by idx")) == before_sentences
    assert list_codings(db) == before_codings
    assert search(db, "ronselen", mode="lemma")
    assert db.execute("select action from changes order by id desc limit 1").fetchone()[0] == "reprocess"


def test_sentences_end_at_a_trailing_off_ellipsis_and_old_projects_reprocess(project, add_transcript):
    """Issue 24.3: '…' or '...' before a capital ends a sentence; a lower-case word goes on.
    A project segmented before the rule sees re-processing due, and keeps its codings."""
    from workbench.nlp.pipeline import FINGERPRINT_KEY, SEGMENTATION_RULES
    from workbench.services.codebook import codes as codebook
    from workbench.services.coding import passages as coding
    from workbench.services.transcripts.library import get_sentences
    from workbench.services.transcripts.reprocess import reprocess, reprocess_due

    turns = [("I", "Hoe reageerde ze?"),
             ("R", "Hoe ze het vertelde… Je hoorde gewoon dat ze eigenlijk niet... Het was "
                   "duidelijk dat … nou ja. Ik weet het niet… misschien later.")]
    add_transcript("E1", turns=turns)
    db = project.db
    texts = [s["text"] for s in get_sentences(db, "E1")]
    assert texts == ["Hoe reageerde ze?", "Hoe ze het vertelde…",
                     "Je hoorde gewoon dat ze eigenlijk niet...", "Het was duidelijk dat … nou ja.",
                     "Ik weet het niet… misschien later."]
    # An older project: one sentence where there are three, and the old fingerprint.
    t = db["transcripts"].get("E1")["text"]
    codebook.add(db, "anna", "Twijfel")
    s = t.index("Je hoorde")
    kept = coding.apply_code(db, "anna", "E1", "Twijfel", s, s + len("Je hoorde gewoon"))
    with db.atomic():
        fp = db.execute("select value from meta where key = ?", [FINGERPRINT_KEY]).fetchone()[0]
        db["meta"].upsert({"key": FINGERPRINT_KEY, "value": fp.replace(":" + SEGMENTATION_RULES, "")}, pk="key")
        first = get_sentences(db, "E1")[1]
        db.execute("delete from sentences where transcript_id = 'E1' and idx > 1")
        db.execute("update sentences set [end] = ? where transcript_id = 'E1' and idx = 1",
                   [first["start"] + len(turns[1][1])])
    assert "reprocess" in (reprocess_due(db) or "")
    summary = reprocess(project, coder="anna")
    assert summary.sentences_after == 5 and reprocess_due(db) is None
    assert [s["text"] for s in get_sentences(db, "E1")] == texts
    assert coding.get_coding(db, kept["id"])["start"] == s


def test_the_rule_based_shortcut_splits_and_lemmatises_as_spacy_does(monkeypatch):
    """Issue 17 (item 6): with the rule-based pipeline only the tokenizer runs and the workbench
    applies the sentencizer's and the lookup lemmatizer's rules itself; the sentences, lemmas
    and word forms are exactly spaCy's own."""
    import random
    from pathlib import Path

    from workbench.nlp import sentences as S
    from workbench.nlp.pipeline import get_pipeline

    nlp, _info = get_pipeline()
    assert S._rule_based_parts(nlp) is not None
    rng = random.Random(4)
    words = ("ronselen geronseld jongeren Dr. e-mail 10km www.x.nl a@b.nl één café Ja… ... !!! ?? "
             "\"Nee.\" (Echt.) zo'n collega's Hij ging. En dan? Wat! ok").split()
    samples = Path(__file__).resolve().parent.parent / "transcripts"
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))[:3]]
    assert texts
    texts += [" ".join(rng.choice(words) for _ in range(400)) for _ in range(10)]
    texts += ["", "   ", "...", "?!", "Hoe ze het vertelde… Je hoorde niets. niet… misschien later"]
    texts.append(" ".join(texts[:2]) * 20)  # longer than a piece: cut and put together again
    fast_forms: set = set()
    fast = segment_texts(texts, forms=fast_forms)
    monkeypatch.setattr(S, "_rule_based_parts", lambda nlp: None)
    spacy_forms: set = set()
    assert fast == segment_texts(texts, forms=spacy_forms)
    assert fast_forms == spacy_forms and fast_forms
