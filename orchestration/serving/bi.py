"""What BI tools need from the serving copy beyond the tables: the dbt descriptions, and a `bi` schema without
list columns.

- `create table ... as select` copies data, not comments: the comments dbt persisted from the YAML
  (`persist_docs`) are written again on the copy, so a BI tool shows each table's and column's description.
- SQLAlchemy's DuckDB dialect (duckdb-engine, what Superset uses) reflects a list column (`varchar[]`) as
  NullType: schema `bi` has one view per mart with its list columns as JSON text (`["Sở A","Sở B"]`) and the
  same comments. DuckDB, pandas and Parquet readers keep the lists in `main`.
"""

from __future__ import annotations

import duckdb

from orchestration.warehouse import sql_string

BI_SCHEMA = "bi"
PUBLICATION = {  # the note publish adds beside the marts
    None: "This snapshot: the run that published it, when, and the DuckDB storage format it is written in.",
    "run_id": "The Dagster run that published the snapshot.",
    "published_at": "When the snapshot was published (UTC).",
    "storage_version": "DuckDB storage format of the file (v1.0.0: every DuckDB 1.x driver opens it).",
}


def prepare_for_bi(con: duckdb.DuckDBPyConnection, tables: list[str], target: str) -> int:
    """Copy the comments of `main.<table>` to the attached database `target`, and create its `bi` views; returns
    the number of comments written."""
    comments = con.execute(
        """select table_name, null as column_name, comment from duckdb_tables()
           where database_name = current_database() and schema_name = 'main' and comment is not null
             and table_name in (select unnest(?))
           union all
           select table_name, column_name, comment from duckdb_columns()
           where database_name = current_database() and schema_name = 'main' and comment is not null
             and table_name in (select unnest(?))""",
        [tables, tables],
    ).fetchall()
    comments += [("_publication", column, comment) for column, comment in PUBLICATION.items()]
    lists: dict[str, list[str]] = {}
    for table, column in con.execute(
        """select table_name, column_name from duckdb_columns()
           where database_name = current_database() and schema_name = 'main' and data_type like '%[]'
             and table_name in (select unnest(?)) order by table_name, column_index""",
        [tables],
    ).fetchall():
        lists.setdefault(table, []).append(column)
    con.execute(f"create schema if not exists {target}.{BI_SCHEMA}")
    for table in tables:
        replaced = ", ".join(f'cast(to_json("{c}") as varchar) as "{c}"' for c in lists.get(table, []))
        select = f"select * replace ({replaced})" if replaced else "select *"
        # resolved in the view's own database when the file is opened on its own (no catalog named here)
        con.execute(f'create or replace view {target}.{BI_SCHEMA}."{table}" as {select} from main."{table}"')
    for table, column, comment in comments:
        views = [(BI_SCHEMA, "view")] if table in tables else []  # _publication has no view
        for schema, kind in [("main", "table"), *views]:
            name = f'{target}.{schema}."{table}"' + (f'."{column}"' if column else "")
            con.execute(f"comment on {'column' if column else kind} {name} is {sql_string(comment)}")
    return len(comments)
