-- A table, not a view (as int_observation_rule_inputs): it follows from the seeds alone, yet as a view its
-- two tests and its readers computed it again at every run (about 0.3 s each). Built again only when the
-- definitions change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Every place a figure can belong to: the nation, the 63 units in force until 2025-06-30, the 34 in force
-- since 2025-07-01, and the districts and communes that reports name. geo_key tells eras apart: code 01 is
-- Hà Nội in both eras, code 52 is Bình Định before the merger and Gia Lai after it. A district or commune whose
-- name resolves is one row per official unit (its code in the key, the ways reports wrote it in aliases), with
-- the 2025 commune each pre-2025 one went into; a name that does not resolve is a row of its own, as written.
with national as (
    select
        {{ geo_key("'nat'", 'geo_code') }} as geo_key,
        geo_code,
        'national' as geo_level,
        geo_name,
        geo_kind,
        'national' as geo_era,
        date '1945-09-02' as valid_from,
        cast(null as date) as valid_to,
        aliases,
        cast(null as varchar) as successor_geo_code,
        cast(null as varchar) as successor_geo_key,
        cast(null as varchar []) as merged_from_codes,
        cast(null as varchar) as parent_geo_key,
        cast(null as varchar) as unit_code,
        true as is_resolved
    from {{ ref('stg_reference__geo_national') }}
),

units_2008 as (
    select
        {{ geo_key("'2008'", 'geo_code') }} as geo_key,
        geo_code,
        'province' as geo_level,
        geo_name,
        geo_kind,
        '2008' as geo_era,
        date '2008-08-01' as valid_from,
        cast(date '{{ var("merger_date") }}' - interval 1 day as date) as valid_to,
        aliases,
        successor_code as successor_geo_code,
        {{ geo_key("'2025'", 'successor_code') }} as successor_geo_key,
        cast(null as varchar []) as merged_from_codes,
        'nat:00' as parent_geo_key,
        geo_code as unit_code,
        true as is_resolved
    from {{ ref('stg_reference__provinces_2008') }}
),

units_2025 as (
    select
        {{ geo_key("'2025'", 'geo_code') }} as geo_key,
        geo_code,
        'province' as geo_level,
        geo_name,
        geo_kind,
        '2025' as geo_era,
        date '{{ var("merger_date") }}' as valid_from,
        cast(null as date) as valid_to,
        aliases,
        cast(null as varchar) as successor_geo_code,
        cast(null as varchar) as successor_geo_key,
        merged_from_codes,
        'nat:00' as parent_geo_key,
        geo_code as unit_code,
        true as is_resolved
    from {{ ref('stg_reference__provinces_2025') }}
),

provinces as (
    select * from units_2008
    union all
    select * from units_2025
),

sub_unit_names as (
    select * from {{ ref('int_sub_unit_names_resolved') }}
),

units as (
    select * from {{ ref('stg_reference__sub_units') }}
),

-- the units names resolve to, and the 2025 communes the pre-2025 ones went into (so successor keys join)
unit_codes as (
    select distinct
        unit_era as geo_era,
        geo_level,
        unit_code
    from sub_unit_names
    where is_resolved
    union
    select distinct
        '2025' as geo_era,
        'commune' as geo_level,
        successor_code as unit_code
    from sub_unit_names
    where is_resolved and successor_code is not null
),

written as (
    select
        geo_key,
        list_sort(list(distinct geo_name)) as written_names
    from sub_unit_names
    group by geo_key
),

keyed_units as (
    select
        units.*,
        {{ sub_unit_key('units.geo_era', 'units.province_code', 'units.geo_level', 'units.unit_code') }} as geo_key
    from units
),

resolved_units as (
    select
        keyed_units.geo_key,
        keyed_units.province_code as geo_code,
        keyed_units.geo_level,
        keyed_units.unit_name as geo_name,
        keyed_units.unit_kind as geo_kind,
        keyed_units.geo_era,
        provinces.valid_from,
        provinces.valid_to,
        list_filter(coalesce(written.written_names, []), n -> n <> keyed_units.unit_name) as aliases,
        keyed_units.successor_code as successor_geo_code,
        successors.geo_key as successor_geo_key,
        case when keyed_units.geo_era = '2025' then keyed_units.merged_from_codes end as merged_from_codes,
        provinces.geo_key as parent_geo_key,
        keyed_units.unit_code,
        true as is_resolved
    from unit_codes
    inner join keyed_units
        on
            unit_codes.geo_era = keyed_units.geo_era
            and unit_codes.geo_level = keyed_units.geo_level
            and unit_codes.unit_code = keyed_units.unit_code
    left join keyed_units as successors
        on
            successors.geo_era = '2025'
            and successors.geo_level = 'commune'
            and keyed_units.successor_code = successors.unit_code
    left join provinces
        on keyed_units.province_code = provinces.geo_code and keyed_units.geo_era = provinces.geo_era
    left join written on keyed_units.geo_key = written.geo_key
),

unresolved_names as (
    select
        sub_unit_names.geo_key,
        sub_unit_names.geo_code,
        sub_unit_names.geo_level,
        sub_unit_names.geo_name,
        sub_unit_names.geo_level as geo_kind,
        sub_unit_names.geo_era,
        provinces.valid_from,
        provinces.valid_to,
        cast([] as varchar []) as aliases,
        cast(null as varchar) as successor_geo_code,
        cast(null as varchar) as successor_geo_key,
        cast(null as varchar []) as merged_from_codes,
        provinces.geo_key as parent_geo_key,
        cast(null as varchar) as unit_code,
        false as is_resolved
    from sub_unit_names
    left join provinces
        on sub_unit_names.geo_code = provinces.geo_code and sub_unit_names.geo_era = provinces.geo_era
    where not sub_unit_names.is_resolved
)

select * from national
union all
select * from provinces
union all
select * from resolved_units
union all
select * from unresolved_names
