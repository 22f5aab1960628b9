"""Runs whose process died (kill -9, out of memory, a reboot) are marked failed, so the one-writer queue moves on.

The run queue admits one run tagged `dxw/writer=warehouse` at a time and counts every run still STARTED. A run
whose process is killed never reports its end, so it stayed STARTED and the queue waited for it forever. Dagster's
run monitoring (the daemon's `run_monitoring` in `dagster.yaml`) asks the run launcher whether each STARTED run's
worker is alive, but Dagster's default launcher cannot tell. `PidCheckingRunLauncher` is that launcher with the
answer: the process that started the run (the pid on its RUN_START event: the `dxw run` process, or the run worker
the daemon launched) is alive, or gone; a pid that now belongs to a process started later is gone too. `dxw run`
applies the same check before it starts, so a killed `dxw run` shows as failed even where no daemon runs.

One machine: the SQLite run storage under the data folder is local, so a run's pid is a pid of this host.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus


def process_alive(pid: int, started_by: float) -> bool:
    """Is `pid` a live process that was already running at `started_by` (a Unix time)? A pid the kernel gave
    to a newer process after the first one died is not the same process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    started = _process_start(pid)
    return started is None or started <= started_by + 1.0  # the clock ticks are 10 ms; the event comes later


def _process_start(pid: int) -> float | None:
    """When `pid` started (Unix time), from /proc; None where there is no /proc (then only liveness counts)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        since_boot = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.time() - time.clock_gettime(time.CLOCK_BOOTTIME) + since_boot
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def worker_health(instance: DagsterInstance, run: DagsterRun) -> CheckRunHealthResult:
    """RUNNING while the process that started `run` lives, FAILED once it is gone."""
    records = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.RUN_START, limit=1).records
    if not records:
        return CheckRunHealthResult(WorkerStatus.RUNNING, "not started yet")  # STARTING: the start timeout applies
    entry = records[0].event_log_entry
    pid = entry.dagster_event.pid if entry.dagster_event else None
    if pid is None:
        return CheckRunHealthResult(WorkerStatus.RUNNING, "its start event names no process")
    if process_alive(pid, entry.timestamp):
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"process {pid} is running")
    return CheckRunHealthResult(
        WorkerStatus.FAILED,
        f"the process that ran it (pid {pid}) is gone: killed or crashed without ending the run; marked failed so "
        "that the runs queued behind it can start",
    )


class PidCheckingRunLauncher(DefaultRunLauncher):
    """Dagster's default launcher, able to tell run monitoring whether a run's process is still alive."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        return worker_health(self._instance, run)


def fail_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark every STARTED run whose process is gone as failed (what the daemon's monitoring does each poll);
    the ids of the runs marked."""
    marked = []
    for run in instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        health = worker_health(instance, run)
        if health.status == WorkerStatus.FAILED:
            instance.report_run_failed(run, f"Detected run worker status {health}. Marking run {run.run_id} as failed.")
            marked.append(run.run_id)
    return marked
