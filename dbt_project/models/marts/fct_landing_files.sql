-- Every entry of the landing folder as ingest accounted for it: loaded, rejected (with the reason), a duplicate
-- of another file, a sidecar, withdrawn or removed. Names and reasons come from the folder: control characters
-- are removed here as in every mart (raw.files keeps the original); the key is a digest of the exact name.
select
    md5(file_path) as file_id,
    {{ printable('file_path', one_line=true) }} as file_path,
    {{ printable('report_id', one_line=true) }} as report_id,
    file_status as status,
    {{ printable('file_status_reason', one_line=true) }} as reason,
    {{ printable('duplicate_of', one_line=true) }} as duplicate_of,
    {{ printable('file_warnings', one_line=true) }} as warnings,
    size_bytes,
    file_hash,
    report_version_id,
    first_seen_at,
    updated_at,
    last_run_id
from {{ ref('stg_landing__files') }}
