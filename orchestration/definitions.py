"""The one entry point Dagster loads (`dagster dev -m orchestration.definitions`): assembly only."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.jobs import ALL_JOBS
from orchestration.resources import WarehouseResource, export_for_subprocesses
from orchestration.settings import Settings, load_settings


def build_defs(settings: Settings | None = None, resource_overrides: dict | None = None) -> dg.Definitions:
    """The definitions for a settings object; tests pass their own settings or resources."""
    settings = settings or load_settings()
    warehouse = WarehouseResource.from_settings(settings)
    export_for_subprocesses(warehouse)

    from orchestration.assets import dbt, extract, ingest, publish, quality
    from orchestration.checks.expectations import expectation_checks
    from orchestration.schedules import daily_models_and_checks
    from orchestration.sensors import landing_sensor, record_run_failures

    resources = {
        "warehouse": warehouse,
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        **(resource_overrides or {}),
    }
    return dg.Definitions(
        assets=[
            ingest.landing_reports,
            extract.extracted_facts,
            dbt.dbt_models,
            quality.observation_flags,
            publish.serving_warehouse,
            publish.serving_dbt_docs,
            publish.serving_report,
        ],
        asset_checks=[expectation_checks],
        jobs=ALL_JOBS,
        schedules=[daily_models_and_checks],
        sensors=[landing_sensor, record_run_failures],
        resources=resources,
        executor=dg.in_process_executor,  # one process, one DuckDB writer: steps run one after the other
    )


defs = build_defs()
