"""Publishing copies only the marts that changed: on a real DuckDB file, the snapshot and its Parquet files."""

import os
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.loaders.publications import last_published_at
from orchestration.serving.snapshot import fingerprints, publish


@pytest.fixture
def work(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    con.execute("create table dim_place as select range as id, 'place ' || range as name from range(50)")
    con.execute("create table fct_value as select range as id, range * 1.5 as value from range(1000)")
    con.execute("create table fct_old as select 1 as id")
    yield con, tmp_path / "serving"
    con.close()


def _published(serving, sql):
    with duckdb.connect(str(serving / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_an_unchanged_warehouse_leaves_the_snapshot_as_it_is(work):
    con, serving = work
    first = publish(con, serving, "run-1")
    assert first.changed == ["dim_place", "fct_old", "fct_value"]
    stat = (serving / "warehouse.duckdb").stat()
    parquet = {p.name: p.stat().st_mtime_ns for p in (serving / "parquet").iterdir()}
    again = publish(con, serving, "run-2")
    assert again.changed == [] and again.run_id == "run-1"
    assert again.tables == {"dim_place": 50, "fct_old": 1, "fct_value": 1000}
    assert (serving / "warehouse.duckdb").stat().st_ino == stat.st_ino  # not rewritten, not even swapped
    assert {p.name: p.stat().st_mtime_ns for p in (serving / "parquet").iterdir()} == parquet
    assert _published(serving, "select run_id from _publication") == [("run-1",)]


def test_only_changed_marts_are_copied_and_dropped_ones_go(work):
    con, serving = work
    publish(con, serving, "run-1")
    kept = (serving / "parquet" / "dim_place" / "data_0.parquet").stat().st_mtime_ns
    con.execute("update fct_value set value = value + 1 where id = 7")  # one value of one row
    con.execute("drop table fct_old")
    con.execute("create table fct_new as select 2 as id")
    published = publish(con, serving, "run-2")
    assert published.changed == ["fct_new", "fct_value"]
    assert _published(serving, "select value from fct_value where id = 7") == [(11.5,)]
    assert _published(serving, "select count(*) from dim_place") == [(50,)]  # carried over from run-1's snapshot
    tables = {r[0] for r in _published(serving, "select table_name from duckdb_tables() where schema_name = 'main'")}
    assert tables == {"dim_place", "fct_value", "fct_new", "_publication"}
    views = {r[0] for r in _published(serving, "select view_name from duckdb_views() where schema_name = 'bi'")}
    assert views == {"dim_place", "fct_value", "fct_new"}  # BI tools' views follow the marts
    assert sorted(p.name for p in (serving / "parquet").iterdir() if p.is_dir()) == [
        "dim_place",
        "fct_new",
        "fct_value",
    ]  # one folder per mart (orchestration/serving/parquet.py)
    assert (serving / "parquet" / "dim_place" / "data_0.parquet").stat().st_mtime_ns == kept
    assert pq.read_table(serving / "parquet" / "fct_value" / "data_0.parquet").num_rows == 1000
    assert _published(serving, "select run_id from _publication") == [("run-2",)]


def test_each_publication_is_recorded_in_the_working_warehouse_for_the_quality_step(work):
    """The quality step counts figures new since the last publication from publish.publications, not from a file
    in the serving folder (a backward edge the asset graph did not show)."""
    con, serving = work
    assert last_published_at(con) is None
    publish(con, serving, "run-1")
    publish(con, serving, "run-2")  # nothing changed: no publication, the snapshot and its time stay
    con.execute("update fct_value set value = value + 1 where id = 7")
    publish(con, serving, "run-3")
    rows = con.execute("select run_id, marts_changed, published_at from publish.publications order by 3").fetchall()
    assert [r[:2] for r in rows] == [("run-1", ["dim_place", "fct_old", "fct_value"]), ("run-3", ["fct_value"])]
    shutil.rmtree(serving)
    assert last_published_at(con) == rows[-1][2]


def test_a_fingerprint_sees_rows_columns_and_descriptions_but_not_row_order(work):
    con, _ = work

    def print_of():
        return fingerprints(con, ["fct_value"])["fct_value"]["fingerprint"]

    before = print_of()
    con.execute("create or replace table fct_value as select * from fct_value order by id desc")
    assert print_of() == before  # the same rows in another order
    con.execute("comment on column fct_value.value is 'the value'")
    described = print_of()
    assert described != before
    con.execute("alter table fct_value rename column value to amount")
    renamed = print_of()
    assert renamed != described
    con.execute("insert into fct_value values (1, 1.5)")  # a duplicate row counts
    assert print_of() != renamed


def test_a_snapshot_without_fingerprints_is_copied_whole(work):
    con, serving = work
    serving.mkdir()
    with duckdb.connect(str(serving / "warehouse.duckdb")) as old:  # as an earlier dxw published it
        old.execute("create table _publication as select 'run-0' as run_id, 'v1.0.0' as storage_version")
        old.execute("create table fct_stale as select 1 as id")
    published = publish(con, serving, "run-1")
    assert published.changed == ["dim_place", "fct_old", "fct_value"]
    tables = {r[0] for r in _published(serving, "select table_name from duckdb_tables()")}
    assert "fct_stale" not in tables
    assert not [p for p in os.listdir(serving) if p.endswith(".tmp")]
