"""Transcript files as real tools and colleagues write them (fixtures in tests/data/formats/).

Zoom/Teams/YouTube-like WebVTT, Otter.ai, f4/f5transkript, Amberscript/Sonix, Word paragraphs
and tables, Markdown, speaker-prefix and timestamp variants, colons in ordinary sentences,
invisible characters and encodings. All transcript content is fictional.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import ImportFileError
from workbench.formats.importers import read_transcript
from workbench.formats.importers.model import ParsedTranscript
from workbench.formats.importers.turns import match_turn, parse_turn_lines
from workbench.project import Project
from workbench.services.transcripts.library import build, get_sentences, get_turns, import_paths

FORMATS = Path(__file__).resolve().parent / "data" / "formats"


def rows(parsed: ParsedTranscript) -> list[tuple[str, str | None, str]]:
    return [(t.label, t.time, t.text) for t in parsed.turns]


def copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copy(FORMATS / name, tmp_path / name))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- subtitles ---------------------------------------------------------------------------------


def test_zoom_vtt_prefixes_in_cues(project: Project, tmp_path: Path) -> None:
    parsed = read_transcript(FORMATS / "zoom.vtt")
    assert rows(parsed) == [
        ("Interviewer", "00:00:02", "Goedemiddag, fijn dat u wilde meedoen. Kunt u zich kort voorstellen?"),
        ("Respondent", "00:00:07",
         "Ja hoor. Ik ben jeugdagent in een middelgrote gemeente, dat doe ik nu zes jaar. Daarvoor "
         "werkte ik in de noodhulp. Kijk: op straat zie je het eerst. Dan merk je dat een jongen "
         "ineens dure schoenen heeft."),
        ("Interviewer", "00:01:02", "Wanneer wordt een vermoeden voor u een echte zorg?"),
        ("Respondent", "00:01:08",
         "Als er geld of spullen zijn die niet kloppen. Om 12:30 op een schooldag op straat, dat zegt ook iets."),
    ]
    path = copy("zoom.vtt", tmp_path)
    write(tmp_path, "zoom.yaml", "id: Z1\nrol: jeugdagent\ninterviewer: Lotte Smit\n")
    assert import_paths(project, [path])[0].status == "imported"
    text = project.db["transcripts"].get("Z1")["text"]
    assert not any(name in text for name in ("Lotte", "Smit", "Kees", "Bos:"))


def test_teams_vtt_variants(tmp_path: Path) -> None:
    parsed = read_transcript(FORMATS / "teams_variants.vtt")
    assert rows(parsed) == [
        ("Interviewer", "00:00:03", "Goedemorgen. We beginnen met uw rol: wat doet u precies als wijkcoach?"),
        ("Respondent", "00:00:08",
         "Ik ben wijkcoach in twee wijken. Ik help bewoners met schulden, met werk en met wonen. "
         "Daar zie je soms dingen die niet kloppen."),
        ("Interviewer", "00:00:19", "Zoals?"),
        ("Respondent", "00:00:19",
         "Een jongen die een bankpas uitleent. Dan is hij katvanger & dat weet hij vaak niet eens."),
    ]
    joined = " ".join(t.text for t in parsed.turns)
    assert "Transcript gemaakt" not in joined and "color" not in joined
    # a Teams name written "Last, First" can be named as the interviewer
    path = copy("teams_variants.vtt", tmp_path)
    write(tmp_path, "teams_variants.yaml", 'interviewer: "Vries, Pieter de"\n')
    assert [t.role for t in read_transcript(path).turns] == ["respondent", "interviewer", "respondent", "interviewer"]


def test_youtube_like_vtt_rolling_captions_with_word_times() -> None:
    parsed = read_transcript(FORMATS / "youtube_like.vtt")
    assert rows(parsed) == [
        ("Interviewer", "00:00:00", "hoe komt u uitbuiting tegen?"),
        ("Respondent", "00:00:02", "vooral via school en via de sportclub"),
    ]


def test_srt_with_formatting_tags_and_names(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,500\n{\\an8}<i>Fatima Yilmaz:</i> Hoe lang doet u dit werk al?\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\n<font color=\"#ffffff\">Bram Peters: Sinds 2015.</font>\n\n"
        "3\n00:00:07,200 --> 00:00:09,000\nDaarvoor deed ik iets anders.\n\n"
        "4\n00:00:09,500 --> 00:00:11,000\nFatima Yilmaz: Dank u.\n"
    )
    parsed = read_transcript(write(tmp_path, "s.srt", srt))
    assert rows(parsed) == [
        ("Interviewer", "00:00:01", "Hoe lang doet u dit werk al?"),
        ("Respondent", "00:00:04", "Sinds 2015. Daarvoor deed ik iets anders."),
        ("Interviewer", "00:00:09", "Dank u."),
    ]


def test_caption_file_without_speakers_is_refused(project: Project, tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\nKind: captions\n\n00:00:00.000 --> 00:00:02.000\nhoe<00:00:00.500><c> gaat</c><00:00:01.000><c> het</c>\n\n"
        "00:00:02.000 --> 00:00:04.000\nhoe gaat het\ngoed<00:00:02.500><c> hoor</c>\n"
    )
    path = write(tmp_path, "auto.vtt", vtt)
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert "auto.vtt" in str(info.value) and "speaker" in str(info.value) and info.value.line == 4
    assert import_paths(project, [path])[0].status == "failed"
    assert project.db["transcripts"].count == 0


def test_vtt_cues_before_the_first_speaker_are_reported(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n[muziek]\n\n2\n00:00:02.500 --> 00:00:04.000\n"
        "Interviewer: Welkom.\n\n3\n00:00:04.500 --> 00:00:06.000\nRespondent: Dank u.\n"
    )
    parsed = read_transcript(write(tmp_path, "intro.vtt", vtt))
    assert rows(parsed) == [("Interviewer", "00:00:02", "Welkom."), ("Respondent", "00:00:04", "Dank u.")]
    assert any("before the first speaker" in w and "line 4" in w for w in parsed.warnings)


def test_vtt_bad_cue_timing_names_the_line(project: Project, tmp_path: Path) -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nI: Hallo.\n\n00:00:03 --> later\nR: Hoi.\n"
    path = write(tmp_path, "broken.vtt", vtt)
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert "broken.vtt, line 6" in str(info.value) and "timing" in str(info.value)
    assert import_paths(project, [path])[0].status == "failed"
    assert project.db["transcripts"].count == 0


# -- text layouts of transcription tools ---------------------------------------------------------


def test_otter_speaker_and_time_lines() -> None:
    parsed = read_transcript(FORMATS / "otter.txt")
    assert rows(parsed) == [
        ("Interviewer", "00:00:03", "Goed, de opname loopt. Wat is uw functie?"),
        ("Respondent", "00:00:09",
         "Ik ben activeringscoach. Ik begeleid mensen met een uitkering naar werk.\n"
         "Bijvoorbeeld: iemand van negentien die al twee jaar thuis zit."),
        ("Interviewer", "00:01:15", "En komt u daarbij criminele uitbuiting tegen?"),
        ("Respondent", "01:02:03",
         "Ja, steeds vaker. Het punt is: ze weten het zelf niet altijd.\n"
         "Ze denken dat het een bijbaantje is. [onverstaanbaar] Dat is het niet."),
    ]
    assert any("'Bijvoorbeeld:'" in w and "kept as text" in w for w in parsed.warnings)


def test_f4_end_of_turn_times_are_kept_and_stripped() -> None:
    parsed = read_transcript(FORMATS / "f4.txt")
    assert [(t.label, t.time) for t in parsed.turns] == [
        ("Interviewer", "00:00:04"), ("Respondent", "00:00:12"), ("Interviewer", "00:00:31"),
        ("Respondent", "00:00:52"), ("Interviewer", "00:01:10"),
    ]
    assert parsed.turns[3].text == (
        "Aan kleine dingen. (stilte) Nieuwe kleding, een tweede telefoon.\n"
        "Ze zijn moe in de les omdat ze 's nachts moeten rijden."
    )
    assert not any("#" in t.text for t in parsed.turns)


@pytest.mark.parametrize("name", ["amberscript.txt", "sonix.txt"])
def test_speaker_with_bracketed_time_on_its_own_line(name: str) -> None:
    parsed = read_transcript(FORMATS / name)
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert all(t.time and t.text for t in parsed.turns)
    assert not any("Spreker" in t.text or "Speaker" in t.text for t in parsed.turns)
    if name == "amberscript.txt":
        assert parsed.turns[0].time == "00:00:12"
        assert parsed.turns[1].text == (
            "Ik werk bij Halt. Wij zien jongeren na een eerste strafbaar feit.\n"
            "Vaak winkeldiefstal, soms iets met vuurwerk. [lacht] Niet altijd even spannend."
        )


def test_old_teams_word_export_timing_then_name() -> None:
    parsed = read_transcript(FORMATS / "teams_old_export.txt")
    assert rows(parsed) == [
        ("Interviewer", "00:00:00", "Zullen we beginnen? Ik zet de opname aan."),
        ("Respondent", "00:00:05", "Prima. Ik ben schuldhulpverlener bij de gemeente."),
        ("Interviewer", "00:00:12", "Hoe komt u jongeren met schulden tegen?"),
    ]


def test_markdown_bold_speakers_and_headings() -> None:
    parsed = read_transcript(FORMATS / "markdown_bold.md")
    assert parsed.metadata["id"] == "MD3"
    assert rows(parsed) == [
        ("Interviewer", None, "Wat doet u als handhavingsadviseur?"),
        ("Respondent", None,
         "Ik adviseer de gemeente over toezicht en handhaving in de openbare ruimte.\n"
         "Denk aan overlast, ondermijning en panden die verdacht zijn."),
        ("Interviewer", None, "Welke signalen ziet u?"),
        ("Respondent", None, "Jongeren die bij een leegstaand pand rondhangen. Let op: *niet* elke groep is verdacht."),
    ]
    warnings = " ".join(parsed.warnings)
    assert "'# Interview 3'" in warnings and "2 heading" in warnings
    assert "before the first speaker turn" in warnings and "Fictief" in warnings


def test_markdown_with_only_headings_is_refused(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "leeg.md", "# Interview 5\n\n## Notities\n\nNog niet uitgewerkt.\n")
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert "leeg.md, line 5" in str(info.value) and "no speaker turns" in str(info.value)
    assert import_paths(project, [path])[0].status == "failed"
    assert project.db["transcripts"].count == 0


# -- speaker prefixes and roles ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "labels"),
    [
        (["INT: Wat doet u?", "RESP: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["Q: Wat doet u?", "A: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["Interviewer (I): Wat doet u?", "Respondent 2: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["I: Wat doen jullie?", "R1: Ik ben wijkagent.", "R2: En ik jeugdagent.", "R1: Wij werken samen."],
         ["Interviewer", "Respondent 1", "Respondent 2", "Respondent 1"]),
        (["I: Wat doen jullie?", "R2: Ik ben jeugdagent.", "R1: Ik wijkagent."],
         ["Interviewer", "Respondent 2", "Respondent 1"]),
        (["Onderzoeker: Wat doet u?", "Geïnterviewde: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["Onderzoeker: Wat doet u?", "Geinterviewde: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["INT: Wat doet u?", "JAN: Ik ben wijkagent.", "INT: En verder?", "JAN: Niets."],
         ["Interviewer", "Respondent", "Interviewer", "Respondent"]),
        (["I: Wat doet u?", "B: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["Interviewer: Wat doet u?", "R: Ik ben wijkagent.", "Respondent: Al lang."],
         ["Interviewer", "Respondent", "Respondent"]),
        (["[SPEAKER_00]: Wat doet u?", "[SPEAKER_01]: Ik ben wijkagent."], ["Interviewer", "Respondent"]),
        (["Anouk: Wat doet u?", "Karim: Ik ben wijkagent.", "Anouk: Sinds wanneer?", "Karim: Sinds 2019."],
         ["Interviewer", "Respondent", "Interviewer", "Respondent"]),
        (["I:Wat doet u?", "R:Ik ben wijkagent."], ["Interviewer", "Respondent"]),
    ],
)
def test_speaker_prefix_variants(lines: list[str], labels: list[str]) -> None:
    turns, _warnings = parse_turn_lines(lines, Path("x.txt"))
    parsed = ParsedTranscript(Path("x.txt"), "txt", turns)
    from workbench.formats.importers.speakers import assign_roles

    assign_roles(parsed)
    assert [t.label for t in parsed.turns] == labels
    assert [t.text for t in parsed.turns] == [line.split(":", 1)[1].strip() for line in lines]


def test_timestamp_variants() -> None:
    parsed = read_transcript(FORMATS / "timestamps.txt")
    assert [(t.label, t.time) for t in parsed.turns] == [
        ("Interviewer", "00:12:31"), ("Respondent", "00:12:40"), ("Interviewer", "00:12:55"),
        ("Respondent", "00:13:02"), ("Interviewer", "00:13:30"),
    ]
    assert parsed.turns[3].text == "Daarvoor zat ik in het onderwijs.\nIk was docent op een vmbo."
    assert parsed.turns[4].text == "Mooi. Dan de volgende vraag."


def test_colons_in_ordinary_sentences_are_not_speakers() -> None:
    parsed = read_transcript(FORMATS / "prose_colons.txt")
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    answer = parsed.turns[1].text.split("\n")
    assert answer[1:8] == [
        "Kijk: die jongens zijn zestien, die willen geld.",
        "Bijvoorbeeld: iemand biedt tweehonderd euro voor één ritje.",
        "Wat ik zeg: het begint klein.",
        "Het punt is: ze weten het niet.",
        "Om 12:30 staan ze al bij school te wachten.",
        "Meer info staat op https://example.org/uitbuiting, maar die site kennen ze niet.",
        "Maar kijk, als je vraagt waarom, dan weten ze het bijvoorbeeld niet. [lacht]",
    ]
    assert parsed.turns[3].text == "(stilte) Dan bel ik de wijkagent. [onverstaanbaar] Soms ook de school."
    warning = next(w for w in parsed.warnings if "kept as text" in w)
    assert "'Kijk:'" in warning and "'Bijvoorbeeld:'" in warning


def test_single_word_rule_follows_the_file_not_a_word_list() -> None:
    # 'Nou' and 'Daarna' are no names, but used as the only speakers they are speakers …
    lines = ["Daarna: Hoe gaat het?", "Nou: Goed.", "Daarna: Fijn.", "Nou: Ja."]
    turns, _ = parse_turn_lines(lines, Path("x.txt"))
    assert [t.speaker for t in turns] == ["Daarna", "Nou", "Daarna", "Nou"]
    # … while a one-off capitalised word between two established speakers is text, whatever word
    lines = ["Anouk: Hoe gaat het?", "Karim: Goed.", "Vervolgens: het ging mis.", "Anouk: Jammer.", "Karim: Ja."]
    turns, warnings = parse_turn_lines(lines, Path("x.txt"))
    assert [t.speaker for t in turns] == ["Anouk", "Karim", "Anouk", "Karim"]
    assert turns[1].text == "Goed.\nVervolgens: het ging mis."
    assert "'Vervolgens:'" in warnings[0]
    # … and a word that is used in lower case elsewhere is an ordinary word, even if repeated
    lines = ["I: Hoe?", "R: Zo.", "Kortom: het werkt.", "I: En?", "R: Ja.", "Kortom: klaar.", "Het is kortom goed."]
    turns, _ = parse_turn_lines(lines, Path("x.txt"))
    assert [t.speaker for t in turns] == ["I", "R", "I", "R"]


def test_match_turn_for_single_lines() -> None:
    assert match_turn("**I:** Goedemorgen.") == ("I", "Goedemorgen.", None)
    assert match_turn("[00:12:31.250] R: Ja.") == ("R", "Ja.", "00:12:31")
    assert match_turn("Het punt is: ze weten het niet.") is None
    assert match_turn("Om 12:30 begint de les.") is None
    assert match_turn("https://example.org: site") is None
    assert match_turn("Speaker 1  0:03") is None  # a header line needs the following lines


prose_start = st.sampled_from(["Het punt is", "Wat ik zeg", "Dat komt", "De vraag is", "Mijn idee was"])


@settings(max_examples=50, deadline=None)
@given(start=prose_start, rest=st.text(alphabet="abcdefghij .,", min_size=1, max_size=30))
def test_prose_with_lowercase_words_before_a_colon_never_starts_a_turn(start: str, rest: str) -> None:
    turns, _ = parse_turn_lines(["R: Begin.", f"{start}: {rest}", "I: Dank."], Path("x.txt"))
    assert [t.speaker for t in turns] == ["R", "I"]


# -- Word ------------------------------------------------------------------------------------------


def _docx(path: Path, blocks: list) -> Path:
    """A .docx of paragraphs (str) and tables (list of row tuples; '\\n' splits cell paragraphs)."""
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            d.add_paragraph(block)
            continue
        header, body = block
        table = d.add_table(rows=0, cols=len(body[0]))
        for row in ([header] if header else []) + body:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                first, *more = value.split("\n")
                cell.text = first
                for extra in more:
                    cell.add_paragraph(extra)
        if header:
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    d.save(path)
    return path


def test_docx_amberscript_paragraphs(tmp_path: Path) -> None:
    lines = (FORMATS / "amberscript.txt").read_text(encoding="utf-8").split("\n")
    parsed = read_transcript(_docx(tmp_path / "amber.docx", [ln for ln in lines if ln.strip()]))
    assert parsed.source_format == "docx"
    assert rows(parsed) == rows(read_transcript(FORMATS / "amberscript.txt"))


def test_docx_table_time_speaker_text_in_document_order(tmp_path: Path) -> None:
    table = (
        ("Tijd", "Spreker", "Tekst"),
        [
            ("00:00:03", "Interviewer", "Wat is uw functie?"),
            ("00:00:07", "Respondent", "Ik ben jongerenwerker."),
            ("", "", "Al negen jaar, in Noord."),
            ("00:00:15", "Interviewer", "Hoe merkt u uitbuiting?"),
            ("00:00:19", "Respondent:", "Aan geld.\nEn aan nieuwe vrienden."),
        ],
    )
    blocks = ["Interview 4 (fictief)", "Datum: 12 april 2023", table, "I: Nog één vraag na de tabel?", "R: Graag."]
    parsed = read_transcript(_docx(tmp_path / "tabel.docx", blocks))
    assert rows(parsed) == [
        ("Interviewer", "00:00:03", "Wat is uw functie?"),
        ("Respondent", "00:00:07", "Ik ben jongerenwerker.\nAl negen jaar, in Noord."),
        ("Interviewer", "00:00:15", "Hoe merkt u uitbuiting?"),
        ("Respondent", "00:00:19", "Aan geld.\nEn aan nieuwe vrienden."),
        ("Interviewer", None, "Nog één vraag na de tabel?"),
        ("Respondent", None, "Graag."),
    ]
    warnings = " ".join(parsed.warnings)
    assert "Tijd | Spreker | Tekst" in warnings and "column headings" in warnings
    assert "before the first speaker turn" in warnings


def test_docx_table_speaker_text_without_header_and_extra_column(tmp_path: Path) -> None:
    table = (None, [
        ("I", "Wat ziet u op straat?", ""),
        ("R", "Jongens die pakketjes rondbrengen.", "code: werving"),
        ("I", "En online?", ""),
        ("R", "Daar begint het vaak.", "code: online"),
    ])
    parsed = read_transcript(_docx(tmp_path / "kolommen.docx", [table]))
    assert [(t.label, t.text) for t in parsed.turns] == [
        ("Interviewer", "Wat ziet u op straat?"), ("Respondent", "Jongens die pakketjes rondbrengen."),
        ("Interviewer", "En online?"), ("Respondent", "Daar begint het vaak."),
    ]
    assert any("column(s) 3" in w for w in parsed.warnings)


def test_docx_two_row_table_of_labels(tmp_path: Path) -> None:
    parsed = read_transcript(_docx(tmp_path / "kort.docx", [(None, [("I:", "Klaar?"), ("R:", "Ja.")])]))
    assert [(t.label, t.text) for t in parsed.turns] == [("Interviewer", "Klaar?"), ("Respondent", "Ja.")]


def test_docx_table_time_and_text_with_prefixes(tmp_path: Path) -> None:
    table = (None, [("00:00:01", "I: Bent u er klaar voor?"), ("00:00:04", "R: Ja hoor."), ("00:00:06", "Zeker.")])
    parsed = read_transcript(_docx(tmp_path / "tijd.docx", [table]))
    assert rows(parsed) == [("Interviewer", "00:00:01", "Bent u er klaar voor?"), ("Respondent", "00:00:04", "Ja hoor.\nZeker.")]


def test_docx_table_speaker_time_text(tmp_path: Path) -> None:
    table = (None, [
        ("Interviewer", "0:05", "Wat doet u bij de RMC?"),
        ("Respondent", "0:09", "Ik spoor jongeren op die zonder diploma van school gaan."),
        ("Interviewer", "1:02:03", "En uitbuiting?"),
        ("Respondent", "1:02:10", "Dat zie ik vooral bij de jongens die al lang thuis zitten."),
    ])
    parsed = read_transcript(_docx(tmp_path / "rmc.docx", [table]))
    assert [(t.label, t.time) for t in parsed.turns] == [
        ("Interviewer", "00:00:05"), ("Respondent", "00:00:09"), ("Interviewer", "01:02:03"), ("Respondent", "01:02:10"),
    ]
    assert parsed.warnings == []


def test_docx_soft_breaks_and_tracked_changes(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("I: Hoe lang werkt u hier?")
    p = d.add_paragraph("R: Ik werk ")
    when = 'w:author="Collega" w:date="2023-04-01T10:00:00Z"'
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" {when}><w:r><w:t xml:space="preserve">al tien jaar </w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" {when}><w:r><w:delText>twee jaar </w:delText></w:r></w:del>'))
    run = p.add_run("hier.")
    run.add_break()
    p.add_run("I:\tDank u.")
    path = tmp_path / "wijzigingen.docx"
    d.save(path)
    assert rows(read_transcript(path)) == [
        ("Interviewer", None, "Hoe lang werkt u hier?"),
        ("Respondent", None, "Ik werk al tien jaar hier."),
        ("Interviewer", None, "Dank u."),
    ]


def test_docx_without_turns_names_the_file(project: Project, tmp_path: Path) -> None:
    path = _docx(tmp_path / "notities.docx", ["Notities bij interview 6", (None, [("Gemeente", "Utrecht"), ("Datum", "3 mei")])])
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert "notities.docx" in str(info.value) and "no speaker turns" in str(info.value)
    assert import_paths(project, [path])[0].status == "failed"
    assert project.db["transcripts"].count == 0


# -- characters and encodings ------------------------------------------------------------------------


def test_invisible_characters_and_tabs_are_normalised(project: Project, tmp_path: Path) -> None:
    path = copy("unicode_spaces.txt", tmp_path)
    assert import_paths(project, [path])[0].status == "imported"
    text = project.db["transcripts"].get("unicode_spaces")["text"]
    assert text == (
        "Hoeveel jongeren ziet u per week?\n\n"
        "Ongeveer twintig. Ze zijn zeer bereidwillig als je ze goed benadert, 24/7.\n"
        "Het tweede deel van de zin.\nEn een nieuwe regel.\n\nDank u."
    )
    for s in get_sentences(project.db, "unicode_spaces"):
        assert text[s["start"]:s["end"]] == s["text"]


SOURCE_TURNS = [
    ("Interviewer", "U zei net dat het om „kleine bedragen” gaat. Hoeveel dan?"),
    ("Respondent", "Soms €50, soms €200. Een jongen zei letterlijk: ‘het is maar één ritje’.\n"
                   "Ik dacht: “één ritje”, ja ja. Café, coördinator, reünie, naïef – zo praten ze niet."),
    ("Interviewer", "Dank u."),
]


@pytest.mark.parametrize(
    "name", ["enc_utf8_bom.txt", "enc_utf16le_bom.txt", "enc_utf16be_bom.txt", "enc_utf16le_nobom.txt", "enc_cp1252.txt"]
)
def test_encodings(name: str) -> None:
    parsed = read_transcript(FORMATS / name)
    assert parsed.metadata["id"] == "ENC1"
    assert [(t.label, t.text) for t in parsed.turns] == SOURCE_TURNS
    assert not parsed.warnings


def test_latin1_file() -> None:
    parsed = read_transcript(FORMATS / "enc_latin1.txt")
    assert parsed.turns[1].text == (
        "In Enschede, als coördinator van het jongerenwerk. Vroeger in Genève, à la carte.\n"
        "Ik ben naïef geweest: ½ van mijn jongeren had schulden (±30 jongens)."
    )


def test_utf8_with_windows_1252_lines_is_read_with_a_warning() -> None:
    parsed = read_transcript(FORMATS / "enc_mixed.txt")
    assert parsed.turns[1].text == (
        "Een collega. De coördinator heeft het later aangevuld.\nHij schreef: ‘dat is één ritje’ voor €50."
    )
    assert any("line 3" in w and "Windows-1252" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("utf16_odd.txt", b"\xff\xfeI\x00:\x00 \x00\x00\xd8", 1),
        ("c1.txt", "I: goed\nR: één\n".encode() + b"caf\x81\n", 3),
    ],
)
def test_undecodable_files_name_file_and_line(project: Project, tmp_path: Path, name: str, data: bytes, line: int) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert name in str(info.value) and info.value.line == line
    assert import_paths(project, [path])[0].status == "failed"
    assert project.db["transcripts"].count == 0


# -- everything together -------------------------------------------------------------------------------


def test_every_fixture_imports_with_exact_offsets(project: Project) -> None:
    files = sorted(p for p in FORMATS.iterdir() if p.suffix in (".txt", ".md", ".vtt") and p.name != "README.md")
    results = import_paths(project, files)
    assert [r.status for r in results if r.status != "unchanged"] == ["imported"] * len(
        [r for r in results if r.status != "unchanged"]
    ), [r.message for r in results]
    assert sum(r.status == "imported" for r in results) >= 15
    db = project.db
    for row in db["transcripts"].rows:
        text = row["text"]
        for turn in get_turns(db, row["id"]):
            body = text[turn["start"]:turn["end"]]
            assert body and body == body.strip()
        for s in get_sentences(db, row["id"]):
            assert text[s["start"]:s["end"]] == s["text"]


def test_long_turns_build_the_same_text(tmp_path: Path) -> None:
    """Many continuation lines and many cues of one speaker (the linear-time paths)."""
    lines = ["I: Vertel.", "R: Eerste zin."] + [f"Zin nummer {n}." for n in range(3000)]
    built = build(read_transcript(write(tmp_path, "lang.txt", "\n".join(lines))))
    assert built.text.count("\n") == 3000 + 2
    cues = "".join(f"\n{n}\n00:{n // 60 % 60:02d}:{n % 60:02d}.000 --> 00:{n // 60 % 60:02d}:{n % 60:02d}.900\nJan de Vries: Zin {n}.\n" for n in range(2000))
    parsed = read_transcript(write(tmp_path, "lang.vtt", "WEBVTT\n" + cues))
    assert len(parsed.turns) == 1 and parsed.turns[0].text.count("Zin ") == 2000


def test_bracketed_names_with_times_and_a_tool_footer(tmp_path: Path) -> None:
    text = (
        "[Mirjam Kok] 10:03:15\nGoedemorgen, we beginnen.\n\n"
        "[Tim Mulder] 10:03:21\nGoedemorgen. Ik ben wijkagent.\n\n"
        "[Mirjam Kok] 10:04:02\nDank u wel.\n\nTranscribed by https://otter.ai\n"
    )
    parsed = read_transcript(write(tmp_path, "zoomtekst.txt", text))
    assert rows(parsed) == [
        ("Interviewer", "10:03:15", "Goedemorgen, we beginnen."),
        ("Respondent", "10:03:21", "Goedemorgen. Ik ben wijkagent."),
        ("Interviewer", "10:04:02", "Dank u wel."),
    ]
    assert any("otter.ai" in w and "not imported" in w for w in parsed.warnings)


def test_whisperx_style_speaker_labels_in_vtt(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\n[SPEAKER_00]: Hoe bent u bij dit werk gekomen?\n\n"
        "00:00:03.400 --> 00:00:06.000\n[SPEAKER_01]: Via het jongerenwerk.\n\n"
        "00:00:06.000 --> 00:00:08.000\n[SPEAKER_01]: Al jaren geleden.\n"
    )
    parsed = read_transcript(write(tmp_path, "whisperx.vtt", vtt))
    assert rows(parsed) == [
        ("Interviewer", "00:00:00", "Hoe bent u bij dit werk gekomen?"),
        ("Respondent", "00:00:03", "Via het jongerenwerk. Al jaren geleden."),
    ]


def test_emphasis_alone_does_not_make_a_speaker(tmp_path: Path) -> None:
    md = (
        "**I:** Wat moet ik weten?\n\n**R:** Een paar dingen.\n**Let op:** het is vertrouwelijk.\n\n"
        "**I:** Begrepen.\n\n**R:** Mooi.\n"
    )
    parsed = read_transcript(write(tmp_path, "nadruk.md", md))
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert parsed.turns[1].text == "Een paar dingen.\n**Let op:** het is vertrouwelijk."


def test_docx_heading_styles_are_skipped(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Interview 8", level=1)
    d.add_paragraph("I: Wat is uw rol?")
    d.add_paragraph("R: Ik ben Halt-medewerker.")
    d.add_heading("Blok 2", level=2)
    d.add_paragraph("I: Wat ziet u?")
    d.add_paragraph("R: Veel.")
    d.save(tmp_path / "kopjes.docx")
    parsed = read_transcript(tmp_path / "kopjes.docx")
    assert [t.text for t in parsed.turns] == ["Wat is uw rol?", "Ik ben Halt-medewerker.", "Wat ziet u?", "Veel."]
    assert any("2 heading" in w and "'Interview 8'" in w for w in parsed.warnings)


line_parts = st.sampled_from([
    "I:", "R:", "Kijk:", "Jan de Vries:", "**I:**", "[00:12:31]", "(12:31)", "#00:01:23-4#", "Speaker 1  0:03",
    "Spreker 2 [00:00:12]", "0:0:5.3 --> 0:0:9.0", "# Kop", "---", "Om 12:30", "https://x.nl", "[lacht]",
    "het punt is:", "ja", "Nou", "\u00a0", "tekst.", "<v Jan>", "JAN:", "R1:", "",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(line_parts, min_size=0, max_size=4).map(" ".join), min_size=1, max_size=12))
def test_any_mix_of_lines_parses_or_is_refused_cleanly(lines: list[str]) -> None:
    try:
        turns, _warnings = parse_turn_lines(lines, Path("mix.txt"))
    except ImportFileError as exc:
        assert "mix.txt" in str(exc)
    else:
        assert turns and all(t.text.strip() and t.speaker.strip() for t in turns)
        assert all("#00:01:23-4#" not in t.text for t in turns)
