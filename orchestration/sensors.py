"""Sensors: new or changed files in the landing folder start a run; failed runs are recorded for operators."""

import base64
import hashlib
import json
import os
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from orchestration.jobs import full_pipeline
from orchestration.resources import WarehouseResource
from sources import landing


def encode_cursor(state: dict[str, str]) -> str:
    return base64.b64encode(zlib.compress(json.dumps(state, sort_keys=True).encode())).decode()


def decode_cursor(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        return json.loads(zlib.decompress(base64.b64decode(cursor)))
    except (ValueError, zlib.error):
        return {}


@dg.sensor(
    job=full_pipeline,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the pipeline when files land, change or leave the landing folder. A file still "
    "being written (modified in the last DXW_SENSOR_DEBOUNCE_SECONDS) waits for the next tick.",
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    debounce = float(os.environ.get("DXW_SENSOR_DEBOUNCE_SECONDS", "10"))
    previous = decode_cursor(context.cursor)
    now_ns = time.time_ns()
    current: dict[str, str] = {}
    settling = 0
    for f in landing.scan(Path(warehouse.landing)):
        if now_ns - max(f.mtime_ns, f.sidecar_mtime_ns) < debounce * 1e9:
            settling += 1
            if f.rel_path in previous:
                current[f.rel_path] = previous[f.rel_path]  # decide on it once it settles
            continue
        current[f.rel_path] = f.fingerprint
    changed = sorted(p for p, fp in current.items() if previous.get(p) != fp)
    removed = sorted(p for p in previous if p not in current and p not in changed)
    if not changed and not removed:
        return dg.SkipReason(
            f"no new, changed or removed files ({settling} still being written)"
            if settling
            else "no new, changed or removed files"
        )
    context.update_cursor(encode_cursor(current))
    digest = hashlib.sha256(json.dumps([changed, removed, [current[p] for p in changed]]).encode()).hexdigest()[:16]
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
