"""Bytes → text for report files: UTF-8, UTF-16 with BOM, and legacy Windows-1258.

A file that is empty, binary or in no known encoding is rejected with a reason, never half-read: the
ingest step records the reason next to the file so that nothing is lost silently.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass


class RejectedFile(Exception):
    """A landed file that cannot become a report; `reason` says why in words an operator understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


_MAGIC = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "legacy Office document",
    b"\x1f\x8b": "gzip archive",
}
# Letters that only Vietnamese text has; a decoded text with none of them is not a Vietnamese report.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def decode(data: bytes) -> Decoded:
    """Decode a report file's bytes, or raise RejectedFile."""
    if not data.strip():
        raise RejectedFile("empty file")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise RejectedFile(f"binary file ({kind}), not a text report")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise RejectedFile(f"undecodable UTF-16 (byte {e.start})") from None
    if b"\x00" in data[:4096]:
        raise RejectedFile("binary file (NUL bytes), not a text report")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as e:
        raise RejectedFile(f"undecodable: not UTF-8, UTF-16 or Windows-1258 (byte {e.start})") from None
    if not _VIETNAMESE.search(unicodedata.normalize("NFC", text)):
        raise RejectedFile("undecodable: not UTF-8, and not Vietnamese text in Windows-1258")
    return _checked(text, "windows-1258")


def _checked(text: str, encoding: str) -> Decoded:
    # Windows-1258 writes tone marks as combining characters: NFC composes them into the usual letters.
    text = unicodedata.normalize("NFC", text)
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise RejectedFile(f"binary content ({controls} control characters) in {encoding} text")
    if not any(c.isalpha() for c in text):
        raise RejectedFile("no text: the file holds no letters")
    return Decoded(text, encoding)
