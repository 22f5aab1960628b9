select
    code as geo_code,
    name as geo_name,
    kind as geo_kind,
    string_split(merged_from, '|') as merged_from_codes,
    admin_center,
    list_filter(string_split(coalesce(aliases, ''), '|'), a -> a <> '') as aliases
from {{ ref('provinces_2025') }}
