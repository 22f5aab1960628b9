select
    indicator_code,
    domain,
    unit,
    indicator_name_vi,
    indicator_name_en,
    is_additive,
    is_cumulative,
    rate_of_indicator_code,
    whole_indicator_code,
    notes,
    scorecard_column
from {{ ref('stg_reference__indicators') }}
