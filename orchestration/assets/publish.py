"""Publish: the read-only serving copy (DuckDB + Parquet) that BI tools and `dxw sql` read, the dbt docs and the
report, as assets that wait for every mart of the dbt manifest.

Not here: how the snapshot is made (orchestration/serving/snapshot.py), the report's layout
(orchestration/serving/report/), what the report shows (the rpt_ models in dbt_project/models/marts/report/).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import dbt_runner
from orchestration.assets.dbt import translator_manifest
from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.assets.metadata import table_preview
from orchestration.resources import DbtResource, QualityResource, WarehouseResource
from orchestration.serving import report
from orchestration.serving.docs import docs_dir, install_static_docs
from orchestration.serving.evidence import write_evidence_pages
from orchestration.serving.report import write_report
from orchestration.serving.snapshot import publish, published_tables
from orchestration.settings import AS_OF_SOURCES
from orchestration.up_to_date import code_digest


@cache
def mart_keys() -> list[dg.AssetKey]:
    """What the serving copy holds: every model under models/marts (the reporting models included), from dbt's
    manifest, so that a new mart is published and waited for without a list to keep up to date."""
    manifest = translator_manifest()
    return sorted(
        (
            dg.AssetKey([node["name"]])
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1] == "marts"
        ),
        key=lambda k: k.to_user_string(),
    )


@dg.asset(
    key=["serving", "warehouse"],
    deps=mart_keys(),
    group_name="serve",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds=PYTHON_KINDS,
    description="The published read-only warehouse: <home>/serving/warehouse.duckdb, and the marts' Parquet "
    "(serving/parquet/ or DXW_PARQUET_URL), partitioned by indicator and year.",
)
def serving_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Only the marts that changed since the last publish are copied; none changed, the snapshot stays."""
    with warehouse.writing(context) as con:
        published = publish(con, warehouse.serving_dir, context.run.run_id, warehouse.parquet_url or None)
    context.log.info(
        f"published {len(published.changed)} changed marts of {len(published.tables)}"
        if published.changed
        else f"no mart changed: the snapshot of run {published.run_id[:8]} stays published"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published.duckdb_path)),
            "parquet": dg.MetadataValue.path(published.parquet_location),
            "tables": table_preview(
                ["table", "rows", "copied"],
                [(t, n, "yes" if t in published.changed else "unchanged") for t, n in sorted(published.tables.items())],
            ),
            "changed": dg.MetadataValue.json(published.changed),
            "snapshot_of_run": published.run_id,
            "dagster/row_count": sum(published.tables.values()),
        }
    )


@dg.asset(
    key=["serving", "dbt_docs"],
    deps=mart_keys(),
    group_name="serve",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds=PYTHON_KINDS,
    description="The dbt docs site of the warehouse (one self-contained page), served by `dxw docs`.",
)
def serving_dbt_docs(context: dg.AssetExecutionContext, warehouse: WarehouseResource, dbt: DbtResource):
    """Regenerated when the models' definitions change (the docs describe models and columns, not rows): an
    incremental run does not pay for a catalog of the whole warehouse."""
    digest = code_digest()
    page = docs_dir(warehouse.serving_dir) / "index.html"
    stamp = page.with_name("source_digest.txt")
    if page.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        context.log.info("dbt docs are current: the models' definitions did not change since they were generated")
        regenerated = False
    else:
        workspace = dbt.workspace()
        with warehouse.locked(context):
            done = dbt_runner.docs_generate(workspace, dbt.dbt_vars())
        if not done.success:
            raise dg.Failure(f"dbt docs generate failed: {done.exception}")
        page = install_static_docs(workspace.target_dir / "static_index.html", warehouse.serving_dir)
        stamp.write_text(digest, encoding="utf-8")
        regenerated = True
    return dg.MaterializeResult(
        metadata={
            "page": dg.MetadataValue.path(str(page)),
            "regenerated": regenerated,
            "open": dg.MetadataValue.url(warehouse.served("dbt_docs/index.html")),
            "served_by": dg.MetadataValue.text(f"dxw ui, or dxw docs --home {warehouse.home}"),
        }
    )


@dg.asset(
    key=["serving", "report"],
    deps=[dg.AssetKey(["serving", "warehouse"])],
    group_name="serve",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds=PYTHON_KINDS,
    description="The static HTML report people look at: eID activation, DTI ranks, online applications, "
    "deadlines, data quality. Works offline.",
)
def serving_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource, quality: QualityResource):
    """The report reads the published copy only; the evidence pages need the reports' text, which only the
    working copy holds (each page is rendered again only when its own digest moved). The report is rendered again
    only when what it shows changed: the published marts, where the as-of date comes from, or its code."""
    with warehouse.writing(context) as con:
        evidence_pages = write_evidence_pages(con, warehouse.serving_dir)
    path = warehouse.serving_dir / "report.html"
    stamp = warehouse.serving_dir / ".report.inputs"
    note = AS_OF_SOURCES[quality.as_of_source]
    inputs = _report_inputs(warehouse.serving_dir, note)
    rendered = not (path.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == inputs)
    if rendered:
        stamp.unlink(missing_ok=True)
        with duckdb.connect(str(warehouse.serving_dir / "warehouse.duckdb"), read_only=True) as serving:
            write_report(serving, path, note)
        stamp.write_text(inputs, encoding="utf-8")
    else:
        context.log.info("the report is current: nothing it shows changed since it was written")
    return dg.MaterializeResult(
        metadata={
            "open": dg.MetadataValue.url(warehouse.served("report.html")),
            "served_by": dg.MetadataValue.text(f"dxw ui, or dxw docs --home {warehouse.home}"),
            "path": dg.MetadataValue.path(str(path)),
            "size_kb": round(path.stat().st_size / 1024, 1),
            "rendered": rendered,
            "evidence_pages": evidence_pages,
            "evidence": dg.MetadataValue.url(warehouse.served("evidence/")),
            "data_quality": dg.MetadataValue.url(warehouse.served("report.html#quality")),
        }
    )


def _report_inputs(serving_dir: Path, note: str) -> str:
    """A digest of what the report shows: the published marts' fingerprints, the as-of date's source, the code."""
    published = published_tables(serving_dir / "warehouse.duckdb")
    h = hashlib.sha256(json.dumps([published[1] if published else None, note], sort_keys=True).encode())
    for source in sorted(Path(report.__file__).parent.glob("*")):  # the report package: code and stylesheet
        if source.is_file():
            h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()
