-- A table, not a view like the other intermediate models: the validation step reads it several times (its
-- scope, the flags it replaces, the failing rows it samples) and its tests twice; as a view each read computed
-- every rule's comparisons again (about 0.45 s of CPU each at 2,000 reports), as a table once per run.
{{ config(materialized='table') }}

-- The frame the Great Expectations suites validate: one row per observation of a current report, with the
-- related figures each rule compares it to. A context column is null where its rule does not apply, so the
-- expectations (expectations/*.json) need no row conditions. The rules themselves live in the suites.
-- Corrected and added figures are checked like any other; a figure an analyst rejected is no figure.
with obs as (
    select * from {{ ref('int_observations_resolved') }}
    where report_status = 'current' and correction_status is distinct from 'rejected'
),

geographies as (
    select * from {{ ref('int_geographies_unioned') }}
),

achieved as (
    select * from obs
    where not is_target and period is not null
),

-- rule 1: activated accounts within eligible citizens and issued accounts, same place and period
limits as (
    select
        geo_key,
        period,
        max(value) filter (where indicator_code = 'eid_eligible_citizens') as eligible,
        max(value) filter (where indicator_code = 'eid_accounts_issued') as issued
    from achieved
    group by geo_key, period
),

-- rule 4: the rate computed from its counts, same report, place and period
rate_counts as (
    select
        report_version_id,
        geo_key,
        period,
        max(value) filter (where indicator_code = 'eid_accounts_activated') as activated,
        max(denominator) filter (where indicator_code = 'eid_accounts_activated') as activated_of,
        max(value) filter (where indicator_code = 'eid_eligible_citizens') as eligible
    from achieved
    group by report_version_id, geo_key, period
),

-- rule 5: fully + partly online + information services within all services, same report, place and period
services as (
    select
        report_version_id,
        geo_key,
        period,
        max(value) filter (where indicator_code = 'public_services_total') as services_total,
        coalesce(max(value) filter (where indicator_code = 'online_services_full'), 0)
        + coalesce(max(value) filter (where indicator_code = 'online_services_partial'), 0)
        + coalesce(max(value) filter (where indicator_code = 'information_services'), 0) as parts_sum,
        count(*) filter (where indicator_code in (
            'online_services_full', 'online_services_partial',
            'information_services'
        )) as n_parts
    from achieved
    group by report_version_id, geo_key, period
),

-- rule 7: the latest earlier value of a cumulative indicator for the same place; where several reports give a
-- value for that latest period, the highest of them (a tie broken by value, so every evaluation agrees)
earlier as (
    select
        a.observation_id,
        b.value,
        b.period_end,
        max(b.period_end) over (partition by a.observation_id) as latest_end
    from achieved as a
    inner join achieved as b
        on a.geo_key = b.geo_key and a.indicator_code = b.indicator_code and a.period_end > b.period_end
    where a.is_cumulative
),

previous as (
    select
        observation_id,
        max(value) as previous_value
    from earlier
    where period_end = latest_end
    group by observation_id
),

-- rule 8: another report that gives a different value for the same place, indicator and period (a value that
-- is the other rounded, 0,511 for 0,5109 or 762 nghìn for 762.284, is the same value)
conflicts as (
    select
        a.observation_id,
        min(b.value) as conflicting_value,
        min(b.evidence) as conflicting_evidence,
        min(b.report_id) as conflicting_report_id
    from achieved as a
    inner join achieved as b
        on
            a.geo_key = b.geo_key and a.indicator_code = b.indicator_code and a.period = b.period
            and a.report_id <> b.report_id
            and abs(b.value - a.value)
            > 0.5 * greatest({{ rounding_unit('a.value') }}, {{ rounding_unit('b.value') }}) + 1e-9
    group by a.observation_id
),

-- rule 9: the sum over provinces of an additive count, for the same period as a national figure
province_sums as (
    select
        indicator_code,
        period,
        sum(value) as province_sum,
        count(*) as n_provinces
    from (
        select
            indicator_code,
            period,
            geo_key,
            max(value) as value
        from achieved
        where geo_level = 'province' and is_additive and unit = 'count'
        group by indicator_code, period, geo_key
    )
    group by indicator_code, period
)

select
    obs.observation_id,
    obs.report_version_id,
    obs.report_id,
    obs.evidence,
    obs.geo_key,
    obs.indicator_code,
    obs.unit,
    obs.value,
    obs.is_target,
    obs.period,
    -- rule 1
    case when obs.indicator_code = 'eid_accounts_activated' and not obs.is_target then limits.eligible end
        as eligible_limit,
    case when obs.indicator_code = 'eid_accounts_activated' and not obs.is_target then limits.issued end
        as issued_limit,
    -- rule 2
    obs.denominator,
    -- rule 3
    case when obs.unit = 'percent' then obs.value end as percent_value,
    case when obs.unit = 'rank' then obs.value end as rank_value,
    case when obs.unit = 'count' then obs.value end as count_value,
    case when obs.unit in ('count', 'rank') then obs.value - floor(obs.value) end as whole_remainder,
    -- rule 4
    case
        when
            obs.indicator_code = 'eid_activation_rate' and not obs.is_target
            and rate_counts.activated is not null
            and coalesce(rate_counts.activated_of, rate_counts.eligible) > 0
            then
                abs(
                    obs.value - 100.0 * rate_counts.activated / coalesce(rate_counts.activated_of, rate_counts.eligible)
                )
    end as rate_gap,
    -- rule 5
    case
        when
            services.n_parts > 0 and obs.indicator_code in (
                'public_services_total', 'online_services_full', 'online_services_partial', 'information_services'
            )
            then services.services_total
    end as services_total,
    case
        when
            services.n_parts > 0 and services.services_total is not null and obs.indicator_code in (
                'public_services_total', 'online_services_full', 'online_services_partial', 'information_services'
            )
            then services.parts_sum
    end as services_parts_sum,
    -- rule 6: a place the figure names that dim_geography does not hold (null for a known place, and for a figure
    -- whose place the text never says: that one is flagged is_place_unknown, not broken)
    case when obs.geo_key is not null and geographies.geo_key is null then obs.geo_key end as unlisted_geo_key,
    -- a report written after the merger may restate the merger year for a new unit ("6 tháng đầu năm
    -- 2025" of the merged province): from such reports a new unit counts as valid from the start of that year
    case
        when geographies.geo_era = '2025' and obs.report_date >= date '{{ var("merger_date") }}'
            then least(geographies.valid_from, date_trunc('year', date '{{ var("merger_date") }}'))
        else geographies.valid_from
    end as geo_valid_from,
    geographies.valid_to as geo_valid_to,
    case when not obs.is_target then obs.period_start end as achieved_period_start,
    case when not obs.is_target then obs.period_end end as achieved_period_end,
    obs.report_date,
    -- rule 7 (warning)
    previous.previous_value,
    -- rule 8 (warning)
    conflicts.conflicting_value,
    conflicts.conflicting_report_id,
    conflicts.conflicting_evidence,
    -- rule 9 (warning)
    case when obs.geo_level = 'national' and not obs.is_target then province_sums.province_sum end as province_sum
from obs
left join limits on obs.geo_key = limits.geo_key and obs.period = limits.period
left join rate_counts
    on
        obs.report_version_id = rate_counts.report_version_id and obs.geo_key = rate_counts.geo_key
        and obs.period = rate_counts.period
left join services
    on
        obs.report_version_id = services.report_version_id and obs.geo_key = services.geo_key
        and services.period is not distinct from obs.period
left join geographies
    on geographies.geo_key = case
        when obs.geo_level in ('district', 'commune') then {{ geo_key('obs.geo_era', 'obs.geo_code') }}
        else obs.geo_key
    end
left join previous on obs.observation_id = previous.observation_id
left join conflicts on obs.observation_id = conflicts.observation_id
left join province_sums
    on obs.indicator_code = province_sums.indicator_code and obs.period = province_sums.period
