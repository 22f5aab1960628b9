select
    file_path,
    report_id,
    file_hash,
    content_hash,
    size_bytes,
    status as file_status,
    reason as file_status_reason,
    duplicate_of,
    warnings as file_warnings,
    report_version_id,
    first_seen_at,
    updated_at,
    run_id as last_run_id
from {{ source('landing', 'files') }}
