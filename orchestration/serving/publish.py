"""Publish the marts as a read-only snapshot: a DuckDB file and Parquet files, swapped in atomically.

The working warehouse has one writer and no readers. Readers get `<home>/serving/warehouse.duckdb`, rebuilt
next to the old one and moved over it with `os.replace`: a reader that holds the old file keeps its snapshot
(it keeps the old inode) and sees the new data when it reopens; a crashed publish leaves only a temporary
file, never a half-written snapshot. The copy is written in DuckDB's v1.0 storage format so that the 1.x
drivers bundled by BI tools open it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.serving.bi import prepare_for_bi
from orchestration.warehouse import sql_string

SERVING_STORAGE_VERSION = "v1.0.0"


@dataclass
class Published:
    duckdb_path: Path
    parquet_dir: Path
    tables: dict[str, int]  # mart → row count


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts: tables in the default schema (dbt writes marts there, nothing else)."""
    return [
        r[0]
        for r in con.execute(
            """select table_name from information_schema.tables
           where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"""
        ).fetchall()
    ]


def publish(con: duckdb.DuckDBPyConnection, serving_dir: Path, run_id: str) -> Published:
    serving_dir.mkdir(parents=True, exist_ok=True)
    # left by a crashed publish (there is one writer, so none is in progress)
    for stale in [*serving_dir.glob(".*.tmp"), *serving_dir.glob(".*.tmp.wal")]:
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    tables = mart_tables(con)
    target = serving_dir / "warehouse.duckdb"
    tmp = serving_dir / f".warehouse.{run_id}.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    counts = {}
    con.execute(f"attach {sql_string(tmp)} as serving (storage_version {sql_string(SERVING_STORAGE_VERSION)})")
    try:
        for table in tables:
            con.execute(f'create table serving.main."{table}" as select * from main."{table}"')
            counts[table] = con.execute(f'select count(*) from serving.main."{table}"').fetchone()[0]
        published_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute(
            "create table serving.main._publication as select ? as run_id, ? as published_at, ? as storage_version",
            [run_id, published_at, SERVING_STORAGE_VERSION],
        )
        prepare_for_bi(con, tables, "serving")  # descriptions, and list columns as text for SQLAlchemy
        con.execute("checkpoint serving")
    finally:
        con.execute("detach serving")
    parquet_tmp = serving_dir / f".parquet.{run_id}.tmp"
    shutil.rmtree(parquet_tmp, ignore_errors=True)
    parquet_tmp.mkdir()
    for table in tables:
        con.execute(f'copy main."{table}" to ? (format parquet)', [str(parquet_tmp / f"{table}.parquet")])
    (parquet_tmp / "_publication.json").write_text(
        json.dumps({"run_id": run_id, "published_at": published_at.isoformat(), "tables": counts}, indent=2),
        encoding="utf-8",
    )
    # the swap: the DuckDB file in one atomic rename; each Parquet file in its own
    os.replace(tmp, target)
    parquet_dir = serving_dir / "parquet"
    parquet_dir.mkdir(exist_ok=True)
    for f in parquet_tmp.iterdir():
        os.replace(f, parquet_dir / f.name)
    for stale in parquet_dir.glob("*.parquet"):
        if stale.stem not in counts:
            stale.unlink()
    parquet_tmp.rmdir()
    return Published(target, parquet_dir, counts)
