{#- The measures, from the indicator catalogue (indicators.csv, column scorecard_column): (indicator_code, column,
    unit) in column order. Read when the model runs; dbt parses the model without a database first. -#}
{%- set catalogue = ref('stg_reference__indicators') %}
{%- set measures = [] %}
{%- if execute %}
    {%- set measures = run_query(
        "select indicator_code, scorecard_column, unit from " ~ catalogue
        ~ " where scorecard_column is not null order by scorecard_column"
    ).rows %}
{%- endif %}
-- One row per place (the nation and each province of its era) and calendar year: the key figures side by side
-- for BI dashboards. Achievements only, quarantined figures excluded. Each indicator gives the figure of its
-- latest period that ends in the year (the year itself over its last month when both end on 31 December), and
-- <column>_period says which period that was. The columns are generated from indicators.csv (scorecard_column),
-- typed by unit: counts bigint, ranks integer (with <column>_out_of), the rest double.
with chosen as (
    select
        *,
        cast(year(period_end) as integer) as year
    from {{ ref('fct_indicator_values') }}
    where value_kind = 'achievement' and geo_level in ('national', 'province') and period_end is not null
),

latest_in_year as (
    select * from chosen
    qualify row_number() over (
        partition by geo_key, indicator_code, year order by period_end desc, period_start asc, period asc
    ) = 1
),

pivoted as (
    select
        geo_key,
        year,
        {%- for measure in measures %}
            {%- set code, column, unit = measure[0], measure[1], measure[2] %}
            {{ typed_value("max(value) filter (where indicator_code = '" ~ code ~ "')", unit) }} as {{ column }},
            max(period) filter (where indicator_code = '{{ code }}') as {{ column }}_period,
            {%- if unit == 'rank' %}
                {{ typed_value("max(denominator) filter (where indicator_code = '" ~ code ~ "')", unit) }}
                    as {{ column }}_out_of,
            {%- endif %}
        {%- endfor %}
        cast(count(*) as integer) as n_indicators
    from latest_in_year
    group by geo_key, year
)

select
    pivoted.geo_key,
    geographies.geo_code,
    geographies.geo_level,
    geographies.geo_name,
    geographies.geo_display_name,
    geographies.geo_era,
    pivoted.year,
    {%- for measure in measures %}
        pivoted.{{ measure[1] }},
        pivoted.{{ measure[1] }}_period,
        {%- if measure[2] == 'rank' %}
            pivoted.{{ measure[1] }}_out_of,
        {%- endif %}
    {%- endfor %}
    case
        when
            pivoted.eid_eligible_citizens > 0
            and pivoted.eid_accounts_activated_period = pivoted.eid_eligible_citizens_period
            then round(100.0 * pivoted.eid_accounts_activated / pivoted.eid_eligible_citizens, 2)
    end as eid_activation_rate_computed,
    pivoted.n_indicators
from pivoted
left join {{ ref('dim_geography') }} as geographies on pivoted.geo_key = geographies.geo_key
