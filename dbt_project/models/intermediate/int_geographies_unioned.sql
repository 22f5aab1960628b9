-- Every place a figure can belong to: the nation, the 63 units in force until 2025-06-30, the 34 in force
-- since 2025-07-01, and the districts and communes that reports name. geo_key tells eras apart: code 01 is
-- Hà Nội in both eras, code 52 is Bình Định before the merger and Gia Lai after it.
with national as (
    select
        'nat:' || geo_code as geo_key,
        geo_code,
        'national' as geo_level,
        geo_name,
        geo_kind,
        'national' as geo_era,
        date '1945-09-02' as valid_from,
        cast(null as date) as valid_to,
        aliases,
        cast(null as varchar) as successor_geo_code,
        cast(null as varchar []) as merged_from_codes,
        cast(null as varchar) as parent_geo_key
    from {{ ref('stg_reference__geo_national') }}
),

units_2008 as (
    select
        '2008:' || geo_code as geo_key,
        geo_code,
        'province' as geo_level,
        geo_name,
        geo_kind,
        '2008' as geo_era,
        date '2008-08-01' as valid_from,
        cast(date '{{ var("merger_date") }}' - interval 1 day as date) as valid_to,
        aliases,
        successor_code as successor_geo_code,
        cast(null as varchar []) as merged_from_codes,
        'nat:00' as parent_geo_key
    from {{ ref('stg_reference__provinces_2008') }}
),

units_2025 as (
    select
        '2025:' || geo_code as geo_key,
        geo_code,
        'province' as geo_level,
        geo_name,
        geo_kind,
        '2025' as geo_era,
        date '{{ var("merger_date") }}' as valid_from,
        cast(null as date) as valid_to,
        aliases,
        cast(null as varchar) as successor_geo_code,
        merged_from_codes,
        'nat:00' as parent_geo_key
    from {{ ref('stg_reference__provinces_2025') }}
),

provinces as (
    select * from units_2008
    union all
    select * from units_2025
),

sub_units as (
    select distinct
        versions.geo_era || ':' || obs.geo_code || '/' || obs.geo_level || ':' || obs.geo_name as geo_key,
        obs.geo_code,
        obs.geo_level,
        obs.geo_name,
        obs.geo_level as geo_kind,
        versions.geo_era
    from {{ ref('int_observations_corrected') }} as obs
    inner join {{ ref('int_report_versions_classified') }} as versions
        on obs.report_version_id = versions.report_version_id
    where obs.geo_level in ('district', 'commune') and obs.geo_name is not null
)

select * from national
union all
select * from provinces
union all
select
    sub_units.geo_key,
    sub_units.geo_code,
    sub_units.geo_level,
    sub_units.geo_name,
    sub_units.geo_kind,
    sub_units.geo_era,
    provinces.valid_from,
    provinces.valid_to,
    [] as aliases,
    cast(null as varchar) as successor_geo_code,
    cast(null as varchar []) as merged_from_codes,
    provinces.geo_key as parent_geo_key
from sub_units
left join provinces
    on sub_units.geo_code = provinces.geo_code and sub_units.geo_era = provinces.geo_era
