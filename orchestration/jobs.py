"""Jobs: the whole pipeline, and its stages on their own (ingest, models and checks, publish)."""

from __future__ import annotations

import dagster as dg

WRITER_TAGS = {"dxw/writer": "warehouse"}  # dagster.yaml lets one run with this tag at a time

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
    description="Ingest and extract new or changed reports only.",
)

models_and_checks_job = dg.define_asset_job(
    "models_and_checks_job",
    selection=dg.AssetSelection.groups("reference", "staging", "intermediate", "quality", "marts"),
    tags=WRITER_TAGS,
    description="Rebuild the dbt models and run every check (dbt tests and expectations).",
)

publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.groups("serve"),
    tags=WRITER_TAGS,
    description="Publish the read-only serving copy, its docs and the report.",
)

ALL_JOBS = [full_pipeline, ingest_job, models_and_checks_job, publish_job]
