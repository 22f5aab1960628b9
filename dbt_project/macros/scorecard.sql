{#- A value in the type of its unit: counts as whole numbers (bigint), ranks as integers, the rest as doubles. -#}
{% macro typed_value(expression, unit) -%}
    {%- if unit == 'count' -%}cast(round({{ expression }}) as bigint)
    {%- elif unit == 'rank' -%}cast(round({{ expression }}) as integer)
    {%- else -%}cast({{ expression }} as double)
    {%- endif -%}
{%- endmacro %}
