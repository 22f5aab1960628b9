"""Ingest: every landed file accounted for (loaded or rejected with a reason), new content only read once.

Not here: what becomes of a file (sources/file_fate.py), the writes (orchestration/loaders/landed_files.py).
"""

import dagster as dg

from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.assets.metadata import table_preview
from orchestration.loaders import landed_files
from orchestration.resources import LandingResource, WarehouseResource


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "files"],
            description="Every landed file, with its status (loaded, rejected, duplicate, sidecar, withdrawn, "
            "removed), its rejection reason, the file it duplicates and the warnings of its reading.",
            owners=OWNERS,
            kinds=PYTHON_KINDS,
        ),
        dg.AssetSpec(
            ["raw", "reports"],
            description="One row per report version, with its normalised text.",
            owners=OWNERS,
            kinds=PYTHON_KINDS,
        ),
    ],
    group_name="ingest",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
)
def landing_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource):
    """Scan the landing folder; read and store new or changed reports; mark removed ones withdrawn."""
    with warehouse.writing(context) as con:
        summary = landed_files.ingest(
            con, landing.path, context.run.run_id, landing.batch_size, progress=context.log.info
        )
        counts = dict(con.execute("select status, count(*) from raw.files group by status").fetchall())
        rejected = con.execute(
            "select file_path, status, case when status in ('rejected', 'duplicate') then reason else warnings end "
            "from raw.files "
            "where status in ('rejected', 'duplicate') or warnings is not null "
            "order by updated_at desc, file_path limit 20"
        ).fetchall()
        versions = con.execute("select count(*) from raw.reports").fetchone()[0]
    context.log.info(
        f"ingest: {summary.found} reports found, {summary.loaded} new versions, "
        f"{len(summary.rejected)} rejected, {len(summary.duplicates)} duplicates, {len(summary.warned)} read with "
        f"warnings, {summary.withdrawn} withdrawn"
        + (f", {summary.repaired} repaired (loaded without their report row)" if summary.repaired else "")
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "files"],
        metadata={
            "landing": dg.MetadataValue.path(landing.folder),
            "dagster/row_count": sum(counts.values()),
            "files_found": summary.found,
            "new_versions": summary.loaded,
            "unchanged": summary.unchanged,
            "rejected_this_run": len(summary.rejected),
            "duplicates_this_run": len(summary.duplicates),
            "warned_this_run": len(summary.warned),
            "repaired_this_run": summary.repaired,
            "withdrawn_this_run": summary.withdrawn,
            "files_by_status": dg.MetadataValue.json(counts),
            "files_to_look_at": table_preview(["file", "status", "reason or warning"], rejected),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "reports"], metadata={"dagster/row_count": versions, "new_versions": summary.loaded}
    )
