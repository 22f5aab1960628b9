-- eID activation in the report: each place's latest period with eID figures (activated accounts, eligible
-- citizens, the reported rate) and the rate computed from the first two. Shown: the nation, the 10 provinces
-- with the highest activation rate and the 10 with the lowest (every province when there are 20 or fewer);
-- n_provinces says how many there are in all (mart_province_scorecard and fct_indicator_values hold them).
with figures as (
    select * from {{ ref('fct_indicator_values') }}
    where
        value_kind = 'achievement' and geo_level in ('national', 'province')
        and indicator_code in ('eid_accounts_activated', 'eid_eligible_citizens', 'eid_activation_rate')
),

periods as (
    select
        geo_key,
        period,
        max(period_start) as period_start,
        max(period_end) as period_end,
        cast(round(max(value) filter (where indicator_code = 'eid_accounts_activated')) as bigint) as activated,
        cast(round(max(value) filter (where indicator_code = 'eid_eligible_citizens')) as bigint) as eligible,
        max(value) filter (where indicator_code = 'eid_activation_rate') as rate_reported,
        max(evidence_page) filter (where indicator_code = 'eid_accounts_activated') as activated_evidence_page,
        max(evidence_page) filter (where indicator_code = 'eid_eligible_citizens') as eligible_evidence_page,
        max(evidence_page) filter (where indicator_code = 'eid_activation_rate') as rate_evidence_page,
        bool_or(is_disputed) as is_disputed
    from figures
    group by geo_key, period
),

latest as (
    select
        *,
        case when eligible > 0 then round(100.0 * activated / eligible, 2) end as rate_computed
    from periods
    qualify row_number() over (partition by geo_key order by period_end desc, period_start desc, period asc) = 1
),

rated as (
    select
        latest.*,
        geographies.geo_level,
        geographies.geo_display_name,
        coalesce(latest.rate_computed, latest.rate_reported) as activation_rate
    from latest
    inner join {{ ref('dim_geography') }} as geographies on latest.geo_key = geographies.geo_key
),

ranked as (
    select
        *,
        count(*) filter (where geo_level = 'province') over () as n_provinces,
        count(activation_rate) filter (where geo_level = 'province') over () as n_provinces_rated,
        case
            when geo_level = 'province' and activation_rate is not null
                then row_number() over (
                    partition by geo_level, activation_rate is null
                    order by activation_rate desc, geo_display_name asc
                )
        end as rate_rank
    from rated
)

select
    geo_key,
    geo_level,
    geo_display_name,
    period,
    period_end,
    activated,
    eligible,
    rate_reported,
    rate_computed,
    activation_rate,
    abs(rate_reported - rate_computed) > 1 as rates_disagree,
    is_disputed,
    activated_evidence_page,
    eligible_evidence_page,
    rate_evidence_page,
    cast(rate_rank as integer) as rate_rank,
    case
        when geo_level = 'national' then 'nation'
        when rate_rank <= 10 then 'highest'
        else 'lowest'
    end as report_group,
    cast(n_provinces as integer) as n_provinces,
    cast(n_provinces_rated as integer) as n_provinces_rated,
    cast(row_number() over (order by geo_level = 'national' desc, rate_rank) as integer) as display_order
from ranked
where geo_level = 'national' or rate_rank <= 10 or rate_rank > n_provinces_rated - 10
