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
-- correction_reason, with the extracted values kept in extracted_* next to the corrected ones.
select
    observation_id,
    report_version_id,
    report_id,
    report_status,
    report_date,
    geo_key,
    geo_code,
    geo_level,
    geo_name,
    indicator_code,
    value,
    denominator,
    unit,
    period,
    period_start,
    period_end,
    period_grain,
    period_specificity,
    qualifier,
    is_target,
    evidence,
    char_start,
    char_end,
    extractor_version,
    file_hash,
    failed_rules,
    warned_rules,
    is_quarantined,
    extracted_indicator_code,
    extracted_value,
    extracted_denominator,
    extracted_geo_code,
    extracted_geo_level,
    extracted_geo_name,
    extracted_period,
    extracted_qualifier,
    correction_id,
    correction_status,
    correction_reason,
    corrected_by,
    corrected_at,
    {{ evidence_page('report_version_id', 'observation_id') }} as evidence_page,
    version_digest
from {{ ref('int_observations_flagged') }}
{% if is_incremental() %}
    where report_version_id in (
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
