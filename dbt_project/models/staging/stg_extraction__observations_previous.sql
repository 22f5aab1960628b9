-- What the extractor version before the current one read in each report version read again (kept by the
-- extraction step when a new extractor version replaces a version's figures).
select
    {{ fact_id("report_version_id || ':' || extractor_version", '', 'seq', 4) }} as previous_id,
    report_version_id,
    extractor_version,
    replaced_by,
    replaced_at,
    geo_code,
    geo_level,
    geo_name,
    indicator as indicator_code,
    value,
    denominator,
    period,
    qualifier,
    {{ printable('evidence') }} as evidence,
    char_start,
    char_end
from {{ source('extraction', 'observations_previous') }}
