"""dbt models as assets, in two steps either side of the quality flags, and their tests as one check per model.

- `dbt_staging_and_intermediate`: seeds, staging and intermediate models (up to the inputs of the rules).
- `dbt_marts`: what reads the quality flags (the flagged observations and every mart).
The split follows the data: the Great Expectations step (`quality/observation_flags`) reads
`int_observation_rule_inputs` and the marts read its flags, so no artificial dependency is needed.

dbt's tests of a model are one check, `dbt_tests`, on that model (its metadata lists each test and its
status): the UI shows them with the model, and a run records a few dozen check events instead of one per
test. A failing test fails its check (exit code 2 of `dxw run`), never the step; a broken model fails the step.
"""

from collections.abc import Iterator, Mapping
from datetime import timedelta
from functools import cache
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.asset_utils import get_asset_check_key_for_test
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration import dbt_runner
from orchestration.assets.defaults import OWNERS, WRITER_TAGS
from orchestration.assets.metadata import table_preview
from orchestration.dbt_project import dbt_project, manifest_path
from orchestration.resources import DbtResource, WarehouseResource

TESTS_CHECK = "dbt_tests"
MARTS_SELECT = "path:models/marts source:quality+"
MARTS_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=30), warn_window=timedelta(hours=25))


class Translator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        kind = dbt_resource_props["resource_type"]
        if kind == "model":
            return dg.AssetKey([dbt_resource_props["name"]])  # fct_indicator_values, as BI users know it
        if kind == "seed":
            return dg.AssetKey(["reference", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)  # sources: raw/observations, quality/observation_flags

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2:
            return fqn[1]  # staging | intermediate | marts
        return super().get_group_name(dbt_resource_props)

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or {}
        if node.get("resource_type") not in {"model", "seed"}:
            return spec
        spec = spec.merge_attributes(owners=OWNERS)
        if node.get("fqn", [None, None])[1] == "marts":  # what BI tools read: rebuilt every day by the schedule
            spec = spec.replace_attributes(freshness_policy=MARTS_FRESHNESS)
        return spec

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """Every test of a model maps to the model's one `dbt_tests` check (dagster-dbt keeps one spec per
        name and asset), which depends on every model its tests read."""
        key = get_asset_check_key_for_test(manifest, self, unique_id, project)
        if key is None or key.asset_key != asset_spec.key:
            return None
        tests = _tests_of(manifest, asset_spec.key, self, project)
        parents = {p for t in tests for p in manifest["parent_map"].get(t, [])}
        deps = {self.get_asset_spec(manifest, p, project).key for p in parents} - {asset_spec.key}
        return dg.AssetCheckSpec(
            name=TESTS_CHECK,
            asset=asset_spec.key,
            additional_deps=sorted(deps, key=lambda k: k.to_user_string()),
            description=f"The dbt tests of this model ({len(tests)}): "
            + ", ".join(manifest["nodes"][t]["name"] for t in tests),
            blocking=False,
        )


def _tests_of(manifest, asset_key: dg.AssetKey, translator, project) -> list[str]:
    found = []
    for uid in sorted(manifest["nodes"]):
        if uid.startswith("test."):
            key = get_asset_check_key_for_test(manifest, translator, uid, project)
            if key is not None and key.asset_key == asset_key:
                found.append(uid)
    return found


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def _selection(context: dg.AssetExecutionContext, select: str, exclude: str | None, manifest) -> list[str]:
    """dbt's selection for this step: the definition's own, or the models of the subset the run asked for."""
    assets_def = context.assets_def
    if set(context.selected_asset_keys) == set(assets_def.keys):
        return ["--select", select, *(["--exclude", exclude] if exclude else [])]
    names = []
    for key in sorted(context.selected_asset_keys, key=lambda k: k.to_user_string()):
        uid = assets_def.get_asset_spec(key).metadata["dagster_dbt/unique_id"]
        names.append(".".join(manifest["nodes"][uid]["fqn"]))
    return ["--select", " ".join(names)]


def _row_counts(warehouse: WarehouseResource, manifest, outputs: list[dg.Output]) -> dict[str, int]:
    """Rows of each table the step built (views are definitions, not data: no count)."""
    tables = {}
    for out in outputs:
        node = manifest["nodes"].get(out.metadata["unique_id"].value) or {}
        if node.get("config", {}).get("materialized") in {"table", "incremental", "seed"}:
            tables[out.output_name] = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
    if not tables:
        return {}
    with duckdb.connect(str(warehouse.path), read_only=False) as con:
        return {
            name: con.execute(f"select count(*) from {relation}").fetchone()[0] for name, relation in tables.items()
        }


def _check_result(key: dg.AssetKey, tests: list[dict], manifest) -> dg.AssetCheckResult:
    failed = [t for t in tests if t["status"] not in {"pass", "success"}]
    severity = (
        dg.AssetCheckSeverity.ERROR
        if any(t["status"] in {"fail", "error", "runtime error"} for t in failed)
        else dg.AssetCheckSeverity.WARN
    )
    rows = [
        (manifest["nodes"][t["unique_id"]]["name"], t["status"], t.get("failures") or 0, (t.get("message") or "")[:120])
        for t in sorted(tests, key=lambda t: (t["status"] == "pass", t["unique_id"]))
    ]
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=TESTS_CHECK,
        passed=not failed,
        severity=severity,
        metadata={
            "tests": len(tests),
            "failed": len(failed),
            "failed_tests": dg.MetadataValue.json([r[0] for r in rows if r[1] != "pass"]),
            "results": table_preview(["test", "status", "failing rows", "message"], rows),
        },
    )


def build_step(
    context: dg.AssetExecutionContext, dbt: DbtResource, warehouse: WarehouseResource, select: str, exclude: str | None
) -> Iterator:
    """`dbt build` of this step's models, seeds and tests, in this process, under the writer lock."""
    manifest_json = translator_manifest()
    args = ["build", *_selection(context, select, exclude, manifest_json)]
    context.log.info(f"dbt {' '.join(args)}")
    outputs: list[dg.Output] = []
    tests: dict[dg.AssetKey, list[dict]] = {}
    invocation = None
    with warehouse.locked(context):
        for item in dbt_runner.run(dbt.workspace(), args, dbt.dbt_vars(), on_progress=context.log.info):
            if isinstance(item, dbt_runner.Invocation):
                invocation = item
                continue
            uid = item["data"].get("node_info", {}).get("unique_id", "")
            if uid.startswith("test."):
                key = get_asset_check_key_for_test(manifest_json, translator, uid, dbt_project)
                if key is not None:
                    status = item["data"].get("status") or item["data"]["node_info"].get("node_status")
                    tests.setdefault(key.asset_key, []).append(
                        {
                            "unique_id": uid,
                            "status": str(status).lower(),
                            "failures": item["data"].get("num_failures"),
                            "message": item["info"].get("msg"),
                        }
                    )
                continue
            event = DbtCoreCliEventMessage(raw_event=item, event_history_metadata={})
            for out in event.to_default_asset_events(
                manifest=manifest_json, dagster_dbt_translator=translator, context=context, project=dbt_project
            ):
                if isinstance(out, dg.Output):
                    outputs.append(out)
        counts = _row_counts(warehouse, manifest_json, outputs)
    for out in outputs:
        extra = {"dagster/row_count": counts[out.output_name]} if out.output_name in counts else {}
        yield dg.Output(None, output_name=out.output_name, metadata={**out.metadata, **extra})
    selected_checks = set(context.selected_asset_check_keys)
    for key, results in sorted(tests.items(), key=lambda kv: kv[0].to_user_string()):
        if dg.AssetCheckKey(key, TESTS_CHECK) in selected_checks:
            yield _check_result(key, results, manifest_json)
    broken = [
        r["unique_id"]
        for r in (invocation.results if invocation else [])
        if r["status"] in {"error", "runtime error"} and not r["unique_id"].startswith(("test.", "unit_test."))
    ]
    failed_unit_tests = [
        r["unique_id"]
        for r in (invocation.results if invocation else [])
        if r["unique_id"].startswith("unit_test.") and r["status"] not in {"pass", "success"}
    ]
    if broken or failed_unit_tests:
        raise dg.Failure(
            "dbt "
            + "; ".join(
                part
                for part in (
                    f"models failed: {', '.join(broken)}" if broken else "",
                    f"unit tests failed: {', '.join(failed_unit_tests)}" if failed_unit_tests else "",
                )
                if part
            ),
            metadata={"failed_nodes": dg.MetadataValue.json(broken + failed_unit_tests)},
        )


@cache
def translator_manifest() -> dict:
    """The manifest the assets were defined from, as JSON (what dagster-dbt's event class reads)."""
    from dagster_dbt.dbt_manifest import validate_manifest

    return validate_manifest(manifest_path())


@dbt_assets(
    manifest=manifest_path(),
    project=dbt_project,
    exclude=MARTS_SELECT,
    name="dbt_staging_and_intermediate",
    dagster_dbt_translator=translator,
    op_tags=WRITER_TAGS,
)
def dbt_staging_and_intermediate(context: dg.AssetExecutionContext, dbt: DbtResource, warehouse: WarehouseResource):
    """Seeds, staging views and intermediate models: everything the quality rules read."""
    yield from build_step(context, dbt, warehouse, "fqn:*", MARTS_SELECT)


@dbt_assets(
    manifest=manifest_path(),
    project=dbt_project,
    select=MARTS_SELECT,
    name="dbt_marts",
    dagster_dbt_translator=translator,
    op_tags=WRITER_TAGS,
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtResource, warehouse: WarehouseResource):
    """The flagged observations and every mart (facts and dimensions), with the tests between them."""
    yield from build_step(context, dbt, warehouse, MARTS_SELECT, None)
