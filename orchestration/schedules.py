"""The daily rebuild of models and checks, on Vietnam's clock."""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import models_and_checks_job

daily_models_and_checks = dg.ScheduleDefinition(
    name="daily_models_and_checks",
    job=models_and_checks_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 (Asia/Ho_Chi_Minh): rebuild the dbt models and run every check, so that "
    "overdue instructions and cross-report checks follow the calendar even when no report lands.",
)
