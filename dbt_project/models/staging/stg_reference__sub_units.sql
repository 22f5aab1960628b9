select
    era as geo_era,
    level as geo_level,
    code as unit_code,
    name as unit_name,
    kind as unit_kind,
    province_code,
    parent_code,
    successor_code,
    list_filter(string_split(coalesce(merged_from, ''), '|'), c -> c <> '') as merged_from_codes
from {{ ref('sub_units') }}
