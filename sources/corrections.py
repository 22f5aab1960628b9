"""Analysts' corrections of extracted figures: reviewed data, validated before anything is applied.

A correction is keyed by what survives re-extraction (the report's content hash and the evidence's offsets
or text), never by a sequence number, so a new extractor version keeps it and a changed file orphans it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_serializer, field_validator, model_validator

from sources import catalog
from sources.extract.records import Observation

CHANGEABLE = ("indicator", "value", "denominator", "geo_code", "geo_level", "geo_name", "period", "qualifier")
# what a figure can be without: an empty cell means "unchanged", so emptying a field is said in `clear`
CLEARABLE = ("denominator", "geo_name", "period", "qualifier")
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
    "clear",
    "reason",
    "reviewer",
    "reviewed_at",
)
# written by `dxw review export` (why a row is in the queue, where to see it); accepted on import, never stored
EXPORT_ONLY = ("why", "evidence_page")


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
    clear: tuple[str, ...] = ()  # fields a change empties ("period qualifier")
    reason: str
    reviewer: str
    reviewed_at: dt.date

    @field_validator("clear", mode="before")
    @classmethod
    def _split_clear(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dict.fromkeys(v for v in value.replace(",", " ").replace(";", " ").split() if v))
        return value

    @field_serializer("clear")
    def _join_clear(self, value: tuple[str, ...]) -> str | None:
        return " ".join(value) or None

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
        if self.clear:
            if self.action != "change":
                raise ValueError("only a change can clear a field")
            if bad := [f for f in self.clear if f not in CLEARABLE]:
                raise ValueError(f"clear: {', '.join(bad)} cannot be cleared (clearable: {', '.join(CLEARABLE)})")
            if both := [f for f in self.clear if getattr(self, f) is not None]:
                raise ValueError(f"clear: {', '.join(both)} is both set and cleared")
        if self.action == "change" and not self.clear and all(getattr(self, f) is None for f in CHANGEABLE):
            raise ValueError(f"a change must set at least one of {', '.join(CHANGEABLE)} or clear one")
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


def _undecided(row: dict[str, str]) -> bool:
    """An exported row the analyst left alone: no action, no reason, no reviewer."""
    return not any((row.get(k) or "").strip() for k in ("action", "reason", "reviewer"))


def parse_corrections(text: str, source: str = "corrections", skip_undecided: bool = False) -> list[Correction]:
    """Every row of a correction CSV, or a CorrectionError naming each bad row (file line numbers).

    skip_undecided (imports of an exported queue): rows left without action, reason and reviewer are passed
    over; a row with a reason or a reviewer but no action is still an error.
    """
    return _parse(text, source, skip_undecided)[0]


def _parse(text: str, source: str, skip_undecided: bool) -> tuple[list[Correction], int]:
    reader = csv.DictReader(io.StringIO(text))
    unknown = [c for c in (reader.fieldnames or []) if c not in COLUMNS and c not in EXPORT_ONLY]
    if unknown:
        raise CorrectionError(f"{source}: unknown columns {', '.join(unknown)} (allowed: {', '.join(COLUMNS)})")
    if "action" not in (reader.fieldnames or []):
        raise CorrectionError(f"{source}: no header with an 'action' column")
    rows, errors, skipped = [], [], 0
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"row {line}: more values than columns")
            continue
        if skip_undecided and _undecided(row):
            skipped += 1
            continue
        cleaned = {k: v for k, v in row.items() if v not in (None, "") and k not in EXPORT_ONLY}
        try:
            rows.append(Correction(**cleaned))
        except ValidationError as err:
            errors.append(_row_message(line, err))
    if errors:
        raise CorrectionError(f"{source}: nothing applied, {len(errors)} bad row(s):\n" + "\n".join(errors))
    return rows, skipped


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


def append_corrections(path: Path, new_text: str, source: str) -> tuple[int, int]:
    """Validate an analyst's file, then append its decided rows to the correction file atomically; all or
    nothing. Rows left undecided (no action, reason or reviewer: an exported queue's untouched rows) are
    skipped. Returns the rows added and the rows left alone."""
    existing = read_corrections(path)
    added, skipped = _parse(new_text, source, skip_undecided=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".corrections-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(to_csv_rows(existing + added))
    os.replace(tmp, path)
    return len(added), skipped


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
        for k in c.clear:
            row[k] = None
        if row.get("indicator") in catalog.indicators():  # a changed or added indicator brings its unit
            row["unit"] = catalog.indicators()[row["indicator"]].unit
        if c.evidence:
            row["evidence"] = c.evidence
        if row.get("report_id") is None:
            continue
        out.append(row)
    return out


def indicator_words(text: str) -> list[str]:
    """The words of the indicator catalogue (indicator_cues.yml `keywords`) that occur in a text as words, the
    longest where they overlap ("dịch vụ công trực tuyến", not also "dịch vụ công"): an unmapped number next to
    them may be a figure the extractor missed, and goes to the review queue."""
    low, taken, found = text.lower(), [], []
    for word in _keywords():  # longest first
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", low):
            if not any(a <= m.start() and m.end() <= b for a, b in taken):
                taken.append(m.span())
                if word not in found:
                    found.append(word)
    return found


@functools.cache
def _keywords() -> tuple[str, ...]:
    rules = [r for r in catalog.indicator_cues().values() if isinstance(r, dict)]
    words = {k.lower() for rule in rules for k in rule.get("keywords", [])}
    return tuple(sorted(words, key=lambda k: (-len(k), k)))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"  # 20, 94.9, 1013000000: as a correction is written, not 20.0 or 1.013e+09
    return str(value)


def export_rows(items: list[dict], serving_dir: Path | None = None) -> list[dict[str, str]]:
    """Review-queue items (fct_review_queue's columns under the correction file's names) as rows of a
    correction file to fill in, most urgent first: an unmapped number stays only next to an indicator's words
    (which the `why` column names); `evidence_page` becomes a link to the published page when serving_dir is given.
    """
    out = []
    for item in sorted(
        items, key=lambda i: (i["review_priority"], i["report_id"] or "", i["char_start"] or 0, i["item_kind"])
    ):
        reasons = list(item.get("review_reasons") or [])
        if item["item_kind"] == "unmapped":
            words = indicator_words(item.get("nearby") or "")
            if not words:
                continue
            reasons = [f"{reasons[0]}, next to {', '.join(repr(w) for w in words)}", *reasons[1:]]
        row = {k: _cell(item.get(k)) for k in COLUMNS}
        page = item.get("evidence_page") or ""
        if page and serving_dir is not None:
            name, _, fragment = page.partition("#")
            page = (serving_dir / name).resolve().as_uri() + (f"#{fragment}" if fragment else "")
        out.append(row | {"why": "; ".join(reasons), "evidence_page": page})
    return out
