{#- The id of an extracted fact: its report version, a kind letter and its ordinal in the version's extraction
    (`<version>:i007`), zero-padded to `width` digits and never cut: DuckDB's lpad truncates a longer string
    (lpad('1000', 3, '0') = '100'), which gave the 1,000th instruction of a report the 100th's id. Ids below
    10^width keep the padded form they always had (anchors, links and corrections stay valid). -#}
{% macro fact_id(version, kind, seq, width) -%}
    {{ version }} || ':{{ kind }}' || printf('%0{{ width }}d', {{ seq }})
{%- endmacro %}
