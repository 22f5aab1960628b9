{#- The key of a place in dim_geography, written here only: `nat:00` for the nation (code 00, or a figure whose
    level says national), `<era>:<code>` for a province of that era (`2008:26`, `2025:25`: code 01 is Hà Nội in
    both eras, code 52 Bình Định before the merger and Gia Lai after it). Null when the code is null. -#}
{% macro geo_key(era, geo_code, geo_level=none) -%}
    case
        when {{ geo_code }} = '00'{% if geo_level %} or {{ geo_level }} = 'national'{% endif %}
            then 'nat:' || {{ geo_code }}
        else {{ era }} || ':' || {{ geo_code }}
    end
{%- endmacro %}

{#- A district's or commune's key: its province's key, then `/<level>:<unit>`, the unit's official code, or the
    name as written when it resolves to none (`2008:02/district:027`). sources/geography/resolve.py gives Python
    callers the same form (tests/unit/test_geography.py). -#}
{% macro sub_unit_key(era, province_code, geo_level, unit) -%}
    {{ era }} || ':' || {{ province_code }} || '/' || {{ geo_level }} || ':' || {{ unit }}
{%- endmacro %}
