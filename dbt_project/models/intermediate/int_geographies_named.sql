-- A table, not a view (as int_observation_rule_inputs): it follows from the seeds alone, yet as a view its
-- three tests and its readers computed it again at every run (0.3-0.45 s each). Built again only when the
-- definitions change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Every place with the name a reader sees (geo_display_name). A name that both eras use is a different unit in
-- each (2008:27 Bắc Ninh is not 2025:24 Bắc Ninh, which also took in Bắc Giang; even an unchanged Hà Nội has a
-- key per era), so it carries its era: "Bắc Ninh (until 06/2025)", "Bắc Ninh (from 07/2025)". Districts and
-- communes are named with their province: "Đình Lập, Lạng Sơn (until 06/2025)".
with geographies as (
    select * from {{ ref('int_geographies_unioned') }}
),

shared_names as (
    select geo_name
    from geographies
    where geo_level = 'province'
    group by geo_name
    having count(distinct geo_era) > 1
),

labelled as (
    select
        geographies.*,
        case
            when shared_names.geo_name is null then geographies.geo_name
            when geographies.geo_era = '2008'
                then
                    geographies.geo_name || ' (until '
                    || strftime(date '{{ var("merger_date") }}' - interval 1 day, '%m/%Y') || ')'
            else geographies.geo_name || ' (from ' || strftime(date '{{ var("merger_date") }}', '%m/%Y') || ')'
        end as unit_label
    from geographies
    left join shared_names
        on geographies.geo_level = 'province' and geographies.geo_name = shared_names.geo_name
)

select
    labelled.* exclude (labelled.unit_label),
    case
        when labelled.geo_level in ('district', 'commune')
            then labelled.geo_name || ', ' || coalesce(parents.unit_label, labelled.geo_code)
        else labelled.unit_label
    end as geo_display_name
from labelled
left join labelled as parents on labelled.parent_geo_key = parents.geo_key
