-- The series an analyst wants: one row per place x indicator x period x kind (achievement or target), with
-- the chosen value, how many reports state a value for it, whether they disagree, and whether it is the place's
-- latest period for the indicator (what "the current figure" of a place means in the report and dashboards).
with candidates as (
    select * from {{ ref('fct_indicator_observations') }}
    where
        report_status = 'current' and not is_quarantined and not is_place_unknown and period is not null
        and correction_status is distinct from 'rejected'
),

-- the most recent report wins; ties go to the more specific period, then an exact figure over an approximate
-- one, then the later version. Quarantined or rejected figures, figures whose place is unknown and superseded or
-- withdrawn reports take no part.
ranked as (
    select
        *,
        case when is_target then 'target' else 'achievement' end as value_kind,
        row_number() over (
            partition by geo_key, indicator_code, period, is_target
            order by
                report_date desc nulls last, period_specificity desc, (qualifier is null) desc,
                report_version_id desc, observation_id asc
        ) as value_rank,
        count(distinct report_id) over (partition by geo_key, indicator_code, period, is_target) as n_reports,
        count(distinct value) over (partition by geo_key, indicator_code, period, is_target) as n_distinct_values
    from candidates
),

chosen as (
    select * from ranked
    where value_rank = 1
)

select
    geo_key,
    geo_code,
    geo_level,
    geo_name,
    geo_display_name,
    indicator_code,
    unit,
    period,
    period_start,
    period_end,
    period_grain,
    value_kind,
    value,
    denominator,
    qualifier,
    report_id,
    report_version_id,
    report_date,
    observation_id,
    evidence,
    cast(n_reports as integer) as n_reports,
    n_distinct_values > 1 as is_disputed,
    {{ evidence_page('report_version_id', 'observation_id') }} as evidence_page,
    -- the latest period: the one that ends last, then the most specific (2025-02-06 over 2025-02)
    row_number() over (
        partition by geo_key, indicator_code, value_kind
        order by period_end desc nulls last, period_start desc nulls last, period asc
    ) = 1 as is_latest_period
from chosen
