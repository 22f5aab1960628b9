-- Online application rates over time in the report, as small multiples: one panel for the nation and one for each
-- of the 5 provinces with the highest and the 5 with the lowest rate of their latest year (every province when
-- there are 10 or fewer). A point per year, the scorecard's (the figure of the latest period ending in the year),
-- so that monthly, quarterly and yearly figures do not zigzag in one line; n_provinces counts the provinces with a
-- rate.
with yearly as (
    select
        geo_key,
        geo_level,
        geo_display_name,
        year,
        online_application_rate as rate,
        online_application_rate_period as period
    from {{ ref('mart_province_scorecard') }}
    where online_application_rate is not null
),

latest as (
    select
        geo_key,
        geo_level,
        geo_display_name,
        rate as latest_rate
    from yearly
    qualify row_number() over (partition by geo_key order by year desc) = 1
),

ranked as (
    select
        *,
        count(*) filter (where geo_level = 'province') over () as n_provinces,
        row_number() over (partition by geo_level order by latest_rate desc, geo_key asc) as from_top,
        row_number() over (partition by geo_level order by latest_rate asc, geo_key asc) as from_bottom
    from latest
),

panels as (
    select
        *,
        case
            when geo_level = 'national' then 'nation'
            when from_top <= 5 then 'highest'
            else 'lowest'
        end as report_group,
        row_number() over (order by geo_level = 'national' desc, latest_rate desc, geo_display_name asc) as panel
    from ranked
    where geo_level = 'national' or from_top <= 5 or from_bottom <= 5
),

figures as (
    select * from {{ ref('fct_indicator_values') }}
    where indicator_code = 'online_application_rate' and value_kind = 'achievement'
)

select
    panels.geo_key,
    panels.geo_display_name,
    panels.report_group,
    cast(panels.panel as integer) as panel,
    panels.latest_rate,
    yearly.year,
    yearly.period,
    yearly.rate as value,
    yearly.year = max(yearly.year) over (partition by panels.geo_key) as is_latest_year,
    figures.is_disputed,
    figures.evidence_page,
    cast(panels.n_provinces as integer) as n_provinces,
    cast(row_number() over (order by panels.panel, yearly.year) as integer) as display_order
from panels
inner join yearly on panels.geo_key = yearly.geo_key
left join figures on yearly.geo_key = figures.geo_key and yearly.period = figures.period
