"""Extraction: the report versions this extractor version has not read, extracted a batch at a time and written
to raw.extractions, the fact tables and raw.observations_previous.

The extraction itself runs where the engine says (orchestration/cluster.py: in process, or on Dask workers that
return Arrow tables, sources/rows.py); only this process writes, one batch in one transaction, each version's
earlier rows out and its new ones in. Not here: how a report is read into rows (sources/), the raw DDL (schema.py).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from orchestration.cluster import EngineConfig, extractor
from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.writes import transaction, utc_now
from sources.extract import EXTRACTOR_VERSION
from sources.rows import FACT_TABLES, ExtractedBatch, ReportText

log = logging.getLogger("dxw.extract")


@dataclass
class ExtractSummary:
    reports: int = 0
    observations: int = 0
    documents: int = 0
    instructions: int = 0
    unmapped: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (report version, why its extraction failed)
    where: str = ""  # in process, or the Dask cluster


def pending_versions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Current report versions not yet extracted by this extractor version, and those whose extraction failed
    (tried again on every run that extracts: a worker that ran out of memory may not the next time)."""
    ensure_schema(con)
    return [
        r[0]
        for r in con.execute(
            """select f.report_version_id from raw.files f
           left join raw.extractions e on e.report_version_id = f.report_version_id and e.extractor_version = ?
           where f.status = 'loaded' and f.report_version_id is not null
                 and (e.report_version_id is null or e.error is not null)
           order by f.report_version_id""",
            [EXTRACTOR_VERSION],
        ).fetchall()
    ]


def raw_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Schema]:
    """The Arrow schemas of the tables extraction fills, read from their DDL: what workers build rows in."""
    return {t: con.execute(f"select * from raw.{t} limit 0").arrow().schema for t in (*FACT_TABLES, "extractions")}


def _read_reports(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[ReportText]:
    rows = con.execute(
        """select report_version_id, report_id, file_hash, text, title, sidecar_province,
                  sidecar_published_date, source_url
           from raw.reports where report_version_id in (select unnest(?)) order by report_version_id""",
        [ids],
    ).fetchall()
    return [ReportText(*r) for r in rows]


def extract_pending(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    batch_size: int = 200,
    engine: EngineConfig = EngineConfig(),  # noqa: B008 (frozen)
    progress: Callable[[str], None] = log.info,
) -> ExtractSummary:
    """Extract every pending report version, a batch at a time: memory stays bounded by the batches in flight.

    The extraction itself runs where `engine` says (orchestration/cluster.py); only this process writes."""
    pending = pending_versions(con)
    summary = ExtractSummary()
    if not pending:
        return summary
    schemas = raw_schemas(con)
    with extractor(engine, len(pending), say=progress) as ex:
        summary.where = ex.where
        in_flight: deque[tuple[list[str], object]] = deque()
        done = 0
        for start in range(0, len(pending), batch_size):
            ids = pending[start : start + batch_size]
            in_flight.append((ids, ex.submit(_read_reports(con, ids), schemas)))
            while len(in_flight) > ex.depth:
                done += _write_next(con, ex, in_flight, run_id, summary, len(pending), done, progress)
        while in_flight:
            done += _write_next(con, ex, in_flight, run_id, summary, len(pending), done, progress)
    return summary


def _write_next(con, ex, in_flight: deque, run_id: str, summary: ExtractSummary, total: int, done: int, progress):
    ids, handle = in_flight.popleft()
    _write_batch(con, ids, ex.result(handle), run_id, summary)
    progress(f"extract: {done + len(ids)}/{total} reports, {summary.observations} observations so far")
    return len(ids)


def _write_batch(
    con: duckdb.DuckDBPyConnection, ids: list[str], results: list[ExtractedBatch], run_id: str, summary: ExtractSummary
) -> None:
    """One batch in one transaction: its versions' earlier rows out, the new ones in, each version exactly once."""
    got = [v for r in results for v in r.versions]
    if sorted(got) != sorted(ids):
        raise RuntimeError(f"extraction returned {len(got)} report versions for a batch of {len(ids)}")
    stale = {r.extractor_version for r in results} - {EXTRACTOR_VERSION}
    if stale:
        raise RuntimeError(
            f"the extraction workers run extractor version {', '.join(sorted(stale))}, this process "
            f"{EXTRACTOR_VERSION}: they were sent other code"
        )
    tables = {t: pa.concat_tables([r.tables[t] for r in results]) for t in (*FACT_TABLES, "extractions")}
    now = utc_now()
    with transaction(con):
        keep_previous_observations(con, ids, now)
        for table in (*FACT_TABLES, "extractions"):
            con.execute(f"delete from raw.{table} where report_version_id in (select unnest(?))", [ids])
        for table in FACT_TABLES:
            arrow = tables[table]  # noqa: F841 (read by DuckDB)
            con.execute(f"insert into raw.{table} by name select * from arrow")
        arrow = tables["extractions"]  # noqa: F841 (read by DuckDB)
        con.execute(
            "insert into raw.extractions by name select * replace (?::timestamp as extracted_at, ? as run_id) "
            "from arrow",
            [now, run_id],
        )
    for r in results:
        summary.errors.extend(r.errors.items())
    summary.reports += len(ids) - sum(len(r.errors) for r in results)
    summary.observations += tables["observations"].num_rows
    summary.documents += tables["directive_documents"].num_rows
    summary.instructions += tables["instructions"].num_rows
    summary.unmapped += tables["unmapped_mentions"].num_rows


def failed_extractions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Current report versions whose extraction failed: (file, report version, error)."""
    return con.execute(
        """select f.file_path, e.report_version_id, e.error from raw.extractions e
           join raw.files f on f.report_version_id = e.report_version_id and f.status = 'loaded'
           where e.error is not null order by f.file_path"""
    ).fetchall()


def keep_previous_observations(con: duckdb.DuckDBPyConnection, ids: list[str], now: datetime) -> None:
    """Versions read again by a new extractor version: the figures the older one read move to
    raw.observations_previous (one extraction kept per version, the last replaced), so the review queue can
    list what the new version reads differently."""
    con.execute(
        """delete from raw.observations_previous where report_version_id in (
               select report_version_id from raw.extractions
               where report_version_id in (select unnest(?)) and extractor_version is distinct from ?)""",
        [ids, EXTRACTOR_VERSION],
    )
    con.execute(
        """insert into raw.observations_previous by name
           select report_version_id, report_id, file_hash, extractor_version, seq, geo_code, geo_level, geo_name,
                  indicator, value, denominator, unit, period, qualifier, evidence, char_start, char_end,
                  ? as replaced_at, ? as replaced_by
           from raw.observations
           where report_version_id in (select unnest(?)) and extractor_version is distinct from ?""",
        [now, EXTRACTOR_VERSION, ids, EXTRACTOR_VERSION],
    )
