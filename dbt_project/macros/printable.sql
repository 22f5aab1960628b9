{#- Report text as the marts show it: terminal escape sequences (ESC [ … m colours, ESC ] … BEL titles, 8-bit
    CSI) and other control characters removed, so that no BI tool, CSV or terminal acts on them. Line feeds
    and tabs are kept unless `one_line` (titles), where they become a space. The raw layer keeps the original:
    cleaning here, in staging, gives every model above the same text from one place. -#}
{% macro printable(column, one_line=false) -%}
    {%- set sequences = '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(\\x07|\\x1b\\\\)?'
        ~ '|\\x1b[@-_]?|\\x{9b}[0-?]*[ -/]*[@-~]' -%}
    {%- set controls = '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]' -%}
    {%- set text = "regexp_replace(" ~ column ~ ", '" ~ sequences ~ "', '', 'g')" -%}
    {%- if one_line -%}
        {%- set text = "regexp_replace(" ~ text ~ ", '[\\t\\n\\r]+', ' ', 'g')" -%}
    {%- endif -%}
    regexp_replace({{ text }}, '{{ controls }}', '', 'g')
{%- endmacro %}
