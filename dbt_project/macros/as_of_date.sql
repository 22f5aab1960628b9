{#- The warehouse's as-of date: DXW_AS_OF_DATE when set (dxw sets it), else today. -#}
{% macro as_of_date() -%}
    {%- set value = env_var('DXW_AS_OF_DATE', '') -%}
    {%- if value -%}cast('{{ value }}' as date){%- else -%}current_date{%- endif -%}
{%- endmacro %}
