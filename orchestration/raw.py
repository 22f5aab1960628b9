"""The raw schema: what ingest and extraction write, and the only SQL that lives outside dbt.

raw.files             every landed file, once: loaded (with any warning), rejected (with the reason), duplicate
                      (of which file), sidecar, withdrawn, removed
raw.reports           one row per report version (a file's content at one hash), with its text
raw.extractions       one row per report version extracted, with the extractor version
raw.observations      figures → indicator observations (contract shape + provenance)
raw.document_refs     legal documents cited
raw.instructions      instructions to agencies, with deadlines
raw.unmapped_mentions figures that map to no indicator, for analysts
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.cluster import EngineConfig, extractor
from sources import landing
from sources.extract import EXTRACTOR_VERSION
from sources.readers import ReadReport, RejectedFile, check_name, read_report, report_id_of, sha256
from sources.rows import FACT_TABLES, ExtractedBatch, ReportText, to_arrow

log = logging.getLogger("dxw.raw")

DDL = """
create schema if not exists raw;
create table if not exists raw.files (
    file_path varchar primary key, report_id varchar, file_hash varchar, content_hash varchar,
    fingerprint varchar, size_bytes bigint, status varchar, reason varchar, report_version_id varchar,
    first_seen_at timestamp, updated_at timestamp, run_id varchar);
alter table raw.files add column if not exists duplicate_of varchar;
alter table raw.files add column if not exists warnings varchar;
create table if not exists raw.reports (
    report_version_id varchar primary key, report_id varchar, file_path varchar, file_hash varchar,
    content_hash varchar, size_bytes bigint, file_format varchar, encoding varchar, title varchar,
    sidecar_province varchar, sidecar_published_date varchar, source_url varchar, text varchar,
    char_count integer, ingested_at timestamp, run_id varchar);
create table if not exists raw.extractions (
    report_version_id varchar primary key, extractor_version varchar, extracted_at timestamp, run_id varchar,
    report_date varchar, report_geo_code varchar, title varchar, observation_count integer,
    document_count integer, instruction_count integer, unmapped_count integer, error varchar,
    post_merger boolean);
alter table raw.extractions add column if not exists post_merger boolean;
create table if not exists raw.observations (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, geo_level varchar, geo_name varchar, indicator varchar, value double,
    denominator double, unit varchar, period varchar, qualifier varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.document_refs (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    doc_type varchar, number varchar, issuer varchar, issued_on varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.instructions (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, issued_by varchar, assignees varchar[], action varchar, deadline varchar,
    evidence varchar, char_start integer, char_end integer);
create table if not exists raw.unmapped_mentions (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    value double, figure_kind varchar, figure_text varchar, reason varchar, nearby varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.observations_previous (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, geo_level varchar, geo_name varchar, indicator varchar, value double,
    denominator double, unit varchar, period varchar, qualifier varchar, evidence varchar,
    char_start integer, char_end integer, replaced_at timestamp, replaced_by varchar);
"""


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    schema = con.execute(f"select * from {table} limit 0").arrow().schema
    arrow = to_arrow(rows, schema, table)  # noqa: F841 (read by DuckDB)
    con.execute(f"insert into {table} by name select * from arrow")


# --- ingest ---------------------------------------------------------------------------------------------


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

    @property
    def new_versions(self) -> int:
        return self.loaded


@dataclass(frozen=True, slots=True)
class _Known:
    """What raw.files holds of a file, beyond what the landing plan compares."""

    status: str
    file_hash: str | None
    content_hash: str | None
    report_version_id: str | None
    duplicate_of: str | None
    warnings: str | None
    has_report: bool


def ingest(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    run_id: str,
    batch_size: int = 200,
    progress: Callable[[str], None] = log.info,
) -> IngestSummary:
    """Account for every file of the landing folder; read only what is new or changed.

    A file's row and its report row are written in one transaction per batch, so a run killed at any point
    leaves either both or neither; a file recorded as loaded without its report row (left by a crash before
    this rule) is read again. A file whose bytes are those of a loaded file is recorded as its duplicate.
    """
    ensure_raw_schema(con)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist")
    rows = con.execute(
        """select f.file_path, f.fingerprint, f.content_hash, f.status, f.file_hash, f.report_version_id,
                  f.duplicate_of, f.warnings, r.report_version_id is not null
           from raw.files f left join raw.reports r using (report_version_id)"""
    ).fetchall()
    held = {r[0]: _Known(r[3], r[4], r[2], r[5], r[6], r[7], r[8]) for r in rows}
    broken = {p for p, k in held.items() if k.status == "loaded" and not k.has_report}
    known = {
        r[0]: landing.KnownFile(r[0], None if r[0] in broken else r[1], None if r[0] in broken else r[2], r[3])
        for r in rows
    }
    plan = landing.plan(landing.scan(landing_dir), known)
    # a loaded file's bytes, for the files that stay as they are; the files read below join as they load
    holders = {held[f.rel_path].file_hash: f.rel_path for f in plan.unchanged if held[f.rel_path].status == "loaded"}
    # a duplicate whose original left, changed or was rejected is read again (it may be the report now)
    recheck = [
        f
        for f in plan.unchanged
        if held[f.rel_path].status == "duplicate" and holders.get(held[f.rel_path].file_hash) is None
    ]
    plan.unchanged = [f for f in plan.unchanged if f not in recheck]
    # files loaded before go first: touching an original must not hand its place to its duplicate
    plan.to_read = sorted(
        [*plan.to_read, *recheck], key=lambda f: (getattr(held.get(f.rel_path), "status", "") != "loaded", f.rel_path)
    )
    summary = IngestSummary(
        found=len(plan.to_read) + len(plan.unchanged),
        unchanged=len(plan.unchanged),
        sidecars=len(plan.sidecars),
        repaired=len(broken & {f.rel_path for f in plan.to_read}),
    )
    if summary.repaired:
        progress(f"ingest: {summary.repaired} files recorded as loaded without their report are read again")
    now = _now()
    taken_ids = dict(con.execute("select report_id, file_path from raw.files where status = 'loaded'").fetchall())
    for start in range(0, len(plan.to_read), batch_size):
        batch = plan.to_read[start : start + batch_size]
        file_rows, report_rows = [], []
        for f in batch:
            row, report = _read_one(f, landing_dir, held.get(f.rel_path), holders, taken_ids, summary)
            row |= {
                "file_path": f.rel_path,
                "report_id": f.report_id,
                "fingerprint": f.fingerprint,
                "size_bytes": f.size,
                "first_seen_at": now,
                "updated_at": now,
                "run_id": run_id,
            }
            file_rows.append(row)
            if row["status"] == "loaded":
                holders.setdefault(row["file_hash"], f.rel_path)
                taken_ids[f.report_id] = f.rel_path
            if report is not None:
                report_rows.append(_report_row(report, row["report_version_id"], f, row, now, run_id))
        with _transaction(con):  # a file and its report row: both or neither
            _upsert_files(con, file_rows)
            _insert(con, "raw.reports", _not_present(con, report_rows))
        progress(f"ingest: read {min(start + batch_size, len(plan.to_read))}/{len(plan.to_read)} new or changed files")
    owners = landing.sidecar_owners(plan.sidecars, [*plan.to_read, *plan.unchanged])
    sidecar_rows = [_sidecar_row(f, owners[f.rel_path], now, run_id) for f in plan.sidecars]
    with _transaction(con):
        _upsert_files(con, sidecar_rows)
        for k in plan.removed:
            status = "withdrawn" if k.status == "loaded" else "removed"
            con.execute(
                "update raw.files set status = ?, reason = ?, updated_at = ?, run_id = ? where file_path = ?",
                [status, "file no longer in the landing folder", now, run_id, k.rel_path],
            )
            summary.withdrawn += status == "withdrawn"
    return summary


def _read_one(
    f: landing.LandedFile,
    landing_dir: Path,
    old: _Known | None,
    holders: dict[str, str],
    taken_ids: dict[str, str],
    summary: IngestSummary,
) -> tuple[dict, ReadReport | None]:
    """One file's row of raw.files (status, reason, hashes) and its report when it is a new version.

    Never raises: whatever goes wrong with one file is that file's rejection reason, and the others go on.
    """
    try:
        if f.problem:
            raise RejectedFile(f.problem)
        check_name(f.path)
        data = landing.read_bytes(f.path, landing_dir)
        sidecar = landing.read_sidecar_bytes(f.path, landing_dir)
        file_hash = sha256(data)
        content_hash = sha256(data + b"\0" + sidecar[1]) if sidecar else file_hash
        row = {"file_hash": file_hash, "content_hash": content_hash, "duplicate_of": None, "warnings": None}
        holder = holders.get(file_hash)
        if holder is not None and holder != f.rel_path:
            summary.duplicates.append((f.rel_path, holder))
            reason = f"duplicate: the same bytes as {holder}, loaded as report {report_id_of(Path(holder))}"
            return row | {"status": "duplicate", "reason": reason, "duplicate_of": holder}, None
        if old is not None and old.status == "loaded" and old.has_report and old.content_hash == content_hash:
            summary.unchanged += 1  # touched, same content: only the fingerprint moves
            return row | {
                "status": "loaded",
                "reason": None,
                "report_version_id": old.report_version_id,
                "warnings": old.warnings,
            }, None
        taken = taken_ids.get(f.report_id)
        if taken is not None and taken != f.rel_path:
            raise RejectedFile(f"duplicate report id {f.report_id!r}: already loaded from {taken}")
        report = read_report(f.path, data, sidecar)
    except RejectedFile as e:
        summary.rejected.append((f.rel_path, e.reason))
        return {"status": "rejected", "reason": e.reason}, None
    except Exception as e:  # one file must never stop the others: what went wrong is its reason
        log.warning("ingest: %s could not be read: %s: %s", f.rel_path, type(e).__name__, e)
        reason = f"could not be read: {type(e).__name__}: {e}"[:500]
        summary.rejected.append((f.rel_path, reason))
        return {"status": "rejected", "reason": reason}, None
    warnings = "; ".join(report.warnings) or None
    if warnings:
        summary.warned.append((f.rel_path, warnings))
    summary.loaded += 1
    version_id = f"{f.report_id}@{content_hash[:12]}"
    return row | {"status": "loaded", "reason": None, "report_version_id": version_id, "warnings": warnings}, report


def _sidecar_row(f: landing.LandedFile, owner: str | None, now: datetime, run_id: str) -> dict:
    stem = f.path.name[: -len(".meta.json")]
    status, reason, warnings = "sidecar", f"metadata of report {stem}", None
    if f.problem:
        status, reason = "rejected", f"sidecar: {f.problem}"
    elif owner is None:
        warnings = f"its report {stem} is not in the landing folder"
        reason = f"metadata of report {stem}, which is not in the landing folder"
    return {
        "file_path": f.rel_path,
        "report_id": None,
        "fingerprint": f.fingerprint,
        "size_bytes": f.size,
        "status": status,
        "reason": reason,
        "warnings": warnings,
        "first_seen_at": now,
        "updated_at": now,
        "run_id": run_id,
    }


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    con.execute("begin")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def _report_row(
    report: ReadReport, version_id: str, f: landing.LandedFile, row: dict, now: datetime, run_id: str
) -> dict:
    return {
        "report_version_id": version_id,
        "report_id": report.report_id,
        "file_path": f.rel_path,
        "file_hash": row["file_hash"],
        "content_hash": row["content_hash"],
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
    _insert(con, "raw.files", rows)


# --- extraction -----------------------------------------------------------------------------------------


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
    ensure_raw_schema(con)
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
    now = _now()
    con.execute("begin")
    try:
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
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    for r in results:
        summary.errors.extend(r.errors.items())
    summary.reports += len(ids) - sum(len(r.errors) for r in results)
    summary.observations += tables["observations"].num_rows
    summary.documents += tables["document_refs"].num_rows
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


# --- corrections ----------------------------------------------------------------------------------------

CORRECTIONS_DDL = """
create table if not exists raw.corrections (
    line_number integer, action varchar, file_hash varchar, report_id varchar, char_start integer,
    char_end integer, evidence varchar, was_indicator varchar, was_value double, indicator varchar,
    value double, denominator double, geo_code varchar, geo_level varchar, geo_name varchar, period varchar,
    qualifier varchar, reason varchar, reviewer varchar, reviewed_at date, source_file varchar,
    loaded_at timestamp, run_id varchar);
alter table raw.corrections add column if not exists clear varchar;
"""


def load_corrections(con: duckdb.DuckDBPyConnection, path: Path | None, run_id: str) -> int:
    """Replace raw.corrections with the reviewed correction file (the file is the truth, the table its copy).

    The whole file is validated first (sources/corrections.py): a bad row raises CorrectionError naming it and
    the table keeps the previous load, so a half-valid file never reaches dbt.
    """
    from sources.corrections import read_corrections

    ensure_raw_schema(con)
    con.execute(CORRECTIONS_DDL)
    corrections = read_corrections(path) if path else []
    now = _now()
    rows = [
        c.model_dump() | {"line_number": i, "source_file": str(path), "loaded_at": now, "run_id": run_id}
        for i, c in enumerate(corrections, start=2)  # the file's line (after its header): what analysts see
    ]
    con.execute("begin")
    try:
        con.execute("delete from raw.corrections")
        _insert(con, "raw.corrections", rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(rows)
