{#- A value as text the way a reader writes it: 20, 94.9, 1013000000 (not 20.0 or 1.013e9). -#}
{% macro plain_number(value) -%}
    case
        when {{ value }} = floor({{ value }}) and abs({{ value }}) < 1e15
            then cast(cast({{ value }} as hugeint) as varchar)
        else cast({{ value }} as varchar)
    end
{%- endmacro %}
