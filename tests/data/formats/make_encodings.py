"""Write the encoding fixtures (enc_*.txt, unicode_spaces.txt) from encoding_source.txt.

Run from anywhere: ``python tests/data/formats/make_encodings.py``. The texts are fictional.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    text = (HERE / "encoding_source.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    (HERE / "enc_utf8_bom.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (HERE / "enc_utf16le_bom.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (HERE / "enc_utf16be_bom.txt").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (HERE / "enc_utf16le_nobom.txt").write_bytes(text.encode("utf-16-le"))
    (HERE / "enc_cp1252.txt").write_bytes(text.encode("cp1252"))
    latin1 = (
        "I: Waar werkt u?\r\n"
        "R: In Enschede, als coördinator van het jongerenwerk. Vroeger in Genève, à la carte.\r\n"
        "Ik ben naïef geweest: ½ van mijn jongeren had schulden (±30 jongens).\r\n"
    )
    (HERE / "enc_latin1.txt").write_bytes(latin1.encode("latin-1"))
    mixed = (
        b"I: Wie heeft dit bestand gemaakt?\n"
        + "R: Een collega. De coördinator heeft het later aangevuld.\n".encode()
        + "Hij schreef: ‘dat is één ritje’ voor €50.\n".encode("cp1252")
    )
    (HERE / "enc_mixed.txt").write_bytes(mixed)
    spaces = (
        "I:\u00a0Hoeveel\u00a0jongeren ziet u per week?\n"
        "R:\tOngeveer\u202ftwintig. Ze zijn zeer be\u00adreid\u00adwillig\u200b als je ze\u200b goed benadert, 24\u2060/\u20607.\n"
        "\u2003Het\ttweede\u00a0deel van de zin.\u2028En een nieuwe regel.\n"
        "I: Dank u.\n"
    )
    (HERE / "unicode_spaces.txt").write_text(spaces, encoding="utf-8")


if __name__ == "__main__":
    main()
