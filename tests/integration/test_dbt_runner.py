"""dbt in process (orchestration/dbt_runner.py): what the kept parse may be shared across, and what a build with
current definitions leaves out. Real dbt parses and selections of this project."""

import json

import pytest
from dbt.cli.main import dbtRunner

from orchestration import dbt_runner
from orchestration.assets.dbt import DEFINITION_ONLY, MARTS_SELECT
from orchestration.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration


def _workspace(home):
    return dbt_runner.DbtWorkspace(DBT_PROJECT_DIR, home / "dbt", home / "warehouse.duckdb", 2)


def _parsed(home, as_of: str) -> str:
    """A full parse (no cache), as comparable JSON: no timestamps, the home's path replaced."""
    result = dbt_runner._invoke(_workspace(home), ["parse"], {"as_of_date": as_of}, manifest=None, callbacks=[])
    assert result.success, result.exception
    data = result.result.writable_manifest().to_dict()
    data.pop("metadata")

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "created_at"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x.replace(str(home), "HOME") if isinstance(x, str) else x

    return json.dumps(strip(data), sort_keys=True, default=str)


def test_the_parse_is_the_same_for_another_home_and_another_as_of_date(tmp_path):
    """Why the kept parse is keyed without them (dbt_runner.parse_key, RUNTIME_VARS): as_of_date is read when
    models run, and the warehouse's folder is not in any node."""
    assert "as_of_date" in dbt_runner.RUNTIME_VARS
    assert _parsed(tmp_path / "a", "2025-06-01") == _parsed(tmp_path / "b", "2031-01-01")


def test_a_new_home_starts_from_the_kept_parse(tmp_path):
    first, second = _workspace(tmp_path / "a"), _workspace(tmp_path / "b")
    dbt_vars = {"as_of_date": "2025-06-01"}
    assert dbt_runner.parse_key(first, dbt_vars) == dbt_runner.parse_key(second, {"as_of_date": "2031-01-01"})
    dbt_runner.manifest(first, dbt_vars)
    assert (dbt_runner.parse_cache_dir(DBT_PROJECT_DIR) / f"{dbt_runner.parse_key(first, dbt_vars)}.pickle").exists()
    dbt_runner._manifests.clear()  # as a new process
    parsed = dbt_runner.manifest(second, dbt_vars)
    assert not second.work_dir.exists()  # dbt did not run: no profile, no parse state written for this home
    assert "model.dx_warehouse.fct_indicator_values" in parsed.nodes
    assert parsed.ref_lookup is not None and parsed.fixtures is not None  # fields in place (dbt's pickling misses one)


@pytest.mark.parametrize(
    "select, exclude",
    [("fqn:*", MARTS_SELECT), (MARTS_SELECT, None)],
    ids=["dbt_staging_and_intermediate", "dbt_marts"],
)
def test_a_build_with_current_definitions_leaves_out_views_seeds_and_unit_tests_only(tmp_path, select, exclude):
    """The selection build_step uses when the step's definitions are current: every table and test of the
    step, the tests of views included; no view, seed or unit test."""
    workspace = _workspace(tmp_path)
    workspace.prepare()
    args = workspace.args([], {"as_of_date": "2025-06-01"})

    def listed(*selection):
        result = dbtRunner().invoke(["ls", *selection, *args, "--quiet", "--output", "json"])
        assert result.success, result.exception
        return {node["unique_id"]: node for node in map(json.loads, result.result)}

    full = listed("--select", select, *(["--exclude", exclude] if exclude else []))
    reduced = listed("--indirect-selection", "empty", "--select", select, "--exclude", *filter(None, [exclude]),
                     *DEFINITION_ONLY)  # fmt: skip

    def kind(node):
        return node["config"]["materialized"] if node["resource_type"] == "model" else node["resource_type"]

    expected = {uid for uid, node in full.items() if kind(node) not in {"view", "seed", "unit_test", "source"}}
    assert set(reduced) - {uid for uid, n in reduced.items() if n["resource_type"] == "source"} == expected
    assert any(kind(full[uid]) == "test" and uid in reduced for uid in full)  # the tests of the step still run
