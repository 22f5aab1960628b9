select
    report_version_id,
    extractor_version,
    extracted_at,
    run_id as extraction_run_id,
    report_date as report_date_label,
    report_geo_code,
    post_merger as is_post_merger,
    {{ printable('title', one_line=true) }} as extracted_title,
    observation_count as n_observations,
    document_count as n_documents,
    instruction_count as n_instructions,
    unmapped_count as n_unmapped_mentions,
    error as extraction_error
from {{ source('extraction', 'runs') }}
