select
    report_version_id || ':i' || lpad(cast(seq as varchar), 3, '0') as instruction_id,
    report_version_id,
    report_id,
    file_hash,
    extractor_version,
    geo_code,
    issued_by,
    assignees,
    action,
    deadline as deadline_label,
    evidence,
    char_start,
    char_end
from {{ source('raw', 'instructions') }}
