"""Districts and communes through `dxw run`: reports written for this test name them before and after the 2025
reorganisation, in two spellings, and once by a name no unit has. The real dbt build resolves them against the
seeds: figures carry the official unit's key, dim_geography has one row per unit (with its code, the ways it was
written, the 2025 commune it went into) and one unresolved row for the unknown name."""

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.integration.test_pipeline import dxw_run

pytestmark = pytest.mark.integration

REPORTS = {
    "2023-08-15_ha-giang_de-an-06": (
        "Hà Giang",
        "Hà Giang đẩy mạnh kích hoạt định danh điện tử\n\n"
        "Tính đến ngày 31/7/2023, tỷ lệ kích hoạt tài khoản định danh điện tử của tỉnh Hà Giang đạt 48,2%. "
        "Huyện Mèo Vạc có tỷ lệ kích hoạt tài khoản định danh điện tử đạt 61,4%, cao nhất tỉnh. "
        "Xã Phúc Hạnh Tây có tỷ lệ kích hoạt tài khoản định danh điện tử đạt 35,0%.\n",
    ),
    "2024-05-20_ha-noi_dich-vu-cong": (
        "Hà Nội",
        "Hà Nội: dịch vụ công trực tuyến tháng 4/2024\n\n"
        "Trong tháng 4/2024, tỷ lệ hồ sơ trực tuyến của thành phố Hà Nội đạt 71,5%. "
        "Phường Trúc Bạch có tỷ lệ hồ sơ trực tuyến đạt 88,2%. Phường Thụy Khuê có tỷ lệ hồ sơ trực tuyến đạt 85,0%.\n",
    ),
    "2024-07-02_ha-noi_tay-ho": (
        "Hà Nội",
        "Tây Hồ: dịch vụ công trực tuyến 6 tháng đầu năm 2024\n\n"
        "Trong 6 tháng đầu năm 2024, phường Thuỵ Khuê có tỷ lệ hồ sơ trực tuyến đạt 86,3%.\n",
    ),
    "2026-01-10_tuyen-quang_sau-sap-xep": (
        "Tuyên Quang",
        "Tuyên Quang: chuyển đổi số sau sắp xếp đơn vị hành chính\n\n"
        "Tính đến ngày 31/12/2025, tỷ lệ kích hoạt tài khoản định danh điện tử của tỉnh Tuyên Quang đạt 83,7%. "
        "Xã Mèo Vạc có tỷ lệ kích hoạt tài khoản định danh điện tử đạt 79,5%. "
        "Trên địa bàn huyện Mèo Vạc cũ, tỷ lệ kích hoạt tài khoản định danh điện tử đạt 77,0%.\n",
    ),
    "2026-01-12_ha-noi_phuong-moi": (
        "Hà Nội",
        "Hà Nội: phường mới sau sắp xếp\n\n"
        "Tính đến ngày 31/12/2025, tỷ lệ hồ sơ trực tuyến của thành phố Hà Nội đạt 90,4%. "
        "Phường Trúc Bạch cũ có tỷ lệ hồ sơ trực tuyến đạt 93,1%.\n",
    ),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("geography")
    landing, home = root / "landing", root / "home"
    landing.mkdir()
    for report_id, (province, text) in REPORTS.items():
        (landing / f"{report_id}.txt").write_text(text, encoding="utf-8")
        meta = {"province": province, "published_date": report_id[:10]}
        (landing / f"{report_id}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    result = dxw_run(landing, home, DXW_AS_OF_DATE="2026-02-01")
    summary = result.stdout[result.stdout.find("dx-warehouse run") :]
    assert result.returncode == 0, summary + result.stderr[-3000:]
    return home


def _query(home: Path, sql: str):
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_figures_of_districts_and_communes_carry_their_official_unit(run):
    rows = _query(
        run,
        "select report_id, geo_level, geo_name, value, geo_key from fct_indicator_observations "
        "where geo_level in ('district', 'commune') order by report_id, value",
    )
    assert rows == [
        ("2023-08-15_ha-giang_de-an-06", "commune", "Phúc Hạnh Tây", 35.0, "2008:02/commune:Phúc Hạnh Tây"),
        ("2023-08-15_ha-giang_de-an-06", "district", "Mèo Vạc", 61.4, "2008:02/district:027"),
        ("2024-05-20_ha-noi_dich-vu-cong", "commune", "Thụy Khuê", 85.0, "2008:01/commune:00112"),
        ("2024-05-20_ha-noi_dich-vu-cong", "commune", "Trúc Bạch", 88.2, "2008:01/commune:00004"),
        ("2024-07-02_ha-noi_tay-ho", "commune", "Thuỵ Khuê", 86.3, "2008:01/commune:00112"),
        # after 2025-07-01: the former district keeps its key; a commune is the 2025 one (Trúc Bạch is in Ba Đình)
        ("2026-01-10_tuyen-quang_sau-sap-xep", "district", "Mèo Vạc", 77.0, "2008:02/district:027"),
        ("2026-01-10_tuyen-quang_sau-sap-xep", "commune", "Mèo Vạc", 79.5, "2025:08/commune:00769"),
        ("2026-01-12_ha-noi_phuong-moi", "commune", "Trúc Bạch", 93.1, "2025:01/commune:00004"),
    ]


def test_dim_geography_has_a_row_per_unit_with_its_code_and_the_unit_it_went_into(run):
    rows = {
        r[0]: r[1:]
        for r in _query(
            run,
            "select geo_key, geo_code, geo_name, geo_kind, geo_era, valid_to, list_sort(aliases), unit_code, "
            "is_resolved, successor_geo_key, parent_geo_key from dim_geography "
            "where geo_level in ('district', 'commune')",
        )
    }
    assert set(rows) == {
        "2008:02/district:027",
        "2008:01/commune:00004",
        "2008:01/commune:00112",
        "2025:08/commune:00769",
        "2025:01/commune:00004",
        "2025:01/commune:00103",  # where Thụy Khuê went (Tây Hồ): a successor has a row, named or not
        "2008:02/commune:Phúc Hạnh Tây",
    }
    assert rows["2008:02/district:027"] == (
        "02", "Mèo Vạc", "huyện", "2008", date(2025, 6, 30), [], "027", True, None, "2008:02",
    )  # fmt: skip
    code, name, kind, era, _, aliases, unit, resolved, successor, parent = rows["2008:01/commune:00112"]
    assert {name, *aliases} == {"Thụy Khuê", "Thuỵ Khuê"} and (unit, kind, resolved) == ("00112", "phường", True)
    assert successor == "2025:01/commune:00103" and rows[successor][1] == "Tây Hồ"
    assert rows["2008:01/commune:00004"][-2] == "2025:01/commune:00004"
    new = rows["2025:01/commune:00004"]
    assert (new[1], new[3], new[5], new[6], new[9]) == ("Ba Đình", "2025", ["Trúc Bạch"], "00004", "2025:01")
    unresolved = ("commune", "2008", date(2025, 6, 30), [], None, False, None, "2008:02")
    assert rows["2008:02/commune:Phúc Hạnh Tây"][2:] == unresolved


def test_the_merged_from_codes_of_a_2025_commune_name_the_communes_it_was_formed_from(run):
    [(merged,)] = _query(run, "select merged_from_codes from dim_geography where geo_key = '2025:01/commune:00004'")
    assert "00004" in merged and len(merged) > 1
