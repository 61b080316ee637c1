"""Transcript import: every format, encodings, bad input, re-import and replace."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from workbench.errors import ImportFileError
from workbench.formats.importers import read_transcript
from workbench.project import Project
from workbench.services.transcripts.library import (
    get_sentences,
    get_turns,
    import_paths,
    list_transcripts,
)

REPO = Path(__file__).resolve().parent.parent

TXT = """---
id: A1
rol: jongerenwerker
gemeente: Utrecht
domein: Onderwijs
datum: 14-03-2023
interviewer: onderzoeker
---
[00:00:05] I: Goedemorgen. Hoe lang werkt u al als jongerenwerker?
[00:00:09] R: Al twaalf jaar. Ik werk in de wijk.
Dat bevalt me goed.

00:01:10 R: Nog een aanvulling. Ze worden geronseld via Snapchat.
Interviewer: Dank u.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_front_matter_turns_times_and_continuations(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "a.txt", TXT))
    assert parsed.metadata["id"] == "A1"
    assert parsed.metadata["role"] == "jongerenwerker"
    assert parsed.metadata["municipality"] == "Utrecht"
    assert parsed.metadata["date"] == "2023-03-14"
    assert [t.role for t in parsed.turns] == ["interviewer", "respondent", "respondent", "interviewer"]
    assert parsed.turns[1].text == "Al twaalf jaar. Ik werk in de wijk.\nDat bevalt me goed."
    assert [t.time for t in parsed.turns] == ["00:00:05", "00:00:09", "00:01:10", None]


def test_english_keys_and_named_speakers(tmp_path: Path) -> None:
    text = "---\nid: B2\nrole: wijkagent\nmunicipality: Arnhem\ndomain: Wijk en Wonen\ndate: 2023-01-02\ninterviewer: Els Bakker\n---\nEls Bakker: Vertel eens.\nJan de Vries: Ik ben wijkagent.\nEls Bakker: Dank.\n"
    parsed = read_transcript(write(tmp_path, "b.md", text))
    assert [t.role for t in parsed.turns] == ["interviewer", "respondent", "interviewer"]
    assert [t.label for t in parsed.turns] == ["Interviewer", "Respondent", "Interviewer"]


def test_stored_text_has_no_speaker_names(project: Project, tmp_path: Path) -> None:
    text = "---\nid: N1\nrol: wijkcoach\ninterviewer: Els Bakker\n---\nEls Bakker: Vertel eens.\nJan de Vries: Ik ben wijkcoach.\n"
    import_paths(project, [write(tmp_path, "n.txt", text)])
    row = project.db["transcripts"].get("N1")
    assert "Bakker" not in row["text"] and "Vries" not in row["text"]
    assert [t["speaker"] for t in get_turns(project.db, "N1")] == ["Interviewer", "Respondent"]


VTT = """WEBVTT

0a1b/10-0
00:00:01.000 --> 00:00:04.000
<v Sanne Verhoeven>Welkom. Wat is uw rol?</v>

0a1b/11-0
00:00:05.500 --> 00:00:09.000
<v Mark de Boer>Ik ben wijkagent.</v>

00:00:09.000 --> 00:00:12.000
<v Mark de Boer>Al vijftien jaar.</v>

00:00:12.500 --> 00:00:14.000
<v Sanne Verhoeven>Dank u.</v>
"""


def test_vtt_teams_merges_cues_and_replaces_names(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "v1.vtt", VTT)
    write(tmp_path, "v1.yaml", "id: V1\nrole: wijkagent\ninterviewer: Sanne Verhoeven\n")
    parsed = read_transcript(path)
    assert [t.text for t in parsed.turns] == ["Welkom. Wat is uw rol?", "Ik ben wijkagent. Al vijftien jaar.", "Dank u."]
    assert [t.time for t in parsed.turns] == ["00:00:01", "00:00:05", "00:00:12"]
    import_paths(project, [path])
    row = project.db["transcripts"].get("V1")
    assert "Verhoeven" not in row["text"] and "Boer" not in row["text"]
    assert row["role"] == "wijkagent"


def test_srt_with_speaker_prefixes(tmp_path: Path) -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nI: Hoe gaat het?\n\n2\n00:00:03,500 --> 00:00:06,000\nR: Goed hoor.\n\n3\n00:00:06,000 --> 00:00:08,000\nHet werk is zwaar.\n"
    parsed = read_transcript(write(tmp_path, "s.srt", srt))
    assert [(t.role, t.text, t.time) for t in parsed.turns] == [
        ("interviewer", "Hoe gaat het?", "00:00:01"),
        ("respondent", "Goed hoor. Het werk is zwaar.", "00:00:03"),
    ]


def test_docx_paragraphs_and_front_matter(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for line in ["---", "id: D1", "rol: wijkcoach", "datum: 2023-05-01", "---", "I: Vraag één?", "R: Antwoord één.", "Vervolg van het antwoord.", "I: Vraag twee?"]:
        d.add_paragraph(line)
    path = tmp_path / "d.docx"
    d.save(path)
    parsed = read_transcript(path)
    assert parsed.metadata["id"] == "D1"
    assert [t.text for t in parsed.turns] == ["Vraag één?", "Antwoord één.\nVervolg van het antwoord.", "Vraag twee?"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom8.txt", codecs.BOM_UTF8 + TXT.encode("utf-8")),
        ("utf16.txt", TXT.encode("utf-16")),
        ("cp1252.txt", TXT.replace("Utrecht", "Enschedé").encode("cp1252")),
        ("crlf.txt", TXT.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_encodings_and_line_endings(tmp_path: Path, name: str, data: bytes) -> None:
    parsed = read_transcript(write(tmp_path, name, data))
    assert parsed.metadata["id"] == "A1"
    assert all("\r" not in t.text for t in parsed.turns)
    if name == "cp1252.txt":
        assert parsed.metadata["municipality"] == "Enschedé"


@pytest.mark.parametrize(
    ("name", "data", "message", "line"),
    [
        ("empty.txt", b"", "empty", None),
        ("blank.txt", b"   \n\n", "empty", None),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary", 3),
        ("noturns.txt", b"---\nid: X\n---\nZomaar wat tekst zonder sprekers.\n", "no speaker turns", 4),
        ("badyaml.txt", b"---\nid: X\nrol: [unclosed\n---\nI: hoi\n", "broken front matter", 3),
        ("unclosed.txt", b"---\nid: X\nI: hoi\n", "no closing", 1),
        ("notmapping.txt", b"---\n- a\n- b\n---\nI: hoi\n", "key: value", 2),
        ("baddate.txt", b"---\nid: X\ndatum: morgen\n---\nI: hoi\n", "date", 3),
        ("undecodable.txt", b"I: caf\x81\x8d\x90\n", "cannot decode", 1),
        ("x.pdf", b"%PDF-1.4", "unsupported file type", None),
        ("broken.docx", b"PK-not-really", "not a Word", None),
        ("bad.vtt", b"I: not a vtt\n", "WEBVTT", 1),
    ],
)
def test_bad_files_are_reported_and_nothing_is_stored(
    project: Project, tmp_path: Path, name: str, data: bytes, message: str, line: int | None
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ImportFileError) as info:
        read_transcript(path)
    assert message in str(info.value)
    assert name in str(info.value)
    if line is not None:
        assert info.value.line == line
    results = import_paths(project, [path])
    assert results[0].status == "failed"
    assert project.db["transcripts"].count == 0
    assert project.db["sentences"].count == 0


def test_good_files_still_imported_beside_bad_ones(project: Project, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", TXT)
    bad = write(tmp_path, "bad.txt", b"\x00\x01")
    results = import_paths(project, [bad, good])
    assert sorted(r.status for r in results) == ["failed", "imported"]
    assert [t["id"] for t in list_transcripts(project.db)] == ["A1"]


def test_reimport_identical_does_nothing(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", TXT)
    assert import_paths(project, [path])[0].status == "imported"
    again = import_paths(project, [path])[0]
    assert again.status == "unchanged" and "nothing to do" in again.message
    copy = write(tmp_path, "copy.txt", TXT.replace("id: A1", "id: A2"))
    duplicate = import_paths(project, [copy])[0]  # a new id: a duplicate, and a decision
    assert duplicate.status == "failed" and "identical to transcript A1" in duplicate.message
    assert "its id A2 would be dropped" in duplicate.message
    assert project.db["transcripts"].count == 1


def test_same_id_different_content_refused_then_replaced_keeping_codings(project: Project, tmp_path: Path) -> None:
    from workbench.services.codebook import codes as codebook
    from workbench.services.coding import passages as coding

    path = write(tmp_path, "a.txt", TXT)
    import_paths(project, [path])
    db = project.db
    codebook.add(db, "anna", "werving online")
    text = db["transcripts"].get("A1")["text"]
    s = text.index("Ze worden geronseld")
    kept = coding.apply_code(db, "anna", "A1", "werving online", s, s + len("Ze worden geronseld via Snapchat."))
    gone_start = text.index("Dat bevalt")
    lost = coding.apply_code(db, "anna", "A1", "werving online", gone_start, gone_start + len("Dat bevalt me goed."))
    changed = TXT.replace("Dat bevalt me goed.", "Het is zwaar werk.").replace("[00:00:05] I: Goedemorgen.", "[00:00:05] I: Goedemiddag, welkom.")
    write(tmp_path, "a.txt", changed)
    refused = import_paths(project, [path])[0]
    assert refused.status == "failed" and "--replace" in refused.message
    assert db["transcripts"].get("A1")["text"] == text
    replaced = import_paths(project, [path], replace=True)[0]
    assert replaced.status == "replaced"
    assert replaced.flagged_codings == [lost["id"]]
    new_text = db["transcripts"].get("A1")["text"]
    moved = db["codings"].get(kept["id"])
    assert new_text[moved["start"]:moved["end"]] == "Ze worden geronseld via Snapchat."
    assert moved["flag"] is None
    assert "text changed" in db["codings"].get(lost["id"])["flag"]
    assert db["codings"].count == 2
    assert list((project.root / "exports" / "backups").glob("*before-replace*.db"))


def test_folder_import_recursive_and_progress(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.txt", TXT)
    write(folder / "sub", "b.txt", TXT.replace("id: A1", "id: B1").replace("twaalf", "dertien"))
    write(folder, "notes.yaml", "id: ignored\n")
    seen: list[tuple[int, int]] = []
    results = import_paths(project, [folder], progress=lambda d, t, m: seen.append((d, t)))
    assert [r.status for r in results] == ["imported", "imported"]
    assert seen[-1] == (2, 2)


def test_sentence_offsets_round_trip_on_every_sample(project: Project) -> None:
    results = import_paths(project, [REPO / "transcripts"])
    assert all(r.status == "imported" for r in results), [r.message for r in results]
    db = project.db
    for t in list_transcripts(db):
        text = db["transcripts"].get(t["id"])["text"]
        previous_end = 0
        turns = {tu["idx"]: tu for tu in get_turns(db, t["id"])}
        for s in get_sentences(db, t["id"]):
            assert text[s["start"]:s["end"]] == s["text"]
            assert s["text"] == s["text"].strip() and s["text"]
            assert s["start"] >= previous_end
            turn = turns[s["turn_idx"]]
            assert turn["start"] <= s["start"] and s["end"] <= turn["end"]
            previous_end = s["end"]


def test_sample_labels(project: Project) -> None:
    import_paths(project, [REPO / "transcripts"])
    labels = {t["id"]: t["label"] for t in list_transcripts(project.db)}
    assert sorted(v for v in labels.values() if v.startswith("Jongerenwerker")) == [
        "Jongerenwerker A", "Jongerenwerker B", "Jongerenwerker C"]
    assert "Wijkcoach" in labels.values() and "Wijkagent" in labels.values()
    assert len(set(labels.values())) == len(labels) >= 6
