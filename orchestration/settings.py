"""Every setting of dx-warehouse, read from the environment in one place.

| variable            | default                         | what                                             |
|---------------------|---------------------------------|--------------------------------------------------|
| DXW_HOME            | ./data                          | data folder: warehouse, serving copy, docs, logs |
| DXW_LANDING         | sources/samples/reports         | folder of raw reports to ingest                  |
| DXW_DUCKDB_PATH     | $DXW_HOME/warehouse.duckdb      | the working (writer's) warehouse                 |
| DXW_THREADS         | 2                               | dbt threads and extraction worker processes      |
| DXW_BATCH_SIZE      | 200                             | reports read and extracted per batch             |
| DXW_AS_OF_DATE      | today                           | the warehouse's as-of date (overdue instructions) |
| DXW_HARD_RULE_LIMIT | 0.05                            | share of new figures breaking hard rules that blocks publish |
| DXW_LOG_LEVEL       | INFO                            | log level of Dagster and dxw                     |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SAMPLES_DIR = REPO_ROOT / "sources" / "samples" / "reports"


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    duckdb_path: Path
    threads: int
    batch_size: int
    as_of_date: date
    hard_rule_limit: float
    log_level: str

    @property
    def serving_dir(self) -> Path:
        return self.home / "serving"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def gx_dir(self) -> Path:
        return self.home / "gx"

    @property
    def gx_docs_dir(self) -> Path:
        return self.home / "gx" / "data_docs"

    @property
    def lock_path(self) -> Path:
        return self.home / "warehouse.lock"


def load_settings(home: str | os.PathLike | None = None, landing: str | os.PathLike | None = None) -> Settings:
    """Settings from arguments, then the environment, then the defaults that make `make run` work."""
    env = os.environ
    home_path = Path(home or env.get("DXW_HOME") or "data").resolve()
    landing_path = Path(landing or env.get("DXW_LANDING") or SAMPLES_DIR).resolve()
    duckdb_path = (
        Path(env["DXW_DUCKDB_PATH"]).resolve()
        if env.get("DXW_DUCKDB_PATH") and not home
        else (home_path / "warehouse.duckdb")
    )
    as_of = env.get("DXW_AS_OF_DATE")
    return Settings(
        home=home_path,
        landing=landing_path,
        duckdb_path=duckdb_path,
        threads=max(1, int(env.get("DXW_THREADS", "2"))),
        batch_size=max(1, int(env.get("DXW_BATCH_SIZE", "200"))),
        as_of_date=date.fromisoformat(as_of) if as_of else date.today(),
        hard_rule_limit=float(env.get("DXW_HARD_RULE_LIMIT", "0.05")),
        log_level=env.get("DXW_LOG_LEVEL", "INFO").upper(),
    )
