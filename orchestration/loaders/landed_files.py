"""Ingest: every entry of the landing folder recorded in raw.files, every new report version in raw.reports.

What becomes of each file is decided in sources/file_fate.py; this module reads what raw.files recorded, hands
it over, and writes the fates: a file's row and its report row in one transaction per batch, so a run killed at
any point leaves either both or neither. Not here: any decision about a file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.writes import insert, transaction, utc_now
from sources import file_fate, landing
from sources.file_fate import Fate, Recorded
from sources.landing import LandedFile

log = logging.getLogger("dxw.ingest")


@dataclass
class IngestSummary:
    found: int = 0
    loaded: int = 0  # new report versions
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) newly rejected
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats) newly found
    warned: list[tuple[str, str]] = field(default_factory=list)  # (file, warnings) read with a warning
    repaired: int = 0  # files recorded as loaded without their report row (a crash), read again
    sidecars: int = 0
    withdrawn: int = 0

    def count(self, f: LandedFile, fate: Fate) -> None:
        if fate.status == "duplicate":
            self.duplicates.append((f.rel_path, fate.duplicate_of))
        elif fate.status == "rejected":
            self.rejected.append((f.rel_path, fate.reason))
        elif fate.unchanged:
            self.unchanged += 1
        elif fate.report is not None:
            self.loaded += 1
            if fate.warnings:
                self.warned.append((f.rel_path, fate.warnings))


def ingest(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    run_id: str,
    batch_size: int = 200,
    progress: Callable[[str], None] = log.info,
) -> IngestSummary:
    """Account for every file of the landing folder; read only what is new or changed."""
    ensure_schema(con)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist")
    recorded = _recorded(con)
    plan = file_fate.plan(landing.scan(landing_dir), recorded)
    summary = IngestSummary(
        found=len(plan.to_read) + len(plan.unchanged),
        unchanged=len(plan.unchanged),
        sidecars=len(plan.sidecars),
        repaired=plan.repaired,
    )
    if summary.repaired:
        progress(f"ingest: {summary.repaired} files recorded as loaded without their report are read again")
    now = utc_now()
    for start in range(0, len(plan.to_read), batch_size):
        batch = plan.to_read[start : start + batch_size]
        fates = [(f, file_fate.settle(f, landing_dir, recorded.get(f.rel_path), plan.ledger)) for f in batch]
        for f, fate in fates:
            summary.count(f, fate)
        with transaction(con):  # a file and its report row: both or neither
            _upsert_files(con, [_file_row(f, fate, now, run_id) for f, fate in fates])
            reports = [_report_row(f, fate, now, run_id) for f, fate in fates if fate.report is not None]
            insert(con, "raw.reports", _not_present(con, reports))
        progress(f"ingest: read {min(start + batch_size, len(plan.to_read))}/{len(plan.to_read)} new or changed files")
    with transaction(con):
        sidecars = [_file_row(f, fate, now, run_id) | {"report_id": None} for f, fate in plan.sidecars]
        _upsert_files(con, _changed_rows(con, sidecars))
        for r, fate in plan.gone:
            con.execute(
                "update raw.files set status = ?, reason = ?, updated_at = ?, run_id = ? where file_path = ?",
                [fate.status, fate.reason, now, run_id, r.rel_path],
            )
            summary.withdrawn += fate.status == "withdrawn"
    return summary


def _recorded(con: duckdb.DuckDBPyConnection) -> dict[str, Recorded]:
    rows = con.execute(
        """select f.file_path, f.fingerprint, f.status, f.file_hash, f.content_hash, f.report_version_id,
                  f.warnings, r.report_version_id is not null
           from raw.files f left join raw.reports r using (report_version_id)"""
    ).fetchall()
    return {r[0]: Recorded(*r) for r in rows}


def _file_row(f: LandedFile, fate: Fate, now: datetime, run_id: str) -> dict:
    return fate.columns() | {
        "file_path": f.rel_path,
        "report_id": f.report_id,
        "fingerprint": f.fingerprint,
        "size_bytes": f.size,
        "first_seen_at": now,
        "updated_at": now,
        "run_id": run_id,
    }


def _report_row(f: LandedFile, fate: Fate, now: datetime, run_id: str) -> dict:
    report = fate.report
    return {
        "report_version_id": fate.report_version_id,
        "report_id": report.report_id,
        "file_path": f.rel_path,
        "file_hash": fate.file_hash,
        "content_hash": fate.content_hash,
        "size_bytes": f.size,
        "file_format": report.file_format,
        "encoding": report.encoding,
        "title": report.title,
        "sidecar_province": report.province,
        "sidecar_published_date": report.published_date,
        "source_url": report.source_url,
        "text": report.text,
        "char_count": len(report.text),
        "ingested_at": now,
        "run_id": run_id,
    }


def _not_present(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """A file that goes back to an earlier content gets its earlier version back, not a duplicate."""
    if not rows:
        return rows
    ids = [r["report_version_id"] for r in rows]
    present = {
        r[0]
        for r in con.execute(
            "select report_version_id from raw.reports where report_version_id in (select unnest(?))", [ids]
        ).fetchall()
    }
    return [r for r in rows if r["report_version_id"] not in present]


BOOKKEEPING = ("first_seen_at", "updated_at", "run_id")  # when and by which run a row was written, not what it says


def _changed_rows(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """The rows whose file is new or says something else than its recorded row: a sidecar is settled on every run,
    and writing an unchanged one again would make raw.files differ on every run, so that the tables read from it
    would never be current (orchestration/dbt_state.py)."""
    if not rows:
        return []
    paths = [r["file_path"] for r in rows]
    cursor = con.execute("select * from raw.files where file_path in (select unnest(?))", [paths])
    names = [d[0] for d in cursor.description]
    recorded = {row[names.index("file_path")]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}

    def said(row: dict) -> dict:
        return {k: row.get(k) for k in names if k not in BOOKKEEPING}

    return [r for r in rows if r["file_path"] not in recorded or said(r) != said(recorded[r["file_path"]])]


def _upsert_files(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Replace the files' rows, keeping when each was first seen."""
    if not rows:
        return
    first_seen = dict(
        con.execute(
            "select file_path, first_seen_at from raw.files where file_path in (select unnest(?))",
            [[r["file_path"] for r in rows]],
        ).fetchall()
    )
    for r in rows:
        r["first_seen_at"] = first_seen.get(r["file_path"], r["first_seen_at"])
    con.execute("delete from raw.files where file_path in (select unnest(?))", [[r["file_path"] for r in rows]])
    insert(con, "raw.files", rows)
