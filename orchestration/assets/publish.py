"""Publish: the read-only serving copy (DuckDB + Parquet) that BI tools and `dxw sql` read."""

import dagster as dg
import duckdb

from orchestration import dbt_runner
from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.assets.metadata import table_preview
from orchestration.resources import DbtResource, QualityResource, WarehouseResource
from orchestration.serving.docs import docs_dir, install_static_docs
from orchestration.serving.evidence import evidence_dir, write_evidence_pages
from orchestration.serving.publish import publish
from orchestration.serving.report import load_quality_rows, write_report
from orchestration.up_to_date import code_digest

MARTS = [
    "dim_geography",
    "dim_indicator",
    "dim_report",
    "dim_legal_document",
    "fct_indicator_observations",
    "fct_indicator_values",
    "fct_indicator_rollups_2025",
    "fct_directive_documents",
    "fct_instructions",
    "fct_unmapped_mentions",
    "fct_correction_orphans",
    "fct_review_queue",
    "mart_province_scorecard",
]


@dg.asset(
    key=["serving", "warehouse"],
    deps=[dg.AssetKey([m]) for m in MARTS],
    group_name="serve",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds=PYTHON_KINDS,
    description="The published read-only warehouse: <home>/serving/warehouse.duckdb and serving/parquet/.",
)
def serving_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.writing(context) as con:
        published = publish(con, warehouse.serving_dir, context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published.duckdb_path)),
            "parquet": dg.MetadataValue.path(str(published.parquet_dir)),
            "tables": table_preview(["table", "rows"], sorted(published.tables.items())),
            "dagster/row_count": sum(published.tables.values()),
        }
    )


@dg.asset(
    key=["serving", "dbt_docs"],
    deps=[dg.AssetKey([m]) for m in MARTS],
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
            done = dbt_runner.command(workspace, ["docs", "generate", "--static"], dbt.dbt_vars())
        if not done.success:
            raise dg.Failure(f"dbt docs generate failed: {done.exception}")
        page = install_static_docs(workspace.target_dir / "static_index.html", warehouse.serving_dir)
        stamp.write_text(digest, encoding="utf-8")
        regenerated = True
    return dg.MaterializeResult(
        metadata={
            "page": dg.MetadataValue.path(str(page)),
            "regenerated": regenerated,
            "serve_with": dg.MetadataValue.text(f"dxw docs --home {warehouse.home}  →  http://127.0.0.1:8080"),
            "open_offline": dg.MetadataValue.url(page.as_uri()),
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
    with warehouse.writing(context) as con:
        quality_rows = load_quality_rows(con)
        evidence_pages = write_evidence_pages(con, warehouse.serving_dir)
    path = warehouse.serving_dir / "report.html"
    with duckdb.connect(str(warehouse.serving_dir / "warehouse.duckdb"), read_only=True) as serving:
        write_report(serving, path, quality.as_of, quality_rows)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "open": dg.MetadataValue.url(path.as_uri()),
            "size_kb": round(path.stat().st_size / 1024, 1),
            "evidence_pages": evidence_pages,
            "evidence": dg.MetadataValue.path(str(evidence_dir(warehouse.serving_dir))),
        }
    )
