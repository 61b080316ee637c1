"""Exports: quotes as md/docx/csv/json and chapters as md/docx, read back and compared with
the database; refusing quotes with open anonymity flags; never overwriting without force."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import docx
import pytest
from click.testing import CliRunner
from test_export_fixtures import build_report_project

from workbench.cli.main import cli
from workbench.errors import ConflictError
from workbench.files import export_path, scope_name
from workbench.services.reporting import preview_chapter, quotes, write_chapter, write_quotes
from workbench.services.reporting.flags import FlaggedQuotesError

WHEN = datetime(2026, 11, 23, 18, 15)


@pytest.fixture
def rp(project, add_transcript):
    ids = build_report_project(project, add_transcript)
    db = project.db
    starred = [
        quotes.star(db, "anna", ids[("T1", "Snapchat", "anna")], 'Vaak via Snapchat […] Hij zei: "even iets vasthouden"'),
        quotes.star(db, "anna", ids[("T3", "Schulden", "anna")], "Met schulden. Ze krijgen iets op de pof en dan moeten ze [dat] terugverdienen"),
        quotes.star(db, "bob", ids[("T3", "Corona", "bob")]),
        quotes.star(db, "anna", ids[("T1", "Statussymbolen", "anna")], "een tweede telefoon. Dat is zo'n klassieker", extend=[ids[("T1", "Angst", "anna")]]),
    ]
    return project, ids, starred


def _db_quotes(db):
    return {r["id"]: r for r in quotes.list_quotes(db)}


def test_file_names_say_what_and_when(project) -> None:
    assert export_path(project.exports_dir, "quotes", "md", scope=scope_name(["4.3"]), when=WHEN).name == "quotes-4.3-20261123-181500.md"
    assert export_path(project.exports_dir, "chapter", "docx", scope=scope_name(None), when=WHEN).name == "chapter-all-20261123-181500.docx"
    assert export_path(project.exports_dir, "chapter", "md", scope=scope_name(["4.1", "4.10"]), when=WHEN).name == "chapter-4.1_4.10-20261123-181500.md"
    assert export_path(project.exports_dir, "quotes", "csv", scope=scope_name(["Online werving"]), when=WHEN).name == "quotes-online-werving-20261123-181500.csv"
    # To the second, like map and matrix: two exports a few seconds apart get two names.
    later = datetime(2026, 11, 23, 18, 15, 42)
    assert export_path(project.exports_dir, "quotes", "md", scope=scope_name(None), when=later).name == "quotes-all-20261123-181542.md"


def test_quotes_csv_and_json_equal_the_database(rp) -> None:
    project, _, starred = rp
    db_rows = _db_quotes(project.db)
    path = write_quotes(project, fmt="csv", when=WHEN)
    assert path.parent == project.exports_dir and path.name == "quotes-all-20261123-181500.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["quote_id"] for r in rows] == [q["id"] for q in starred]
    for r in rows:
        d = db_rows[r["quote_id"]]
        for col in ("transcript_id", "label", "role", "municipality", "domain", "theme", "text", "coder", "quote"):
            assert r[col] == d[col], col
        assert (int(r["start"]), int(r["end"])) == (d["start"], d["end"])
        assert r["codes"].split("; ") == d["codes"]
        assert r["survey_themes"] == "; ".join(d["survey_themes"])
        assert r["spans"] == "; ".join(f"{a}:{b}" for a, b in d["spans"])
    joined = next(r for r in rows if r["quote_id"] == starred[3]["id"])
    assert joined["codes"] == "Statussymbolen; Angst"

    path = write_quotes(project, fmt="json", when=WHEN)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["quotes"]) == 4
    for r in data["quotes"]:
        d = db_rows[r["quote_id"]]
        for col in ("transcript_id", "label", "role", "municipality", "domain", "theme", "codes",
                    "survey_themes", "start", "end", "spans", "text", "quote", "coder", "created_by"):
            assert r[col] == d[col], col
        # The shown words really are those of the transcript.
        text = project.db["transcripts"].get(r["transcript_id"])["text"]
        assert all(text[a:b].strip() for a, b in r["shown_spans"])


def test_quotes_filters(rp) -> None:
    project, _, starred = rp
    path = write_quotes(project, survey_theme="4.3", fmt="json", when=WHEN)
    assert path.name == "quotes-4.3-20261123-181500.json"
    assert [q["quote_id"] for q in json.loads(path.read_text())["quotes"]] == [starred[0]["id"]]
    path = write_quotes(project, coder="bob", fmt="json", when=WHEN)
    assert [q["quote_id"] for q in json.loads(path.read_text())["quotes"]] == [starred[2]["id"]]
    path = write_quotes(project, theme="Dwangmiddelen", fmt="json", when=WHEN)
    assert [q["quote_id"] for q in json.loads(path.read_text())["quotes"]] == [starred[1]["id"]]


def test_quotes_md_and_docx(rp) -> None:
    project, _, starred = rp
    db_rows = _db_quotes(project.db)
    md = write_quotes(project, fmt="md", when=WHEN).read_text(encoding="utf-8")
    for q in starred:
        assert f"> {db_rows[q['id']]['quote']}" in md
    assert "“Vaak via Snapchat […] Hij zei: ‘even iets vasthouden’” (Jongerenwerker A)" in md
    path = write_quotes(project, fmt="docx", when=WHEN)
    doc = docx.Document(str(path))
    quote_paras = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quote_paras == [db_rows[q["id"]]["quote"] for q in starred]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Citaten" and len(headings) == 1 + len(starred)


def test_no_overwrite_without_force(rp) -> None:
    project, _, _ = rp
    path = write_quotes(project, fmt="csv", when=WHEN)
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(ConflictError, match="--force"):
        write_quotes(project, fmt="csv", when=WHEN)
    assert path.read_text(encoding="utf-8") == "mine"
    write_quotes(project, fmt="csv", when=WHEN, force=True)
    assert path.read_text(encoding="utf-8").startswith("quote_id,")
    chapter = write_chapter(project, fmt="md", when=WHEN)
    with pytest.raises(ConflictError):
        write_chapter(project, fmt="md", when=WHEN)
    assert chapter.is_file()
    runner = CliRunner()
    base = ["--project", str(project.root)]
    first = runner.invoke(cli, [*base, "export", "quotes", "--format", "json"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, [*base, "export", "quotes", "--format", "json"])
    if "exists already" in second.output:  # same second: refused
        assert second.exit_code != 0
        assert runner.invoke(cli, [*base, "export", "quotes", "--format", "json", "--force"]).exit_code == 0


def _flag(db, tid: str, word: str, flag_id: str = "f1") -> None:
    text = db["transcripts"].get(tid)["text"]
    start = text.index(word)
    db["audit_flags"].insert({"id": flag_id, "transcript_id": tid, "start": start, "end": start + len(word),
                              "category": "naam", "text": word, "source": "test", "decision": "open"})


def test_flagged_quotes_are_refused_with_a_list(rp) -> None:
    project, _, starred = rp
    db = project.db
    _flag(db, "T3", "pof")
    with pytest.raises(FlaggedQuotesError) as info:
        write_quotes(project, fmt="md", when=WHEN)
    assert [i.quote_id for i in info.value.items] == [starred[1]["id"]]
    assert "'pof'" in str(info.value) and "--allow-flagged" in str(info.value)
    assert not list(project.exports_dir.glob("quotes-*"))
    with pytest.raises(FlaggedQuotesError):
        write_chapter(project, fmt="md", when=WHEN)
    assert write_quotes(project, fmt="md", when=WHEN, allow_flagged=True).is_file()
    assert "[open anonimiteitsmelding]" in preview_chapter(project, ["4.4"])
    res = CliRunner().invoke(cli, ["--project", str(project.root), "export", "chapter", "--format", "docx"])
    assert res.exit_code != 0 and starred[1]["id"] in res.output
    # Leaving the flagged word out clears the quote; a dismissed flag does not count.
    quotes.edit(db, "anna", starred[1]["id"], "Met schulden. Ze krijgen iets […] en dan moeten ze het terugverdienen")
    assert write_chapter(project, fmt="md", when=WHEN).is_file()
    _flag(db, "T1", "Snapchat", "f2")
    db.execute("update audit_flags set decision = 'dismissed' where id = 'f2'")
    assert write_quotes(project, fmt="json", when=WHEN, force=True).is_file()


def test_chapter_markdown(rp) -> None:
    project, _, starred = rp
    path = write_chapter(project, ["4.4", "4.1", "4.3", "4.8"], fmt="md", when=WHEN)
    assert path.name == "chapter-4-themes-20261123-181500.md"
    md = path.read_text(encoding="utf-8")
    assert md == preview_chapter(project, ["4.1", "4.3", "4.4", "4.8"])  # no flags: the same text
    heads = [line for line in md.splitlines() if line.startswith("# ")]
    assert heads == ["# 4.1 Vermoedens van criminele uitbuiting", "# 4.3 Locaties van werven en ronselen",
                     "# 4.4 Modus operandi: ronselen en dwangmiddelen", "# 4.8 Invloed coronamaatregelen"]
    assert md.count("## Verdieping op de resultaten") == 4
    assert "- Heeft in het afgelopen jaar een vermoeden van criminele uitbuiting gehad: 53% (n=434 van 821)" in md
    assert "### Werving" in md and "*Definitie (thema):* Hoe en waar jongeren worden geronseld." in md
    assert "Dit thema komt in meer dan de helft van de interviews voor (3 van 5 interviews, 3 respondenten)." in md
    assert "Deze code komt in één interview voor (1 van 5 interviews, 1 respondent)." in md
    # Starred quotes, attributed; the joined quote under Signalen (its codes belong there).
    assert "> “Vaak via Snapchat […] Hij zei: ‘even iets vasthouden’” (Jongerenwerker A)\n" in md
    assert "> “Tijdens de lockdown zagen we minder op straat, maar meer online.” (Wijkagent)\n" in md
    assert "[niet geselecteerd]" not in md.split("# 4.1")[1].split("# 4.3")[0]


def test_chapter_candidates_when_nothing_is_starred(rp) -> None:
    project, _, starred = rp
    for q in starred:
        quotes.unstar(project.db, "anna", q["id"])
    md = preview_chapter(project, ["4.1"])
    cands = [line for line in md.splitlines() if line.startswith("> ")]
    # One per respondent, longest first, marked as not selected.
    assert len(cands) == 3 and all(c.endswith("[niet geselecteerd]") for c in cands)
    assert cands[0].startswith("> “Dure kleding, nieuwe schoenen") and "(Jongerenwerker A)" in cands[0]
    assert cands[2] == "> “[…] jongeren met een tweede telefoon.” (Wijkcoach) [niet geselecteerd]"
    labels = [c.rsplit("(", 1)[1] for c in cands]
    assert len(set(labels)) == 3
    # Only bob's codings count with --coder bob.
    md_bob = preview_chapter(project, ["4.1"], coder="bob")
    assert "(2 van 5 interviews, 2 respondenten)" in md_bob
    assert "Jongerenwerker A" not in md_bob


def test_chapter_without_links_says_so(rp) -> None:
    project, _, _ = rp
    md = preview_chapter(project, ["4.6"])
    assert "# 4.6 Vermoedelijke daders" in md and "Nog geen thema's of codes gekoppeld" in md


def test_chapter_docx_has_heading_and_quote_styles(rp) -> None:
    project, _, _ = rp
    path = write_chapter(project, ["4.1", "4.3"], fmt="docx", when=WHEN)
    doc = docx.Document(str(path))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Heading 1"] == ["4.1 Vermoedens van criminele uitbuiting", "4.3 Locaties van werven en ronselen"]
    assert by_style["Heading 2"] == ["Verdieping op de resultaten"] * 2
    assert by_style["Heading 3"] == ["Signalen", "Werving"]
    assert "“Vaak via Snapchat […] Hij zei: ‘even iets vasthouden’” (Jongerenwerker A)" in by_style["Quote"]
    assert any("53% (n=434 van 821)" in t for t in by_style["List Bullet"])
    md = preview_chapter(project, ["4.1", "4.3"])
    assert [line[2:] for line in md.splitlines() if line.startswith("> ")] == by_style["Quote"]


def test_cli_export_chapter_md(rp) -> None:
    project, _, _ = rp
    res = CliRunner().invoke(cli, ["--project", str(project.root), "export", "chapter", "--format", "md"])
    assert res.exit_code == 0, res.output
    (path,) = project.exports_dir.glob("chapter-all-*.md")
    md = path.read_text(encoding="utf-8")
    assert md.count("## Verdieping op de resultaten") == 11
    res = CliRunner().invoke(cli, ["--project", str(project.root), "export", "chapter", "--survey-theme", "4.99"])
    assert res.exit_code != 0 and "no survey theme '4.99'" in res.output


def test_stale_quote_is_reported(rp) -> None:
    project, _, starred = rp
    db = project.db
    db.execute("update quotes set text = 'Vaak via Instagram' where id = ?", [starred[0]["id"]])
    with pytest.raises(Exception, match="no longer match"):
        write_quotes(project, fmt="csv", when=WHEN)


def test_codes_linked_with_their_theme_nest_under_it(rp) -> None:
    project, _, starred = rp
    from workbench.services.reporting import survey

    survey.link(project.db, "anna", "Snapchat", "4.3", themes=survey.load(project))
    md = preview_chapter(project, ["4.3"])
    part = md.split("### Werving", 1)[1]
    assert "#### Snapchat" in part
    theme_part, code_part = part.split("#### Snapchat")
    # The Snapchat quote is shown once, under the code; the theme keeps its other codes' extracts.
    assert "“Vaak via Snapchat" in code_part and "“Vaak via Snapchat" not in theme_part
    assert "(Jongerenwerker B) [niet geselecteerd]" in theme_part  # Straat, T2
    doc_path = write_chapter(project, ["4.3"], fmt="docx", when=WHEN)
    heads = [(p.style.name, p.text) for p in docx.Document(str(doc_path)).paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 3", "Werving") in heads and ("Heading 4", "Snapchat") in heads


def test_chapter_prints_a_quote_once(rp) -> None:
    project, ids, starred = rp
    db = project.db
    for q in starred:
        quotes.unstar(db, "anna", q["id"])
    # One quote joining a Signalen code (4.1) and a Werving code (4.3).
    joined = quotes.star(db, "anna", ids[("T1", "Angst", "anna")], extend=[ids[("T1", "Snapchat", "anna")]])
    md = preview_chapter(project, ["4.1", "4.3"])
    full = quotes.format_quote(joined["text"], "Jongerenwerker A")
    assert md.count(full) == 1
    first, second = md.split("# 4.3", 1)
    assert full in first.split("### Signalen", 1)[1]
    note = f"Het citaat van Jongerenwerker A ({joined['id']}) staat al bij 4.1 › Signalen."
    assert f"_{note}_" in second.split("### Werving", 1)[1]
    doc = docx.Document(str(write_chapter(project, ["4.1", "4.3"], fmt="docx", when=WHEN)))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(full) == 1 and note in texts
