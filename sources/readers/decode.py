"""Bytes → text for report files: UTF-8, UTF-16 (with or without BOM), and legacy Windows-1258.

A file that is empty, binary or in no known encoding is rejected with a reason, never half-read: the
ingest step records the reason next to the file so that nothing is lost silently. A UTF-8 text with a few
damaged bytes is read with each replaced by U+FFFD, and the file's record names their byte offsets.

Every rule looks at the whole file, never at a prefix, so a file is decided the same way on every run: a NUL
byte anywhere in a file that is not UTF-16 rejects it, wherever it is.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import ftfy


class RejectedFile(Exception):
    """A landed file that cannot become a report; `reason` says why in words an operator understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


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
# A UTF-8 text is "damaged", not in another encoding, when its valid multi-byte characters outnumber its
# invalid sequences this many times over (Windows-1258 Vietnamese holds next to no valid UTF-8 sequence: a
# letter byte is almost never followed by the punctuation bytes 0x80-0xBF). One damaged byte per KB is
# replaced, up to MAX_REPLACED in a file; more reject the file.
_UTF8_EVIDENCE = 2
MAX_REPLACED = 10


def decode(data: bytes) -> Decoded:
    """Decode a report file's bytes, or raise RejectedFile."""
    if not data.strip():
        raise RejectedFile("empty file")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise RejectedFile(f"binary file ({kind}), not a text report")
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data, 3, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data[2:], "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be", 2, "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _utf16(data, utf16, 0, utf16)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise RejectedFile(f"binary file (NUL byte at byte offset {nul}), not a text report")
    return _utf8(data, 0, "utf-8")


def _utf8(data: bytes, start: int, encoding: str) -> Decoded:
    """UTF-8, possibly with a few damaged bytes; otherwise Windows-1258; otherwise a rejection."""
    try:
        return _checked(data[start:].decode("utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    text = data[start:].decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())  # U+FFFD already in the file is text
    allowed = max(1, min(MAX_REPLACED, len(data) // 1000))  # one damaged byte per KB at most, 10 in all
    bad = _invalid_utf8_offsets(data, start, allowed + 1)
    multibyte = sum(1 for c in text if ord(c) > 0x7F) - text.count("\ufffd")
    first = f"byte 0x{data[bad[0]]:02x} at byte offset {bad[0]}"
    if multibyte >= _UTF8_EVIDENCE * replaced or start:  # UTF-8 (a BOM says so), with damage
        if len(bad) > allowed:
            raise RejectedFile(
                f"undecodable: damaged UTF-8, {replaced} invalid bytes (at most {allowed} are replaced in a file "
                f"of this size), the first {first}"
            )
        offsets = ", ".join(str(o) for o in bad)
        plural = "s" if len(bad) > 1 else ""
        return _checked(
            text,
            encoding,
            (f"{len(bad)} invalid UTF-8 byte{plural} replaced with U+FFFD at byte offset{plural} {offsets}",),
        )
    try:
        legacy = data.decode("cp1258")
    except UnicodeDecodeError as e:
        raise RejectedFile(
            f"undecodable: not UTF-8 (invalid {first}), UTF-16 or Windows-1258 "
            f"(byte 0x{data[e.start]:02x} at byte offset {e.start} is not Windows-1258)"
        ) from None
    if not _VIETNAMESE.search(unicodedata.normalize("NFC", legacy)):
        raise RejectedFile(f"undecodable: not UTF-8 (invalid {first}), and not Vietnamese text in Windows-1258")
    return _checked(legacy, "windows-1258")


def _invalid_utf8_offsets(data: bytes, start: int, limit: int) -> list[int]:
    """The file offsets of the first `limit` invalid UTF-8 sequences (each one that U+FFFD replaces)."""
    bad: list[int] = []
    pos = start
    while len(bad) < limit:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            bad.append(pos + e.start)
            pos += e.end
    return bad


def _utf16(data: bytes, codec: str, offset: int, encoding: str) -> Decoded:
    try:
        return _checked(data.decode(codec), encoding)
    except UnicodeDecodeError as e:
        raise RejectedFile(f"undecodable {encoding.upper()} (byte offset {offset + e.start})") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes read as UTF-16 text without a BOM, else None.

    Text in UTF-16 has a NUL in the high byte of every ASCII character (spaces, digits, punctuation, line
    ends): nearly all NULs sit at odd offsets (little-endian) or even ones (big-endian), and a good share of
    the byte pairs hold one. Binary data has NULs on both sides; UTF-8 text has none.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    for codec, zeros, strays in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= pairs * 0.2 and strays <= zeros * 0.01:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if not any(c.isalpha() for c in text) or "\x00" in text:
                return None
            return codec
    return None


def _checked(text: str, encoding: str, warnings: tuple[str, ...] = ()) -> Decoded:
    # Mojibake: a UTF-8 text once read as Windows-1252 or Latin-1 and saved again ("BÃ¡o cÃ¡o" for "Báo cáo").
    # ftfy undoes exactly that and leaves every corpus text as it is (README, dependency notes).
    fixed = ftfy.fix_encoding(text)
    if fixed != text:
        text, warnings = fixed, (*warnings, "mojibake repaired (UTF-8 once decoded as Windows-1252 or Latin-1)")
    # Windows-1258 writes tone marks as combining characters: NFC composes them into the usual letters.
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        raise RejectedFile(f"binary file (NUL character at character {text.index(chr(0))}), not a text report")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise RejectedFile(f"binary content ({controls} control characters) in {encoding} text")
    if not any(c.isalpha() for c in text):
        raise RejectedFile("no text: the file holds no letters")
    return Decoded(text, encoding, warnings)
