-- What each reviewed correction finds: one row per correction and figure it targets (an added figure targets
-- every extracted version of its file, as a figure of its own whose id is built here). A correction finds its
-- figure by what survives re-extraction: the file's content hash and the evidence's offsets or its text, and,
-- when given, the figure's extracted indicator and value (a sentence often states several figures). Where several
-- corrections find one figure, the latest review wins (correction_rank 1). A correction with no row here for a
-- current version is orphaned.
with observations as (
    select * from {{ ref('stg_extraction__observations') }}
),

corrections as (
    select * from {{ ref('stg_corrections__observations') }}
),

versions as (
    select * from {{ ref('int_report_versions_classified') }}
    where extractor_version is not null
),

found as (
    select
        corrections.*,
        observations.observation_id,
        observations.report_version_id,
        row_number() over (
            partition by observations.observation_id
            order by corrections.corrected_at desc, corrections.correction_line desc
        ) as correction_rank
    from corrections
    inner join observations
        on
            corrections.file_hash = observations.file_hash
            and (corrections.was_indicator_code is null or corrections.was_indicator_code = observations.indicator_code)
            and (corrections.was_value is null or corrections.was_value = observations.value)
            and (
                (corrections.char_start = observations.char_start and corrections.char_end = observations.char_end)
                or corrections.evidence = observations.evidence
            )
    where corrections.correction_action <> 'add'
),

added as (
    select
        corrections.*,
        -- the added figure's own id, in each version it is added to (int_observations_corrected adds the row)
        versions.report_version_id || ':add-' || left(corrections.correction_id, 10) as observation_id,
        versions.report_version_id,
        1 as correction_rank
    from corrections
    inner join versions on corrections.file_hash = versions.file_hash
    where corrections.correction_action = 'add'
)

select * from found
union all by name
select * from added
