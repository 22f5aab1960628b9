"""Column lineage of the dbt models (issue 12.8): on each model's materialization, derived once per parse.

Read from the shared samples run (a real `dxw run`): its Dagster event log and its warehouse, its dbt folder.
"""

import json

import dagster as dg
import duckdb
import pytest

from orchestration import dbt_lineage, dbt_runner
from orchestration.assets.dbt import translator, translator_manifest
from orchestration.settings import DBT_PROJECT_DIR
from tests.conftest import SAMPLES_AS_OF

pytestmark = pytest.mark.integration


def _lineage(event) -> dict[str, set[tuple[str, str]]]:
    value = event.asset_materialization.metadata["dagster/column_lineage"].value
    return {
        c: {(d.asset_key.to_user_string(), d.column_name) for d in deps} for c, deps in value.deps_by_column.items()
    }


def _marts() -> list[str]:
    nodes = translator_manifest()["nodes"].values()
    return sorted(n["name"] for n in nodes if n["resource_type"] == "model" and n["fqn"][1] == "marts")


def test_each_mart_materialization_names_the_upstream_columns_of_its_columns(samples_run):
    _, home = samples_run
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        events = {name: instance.get_latest_materialization_event(dg.AssetKey([name])) for name in _marts()}
        staged = instance.get_latest_materialization_event(dg.AssetKey(["stg_extraction__observations"]))
    scorecard = _lineage(events["mart_province_scorecard"])
    assert ("fct_indicator_values", "value") in scorecard["eid_accounts_activated"]
    assert scorecard["geo_display_name"] == {("dim_geography", "geo_display_name")}
    assert scorecard["year"] == {("fct_indicator_values", "period_end")}
    assert scorecard["eid_activation_rate_computed"] >= {("fct_indicator_values", "value")}
    assert _lineage(staged)["value"] == {("raw/observations", "value")}  # down to the Python assets' tables
    shown = events["mart_province_scorecard"].asset_materialization.metadata["column lineage"].value
    assert "| geo_display_name | dim_geography: geo_display_name |" in shown  # what the open-source UI shows
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        columns = dbt_lineage.warehouse_columns(con)
    assert len(events) >= 20
    for name, event in events.items():  # every mart: a query sqlglot cannot read would leave one without
        lineage = _lineage(event)
        assert set(lineage) == set(columns[("main", name)]), name
        assert sum(1 for deps in lineage.values() if deps) >= len(lineage) / 2, name


def test_lineage_is_derived_once_per_parse_and_columns(samples_run, tmp_path, monkeypatch):
    """Derived from the compiled SQL on the first call, read from the file after; derived again for a model whose
    own or parents' columns changed, and for a new parse. A query sqlglot cannot read is an error, kept too."""
    _, home = samples_run
    workspace = dbt_runner.DbtWorkspace(DBT_PROJECT_DIR, home / "dbt", home / "warehouse.duckdb", 1)
    parsed = dbt_runner.manifest(workspace, {"as_of_date": SAMPLES_AS_OF})
    manifest = translator_manifest()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        columns = dbt_lineage.warehouse_columns(con)

    def models(columns):
        return dbt_lineage.models(
            manifest, parsed, sorted(manifest["nodes"]), columns, lambda p: tuple(translator.get_asset_key(p).path),
            workspace.target_dir,
        )  # fmt: skip

    derived = []
    columns_of = dbt_lineage.columns_of
    monkeypatch.setattr(dbt_lineage, "columns_of", lambda sql, rel, *a: derived.append(rel) or columns_of(sql, rel, *a))
    first = dbt_lineage.lineage(tmp_path, "parse1", models(columns))
    assert len(derived) == len(first) >= 50 and not [uid for uid, found in first.items() if found.error]
    assert json.loads((tmp_path / "parse1.lineage.json").read_text()).keys() == first.keys()

    derived.clear()
    assert dbt_lineage.lineage(tmp_path, "parse1", models(columns)) == first and derived == []

    values = ("main", "fct_indicator_values")  # a column more: the model and its children are derived again
    changed = {**columns, values: {**columns[values], "added_later": "VARCHAR"}}
    again = dbt_lineage.lineage(tmp_path, "parse1", models(changed))
    children = {c for c in manifest["child_map"]["model.dx_warehouse.fct_indicator_values"] if c.startswith("model.")}
    assert {rel.split(".")[-1].strip('"') for rel in derived} == {values[1]} | {c.split(".")[-1] for c in children}
    assert again["model.dx_warehouse.fct_indicator_values"].deps["added_later"] == []  # the SQL does not name it

    derived.clear()
    dbt_lineage.lineage(tmp_path, "parse2", models(columns))  # the project parsed anew
    assert len(derived) == len(first) and [p.name for p in tmp_path.glob("*.lineage.json")] == ["parse2.lineage.json"]

    broken = tmp_path / "broken.sql"  # what the scorecard was: a CTE named `values`
    broken.write_text("with values as (select 1 as a) select a from values", encoding="utf-8")
    model = dbt_lineage.Model("model.x.broken", '"w"."main"."broken"', broken, {"a": "INTEGER"}, {})
    found = dbt_lineage.lineage(tmp_path, "parse2", [model])["model.x.broken"]
    assert found.deps is None and "ParseError" in found.error
    derived.clear()
    assert dbt_lineage.lineage(tmp_path, "parse2", [model])["model.x.broken"] == found and derived == []
