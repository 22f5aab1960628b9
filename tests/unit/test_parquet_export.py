"""The Parquet export: marts with figures by period partitioned by indicator and year (Hive layout), to a local
folder or any fsspec location, each publish replacing the last (no partition of an earlier run left behind)."""

import json
from datetime import date

import duckdb
import fsspec
import pyarrow.dataset as ds

from orchestration.serving.snapshot import publish

ROWS = [
    ("01", "eid_accounts_activated", date(2023, 12, 31), 10.0),
    ("01", "eid_accounts_activated", date(2024, 6, 30), 12.0),
    ("01", "dti_rank", date(2024, 1, 1), 3.0),
    ("26", "dti_rank", None, 6.0),  # a figure without a period start: the Hive default partition
]


def _warehouse(path, rows=ROWS) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute(
        "create or replace table fct_values (geo_code varchar, indicator_code varchar, period_start date, value double)"
    )
    con.executemany("insert into fct_values values (?, ?, ?, ?)", rows)
    con.execute(
        "create or replace table dim_indicator as "
        "select 'dti_rank' as indicator_code, date '2020-01-01' as period_start"
    )
    con.execute("create or replace table fct_empty (indicator_code varchar, period_start date, value double)")
    con.execute("create or replace table mart_scores as select '01' as geo_code, date '2024-01-01' as period_start")
    return con


def _read(location: str, mart: str, where: str = "true", fs=None) -> list[tuple]:
    reader = duckdb.connect()
    if fs is not None:
        reader.register_filesystem(fs)
    return reader.execute(
        f"select * exclude (filename) from read_parquet('{location}/{mart}/**/*.parquet', hive_partitioning = true, "
        f"filename = true) where {where} order by all"
    ).fetchall()


def test_marts_are_partitioned_by_indicator_and_year_in_a_local_folder(tmp_path):
    con = _warehouse(tmp_path / "w.duckdb")
    published = publish(con, tmp_path / "serving", "run-1")
    root = tmp_path / "serving" / "parquet"
    assert published.parquet_location == str(root)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert files == [
        "dim_indicator/data_0.parquet",  # a dimension is one file
        # an empty mart: one empty file where a Hive reader looks
        "fct_empty/indicator_code=__HIVE_DEFAULT_PARTITION__/year=__HIVE_DEFAULT_PARTITION__/data_0.parquet",
        "fct_values/indicator_code=dti_rank/year=2024/data_0.parquet",
        "fct_values/indicator_code=dti_rank/year=__HIVE_DEFAULT_PARTITION__/data_0.parquet",  # no period start
        "fct_values/indicator_code=eid_accounts_activated/year=2023/data_0.parquet",
        "fct_values/indicator_code=eid_accounts_activated/year=2024/data_0.parquet",
        "mart_scores/year=2024/data_0.parquet",  # figures by period without an indicator: by year
    ]
    # a reader filtering on indicator and year gets the rows, with the partition columns from the paths
    assert _read(str(root), "fct_values", "indicator_code = 'eid_accounts_activated' and year = 2024") == [
        ("01", date(2024, 6, 30), 12.0, "eid_accounts_activated", 2024)
    ]
    assert len(_read(str(root), "fct_values")) == len(ROWS)
    assert _read(str(root), "fct_empty") == []
    assert _read(str(root), "fct_values", "year is null") == [("26", None, 6.0, "dti_rank", None)]
    dataset = ds.dataset(root / "fct_values", format="parquet", partitioning="hive")
    assert dataset.to_table(filter=ds.field("year") == 2023).column("value").to_pylist() == [10.0]
    assert json.loads((root / "_publication.json").read_text())["tables"] == {
        "dim_indicator": 1,
        "fct_empty": 0,
        "fct_values": 4,
        "mart_scores": 1,
    }
    # the next publish replaces every mart: an indicator gone from the mart leaves no folder behind
    con = _warehouse(tmp_path / "w.duckdb", ROWS[:2])
    publish(con, tmp_path / "serving", "run-2")
    assert sorted(p.name for p in (root / "fct_values").iterdir()) == ["indicator_code=eid_accounts_activated"]
    assert sorted(p.name for p in (tmp_path / "serving").iterdir()) == ["parquet", "warehouse.duckdb"]


def test_the_export_goes_to_any_fsspec_location(tmp_path):
    fs = fsspec.filesystem("memory")
    location = "memory://dxw-test/warehouse"
    con = _warehouse(tmp_path / "w.duckdb")
    published = publish(con, tmp_path / "serving", "run-1", location)
    assert published.parquet_location == location
    assert fs.exists("/dxw-test/warehouse/fct_values/indicator_code=dti_rank/year=2024/data_0.parquet")
    assert _read(location, "fct_values", "year = 2024 and indicator_code = 'dti_rank'", fs) == [
        ("01", date(2024, 1, 1), 3.0, "dti_rank", 2024)
    ]
    note = json.loads(fs.cat("/dxw-test/warehouse/_publication.json"))
    assert note["run_id"] == "run-1" and note["location"] == location
    # the serving folder keeps the note (when this copy was published) and no Parquet of its own
    local = tmp_path / "serving" / "parquet"
    assert [p.name for p in local.iterdir()] == ["_publication.json"]
    con = _warehouse(tmp_path / "w.duckdb", ROWS[:2])
    publish(con, tmp_path / "serving", "run-2", location)
    assert fs.ls("/dxw-test/warehouse/fct_values", detail=False) == [
        "/dxw-test/warehouse/fct_values/indicator_code=eid_accounts_activated"
    ]
    assert sorted(p.rsplit("/", 1)[-1] for p in fs.ls("/dxw-test/warehouse", detail=False)) == [
        "_publication.json",
        "dim_indicator",
        "fct_empty",
        "fct_values",
        "mart_scores",
    ]
    fs.rm("/dxw-test", recursive=True)
