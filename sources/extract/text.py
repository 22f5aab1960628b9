"""Normalised report text and its segmentation into paragraphs and sentences.

Offsets everywhere in the extractor are offsets into the normalised text (NFC, `\\n` line ends, no
non-breaking spaces): that text is what the warehouse stores, so evidence offsets point into it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sources.extract import fold

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u200b\ufeff]")
_PICTURE = re.compile(r"\S*\.(?:jpe?g|png|gif|webp|bmp|tiff?)\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """NFC, unified line ends and spaces; keeps every visible character so evidence stays verbatim."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPACES.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # offset of the first character in the report text
    end: int
    text: str
    paragraph: int  # index of the paragraph (line block) it belongs to
    index: int  # running sentence number in the report
    columns: tuple[str, ...] = ()  # for a table row: what each value cell is ("target", "result")


# A sentence ends at . ! ? … (or runs of them) followed by a space and a capital letter, digit or quote,
# or at the end of a line. Abbreviations such as "TP. Hà Nội" do not end a sentence.
_END = fold.compile_quick(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZĐÀ-Ỹ0-9])")
_ABBREV = fold.compile_quick(r"(?:\b(?:TP|Tp|tp|TS|ThS|PGS|GS|BS|KS|St|Mr|Ms|Th|ông|bà|Q|P|TT)\.|\b[A-ZĐ]\.)$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph. Reports put one paragraph per line, but text copied from a PDF is
    hard-wrapped: a long line that does not end a sentence, followed at once by a line that starts in lower
    case or with a bracket, goes on with the same paragraph."""
    out: list[tuple[int, int]] = []
    pos = 0
    previous_line = -2
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            start, end = pos + lead, pos + lead + len(stripped)
            wrapped = out and previous_line == number - 1 and _wrapped(text, *out[-1])
            goes_on = wrapped and (
                stripped[0].islower()
                or stripped[0] == "("
                or (text[out[-1][1] - 1].islower() and _NUMBER_GOES_ON.match(stripped))  # "năm\n2024 chỉ đạt"
            )
            if goes_on:
                out[-1] = (out[-1][0], end)
                previous_line = number
                pos += len(line) + 1
                continue
            out.append((start, end))
            previous_line = number
        pos += len(line) + 1
    return out


_NUMBER_GOES_ON = re.compile(r"\d[\d.,]*(?![.)]\s)(?:\s+[a-zà-ỹđ%]|[%,])")


def _wrapped(text: str, start: int, end: int) -> bool:
    """Does the paragraph end in a long line that stops mid-sentence?"""
    line_start = max(start, text.rfind("\n", start, end) + 1)
    return end - line_start >= 41 and text[end - 1] not in _SENTENCE_END


_SENTENCE_END = frozenset('.!?:;…"”’)]')


def is_picture_name(line: str) -> bool:
    """A line that is only an image file name ("IMG_0338[1].JPG", "6.2.Phien hop.jpg")."""
    # the length and the end first: most paragraphs are long or end a sentence, and then need no scan
    return len(line) < 120 and not line.rstrip().endswith((".", ":")) and bool(_PICTURE.search(line))


# Tables pasted from official documents arrive one cell per line: a row label, then its value cells.
_VALUE_CELL = re.compile(r"^[<>≥≤~]?\s*(?:\d{1,3}(?:\.\d{3})+|\d+)(?:[.,]\d+)?\s*%?$")
_VERDICT_CELL = re.compile(r"^(?:đạt|vượt|không đạt|chưa đạt|hoàn thành|chưa hoàn thành|x)$", re.I)
_TARGET_HEADER = re.compile(r"^(?:đề ra|kế hoạch|chỉ tiêu|mục tiêu)(?:\s+(?:năm|giao|đề ra)|\s*$)", re.I)
_RESULT_HEADER = re.compile(r"^(?:kết quả|thực hiện|ước thực hiện|ước đạt|ước|thực tế)", re.I)


def _table_rows(text: str, paras: list[tuple[int, int]]) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Row label paragraph → (index of its last value cell, the value columns), for tables one cell per line."""
    rows: dict[int, tuple[int, tuple[str, ...]]] = {}
    columns: tuple[str, ...] = ()
    cells = [text[a:b].strip() for a, b in paras]
    for i, cell in enumerate(cells):
        if len(cell) < 40 and not _VALUE_CELL.match(cell):
            head = [c for c in cells[i : i + 5] if len(c) < 40]
            kinds = tuple(
                "target" if _TARGET_HEADER.match(c) else "result" if _RESULT_HEADER.match(c) else "" for c in head[1:]
            )
            if "target" in kinds and "result" in kinds:
                columns = tuple(k for k in kinds if k)
        if not columns or _VALUE_CELL.match(cell) or _VERDICT_CELL.match(cell):
            continue
        j = i + 1
        while j < len(cells) and _VALUE_CELL.match(cells[j]):
            j += 1
        if j > i + 1:
            rows[i] = (j - 1, columns)
    return rows


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    paras = paragraphs(text)
    rows = _table_rows(text, paras)
    skip_to = -1
    for p_index, (p_start, p_end) in enumerate(paras):
        if p_index <= skip_to:
            continue
        para = text[p_start:p_end]
        if is_picture_name(para):
            continue
        if p_index in rows:
            last, columns = rows[p_index]
            end = paras[last][1]
            out.append(Sentence(p_start, end, text[p_start:end], p_index, len(out), columns))
            skip_to = last
            continue
        cut = 0
        for m in _END.finditer(para):
            head = para[cut : m.start()]
            if _ABBREV.search(head, max(0, len(head) - 8)):  # an abbreviation ends the head: its last 8 chars
                continue
            _add(out, text, p_start + cut, p_start + m.start(), p_index)
            cut = m.end()
        _add(out, text, p_start + cut, p_end, p_index)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph, len(out)))


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` begins: reports separate the clauses of a list with semicolons."""
    return text.rfind(";", 0, pos) + 1
