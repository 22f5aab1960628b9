"""Dagster resources: small and typed, each built from the one `Settings` (orchestration/settings.py).

- `WarehouseResource`: the working DuckDB file, its writer lock and the folders beside it.
- `LandingResource`: the landing folder and how it is read (batch size, extraction workers, sensor debounce),
  and the reviewed correction file.
- `QualityResource`: what the checks need (the hard-rule limit) and the as-of date the report shows.
- `DbtResource`: dbt in this process, against this warehouse (orchestration/dbt_runner.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import dbt_runner, warehouse
from orchestration.cluster import EngineConfig
from orchestration.settings import DBT_PROJECT_DIR, EXTRACT_CLUSTER_MIN, Settings


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse and the folders around it (everything lives under `home`)."""

    duckdb_path: str
    home: str
    serving_url: str = "http://127.0.0.1:8080"  # where `dxw docs`/`dxw ui` serve the serving folder (links)
    parquet_url: str = ""  # where publish writes the Parquet export; empty: <home>/serving/parquet

    @property
    def path(self) -> Path:
        return Path(self.duckdb_path)

    @property
    def home_path(self) -> Path:
        return Path(self.home)

    @property
    def serving_dir(self) -> Path:
        return self.home_path / "serving"

    @property
    def gx_docs_dir(self) -> Path:
        return self.serving_dir / "data_docs"

    def served(self, relative: str) -> str:
        """The http link to a file of the serving folder (a browser refuses file:// links from the UI's page)."""
        return f"{self.serving_url}/{relative}"

    @property
    def lock_path(self) -> Path:
        return self.home_path / "warehouse.lock"

    @contextlib.contextmanager
    def writing(self, context: dg.OpExecutionContext | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection, held under the warehouse's writer lock (runs queue, never fail on the lock)."""
        say = context.log.info if context else None
        with warehouse.writer_lock(self.lock_path, on_wait=say), warehouse.connect(self.path) as con:
            yield con

    @contextlib.contextmanager
    def locked(self, context: dg.OpExecutionContext | None = None) -> Iterator[None]:
        """The writer lock alone, for steps that write through another client (dbt)."""
        say = context.log.info if context else None
        with warehouse.writer_lock(self.lock_path, on_wait=say):
            yield


class LandingResource(dg.ConfigurableResource):
    """The landing folder of raw reports, and how a run reads it."""

    folder: str
    batch_size: int = 200
    workers: int = 2  # local Dask cluster workers
    dask_scheduler: str = ""  # a running Dask scheduler; empty: a local cluster
    cluster_min_reports: int = EXTRACT_CLUSTER_MIN  # below: extraction in-process
    debounce_seconds: float = 10.0
    corrections: str = ""  # the reviewed correction file (Settings.corrections); empty: none

    @property
    def corrections_path(self) -> Path | None:
        return Path(self.corrections) if self.corrections else None

    @property
    def path(self) -> Path:
        return Path(self.folder)

    @property
    def engine(self) -> EngineConfig:
        return EngineConfig(self.workers, self.dask_scheduler, self.cluster_min_reports)


class QualityResource(dg.ConfigurableResource):
    """The limit of the blocking check and the as-of date the warehouse is built for."""

    hard_rule_limit: float = 0.05
    as_of_date: str  # ISO date
    as_of_source: str = "today"

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.as_of_date)


class DbtResource(dg.ConfigurableResource):
    """dbt run in this process against the warehouse; the as-of date is passed to every invocation as a var."""

    duckdb_path: str
    work_dir: str  # <home>/dbt: profile, parse state, artifacts and logs of this warehouse
    threads: int = 2
    as_of_date: str

    def workspace(self) -> dbt_runner.DbtWorkspace:
        return dbt_runner.DbtWorkspace(DBT_PROJECT_DIR, Path(self.work_dir), Path(self.duckdb_path), self.threads)

    def dbt_vars(self) -> dict[str, str]:
        return {"as_of_date": self.as_of_date}


def resources_from(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    as_of = settings.as_of_date.isoformat()
    return {
        "warehouse": WarehouseResource(
            duckdb_path=str(settings.duckdb_path),
            home=str(settings.home),
            serving_url=settings.serving_url,
            parquet_url=settings.parquet_url,
        ),
        "landing": LandingResource(
            folder=str(settings.landing),
            batch_size=settings.batch_size,
            workers=settings.extract_workers,
            dask_scheduler=settings.dask_scheduler,
            cluster_min_reports=settings.cluster_min_reports,
            debounce_seconds=settings.sensor_debounce_seconds,
            corrections=str(settings.corrections),
        ),
        "quality": QualityResource(
            hard_rule_limit=settings.hard_rule_limit, as_of_date=as_of, as_of_source=settings.as_of_source
        ),
        "dbt": DbtResource(
            duckdb_path=str(settings.duckdb_path),
            work_dir=str(settings.dbt_dir),
            threads=settings.threads,
            as_of_date=as_of,
        ),
    }
