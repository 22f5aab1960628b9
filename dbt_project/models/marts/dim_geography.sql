select
    geo_key,
    geo_code,
    geo_level,
    geo_name,
    geo_kind,
    geo_era,
    valid_from,
    valid_to,
    aliases,
    successor_geo_code,
    case when successor_geo_code is not null then '2025:' || successor_geo_code end as successor_geo_key,
    merged_from_codes,
    parent_geo_key
from {{ ref('int_geographies_unioned') }}
