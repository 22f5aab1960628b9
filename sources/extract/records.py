"""The facts extraction produces, in the shapes of the contracts (spec/observations.md, directives.md).

Each record also carries its provenance: the character offsets of its evidence in the normalised report
text; the report id, file hash and extractor version are added where the record is written out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class Observation:
    report_id: str
    geo_code: str | None  # None: the text never says whose figure it is (geo_level "unknown")
    geo_level: str
    geo_name: str | None
    indicator: str
    value: float
    denominator: float | None
    unit: str
    period: str | None
    qualifier: str | None
    evidence: str
    char_start: int
    char_end: int
    period_explicit: bool = field(default=False, repr=False)

    def contract(self) -> dict:
        d = asdict(self)
        d.pop("period_explicit")
        d["value"] = _plain(self.value)
        d["denominator"] = _plain(self.denominator)
        return {"kind": "observation", **d}


@dataclass(slots=True)
class DocumentRef:
    report_id: str
    doc_type: str
    number: str | None
    issuer: str | None
    issued_on: str | None
    evidence: str
    char_start: int
    char_end: int

    def contract(self) -> dict:
        return {"kind": "document", **asdict(self)}


@dataclass(slots=True)
class Instruction:
    report_id: str
    geo_code: str | None
    issued_by: str | None
    assignees: list[str]
    action: str
    deadline: str | None
    evidence: str
    char_start: int
    char_end: int

    def contract(self) -> dict:
        return {"kind": "instruction", **asdict(self)}


@dataclass(slots=True)
class UnmappedMention:
    """A figure that maps to no indicator: what the catalogue misses, kept for analysts."""

    report_id: str
    value: float
    figure_kind: str
    figure_text: str
    reason: str  # no_indicator | delta | completion | no_place | breakdown | operator
    nearby: str
    evidence: str
    char_start: int
    char_end: int

    def contract(self) -> dict:
        d = asdict(self)
        d["value"] = _plain(self.value)
        return {"kind": "unmapped", **d}


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one report."""

    report_id: str
    title: str | None
    report_date: str | None
    geo_code: str | None
    observations: list[Observation]
    documents: list[DocumentRef]
    instructions: list[Instruction]
    mentions: list[UnmappedMention]
    post_merger: bool = False  # written after 2025-07-01: its provinces are the 34 new units


def _plain(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 6)
