select
    {{ fact_id('report_version_id', 'i', 'seq', 3) }} as instruction_id,
    report_version_id,
    report_id,
    file_hash,
    extractor_version,
    geo_code,
    {{ printable('issued_by', one_line=true) }} as issued_by,
    list_transform(assignees, assignee -> {{ printable('assignee', one_line=true) }}) as assignees,
    {{ printable('action', one_line=true) }} as action,  -- noqa: RF04
    deadline as deadline_label,
    {{ printable('evidence') }} as evidence,
    char_start,
    char_end
from {{ source('extraction', 'instructions') }}
