-- One row per report version; the place a report is about is keyed in its era and named (report_geo_*).
select
    versions.report_version_id,
    versions.report_id,
    versions.file_path,
    versions.file_hash,
    versions.title,
    coalesce(versions.report_geo_code, '') as report_geo_code,
    geographies.geo_key as report_geo_key,
    geographies.geo_display_name as report_geo_display_name,
    versions.sidecar_province,
    versions.report_date,
    versions.report_date_label,
    versions.source_url,
    versions.file_format,
    versions.encoding,
    versions.n_characters,
    versions.ingested_at,
    versions.extractor_version,
    versions.extracted_at,
    versions.extraction_error,
    versions.report_status,
    versions.n_observations,
    versions.n_documents,
    versions.n_instructions,
    versions.n_unmapped_mentions
from {{ ref('int_report_versions_classified') }} as versions
left join {{ ref('dim_geography') }} as geographies
    on
        geographies.geo_key = {{ geo_key('versions.geo_era', 'versions.report_geo_code') }}
