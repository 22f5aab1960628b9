"""One report file → its report text and extracted facts, in the contract shapes with provenance (`dxw extract`).

Not here: the warehouse's rows of a report (sources/rows.py), ingest (sources/file_fate.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sources.extract import EXTRACTOR_VERSION, extract_report
from sources.extract.records import Extraction
from sources.readers import ReadReport, read_file, read_report, sha256


@dataclass(frozen=True, slots=True)
class ExtractedFile:
    report: ReadReport
    file_hash: str
    extraction: Extraction


def extract_text(report: ReadReport) -> Extraction:
    return extract_report(report.text, report.report_id, report.meta)


def extract_path(path: Path) -> ExtractedFile:
    """Read and extract one file; raises sources.readers.RejectedFile when it cannot be read."""
    data = read_file(path)
    report = read_report(path, data)
    return ExtractedFile(report, sha256(data), extract_text(report))


def contract_lines(extraction: Extraction, file_hash: str, unmapped: bool = False) -> Iterator[dict]:
    """The JSON-lines records of `dxw extract`: observations, documents, instructions (and unmapped).

    A figure whose place the text never says (geo_code None, geo_level "unknown") is kept by the warehouse for
    review but is no observation of the contract (its geo_code is a place): it is printed with the unmapped."""
    placed = [o for o in extraction.observations if o.geo_code is not None]
    records = [*placed, *extraction.documents, *extraction.instructions]
    if unmapped:
        records += [o for o in extraction.observations if o.geo_code is None] + extraction.mentions
    for record in records:
        yield {**record.contract(), "file_hash": file_hash, "extractor_version": EXTRACTOR_VERSION}
