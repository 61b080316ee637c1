"""Decoding transcript bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252.

Line endings become ``\\n`` and the text is NFC-normalised, so offsets are stable whatever
editor wrote the file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from workbench.errors import ImportFileError

_CONTROL_OK = {"\n", "\t", "\r", "\f"}
_BAD_CONTROL = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _CONTROL_OK) + "]"
)


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return unicodedata.normalize("NFC", text)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode a text file's bytes or raise an error naming the file and line."""
    if not data.strip():
        raise ImportFileError("the file is empty", path=path)
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "", data
    if encoding:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"not valid {encoding.upper()} although the file starts with a {encoding.upper()} "
                f"byte-order mark ({exc.reason})",
                path=path,
                line=_line_of(body, exc.start) if encoding == "utf-8" else None,
            ) from exc
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
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    "cannot decode the file: it is neither UTF-8 nor Windows-1252 "
                    f"(byte 0x{body[exc.start]:02x})",
                    path=path,
                    line=_line_of(body, utf8_error.start),
                ) from exc
    text = text.lstrip("\ufeff")
    found = _BAD_CONTROL.search(text)  # a regex: a per-character loop cost ~20 ms per interview
    bad = found.start() if found else None
    if bad is not None:
        raise ImportFileError(
            f"looks like a binary file (control character U+{ord(text[bad]):04X})",
            path=path,
            line=text.count("\n", 0, bad) + 1,
        )
    return normalise_text(text)


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read the file: {exc.strerror}", path=path) from exc
    return decode_bytes(data, path)
