-- Pre-merger figures on the 34 units in force since 2025-07-01. `is_complete` says whether every former
-- unit that makes up the new one gave a figure; a partial sum is kept but marked.
with values_2008 as (
    select
        chosen.*,
        provinces.successor_code
    from {{ ref('fct_indicator_values') }} as chosen
    inner join {{ ref('stg_reference__provinces_2008') }} as provinces on chosen.geo_code = provinces.geo_code
    where
        chosen.geo_key like '2008:%' and chosen.geo_level = 'province' and chosen.value_kind = 'achievement'
        and chosen.period_end < date '{{ var("merger_date") }}'
),

indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

summed as (
    select
        v.successor_code as geo_code,
        v.indicator_code,
        v.period,
        v.unit,
        sum(v.value) as value,
        count(*) as n_units_reported,
        list_sort(list(v.geo_code)) as source_geo_codes
    from values_2008 as v
    inner join indicators on v.indicator_code = indicators.indicator_code
    where indicators.is_additive and v.unit = 'count'
    group by v.successor_code, v.indicator_code, v.period, v.unit
),

rates as (
    select
        num.successor_code as geo_code,
        rate.indicator_code,
        num.period,
        'percent' as unit,
        100.0 * sum(num.value) / sum(whole.value) as value,
        count(*) as n_units_reported,
        list_sort(list(num.geo_code)) as source_geo_codes
    from indicators as rate
    inner join indicators as numerator on rate.rate_of_indicator_code = numerator.indicator_code
    inner join values_2008 as num on numerator.indicator_code = num.indicator_code
    inner join values_2008 as whole
        on
            numerator.whole_indicator_code = whole.indicator_code
            and num.geo_code = whole.geo_code and num.period = whole.period
    where rate.rate_of_indicator_code is not null and numerator.whole_indicator_code is not null
    group by num.successor_code, rate.indicator_code, num.period
    having sum(whole.value) > 0
),

rollups as (
    select
        'sum' as rollup_method,
        summed.*
    from summed
    union all
    select
        'recomputed_rate' as rollup_method,
        rates.*
    from rates
)

select
    {{ geo_key("'2025'", 'rollups.geo_code') }} as geo_key,
    rollups.geo_code,
    geographies.geo_name,
    geographies.geo_display_name,
    rollups.indicator_code,
    rollups.unit,
    rollups.period,
    {{ period_start('rollups.period') }} as period_start,
    {{ period_end('rollups.period') }} as period_end,
    rollups.rollup_method,
    rollups.value,
    cast(rollups.n_units_reported as integer) as n_units_reported,
    cast(len(units.merged_from_codes) as integer) as n_units_expected,
    rollups.n_units_reported = len(units.merged_from_codes) as is_complete,
    rollups.source_geo_codes
from rollups
inner join {{ ref('stg_reference__provinces_2025') }} as units on rollups.geo_code = units.geo_code
left join {{ ref('dim_geography') }} as geographies on {{ geo_key("'2025'", 'rollups.geo_code') }} = geographies.geo_key
