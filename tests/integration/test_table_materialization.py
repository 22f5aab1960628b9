"""The project's table materialization (dbt_project/materializations/table.sql) on a small dbt project of
its own: a real dbt-duckdb build that replaces a table, keeps the old one when the new one fails, persists the
docs, and replaces a view of the same name."""

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunner

from orchestration import dbt_runner
from orchestration.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "macros").mkdir()
    source = DBT_PROJECT_DIR / "materializations" / "table.sql"
    (root / "macros" / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "dbt_project.yml").write_text(
        yaml.safe_dump(
            {
                "name": "tables",
                "version": "1.0.0",
                "config-version": 2,
                "profile": "tables",
                "models": {"tables": {"+materialized": "table", "+persist_docs": {"relation": True, "columns": True}}},
            }
        ),
        encoding="utf-8",
    )
    (root / "models" / "_models.yml").write_text(
        yaml.safe_dump(
            {
                "version": 2,
                "models": [
                    {
                        "name": "numbers",
                        "description": "Some numbers.",
                        "columns": [{"name": "n", "description": "A number."}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (root / "models" / "reader.sql").write_text(
        "{{ config(materialized='view') }}\nselect n from {{ ref('numbers') }}\n", encoding="utf-8"
    )
    database = tmp_path / "tables.duckdb"
    profiles = {"tables": {"target": "t", "outputs": {"t": {"type": "duckdb", "path": str(database), "threads": 1}}}}
    (root / "profiles.yml").write_text(yaml.safe_dump(profiles), encoding="utf-8")
    return root, database


def _build(root, sql: str) -> bool:
    (root / "models" / "numbers.sql").write_text(sql, encoding="utf-8")
    args = ["build", "--project-dir", str(root), "--profiles-dir", str(root), "--log-level", "none"]
    args += ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    try:
        return dbtRunner().invoke(args).success
    finally:
        dbt_runner._release_warehouse()  # dbt-duckdb keeps its connection open otherwise


def _rows(database, sql):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_table_is_replaced_and_kept_when_its_new_build_fails(project):
    root, database = project
    assert _build(root, "select 1 as n")
    assert _build(root, "select unnest([1, 2]) as n")
    ran = (root / "target" / "run" / "tables" / "models" / "numbers.sql").read_text(encoding="utf-8")
    assert "drop table" in ran and "__dbt_tmp" not in ran  # this project's materialization, not dbt-duckdb's
    assert _rows(database, "select n from main.reader order by n") == [(1,), (2,)]
    assert _rows(database, "select comment from duckdb_tables() where table_name = 'numbers'") == [("Some numbers.",)]
    assert _rows(database, "select comment from duckdb_columns() where table_name = 'numbers'") == [("A number.",)]

    assert not _build(root, "select n from no_such_table")
    assert _rows(database, "select n from main.numbers order by n") == [(1,), (2,)]  # the old table, whole
    assert _rows(database, "select count(*) from duckdb_tables() where table_name like 'numbers%'") == [(1,)]


def test_a_view_of_the_same_name_is_replaced_by_the_table(project):
    root, database = project
    with duckdb.connect(str(database)) as con:
        con.execute("create view main.numbers as select 7 as n")
    assert _build(root, "select 3 as n")
    assert _rows(database, "select table_type from information_schema.tables where table_name = 'numbers'") == [
        ("BASE TABLE",)
    ]
    assert _rows(database, "select n from main.reader") == [(3,)]
