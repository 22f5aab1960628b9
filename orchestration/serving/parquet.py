"""The Parquet export of the marts, laid out the way readers filter, at a local folder or any fsspec location.

Each mart is a folder. A mart with figures by period (it has `period_start`) is partitioned Hive-style by
`indicator_code` (when it has one) and `year` (of `period_start`):
`fct_indicator_values/indicator_code=eid_accounts_activated/year=2024/data_0.parquet`, so that DuckDB, pyarrow,
Spark or a BI tool reading `fct_indicator_values/**/*.parquet` with Hive partitioning reads only the files of
the indicators and years it filters on. The partition columns are in the paths, not in the files (as Hive,
Spark and pyarrow expect). Other marts are one file, `<mart>/data_0.parquet`.

DuckDB writes the folders next to the serving copy first; then they are swapped in, mart by mart: on a local
folder with two renames (a reader never sees a half-written mart), elsewhere (s3://, gs://, abfs://, memory://:
any fsspec URL, with its package installed) uploaded beside the old one and moved over it, which an object
store does file by file. `_publication.json`, written last, names the run the files are from.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import fsspec
from fsspec.implementations.local import LocalFileSystem

NOTE = "_publication.json"
HIVE_DEFAULT = "__HIVE_DEFAULT_PARTITION__"  # the partition of a null value, as DuckDB, Hive and Spark write it


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f'describe main."{table}"').fetchall()]


def partition_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    columns = set(_columns(con, table))
    if "period_start" not in columns or table.startswith("dim_"):
        return []
    return [c for c in ("indicator_code",) if c in columns] + ["year"]


def write_local(con: duckdb.DuckDBPyConnection, tables: list[str], folder: Path) -> None:
    """Every mart into `folder/<mart>/`, partitioned where it has figures by period."""
    for table in tables:
        target = folder / table
        partitions = partition_columns(con, table)
        if partitions:
            source = f'(select *, year(period_start) as year from main."{table}")'
            con.execute(f"copy {source} to ? (format parquet, partition_by ({', '.join(partitions)}))", [str(target)])
            if not any(
                target.rglob("*.parquet")
            ):  # no rows: one empty file where a Hive reader looks, so the mart reads as empty
                empty = target.joinpath(*(f"{p}={HIVE_DEFAULT}" for p in partitions))
                empty.mkdir(parents=True, exist_ok=True)
                keep = ", ".join(f'"{c}"' for c in _columns(con, table) if c not in partitions)
                con.execute(
                    f'copy (select {keep} from main."{table}") to ? (format parquet)', [str(empty / "data_0.parquet")]
                )
        else:
            target.mkdir(parents=True)
            con.execute(f'copy main."{table}" to ? (format parquet)', [str(target / "data_0.parquet")])


def missing(location: str, tables: list[str]) -> list[str]:
    """The marts that have no folder at `location` (a first publish, a new location, the earlier one-file layout)."""
    fs, root = fsspec.core.url_to_fs(location)
    return [t for t in tables if not fs.isdir(f"{root.rstrip('/')}/{t}")]


def export(
    con: duckdb.DuckDBPyConnection, write: list[str], tables: list[str], location: str, staging: Path, note: dict
) -> str:
    """Write the marts `write` to `location` (a path or an fsspec URL), remove those no longer among `tables`,
    then the note; returns the location written."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_local(con, write, staging)
    (staging / NOTE).write_text(json.dumps(note, indent=2), encoding="utf-8")
    fs, root = fsspec.core.url_to_fs(location)
    if isinstance(fs, LocalFileSystem):
        _swap_local(staging, Path(root), write, tables)
    else:
        _swap_remote(fs, staging, root.rstrip("/"), write, tables, note["run_id"])
    shutil.rmtree(staging, ignore_errors=True)
    return location


def _swap_local(staging: Path, root: Path, write: list[str], tables: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for table in write:
        target, aside = root / table, root / f".{table}.old"
        shutil.rmtree(aside, ignore_errors=True)
        if target.exists():
            os.replace(target, aside)
        os.replace(staging / table, target)
        shutil.rmtree(aside, ignore_errors=True)
    os.replace(staging / NOTE, root / NOTE)
    for stale in root.iterdir():  # marts that are gone, and the one-file-per-mart layout of earlier versions
        if stale.name != NOTE and stale.name not in tables and not stale.name.startswith("."):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


def _swap_remote(fs, staging: Path, root: str, write: list[str], tables: list[str], run_id: str) -> None:
    upload = f"{root}/.upload-{run_id}"
    fs.put(f"{staging}/", f"{upload}/", recursive=True)
    for table in write:
        if fs.exists(f"{root}/{table}"):
            fs.rm(f"{root}/{table}", recursive=True)
        fs.mv(f"{upload}/{table}", f"{root}/{table}", recursive=True)
    fs.mv(f"{upload}/{NOTE}", f"{root}/{NOTE}")
    for path in fs.ls(root, detail=False):
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if name != NOTE and name not in tables:
            fs.rm(path, recursive=True)
