"""Every setting of dx-warehouse, read from the environment here and nowhere else.

| variable                    | default                       | what                                                  |
|-----------------------------|-------------------------------|-------------------------------------------------------|
| DXW_HOME                    | ./data                        | data folder: warehouse, serving copy, docs, logs      |
| DXW_LANDING                 | sources/samples/reports       | folder of raw reports to ingest                       |
| DXW_DUCKDB_PATH             | $DXW_HOME/warehouse.duckdb    | the working (writer's) warehouse                      |
| DXW_THREADS                 | 2                             | dbt threads                                           |
| DXW_EXTRACT_WORKERS         | DXW_THREADS                   | worker processes of the local Dask cluster            |
| DXW_DASK_SCHEDULER          | (none: a local cluster)       | address of a Dask scheduler to extract on             |
| DXW_EXTRACT_CLUSTER_MIN     | 2000                          | pending reports from which extraction uses Dask       |
| DXW_PARQUET_URL             | $DXW_HOME/serving/parquet     | where publish writes the Parquet export (any fsspec)  |
| DXW_BATCH_SIZE              | 200                           | reports read and extracted per batch                  |
| DXW_AS_OF_DATE              | today; the samples: their own | the warehouse's as-of date (overdue instructions)     |
| DXW_HARD_RULE_LIMIT         | 0.05                          | share of new figures breaking hard rules: no publish  |
| DXW_SENSOR_DEBOUNCE_SECONDS | 10                            | a file modified more recently waits for the next tick |
| DXW_LOG_LEVEL               | INFO                          | log level of Dagster and dxw                          |
| DXW_CORRECTIONS             | corrections/observations.csv  | analysts' reviewed corrections, applied in dbt        |
| DXW_DOCS_PORT               | 8080                          | port of the serving folder's web server (dxw docs/ui) |

Dagster resources are built from a `Settings` (orchestration/resources.py); processes that dxw starts (the
Dagster UI) get the settings as their environment, never by this process changing its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# What of the dbt project is code (what a parse reads, what shapes the marts): the parse state and a run's
# up-to-date check both follow it, with the seeds' folder (sources/catalog)
DBT_CODE_PATHS = ("models", "macros", "materializations", "tests", "dbt_project.yml")
SAMPLES_DIR = REPO_ROOT / "sources" / "samples" / "reports"
CORRECTIONS_FILE = REPO_ROOT / "corrections" / "observations.csv"  # analysts' reviewed corrections
# The samples are a snapshot: their as-of date is the day of their latest report, so that their instructions'
# deadlines read as they did then, not as "overdue by a thousand days" on the day someone runs them.
SAMPLES_AS_OF_FILE = REPO_ROOT / "sources" / "samples" / "AS_OF_DATE"
# where the as-of date came from, as the run summary and the report say it
AS_OF_SOURCES = {
    "DXW_AS_OF_DATE": "DXW_AS_OF_DATE",
    "samples": "the samples' own date, sources/samples/AS_OF_DATE",
    "today": "today",
}
# Below this many pending reports extraction runs in the writer's process. Measured (BENCHMARKS.md "Extraction on
# Dask"): a local cluster of two workers costs 6.3 s to start and close; on two free cores it saves 3.7 ms a report
# (135 → 270 reports/s), so it pays off from about 1,700 reports; on a busy machine it never does.
EXTRACT_CLUSTER_MIN = 2000


class SettingsError(ValueError):
    """A DXW_* variable (or argument) holds a value dxw cannot use; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    duckdb_path: Path
    threads: int
    batch_size: int
    as_of_date: date
    as_of_source: str  # "DXW_AS_OF_DATE", "samples" or "today": said in the run summary and the report
    hard_rule_limit: float
    sensor_debounce_seconds: float
    log_level: str
    corrections: Path = CORRECTIONS_FILE  # the reviewed correction file, loaded into raw.corrections each run
    docs_port: int = 8080  # `dxw docs` and `dxw ui` serve the serving folder on 127.0.0.1:<docs_port>
    extract_workers: int = 2  # processes of the local Dask cluster extraction starts
    dask_scheduler: str = ""  # a running Dask scheduler's address; empty: a local cluster when it pays off
    cluster_min_reports: int = EXTRACT_CLUSTER_MIN  # below this many pending reports: extraction in-process
    parquet_url: str = ""  # the Parquet export's location (a path or an fsspec URL); empty: serving/parquet

    @property
    def parquet_location(self) -> str:
        return self.parquet_url or str(self.serving_dir / "parquet")

    @property
    def serving_dir(self) -> Path:
        return self.home / "serving"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def dbt_dir(self) -> Path:
        """dbt's working folder for this warehouse: its profile, parse state, artifacts and logs."""
        return self.home / "dbt"

    @property
    def gx_dir(self) -> Path:
        return self.home / "gx"

    @property
    def gx_docs_dir(self) -> Path:
        """Great Expectations Data Docs, in the serving folder: served and opened with the report."""
        return self.serving_dir / "data_docs"

    @property
    def serving_url(self) -> str:
        """Where `dxw docs` (and `dxw ui`) serve the serving folder: the links Dagster shows point there."""
        return f"http://127.0.0.1:{self.docs_port}"

    @property
    def lock_path(self) -> Path:
        return self.home / "warehouse.lock"

    def environment(self) -> dict[str, str]:
        """The settings as the environment of a process dxw starts (`dagster dev`), which reads them back here."""
        return {
            "DXW_HOME": str(self.home),
            "DXW_LANDING": str(self.landing),
            "DXW_DUCKDB_PATH": str(self.duckdb_path),
            "DXW_THREADS": str(self.threads),
            "DXW_BATCH_SIZE": str(self.batch_size),
            "DXW_AS_OF_DATE": self.as_of_date.isoformat() if self.as_of_source != "today" else "",
            "DXW_HARD_RULE_LIMIT": str(self.hard_rule_limit),
            "DXW_SENSOR_DEBOUNCE_SECONDS": str(self.sensor_debounce_seconds),
            "DXW_LOG_LEVEL": self.log_level,
            "DXW_CORRECTIONS": str(self.corrections),
            "DXW_DOCS_PORT": str(self.docs_port),
            "DXW_EXTRACT_WORKERS": str(self.extract_workers),
            "DXW_DASK_SCHEDULER": self.dask_scheduler,
            "DXW_EXTRACT_CLUSTER_MIN": str(self.cluster_min_reports),
            "DXW_PARQUET_URL": self.parquet_url,
        }


def _number(env: Mapping[str, str], name: str, default: str, kind: type, low: float) -> float | int:
    raw = env.get(name) or default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a {kind.__name__}") from None
    if value < low:
        raise SettingsError(f"{name}={raw!r} must be at least {low}")
    return value


def _port(env: Mapping[str, str]) -> int:
    port = int(_number(env, "DXW_DOCS_PORT", "8080", int, 1))
    if port > 65535:
        raise SettingsError(f"DXW_DOCS_PORT={port} is not a port (1-65535)")
    return port


def load_settings(
    home: str | os.PathLike | None = None,
    landing: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from arguments, then the environment, then the defaults that make `make run` work."""
    env = os.environ if env is None else env
    home_path = Path(home or env.get("DXW_HOME") or "data").resolve()
    landing_path = Path(landing or env.get("DXW_LANDING") or SAMPLES_DIR).resolve()
    duckdb_path = (
        Path(env["DXW_DUCKDB_PATH"]).resolve()
        if env.get("DXW_DUCKDB_PATH") and not home
        else home_path / "warehouse.duckdb"
    )
    raw_as_of = env.get("DXW_AS_OF_DATE")
    if raw_as_of:
        try:
            as_of, source = date.fromisoformat(raw_as_of), "DXW_AS_OF_DATE"
        except ValueError:
            raise SettingsError(f"DXW_AS_OF_DATE={raw_as_of!r} is not a date (YYYY-MM-DD)") from None
    elif landing_path == SAMPLES_DIR.resolve() and SAMPLES_AS_OF_FILE.exists():
        as_of, source = date.fromisoformat(SAMPLES_AS_OF_FILE.read_text(encoding="utf-8").strip()), "samples"
    else:
        as_of, source = date.today(), "today"
    limit = _number(env, "DXW_HARD_RULE_LIMIT", "0.05", float, 0.0)
    if limit > 1:
        raise SettingsError(f"DXW_HARD_RULE_LIMIT={limit} is a share: between 0 and 1")
    level = (env.get("DXW_LOG_LEVEL") or "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError(f"DXW_LOG_LEVEL={level!r} is not a log level (DEBUG, INFO, WARNING, ERROR)")
    threads = int(_number(env, "DXW_THREADS", "2", int, 1))
    return Settings(
        home=home_path,
        landing=landing_path,
        duckdb_path=duckdb_path,
        threads=threads,
        batch_size=int(_number(env, "DXW_BATCH_SIZE", "200", int, 1)),
        as_of_date=as_of,
        as_of_source=source,
        hard_rule_limit=limit,
        sensor_debounce_seconds=float(_number(env, "DXW_SENSOR_DEBOUNCE_SECONDS", "10", float, 0.0)),
        log_level=level,
        corrections=Path(env.get("DXW_CORRECTIONS") or CORRECTIONS_FILE).resolve(),
        docs_port=_port(env),
        extract_workers=int(_number(env, "DXW_EXTRACT_WORKERS", str(threads), int, 1)),
        dask_scheduler=(env.get("DXW_DASK_SCHEDULER") or "").strip(),
        cluster_min_reports=int(_number(env, "DXW_EXTRACT_CLUSTER_MIN", str(EXTRACT_CLUSTER_MIN), int, 0)),
        parquet_url=(env.get("DXW_PARQUET_URL") or "").strip(),
    )


def ensure_writable_home(settings: Settings) -> None:
    """Create the data folder, and prove it takes a file, before a run starts: an unwritable --home (a path
    under a file, a read-only mount, a full disk) is a SettingsError that names it, not a traceback mid-run."""
    probe = settings.home / f".dxw-write-test-{os.getpid()}"
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise SettingsError(f"the data folder {settings.home} is not writable: {e.strerror or e}") from None
