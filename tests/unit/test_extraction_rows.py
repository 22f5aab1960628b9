"""Extraction into the raw tables: a figure beyond 2^53 is stored, a report whose extraction fails fails alone.

Real DuckDB, the shipped samples and crafted reports (written for this test), extraction in this process.
"""

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from orchestration.cluster import EngineConfig
from orchestration.loaders import extracted_facts, landed_files
from sources.extract import extract_report
from sources.rows import to_arrow
from tests.conftest import FAILING_REPORT, FAILING_REPORT_NAME

SAMPLES = Path(__file__).resolve().parents[2] / "sources" / "samples" / "reports"
# 27 triệu tỷ = 2.7e16: an int beyond 2^53, which Arrow refused to turn into a double (issue 17, item 0)
HUGE_REVENUE = (
    "UBND tỉnh Hà Nam\nBáo cáo tình hình kinh tế số năm 2024\nNăm 2024, doanh thu của các doanh nghiệp công "
    "nghệ số trên địa bàn tỉnh được ghi nhận là 27 triệu tỷ đồng theo số liệu sơ bộ.\n"
)


def _warehouse(tmp_path: Path, crafted: dict[str, str]) -> duckdb.DuckDBPyConnection:
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLES, landing)
    for name, text in crafted.items():
        (landing / name).write_text(text, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    landed_files.ingest(con, landing, "run-1", progress=lambda _: None)
    return con


def test_a_figure_beyond_2_to_the_53_is_a_double_and_one_beyond_a_double_is_refused_by_name():
    schema = pa.schema([("seq", pa.int32()), ("value", pa.float64())])
    table = to_arrow([{"seq": 0, "value": 27_000_000_000_000_000, "other": "x"}], schema, "raw.unmapped_mentions")
    assert table.column_names == ["seq", "value"]
    assert table.column("value").to_pylist() == [2.7e16]
    with pytest.raises(ValueError, match=r"raw\.unmapped_mentions\.value: 1000+ is beyond the range of a double"):
        to_arrow([{"seq": 0, "value": 10**400}], schema, "raw.unmapped_mentions")


def test_27_trieu_ty_dong_is_extracted_into_the_warehouse(tmp_path):
    con = _warehouse(tmp_path, {"2025-01-10_ha-nam_kinh-te-so.txt": HUGE_REVENUE})
    summary = extracted_facts.extract_pending(con, "run-1", batch_size=200, engine=EngineConfig(workers=1))
    assert summary.errors == []
    assert summary.reports == 11
    assert con.execute(
        "select value, figure_text from raw.unmapped_mentions where report_id = '2025-01-10_ha-nam_kinh-te-so'"
    ).fetchall() == [(2.7e16, "27 triệu tỷ")]


def test_a_report_whose_extraction_fails_is_recorded_and_the_others_are_extracted(tmp_path):
    name = FAILING_REPORT_NAME.removesuffix(".txt")
    with pytest.raises(OverflowError):  # if the extractor handles it one day, craft another failing input
        extract_report(FAILING_REPORT, name)
    con = _warehouse(tmp_path, {FAILING_REPORT_NAME: FAILING_REPORT})
    summary = extracted_facts.extract_pending(con, "run-1", batch_size=4, engine=EngineConfig(workers=1))
    [(version, error)] = summary.errors
    assert version.startswith(f"{name}@") and error.startswith("OverflowError: ")
    assert summary.reports == 10 and summary.observations > 100
    assert extracted_facts.failed_extractions(con) == [(FAILING_REPORT_NAME, version, error)]
    per_report = dict(
        con.execute(
            """select e.report_version_id, count(o.seq) from raw.extractions e
               left join raw.observations o using (report_version_id) group by 1"""
        ).fetchall()
    )
    assert len(per_report) == 11 and per_report[version] == 0
    assert all(n > 0 for v, n in per_report.items() if v != version)
    # the failed report is tried again by the next run that extracts; the others are not
    assert extracted_facts.pending_versions(con) == [version]
