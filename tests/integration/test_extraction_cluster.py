"""Extraction on Dask distributed: a local cluster of two workers gives exactly the rows of in-process extraction,
and a worker killed during a batch loses nothing and doubles nothing (its task runs again; only the writer
inserts). Real DuckDB files, real worker processes, the shipped samples (in three variants each: 30 reports)."""

import os
import signal
from pathlib import Path

import cloudpickle
import dask
import duckdb
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from orchestration.cluster import WORKER_DIED, EngineConfig
from orchestration.loaders import extracted_facts, landed_files
from sources.rows import FACT_TABLES

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


def _extract(landing: Path, db: Path, engine: EngineConfig) -> tuple[extracted_facts.ExtractSummary, dict]:
    with duckdb.connect(str(db)) as con:
        landed_files.ingest(con, landing, "run-1", progress=lambda _: None)
        summary = extracted_facts.extract_pending(con, "run-1", batch_size=12, engine=engine, progress=lambda _: None)
        rows = {
            table: con.execute(f"select * exclude (extracted_at) from raw.{table} order by all").fetchall()
            if table == "extractions"
            else con.execute(f"select * from raw.{table} order by all").fetchall()
            for table in (*FACT_TABLES, "extractions")
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


class KillOnOneReport(WorkerPlugin):
    """Kills its worker whenever it starts a task that holds one given report: the report that crashes its worker."""

    def __init__(self, poison: str, marker: str):
        self.poison, self.marker = poison.encode(), marker

    def setup(self, worker):
        self.worker = worker

    def transition(self, key, start, finish, **kwargs):
        task = self.worker.state.tasks.get(key)
        if finish == "executing" and task is not None and self.poison in cloudpickle.dumps(task.run_spec):
            with open(self.marker, "a") as f:
                f.write(f"{key}\n")
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_report_that_kills_its_worker_every_time_fails_alone(landing, in_process, tmp_path):
    """No retries allowed: the slice holding the report dies and is split into single reports; the report dies
    again alone and is recorded as failed; every other report is extracted once."""
    poison = sorted(row[0] for row in in_process["extractions"])[len(in_process["extractions"]) // 2]
    marker = tmp_path / "killed"
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(KillOnOneReport(poison, str(marker)))
        engine = EngineConfig(scheduler=cluster.scheduler_address, min_reports=1)
        summary, rows = _extract(landing, tmp_path / "w.duckdb", engine)
    killed = marker.read_text().split()
    assert [k.split("-")[1] for k in killed] == ["slice", "report"], killed  # its slice, then itself alone
    assert killed[1].startswith(f"extract-report-{poison}-")
    assert summary.errors == [(poison, WORKER_DIED)]
    assert summary.reports == 10 * VARIANTS - 1
    for table in (*FACT_TABLES, "extractions"):
        assert [r for r in rows[table] if r[0] != poison] == [r for r in in_process[table] if r[0] != poison], table
    [failed] = [r for r in rows["extractions"] if r[0] == poison]
    assert WORKER_DIED in failed


def test_below_the_threshold_extraction_stays_in_process(landing, tmp_path):
    summary, _ = _extract(landing, tmp_path / "w.duckdb", EngineConfig(workers=2, min_reports=31))
    assert summary.where == "in process"
