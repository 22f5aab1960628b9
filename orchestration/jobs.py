"""Jobs: the whole pipeline, its ingest on its own, and the daily refresh of everything built from the raw data.

Not here: when they run (schedules.py, sensors.py), what they materialise (assets/).
"""

from __future__ import annotations

import dagster as dg

from orchestration.assets.defaults import WRITER_TAGS

# a run with this tag validates every figure again, not only those a new or changed report can affect
FULL_VALIDATION_TAG = "dxw/validate"

full_pipeline = dg.define_asset_job(
    "dxw_full_pipeline",
    selection=dg.AssetSelection.all(),
    tags=WRITER_TAGS,
    description="Landing folder → ingest → extraction → dbt → expectations → publish.",
)

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.groups("ingest", "extract"),
    tags=WRITER_TAGS,
    description="Ingest and extract new or changed reports only (nothing is published).",
)

refresh_job = dg.define_asset_job(
    "refresh_and_publish_job",
    selection=dg.AssetSelection.groups("reference", "staging", "intermediate", "quality", "marts", "serve"),
    tags={**WRITER_TAGS, FULL_VALIDATION_TAG: "all"},
    description="Rebuild the models from the raw data, validate every figure, and publish: what BI tools read "
    "follows the calendar (overdue instructions, the as-of date) even when no report lands.",
)

publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.groups("serve"),
    tags=WRITER_TAGS,
    description="Publish the read-only serving copy, its docs and the report.",
)

ALL_JOBS = [full_pipeline, ingest_job, refresh_job, publish_job]
