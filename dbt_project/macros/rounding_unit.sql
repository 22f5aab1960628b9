{% macro rounding_unit(value) -%}
{#- The unit a reported figure is rounded to: 0.001 for 0,511; 1 for 17 or 762284; 1000 for 762.000 ("762
    nghìn"). Counts below 1.000 are taken as exact: 30 and 33 are two ranks, not one rounded. -#}
case
    when {{ value }} <> floor({{ value }})
        then power(10, -length(split_part(cast({{ value }} as varchar), '.', 2)))
    when abs({{ value }}) >= 1000
        then power(10, least(6,
            length(cast(cast({{ value }} as bigint) as varchar))
            - length(rtrim(cast(cast({{ value }} as bigint) as varchar), '0'))))
    else 1
end
{%- endmacro %}
