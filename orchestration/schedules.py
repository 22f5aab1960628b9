"""The daily refresh, on Vietnam's clock."""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import refresh_job

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh_and_publish",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 (Asia/Ho_Chi_Minh): rebuild the models, validate every figure and publish, "
    "so that overdue instructions, cross-report checks and the serving copy follow the calendar even when no "
    "report lands.",
)
