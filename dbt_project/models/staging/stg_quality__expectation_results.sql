select
    run_id as validation_run_id,
    validated_at,
    suite,
    rule as rule_code,
    rule_number,
    severity,
    description as rule_description,
    success,
    element_count,
    failing_count,
    new_observations,
    new_failing,
    cast(failing_rows as varchar) as failing_rows,
    docs_path,
    validated_count,
    scope as validation_scope
from {{ source('quality', 'expectation_results') }}
