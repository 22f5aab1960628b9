"""Ranking tables pasted into report text: a block of column headings, then one row per place.

    Xếp hạng DTI | Các tỉnh, thành phố | Chỉ số Hạ tầng số | ... | Chuyển đổi số cấp tỉnh (PDTI)
    1 TP. Đà Nẵng 1.0000 0.9000 0.8253 ... 0.8002
    2 TP. Hồ Chí Minh 0.8917 0.9000 0.8258 ... 0.7163

Web pages flatten such tables to one row per line and the headings to a few short lines above them. A row
is a rank, a province and the row's values; the headings say what each column holds (`table_columns` in
`sources/catalog/vocabulary.yml`). Each cell whose column maps to an indicator is one figure.
Prose sentences are read elsewhere (`engine.py`); this module only finds the rows and their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sources import catalog
from sources.extract.numbers import parse_number
from sources.extract.places import ProvinceName
from sources.extract.text import Sentence

_RANK_LEAD = re.compile(r"^[\s|]*(\d{1,3})\s*[.)|]?\s+")
_VALUES = re.compile(r"^[\s:–\-|]*((?:\d+(?:[.,]\d+)?\s*%?[\s|]*)*)$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MIN_ROWS = 3
_HEADING_LINES = 30  # how far above the first row its headings may start
_HEADING_MAX = 120  # a longer line is prose, not a heading


@dataclass(frozen=True, slots=True)
class Cell:
    start: int  # offsets in the row's sentence
    end: int
    value: float
    column: str  # the indicator of its column


@dataclass(frozen=True, slots=True)
class TableRow:
    province: ProvinceName
    cells: tuple[Cell, ...]
    heading: str  # the headings above the block (they often carry the index year)


@cache
def _columns() -> tuple[tuple[re.Pattern[str], str | None], ...]:
    return tuple((re.compile(c["pattern"]), c["column"]) for c in catalog.vocabulary()["table_columns"])


def heading_columns(heading: str) -> list[str | None]:
    """The columns the headings name, left to right (`place` for the column of place names)."""
    low = " ".join(heading.lower().split())
    found: list[tuple[int, int, str | None]] = []
    for pattern, column in _columns():
        found += [(m.start(), m.end(), column) for m in pattern.finditer(low) if m.end() > m.start()]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str | None]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue  # overlapped by an earlier, longer match
        out.append(f)
    return [c for *_, c in out]


def _row(s: Sentence, provinces: list[tuple[int, int, ProvinceName]]) -> tuple[int, ProvinceName, list] | None:
    """(rank match end, province, value matches) when the sentence is a row: rank, province, numbers."""
    lead = _RANK_LEAD.match(s.text)
    if not lead or not provinces or provinces[0][0] > lead.end() + 4:
        return None
    start, end, name = provinces[0]
    if not re.fullmatch(r"[\s|]*(?:(?:TP|Tp|tỉnh|Tỉnh|thành phố|Thành phố)\.?\s*)?", s.text[lead.end() : start]):
        return None
    rest = _VALUES.match(s.text[end:])
    if rest is None:
        return None
    values = [(end + m.start(), end + m.end(), m.group(0)) for m in _NUMBER.finditer(s.text, end)]
    return lead.end(), name, values


def ranking_rows(
    sents: list[Sentence], provinces: list[list[tuple[int, int, ProvinceName]]], default_rank: str | None
) -> dict[int, TableRow]:
    """Sentence index → the table row it is, for every block of at least three rows.

    `default_rank`: the ranking the report is about (its title says DTI), for rows whose headings name no
    rank column."""
    found: dict[int, tuple[int, ProvinceName, list]] = {}
    for i, s in enumerate(sents):
        row = _row(s, provinces[i])
        if row:
            found[i] = row
    out: dict[int, TableRow] = {}
    block: list[int] = []
    for i in sorted(found) + [len(sents) + 1]:
        if block and i == block[-1] + 1:
            block.append(i)
            continue
        if len(block) >= _MIN_ROWS:
            out.update(_read_block(sents, block, found, default_rank, out))
        block = [i]
    return out


def _read_block(
    sents: list[Sentence],
    block: list[int],
    found: dict[int, tuple[int, ProvinceName, list]],
    default_rank: str | None,
    earlier: dict[int, TableRow],
) -> dict[int, TableRow]:
    first = block[0]
    lines: list[str] = []
    for k in range(first - 1, max(-1, first - 1 - _HEADING_LINES), -1):
        if k in earlier or k in found or len(sents[k].text) > _HEADING_MAX:
            break
        lines.insert(0, sents[k].text)
    heading = " ".join(lines)
    columns = heading_columns(heading)
    if "place" in columns:  # the columns left of the places are the leading rank's
        place_at = columns.index("place")
        leading, values = columns[:place_at], [c for c in columns[place_at + 1 :] if c != "place"]
    else:
        leading, values = [], columns
    rank_column = next((c for c in leading if c), default_rank)
    rows: dict[int, TableRow] = {}
    for i in block:
        _, name, cells_raw = found[i]
        s = sents[i]
        lead = _RANK_LEAD.match(s.text)
        cells: list[Cell] = []
        if rank_column and lead:
            cells.append(Cell(lead.start(1), lead.end(1), float(lead.group(1)), rank_column))
        if cells_raw and len(cells_raw) == len(values):
            for (a, b, raw), column in zip(cells_raw, values, strict=True):
                if column and column != "place":
                    cells.append(Cell(a, b, parse_number(raw), column))
        rows[i] = TableRow(name, tuple(cells), heading)
    return rows
