"""Where extraction runs: in this process, or as tasks on Dask distributed (a local cluster, or a scheduler's).

Workers only compute: each task extracts a slice of a batch (sources.rows.extract_batch) and returns Arrow
tables; the writer (orchestration/loaders/extracted_facts.py) inserts them, one batch in one transaction. So a
worker that dies mid-task loses nothing: Dask runs the task again on another worker (up to `distributed.scheduler.
allowed-failures` times), and a result is inserted once, by the writer, whatever ran it. A slice whose
workers keep dying is split into single reports; a report that still kills its worker is recorded as failed.

Starting a local cluster costs seconds, so below `min_reports` pending reports extraction runs in this process
(measured: `dxw bench`, BENCHMARKS.md); with one worker it always does.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from orchestration.settings import EXTRACT_CLUSTER_MIN, REPO_ROOT
from sources.rows import ExtractedBatch, ReportText, extract_batch, failed

log = logging.getLogger("dxw.cluster")

WORKER_DIED = "the worker extracting it died (out of memory or crashed) every time it was tried"
NO_WORKER_SECONDS = 120  # a cluster without any worker this long (lost, or scaled to zero) fails the step


@dataclass(frozen=True)
class EngineConfig:
    workers: int = 2  # processes of a local cluster, one thread each
    scheduler: str = ""  # address of a running Dask scheduler (tcp://host:8786); empty: a local cluster
    min_reports: int = EXTRACT_CLUSTER_MIN  # pending reports from which extraction runs on the engine

    def uses_engine(self, pending: int) -> bool:
        if pending < max(self.min_reports, 1):
            return False
        return bool(self.scheduler) or self.workers > 1


class Extractor(Protocol):
    depth: int  # batches kept in flight while the writer writes an earlier one
    where: str

    def submit(self, reports: list[ReportText], schemas: Mapping[str, pa.Schema]) -> Any: ...

    def result(self, handle: Any) -> list[ExtractedBatch]: ...


class InProcess:
    """Extraction in the writer's process: no start-up cost, one core."""

    depth = 0
    where = "in process"

    def submit(self, reports: list[ReportText], schemas: Mapping[str, pa.Schema]) -> list[ExtractedBatch]:
        return [extract_batch(reports, schemas)]

    def result(self, handle: list[ExtractedBatch]) -> list[ExtractedBatch]:
        return handle


class DaskExtractor:
    """Batches split into tasks on a Dask client; the next batch computes while the writer writes this one."""

    depth = 1

    def __init__(self, client, where: str):
        self.client = client
        self.where = where

    @property
    def slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, reports: list[ReportText], schemas: Mapping[str, pa.Schema]) -> list[tuple]:
        size = max(1, math.ceil(len(reports) / (2 * self.slots)))  # two tasks a worker: no idle tail
        slices = [reports[i : i + size] for i in range(0, len(reports), size)]
        return [(s, schemas, self.client.submit(extract_batch, s, schemas, key=_key("slice"))) for s in slices]

    def result(self, handle: list[tuple]) -> list[ExtractedBatch]:
        from distributed import KilledWorker

        out = []
        for reports, schemas, future in handle:
            try:
                out.append(self._wait(future))
            except KilledWorker:
                out.extend(self._one_by_one(reports, schemas))
        return out

    def _one_by_one(self, reports: list[ReportText], schemas: Mapping[str, pa.Schema]) -> list[ExtractedBatch]:
        """A slice whose workers kept dying: each report on its own, one at a time, so that a report that dies is
        the one at fault (tasks queued on a worker die with it), and only it fails."""
        from distributed import KilledWorker

        log.warning("extraction: a slice of %d reports kept killing its workers; one by one now", len(reports))
        out = []
        for report in reports:
            future = self.client.submit(extract_batch, [report], schemas, key=_key(f"report-{report.version_id}"))
            try:
                out.append(self._wait(future))
            except KilledWorker:
                log.error("extraction of %s killed its worker every time: recorded as failed", report.version_id)
                out.append(failed(report, schemas, WORKER_DIED))
        return out

    def _wait(self, future):
        """The task's result; a clear error, not a wait forever, when the cluster has no worker left."""
        alone_since = None
        while True:
            try:
                return future.result(timeout=5)
            except TimeoutError:
                if self.client.nthreads():
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > NO_WORKER_SECONDS:
                    raise RuntimeError(
                        f"{self.where} has had no worker for {NO_WORKER_SECONDS} s: extraction cannot go on "
                        "(nothing of this batch was written; the step's retry or the next run starts it again)"
                    ) from None


def _key(what: str) -> str:
    """A task's key, as the Dask dashboard shows it: a slice of a batch, or one report retried on its own."""
    return f"extract-{what}-{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def extractor(config: EngineConfig, pending: int, say: Callable[[str], None] = log.info) -> Iterator[Extractor]:
    """In-process below the threshold; otherwise a Dask client (a local cluster started here, or the scheduler's
    cluster) that has been sent the code, closed on exit."""
    if not config.uses_engine(pending):
        yield InProcess()
        return
    with dask_extractor(config, say) as ex:
        say(f"extract: {pending} reports on {ex.where} ({ex.slots} worker threads)")
        yield ex


@contextlib.contextmanager
def dask_extractor(config: EngineConfig, say: Callable[[str], None] = log.info) -> Iterator[DaskExtractor]:
    """A Dask client (a local cluster of `config.workers` started here, or the scheduler's cluster) that has
    been sent the code; closed on exit."""
    with _client(config, say) as (client, where):
        ship_code(client)
        yield DaskExtractor(client, where)


@contextlib.contextmanager
def _client(config: EngineConfig, say: Callable[[str], None]) -> Iterator[tuple[Any, str]]:
    from distributed import Client, LocalCluster

    if config.scheduler:
        try:
            client = Client(config.scheduler, timeout="20s")
        except OSError as e:
            raise ConnectionError(f"DXW_DASK_SCHEDULER={config.scheduler}: no Dask scheduler answers ({e})") from e
        with client:
            yield client, f"the Dask cluster at {config.scheduler}"
        return
    say(f"extract: starting a local Dask cluster of {config.workers} worker processes")
    with (
        LocalCluster(
            n_workers=config.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client, f"a local Dask cluster of {config.workers} workers"


def ship_code(client) -> None:
    """Send `sources/` to every worker of the client's cluster (orchestration/worker_code.py)."""
    import cloudpickle

    from orchestration import worker_code

    cloudpickle.register_pickle_by_value(worker_code)  # the workers have no copy of this project
    client.register_plugin(worker_code.ShipSources(worker_code.package_zip(REPO_ROOT)))
