"""The one entry point Dagster loads (`dagster dev -m orchestration.definitions`): assembly only.

Nothing happens at import: Dagster calls `defs()` when it loads the code location, and `dxw run` calls
`build_defs(settings)` with the settings it chose.
"""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings, load_settings


def build_defs(settings: Settings | None = None, resource_overrides: dict | None = None) -> dg.Definitions:
    """The definitions for a settings object; tests pass their own settings or resources."""
    from orchestration.assets import corrections, dbt, extract, ingest, publish, quality
    from orchestration.checks.rule_checks import expectation_checks
    from orchestration.jobs import ALL_JOBS
    from orchestration.resources import resources_from
    from orchestration.schedules import daily_refresh
    from orchestration.sensors import landing_sensor, record_run_failures

    settings = settings or load_settings()
    return dg.Definitions(
        assets=[
            ingest.landing_reports,
            extract.extracted_facts,
            corrections.raw_corrections,
            dbt.dbt_staging_and_intermediate,
            quality.observation_flags,
            dbt.dbt_marts,
            publish.serving_warehouse,
            publish.serving_dbt_docs,
            publish.serving_report,
        ],
        asset_checks=[expectation_checks],
        jobs=ALL_JOBS,
        schedules=[daily_refresh],
        sensors=[landing_sensor, record_run_failures],
        resources={**resources_from(settings), **(resource_overrides or {})},
        executor=dg.in_process_executor,  # one process, one DuckDB writer: steps run one after the other
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_defs()
