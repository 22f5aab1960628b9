-- Corrections that find no figure of a current report version: listed, never silently dropped. Either the
-- report changed (no current version has the file's content hash: the file was edited or withdrawn) or the
-- figure vanished (the file is current but no figure of it has the evidence's offsets or text, and the
-- extracted indicator and value the correction names). A correction outranked by a later review of the same
-- figure is not orphaned. The analyst re-reviews the figure, edits the file, and the row goes.
with corrections as (
    select * from {{ ref('stg_corrections__observations') }}
),

current_versions as (
    select * from {{ ref('int_report_versions_classified') }}
    where report_status = 'current'
),

found as (
    select distinct targets.correction_id
    from {{ ref('int_correction_targets') }} as targets
    inner join current_versions on targets.report_version_id = current_versions.report_version_id
)

select
    corrections.correction_id,
    corrections.correction_line,
    corrections.correction_action,
    corrections.file_hash,
    corrections.report_id,
    corrections.char_start,
    corrections.char_end,
    corrections.evidence,
    corrections.was_indicator_code,
    corrections.was_value,
    corrections.correction_reason,
    corrections.corrected_by,
    corrections.corrected_at,
    case
        when corrections.file_hash not in (select current_versions.file_hash from current_versions)
            then 'report changed'
        else 'figure vanished'
    end as orphan_reason
from corrections
where corrections.correction_id not in (select found.correction_id from found)
