select
    code as indicator_code,
    domain,
    unit,
    name_vi as indicator_name_vi,
    name_en as indicator_name_en,
    is_additive,
    is_cumulative,
    nullif(rate_of, '') as rate_of_indicator_code,
    nullif(whole_code, '') as whole_indicator_code,
    notes,
    nullif(scorecard_column, '') as scorecard_column
from {{ ref('indicators') }}
