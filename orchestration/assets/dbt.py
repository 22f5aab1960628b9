"""dbt models as assets, in two steps either side of the quality flags, and their tests as one check per model.

- `dbt_staging_and_intermediate`: seeds, staging and intermediate models (up to the inputs of the rules).
- `dbt_marts`: what reads the quality flags (the flagged observations and every mart).
The split follows the data: the Great Expectations step (`quality/observation_flags`) reads
`int_observation_rule_inputs` and the marts read its flags, so no artificial dependency is needed.

Each model's materialization carries its column lineage (`orchestration/dbt_lineage.py`): the upstream columns
of each of its columns, derived from its compiled SQL once per parse of the project.

dbt's tests of a model are one check, `dbt_tests`, on that model (its metadata lists each test and its
status): the UI shows them with the model, and a run records a few dozen check events instead of one per
test. A failing test fails its check (exit code 2 of `dxw run`), never the step; a broken model fails the step.
"""

import graphlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from functools import cache
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.asset_utils import get_asset_check_key_for_test
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration import dbt_lineage, dbt_runner, dbt_state
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
        if kind == "source":  # the warehouse table a loader writes: raw/observations, quality/observation_flags
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["identifier"]])
        return super().get_asset_key(dbt_resource_props)

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
        tests = self._tests_by_asset(manifest, project).get(asset_spec.key, [])
        parents = {p for t in tests for p in manifest["parent_map"].get(t, [])}
        deps = {self._key_of(manifest, p) for p in parents} - {asset_spec.key}
        return dg.AssetCheckSpec(
            name=TESTS_CHECK,
            asset=asset_spec.key,
            additional_deps=sorted(deps, key=lambda k: k.to_user_string()),
            description=f"The dbt tests of this model ({len(tests)}): "
            + ", ".join(manifest["nodes"][t]["name"] for t in tests),
            blocking=False,
        )

    def _key_of(self, manifest, unique_id: str) -> dg.AssetKey:
        props = manifest["nodes"].get(unique_id) or manifest["sources"][unique_id]
        return self.get_asset_key(props)

    def _tests_by_asset(self, manifest, project) -> dict[dg.AssetKey, list[str]]:
        """The tests of each model, once per manifest: asked per test, a scan of every test for each would make
        loading the definitions quadratic in the number of tests (3 s of 5 at 73 tests, measured)."""
        index = self.__dict__.setdefault("_tests_index", {})
        if id(manifest) not in index:
            found: dict[dg.AssetKey, list[str]] = {}
            for uid in sorted(manifest["nodes"]):
                if uid.startswith("test."):
                    key = get_asset_check_key_for_test(manifest, self, uid, project)
                    if key is not None:
                        found.setdefault(key.asset_key, []).append(uid)
            index.clear()  # one manifest at a time: the definitions are built from one
            index[id(manifest)] = (manifest, found)  # the manifest is kept so its id is not reused
        return index[id(manifest)][1]


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


# what a step rebuilds only when its definition changed: a view is always current with its inputs, a seed's rows
# are its CSV, a unit test checks code on fixed rows. Their definitions are the project's files and the vars.
DEFINITION_ONLY = ("resource_type:seed", "resource_type:unit_test", "config.materialized:view")


def _selection(
    context: dg.AssetExecutionContext,
    select: str,
    exclude: str | None,
    manifest,
    definitions_current: bool,
    unchanged: Iterable[str] = (),
) -> list[str]:
    """dbt's selection for this step: the definition's own (without what needs no rebuild: views, seeds and unit
    tests of current definitions, the `unchanged` tables), or the models of the subset the run asked for. Without
    indirect selection, tests are selected as nodes like the others: the tests of a view or of a table left as it
    is still run."""
    if _whole_step(context):
        if definitions_current:
            tables = sorted(".".join(manifest["nodes"][uid]["fqn"]) for uid in unchanged)
            return ["--indirect-selection", "empty", "--select", select, "--exclude", *filter(None, [exclude]),
                    *DEFINITION_ONLY, *tables]  # fmt: skip
        return ["--select", select, *(["--exclude", exclude] if exclude else [])]
    assets_def = context.assets_def
    names = []
    for key in sorted(context.selected_asset_keys, key=lambda k: k.to_user_string()):
        uid = assets_def.get_asset_spec(key).metadata["dagster_dbt/unique_id"]
        names.append(".".join(manifest["nodes"][uid]["fqn"]))
    return ["--select", " ".join(names)]


def _whole_step(context: dg.AssetExecutionContext) -> bool:
    return set(context.selected_asset_keys) == set(context.assets_def.keys)


def _step_nodes(context: dg.AssetExecutionContext, manifest, kinds: set[str]) -> dict[str, str]:
    """The step's nodes of these kinds (a materialization, or "seed"), unique id → output name."""
    found = {}
    for key in context.assets_def.keys:
        uid = context.assets_def.get_asset_spec(key).metadata["dagster_dbt/unique_id"]
        node = manifest["nodes"][uid]
        kind = "seed" if node["resource_type"] == "seed" else node["config"].get("materialized")
        if kind in kinds:
            found[uid] = context.assets_def.get_output_name_for_asset_key(key)
    return found


def _topological_order(uids: list[str], manifest) -> dict[str, int]:
    """Each node's place in an order where its parents (among `uids`) come first."""
    among = set(uids)
    graph = {uid: [p for p in manifest["parent_map"].get(uid, []) if p in among] for uid in uids}
    return {uid: i for i, uid in enumerate(graphlib.TopologicalSorter(graph).static_order())}


def _row_counts(con, manifest, outputs: Mapping[str, str]) -> dict[str, int]:
    """Rows of each table of the step (output name → unique id; views are definitions, not data: no count)."""
    counts = {}
    for name, uid in outputs.items():
        node = manifest["nodes"].get(uid) or {}
        if node.get("config", {}).get("materialized") in {"table", "incremental", "seed"}:
            schema, table = dbt_state.relation(node)
            counts[name] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    return counts


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
    """`dbt build` of this step's models, seeds and tests, in this process, under the writer lock. Views, seeds and
    unit tests are rebuilt only when the project's definitions changed since this warehouse last built them, a
    table only when its definitions or the sources it reads changed (orchestration/dbt_state.py); tests always run."""
    manifest_json = translator_manifest()
    step = context.op_def.name
    workspace = dbt.workspace()
    digest = dbt_runner.definitions_digest(workspace, dbt.dbt_vars())
    whole = _whole_step(context)
    skippable = _step_nodes(context, manifest_json, {"seed", "view"}) if whole else {}
    tables = _step_nodes(context, manifest_json, set(dbt_state.TABLE_MATERIALIZATIONS)) if whole else {}
    outputs: list[dg.Output] = []
    tests: dict[dg.AssetKey, list[dict]] = {}
    invocation = None
    with warehouse.locked(context):
        with duckdb.connect(str(warehouse.path)) as con:
            current = whole and dbt_state.definitions_current(con, step, digest, manifest_json, skippable)
            inputs = dbt_state.table_inputs(con, manifest_json, tables, digest)
            unchanged = dbt_state.unchanged_tables(con, manifest_json, inputs) if current else set()
        args = ["build", *_selection(context, select, exclude, manifest_json, current, unchanged)]
        current_parts = [f"{len(skippable)} views and seeds"] if current and skippable else []
        current_parts += [f"{len(unchanged)} of {len(tables)} tables"] if unchanged else []
        context.log.info(
            f"dbt {' '.join(args)}"
            + (f" ({' and '.join(current_parts)} are current: not rebuilt, their tests run)" if current_parts else "")
        )
        for item in dbt_runner.run(workspace, args, dbt.dbt_vars(), on_progress=context.log.info):
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
        results = invocation.results if invocation else []
        broken = [
            r["unique_id"]
            for r in results
            if r["status"] in {"error", "runtime error"} and not r["unique_id"].startswith(("test.", "unit_test."))
        ]
        failed_unit_tests = [
            r["unique_id"]
            for r in results
            if r["unique_id"].startswith("unit_test.") and r["status"] not in {"pass", "success"}
        ]
        # views, seeds and tables not rebuilt are current: their assets are reported as such, so that the steps that
        # read them run (a missing output would skip every step downstream)
        kept = {uid: name for uid, name in skippable.items() if current}
        kept_tables = {uid: tables[uid] for uid in unchanged}
        with duckdb.connect(str(warehouse.path)) as con:
            if whole and not current:
                dbt_state.record_definitions(
                    con, step, None if broken or failed_unit_tests or not invocation else digest
                )
            if whole and invocation:
                status = {r["unique_id"]: r["status"] for r in results}
                rebuilt = {uid: inputs[uid] for uid in tables if status.get(uid) == "success"}
                dbt_state.record_tables(con, rebuilt, [uid for uid in tables if uid not in rebuilt | kept_tables])
            counts = _row_counts(
                con,
                manifest_json,
                {
                    **{o.output_name: o.metadata["unique_id"].value for o in outputs},
                    **{name: uid for uid, name in (kept | kept_tables).items()},
                },  # fmt: skip
            )
            columns = dbt_lineage.warehouse_columns(con)
    done = [(out.metadata["unique_id"].value, out) for out in outputs]
    done += [
        (uid, dg.Output(None, output_name=name, metadata={"unique_id": uid, "rebuilt": False,
                                                          "why": "definition unchanged since built"}))
        for uid, name in kept.items()
    ]  # fmt: skip
    done += [
        (uid, dg.Output(None, output_name=name, metadata={"unique_id": uid, "rebuilt": False,
                                                          "why": "definition and the sources it reads unchanged"}))
        for uid, name in kept_tables.items()
    ]  # fmt: skip
    lineage = _column_lineage(context, workspace, dbt.dbt_vars(), manifest_json, [uid for uid, _ in done], columns)
    order = _topological_order([uid for uid, _ in done], manifest_json)
    for uid, out in sorted(done, key=lambda pair: order[pair[0]]):  # Dagster wants upstream assets first
        extra = {"dagster/row_count": counts[out.output_name]} if out.output_name in counts else {}
        extra.update(lineage.get(uid, {}))
        yield dg.Output(None, output_name=out.output_name, metadata={**out.metadata, **extra})
    selected_checks = set(context.selected_asset_check_keys)
    for key, results in sorted(tests.items(), key=lambda kv: kv[0].to_user_string()):
        if dg.AssetCheckKey(key, TESTS_CHECK) in selected_checks:
            yield _check_result(key, results, manifest_json)
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


def _column_lineage(
    context: dg.AssetExecutionContext,
    workspace: dbt_runner.DbtWorkspace,
    dbt_vars: dict[str, str],
    manifest_json,
    uids: list[str],
    columns: Mapping[tuple[str, str], Mapping[str, str]],
) -> dict[str, dict[str, Any]]:
    """The column lineage of the step's models (seeds have none) as metadata: `dagster/column_lineage`, as
    dagster-dbt's `fetch_column_metadata()` gives it (GraphQL and Dagster+ read it; the open-source UI does not
    show it), and the same as a table the asset's events page shows. Derived once per parse of the project (and
    columns), then read from the cache next to the parse."""
    models = dbt_lineage.models(
        manifest_json,
        dbt_runner.manifest(workspace, dbt_vars),  # the relation names in this warehouse (its database's name)
        uids,
        columns,
        lambda props: tuple(translator.get_asset_key(props).path),
        workspace.target_dir,
    )
    derived = dbt_lineage.lineage(
        dbt_runner.parse_cache_dir(workspace.project_dir), dbt_runner.parse_key(workspace, dbt_vars), models
    )
    missing = sorted(
        f"{manifest_json['nodes'][uid]['name']} ({found.error})" for uid, found in derived.items() if found.error
    )
    if missing:
        context.log.warning(f"no column lineage for {len(missing)} models: " + "; ".join(missing))
    return {uid: _lineage_metadata(found.deps) for uid, found in derived.items() if found.deps is not None}


def _lineage_metadata(deps: Mapping[str, list[dbt_lineage.Dep]]) -> dict[str, Any]:
    """`dagster/column_lineage`, and a table of it (column → upstream asset: columns) for the asset's events page."""
    rows = []
    for column, upstream in deps.items():
        by_asset: dict[str, list[str]] = {}
        for path, up in upstream:
            by_asset.setdefault("/".join(path), []).append(up)
        shown = "; ".join(f"{asset}: {', '.join(cols)}" for asset, cols in sorted(by_asset.items()))
        rows.append((column, shown or "—"))  # none: a constant, a count of rows
    lineage = dg.TableColumnLineage(
        deps_by_column={
            column: [dg.TableColumnDep(asset_key=dg.AssetKey(list(path)), column_name=up) for path, up in upstream]
            for column, upstream in deps.items()
        }
    )
    return {"dagster/column_lineage": lineage, "column lineage": table_preview(["column", "computed from"], rows)}


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
