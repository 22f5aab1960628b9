"""Corrections: the analysts' reviewed correction file, copied into raw.corrections for dbt to apply.

Not here: the load (orchestration/loaders/corrections_file.py), the file's rules (sources/corrections.py).
"""

import dagster as dg

from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.loaders import corrections_file
from orchestration.resources import LandingResource, WarehouseResource
from sources.corrections import CorrectionError


@dg.asset(
    key=["raw", "corrections"],
    group_name="ingest",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds=PYTHON_KINDS,
    description="The reviewed correction file (DXW_CORRECTIONS), one row per correction; dbt applies them.",
)
def raw_corrections(context: dg.AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource):
    """Load the whole file or nothing: a bad row stops the run with the row named (no retry, it will not heal)."""
    path = landing.corrections_path
    try:
        with warehouse.writing(context) as con:
            loaded = corrections_file.load_corrections(con, path, context.run.run_id)
            by_action = dict(con.execute("select action, count(*) from raw.corrections group by 1").fetchall())
    except CorrectionError as err:
        raise dg.Failure(str(err), allow_retries=False) from None
    context.log.info(f"corrections: {loaded} reviewed corrections loaded from {path}")
    return dg.MaterializeResult(
        metadata={
            "file": dg.MetadataValue.path(str(path)),
            "dagster/row_count": loaded,
            "by_action": dg.MetadataValue.json(by_action),
        }
    )
