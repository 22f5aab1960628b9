-- A table, not a view (as int_observation_rule_inputs): its three tests and the resolved observations read
-- it, and as a view each read computed it again (about 0.3 s each at 2,000 reports). Built again only when its
-- definitions or the sources it reads change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Every district and commune name a figure gives, in its report's era and province, and the official unit it
-- resolves to. The name's exact key (marks kept) is looked up first; only when it is not in the seed is the
-- loose key (marks dropped) tried, so "Văn Lăng" never falls back to "Văn Lang". An ambiguous or unknown name
-- resolves to no unit: its figures keep a key made of the name as written, with is_resolved false.
with named as (
    select distinct
        versions.geo_era,
        obs.geo_code,
        obs.geo_level,
        obs.geo_name
    from {{ ref('int_observations_corrected') }} as obs
    inner join {{ ref('int_report_versions_classified') }} as versions
        on obs.report_version_id = versions.report_version_id
    where obs.geo_level in ('district', 'commune') and obs.geo_name is not null
),

keyed as (
    select
        *,
        {{ geo_name_key('geo_name') }} as name_key,
        {{ geo_name_key('geo_name', loose=true) }} as loose_name_key
    from named
),

names as (
    select * from {{ ref('stg_reference__sub_unit_names') }}
),

matched as (
    -- the exact key's row when there is one (even an ambiguous one), else the loose key's
    select
        keyed.geo_era,
        keyed.geo_code,
        keyed.geo_level,
        keyed.geo_name,
        keyed.name_key,
        coalesce(names.resolved_by, 'unknown') as resolved_by,
        names.unit_era,
        names.unit_code
    from keyed
    left join names
        on
            keyed.geo_era = names.geo_era
            and keyed.geo_code = names.geo_code
            and keyed.geo_level = names.geo_level
            and (
                (names.key_kind = 'exact' and keyed.name_key = names.name_key)
                or (names.key_kind = 'loose' and keyed.loose_name_key = names.name_key)
            )
    qualify row_number() over (
        partition by keyed.geo_era, keyed.geo_code, keyed.geo_level, keyed.geo_name order by names.key_kind
    ) = 1
)

select
    matched.geo_era,
    matched.geo_code,
    matched.geo_level,
    matched.geo_name,
    matched.name_key,
    matched.resolved_by,
    units.unit_code is not null as is_resolved,
    units.geo_era as unit_era,
    units.unit_code,
    units.unit_name,
    units.unit_kind,
    units.province_code as unit_province_code,
    units.successor_code,
    case
        when units.unit_code is not null
            then {{ sub_unit_key('units.geo_era', 'units.province_code', 'units.geo_level', 'units.unit_code') }}
        else {{ sub_unit_key('matched.geo_era', 'matched.geo_code', 'matched.geo_level', 'matched.geo_name') }}
    end as geo_key
from matched
left join {{ ref('stg_reference__sub_units') }} as units
    on
        matched.unit_era = units.geo_era
        and matched.geo_level = units.geo_level
        and matched.unit_code = units.unit_code
