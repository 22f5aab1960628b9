-- One row per validation run and rule of the Great Expectations suites: whether the rule held over the current
-- figures, how many failed, the first failing rows with their sentences, and the run's GX Data Docs page. The
-- latest validation of each rule is `is_latest`. Published so that readers see the data quality offline.
with results as (
    select * from {{ ref('stg_quality__expectation_results') }}
)

select
    validation_run_id,
    validated_at,
    suite,
    rule_code,
    cast(rule_number as integer) as rule_number,
    severity,
    rule_description,
    success,
    cast(n_figures_checked as integer) as n_figures_checked,
    cast(n_failing as integer) as n_failing,
    cast(n_new_figures as integer) as n_new_figures,
    cast(n_new_failing as integer) as n_new_failing,
    cast(n_validated as integer) as n_validated,
    validation_scope,
    failing_rows,
    -- the run's validation page, relative to the serving folder (older rows kept an absolute path: none)
    case
        when docs_path like 'validations/%' then 'data_docs/' || docs_path
    end as data_docs_page,
    row_number() over (partition by rule_code order by validated_at desc, validation_run_id desc) = 1 as is_latest
from results
