{#- The link from a row to its report's evidence page (serving/evidence/, written at publish), relative to the
    serving folder, with the anchor of the figure (or unmapped number) when there is one. The same names as
    orchestration/serving/evidence.py: page_name() and anchor(). -#}
{% macro evidence_page(report_version_id, anchor_id=none) -%}
    'evidence/' || regexp_replace({{ report_version_id }}, '[^A-Za-z0-9_.@-]', '_', 'g') || '.html'
    {%- if anchor_id %}
        || coalesce('#obs-' || regexp_replace({{ anchor_id }}, '[^A-Za-z0-9_.-]', '-', 'g'), '')
    {%- endif %}
{%- endmacro %}
