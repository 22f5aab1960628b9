"""Publish: the read-only serving copy (DuckDB + Parquet) that BI tools and `dxw sql` read."""

import dagster as dg

from orchestration.assets.ingest import RETRY
from orchestration.assets.metadata import table_preview
from orchestration.resources import WarehouseResource
from orchestration.serving.publish import publish

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
    "mart_province_scorecard",
]


@dg.asset(
    key=["serving", "warehouse"],
    deps=[dg.AssetKey([m]) for m in MARTS],
    group_name="serve",
    retry_policy=RETRY,
    op_tags={"dxw/writer": "warehouse"},
    description="The published read-only warehouse: <home>/serving/warehouse.duckdb and serving/parquet/.",
)
def serving_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.writing(context) as con:
        published = publish(con, warehouse.serving_dir, context.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published.duckdb_path)),
            "parquet": dg.MetadataValue.path(str(published.parquet_dir)),
            "tables": table_preview(["table", "rows"], sorted(published.tables.items())),
            "dagster/row_count": sum(published.tables.values()),
        }
    )
