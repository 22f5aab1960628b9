-- The nation at a glance: the latest national figure of each scorecard indicator, and how many provinces give one.
with indicators as (
    select * from {{ ref('dim_indicator') }}
    where scorecard_column is not null
),

latest as (
    select * from {{ ref('fct_indicator_values') }}
    where is_latest_period and value_kind = 'achievement'
),

provinces as (
    select
        indicator_code,
        cast(count(distinct geo_key) as integer) as n_provinces
    from latest
    where geo_level = 'province'
    group by indicator_code
)

select
    indicators.scorecard_column,
    indicators.indicator_code,
    indicators.indicator_name_en,
    indicators.unit,
    nation.value,
    nation.denominator,
    nation.period,
    nation.report_id,
    nation.evidence_page,
    coalesce(provinces.n_provinces, 0) as n_provinces,
    cast(row_number() over (order by nation.value is null, indicators.scorecard_column) as integer) as display_order
from indicators
left join latest as nation on indicators.indicator_code = nation.indicator_code and nation.geo_level = 'national'
left join provinces on indicators.indicator_code = provinces.indicator_code
where nation.value is not null or provinces.n_provinces > 0
