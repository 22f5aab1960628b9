{#- dbt's rule (the model's full_refresh config, else the --full-refresh flag), and one more: an incremental model
    whose table lacks a column its YAML declares (a column added by a newer version of the project) is rebuilt in
    full rather than failing its on_schema_change='fail', so a new version runs on a warehouse an older one built.
    The rebuild reads every row again from upstream, so nothing is lost; a column removed still fails loudly. -#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is none -%}
        {%- set configured = flags.FULL_REFRESH -%}
    {%- endif -%}
    {%- if configured or not execute or config.get('materialized') != 'incremental' -%}
        {%- do return(configured) -%}
    {%- endif -%}
    {%- set existing = load_cached_relation(this) -%}
    {%- if existing is none or existing.is_view -%}
        {%- do return(configured) -%}
    {%- endif -%}
    {%- set have = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {%- set missing = model.columns.keys() | map('lower') | reject('in', have) | list -%}
    {%- if missing -%}
        {%- do log(this ~ ' lacks ' ~ missing | join(', ') ~ ': rebuilt in full', info=true) -%}
    {%- endif -%}
    {%- do return(missing | length > 0) -%}
{% endmacro %}
