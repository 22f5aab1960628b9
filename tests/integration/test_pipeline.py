"""The whole pipeline, as a user runs it: `dxw run` in a subprocess on a landing folder, into a temporary home.
Real Dagster materialisations, a real dbt build, a real DuckDB file, real Great Expectations validations.

The scenarios run in order on one home: first load, re-run, changed and removed files, one bad report."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES, clean_env

DXW = str(Path(sys.executable).with_name("dxw"))
VINH_PHUC = "2025-02-19_vinh-phuc_hoi-nghi-cds-de-an-06"
BAC_NINH = "2023-07-06_bac-ninh_so-ket-6-thang-cds-de-an-06"

pytestmark = pytest.mark.integration


class Pipeline:
    def __init__(self, root: Path):
        self.landing = root / "landing"
        self.home = root / "home"
        self.landing.mkdir(parents=True, exist_ok=True)
        self.last: subprocess.CompletedProcess | None = None

    def run(self, *extra: str, **env: str) -> subprocess.CompletedProcess:
        self.last = subprocess.run(
            [DXW, "run", "--landing", str(self.landing), "--home", str(self.home), *extra],
            capture_output=True,
            text=True,
            timeout=900,
            env={**_env(), "DXW_AS_OF_DATE": "2025-06-01", **env},
        )
        return self.last

    def query(self, sql: str, params=None, serving: bool = True):
        path = self.home / ("serving/warehouse.duckdb" if serving else "warehouse.duckdb")
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def _env() -> dict:
    return clean_env()


def dxw_run(landing: Path, home: Path, **env: str) -> subprocess.CompletedProcess:
    """`dxw run` on a landing folder into a home, in a clean environment plus `env`."""
    return subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=900,
        env=clean_env(**env),
    )


def _summary(result: subprocess.CompletedProcess) -> str:
    return result.stdout[result.stdout.find("dx-warehouse run") :]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    p = Pipeline(tmp_path_factory.mktemp("pipeline"))
    for f in SAMPLES.iterdir():
        shutil.copy(f, p.landing / f.name)
    (p.landing / "empty.txt").write_bytes(b"")
    (p.landing / "scan.pdf").write_bytes(b"%PDF-1.7\n\x00\x01")
    (p.landing / "garbled.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    return p


def test_first_run_loads_the_samples_and_accounts_for_every_file(pipeline):
    result = pipeline.run()
    summary = _summary(result)
    assert result.returncode == 0, summary + result.stderr[-3000:]
    assert "reports:      13 found, 10 loaded (10 new this run), 3 rejected" in summary
    assert "rejected    empty.txt: empty file" in summary
    assert "rejected    scan.pdf: unsupported format '.pdf'" in summary
    assert "rejected    garbled.txt: undecodable" in summary
    assert "checks:" in summary and "failed" in summary and " 0 failed" in summary
    # every landed file has a row: loaded, rejected with a reason, or a sidecar
    files = pipeline.query("select file_path, status, reason from raw.files order by 1", serving=False)
    assert len(files) == len(list(pipeline.landing.iterdir()))
    assert all(reason for _, status, reason in files if status == "rejected")
    # the facts a BI user asks for, from the published copy with plain SQL
    (row,) = pipeline.query(
        """select eid_accounts_activated, eid_eligible_citizens, eid_activation_rate_reported,
                  eid_activation_rate_computed
           from mart_province_scorecard where geo_code = '26' and eid_accounts_activated is not null"""
    )
    assert row == (762284, 980226, 77, 77.77)
    dti = pipeline.query(
        "select value, denominator, period from fct_indicator_values "
        "where geo_code = '20' and indicator_code = 'dti_rank' and period = '2022'"
    )
    assert dti == [(6, 63, "2022")]
    deadlines = pipeline.query("select count(*) from fct_instructions where deadline_date is not null")[0][0]
    assert deadlines >= 15


def test_a_rerun_with_nothing_new_reads_and_extracts_nothing_and_duplicates_nothing(pipeline):
    before = pipeline.query("select count(*) from fct_indicator_observations")[0][0]
    published = (pipeline.home / "serving" / "warehouse.duckdb").stat().st_mtime_ns
    result = pipeline.run()
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "nothing new since run" in result.stdout
    assert (pipeline.home / "serving" / "warehouse.duckdb").stat().st_mtime_ns == published  # not even republished
    # forced through Dagster: every step runs, yet nothing is read, extracted or duplicated
    dbt_log = pipeline.home / "dbt" / "logs" / "dbt.log"
    logged = dbt_log.stat().st_size
    result = pipeline.run("--force")
    summary = _summary(result)
    assert result.returncode == 0, summary
    assert "10 loaded (0 new this run)" in summary
    assert "extracted:    0 reports this run" in summary
    assert pipeline.query("select count(*) from fct_indicator_observations")[0][0] == before
    assert pipeline.query("select count(*) from raw.reports", serving=False)[0][0] == 10
    # dbt (in this process) reads the parse state the previous run left instead of parsing the project again
    with open(dbt_log, encoding="utf-8") as f:
        f.seek(logged)
        this_run = f.read()
    assert "Done. PASS=" in this_run
    assert "Unable to do partial parsing" not in this_run


def test_a_changed_file_supersedes_its_old_version_and_a_removed_file_is_withdrawn(pipeline):
    vp = pipeline.landing / f"{VINH_PHUC}.txt"
    text = (
        vp.read_text(encoding="utf-8")
        .replace("762.284", "771.050")
        .replace("980.226 công dân trên 14 tuổi, đạt 77%", "980.226 công dân trên 14 tuổi, đạt 78%")
    )
    assert "771.050" in text and "đạt 78%" in text
    vp.write_text(text, encoding="utf-8")
    (pipeline.landing / f"{BAC_NINH}.txt").unlink()
    result = pipeline.run()
    assert result.returncode == 0, _summary(result) + result.stderr[-2000:]
    versions = pipeline.query(
        "select report_status from dim_report where report_id = ? order by ingested_at", [VINH_PHUC]
    )
    assert versions == [("superseded",), ("current",)]
    assert pipeline.query(
        "select value from fct_indicator_values where geo_code = '26' and indicator_code = 'eid_accounts_activated'"
    ) == [(771050,)]
    # the old version's facts are kept, marked superseded; the withdrawn report's facts stay, marked withdrawn
    assert pipeline.query(
        "select count(*) from fct_indicator_observations where report_id = ? "
        "and report_status = 'superseded' and value = 762284",
        [VINH_PHUC],
    ) == [(1,)]
    assert pipeline.query(
        "select distinct report_status from fct_indicator_observations where report_id = ?", [BAC_NINH]
    ) == [("withdrawn",)]
    assert pipeline.query("select count(*) from fct_indicator_values where report_id = ?", [BAC_NINH]) == [(0,)]


def test_one_bad_report_is_quarantined_and_the_run_exits_2_after_publishing(pipeline):
    (pipeline.landing / "2025-03-05_kon-tum_bao-cao-sai.txt").write_text(
        "Kon Tum đẩy mạnh định danh điện tử\n"
        "Ngày 5/3/2025, Công an tỉnh Kon Tum cho biết toàn tỉnh đã kích hoạt 1.200.000 tài khoản định danh điện tử "
        "trên tổng số 980.226 công dân từ 14 tuổi trở lên.\n",
        encoding="utf-8",
    )
    # alone in its run, this report's figures are all of the run's new figures: a systemic failure by the
    # default 5% limit (tests/integration/test_expectations.py); here the limit is raised to see it published
    result = pipeline.run(DXW_HARD_RULE_LIMIT="0.6")
    summary = _summary(result)
    assert result.returncode == 2, summary
    assert "blocked" not in summary
    assert "r1_activated_within_eligible" in summary and "r2_value_within_denominator" in summary
    (failed,) = pipeline.query(
        "select failed_rules from fct_indicator_observations where geo_code = '62' "
        "and indicator_code = 'eid_accounts_activated'"
    )
    assert {"r1_activated_within_eligible", "r2_value_within_denominator"} <= set(failed[0])
    # quarantined: kept in the observations, left out of the values; the rest of the run was published
    assert pipeline.query(
        "select count(*) from fct_indicator_values where geo_code = '62' and indicator_code = 'eid_accounts_activated'"
    ) == [(0,)]
    assert pipeline.query(
        "select value from fct_indicator_values where geo_code = '26' and indicator_code = 'eid_accounts_activated'"
    ) == [(771050,)]
    # the audit table keeps the failing rows with their sentences
    (rows,) = pipeline.query(
        "select failing_rows from quality.expectation_results where rule = 'r1_activated_within_eligible' "
        "order by validated_at desc limit 1",
        serving=False,
    )[0]
    failing = json.loads(rows)
    assert any("1.200.000 tài khoản" in r["evidence"] for r in failing)
    assert (pipeline.home / "serving" / "data_docs" / "index.html").exists()
