-- Instructions to agencies, with deadlines; overdue as of the warehouse's as-of date. The place is keyed in the
-- report's era (geo_key), as figures are: a geo_code alone names two units across the 2025 merger.
with instructions as (
    select * from {{ ref('stg_extraction__instructions') }}
),

versions as (
    select * from {{ ref('int_report_versions_classified') }}
),

keyed as (
    select
        instructions.*,
        versions.report_status,
        versions.report_date,
        {{ geo_key('versions.geo_era', 'instructions.geo_code') }} as geo_key
    from instructions
    inner join versions
        on
            instructions.report_version_id = versions.report_version_id
            and instructions.extractor_version = versions.extractor_version
)

select
    keyed.instruction_id,
    keyed.report_version_id,
    keyed.report_id,
    keyed.report_status,
    keyed.report_date,
    keyed.geo_key,
    keyed.geo_code,
    geographies.geo_level,
    geographies.geo_name,
    geographies.geo_display_name,
    keyed.issued_by,
    keyed.assignees,
    keyed.action,
    keyed.deadline_label,
    {{ period_end('keyed.deadline_label') }} as deadline_date,
    {{ as_of_date() }} as as_of_date,
    coalesce({{ period_end('keyed.deadline_label') }} < {{ as_of_date() }}, false) as is_overdue,
    keyed.evidence,
    keyed.char_start,
    keyed.char_end
from keyed
left join {{ ref('dim_geography') }} as geographies on keyed.geo_key = geographies.geo_key
