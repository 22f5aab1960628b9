-- A table, not a view (as int_observation_rule_inputs): its two tests and fct_indicator_observations (twice)
-- read it, and as a view each read computed it again (0.7-0.9 s each at 2,000 reports). Built again only when its
-- definitions or the sources it reads change (orchestration/dbt_state.py).
{{ config(materialized='table') }}

-- Observations with the rules they broke (from the latest Great Expectations validation) and a digest of
-- everything about their report version that can change after extraction (flags, status, corrections, the place
-- a district's or commune's name resolves to): the fact is rebuilt for exactly the versions whose digest moved.
with obs as (
    select * from {{ ref('int_observations_resolved') }}
),

flags as (
    select
        observation_id,
        list_sort(list(distinct rule_code) filter (where severity = 'error')) as failed_rules,
        list_sort(list(distinct rule_code) filter (where severity = 'warning')) as warned_rules
    from {{ ref('stg_quality__observation_flags') }}
    group by observation_id
),

with_flags as (
    select
        obs.*,
        coalesce(flags.failed_rules, []) as failed_rules,
        coalesce(flags.warned_rules, []) as warned_rules,
        coalesce(len(flags.failed_rules), 0) > 0 as is_quarantined
    from obs
    left join flags on obs.observation_id = flags.observation_id
)

select
    *,
    md5(string_agg(
        observation_id || '|' || coalesce(geo_key, '') || '|' || array_to_string(failed_rules, ',') || '|'
        || array_to_string(warned_rules, ',')
        || '|' || coalesce(correction_id, ''), ';'
        order by observation_id
    ) over (partition by report_version_id)
    || report_status || extractor_version) as version_digest
from with_flags
