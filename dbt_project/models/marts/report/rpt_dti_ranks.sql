-- DTI ranks in the report: the latest index year (the latest year in which a province reports its DTI rank),
-- with each province's rank, out of how many, score, and its rank the year before. Shown: the 10 best-ranked
-- and the 10 worst-ranked provinces (every province when there are 20 or fewer); n_provinces says how many
-- report a rank that year.
with ranks as (
    select
        *,
        cast(year(period_end) as integer) as index_year
    from {{ ref('fct_indicator_values') }}
    where
        value_kind = 'achievement' and geo_level = 'province' and indicator_code in ('dti_rank', 'dti_score')
        and period_grain = 'year'
),

by_year as (
    select
        geo_key,
        index_year,
        cast(round(max(value) filter (where indicator_code = 'dti_rank')) as integer) as dti_rank,
        cast(round(max(denominator) filter (where indicator_code = 'dti_rank')) as integer) as out_of,
        max(value) filter (where indicator_code = 'dti_score') as dti_score,
        max(evidence_page) filter (where indicator_code = 'dti_rank') as rank_evidence_page,
        bool_or(is_disputed) as is_disputed
    from ranks
    group by geo_key, index_year
),

latest_year as (
    select max(index_year) as index_year from by_year
    where dti_rank is not null
),

this_year as (
    select
        by_year.*,
        previous.dti_rank as previous_rank,
        geographies.geo_display_name,
        count(*) over () as n_provinces,
        row_number() over (order by by_year.dti_rank, geographies.geo_display_name) as list_position
    from by_year
    inner join latest_year on by_year.index_year = latest_year.index_year
    inner join {{ ref('dim_geography') }} as geographies on by_year.geo_key = geographies.geo_key
    left join by_year as previous
        on by_year.geo_key = previous.geo_key and by_year.index_year - 1 = previous.index_year
    where by_year.dti_rank is not null
)

select
    geo_key,
    geo_display_name,
    index_year,
    dti_rank,
    out_of,
    dti_score,
    previous_rank,
    previous_rank - dti_rank as places_gained,
    is_disputed,
    rank_evidence_page,
    case when list_position <= 10 then 'best' else 'worst' end as report_group,
    cast(n_provinces as integer) as n_provinces,
    cast(list_position as integer) as display_order
from this_year
where list_position <= 10 or list_position > n_provinces - 10
