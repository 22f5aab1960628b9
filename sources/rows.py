"""Report versions → their rows of the raw tables, as Arrow: the unit of work an extraction worker runs.

Pure (no DuckDB, no Dagster), so that it runs the same in the writer's process or on any worker of a cluster,
which returns the tables to the single writer. The writer passes the raw tables' Arrow schemas (read from its
DuckDB DDL), so that a value the table cannot hold fails here, for its own report, not at insert for a batch.

Not here: the writes (orchestration/loaders/extracted_facts.py), where tasks run (orchestration/cluster.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from sources.extract import EXTRACTOR_VERSION, ReportMeta, extract_report

FACT_TABLES = ("observations", "directive_documents", "instructions", "unmapped_mentions")
EXTRACTIONS = "extractions"


@dataclass(frozen=True, slots=True)
class ReportText:
    """A report version as the raw layer holds it: what extraction needs, nothing else."""

    version_id: str
    report_id: str
    file_hash: str
    text: str
    title: str | None = None
    province: str | None = None
    published_date: str | None = None
    source_url: str | None = None

    @property
    def meta(self) -> ReportMeta:
        return ReportMeta(self.province, self.published_date, self.source_url)


@dataclass
class ExtractedBatch:
    """The rows of some report versions, table by table; a report that failed has an `extractions` row with its
    error and no fact rows."""

    versions: list[str]
    tables: dict[str, pa.Table]
    errors: dict[str, str] = field(default_factory=dict)  # version → why it failed
    extractor_version: str = EXTRACTOR_VERSION


def extract_batch(reports: Iterable[ReportText], schemas: Mapping[str, pa.Schema]) -> ExtractedBatch:
    """Extract each report; one that raises, or yields a value its table cannot hold, fails alone."""
    versions: list[str] = []
    parts: dict[str, list[pa.Table]] = {t: [] for t in (*FACT_TABLES, EXTRACTIONS)}
    errors: dict[str, str] = {}
    for report in reports:
        versions.append(report.version_id)
        try:
            tables = report_tables(report, schemas)
        except Exception as e:  # recorded on the report's extraction row; the others go on
            errors[report.version_id] = f"{type(e).__name__}: {e}"
            tables = failed(report, schemas, errors[report.version_id]).tables
        for name, table in tables.items():
            parts[name].append(table)
    return ExtractedBatch(
        versions=versions,
        tables={name: pa.concat_tables(ts) if ts else schemas[name].empty_table() for name, ts in parts.items()},
        errors=errors,
    )


def failed(report: ReportText, schemas: Mapping[str, pa.Schema], error: str) -> ExtractedBatch:
    """A report whose extraction failed: its extraction row says why; it has no fact rows."""
    tables = {name: schemas[name].empty_table() for name in FACT_TABLES}
    tables[EXTRACTIONS] = _table([_extraction_row(report, error=error)], schemas)
    return ExtractedBatch([report.version_id], tables, {report.version_id: error})


def report_tables(report: ReportText, schemas: Mapping[str, pa.Schema]) -> dict[str, pa.Table]:
    """One report's rows of every raw table (raises when extraction fails or a value does not fit)."""
    ex = extract_report(report.text, report.report_id, report.meta)
    base = {
        "report_version_id": report.version_id,
        "report_id": report.report_id,
        "file_hash": report.file_hash,
        "extractor_version": EXTRACTOR_VERSION,
    }
    out = {}
    for name, records in zip(FACT_TABLES, (ex.observations, ex.documents, ex.instructions, ex.mentions), strict=True):
        rows = []
        for seq, record in enumerate(records):
            d = record.contract()
            d.pop("kind")
            d.pop("report_id")
            rows.append(base | d | {"seq": seq})
        out[name] = _table(rows, schemas, name)
    counts = {
        "report_date": ex.report_date,
        "report_geo_code": ex.geo_code,
        "post_merger": ex.post_merger,
        "title": ex.title,
        "observation_count": len(ex.observations),
        "document_count": len(ex.documents),
        "instruction_count": len(ex.instructions),
        "unmapped_count": len(ex.mentions),
    }
    out[EXTRACTIONS] = _table([_extraction_row(report, **counts)], schemas)
    return out


def _extraction_row(report: ReportText, **values) -> dict:
    return {"report_version_id": report.version_id, "extractor_version": EXTRACTOR_VERSION, **values}


def _table(rows: list[dict], schemas: Mapping[str, pa.Schema], name: str = EXTRACTIONS) -> pa.Table:
    return to_arrow(rows, schemas[name], name)


def to_arrow(rows: list[dict], schema: pa.Schema, name: str) -> pa.Table:
    """Rows in the table's own types (keys it does not have are left out, columns missing are null). A figure
    is a double: Python's int for 27 triệu tỷ (2.7e16) is beyond the integers Arrow converts to a double
    exactly, so it is converted here; one beyond a double's range (about 1.8e308) raises, naming the column."""
    floats = [f.name for f in schema if pa.types.is_floating(f.type)]
    for row in rows:
        for column in floats:
            value = row.get(column)
            if isinstance(value, int) and not isinstance(value, bool):
                try:
                    row[column] = float(value)
                except OverflowError:
                    raise ValueError(f"{name}.{column}: {value} is beyond the range of a double") from None
            elif isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{name}.{column}: {value} is not a finite number")
    return pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)
