"""Dagster resources, configured from the environment (orchestration/settings.py) in `build_defs`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import warehouse
from orchestration.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse and the folders around it."""

    duckdb_path: str
    home: str
    landing: str
    threads: int = 2
    batch_size: int = 200
    hard_rule_limit: float = 0.05
    as_of_date: str = ""

    @classmethod
    def from_settings(cls, s: Settings) -> WarehouseResource:
        return cls(
            duckdb_path=str(s.duckdb_path),
            home=str(s.home),
            landing=str(s.landing),
            threads=s.threads,
            batch_size=s.batch_size,
            hard_rule_limit=s.hard_rule_limit,
            as_of_date=s.as_of_date.isoformat(),
        )

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
        return self.home_path / "gx" / "data_docs"

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.as_of_date) if self.as_of_date else date.today()

    @contextlib.contextmanager
    def writing(self, context: dg.OpExecutionContext | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection, held under the warehouse's writer lock (runs queue, never fail on the lock)."""
        say = context.log.info if context else None
        with (
            warehouse.writer_lock(self.home_path / "warehouse.lock", on_wait=say),
            warehouse.connect(self.path) as con,
        ):
            yield con

    @contextlib.contextmanager
    def locked(self, context: dg.OpExecutionContext | None = None) -> Iterator[None]:
        """The writer lock alone, for steps whose writing is done by a subprocess (dbt)."""
        say = context.log.info if context else None
        with warehouse.writer_lock(self.home_path / "warehouse.lock", on_wait=say):
            yield

    def dbt_env(self) -> dict[str, str]:
        """What the dbt subprocess reads from its environment (dbt_project/profiles.yml)."""
        return {
            "DXW_DUCKDB_PATH": self.duckdb_path,
            "DXW_THREADS": str(self.threads),
        }


def export_for_subprocesses(resource: WarehouseResource) -> None:
    """dbt runs as a subprocess that inherits our environment: give it the same warehouse."""
    os.environ.update(resource.dbt_env())
