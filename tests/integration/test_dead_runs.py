"""A run killed with -9 gives back the one-writer slot (issue 17.13). A real `dxw run` is killed while it runs,
so its Dagster run stays STARTED with the writer tag; a run of `publish_job` is queued behind it; then a real
`dagster-daemon` starts: its run monitoring finds that the dead run's process is gone, marks the run failed,
and the queue starts the waiting run. Before, the waiting run stayed QUEUED for good."""

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from tests.conftest import SAMPLES
from tests.integration.test_pipeline import DXW, _env

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def _wait(what: str, predicate, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _started_run(dagster_home: Path) -> str | None:
    runs = dagster_home / "storage" / "history" / "runs.db"  # where the sqlite storage keeps its run index
    if not runs.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{runs}?mode=ro", uri=True, timeout=5)) as con:
            row = con.execute("select run_id from runs where status = 'STARTED'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def test_a_killed_run_gives_back_the_writer_slot_to_the_queue(tmp_path):
    land, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(SAMPLES, land)
    dagster_home = home / "dagster"
    env = {
        **_env(),
        "DXW_HOME": str(home),
        "DXW_LANDING": str(land),
        "DXW_AS_OF_DATE": "2025-06-01",
        "DAGSTER_HOME": str(dagster_home),
    }
    victim = subprocess.Popen(
        [DXW, "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        # read the run storage with sqlite3 until then: a second DagsterInstance creating the storage at the same
        # time as the run's own would stamp its schema twice
        dead_id = _wait("the run to start", lambda: _started_run(dagster_home), 120)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        with DagsterInstance.from_config(str(dagster_home)) as instance:
            dead = instance.get_run_by_id(dead_id)
            assert dead.status == DagsterRunStatus.STARTED  # stale: nobody will end it
            launch = subprocess.run(
                [str(BIN / "dagster"), "job", "launch", "-m", "orchestration.definitions", "-j", "publish_job"],
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert launch.returncode == 0, launch.stderr[-2000:]
            (queued,) = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.QUEUED]))
            daemon = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-m", "orchestration.definitions"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                _wait(
                    "the dead run to be marked failed",
                    lambda: instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE,
                    150,
                    2,
                )
                _wait(
                    "the queued run to leave the queue",
                    lambda: instance.get_run_by_id(queued.run_id).status != DagsterRunStatus.QUEUED,
                    60,
                    1,
                )
            finally:
                _stop(daemon)
            (failure,) = instance.get_records_for_run(dead.run_id, of_type=DagsterEventType.RUN_FAILURE).records
            message = failure.event_log_entry.dagster_event.message
            assert "process" in message and "gone" in message, message
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
