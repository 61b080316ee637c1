"""Word transcripts (.docx): paragraphs and tables, in document order.

Paragraphs follow the plain-text rules of :mod:`workbench.formats.importers.turns` (one paragraph per
turn or a speaker paragraph followed by text paragraphs); a soft line break (Shift+Enter) within
a paragraph counts as a line break; paragraphs in a Heading or Title style are skipped and
reported. Tracked insertions are read, tracked deletions and text boxes
are not. Front matter may stand in the first paragraphs between ``---`` paragraphs.

A table whose rows are turns is read row by row. Its columns are recognised from their
contents: a *time* column (most cells a time such as ``00:12:31``), a *text* column (the longest
cells) and a *speaker* column (short cells; a speaker occurs twice, every speaker is a label or
name such as ``I`` or ``Jan de Vries``, or there is a time column): ``speaker | text``,
``time | speaker | text``, ``speaker | time | text``, and ``time | text`` with the speaker
prefix in the text. A first row that names the columns
(``Spreker | Tekst``; a row Word repeats as a header, or short cells whose "speaker" occurs
nowhere else) is skipped. A row without a speaker continues the previous turn, and later
paragraphs within a text cell stay in the turn. Further columns (notes) are left out with a
warning. Any other table is read as lines of text, its cells joined by ``|``.

Line numbers in messages count blocks: each paragraph and each table row is one.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from workbench.errors import ImportFileError
from workbench.formats.importers.encoding import normalise_text
from workbench.formats.importers.metadata import split_front_matter
from workbench.formats.importers.model import ParsedTranscript
from workbench.formats.importers.turns import (
    TIME_ONLY_RE,
    Line,
    format_time,
    is_strong_speaker,
    parse_lines,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {f"{_W}del", f"{_W}delText", f"{_W}txbxContent", f"{_W}drawing", f"{_W}pict",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
         f"{_W}instrText", f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}pPr", f"{_W}rPr"}
_SPEAKER_TIME = re.compile(r"^(?P<speaker>.*?)\s*[\[(](?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]\s*$")


def paragraph_text(p: Any) -> str:
    """The visible text of a ``w:p`` element, soft breaks as ``\\n``."""
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(p)
    return normalise_text("".join(out))


MAX_DOCX_XML = 200 * 2**20
"""Largest sum of a .docx's XML parts (an interview of two hours is about 2 MB)."""


def _check_archive(path: Path) -> None:
    """Refuse a .docx that is a zip bomb, has unsafe entries or more XML than any interview,
    before python-docx reads its parts into memory (the REFI-QDA archive checks)."""
    from workbench.errors import WorkbenchError
    from workbench.formats.safety import open_archive

    try:
        with open_archive(path) as archive:
            xml = sum(info.file_size for info in archive._by_lower.values()
                      if info.filename.lower().endswith((".xml", ".rels")))
    except WorkbenchError as exc:
        raise ImportFileError(f"cannot open the Word file: {exc.message}", path=path) from exc
    if xml > MAX_DOCX_XML:
        raise ImportFileError(f"the Word file holds {xml / 2**20:,.0f} MB of text XML; at most "
                              f"{MAX_DOCX_XML // 2**20} MB are read (a zip bomb?)", path=path)


def read_docx(path: Path) -> ParsedTranscript:
    import docx  # python-docx, imported only when a .docx is read
    from docx.table import Table

    if not zipfile.is_zipfile(path):
        raise ImportFileError("not a Word .docx file (it is not a ZIP archive)", path=path)
    _check_archive(path)
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        raise ImportFileError(f"cannot open the Word file: {exc}", path=path) from exc
    lines: list[Line] = []
    warnings: list[str] = []
    number = 0
    tables = 0
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            rows = _table_rows(block)
            marked = bool(block.rows) and _marked_header(block.rows[0])
            lines.extend(_table_lines(rows, number, tables, warnings, marked))
            number += len(rows)
        else:
            number += 1
            heading = _is_heading(block)
            lines.extend(Line(number, part, heading=heading) for part in paragraph_text(block._p).split("\n"))
    meta, start, has_fm = split_front_matter([ln.text for ln in lines], path)
    turns, turn_warnings = parse_lines(lines[start:], path, unit="paragraph")
    return ParsedTranscript(path, "docx", turns, meta, warnings + turn_warnings, has_fm)


def _is_heading(paragraph: Any) -> bool:
    """A paragraph in a Heading or Title style (python-docx gives built-in styles English names)."""
    try:
        name = paragraph.style.name or ""
    except (AttributeError, KeyError):  # a style the document does not define
        return False
    return name.startswith(("Heading", "Title", "Kop", "Titel"))


def _table_rows(table: Any) -> list[list[list[str]]]:
    """Each row as its cells, each cell as its paragraphs' texts (merged cells once)."""
    rows: list[list[list[str]]] = []
    for row in table.rows:
        cells: list[list[str]] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            texts = [t for p in cell.paragraphs for t in paragraph_text(p._p).split("\n")]
            cells.append([t.strip() for t in texts if t.strip()])
        rows.append(cells)
    return rows


def _marked_header(row: Any) -> bool:
    """Whether Word repeats this row as the table's heading on every page."""
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None


def _is_time(text: str) -> bool:
    return bool(TIME_ONLY_RE.match(text))


def _columns(rows: list[list[list[str]]]) -> tuple[int | None, int | None, int | None, int]:
    """(time column, speaker column, text column, width) of a transcript table, else Nones."""
    width = Counter(len(r) for r in rows).most_common(1)[0][0]
    full = [[" ".join(c) for c in r] for r in rows if len(r) == width]
    if width < 2 or len(full) < 2:
        return None, None, None, width

    def filled(col: int) -> list[str]:
        return [r[col] for r in full if r[col]]

    time_col = next(
        (c for c in range(width) if filled(c) and sum(map(_is_time, filled(c))) >= 0.6 * len(filled(c))),
        None,
    )
    others = [c for c in range(width) if c != time_col]
    avg = {c: sum(map(len, filled(c))) / max(1, len(filled(c))) for c in others}
    text_col = max(others, key=lambda c: (avg[c], c))
    short = [c for c in others if c != text_col and avg[c] <= 40]
    speaker_col = min(short, key=lambda c: (avg[c], c)) if short else None
    if speaker_col is not None:
        names = [_clean_speaker(s)[0] for s in filled(speaker_col)]
        repeated = any(n >= 2 for n in Counter(s.casefold() for s in names).values())
        speaker_like = bool(names) and all(s and is_strong_speaker(s) for s in names)
        if not (time_col is not None or repeated or speaker_like):
            return None, None, None, width
    elif time_col is None:
        return None, None, None, width
    return time_col, speaker_col, text_col, width


def _clean_speaker(text: str) -> tuple[str, str | None]:
    speaker = text.strip().strip("*_").strip().rstrip(":").strip().strip("*_").strip()
    m = _SPEAKER_TIME.match(speaker)
    if m and m.group("speaker"):
        return m.group("speaker").strip(), format_time(m.group("time"))
    return speaker, None


def _looks_like_header(row: list[str], speaker_col: int | None, time_col: int | None, speakers: Counter) -> bool:
    if time_col is not None and row[time_col] and _is_time(row[time_col]):
        return False
    if speaker_col is not None and speakers[row[speaker_col].casefold()] > 1:
        return False
    return all(len(cell.split()) <= 3 and not cell.rstrip().endswith((".", "?", "!", "…")) for cell in row)


def _table_lines(
    rows: list[list[list[str]]], before: int, table_no: int, warnings: list[str], marked_header: bool
) -> list[Line]:
    if not rows:
        return []
    time_col, speaker_col, text_col, width = _columns(rows)
    if text_col is None:
        return [Line(before + i + 1, " | ".join(" ".join(c) for c in row if c)) for i, row in enumerate(rows)]
    joined = [[" ".join(c) for c in row] for row in rows]
    speakers = Counter(r[speaker_col].casefold() for r in joined if speaker_col is not None and len(r) == width)
    first = 0
    if marked_header or (len(joined[0]) == width and _looks_like_header(joined[0], speaker_col, time_col, speakers)):
        first = 1
        warnings.append(
            f"paragraph {before + 1}: the first row of table {table_no} ({' | '.join(joined[0])}) "
            "was taken as column headings and not imported"
        )
    used = {c for c in (time_col, speaker_col, text_col) if c is not None}
    ignored = sorted(set(range(width)) - used)
    if ignored and any(len(r) == width and any(r[c] for c in ignored) for r in rows[first:]):
        warnings.append(
            f"table {table_no}: column(s) {', '.join(str(c + 1) for c in ignored)} hold neither "
            "time, speaker nor text and were not imported"
        )
    out: list[Line] = []
    for i, row in enumerate(rows[first:], start=first):
        number = before + i + 1
        if len(row) != width:  # a merged row: its text as a line of its own
            text = " ".join(" ".join(c) for c in row if c)
            if text:
                out.append(Line(number, text))
            continue
        paragraphs = row[text_col]
        time = None
        stamp = TIME_ONLY_RE.match(" ".join(row[time_col])) if time_col is not None and row[time_col] else None
        if stamp is not None:
            time = format_time(stamp.group(0).strip("[]() "))
        speaker, own_time = _clean_speaker(" ".join(row[speaker_col])) if speaker_col is not None else ("", None)
        time = time or own_time
        if not paragraphs and not speaker:
            continue
        head = paragraphs[0] if paragraphs else ""
        if speaker:
            out.append(Line(number, head, speaker=speaker, time=time))
        elif speaker_col is None:  # time | text: the speaker prefix is in the text
            out.append(Line(number, head, time=time))
        else:
            out.append(Line(number, head, continuation=speaker_col is not None))
        out.extend(Line(number, more, continuation=True) for more in paragraphs[1:])
    return out
