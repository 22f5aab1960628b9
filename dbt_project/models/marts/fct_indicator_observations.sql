{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='report_version_id',
        on_schema_change='fail'
    )
}}
-- One row per extracted figure: report version x place x indicator x period x value. Nothing is dropped for
-- failing a check: `failed_rules` says which hard rules a figure broke (it is then quarantined: left out of
-- the values and the scorecard) and `warned_rules` which warnings it raised. Built incrementally: only the
-- report versions that are new or whose status, extraction, flags or corrections changed are deleted and
-- re-inserted. An analyst's correction (int_observations_corrected) shows in correction_status and
-- correction_reason, with the extracted values kept in extracted_* next to the corrected ones. Every place has a
-- name: a district or commune as written, the nation and a province from dim_geography (facts carry no name for
-- them), and geo_display_name from dim_geography (with its era where two eras share a name).
select
    flagged.observation_id,
    flagged.report_version_id,
    flagged.report_id,
    flagged.report_status,
    flagged.report_date,
    flagged.geo_key,
    flagged.geo_code,
    flagged.geo_level,
    coalesce(flagged.geo_name, geographies.geo_name) as geo_name,
    geographies.geo_display_name,
    flagged.indicator_code,
    flagged.value,
    flagged.denominator,
    flagged.unit,
    flagged.period,
    flagged.period_start,
    flagged.period_end,
    flagged.period_grain,
    flagged.period_specificity,
    flagged.qualifier,
    flagged.is_target,
    flagged.evidence,
    flagged.char_start,
    flagged.char_end,
    flagged.extractor_version,
    flagged.file_hash,
    flagged.failed_rules,
    flagged.warned_rules,
    flagged.is_quarantined,
    flagged.is_place_unknown,
    flagged.extracted_indicator_code,
    flagged.extracted_value,
    flagged.extracted_denominator,
    flagged.extracted_geo_code,
    flagged.extracted_geo_level,
    flagged.extracted_geo_name,
    flagged.extracted_period,
    flagged.extracted_qualifier,
    flagged.correction_id,
    flagged.correction_status,
    flagged.correction_reason,
    flagged.corrected_by,
    flagged.corrected_at,
    {{ evidence_page('flagged.report_version_id', 'flagged.observation_id') }} as evidence_page,
    flagged.version_digest
from {{ ref('int_observations_flagged') }} as flagged
left join {{ ref('dim_geography') }} as geographies on flagged.geo_key = geographies.geo_key
{% if is_incremental() %}
    where flagged.report_version_id in (
        select changed.report_version_id from (
            select distinct
                report_version_id,
                version_digest
            from {{ ref('int_observations_flagged') }}
            except
            select distinct
                report_version_id,
                version_digest
            from {{ this }}
        ) as changed
    )
{% endif %}
