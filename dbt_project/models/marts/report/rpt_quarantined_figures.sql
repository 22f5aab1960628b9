-- Quarantined figures in the report: the 10 of the most recent reports, with the rules they broke and their
-- sentences; the n_* columns count every current figure (fct_indicator_observations holds them all).
with figures as (
    select * from {{ ref('fct_indicator_observations') }}
    where report_status = 'current'
),

totals as (
    select
        cast(count(*) as integer) as n_figures,
        cast(count(*) filter (where is_quarantined) as integer) as n_quarantined,
        cast(count(*) filter (where len(warned_rules) > 0) as integer) as n_warned
    from figures
),

quarantined as (
    select
        *,
        row_number() over (order by report_date desc nulls last, observation_id asc) as list_position
    from figures
    where is_quarantined
)

select
    quarantined.observation_id,
    quarantined.report_version_id,
    quarantined.report_id,
    quarantined.report_date,
    quarantined.geo_display_name,
    indicators.indicator_name_en,
    quarantined.value,
    quarantined.unit,
    quarantined.period,
    quarantined.failed_rules,
    quarantined.warned_rules,
    quarantined.evidence,
    quarantined.evidence_page,
    totals.n_figures,
    totals.n_quarantined,
    totals.n_warned,
    cast(quarantined.list_position as integer) as display_order
from quarantined
cross join totals
left join {{ ref('dim_indicator') }} as indicators on quarantined.indicator_code = indicators.indicator_code
where quarantined.list_position <= 10
