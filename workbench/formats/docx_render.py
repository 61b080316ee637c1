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


def quote_paragraph(doc, quote: str, note: str | None = None, *, warning: str | None = None):
    """A paragraph in the "Quote" style; ``note`` (e.g. "[niet geselecteerd]") in italics after
    it; ``warning`` (an open anonymity flag) bold and highlighted, so that no reader misses it."""
    p = doc.add_paragraph(style="Quote")
    p.add_run(xml_safe(quote))
    if note:
        run = p.add_run(f" {note}")
        run.italic = True
    if warning:
        from docx.enum.text import WD_COLOR_INDEX

        run = p.add_run(f" {xml_safe(warning)}")
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
