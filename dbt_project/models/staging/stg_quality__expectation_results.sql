select
    run_id as validation_run_id,
    validated_at,
    suite,
    rule as rule_code,
    rule_number,
    severity,
    description as rule_description,
    success,
    element_count as n_figures_checked,
    failing_count as n_failing,
    new_observations as n_new_figures,
    new_failing as n_new_failing,
    cast(failing_rows as varchar) as failing_rows,
    docs_path,
    validated_count as n_validated,
    scope as validation_scope
from {{ source('quality', 'expectation_results') }}
