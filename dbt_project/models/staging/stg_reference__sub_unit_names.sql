select
    era as geo_era,
    province_code as geo_code,
    level as geo_level,
    key_kind,
    name_key,
    unit_era,
    unit_code,
    resolved_by
from {{ ref('sub_unit_names') }}
