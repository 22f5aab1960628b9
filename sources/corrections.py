"""Analysts' corrections of extracted figures: reviewed data, validated before anything is applied.

A correction is keyed by what survives re-extraction (the report's content hash and the evidence's offsets
or text), never by a sequence number, so a new extractor version keeps it and a changed file orphans it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from sources import catalog
from sources.extract.records import Observation

CHANGEABLE = ("indicator", "value", "denominator", "geo_code", "geo_level", "geo_name", "period", "qualifier")
COLUMNS = (
    "action",
    "file_hash",
    "report_id",
    "char_start",
    "char_end",
    "evidence",
    "was_indicator",
    "was_value",
    *CHANGEABLE,
    "reason",
    "reviewer",
    "reviewed_at",
)


class CorrectionError(ValueError):
    """A correction file or import that cannot be applied; the message names every bad row."""


class Correction(BaseModel):
    """One reviewed decision on one figure: confirm, change, reject, or add one the extractor missed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: Literal["confirm", "change", "reject", "add"]
    file_hash: str
    report_id: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    evidence: str | None = None
    was_indicator: str | None = None  # the figure's extracted indicator and value: a sentence states several
    was_value: float | None = None
    indicator: str | None = None
    value: float | None = None
    denominator: float | None = None
    geo_code: str | None = None
    geo_level: Literal["national", "province", "district", "commune"] | None = None
    geo_name: str | None = None
    period: str | None = None
    qualifier: Literal["approx", "at_least", "at_most", "target"] | None = None
    reason: str
    reviewer: str
    reviewed_at: dt.date

    @model_validator(mode="after")
    def _complete(self) -> Correction:
        has_span = self.char_start is not None and self.char_end is not None
        if not has_span and not self.evidence:
            raise ValueError("needs char_start and char_end, or evidence, to find its figure")
        if has_span and not 0 <= self.char_start < self.char_end:
            raise ValueError("char_start must be >= 0 and below char_end")
        if not self.reason or not self.reviewer:
            raise ValueError("needs a reason and a reviewer")
        if self.indicator is not None and self.indicator not in catalog.indicators():
            raise ValueError(f"indicator {self.indicator!r} is not a code of sources/catalog/indicators.csv")
        if self.action == "change" and all(getattr(self, f) is None for f in CHANGEABLE):
            raise ValueError(f"a change must set at least one of {', '.join(CHANGEABLE)}")
        if self.action == "add":
            missing = [
                f
                for f in ("char_start", "char_end", "evidence", "indicator", "value", "geo_code")
                if getattr(self, f) in (None, "")
            ]
            if missing:
                raise ValueError(f"an added figure needs {', '.join(missing)}")
        return self


def _row_message(line: int, err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "row"
        parts.append(f"{loc}: {e['msg']}")
    return f"row {line}: " + "; ".join(parts)


def parse_corrections(text: str, source: str = "corrections") -> list[Correction]:
    """Every row of a correction CSV, or a CorrectionError naming each bad row (file line numbers)."""
    reader = csv.DictReader(io.StringIO(text))
    unknown = [c for c in (reader.fieldnames or []) if c not in COLUMNS]
    if unknown:
        raise CorrectionError(f"{source}: unknown columns {', '.join(unknown)} (allowed: {', '.join(COLUMNS)})")
    if "action" not in (reader.fieldnames or []):
        raise CorrectionError(f"{source}: no header with an 'action' column")
    rows, errors = [], []
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"row {line}: more values than columns")
            continue
        cleaned = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            rows.append(Correction(**cleaned))
        except ValidationError as err:
            errors.append(_row_message(line, err))
    if errors:
        raise CorrectionError(f"{source}: nothing applied, {len(errors)} bad row(s):\n" + "\n".join(errors))
    return rows


def read_corrections(path: Path) -> list[Correction]:
    """The corrections of a file; an absent file holds none."""
    if not path.exists():
        return []
    return parse_corrections(path.read_text(encoding="utf-8"), str(path))


def to_csv_rows(corrections: list[Correction]) -> list[dict[str, str]]:
    out = []
    for c in corrections:
        d = c.model_dump()
        out.append({k: "" if d[k] is None else str(d[k]) for k in COLUMNS})
    return out


def append_corrections(path: Path, new_text: str, source: str) -> int:
    """Validate an analyst's file, then append its rows to the correction file atomically; all or nothing."""
    existing = read_corrections(path)
    added = parse_corrections(new_text, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".corrections-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(to_csv_rows(existing + added))
    os.replace(tmp, path)
    return len(added)


# The gold shape is the observation contract without its provenance (offsets) and internal flags
GOLD_FIELDS = tuple(
    f for f in Observation.__dataclass_fields__ if f not in {"char_start", "char_end", "period_explicit"}
)


def target_key(c: Correction, figure: dict) -> bool:
    """Whether a correction targets an extracted figure: same file content, same sentence span (or evidence),
    and, when given, the same extracted indicator and value (a sentence often states several figures)."""
    if c.file_hash != figure.get("file_hash"):
        return False
    if c.was_indicator is not None and c.was_indicator != figure.get("indicator"):
        return False
    if c.was_value is not None and c.was_value != figure.get("value"):
        return False
    if c.char_start is not None and c.char_end is not None:
        return (c.char_start, c.char_end) == (figure.get("char_start"), figure.get("char_end"))
    return c.evidence == figure.get("evidence")


def gold_rows(corrections: list[Correction], figures: list[dict]) -> list[dict]:
    """Confirmed, changed and added figures in the gold shape of the extraction contract (observations.md).

    figures are the extracted observations (report_id, file_hash, char_start, char_end and the contract's
    fields); a correction whose figure is gone gives no gold row (it is orphaned, reported elsewhere).
    """
    out = []
    for c in corrections:
        if c.action == "reject":
            continue
        if c.action == "add":
            base: dict = {"report_id": c.report_id, "unit": None}
        else:
            base = next((f for f in figures if target_key(c, f)), None)
            if base is None:
                continue
        row = {k: base.get(k) for k in GOLD_FIELDS}
        for k in CHANGEABLE:
            if getattr(c, k) is not None:
                row[k] = getattr(c, k)
        if c.evidence:
            row["evidence"] = c.evidence
        if row.get("report_id") is None:
            continue
        out.append(row)
    return out
