select
    {{ fact_id('report_version_id', 'u', 'seq', 4) }} as mention_id,
    report_version_id,
    report_id,
    file_hash,
    extractor_version,
    value,
    figure_kind,
    {{ printable('figure_text', one_line=true) }} as figure_text,
    reason as unmapped_reason,
    {{ printable('nearby', one_line=true) }} as nearby,
    {{ printable('evidence') }} as evidence,
    char_start,
    char_end
from {{ source('extraction', 'unmapped_mentions') }}
