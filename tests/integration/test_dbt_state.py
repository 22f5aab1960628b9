"""A table whose definitions and sources did not change is left as it is (orchestration/dbt_state.py), its tests
still run, and new data rebuilds the tables that read it. Real `dxw run`s on a copy of the samples run."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES_AS_OF, clean_env, copy_home

DXW = str(Path(sys.executable).with_name("dxw"))
AUDIT_TABLES = {"model.dx_warehouse.fct_expectation_results", "model.dx_warehouse.rpt_quality_rules"}

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def home(tmp_path_factory, samples_run) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("dbt-state")
    copy_home(samples_run, root / "landing", root / "home")
    return root / "landing", root / "home"


def _run(landing: Path, home: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home), *extra],
        capture_output=True,
        text=True,
        timeout=900,
        env=clean_env(DXW_AS_OF_DATE=SAMPLES_AS_OF),
    )


def _query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _built(home: Path) -> dict[str, object]:
    return dict(_query(home, "select unique_id, built_at from dbt_state.tables"))


def _files(home: Path) -> list[tuple]:
    return _query(home, "select * from raw.files order by file_path")


def _checks(out: subprocess.CompletedProcess) -> str:
    return next(line for line in out.stdout.splitlines() if line.startswith("checks:"))


def test_a_run_with_nothing_new_rebuilds_only_the_tables_its_validation_feeds(home):
    landing, home = home
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("delete from dbt_state.tables")  # every table built again by the next run
    rebuilding = _run(landing, home, "--force")
    assert rebuilding.returncode == 0, rebuilding.stdout[-3000:] + rebuilding.stderr[-3000:]
    built, files = _built(home), _files(home)
    assert "model.dx_warehouse.fct_indicator_values" in built
    out = _run(landing, home, "--force")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert _files(home) == files  # the sidecars settled again, not written again
    now = _built(home)
    assert {uid for uid in now if now[uid] != built.get(uid)} == AUDIT_TABLES  # the audit gets a row per run
    assert _checks(out) == _checks(rebuilding)  # every dbt test ran, on the kept tables too
    assert "0 failed" in _checks(out)


def test_the_tests_of_a_table_left_as_it_is_still_run_and_fail(home):
    landing, home = home
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:  # a broken table whose inputs did not change
        con.execute("insert into main.fct_landing_files select * from main.fct_landing_files limit 1")
    out = _run(landing, home, "--force")
    assert out.returncode == 2, out.stdout[-3000:] + out.stderr[-3000:]
    assert "error      fct_landing_files: dbt_tests" in out.stdout


def test_new_data_rebuilds_the_tables_that_read_it(home):
    landing, home = home
    built = _built(home)
    copy = landing / "2024-01-11_lang-son_tong-ket-cds-2023 (copy).txt"
    shutil.copy(landing / "2024-01-11_lang-son_tong-ket-cds-2023.txt", copy)
    out = _run(landing, home)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]  # the broken table built again
    assert _query(home, f"select status from fct_landing_files where file_path = '{copy.name}'") == [("duplicate",)]
    now = _built(home)
    assert now["model.dx_warehouse.fct_landing_files"] != built["model.dx_warehouse.fct_landing_files"]
    assert now["model.dx_warehouse.dim_indicator"] == built["model.dx_warehouse.dim_indicator"]  # reads seeds only
