select
    observation_id,
    report_version_id,
    rule as rule_code,
    severity,
    run_id as validation_run_id,
    flagged_at
from {{ source('quality', 'observation_flags') }}
