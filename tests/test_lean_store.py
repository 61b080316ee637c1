"""A lean store (issue 17, item 7): sentences keep only the lemmas that differ from their words
(``workbench.store.lemma_edits``), the search index indexes only those, and lemma search,
KWIC, code suggestions and the word forms give what the full lemmas gave."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

import pytest

from workbench.nlp.sentences import lemmas_of
from workbench.project import Project
from workbench.services.search import kwic, search
from workbench.store.lemma_edits import decode, encode, text_words, word_lemmas
from workbench.store.schema import FTS_TOKENIZE


@pytest.mark.parametrize(("text", "lemmas"), [
    ("Ik zag hem gisteren.", "ik zien hij gisteren"),
    ("Ik zag hem gisteren.", "ik zag hem gisteren"),
    ("", ""),
    ("Een e-mail, d'r was niks.", "een e-mail haar zijn niks"),
    ("Zo'n 10km verder.", "zo'n 10 km ver"),  # the lemmas split a word the text has as one
    ("Waren jullie daar?", "zijn"),  # fewer lemma words than words
    ("Één café", "een café"),  # folded as the index folds them: no difference
])
def test_the_lemmas_come_back_from_what_is_stored(text, lemmas):
    stored, edits = encode(text, lemmas)
    assert decode(text, stored, edits) == text_words(lemmas)
    assert len(stored.split()) <= len(text_words(lemmas))


def test_only_the_lemmas_that_differ_are_stored():
    assert encode("Ik zag hem gisteren.", "ik zien hij gisteren") == ("zien hij", "1 2")
    assert encode("Dat doen we.", "dat doen we") == ("", "")
    # two words that are two other lemma words stay word for word
    assert encode("Ze gingen liepen.", "ze gaan lopen ook") == ("gaan lopen ook", "1:2:3")
    assert encode("Ze gingen, liepen nu.", "ze gaan lopen nu") == ("gaan lopen", "1 2")


def test_each_word_is_paired_with_its_lemma():
    stored, edits = encode("Ze Ronselden jongeren.", "ze ronselen jongere")
    assert word_lemmas("Ze Ronselden jongeren.", stored, edits) == [
        ("Ze", "ze"), ("Ronselden", "ronselen"), ("jongeren", "jongere")]
    stored, edits = encode("Zo'n 10km verder gingen ze.", "zo'n 10 km ver gaan ze")
    pairs = word_lemmas("Zo'n 10km verder gingen ze.", stored, edits)
    assert ("ze", "ze") in pairs and ("Zo", "zo") in pairs
    assert not [p for p in pairs if p[0] == "10km"]  # its lemma is two words


def test_every_sentence_of_the_sample_decodes_to_its_lemmas(sample_project):
    rows = sample_project.db.execute("select text, lemmas, lemma_edits from sentence_texts").fetchall()
    assert len(rows) > 1000
    for text, stored, edits in random.Random(5).sample(rows, 300):
        assert decode(text, stored, edits) == text_words(lemmas_of(text)), text
    full = sum(len(text_words(lemmas_of(text))) for text, _s, _e in rows[:200])
    kept = sum(len(stored.split()) for _t, stored, _e in rows[:200])
    assert kept < 0.3 * full


def test_a_word_whose_lemma_is_another_is_not_found_as_that_lemma(project, add_transcript):
    """The index offers every sentence with the word "zag" for the lemma "zag"; a sentence
    whose "zag" is a form of "zien" has no word with that lemma and is left out."""
    add_transcript("T1", turns=[("I", "Wat zag u?"), ("R", "Ik zag een zaag. Hij zaagt.")])
    db = project.db
    with db.atomic():  # a word form whose lemma is "zag" (as a trained model might have it)
        db.execute("insert into lemma_forms (word, form) values ('zag', 'zagje')")
    assert search(db, "zagje", mode="lemma") == []
    assert list(kwic(db, "zagje")) == []
    assert [h.text for h in search(db, "zien", mode="lemma")] == ["Ik zag een zaag.", "Wat zag u?"]
    assert [r["match"] for r in kwic(db, "zaagt")] == ["zaagt"]


def _downgrade(db: Any) -> None:
    """Put a project back as the workbench before the lean store kept it: every sentence with
    its text and every lemma, the index over both (sqlite-utils' triggers), the covering
    index of spans; the three migrations not applied."""
    rows = db.execute("select sentence_id, text from sentence_texts").fetchall()
    with db.atomic():
        for (name,) in db.execute("select name from sqlite_master where type = 'trigger' and name like '%fts%'").fetchall():
            db.execute(f"drop trigger {name}")
        db.execute("drop table sentences_fts")
        db.execute("drop view sentence_texts")
        db.execute("drop table sentences_fts_by_hand")
    db["sentences"].add_column("text", str, not_null_default="")
    with db.atomic():
        for rowid, text in rows:
            db.execute("update sentences set text = ?, lemmas = ? where rowid = ?", [text, lemmas_of(text), rowid])
    db["sentences"].transform(drop={"lemma_edits"})
    db["sentences"].create_index(["transcript_id", "idx", "start", "end"], index_name="sentences_units")
    db["sentences"].enable_fts(["text", "lemmas"], create_triggers=True, tokenize=FTS_TOKENIZE)
    with db.atomic():
        db.execute("delete from _sqlite_migrations where name in ('m016_lemmas_where_they_differ', "
                   "'m017_sentence_text_from_transcripts', 'm018_vacuum')")
    db.execute("VACUUM")


def test_an_older_project_is_migrated_to_the_slim_lemmas(sample_project):
    root = sample_project.root
    queries = ["ronselen", "zien", "jongere", "geld", "school", "Signaleren", "werd", "was"]
    before = {q: [(h.transcript_id, h.sentence, h.matches) for h in search(sample_project.db, q, mode="lemma")]
              for q in queries}
    kwic_before = [(r["transcript_id"], r["start"], r["match"]) for r in kwic(sample_project.db, "zijn")]
    _downgrade(sample_project.db)
    sample_project.close()
    old = sqlite3.connect(root / "workbench.db")
    old_pages = old.execute("pragma page_count").fetchone()[0]
    assert "lemma_edits" not in [r[1] for r in old.execute("pragma table_info(sentences)")]
    old.close()

    from tests.bad_input_support import run

    listing = run(root, "transcripts")  # the first command migrates, and says so
    assert listing.exit_code == 0, listing.output
    assert "updating the project database" in listing.output and "INT01" in listing.output
    project = Project.open(root)
    db = project.db
    assert "lemma_edits" in db["sentences"].columns_dict and "text" not in db["sentences"].columns_dict
    assert db.execute("select count(*) from sentences where lemma_edits != ''").fetchone()[0] > 300
    assert db.execute("pragma page_count").fetchone()[0] < 0.95 * old_pages
    assert db.execute("pragma freelist_count").fetchone()[0] == 0  # the freed space went back
    assert not db.execute("select 1 from meta where key = 'vacuum_due'").fetchone()
    db.execute("insert into sentences_fts(sentences_fts) values ('integrity-check')")
    for q in queries:
        got = [(h.transcript_id, h.sentence, h.matches) for h in search(db, q, mode="lemma")]
        assert sorted(got) == sorted(before[q]), q
    assert sorted((r["transcript_id"], r["start"], r["match"]) for r in kwic(db, "zijn")) == sorted(kwic_before)
    project.close()


def _index_is_the_text(db: Any) -> None:
    """The search index holds exactly every sentence as its transcript's text reads now (FTS5
    compares the index with its content, the view of sentences and their text)."""
    db.execute("insert into sentences_fts (sentences_fts, rank) values ('integrity-check', 1)")
    assert db.execute("select count(*) from sentences_fts_by_hand").fetchone()[0] == 0


def test_the_index_follows_every_way_the_text_and_sentences_change(project, add_transcript, tmp_path):
    from workbench.services.transcripts.library import import_paths, remove_transcript
    from workbench.services.transcripts.reprocess import reprocess
    from workbench.store.changes import record, redo_last, undo_last

    db = project.db
    add_transcript("T1")
    add_transcript("T2", turns=[("I", "Hoe gaat het?"), ("R", "Goed. De jongeren zagen het gebeuren.")])
    _index_is_the_text(db)
    assert [h.transcript_id for h in search(db, "gebeurd", mode="lemma")] == ["T2"]

    # a re-import with another text
    path = tmp_path / "incoming" / "T2.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Goed.", "Slecht, helaas."), encoding="utf-8")
    assert import_paths(project, [path], replace=True)[0].status == "replaced"
    _index_is_the_text(db)
    assert search(db, "helaas") and not search(db, "goed")

    reprocess(project, coder="anna")
    _index_is_the_text(db)

    # an edit of the text with its sentences moved (as the audit's replace does), undone, redone
    text = db["transcripts"].get("T2")["text"]
    at = text.index("jongeren")
    with record(db, "anna", "edit", "edit") as cs:
        cs.update("transcripts", "T2", {"text": text[:at] + "[groep]" + text[at + len("jongeren"):]})
        for s in list(db.query("select * from sentences where transcript_id = 'T2' and start > ?", [at])):
            cs.update("sentences", ["T2", s["idx"]], {"start": s["start"] - 1, "end": s["end"] - 1})
        last = db.execute("select idx, [end] from sentences where transcript_id = 'T2' and start <= ? "
                          "order by idx desc limit 1", [at]).fetchone()
        cs.update("sentences", ["T2", last[0]], {"end": last[1] - 1})
    _index_is_the_text(db)
    assert not search(db, "jongeren", respondent="T2") and search(db, "groep")
    undo_last(db, "anna")
    _index_is_the_text(db)
    assert search(db, "jongeren", respondent="T2") and not search(db, "groep")
    redo_last(db, "anna")
    _index_is_the_text(db)

    # a transcript removed, and the removal undone
    remove_transcript(project, "T1", "anna", force=True)
    _index_is_the_text(db)
    assert not search(db, "Snapchat")
    undo_last(db, "anna")
    _index_is_the_text(db)
    assert [h.transcript_id for h in search(db, "Snapchat")] == ["T1"]


def test_undoing_a_new_label_leaves_the_index_alone(project, add_transcript):
    """Undo puts a transcript's row back where it stands: writing it again would have
    re-indexed all its sentences (on a whole project's relabelling, every sentence)."""
    from workbench.services.transcripts.library import set_label
    from workbench.store.changes import redo_last, undo_last

    db = project.db
    add_transcript("T1")
    blocks = db.execute("select count(*) from sentences_fts_data").fetchone()[0]
    set_label(db, "T1", "Jongerenwerker Z", "anna")
    # the history keeps the label, not two more copies of the interview's text
    assert all("Snapchat" not in (r[0] or "") + (r[1] or "")
               for r in db.execute("select before, after from change_rows").fetchall())
    undo_last(db, "anna")
    assert db["transcripts"].get("T1")["label"] != "Jongerenwerker Z"
    redo_last(db, "anna")
    assert db["transcripts"].get("T1")["label"] == "Jongerenwerker Z"
    assert db.execute("select count(*) from sentences_fts_data").fetchone()[0] == blocks
    _index_is_the_text(db)


def test_check_finds_an_index_that_does_not_match_the_text_and_rebuilds_it(project, add_transcript):
    from tests.bad_input_support import run

    add_transcript("T1")
    db = project.db
    assert run(project, "check").exit_code == 0
    with db.atomic():  # the text changed behind the index's back (no trigger: paused)
        db.execute("insert into sentences_fts_by_hand (paused) values (1)")
        db.execute("update transcripts set text = replace(text, 'Snapchat', 'Instagram')")
        db.execute("delete from sentences_fts_by_hand")
    result = run(project, "check")
    assert result.exit_code == 1 and "does not match the transcripts' text" in result.output
    assert "--rebuild-index" in result.output
    result = run(project, "check", "--rebuild-index")
    assert result.exit_code == 0, result.output
    assert "made again from the text" in result.output
    assert search(db, "Instagram") and not search(db, "Snapchat")


def test_any_lemmas_come_back_whatever_differs():
    rng = random.Random(11)
    vocab = ["de", "het", "een", "ik", "zag", "zien", "collega", "s", "jongeren", "was", "zijn", "ca", "fé"]
    for _ in range(2000):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        lemmas = list(words)
        for _ in range(rng.randint(0, 4)):  # substitutions, words dropped, words added
            at = rng.randint(0, len(lemmas))
            kind = rng.choice("sda")
            if kind == "s" and at < len(lemmas):
                lemmas[at] = rng.choice(vocab)
            elif kind == "d" and at < len(lemmas):
                del lemmas[at]
            else:
                lemmas.insert(at, rng.choice(vocab))
        text = " ".join(w.capitalize() if rng.random() < 0.2 else w for w in words) + "."
        stored, edits = encode(text, " ".join(lemmas))
        assert decode(text, stored, edits) == text_words(" ".join(lemmas)), (text, lemmas, edits)
        assert len(stored.split()) <= len(lemmas)


def test_labels_are_computed_without_reading_the_texts(project, add_transcript):
    """An import recomputes the respondent labels after each file: from an index, not from the
    table's rows (which would walk every interview's text to reach ``label_manual``)."""
    add_transcript("T1")
    plan = " ".join(r[3] for r in project.db.execute(
        "explain query plan select id, role, date, label, label_manual from transcripts order by id"))
    assert "COVERING INDEX" in plan, plan
