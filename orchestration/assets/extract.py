"""Extraction: figures → indicator observations; documents and instructions → directives; with evidence.

Not here: the extraction loop and its writes (orchestration/loaders/extracted_facts.py), where it runs
(orchestration/cluster.py), the extractor (sources/extract/).
"""

import dagster as dg

from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.assets.metadata import table_preview
from orchestration.loaders.extracted_facts import extract_pending
from orchestration.resources import LandingResource, WarehouseResource
from sources.extract import EXTRACTOR_VERSION

EXTRACTED = (
    "extractions",
    "observations",
    "directive_documents",
    "instructions",
    "unmapped_mentions",
    "observations_previous",  # what the extractor version before read (keep_previous_observations)
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", name], deps=[dg.AssetKey(["raw", "reports"])], owners=OWNERS, kinds=PYTHON_KINDS)
        for name in EXTRACTED
    ],
    group_name="extract",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
)
def extracted_facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource):
    """Extract the report versions this extractor version has not read yet (nothing new: nothing to do)."""
    with warehouse.writing(context) as con:
        summary = extract_pending(
            con, context.run.run_id, landing.batch_size, engine=landing.engine, progress=context.log.info
        )
        totals = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in EXTRACTED}
        coverage = con.execute(
            """select (select count(*) from raw.observations o join raw.files f using (report_version_id)
                       where f.status = 'loaded'),
                      (select count(*) from raw.unmapped_mentions u join raw.files f using (report_version_id)
                       where f.status = 'loaded')"""
        ).fetchone()
        preview = con.execute(
            """select report_id, indicator, value, geo_code, period, left(evidence, 90) from raw.observations
               where extractor_version = ? order by report_version_id desc, seq limit 10""",
            [EXTRACTOR_VERSION],
        ).fetchall()
        unmapped = con.execute(
            """select reason, count(*) from raw.unmapped_mentions group by reason order by 2 desc"""
        ).fetchall()
    mapped, not_mapped = coverage
    share = mapped / (mapped + not_mapped) if mapped + not_mapped else 0.0
    context.log.info(
        f"extract: {summary.reports} reports, {summary.observations} observations, "
        f"{summary.documents} documents, {summary.instructions} instructions"
    )
    for error in summary.errors:
        context.log.error(f"extraction failed for {error[0]}: {error[1]}")
    yield dg.MaterializeResult(
        asset_key=["raw", "extractions"],
        metadata={
            "extractor_version": EXTRACTOR_VERSION,
            "reports_extracted": summary.reports,
            "errors": len(summary.errors),
            "dagster/row_count": totals["extractions"],
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "observations"],
        metadata={
            "new_observations": summary.observations,
            "dagster/row_count": totals["observations"],
            "coverage_mapped": mapped,
            "coverage_unmapped": not_mapped,
            "coverage_share_mapped": dg.MetadataValue.float(round(share, 4)),
            "preview": table_preview(["report", "indicator", "value", "geo", "period", "evidence"], preview),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "directive_documents"],
        metadata={"new_documents": summary.documents, "dagster/row_count": totals["directive_documents"]},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "instructions"],
        metadata={"new_instructions": summary.instructions, "dagster/row_count": totals["instructions"]},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "unmapped_mentions"],
        metadata={
            "new_unmapped": summary.unmapped,
            "dagster/row_count": totals["unmapped_mentions"],
            "by_reason": table_preview(["reason", "figures"], unmapped),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "observations_previous"],
        metadata={"dagster/row_count": totals["observations_previous"]},
    )
