{#- A table model, built in place inside one transaction: the old table dropped and the new one created in the
    same statement, so a failing build rolls back to the old table and a reader sees the old table or the new one. dbt-duckdb's own
    table materialization builds under a temporary name, renames the old table away, renames the new one in, drops
    the old one after the commit and, around that, asks the catalog for foreign keys, constraints and indexes the
    project never declares: about ten statements per table where this takes three (the build, the table's comment,
    the columns' comments), and each statement costs dbt more than DuckDB. Kept from it: hooks, contracts
    (create_table_as checks and declares them), persisted docs, the relation cache (grants: DuckDB has none). -#}
{% materialization table, adapter='duckdb' %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if existing_relation is not none and not existing_relation.is_table %}
        {{ adapter.drop_relation(existing_relation) }}
    {% endif %}
    {% call statement('main') -%}
        {% if existing_relation is not none and existing_relation.is_table %}
            drop table {{ existing_relation }};
        {% endif %}
        {{ create_table_as(False, target_relation, compiled_code) }}
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
