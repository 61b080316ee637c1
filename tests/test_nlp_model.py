"""The trained-model code path: a tiny spaCy pipeline with ``ner``, trained here on a handful of
Dutch sentences, saved, and loaded through WORKBENCH_SPACY_MODEL."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.nlp import pipeline

TRAIN = [
    ("Ze werken voor de Zwarte Panters uit de wijk.", [("Zwarte Panters", "ORG")]),
    ("De Zwarte Panters ronselen jongens op straat.", [("Zwarte Panters", "ORG")]),
    ("Daarna sprak ik met Bram Jansen over zijn broer.", [("Bram Jansen", "PER")]),
    ("Bram Jansen was toen nog jong.", [("Bram Jansen", "PER")]),
    ("Ze hingen vaak rond bij het Kanaleneiland.", [("Kanaleneiland", "LOC")]),
    ("In het Kanaleneiland gebeurt veel.", [("Kanaleneiland", "LOC")]),
    ("De jongeren worden via Snapchat benaderd.", []),
    ("Ik werk al tien jaar als jongerenwerker.", []),
    ("Dat zien we steeds vaker bij kwetsbare jongeren.", []),
]


def _annotations(text: str, ents: list[tuple[str, str]]) -> dict:
    spans = []
    for words, label in ents:
        start = text.index(words)
        spans.append((start, start + len(words), label))
    return {"entities": spans}


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(7)
    rng = random.Random(7)
    nlp = spacy.blank("nl")
    ner = nlp.add_pipe("ner")
    for _text, ents in TRAIN:
        for _w, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), _annotations(t, e)) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.meta["name"] = "test_ner"
    nlp.meta["version"] = "0.0.1"
    path = tmp_path_factory.mktemp("model") / "nl_test_ner"
    nlp.to_disk(path)
    return path


@pytest.fixture
def trained_pipeline(trained_model_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_SPACY_MODEL", str(trained_model_dir))
    pipeline.reset_pipeline()
    yield pipeline.get_pipeline()
    pipeline.reset_pipeline()


def test_model_folder_is_loaded_with_ner(trained_pipeline, trained_model_dir):
    nlp, info = trained_pipeline
    assert info.kind == "folder"
    assert info.name == str(trained_model_dir)
    assert info.has_ner and "ner" in info.components
    # the loader adds what segmentation and lemmas need
    assert "sentencizer" in info.components and "lemmatizer" in info.components
    assert info.notice is None
    assert "0.0.1" in info.version
    assert info.fingerprint.startswith("folder:")


def test_model_entities(trained_pipeline):
    text = "Ze werken voor de Zwarte Panters uit de wijk."
    [ents] = pipeline.entities([text])
    assert (text.index("Zwarte"), text.index(" uit"), "ORG") in ents


def test_rule_based_pipeline_has_no_entities():
    pipeline.reset_pipeline()
    _nlp, info = pipeline.get_pipeline()
    assert info.kind == "rule-based" and not info.has_ner
    assert pipeline.entities(["Bram Jansen werkt bij de Zwarte Panters."]) == [[]]


def test_segmentation_and_lemma_search_with_model(trained_pipeline, project, add_transcript):
    from workbench.services.search import search

    add_transcript("M1", turns=[("I", "Hoe gaat dat?"),
                                ("R", "Bram Jansen werd geronseld. Daarna ronselde hij zelf.")])
    hits = search(project.db, "ronselen", mode="lemma")
    assert {project.db["transcripts"].get("M1")["text"][h.start:h.end] for h in hits} == {"geronseld", "ronselde"}


def test_model_entities_feed_the_audit(trained_pipeline, project, add_transcript):
    from workbench.services.anonymity.audit import list_flags, run_audit

    add_transcript("M2", municipality="Utrecht", turns=[
        ("I", "Met wie werken ze samen?"),
        ("R", "De Zwarte Panters ronselen jongens op straat."),
    ])
    run_audit(project)
    flags = list_flags(project.db)
    model = [f for f in flags if f["source"] == "model"]
    assert [(f["text"], f["category"]) for f in model] == [("Zwarte Panters", "institution")]


def test_rule_based_audit_has_no_model_flags(project, add_transcript):
    from workbench.services.anonymity.audit import list_flags, run_audit

    pipeline.reset_pipeline()
    add_transcript("M3", turns=[("I", "Met wie?"), ("R", "Ze werken voor de Zwarte Panters uit de wijk.")])
    run_audit(project)
    assert not [f for f in list_flags(project.db) if f["source"] == "model"]


def test_doctor_reports_the_model(trained_pipeline, trained_model_dir):
    from workbench.cli.main import cli

    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "folder" in result.output and str(trained_model_dir) in result.output
    assert "ner" in result.output and "model NER" in result.output
    assert "nl_core_news_sm is not installed" not in result.output


def test_reprocess_after_switching_to_the_model(project, add_transcript, trained_model_dir, monkeypatch):
    from workbench.services.codebook.codes import add
    from workbench.services.coding.passages import apply_code, list_codings
    from workbench.services.transcripts.reprocess import (
        reprocess,
        reprocess_due,
        stored_fingerprint,
    )

    pipeline.reset_pipeline()
    add_transcript("M4")
    db = project.db
    rule_fp = stored_fingerprint(db)
    assert rule_fp and rule_fp.startswith("rule-based:")
    assert reprocess_due(db) is None
    add(db, "anna", "Ronselen")
    text = db["transcripts"].get("M4")["text"]
    s = text.index("geronseld")
    apply_code(db, "anna", "M4", "Ronselen", s, s + len("geronseld"))
    before = list_codings(db)

    monkeypatch.setenv("WORKBENCH_SPACY_MODEL", str(trained_model_dir))
    pipeline.reset_pipeline()
    try:
        assert "reprocess" in (reprocess_due(db) or "")
        summary = reprocess(project, coder="anna")
        assert summary.previous == rule_fp and summary.fingerprint.startswith("folder:")
        assert stored_fingerprint(db) == summary.fingerprint
        assert reprocess_due(db) is None
        assert list_codings(db) == before
        assert summary.sentences_after == db.execute("select count(*) from sentences").fetchone()[0] > 0
    finally:
        pipeline.reset_pipeline()


TRAILING_OFF = ("Hoe ze het vertelde… Je hoorde gewoon dat ze eigenlijk niet... Het was duidelijk "
                "dat … nou ja. Ik weet het niet… misschien later.")


def test_a_trailing_off_ellipsis_ends_a_sentence_with_the_model_too(trained_pipeline):
    from workbench.nlp.sentences import segment_texts

    found = [TRAILING_OFF[s.start:s.end] for s in segment_texts([TRAILING_OFF])[0]]
    assert found[:3] == ["Hoe ze het vertelde…", "Je hoorde gewoon dat ze eigenlijk niet...",
                         "Het was duidelijk dat … nou ja."]
    assert "Ik weet het niet… misschien later." in found
