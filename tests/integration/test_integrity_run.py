"""What a run publishes is whole and honest whatever a report holds (issue 17.6, 17.11b). One real `dxw run`
(Dagster, dbt, DuckDB, GX) on the samples next to two crafted reports:

- a report on a single line (~370 KB) citing 1,001 plans and handing out 1,001 tasks, with ~10,300 numbers
  that map to no indicator: every key of every published mart stays unique (ids once cut a sequence number
  above 999 to three digits, so the 1,000th instruction took the 100th's id);
- a provincial-style report that names no place: its figures are kept with an unknown place, flagged, left out of
  fct_indicator_values, listed first by `dxw review export`, never published as the nation's.
"""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES, mart_keys
from tests.integration.test_pipeline import DXW, _env, _summary, dxw_run

pytestmark = pytest.mark.integration

LONG = "2024-06-03_mot-dong"
NO_PLACE = "2024-09-30_bao-cao-khong-noi"
N_DOCUMENTS = N_INSTRUCTIONS = 1001
N_VILLAGES = 3100  # three numbers each that map to no indicator: with the tasks' batch numbers > 10,000


def single_line_report() -> str:
    parts = ["Báo cáo của UBND tỉnh Lạng Sơn về chuyển đổi số năm 2024."]
    parts += [f"Thực hiện Kế hoạch số {i}/KH-UBND ngày 12/3/2024 của UBND tỉnh." for i in range(1, N_DOCUMENTS + 1)]
    parts += [
        f"UBND tỉnh giao Sở Nội vụ hoàn thành việc số hóa hồ sơ đợt {i} trước ngày 30/6/2024."
        for i in range(1, N_INSTRUCTIONS + 1)
    ]
    parts += [f"Thôn {i} có {i + 17} hộ nuôi {i + 3} con bò." for i in range(1, N_VILLAGES + 1)]
    return " ".join(parts)


NO_PLACE_TEXT = """Báo cáo kết quả thực hiện Đề án 06 chín tháng đầu năm 2024

Chín tháng đầu năm 2024, đã kích hoạt 245.310 tài khoản định danh điện tử mức độ 2.
Tỷ lệ hồ sơ trực tuyến toàn trình đạt 41,5%.
Đã cấp 512.004 thẻ căn cước có gắn chip cho công dân.
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("integrity")
    land, home = root / "landing", root / "home"
    shutil.copytree(SAMPLES, land)
    (land / f"{LONG}.txt").write_text(single_line_report(), encoding="utf-8")
    (land / f"{NO_PLACE}.txt").write_text(NO_PLACE_TEXT, encoding="utf-8")
    result = dxw_run(land, home, DXW_AS_OF_DATE="2025-06-01")
    return result, home


def _query(home: Path, sql: str, params=None):
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_mart_key_is_unique_even_for_a_huge_single_line_report(run):
    result, home = run
    summary = _summary(result)
    assert result.returncode == 0, summary + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert "dbt_tests" not in summary  # no failing dbt test (a duplicate key fails its model's check)
    counts = _query(
        home,
        """select (select count(*) from fct_instructions where report_id = ?),
                  (select count(*) from fct_directive_documents where report_id = ?),
                  (select count(*) from fct_unmapped_mentions where report_id = ?)""",
        [LONG, LONG, LONG],
    )[0]
    assert counts[0] >= N_INSTRUCTIONS and counts[1] >= N_DOCUMENTS and counts[2] > 10_000, counts
    keys = mart_keys()
    tables = {r[0] for r in _query(home, "select table_name from duckdb_tables() where schema_name = 'main'")}
    assert set(keys) <= tables, set(keys) - tables
    for table, columns in keys.items():
        cols = ", ".join(columns)
        duplicated = _query(home, f"select {cols}, count(*) from {table} group by all having count(*) > 1 limit 3")
        assert duplicated == [], (table, duplicated)
        nulls = " or ".join(f"{c} is null" for c in columns)
        assert _query(home, f"select count(*) from {table} where {nulls}") == [(0,)], (table, columns)


def test_a_report_that_names_no_place_is_not_published_as_the_nations(run):
    result, home = run
    summary = _summary(result)
    assert result.returncode == 0, summary + result.stderr[-3000:]  # not a hard-rule failure: nothing blocked
    assert "  no place    3 observations of a place the text never names" in summary
    rows = _query(
        home,
        """select indicator_code, value, geo_code, geo_level, geo_key, is_place_unknown, is_quarantined
           from fct_indicator_observations where report_id = ? order by indicator_code""",
        [NO_PLACE],
    )
    assert rows == [
        ("cccd_cards_issued", 512004.0, None, "unknown", None, True, False),
        ("eid_accounts_activated", 245310.0, None, "unknown", None, True, False),
        ("online_full_process_application_rate", 41.5, None, "unknown", None, True, False),
    ]
    assert _query(home, "select count(*) from fct_indicator_values where report_id = ?", [NO_PLACE]) == [(0,)]
    assert _query(home, "select count(*) from fct_indicator_values where geo_key is null") == [(0,)]
    # listed first for review, ahead of every other figure
    export = subprocess.run(
        [DXW, "review", "export", "--home", str(home)], capture_output=True, text=True, timeout=120, env=_env()
    )
    assert export.returncode == 0, export.stderr
    first = list(csv.DictReader(io.StringIO(export.stdout)))[:3]
    assert [(r["report_id"], r["geo_code"], r["geo_level"]) for r in first] == [(NO_PLACE, "", "unknown")] * 3
