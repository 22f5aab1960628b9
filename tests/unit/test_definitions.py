"""The Dagster definitions against a committed snapshot (issue 13.4): every asset with its group and the step that
computes it, every dependency, every check, every job with its tags and what it selects, the schedules and
sensors. A change to the graph (a dbt `ref` or a `deps` entry dropped, an asset in another group, a check lost, a
job selecting less) fails here with the lines that changed. When the change is meant, write the snapshot again
and commit it with the change, so that the review sees the graph's difference:

    .venv/bin/pytest tests/unit/test_definitions.py --snapshot-update

The snapshots are tests/unit/snapshots/definitions/*.json, one line per fact. Loading the definitions runs nothing
(no dbt, no warehouse); it needs dbt's manifest, which `make setup` parses. Model: dagster-open-platform's
dagster_open_platform_tests/test_defs.py and its snapshot.
"""

import difflib
import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import build_defs
from orchestration.settings import load_settings
from tests.conftest import REPO, SAMPLES

SNAPSHOTS = Path(__file__).parent / "snapshots" / "definitions"


def _name(key: dg.AssetKey) -> str:
    return key.to_user_string()


@pytest.fixture(scope="module")
def defs(tmp_path_factory) -> dg.Definitions:
    return build_defs(load_settings(home=tmp_path_factory.mktemp("home"), landing=SAMPLES, env={}))


@pytest.fixture
def snapshot(request):
    """Compares with (or, under --snapshot-update, writes) tests/unit/snapshots/definitions/<name>.json."""
    update = request.config.getoption("--snapshot-update")

    def matches(name: str, facts: list[str] | dict) -> None:
        path = SNAPSHOTS / f"{name}.json"
        now = json.dumps(facts, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(now, encoding="utf-8")
            return
        where = path.relative_to(REPO)
        if not path.exists():
            pytest.fail(f"{where} is missing: write it with --snapshot-update", pytrace=False)
        committed = path.read_text(encoding="utf-8")
        if committed != now:
            diff = difflib.unified_diff(
                committed.splitlines(keepends=True), now.splitlines(keepends=True), "committed", "now", n=1
            )
            pytest.fail(
                f"the definitions differ from {where} (if the change is meant: --snapshot-update, and commit the "
                f"file):\n{''.join(diff)}",
                pytrace=False,
            )

    return matches


def test_assets_their_groups_and_steps(defs, snapshot):
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        step = node.assets_def.node_def.name if node.is_materializable else "external"
        assets[_name(key)] = f"group {node.group_name}, step {step}"
    snapshot("assets", assets)


def test_dependencies(defs, snapshot):
    """One line per edge, `upstream → downstream`: a dropped dependency names both ends."""
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    snapshot("dependencies", sorted(f"{_name(p)} → {_name(k)}" for k in keys for p in graph.get(k).parent_keys))


def test_checks(defs, snapshot):
    graph = defs.resolve_asset_graph()
    checks = [
        f"{_name(c.asset_key)}: {c.name}" + (" (blocking)" if graph.get(c).blocking else "")
        for c in graph.asset_check_keys
    ]
    snapshot("checks", sorted(checks))


def test_jobs_their_tags_and_what_they_select(defs, snapshot):
    jobs = [job for job in defs.get_repository_def().get_all_jobs() if not job.name.startswith("__")]  # not Dagster's
    snapshot("job_tags", {job.name: dict(job.tags) for job in jobs})
    snapshot(
        "job_assets", sorted(f"{job.name}: {_name(k)}" for job in jobs for k in job.asset_layer.selected_asset_keys)
    )


def test_schedules_and_sensors(defs, snapshot):
    repo = defs.get_repository_def()
    schedules = {
        s.name: f"job {s.job_name}, cron {s.cron_schedule} ({s.execution_timezone}), {s.default_status.value}"
        for s in repo.schedule_defs
    }
    sensors = {
        s.name: f"{type(s).__name__}, jobs {sorted(j.name for j in s.jobs) if s.has_jobs else []}, every "
        f"{s.minimum_interval_seconds} s, {s.default_status.value}"
        for s in repo.sensor_defs
    }
    snapshot("schedules_and_sensors", {"schedules": schedules, "sensors": sensors})
