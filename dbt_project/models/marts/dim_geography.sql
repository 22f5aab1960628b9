select
    geo_key,
    geo_code,
    geo_level,
    geo_name,
    geo_display_name,
    geo_kind,
    geo_era,
    valid_from,
    valid_to,
    aliases,
    successor_geo_code,
    successor_geo_key,
    merged_from_codes,
    parent_geo_key,
    unit_code,
    is_resolved
from {{ ref('int_geographies_named') }}
