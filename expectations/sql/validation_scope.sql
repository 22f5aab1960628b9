-- The rows of int_observation_rule_inputs that a report version extracted, superseded or withdrawn since the
-- last validation can affect; every other row keeps the flags it was given then. A rule compares a figure with
-- figures of the same report (rules 4, 5), of the same place and period (rules 1, 8), of the same place and
-- indicator in other periods (rule 7) and, for a national figure, of the provinces in the same period
-- (rule 9); rules 2, 3 and 6 read the row alone. So a changed figure reaches: its own report's rows, the rows
-- of its place that share its period or its indicator, and the national rows of its indicator and period.
with current_versions as (
    select
        extractions.report_version_id,
        extractions.extracted_at
    from raw.extractions as extractions
    where extractions.report_version_id in (
        select inputs.report_version_id from intermediate.int_observation_rule_inputs as inputs
    )
),

changed as (
    (
        select
            report_version_id,
            extracted_at
        from current_versions
        except
        select
            report_version_id,
            extracted_at
        from quality.validated_versions
    )
    union
    (
        select
            report_version_id,
            extracted_at
        from quality.validated_versions
        except
        select
            report_version_id,
            extracted_at
        from current_versions
    )
),

touched as (
    select distinct
        resolved.geo_key,
        resolved.indicator_code,
        resolved.period
    from intermediate.int_observations_resolved as resolved
    where resolved.report_version_id in (select changed.report_version_id from changed)
)

select inputs.*
from intermediate.int_observation_rule_inputs as inputs
where
    inputs.report_version_id in (select changed.report_version_id from changed)
    or exists (
        select 1 from touched
        where
            touched.geo_key = inputs.geo_key
            and (touched.period is not distinct from inputs.period or touched.indicator_code = inputs.indicator_code)
    )
    or (
        inputs.geo_key = 'nat:00'
        and exists (
            select 1 from touched
            where touched.indicator_code = inputs.indicator_code and touched.period is not distinct from inputs.period
        )
    )
