-- Instructions to agencies, with deadlines; overdue as of the warehouse's as-of date.
with instructions as (
    select * from {{ ref('stg_extraction__instructions') }}
),

versions as (
    select * from {{ ref('int_report_versions_classified') }}
)

select
    instructions.instruction_id,
    instructions.report_version_id,
    instructions.report_id,
    versions.report_status,
    versions.report_date,
    instructions.geo_code,
    instructions.issued_by,
    instructions.assignees,
    instructions.action,
    instructions.deadline_label,
    {{ period_end('instructions.deadline_label') }} as deadline_date,
    {{ as_of_date() }} as as_of_date,
    coalesce({{ period_end('instructions.deadline_label') }} < {{ as_of_date() }}, false) as is_overdue,
    instructions.evidence,
    instructions.char_start,
    instructions.char_end
from instructions
inner join versions
    on
        instructions.report_version_id = versions.report_version_id
        and instructions.extractor_version = versions.extractor_version
