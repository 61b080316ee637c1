"""Quotes: attribution with Dutch curly quotes, starring/editing/unstarring with undo, the
verbatim check on edits, and fragments of one answer joined with […]."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_export_fixtures import build_report_project

from workbench.analysis.verbatim import VerbatimError
from workbench.cli.main import cli
from workbench.errors import WorkbenchError
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.reporting import quotes
from workbench.store.changes import undo_last


@pytest.fixture
def rp(project, add_transcript):
    ids = build_report_project(project, add_transcript)
    return project, ids


def test_format_quote_uses_curly_quotes_and_label() -> None:
    assert quotes.format_quote("Ze worden steeds jonger.", "Jongerenwerker C") == "“Ze worden steeds jonger.” (Jongerenwerker C)"


def test_format_quote_strips_author_quotes_and_turns_inner_ones_single() -> None:
    out = quotes.format_quote('"Hij zei: "even iets vasthouden" en dat was het."', "Wijkcoach")
    assert out == "“Hij zei: ‘even iets vasthouden’ en dat was het.” (Wijkcoach)"
    assert quotes.format_quote("Hij zei “ja”  en\nging", "Wijkagent") == "“Hij zei ‘ja’ en ging” (Wijkagent)"


def test_labels_of_shared_and_single_roles(rp) -> None:
    project, ids = rp
    labels = {r["id"]: r["label"] for r in project.db.query("select id, label from transcripts")}
    assert labels == {"T1": "Jongerenwerker A", "T2": "Jongerenwerker B", "T3": "Wijkagent",
                      "T4": "Wijkcoach", "T5": "Jongerenwerker C"}
    q = quotes.star(project.db, "anna", ids[("T5", "Snapchat", "anna")])
    row = quotes.list_quotes(project.db)[0]
    assert row["id"] == q["id"]
    assert row["quote"] == "“Via Instagram en Snapchat.” (Jongerenwerker C)"


def test_star_edit_unstar_and_undo(rp) -> None:
    project, ids = rp
    db = project.db
    cid = ids[("T1", "Statussymbolen", "anna")]
    q = quotes.star(db, "anna", cid, "Dure kleding […] een tweede telefoon")
    assert q["text"] == "Dure kleding […] een tweede telefoon" and q["created_by"] == "anna"
    assert quotes.star(db, "anna", cid, "Dure kleding […] een tweede telefoon")["id"] == q["id"]
    edited = quotes.edit(db, "anna", q["id"], "Dure kleding, nieuwe schoenen […] [dat is] zo'n klassieker")
    assert edited["text"].startswith("Dure kleding, nieuwe")
    with pytest.raises(VerbatimError) as info:
        quotes.edit(db, "anna", q["id"], "Dure kleding en gouden kettingen")
    assert "'en'" in str(info.value) and "T1" in str(info.value)
    assert db["quotes"].get(q["id"])["text"] == edited["text"]  # unchanged after the refusal
    undo_last(db, "anna")  # undo the edit
    assert db["quotes"].get(q["id"])["text"] == "Dure kleding […] een tweede telefoon"
    removed = quotes.unstar(db, "anna", cid)  # by coding id
    assert [r["id"] for r in removed] == [q["id"]]
    assert quotes.list_quotes(db) == []
    undo_last(db, "anna")
    assert [r["id"] for r in quotes.list_quotes(db)] == [q["id"]]


def test_default_text_is_the_extract_without_interviewer_words(rp) -> None:
    project, _ = rp
    from workbench.services.coding import passages as coding

    db = project.db
    text = db["transcripts"].get("T2")["text"]
    start = text.index("En de werving?")
    end = text.index("snackbar.") + len("snackbar.")
    c = coding.apply_code(db, "anna", "T2", "Straat", start, end)
    q = quotes.star(db, "anna", c["id"])
    assert q["text"] == "Op straat, bij het plein achter de snackbar."
    with pytest.raises(VerbatimError):
        quotes.edit(db, "anna", q["id"], "En de werving? Op straat")


def test_interviewer_only_coding_is_refused(rp) -> None:
    project, _ = rp
    from workbench.services.coding import passages as coding

    db = project.db
    text = db["transcripts"].get("T4")["text"]
    start = text.index("Welke signalen")
    c = coding.apply_code(db, "anna", "T4", "Angst", start, start + len("Welke signalen ziet u?"))
    with pytest.raises(WorkbenchError, match="interviewer"):
        quotes.star(db, "anna", c["id"])


def test_extend_joins_two_codings_of_one_transcript(rp) -> None:
    project, ids = rp
    db = project.db
    first, second = ids[("T1", "Statussymbolen", "anna")], ids[("T1", "Angst", "anna")]
    q = quotes.star(db, "anna", first, extend=[second])
    assert q["text"].startswith("Dure kleding") and " […] angst. Als een jongen" in q["text"]
    short = quotes.star(db, "anna", first, "een tweede telefoon […] Als een jongen schrikt", extend=[second])
    row = next(r for r in quotes.list_quotes(db) if r["id"] == short["id"])
    assert row["codes"] == ["Statussymbolen", "Angst"] and len(row["spans"]) == 2
    # Words between the two codings are not theirs: even with […] they cannot be quoted.
    with pytest.raises(VerbatimError):
        quotes.star(db, "anna", first, "telefoon. En eh", extend=[second])
    with pytest.raises(WorkbenchError, match="one transcript"):
        quotes.star(db, "anna", first, extend=[ids[("T2", "Straat", "anna")]])


def test_list_filters(rp) -> None:
    project, ids = rp
    db = project.db
    a = quotes.star(db, "anna", ids[("T1", "Snapchat", "anna")])
    b = quotes.star(db, "bob", ids[("T3", "Corona", "bob")])
    c = quotes.star(db, "anna", ids[("T2", "Statussymbolen", "anna")])
    assert [r["id"] for r in quotes.list_quotes(db, theme="Werving")] == [a["id"]]  # via the sub-theme
    assert [r["id"] for r in quotes.list_quotes(db, survey_theme="4.3")] == [a["id"]]
    assert [r["id"] for r in quotes.list_quotes(db, survey_theme="4.8")] == [b["id"]]
    assert [r["id"] for r in quotes.list_quotes(db, coder="bob")] == [b["id"]]
    assert {r["id"] for r in quotes.list_quotes(db, theme="Signalen")} == {c["id"]}
    row = quotes.list_quotes(db, theme="Werving")[0]
    assert row["theme"] == "Werving / Online werving" and row["survey_themes"] == ["4.3"]


def test_cli_quote_add_edit_remove(rp) -> None:
    project, ids = rp
    runner = CliRunner()
    base = ["--project", str(project.root)]
    cid = ids[("T3", "Schulden", "anna")]
    res = runner.invoke(cli, [*base, "quote", "add", cid[:8], "--text", "Met schulden […] Die schuld groeit elke week."])
    assert res.exit_code == 0, res.output
    assert "“Met schulden […] Die schuld groeit elke week.” (Wijkagent)" in res.output
    qid = res.output.split(":")[0].strip()
    res = runner.invoke(cli, [*base, "quote", "edit", qid, "--text", "Met schulden die elke week groeit"])
    assert res.exit_code != 0 and "'die'" in res.output
    res = runner.invoke(cli, [*base, "quote", "list", "--json"])
    assert res.exit_code == 0 and qid in res.output
    res = runner.invoke(cli, [*base, "quote", "remove", qid])
    assert res.exit_code == 0 and qid in res.output


@pytest.mark.parametrize("text, shown", [
    ("Ze noemen het 'vrienden', maar het zijn geen vrienden.", "Ze noemen het ‘vrienden’, maar het zijn geen vrienden."),
    ('Hij zei "even iets vasthouden" en dat was het', "Hij zei ‘even iets vasthouden’ en dat was het"),
    ("Dat is zo'n klassieker, auto's en 's avonds op 't plein", "Dat is zo’n klassieker, auto’s en ’s avonds op ’t plein"),
    ("('vrienden') en [de jongen]", "(‘vrienden’) en [de jongen]"),
    ("Dure kleding (...) een tweede telefoon [ ... ] klassieker", "Dure kleding (…) een tweede telefoon […] klassieker"),
    ("Dure kleding [...] telefoon", "Dure kleding […] telefoon"),
])
def test_display_applies_the_house_style(text: str, shown: str) -> None:
    assert quotes.display(text) == shown
    assert quotes.display(shown) == shown  # idempotent


def test_quotes_are_stored_in_the_house_style(rp) -> None:
    project, ids = rp
    db = project.db
    q = quotes.star(db, "anna", ids[("T1", "Statussymbolen", "anna")], "Dure kleding (...) een tweede telefoon [...] zo'n klassieker")
    assert q["text"] == "Dure kleding (…) een tweede telefoon […] zo’n klassieker"
    q = quotes.star(db, "anna", ids[("T1", "Snapchat", "anna")], "Hij zei: 'even iets vasthouden'")
    assert quotes.list_quotes(db)[-1]["quote"] == "“Hij zei: ‘even iets vasthouden’” (Jongerenwerker A)"


def test_extend_joins_adjacent_fragments_without_an_omission_mark(rp) -> None:
    project, _ = rp
    from workbench.services.coding import passages as coding

    db = project.db
    text = db["transcripts"].get("T1")["text"]

    def code(phrase: str, name: str) -> str:
        start = text.index(phrase)
        return coding.apply_code(db, "anna", "T1", name, start, start + len(phrase))["id"]

    first = code("Dure kleding, nieuwe schoenen, een tweede telefoon", "Angst")
    second = code("Dat is zo'n klassieker", "Angst")  # only ". " between: nothing left out
    third = code("angst.", "Snapchat")  # "En eh, " between: "En" is left out
    q = quotes.star(db, "anna", first, extend=[second])
    assert q["text"] == "Dure kleding, nieuwe schoenen, een tweede telefoon. Dat is zo’n klassieker"
    q = quotes.star(db, "anna", second, extend=[third])
    assert q["text"] == "Dat is zo’n klassieker […] angst."


def test_words_outside_the_coded_extract_are_named_so(rp) -> None:
    project, ids = rp
    db = project.db
    cid = ids[("T2", "Statussymbolen", "anna")]  # "Nieuwe kleding, een dure jas …"; bob coded "Ze hebben ineens geld."
    with pytest.raises(VerbatimError) as info:
        quotes.star(db, "anna", cid, "Nieuwe kleding […] Ze hebben ineens geld")
    message = str(info.value)
    assert "'Ze'" in message and "outside the coded extract" in message
    assert f"--extend {ids[('T2', 'Statussymbolen', 'bob')]}" in message
    assert "not in the respondent's words" not in message
    with pytest.raises(VerbatimError) as info:  # a word nobody coded: widen the coding
        quotes.star(db, "anna", ids[("T2", "Straat", "anna")], "Op straat […] jongens gewoon aan")
    assert "outside the coded extract" in str(info.value) and "wider span" in str(info.value)
    with pytest.raises(VerbatimError) as info:  # the interviewer's word
        quotes.star(db, "anna", cid, "Nieuwe kleding […] [de] signalen")
    assert "interviewer" in str(info.value)
    with pytest.raises(VerbatimError) as info:  # not in the transcript at all
        quotes.star(db, "anna", cid, "Nieuwe kleding uit Amsterdam")
    assert "not in the respondent's words" in str(info.value)
    assert quotes.list_quotes(db) == []


def test_cli_quote_list_headers_and_coder_filter(rp) -> None:
    project, ids = rp
    quotes.star(project.db, "anna", ids[("T5", "Snapchat", "anna")])
    base = ["--project", str(project.root)]
    res = CliRunner().invoke(cli, [*base, "quote", "list"])
    assert res.exit_code == 0, res.output
    head = res.output.splitlines()[0].split()
    assert head[:3] == ["quote", "interview", "respondent"] and "transcript_id" not in res.output
    res = CliRunner().invoke(cli, [*base, "quote", "list", "--coder", "bob"])
    assert res.exit_code == 0 and "no quotes match" in res.output
    res = CliRunner().invoke(cli, [*base, "quote", "list", "--coder", "nobody"])
    assert res.exit_code == 1 and "no codings by coder 'nobody'" in res.output
    for cmd in (["quote", "list"], ["export", "quotes"], ["prevalence"], ["export", "chapter"]):
        res = CliRunner().invoke(cli, [*cmd, "--help"])
        assert "Only codings by this coder" in " ".join(res.output.split()), cmd


def test_a_sentence_outside_the_coding_is_named_so_not_as_a_capital(project, add_transcript) -> None:
    add_transcript("T9")
    db = project.db
    text = db["transcripts"].get("T9")["text"]
    phrase = "Soms worden ze geronseld via Snapchat."
    start = text.index(phrase)
    cid = coding.apply_code(db, "anna", "T9", codebook.add(db, "anna", "Online")["id"],
                            start, start + len(phrase))["id"]
    with pytest.raises(VerbatimError) as info:  # 'ze' is in the coding: not a capital problem
        quotes.star(db, "anna", cid, "Soms worden ze geronseld via Snapchat. Ze spijbelen ook vaak.")
    message = str(info.value)
    assert "not in the coded passage" in message and "'Ze spijbelen ook vaak'" in message
    assert "--extend" in message and "written" not in message
    with pytest.raises(VerbatimError) as info:  # a real change of capital stays one
        quotes.star(db, "anna", cid, "soms worden ze geronseld via Snapchat.")
    assert info.value.kind == "spelling" and "written 'Soms'" in str(info.value)
    with pytest.raises(VerbatimError) as info:  # punctuation is the respondent's too
        quotes.star(db, "anna", cid, "Soms worden ze geronseld, via Snapchat.")
    assert info.value.kind == "punctuation" and "adds ','" in str(info.value)
