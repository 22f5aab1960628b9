"""Extraction on Dask distributed: a local cluster of two workers gives exactly the rows of in-process extraction,
and a worker killed during a batch loses nothing and doubles nothing (its task runs again; only the writer
inserts). Real DuckDB files, real worker processes, the shipped samples (in three variants each: 30 reports)."""

import os
import shutil
import signal
from pathlib import Path

import dask
import duckdb
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from orchestration import raw
from orchestration.cluster import WORKER_DIED, EngineConfig

pytestmark = pytest.mark.integration
SAMPLES = Path(__file__).resolve().parents[2] / "sources" / "samples" / "reports"
VARIANTS = 3


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    """30 distinct reports: each sample three times, each copy with a closing line of its own."""
    folder = tmp_path_factory.mktemp("landing")
    for path in sorted(SAMPLES.glob("*.txt")):
        for i in range(VARIANTS):
            text = path.read_text(encoding="utf-8") + f"\nBản lưu số {i + 1}.\n"
            (folder / f"{path.stem}-{i}.txt").write_text(text, encoding="utf-8")
    return folder


def _extract(landing: Path, db: Path, engine: EngineConfig) -> tuple[raw.ExtractSummary, dict]:
    with duckdb.connect(str(db)) as con:
        raw.ingest(con, landing, "run-1", progress=lambda _: None)
        summary = raw.extract_pending(con, "run-1", batch_size=12, engine=engine, progress=lambda _: None)
        rows = {
            table: con.execute(f"select * exclude (extracted_at) from raw.{table} order by all").fetchall()
            if table == "extractions"
            else con.execute(f"select * from raw.{table} order by all").fetchall()
            for table in (*raw.FACT_TABLES, "extractions")
        }
        doubled = con.execute(
            """select (select count(*) - count(distinct report_version_id) from raw.extractions)
                    + (select count(*) - count(distinct (report_version_id, seq)) from raw.observations)"""
        ).fetchone()[0]
    assert doubled == 0
    return summary, rows


@pytest.fixture(scope="module")
def in_process(landing, tmp_path_factory) -> dict:
    summary, rows = _extract(landing, tmp_path_factory.mktemp("in-process") / "w.duckdb", EngineConfig(workers=1))
    assert summary.where == "in process" and summary.reports == 10 * VARIANTS and not summary.errors
    return rows


def test_a_local_cluster_of_two_workers_gives_exactly_the_rows_of_in_process_extraction(landing, in_process, tmp_path):
    summary, rows = _extract(landing, tmp_path / "w.duckdb", EngineConfig(workers=2, min_reports=1))
    assert summary.where == "a local Dask cluster of 2 workers"
    assert summary.reports == 10 * VARIANTS and not summary.errors
    assert {t: len(r) for t, r in rows.items()} == {t: len(r) for t, r in in_process.items()}
    assert rows == in_process


class KillOnFirstTask(WorkerPlugin):
    """Kills its worker (SIGKILL, no goodbye) the first time any worker starts an extraction task."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and str(key).startswith("extract-slice-"):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, f"{os.getpid()} {key}".encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_during_a_batch_loses_nothing_and_inserts_nothing_twice(landing, in_process, tmp_path):
    marker = tmp_path / "killed"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster,
        Client(cluster) as client,
    ):
        pids = set(client.run(os.getpid).values())
        client.register_plugin(KillOnFirstTask(str(marker)))
        engine = EngineConfig(workers=2, scheduler=cluster.scheduler_address, min_reports=1)
        summary, rows = _extract(landing, tmp_path / "w.duckdb", engine)
        shipped = set(client.run(lambda: __import__("sources.rows").rows.__file__).values())
    killed_pid, killed_task = marker.read_text().split(" ", 1)
    assert int(killed_pid) in pids and killed_task.startswith("extract-slice-")  # a worker died mid-task
    assert summary.where == f"the Dask cluster at {cluster.scheduler_address}"
    assert summary.reports == 10 * VARIANTS and not summary.errors
    assert rows == in_process  # every report once: its task ran again elsewhere, the writer inserted it once
    # the workers run the code the writer sent them, not a copy they happened to have
    assert shipped and all("dxw-sources-" in path for path in shipped), shipped


class KillFirstSliceAndOneReport(WorkerPlugin):
    """Kills its worker at the first slice any worker starts, and each time one report is tried on its own."""

    def __init__(self, marker: str, poison: str):
        self.marker, self.poison = marker, poison

    def transition(self, key, start, finish, **kwargs):
        key = str(key)
        if finish != "executing":
            return
        if key.startswith(f"extract-report-{self.poison}-"):
            os.kill(os.getpid(), signal.SIGKILL)
        if key.startswith("extract-slice-") and not os.path.exists(self.marker):
            Path(self.marker).write_text(key)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_report_that_kills_its_worker_every_time_fails_alone(landing, in_process, tmp_path):
    """No retries allowed: the first slice's death splits it into single reports, and the one report whose
    worker dies again is recorded as failed; every other report is extracted once."""
    poison = min(row[0] for row in in_process["extractions"])  # in the first slice, which runs first
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(KillFirstSliceAndOneReport(str(tmp_path / "killed"), poison))
        engine = EngineConfig(scheduler=cluster.scheduler_address, min_reports=1)
        summary, rows = _extract(landing, tmp_path / "w.duckdb", engine)
    assert (tmp_path / "killed").exists()
    assert summary.errors == [(poison, WORKER_DIED)]
    assert summary.reports == 10 * VARIANTS - 1
    for table in raw.FACT_TABLES:
        assert rows[table] == [r for r in in_process[table] if r[0] != poison], table
    assert [r for r in rows["extractions"] if r[0] != poison] == [
        r for r in in_process["extractions"] if r[0] != poison
    ]
    [failed] = [r for r in rows["extractions"] if r[0] == poison]
    assert WORKER_DIED in failed


def test_below_the_threshold_extraction_stays_in_process(landing, tmp_path):
    summary, _ = _extract(landing, tmp_path / "w.duckdb", EngineConfig(workers=2, min_reports=31))
    assert summary.where == "in process"
    shutil.rmtree(tmp_path / "w.duckdb", ignore_errors=True)
