"""dbt models (staging → intermediate → marts) as assets, and their dbt tests as asset checks.

The translator puts each model in the group of its folder; dbt sources keep dagster-dbt's default keys
(`raw/observations`, `quality/observation_flags`), which are the keys of the Python assets that write them,
so the lineage reads from landing folder to marts in one graph.
"""

import json
import shutil
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.assets.quality import FLAGS_KEY
from orchestration.dbt_project import dbt_project, ensure_manifest, keep_parse_state
from orchestration.resources import WarehouseResource, export_for_subprocesses

ensure_manifest()


class Translator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        kind = dbt_resource_props["resource_type"]
        if kind == "model":
            return dg.AssetKey([dbt_resource_props["name"]])  # fct_indicator_values, as BI users know it
        if kind == "seed":
            return dg.AssetKey(["reference", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)  # sources: raw/observations, quality/observation_flags

    def get_asset_spec(self, manifest, unique_id, project):
        # Two dbt invocations per run, before and after the quality flags. Seeds and landing staging would
        # otherwise get a dbt step of their own before extraction ends: they wait for it. Every mart waits
        # for the flags, so that the tests between marts (fct → dim relationships) run once all of them are
        # built, in the second invocation, instead of in the first against facts not built yet.
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or {}
        if node.get("resource_type") == "seed" or node.get("name", "").startswith("stg_landing__"):
            spec = spec.merge_attributes(deps=[dg.AssetKey(["raw", "extractions"])])
        elif node.get("resource_type") == "model" and node.get("fqn", [None, None])[1] == "marts":
            spec = spec.merge_attributes(deps=[FLAGS_KEY])
        return spec

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2:
            return fqn[1]  # staging | intermediate | marts
        return super().get_group_name(dbt_resource_props)

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        # A failing dbt test is a failed check (exit code 2), not a failed step; only the share of hard rule
        # failures blocks publishing (orchestration/checks/expectations.py).
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        return spec._replace(blocking=False) if spec is not None else None


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    op_tags={"dxw/writer": "warehouse"},
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of the selected models, seeds and tests."""
    export_for_subprocesses(warehouse)
    with warehouse.locked(context):
        dbt_vars = json.dumps({"as_of_date": warehouse.as_of.isoformat()})
        invocation = dbt.cli(["build", "--vars", dbt_vars], context=context, raise_on_error=False)
        yield from invocation.stream()
    results = invocation.get_artifact("run_results.json").get("results", [])
    keep_parse_state(invocation.target_path)
    shutil.rmtree(invocation.target_path, ignore_errors=True)  # one folder per invocation would pile up
    broken = [
        r["unique_id"]
        for r in results
        if r.get("status") in {"error", "runtime error"} and not r["unique_id"].startswith(("test.", "unit_test."))
    ]
    if broken:  # raise_on_error=False keeps failed tests as checks; a broken model is still a failed step
        raise dg.Failure(
            f"dbt models failed: {', '.join(broken)}",
            metadata={"failed_nodes": dg.MetadataValue.json(broken)},
        )
