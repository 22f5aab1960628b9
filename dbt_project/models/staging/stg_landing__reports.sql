select
    report_version_id,
    report_id,
    file_path,
    file_hash,
    content_hash,
    size_bytes,
    file_format,
    encoding,
    {{ printable('title', one_line=true) }} as title,
    sidecar_province,
    try_cast(sidecar_published_date as date) as sidecar_published_date,
    source_url,
    char_count as n_characters,
    ingested_at,
    run_id as ingest_run_id
from {{ source('landing', 'reports') }}
