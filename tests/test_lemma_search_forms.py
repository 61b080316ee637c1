"""Lemma search without spaCy (issue 17, item 2): the project's word forms, spaCy's Dutch lookup
table read directly, and results identical to lemmatising with the pipeline."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import Any

import pytest

from workbench.nlp import lemma_table
from workbench.nlp.normalize import WORD_RE, fold
from workbench.services import word_forms
from workbench.services.search import _combine, kwic, search
from workbench.services.transcripts.reprocess import reprocess
from workbench.store.schema import LEMMA_FORMS_DUE


def _reference_lemma_hits(db: Any, query: str, limit: int) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """Lemma search as it was before the word forms and the slim lemmas: the query and each
    candidate sentence lemmatised by spaCy's pipeline, a sentence kept when it has every term's
    lemma (the candidates read as the search reads them, more when too few are kept)."""
    from workbench.nlp.pipeline import get_pipeline, is_word, lemmatize, token_lemma
    from workbench.services.search import _fts_rows, _lemma_match_expr

    nlp, _info = get_pipeline()
    terms = []
    for word in WORD_RE.findall(query):
        options = {fold(word)}
        for lemma in lemmatize(word):
            options.update(WORD_RE.findall(fold(lemma)))
        terms.append(options)
    want = limit
    while True:
        rows = _fts_rows(db, _lemma_match_expr(terms), "", [], want)
        out = []
        for row in rows:
            per_term: list[list[tuple[int, int]]] = [[] for _ in terms]
            for token in nlp(row["text"]):
                if not is_word(token):
                    continue
                parts = set(WORD_RE.findall(fold(token_lemma(token))))
                for i, options in enumerate(terms):
                    if parts & options:
                        per_term[i].append((row["start"] + token.idx, row["start"] + token.idx + len(token.text)))
            if all(per_term):
                matches, _span = _combine(per_term)
                out.append((row["transcript_id"], row["idx"], matches))
        if len(out) >= limit or len(rows) < want:
            return out[:limit]
        want *= 4


def _words(db: Any, tid: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    text = db.execute("select text from transcripts where id = ?", [tid]).fetchone()[0]
    return [WORD_RE.findall(text[s:e]) for s, e in spans]


def _queries(db: Any, n: int, seed: int = 3) -> list[str]:
    words = sorted({w for (t,) in db.execute("select text from sentence_texts") for w in WORD_RE.findall(t)})
    picked = random.Random(seed).sample(words, min(n, len(words)))
    return [*picked, *(w.capitalize() for w in picked[:20]), "geronseld", "ronselden", "liepen",
            "kinderen", "werd gedwongen", "zijn ouders", "Was"]


def test_the_lookup_table_lemmatises_as_the_pipeline_does(sample_project):
    from workbench.nlp.pipeline import lemmatize

    db = sample_project.db
    words = _queries(db, 300) + ["Geronseld", "GING", "huizen", "qwzxv", "één"]
    words = [w for q in words for w in WORD_RE.findall(q)]
    direct = lemma_table.lemmas(words)
    for word in words:
        assert [direct[word]] == lemmatize(word), word


def test_without_the_lookup_data_a_lemma_is_the_word_in_lower_case(monkeypatch):
    monkeypatch.setattr(lemma_table, "_data_file", lambda: None)
    assert lemma_table.lemmas(["Geronseld", "liepen"]) == {"Geronseld": "geronseld", "liepen": "liepen"}


def test_an_import_stores_its_word_forms(project, add_transcript):
    add_transcript("T1", turns=[("I", "Hoe?"), ("R", "Hij werd geronseld. Ze ronselden vrienden.")])
    rows = set(project.db.execute("select word, form from lemma_forms").fetchall())
    assert ("ronselen", "geronseld") in rows and ("ronselen", "ronselden") in rows
    assert not word_forms.is_due(project.db)


def test_lemma_search_gives_what_the_pipeline_gave_on_the_sample_project(sample_project):
    db = sample_project.db
    for query in _queries(db, 150):
        hits = search(db, query, mode="lemma", limit=25)
        assert [(h.transcript_id, h.sentence, h.matches) for h in hits] == \
            _reference_lemma_hits(db, query, 25), query


def test_an_older_project_collects_its_forms_on_the_first_lemma_search(sample_project):
    db = sample_project.db
    with db.atomic():
        db.execute("delete from lemma_forms")
        db.table("meta").upsert({"key": LEMMA_FORMS_DUE, "value": "1"}, pk="key")
    for n, query in enumerate(_queries(db, 60, seed=9)):
        hits = search(db, query, mode="lemma", limit=20)
        if n == 0:  # the first search collected the forms
            assert not word_forms.is_due(db)
            assert db.execute("select count(*) from lemma_forms").fetchone()[0] > 500
        # the forms are words now (the tokenizer's "al." is the word "al"): the same hits,
        # the same words matched
        assert [(h.transcript_id, h.sentence, _words(db, h.transcript_id, h.matches)) for h in hits] == \
            [(tid, idx, _words(db, tid, spans)) for tid, idx, spans in _reference_lemma_hits(db, query, 20)], query


def test_kwic_finds_the_forms_of_a_lemma_without_the_tokenizer(project, add_transcript):
    add_transcript("T1", turns=[("I", "Hoe?"), ("R", "Hij werd geronseld. Ze ronselden vrienden. "
                                                "Ronselen gebeurt online.")])
    found = [r["match"] for r in kwic(project.db, "ronselen")]
    assert found == ["geronseld", "ronselden", "Ronselen"]


def test_reprocess_replaces_the_forms(project, add_transcript):
    add_transcript("T1", turns=[("I", "Hoe?"), ("R", "Hij werd geronseld.")])
    db = project.db
    with db.atomic():
        db.execute("insert into lemma_forms (word, form) values ('oud', 'vroeger')")
        db.table("meta").upsert({"key": LEMMA_FORMS_DUE, "value": "1"}, pk="key")
    reprocess(project)
    rows = set(db.execute("select word, form from lemma_forms").fetchall())
    assert ("oud", "vroeger") not in rows and ("ronselen", "geronseld") in rows
    assert not word_forms.is_due(db)


@pytest.mark.parametrize(("forms", "text", "spans"), [
    (["ronselen"], "Ronselen, ronselen; zelfronselen", [(10, 18)]),
    (["dat", "dat."], "Zij zei dat.", [(8, 12)]),
    (["s", "'s"], "collega's en s", [(7, 9), (13, 14)]),
    ([], "niets", []),
])
def test_a_form_is_found_as_a_whole_word_only(forms, text, spans):
    assert word_forms.matched_spans(text, word_forms.form_pattern(forms)) == spans


def test_a_lemma_search_process_does_not_load_spacy(sample_project):
    code = (
        "import sys, json\n"
        "from workbench.project import Project\n"
        "from workbench.services.search import search, kwic\n"
        f"p = Project.open({str(sample_project.root)!r})\n"
        "hits = search(p.db, 'jongere', mode='lemma', limit=5)\n"
        "rows = kwic(p.db, 'was', limit=3)\n"
        "print(json.dumps([len(hits), len(rows), 'spacy' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    hits, rows, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert hits > 0 and rows > 0 and loaded is False


def test_the_lookup_copy_is_built_once_and_rebuilt_when_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    path = lemma_table.ensure_table()
    assert path is not None and path.is_file() and path.parent.parent == tmp_path
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    path.write_bytes(b"not a database")
    assert lemma_table.lemmas(["geronseld"]) == {"geronseld": "ronselen"}
    assert lemma_table._readable(path)
