-- What is most worth an analyst's look, one row per item with why (review_reasons) and how urgent
-- (review_priority, 1 first): 1 a quarantined figure, or one whose place the text never says (both are kept out
-- of the values; only an analyst can place the second); 2 a figure reports dispute (other current reports give
-- another value for its place, indicator, period and kind); 3 a figure a new extractor version reads
-- differently from the version before, or no longer reads (item_kind 'dropped', its old reading given to add
-- back); 4 a number that maps to no indicator (`dxw review export` keeps those next to an indicator's words);
-- 5 a figure that raised a warning; 6 a low-specificity period (none, or a year stated in a report written
-- during that year: a figure to date labelled with the whole year). A figure an analyst already reviewed leaves
-- the queue unless it is quarantined. `dxw review export` writes these rows as a correction file to fill in.
with versions as (
    select * from {{ ref('int_report_versions_classified') }}
    where report_status = 'current'
),

figures as (
    select * from {{ ref('fct_indicator_observations') }}
    where report_status = 'current'
),

-- the previous extractor version's figures of the versions the current one read again
previous as (
    select
        previous.*,
        previous.indicator_code || ' ' || {{ plain_number('previous.value') }}
        || coalesce('/' || {{ plain_number('previous.denominator') }}, '') || ' ' || coalesce(previous.geo_code, '?')
        || coalesce(' ' || previous.geo_name, '') || ' ' || coalesce(previous.period, 'no period')
        || coalesce(' ' || previous.qualifier, '') as reading
    from {{ ref('stg_extraction__observations_previous') }} as previous
    inner join versions
        on
            previous.report_version_id = versions.report_version_id
            and previous.replaced_by = versions.extractor_version
),

disputes as (
    select
        geo_key,
        indicator_code,
        period,
        is_target,
        'disputed: ' || array_to_string(
            list_sort(list(distinct {{ plain_number('value') }} || ' in ' || report_id)), ', '
        ) as reason
    from figures
    where not is_quarantined and period is not null and correction_status is distinct from 'rejected'
    group by geo_key, indicator_code, period, is_target
    having count(distinct value) > 1
),

-- pairs of a current figure and an old figure read exactly the same way
same_reading as (
    select
        figures.observation_id,
        previous.previous_id
    from figures
    inner join previous
        on
            figures.report_version_id = previous.report_version_id
            and figures.char_start = previous.char_start
            and figures.char_end = previous.char_end
            and figures.extracted_indicator_code = previous.indicator_code
            and figures.extracted_value = previous.value
            and figures.extracted_denominator is not distinct from previous.denominator
            and figures.extracted_geo_code is not distinct from previous.geo_code
            and figures.extracted_geo_level is not distinct from previous.geo_level
            and figures.extracted_geo_name is not distinct from previous.geo_name
            and figures.extracted_period is not distinct from previous.period
            and figures.extracted_qualifier is not distinct from previous.qualifier
),

reread as (
    select distinct
        report_version_id,
        extractor_version as previous_version,
        replaced_by
    from previous
),

-- figures of a re-read version that the old version did not read the same way
new_readings as (
    select figures.*
    from figures
    inner join reread on figures.report_version_id = reread.report_version_id
    where
        figures.extracted_indicator_code is not null
        and figures.observation_id not in (select same_reading.observation_id from same_reading)
),

-- old figures that no current figure reads the same way
old_readings as (
    select * from previous
    where previous_id not in (select same_reading.previous_id from same_reading)
),

extractor_changes as (
    select
        new_readings.observation_id,
        'extractor ' || any_value(reread.replaced_by) || ' reads it differently from '
        || any_value(reread.previous_version)
        || coalesce(
            ': was ' || array_to_string(list_sort(list(distinct old_readings.reading)), '; '), ': a new reading'
        ) as reason
    from new_readings
    inner join reread on new_readings.report_version_id = reread.report_version_id
    left join old_readings
        on
            new_readings.report_version_id = old_readings.report_version_id
            and new_readings.char_start = old_readings.char_start
            and new_readings.char_end = old_readings.char_end
            and new_readings.extracted_indicator_code = old_readings.indicator_code
    group by new_readings.observation_id
),

figure_reasons as (
    select
        observation_id,
        1 as priority,
        'quarantined: ' || array_to_string(failed_rules, ', ') as reason
    from figures
    where is_quarantined
    union all
    select
        observation_id,
        1 as priority,
        'place unknown: the text never says whose figure this is (set geo_code to place it)' as reason
    from figures
    where is_place_unknown
    union all
    select
        figures.observation_id,
        2 as priority,
        disputes.reason
    from figures
    inner join disputes
        on
            figures.geo_key = disputes.geo_key
            and figures.indicator_code = disputes.indicator_code
            and figures.period = disputes.period
            and figures.is_target = disputes.is_target
    where not figures.is_quarantined and figures.correction_status is distinct from 'rejected'
    union all
    select
        observation_id,
        3 as priority,
        reason
    from extractor_changes
    union all
    select
        observation_id,
        5 as priority,
        'warning: ' || array_to_string(warned_rules, ', ') as reason
    from figures
    where len(warned_rules) > 0
    union all
    select
        observation_id,
        6 as priority,
        case
            when period is null then 'no period'
            else 'year only (' || period || ') in a report of ' || cast(report_date as varchar)
        end as reason
    from figures
    where
        period is null
        or (
            period_grain = 'year' and not is_target and unit <> 'rank'
            and year(report_date) = year(period_start)
        )
),

queued as (
    select
        observation_id,
        min(priority) as review_priority,
        list(reason order by priority, reason) as review_reasons
    from figure_reasons
    group by observation_id
),

queued_figures as (
    select
        figures.observation_id as review_item_id,
        queued.review_priority,
        queued.review_reasons,
        'figure' as item_kind,
        figures.report_version_id,
        figures.report_id,
        figures.file_hash,
        figures.observation_id,
        cast(null as varchar) as mention_id,
        figures.char_start,
        figures.char_end,
        figures.evidence,
        figures.extracted_indicator_code as was_indicator_code,
        figures.extracted_value as was_value,
        figures.indicator_code,
        figures.value,
        figures.denominator,
        figures.geo_code,
        figures.geo_level,
        figures.geo_name,
        figures.period,
        figures.qualifier,
        cast(null as varchar) as nearby,
        {{ evidence_page('figures.report_version_id', 'figures.observation_id') }} as evidence_page
    from queued
    inner join figures on queued.observation_id = figures.observation_id
    where figures.correction_status is null or figures.is_quarantined
),

unmapped as (
    select
        mentions.mention_id as review_item_id,
        4 as review_priority,
        ['unmapped number (' || mentions.unmapped_reason || '): ' || mentions.figure_text] as review_reasons,
        'unmapped' as item_kind,
        mentions.report_version_id,
        mentions.report_id,
        versions.file_hash,
        cast(null as varchar) as observation_id,
        mentions.mention_id,
        mentions.char_start,
        mentions.char_end,
        mentions.evidence,
        cast(null as varchar) as was_indicator_code,
        cast(null as double) as was_value,
        cast(null as varchar) as indicator_code,
        mentions.value,
        cast(null as double) as denominator,
        nullif(versions.report_geo_code, '') as geo_code,
        cast(null as varchar) as geo_level,
        cast(null as varchar) as geo_name,
        cast(null as varchar) as period,
        cast(null as varchar) as qualifier,
        mentions.nearby,
        {{ evidence_page('mentions.report_version_id', 'mentions.mention_id') }} as evidence_page
    from {{ ref('fct_unmapped_mentions') }} as mentions
    inner join versions on mentions.report_version_id = versions.report_version_id
),

-- old figures no current figure reads the same way, and that no new reading of the sentence under that
-- indicator explains (those show as its `was`): what the new version no longer reads
dropped as (
    select
        previous.previous_id as review_item_id,
        3 as review_priority,
        [
            'extractor ' || previous.replaced_by || ' no longer reads ' || previous.reading
            || ' (' || previous.extractor_version || ' did)'
        ] as review_reasons,
        'dropped' as item_kind,
        previous.report_version_id,
        versions.report_id,
        versions.file_hash,
        cast(null as varchar) as observation_id,
        cast(null as varchar) as mention_id,
        previous.char_start,
        previous.char_end,
        previous.evidence,
        cast(null as varchar) as was_indicator_code,
        cast(null as double) as was_value,
        previous.indicator_code,
        previous.value,
        previous.denominator,
        previous.geo_code,
        previous.geo_level,
        previous.geo_name,
        previous.period,
        previous.qualifier,
        cast(null as varchar) as nearby,
        {{ evidence_page('previous.report_version_id') }} as evidence_page
    from old_readings as previous
    inner join versions on previous.report_version_id = versions.report_version_id
    where not exists (
        select 1 from new_readings
        where
            new_readings.report_version_id = previous.report_version_id
            and new_readings.char_start = previous.char_start
            and new_readings.char_end = previous.char_end
            and new_readings.extracted_indicator_code = previous.indicator_code
    )
)

select * from queued_figures
union all by name
select * from unmapped
union all by name
select * from dropped
