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
    cast(element_count as bigint) as element_count,
    cast(failing_count as bigint) as failing_count,
    cast(new_observations as bigint) as new_observations,
    cast(new_failing as bigint) as new_failing,
    cast(validated_count as bigint) as validated_count,
    validation_scope,
    failing_rows,
    -- the run's validation page, relative to the serving folder (older rows kept an absolute path: none)
    case
        when docs_path like 'validations/%' then 'data_docs/' || docs_path
    end as data_docs_page,
    row_number() over (partition by rule_code order by validated_at desc, validation_run_id desc) = 1 as is_latest
from results
