-- Data quality in the report: the latest validation of every rule, with its first failing rows (JSON text; the
-- report shows five) and its GX Data Docs page.
select
    rule_number,
    rule_code,
    severity,
    rule_description,
    success,
    n_failing,
    n_figures_checked,
    n_new_failing,
    validated_at,
    validation_scope,
    failing_rows,
    data_docs_page,
    cast(row_number() over (order by rule_number, rule_code) as integer) as display_order
from {{ ref('fct_expectation_results') }}
where is_latest
