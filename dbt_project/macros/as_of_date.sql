{#- The warehouse's as-of date: the `as_of_date` var that dxw passes to every invocation, else today. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', '') -%}
    {%- if value -%}cast('{{ value | replace("'", "''") }}' as date){%- else -%}current_date{%- endif -%}
{%- endmacro %}
