"""The Dagster side: definitions, sensor, schedule, one writer at a time, and the UI's GraphQL endpoint. The graph
itself (assets, dependencies, checks, jobs, schedules, sensors) is compared with a snapshot in
tests/unit/test_definitions.py."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import build_defs
from orchestration.resources import resources_from
from orchestration.run import prepare_dagster_home
from orchestration.sensors import landing_sensor
from orchestration.settings import load_settings
from tests.conftest import REPO, SAMPLES, clean_env, copy_home

DXW = str(Path(sys.executable).with_name("dxw"))
pytestmark = pytest.mark.integration


def test_the_two_dbt_steps_have_clear_names_and_the_graph_does_not_loop_back(tmp_path):
    defs = build_defs(load_settings(home=tmp_path / "home", landing=SAMPLES))
    graph = defs.resolve_asset_graph()
    node = {
        k: graph.get(k).assets_def.node_def.name for k in graph.get_all_asset_keys() if graph.get(k).is_materializable
    }
    assert node[dg.AssetKey(["int_observation_rule_inputs"])] == "dbt_staging_and_intermediate"
    assert node[dg.AssetKey(["fct_indicator_values"])] == "dbt_marts"
    assert node[dg.AssetKey(["dim_geography"])] == "dbt_marts"
    # no dependency was added by hand: a seed waits for nothing, a dimension does not wait for the flags
    assert not graph.get(dg.AssetKey(["reference", "indicators"])).parent_keys
    assert dg.AssetKey(["quality", "observation_flags"]) not in graph.get(dg.AssetKey(["dim_geography"])).parent_keys
    # every asset has an owner; Python assets say what they are
    for key in graph.get_all_asset_keys():
        if graph.get(key).is_materializable:
            assert graph.get(key).owners, key
    assert "python" in graph.get(dg.AssetKey(["raw", "files"])).kinds
    assert graph.get(dg.AssetKey(["fct_indicator_values"])).freshness_policy is not None


def test_dagster_definitions_validate(tmp_path):
    out = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=clean_env(DXW_HOME=str(tmp_path)),
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_importing_the_definitions_does_no_work(tmp_path):
    """No settings read, no environment written, no dbt parse: Dagster builds the definitions when it loads them."""
    code = (
        "import os, sys; before = dict(os.environ); import orchestration.definitions as d; "
        "assert dict(os.environ) == before, 'environment changed'; "
        "assert 'dbt.cli.main' not in sys.modules, 'dbt imported'; "
        "assert 'orchestration.assets.dbt' not in sys.modules, 'assets built'; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=clean_env(DXW_HOME=str(tmp_path))
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def _age(path: Path, seconds: float = 60) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def _sensor(home: Path, landing: Path):
    resources = resources_from(load_settings(home=home, landing=landing))

    def evaluate():
        context = dg.build_sensor_context(
            resources={"warehouse": resources["warehouse"], "landing": resources["landing"]}
        )
        return landing_sensor(context)

    return evaluate


def _run(landing: Path, home: Path) -> subprocess.CompletedProcess:
    out = subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home), "--force"],
        capture_output=True,
        text=True,
        timeout=600,
        env=clean_env(DXW_AS_OF_DATE="2025-06-01"),
    )
    assert out.returncode in (0, 2), out.stdout[-2000:] + out.stderr[-2000:]
    return out


def _ingest(landing: Path, home: Path) -> None:
    """The ingest job alone (what the landing sensor compares the folder with is `raw.files`), in-process on the
    home's instance: a full run would only add dbt and publishing, which the sensor does not read."""
    settings = load_settings(home=home, landing=landing, env={"DXW_AS_OF_DATE": "2025-06-01"})
    job = build_defs(settings).resolve_job_def("ingest_job")
    with dg.DagsterInstance.from_config(str(prepare_dagster_home(settings))) as instance:
        assert job.execute_in_process(instance=instance, raise_on_error=False).success


@pytest.fixture(scope="module")
def sensor_home(tmp_path_factory, samples_run):
    """The samples loaded by `dxw run`, as a user would before starting the UI (a copy of the session's run)."""
    root = tmp_path_factory.mktemp("sensor")
    landing, home = root / "landing", root / "home"
    copy_home(samples_run, landing, home)
    return landing, home


def test_the_sensor_compares_the_folder_with_what_the_warehouse_holds(sensor_home):
    landing, home = sensor_home
    evaluate = _sensor(home, landing)
    # the first tick after `dxw run`: nothing to do (the warehouse holds these files as they are)
    first = evaluate()
    assert isinstance(first, dg.SkipReason) and "holds every file" in first.skip_message
    # a file still being written (modified just now) waits for a later tick: debounce
    new = landing / "2025-05-05_moi.txt"
    new.write_text("Sáng 5/5/2025, UBND tỉnh Cao Bằng tổ chức hội nghị.", encoding="utf-8")
    waiting = evaluate()
    assert isinstance(waiting, dg.SkipReason) and "still being written" in waiting.skip_message
    _age(new)
    settled = evaluate()
    assert isinstance(settled, dg.RunRequest) and settled.tags["dxw/changed_files"] == "1"
    # the run has not happened yet: the next tick asks for the same run (same key), not another one
    assert evaluate().run_key == settled.run_key
    new.unlink()
    assert isinstance(evaluate(), dg.SkipReason)  # gone before it was loaded: nothing to do
    changed = sorted(landing.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một câu.", encoding="utf-8")
    _age(changed, 30)
    edit = evaluate()
    assert isinstance(edit, dg.RunRequest) and edit.tags["dxw/changed_files"] == "1"


def test_removing_the_same_file_twice_is_two_runs(sensor_home, tmp_path):
    landing, home = sensor_home
    evaluate = _sensor(home, landing)
    target = sorted(landing.glob("*.txt"))[-1]
    kept = tmp_path / target.name
    shutil.copy2(target, kept)
    _run(landing, home)  # whatever the previous test changed is loaded
    target.unlink()
    first_removal = evaluate()
    assert isinstance(first_removal, dg.RunRequest) and first_removal.tags["dxw/removed_files"] == "1"
    _ingest(landing, home)  # withdrawn
    assert isinstance(evaluate(), dg.SkipReason)
    shutil.copy2(kept, target)
    back = evaluate()
    assert isinstance(back, dg.RunRequest) and back.tags["dxw/changed_files"] == "1"
    _ingest(landing, home)  # loaded again
    assert isinstance(evaluate(), dg.SkipReason)
    target.unlink()
    second_removal = evaluate()
    assert isinstance(second_removal, dg.RunRequest) and second_removal.tags["dxw/removed_files"] == "1"
    assert second_removal.run_key != first_removal.run_key  # Dagster would skip a reused key: the withdrawal lost


def test_runs_are_kept_in_one_event_log_that_the_ui_reads(sensor_home):
    """dxw's pooled SQLite storage (orchestration/dagster_storage.py): one event file, not one per run, read back
    through Dagster's own instance as the UI reads it."""
    _, home = sensor_home
    history = home / "dagster" / "storage" / "history"
    assert (history / "event_log.db").exists() and (history / "runs.db").exists()
    assert not (history / "runs").exists()  # Dagster's default layout: a file per run
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert type(instance.event_log_storage).__name__ == "PooledSqliteEventLogStorage"
        records = instance.get_run_records()
        assert len(records) >= 3  # the runs of the test before: a full run, then two of the ingest job
        run_id = next(r.dagster_run.run_id for r in records if r.dagster_run.job_name == "dxw_full_pipeline")
        assert {s.step_key for s in instance.get_run_step_stats(run_id)} >= {"dbt_marts", "serving__warehouse"}
        materialized = instance.get_latest_materialization_event(dg.AssetKey(["fct_indicator_values"]))
        assert materialized is not None and materialized.run_id == run_id


def test_the_daily_schedule_rebuilds_validates_and_republishes(tmp_path):
    defs = build_defs(load_settings(home=tmp_path / "home", landing=SAMPLES))
    schedule = defs.resolve_schedule_def("daily_refresh_and_publish")
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert schedule.cron_schedule == "0 6 * * *"
    when = datetime(2026, 1, 2, 6, 0, tzinfo=timezone(timedelta(hours=7)))
    requests = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=when)).run_requests
    assert len(requests) == 1 and schedule.job_name == "refresh_and_publish_job"
    job = defs.resolve_job_def("refresh_and_publish_job")
    selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert {"fct_instructions", "quality/observation_flags", "serving/warehouse", "serving/report"} <= selected
    assert not {"raw/files", "raw/observations"} & selected  # it reads no files


def test_the_daily_refresh_moves_what_bi_tools_read_to_the_new_as_of_date(sensor_home, tmp_path):
    """A real materialization of the daily job: the published copy follows the as-of date."""
    landing, home = sensor_home
    defs = build_defs(load_settings(home=home, landing=landing, env={"DXW_AS_OF_DATE": "2031-01-01"}))
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("refresh_and_publish_job").execute_in_process(instance=instance)
    assert result.success
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        as_of = con.execute("select distinct as_of_date from fct_instructions").fetchall()
        overdue = con.execute(
            "select count(*) from fct_instructions where deadline_date is not null and not is_overdue"
        )
        assert as_of == [(datetime(2031, 1, 1).date(),)]
        assert overdue.fetchone()[0] == 0  # every dated instruction is overdue in 2031


def test_two_runs_launched_together_both_succeed_one_after_the_other(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(SAMPLES, landing)
    cmd = [DXW, "run", "--landing", str(landing), "--home", str(home)]
    env = clean_env(DXW_AS_OF_DATE="2025-06-01")
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


def _graphql(port: int, query: str, deadline: float) -> dict | None:
    result = None
    while time.time() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/graphql",
                data=json.dumps({"query": query}).encode(),
                headers={"Content-Type": "application/json"},
            )
            result = json.loads(urllib.request.urlopen(request, timeout=10).read())
            if result.get("data", {}).get("assetNodes"):
                return result
        except (OSError, ValueError):
            pass
        time.sleep(2)
    return result


def _processes_of(home: Path) -> list[int]:
    """Live processes started for this home (dxw ui hands its settings to Dagster's processes as environment)."""
    marker = f"DXW_HOME={home}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0") and b"Z" not in _state(proc):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _state(proc: Path) -> bytes:
    return (proc / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]


def test_the_ui_serves_the_graph_and_stops_on_sigterm(tmp_path):
    port, docs_port = _free_port(), _free_port()
    home = (tmp_path / "home").resolve()
    ui = subprocess.Popen(
        [DXW, "ui", "--home", str(home), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**clean_env(), "DXW_DOCS_PORT": str(docs_port)},
        start_new_session=True,
    )
    query = (
        "{ assetNodes { assetKey { path } groupName assetChecksOrError { ... on AssetChecks { checks { name } } } } }"
    )
    try:
        result = _graphql(port, query, time.time() + 240)
        assert result and result["data"]["assetNodes"], result
        nodes = result["data"]["assetNodes"]
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert {"raw/observations", "fct_indicator_values", "serving/warehouse"} <= keys
        checks = {c["name"] for n in nodes for c in (n["assetChecksOrError"].get("checks") or [])}
        assert {"r1_activated_within_eligible", "hard_rule_share", "dbt_tests"} <= checks
        # beside it, the serving folder over http: the UI's links to the report and docs open (issue 12.7)
        with urllib.request.urlopen(f"http://127.0.0.1:{docs_port}/", timeout=10) as served:
            assert served.status == 200
        # SIGTERM (what service managers and CI harnesses send) stops the webserver, daemon and code server
        assert len(_processes_of(home)) >= 3  # webserver, daemon, code server
        stopped_at = time.time()
        ui.send_signal(signal.SIGTERM)
        ui.wait(timeout=60)
        while _processes_of(home) and time.time() - stopped_at < 60:
            time.sleep(0.5)
        assert not _processes_of(home), "dagster dev's processes outlived SIGTERM"
        assert time.time() - stopped_at < 60
        with pytest.raises(OSError):  # the serving folder's server went with it
            urllib.request.urlopen(f"http://127.0.0.1:{docs_port}/", timeout=5)
    finally:
        _kill_groups(ui, home)


def _kill_groups(ui: subprocess.Popen, home: Path, timeout: float = 30) -> None:
    """Whatever the test left (a failed assertion, a `dagster dev` that ignores SIGINT as under some CI
    harnesses): SIGKILL to every process group of the UI's processes, dxw ui's own and the one it starts
    `dagster dev` in, until none is left. A group at once: a parent killed alone could restart its children."""
    deadline = time.time() + timeout
    while True:
        groups = {ui.pid}
        for pid in _processes_of(home):
            with contextlib.suppress(ProcessLookupError):
                groups.add(os.getpgid(pid))
        for group in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            ui.wait(timeout=1)
        if not _processes_of(home) or time.time() > deadline:
            break
    assert not _processes_of(home), "processes of dagster dev outlived SIGKILL to their groups"
