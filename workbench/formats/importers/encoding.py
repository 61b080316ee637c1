"""Decoding transcript bytes and normalising the text every offset points into.

Encodings, tried in this order:

1. a byte-order mark: UTF-8, UTF-16 LE or UTF-16 BE (the mark itself is dropped);
2. UTF-16 without a mark, when every other byte is NUL (as Windows tools write it);
3. UTF-8;
4. Windows-1252 (which also reads every printable ISO-8859-1/Latin-1 file the same way). A file
   that is mostly UTF-8 with a few Windows-1252 bytes pasted in (a colleague's edit) is read as
   UTF-8 with those bytes taken as Windows-1252, and a warning says so.

Bytes that fit none of these, and control characters other than line breaks and tabs (C0,
DEL and C1), are refused with the file and line.

:func:`normalise_text` then makes the text canonical. These are *all* the changes, so that a
position in the stored text can be traced back to the file:

- line breaks ``\\r\\n``, ``\\r``, U+2028, U+2029, U+0085 (NEL), ``\\v`` and ``\\f`` become ``\\n``;
- a tab becomes one space;
- no-break and other fixed-width spaces (U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F,
  U+3000) become an ordinary space;
- soft hyphens (U+00AD), zero-width spaces (U+200B), word joiners (U+2060) and stray
  byte-order marks (U+FEFF) are removed (zero-width (non-)joiners U+200C/U+200D stay: emoji
  need them);
- the result is Unicode NFC (``e`` + combining diaeresis becomes ``ë``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from workbench.errors import ImportFileError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest transcript or sidecar file read (as :data:`workbench.formats.importers.MAX_BYTES`)."""
_CONTROL_OK = {"\n", "\t", "\r", "\f", "\v"}
# C0 controls other than line breaks and tabs, DEL, and C1 controls other than NEL (a line
# break): a terminal acts on them (ESC, CSI U+009B), and a text file never holds them.
_BAD_CONTROL = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(32), *range(0x7F, 0xA0), *range(0xFDD0, 0xFDF0),
                                               0xFFFE, 0xFFFF]
                  if chr(c) not in _CONTROL_OK and c != 0x85) + "]"
)
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_REMOVED = "\u00ad\u200b\u2060\ufeff"
_LINE_BREAKS = "\u2028\u2029\u0085\v\f"
_TRANSLATE = {
    **{ord(c): " " for c in _SPACES},
    **{ord(c): None for c in _REMOVED},
    **{ord(c): "\n" for c in _LINE_BREAKS},
    ord("\t"): " ",
}


def normalise_text(text: str) -> str:
    """The canonical form of transcript text (see the module docstring for every change)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    return unicodedata.normalize("NFC", text)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the bytes look like UTF-16 text without a mark."""
    sample = data[:4000]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.7 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.7 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    try:
        return error.object[error.start : error.start + 1].decode("cp1252"), error.start + 1
    except UnicodeDecodeError:  # one of the 5 bytes Windows-1252 leaves undefined
        raise UnicodeDecodeError("cp1252", error.object, error.start, error.start + 1, "undefined") from None


codecs.register_error("workbench-cp1252", _cp1252_fallback)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_legacy(body: bytes, utf8_error: UnicodeDecodeError, path: Path, warnings: list[str] | None) -> str:
    """Windows-1252, or UTF-8 with some Windows-1252 bytes mixed in."""
    line = _line_of(body, utf8_error.start)
    try:
        if _UTF8_MULTIBYTE.search(body):
            text = body.decode("utf-8", errors="workbench-cp1252")
            if warnings is not None:
                warnings.append(
                    f"line {line}: the file mixes UTF-8 with Windows-1252 characters; they were "
                    "read as Windows-1252 (check accented letters from this line on)"
                )
            return text
        return body.decode("cp1252")
    except UnicodeDecodeError as exc:
        position = exc.start
        raise ImportFileError(
            "cannot decode the file: it is neither UTF-8 nor Windows-1252 "
            f"(byte 0x{body[position]:02x})",
            path=path,
            line=_line_of(body, position),
        ) from exc


def decode_bytes(data: bytes, path: Path, warnings: list[str] | None = None) -> str:
    """Decode a text file's bytes or raise an error naming the file and line.

    Notes about the decoding (a mixed encoding) are appended to ``warnings`` when given.
    """
    if not data.strip():
        raise ImportFileError("the file is empty", path=path)
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", data[len(codecs.BOM_UTF16_LE) :]
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", data[len(codecs.BOM_UTF16_BE) :]
    else:
        encoding, body = _utf16_without_bom(data) or "", data
    if encoding:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            name = encoding.upper().replace("-LE", " LE").replace("-BE", " BE")
            raise ImportFileError(
                f"not valid {name} (read as {name} from its byte-order mark or byte pattern: "
                f"{exc.reason})",
                path=path,
                line=body[: exc.start].decode(encoding, "replace").count("\n") + 1,
            ) from exc
        if not text.strip():
            raise ImportFileError("the file is empty", path=path)
    else:
        if b"\x00" in body:
            raise ImportFileError(
                "looks like a binary file (it contains NUL bytes); expected a text transcript",
                path=path,
                line=_line_of(body, body.index(b"\x00")),
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            text = _decode_legacy(body, utf8_error, path, warnings)
    text = text.lstrip("\ufeff")
    found = _BAD_CONTROL.search(text)  # a regex: a per-character loop cost ~20 ms per interview
    if found is not None:
        bad = found.start()
        raise ImportFileError(
            f"looks like a binary file (control character U+{ord(text[bad]):04X})",
            path=path,
            line=text.count("\n", 0, bad) + 1,
        )
    return normalise_text(text)


def read_text_file(path: Path, warnings: list[str] | None = None) -> str:
    from workbench.errors import WorkbenchError
    from workbench.files import read_input

    try:
        data = read_input(path, limit=MAX_FILE_BYTES)
    except FileNotFoundError as exc:
        raise ImportFileError("no such file", path=path) from exc
    except WorkbenchError as exc:
        raise ImportFileError(exc.message, path=path) from exc
    return decode_bytes(data, path, warnings)
