-- A table, not a view (as int_observation_rule_inputs): its two tests and the resolved observations read it,
-- and as a view each read computed it again (about 0.2 s each at 2,000 reports). Built again only when its
-- definitions or the sources it reads change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Extracted figures with the analysts' corrections applied (corrections/observations.csv, via raw.corrections,
-- matched to their figures in int_correction_targets; the latest review of a figure wins). Confirmed, changed
-- and rejected figures keep their extracted values in extracted_*; an added figure is a new row of every
-- extracted version of its file. Rejected figures stay here, marked: the rules and the values leave them out.
-- A change sets the fields it gives and empties the ones it names in cleared_fields.
with observations as (
    select * from {{ ref('stg_extraction__observations') }}
),

targets as (
    select * from {{ ref('int_correction_targets') }}
),

versions as (
    select * from {{ ref('int_report_versions_classified') }}
),

indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

latest as (
    select * from targets
    where correction_action <> 'add' and correction_rank = 1
),

extracted as (
    select
        observations.observation_id,
        observations.report_version_id,
        observations.report_id,
        observations.file_hash,
        observations.extractor_version,
        observations.seq,
        case
            when latest.correction_action = 'change' then coalesce(latest.geo_code, observations.geo_code)
            else observations.geo_code
        end as geo_code,
        case
            when latest.correction_action = 'change' then coalesce(latest.geo_level, observations.geo_level)
            else observations.geo_level
        end as geo_level,
        case
            when list_contains(latest.cleared_fields, 'geo_name') then null
            when latest.correction_action = 'change' then coalesce(latest.geo_name, observations.geo_name)
            else observations.geo_name
        end as geo_name,
        case
            when latest.correction_action = 'change' then coalesce(latest.indicator_code, observations.indicator_code)
            else observations.indicator_code
        end as indicator_code,
        case
            when latest.correction_action = 'change' then coalesce(latest.value, observations.value)
            else observations.value
        end as value,
        case
            when list_contains(latest.cleared_fields, 'denominator') then null
            when latest.correction_action = 'change' then coalesce(latest.denominator, observations.denominator)
            else observations.denominator
        end as denominator,
        -- a changed indicator takes its unit from the catalogue
        case
            when latest.correction_action = 'change' and latest.indicator_code is not null then indicators.unit
            else observations.unit
        end as unit,
        case
            when list_contains(latest.cleared_fields, 'period') then null
            when latest.correction_action = 'change' then coalesce(latest.period, observations.period)
            else observations.period
        end as period,
        case
            when list_contains(latest.cleared_fields, 'qualifier') then null
            when latest.correction_action = 'change' then coalesce(latest.qualifier, observations.qualifier)
            else observations.qualifier
        end as qualifier,
        observations.evidence,
        observations.char_start,
        observations.char_end,
        observations.indicator_code as extracted_indicator_code,
        observations.value as extracted_value,
        observations.denominator as extracted_denominator,
        observations.geo_code as extracted_geo_code,
        observations.geo_level as extracted_geo_level,
        observations.geo_name as extracted_geo_name,
        observations.period as extracted_period,
        observations.qualifier as extracted_qualifier,
        latest.correction_id,
        case latest.correction_action
            when 'confirm' then 'confirmed'
            when 'change' then 'changed'
            when 'reject' then 'rejected'
        end as correction_status,
        latest.correction_reason,
        latest.corrected_by,
        latest.corrected_at
    from observations
    left join latest on observations.observation_id = latest.observation_id
    left join indicators on latest.indicator_code = indicators.indicator_code
),

added as (
    select
        corrections.observation_id,
        versions.report_version_id,
        versions.report_id,
        versions.file_hash,
        versions.extractor_version,
        cast(null as integer) as seq,
        corrections.geo_code,
        coalesce(corrections.geo_level, case when corrections.geo_code = '00' then 'national' else 'province' end)
            as geo_level,
        corrections.geo_name,
        corrections.indicator_code,
        corrections.value,
        corrections.denominator,
        indicators.unit,
        corrections.period,
        corrections.qualifier,
        corrections.evidence,
        corrections.char_start,
        corrections.char_end,
        cast(null as varchar) as extracted_indicator_code,
        cast(null as double) as extracted_value,
        cast(null as double) as extracted_denominator,
        cast(null as varchar) as extracted_geo_code,
        cast(null as varchar) as extracted_geo_level,
        cast(null as varchar) as extracted_geo_name,
        cast(null as varchar) as extracted_period,
        cast(null as varchar) as extracted_qualifier,
        corrections.correction_id,
        'added' as correction_status,
        corrections.correction_reason,
        corrections.corrected_by,
        corrections.corrected_at
    from targets as corrections
    inner join versions on corrections.report_version_id = versions.report_version_id
    left join indicators on corrections.indicator_code = indicators.indicator_code
    where corrections.correction_action = 'add'
)

select * from extracted
union all by name
select * from added
