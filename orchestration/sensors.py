"""Sensors: new, changed or removed files in the landing folder start a run; failed runs are recorded.

What the landing sensor compares the folder with is what the warehouse holds (`raw.files`: each file's
fingerprint as ingest last recorded it), not a memory of its own: files loaded by `dxw run` before the UI
started start nothing, and a change whose run failed before ingest is asked for again. A run key names the
change and the warehouse state it applies to, so the same change made twice (remove A, add it back, remove it
again) is two runs, while ticks that see a change whose run is still queued ask for that run only once.
"""

import hashlib
import json
import time
from datetime import UTC, datetime

import dagster as dg
import duckdb

from orchestration.jobs import full_pipeline
from orchestration.resources import LandingResource, WarehouseResource
from sources.landing import scan

GONE = ("withdrawn", "removed")  # statuses of files no longer in the folder


def warehouse_state(warehouse: WarehouseResource) -> tuple[dict[str, str], str] | None:
    """(path → fingerprint of the files the warehouse accounts for, a stamp of that state); None while a run
    holds the warehouse (DuckDB lets no other process in), or {} before the first ingest."""
    if not warehouse.path.exists():
        return {}, "empty"
    try:
        con = duckdb.connect(str(warehouse.path), read_only=True)
    except duckdb.IOException:
        return None
    try:
        has = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'files'"
        ).fetchone()[0]
        if not has:
            return {}, "empty"
        rows = con.execute(
            "select file_path, fingerprint from raw.files where status not in (select unnest(?))", [list(GONE)]
        ).fetchall()
        stamp = con.execute("select coalesce(max(updated_at)::varchar, '') || count(*) from raw.files").fetchone()[0]
    finally:
        con.close()
    return dict(rows), stamp


@dg.sensor(
    job=full_pipeline,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the pipeline when files land, change or leave the landing folder (compared with what "
    "the warehouse holds). A file still being written (modified in the last DXW_SENSOR_DEBOUNCE_SECONDS) waits "
    "for the next tick.",
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource, landing: LandingResource):
    state = warehouse_state(warehouse)
    if state is None:
        return dg.SkipReason("a run is writing the warehouse; looking again at the next tick")
    held, stamp = state
    now_ns = time.time_ns()
    current: dict[str, str] = {}
    settling = 0
    for f in scan(landing.path):
        if now_ns - max(f.mtime_ns, f.sidecar_mtime_ns) < landing.debounce_seconds * 1e9:
            settling += 1
            if f.rel_path in held:
                current[f.rel_path] = held[f.rel_path]  # decide on it once it settles
            continue
        current[f.rel_path] = f.fingerprint
    changed = sorted(p for p, fp in current.items() if held.get(p) != fp)
    removed = sorted(p for p in held if p not in current)
    if not changed and not removed:
        note = f" ({settling} still being written)" if settling else ""
        return dg.SkipReason(f"the warehouse holds every file of the landing folder as it is{note}")
    change = json.dumps([stamp, [(p, current[p]) for p in changed], removed])
    digest = hashlib.sha256(change.encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"landing-{digest}",
        tags={"dxw/changed_files": str(len(changed)), "dxw/removed_files": str(len(removed))},
    )


@dg.run_failure_sensor(
    name="record_run_failures",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Appends every failed run to <home>/logs/run_failures.jsonl.",
)
def record_run_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource):
    log_dir = warehouse.home_path / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    entry = {
        "run_id": context.dagster_run.run_id,
        "job": context.dagster_run.job_name,
        "failed_at": datetime.now(UTC).isoformat(),
        "message": context.failure_event.message,
    }
    with open(log_dir / "run_failures.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    context.log.error(f"run {entry['run_id']} of {entry['job']} failed: {entry['message']}")
