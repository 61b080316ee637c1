"""Issue 15: Word and REFI-QDA exports never fail on characters XML cannot hold.

A transcript with a noncharacter (U+FFFF) is refused at import; text stored before that
(written here straight into the database) still exports: the character becomes U+FFFD in the
.docx and in the .qdpx project XML instead of a ValueError or an unreadable file.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.services.codebook import codes as codebook
from workbench.services.coding import passages as coding
from workbench.services.reporting import quotes


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def test_a_noncharacter_in_a_transcript_is_refused(project, tmp_path):
    path = tmp_path / "A.txt"
    path.write_text("I: Vraag?\nR: Raar \uffff teken.\n", encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code != 0 and "U+FFFF" in result.output and "A.txt, line 2" in result.output


def test_stored_noncharacters_export_to_word_and_refi_qda(project, add_transcript, tmp_path):
    add_transcript("T1")
    db = project.db
    text = db["transcripts"].get("T1")["text"]
    start = text.index("Ik werk")
    with db.atomic():  # as an older workbench could have stored it
        db.execute("update transcripts set text = ? where id = 'T1'",
                   [text[:start + 3] + "\uffff" + text[start + 4:]])
    codebook.add(db, "anna", "Werk")
    row = coding.apply_code(db, "anna", "T1", "Werk", start, start + 20)
    quotes.star(db, "anna", row["id"])
    result = run(project, "export", "quotes", "--format", "docx")
    assert result.exit_code == 0, result.output
    docx = next((project.root / "exports").glob("quotes-*.docx"))
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "\ufffd" in body and "\uffff" not in body
    out = tmp_path / "p.qdpx"
    assert run(project, "qdpx", "export", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as zf:
        ET.fromstring(zf.read("project.qde"))  # well-formed XML
