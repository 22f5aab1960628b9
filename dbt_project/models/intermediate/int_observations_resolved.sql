-- A table, not a view (as int_observation_rule_inputs): its two tests, the rule inputs and the flagged
-- observations read it, and as a view each read computed it again (about 0.4 s each at 2,000 reports). Built
-- again only when its definitions or the sources it reads change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Observations of every extracted report version, resolved: the place key in the report's era (a district's or
-- commune's official unit where its name resolves: int_sub_unit_names_resolved), the period's
-- bounds, the indicator's properties, and the version's status. The figures are the corrected ones
-- (int_observations_corrected): everything downstream, the rules included, sees a figure as the analyst left it.
with observations as (
    select * from {{ ref('int_observations_corrected') }}
),

versions as (
    select * from {{ ref('int_report_versions_classified') }}
),

indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

sub_units as (
    select * from {{ ref('int_sub_unit_names_resolved') }}
)

select
    observations.observation_id,
    observations.report_version_id,
    observations.report_id,
    versions.report_status,
    versions.report_date,
    versions.ingested_at,
    versions.geo_era,
    -- a district's or commune's own key where its name is looked up (sub_units holds no national row)
    coalesce(
        sub_units.geo_key, {{ geo_key('versions.geo_era', 'observations.geo_code', 'observations.geo_level') }}
    ) as geo_key,
    observations.geo_code,
    -- no place read (the text never says whose figure it is): 'unknown', until an analyst's correction names one
    case
        when observations.geo_code is null then 'unknown'
        when observations.geo_code = '00' then 'national'
        when observations.geo_level = 'unknown' then 'province'
        else observations.geo_level
    end as geo_level,
    observations.geo_code is null as is_place_unknown,
    observations.geo_name,
    observations.indicator_code,
    indicators.domain,
    indicators.is_additive,
    indicators.is_cumulative,
    observations.unit,
    observations.value,
    observations.denominator,
    observations.period,
    {{ period_start('observations.period') }} as period_start,
    {{ period_end('observations.period') }} as period_end,
    {{ period_grain('observations.period') }} as period_grain,
    {{ period_specificity('observations.period') }} as period_specificity,
    observations.qualifier,
    coalesce(observations.qualifier = 'target', false) as is_target,
    observations.evidence,
    observations.char_start,
    observations.char_end,
    observations.extractor_version,
    observations.file_hash,
    observations.extracted_indicator_code,
    observations.extracted_value,
    observations.extracted_denominator,
    observations.extracted_geo_code,
    observations.extracted_geo_level,
    observations.extracted_geo_name,
    observations.extracted_period,
    observations.extracted_qualifier,
    observations.correction_id,
    observations.correction_status,
    observations.correction_reason,
    observations.corrected_by,
    observations.corrected_at
from observations
inner join versions
    on
        observations.report_version_id = versions.report_version_id
        and observations.extractor_version = versions.extractor_version
left join indicators on observations.indicator_code = indicators.indicator_code
left join sub_units
    on
        versions.geo_era = sub_units.geo_era
        and observations.geo_code = sub_units.geo_code
        and observations.geo_level = sub_units.geo_level
        and observations.geo_name = sub_units.geo_name
