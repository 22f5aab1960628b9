-- One row per report version, with what became of it: current (its file still points to it), superseded (the
-- file changed since), or withdrawn (the file left the landing folder; its facts stay, marked).
with reports as (
    select * from {{ ref('stg_landing__reports') }}
),

files as (
    select * from {{ ref('stg_landing__files') }}
    where report_version_id is not null
),

extractions as (
    select * from {{ ref('stg_extraction__runs') }}
)

select
    reports.report_version_id,
    reports.report_id,
    reports.file_path,
    reports.file_hash,
    reports.title,
    reports.file_format,
    reports.encoding,
    reports.source_url,
    reports.n_characters,
    reports.ingested_at,
    reports.ingest_run_id,
    case
        when files.file_status = 'loaded' then 'current'
        when files.file_status = 'withdrawn' then 'withdrawn'
        else 'superseded'
    end as report_status,
    extractions.extractor_version,
    extractions.extracted_at,
    extractions.extraction_run_id,
    extractions.extraction_error,
    extractions.report_geo_code,
    reports.sidecar_province,
    extractions.report_date_label,
    coalesce(reports.sidecar_published_date, {{ period_end('extractions.report_date_label') }}) as report_date,
    -- the era the extractor read the report in (it decides a year-only date like "2025" from what the report
    -- cites); from the date when there was no extraction
    case
        when extractions.is_post_merger is not null
            then case when extractions.is_post_merger then '2025' else '2008' end
        when
            {{ period_end('extractions.report_date_label') }} >= date '{{ var("merger_date") }}'
            or reports.sidecar_published_date >= date '{{ var("merger_date") }}'
            then '2025'
        else '2008'
    end as geo_era,
    coalesce(extractions.n_observations, 0) as n_observations,
    coalesce(extractions.n_documents, 0) as n_documents,
    coalesce(extractions.n_instructions, 0) as n_instructions,
    coalesce(extractions.n_unmapped_mentions, 0) as n_unmapped_mentions
from reports
left join files on reports.report_version_id = files.report_version_id
left join extractions on reports.report_version_id = extractions.report_version_id
