select
    code as geo_code,
    name as geo_name,
    kind as geo_kind,
    list_filter(string_split(coalesce(aliases, ''), '|'), a -> a <> '') as aliases,
    successor_code,
    successor_name
from {{ ref('provinces_2008') }}
