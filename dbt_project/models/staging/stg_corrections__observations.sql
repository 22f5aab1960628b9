-- The reviewed corrections of extracted figures, one row per correction. correction_id is a digest of the row
-- itself: it stays the same while the row does, whatever else the file gains.
select
    md5(cast(row(
        action, file_hash, char_start, char_end, evidence, was_indicator, was_value, indicator, value,
        denominator, geo_code, geo_level, geo_name, period, qualifier, clear, reason, reviewer, reviewed_at
    ) as varchar)) as correction_id,
    line_number as correction_line,
    action as correction_action,
    file_hash,
    report_id,
    char_start,
    char_end,
    evidence,
    was_indicator as was_indicator_code,
    was_value,
    indicator as indicator_code,
    value,
    denominator,
    geo_code,
    geo_level,
    geo_name,
    period,
    qualifier,
    -- the fields a change empties (an empty cell means unchanged)
    coalesce(string_split(nullif(clear, ''), ' '), []) as cleared_fields,
    reason as correction_reason,
    reviewer as corrected_by,
    reviewed_at as corrected_at
from {{ source('corrections', 'observations') }}
