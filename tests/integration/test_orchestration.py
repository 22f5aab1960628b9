"""The Dagster side: definitions, sensor, schedule, one writer at a time, and the UI's GraphQL endpoint."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import build_defs
from orchestration.resources import WarehouseResource
from orchestration.sensors import decode_cursor, landing_sensor
from orchestration.settings import load_settings
from tests.conftest import REPO, SAMPLES

DXW = str(Path(sys.executable).with_name("dxw"))
pytestmark = pytest.mark.integration


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXW_", "DAGSTER_"))}
    return {**env, **extra}


def test_definitions_load_one_graph_from_landing_to_serving(tmp_path):
    defs = build_defs(load_settings(home=tmp_path / "home", landing=SAMPLES))
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {
        "raw/files",
        "raw/reports",
        "raw/observations",
        "stg_extraction__observations",
        "int_observation_rule_inputs",
        "quality/observation_flags",
        "fct_indicator_observations",
        "fct_indicator_values",
        "mart_province_scorecard",
        "serving/warehouse",
        "serving/report",
        "serving/dbt_docs",
    } <= keys
    # the dbt sources are the Python assets: lineage runs from the landing folder to the serving copy
    assert dg.AssetKey(["raw", "observations"]) in graph.get(dg.AssetKey(["stg_extraction__observations"])).parent_keys
    assert (
        dg.AssetKey(["quality", "observation_flags"])
        in graph.get(dg.AssetKey(["stg_quality__observation_flags"])).parent_keys
    )
    groups = {graph.get(dg.AssetKey(k.split("/"))).group_name for k in keys}
    assert {"ingest", "extract", "staging", "intermediate", "quality", "marts", "serve"} <= groups
    checks = {c.name for c in graph.asset_check_keys}
    assert {"r1_activated_within_eligible", "r8_reports_agree", "hard_rule_share"} <= checks
    assert any(name.startswith("unique_") for name in checks)  # dbt tests are checks too
    assert {j.name for j in defs.jobs} >= {"dxw_full_pipeline", "ingest_job", "models_and_checks_job", "publish_job"}


def test_dagster_definitions_validate(tmp_path):
    out = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_clean_env(DXW_HOME=str(tmp_path)),
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def _age(path: Path, seconds: float = 60) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def _evaluate(resource, cursor):
    context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": resource})
    return landing_sensor(context), context.cursor


def test_the_sensor_requests_a_run_for_new_changed_and_removed_files_only(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    for f in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(f, landing / f.name)
        _age(landing / f.name)
    resource = WarehouseResource.from_settings(load_settings(home=tmp_path / "home", landing=landing))
    first, cursor = _evaluate(resource, None)
    assert isinstance(first, dg.RunRequest) and first.tags["dxw/changed_files"] == "3"
    assert len(decode_cursor(cursor)) == 3
    again, same_cursor = _evaluate(resource, cursor)
    assert isinstance(again, dg.SkipReason)
    assert same_cursor == cursor
    # a file still being written (modified just now) waits for a later tick: debounce
    new = landing / "2025-05-05_moi.txt"
    new.write_text("Sáng 5/5/2025, UBND tỉnh Cao Bằng tổ chức hội nghị.", encoding="utf-8")
    waiting, cursor2 = _evaluate(resource, cursor)
    assert isinstance(waiting, dg.SkipReason) and "still being written" in waiting.skip_message
    _age(new)
    settled, cursor3 = _evaluate(resource, cursor2)
    assert isinstance(settled, dg.RunRequest) and settled.tags["dxw/changed_files"] == "1"
    # a changed file, then a removed one
    changed = sorted(landing.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một câu.", encoding="utf-8")
    _age(changed, 30)
    third, cursor4 = _evaluate(resource, cursor3)
    assert isinstance(third, dg.RunRequest) and third.tags["dxw/changed_files"] == "1"
    assert third.run_key != settled.run_key
    new.unlink()
    fourth, _ = _evaluate(resource, cursor4)
    assert isinstance(fourth, dg.RunRequest) and fourth.tags["dxw/removed_files"] == "1"


def test_the_daily_schedule_evaluates_on_vietnam_time(tmp_path):
    defs = build_defs(load_settings(home=tmp_path / "home", landing=SAMPLES))
    schedule = defs.resolve_schedule_def("daily_models_and_checks")
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert schedule.cron_schedule == "0 6 * * *"
    when = datetime(2026, 1, 2, 6, 0, tzinfo=timezone(timedelta(hours=7)))
    requests = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=when)).run_requests
    assert len(requests) == 1 and schedule.job_name == "models_and_checks_job"


def test_two_runs_launched_together_both_succeed_one_after_the_other(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(SAMPLES, landing)
    cmd = [DXW, "run", "--landing", str(landing), "--home", str(home)]
    env = _clean_env(DXW_AS_OF_DATE="2025-06-01")
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(1)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out1, err1 = first.communicate(timeout=900)
    out2, err2 = second.communicate(timeout=900)
    assert first.returncode == 0, out1[-2000:] + err1[-2000:]
    assert second.returncode == 0, out2[-2000:] + err2[-2000:]
    summaries = [o[o.find("dx-warehouse run") :] for o in (out1, out2)]
    # one of them loaded the reports, the other found nothing new: they ran one after the other
    assert sorted("(10 new this run)" in s for s in summaries) == [False, True]
    assert "waiting" in err1 + err2  # the one that queued said so


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_ui_serves_the_graph_over_graphql(tmp_path):
    port = _free_port()
    ui = subprocess.Popen(
        [DXW, "ui", "--home", str(tmp_path / "home"), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_clean_env(),
        start_new_session=True,
    )
    query = {
        "query": "{ assetNodes { assetKey { path } groupName assetChecksOrError { ... on AssetChecks "
        "{ checks { name } } } } }"
    }
    try:
        deadline = time.time() + 240
        result = None
        while time.time() < deadline:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/graphql",
                    data=json.dumps(query).encode(),
                    headers={"Content-Type": "application/json"},
                )
                result = json.loads(urllib.request.urlopen(request, timeout=10).read())
                if result.get("data", {}).get("assetNodes"):
                    break
            except (OSError, ValueError):
                pass
            time.sleep(3)
        assert result and result["data"]["assetNodes"], result
        nodes = result["data"]["assetNodes"]
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert {"raw/observations", "fct_indicator_values", "serving/warehouse"} <= keys
        checks = {c["name"] for n in nodes for c in (n["assetChecksOrError"].get("checks") or [])}
        assert {"r1_activated_within_eligible", "hard_rule_share"} <= checks
    finally:
        os.killpg(ui.pid, 15)
        ui.wait(timeout=60)
