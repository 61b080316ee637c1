"""Word (python-docx) building blocks shared by the quote and chapter exports.

Only built-in styles are used ("Heading 1–3", "Quote", "List Bullet"), so the document opens
cleanly in Word and LibreOffice and an author can restyle it with their own template.
"""

from __future__ import annotations

import io

from workbench.textsafety import xml_safe


def new_document(title: str):
    import docx

    doc = docx.Document()
    doc.core_properties.title = title
    doc.core_properties.author = "workbench"
    doc.core_properties.language = "nl-NL"
    return doc


def quote_paragraph(doc, quote: str, note: str | None = None):
    """A paragraph in the "Quote" style; ``note`` (e.g. "[niet geselecteerd]") in italics after it."""
    p = doc.add_paragraph(style="Quote")
    p.add_run(xml_safe(quote))
    if note:
        run = p.add_run(f" {note}")
        run.italic = True
    return p


def save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
