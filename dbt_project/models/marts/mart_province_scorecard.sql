-- Per province and period, the figures BI dashboards show side by side (achievements only; quarantined
-- figures excluded). `eid_activation_rate_computed` is activated / eligible x 100 where both are known.
with values as (
    select * from {{ ref('fct_indicator_values') }}
    where value_kind = 'achievement' and geo_level = 'province'
),

geographies as (
    select
        geo_key,
        geo_name,
        geo_era
    from {{ ref('dim_geography') }}
),

pivoted as (
    select
        geo_key,
        geo_code,
        period,
        min(period_start) as period_start,
        min(period_end) as period_end,
        max(value) filter (where indicator_code = 'eid_accounts_activated') as eid_accounts_activated,
        max(value) filter (where indicator_code = 'eid_eligible_citizens') as eid_eligible_citizens,
        max(value) filter (where indicator_code = 'eid_accounts_issued') as eid_accounts_issued,
        max(value) filter (where indicator_code = 'eid_activation_rate') as eid_activation_rate_reported,
        max(value) filter (where indicator_code = 'cccd_cards_issued') as cccd_cards_issued,
        max(value) filter (where indicator_code = 'online_application_rate') as online_application_rate,
        max(value) filter (where indicator_code = 'online_full_process_application_rate')
            as online_full_process_application_rate,
        max(value) filter (where indicator_code = 'public_services_total') as public_services_total,
        max(value) filter (where indicator_code = 'online_services_full') as online_services_full,
        max(value) filter (where indicator_code = 'dti_rank') as dti_rank,
        max(value) filter (where indicator_code = 'dti_score') as dti_score,
        max(value) filter (where indicator_code = 'digital_economy_share') as digital_economy_share,
        max(value) filter (where indicator_code = 'community_digital_teams') as community_digital_teams,
        max(value) filter (where indicator_code = 'stations_5g') as stations_5g,
        count(*) as n_indicators
    from values
    group by geo_key, geo_code, period
)

select
    pivoted.geo_key,
    pivoted.geo_code,
    geographies.geo_name,
    geographies.geo_era,
    pivoted.period,
    pivoted.period_start,
    pivoted.period_end,
    pivoted.eid_accounts_activated,
    pivoted.eid_eligible_citizens,
    pivoted.eid_accounts_issued,
    pivoted.eid_activation_rate_reported,
    case
        when pivoted.eid_eligible_citizens > 0
            then round(100.0 * pivoted.eid_accounts_activated / pivoted.eid_eligible_citizens, 2)
    end as eid_activation_rate_computed,
    pivoted.cccd_cards_issued,
    pivoted.online_application_rate,
    pivoted.online_full_process_application_rate,
    pivoted.public_services_total,
    pivoted.online_services_full,
    pivoted.dti_rank,
    pivoted.dti_score,
    pivoted.digital_economy_share,
    pivoted.community_digital_teams,
    pivoted.stations_5g,
    pivoted.n_indicators
from pivoted
left join geographies on pivoted.geo_key = geographies.geo_key
