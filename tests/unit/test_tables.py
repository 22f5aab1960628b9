"""Ranking tables flattened into report text, written for these tests (another index year, other columns)."""

from sources.extract import extract_report
from sources.extract.tables import heading_columns

TABLE_2024 = """Bảng xếp hạng chỉ số chuyển đổi số cấp tỉnh năm 2024

Xếp hạng
DTI
Tỉnh, thành phố
Chỉ số
Hạ tầng số
Chỉ số
Thể chế số
Điểm DTI
1 Quảng Ninh 0.8101 0.7000 0.7412
2 TP. Hà Nội 0.7950 0.8000 0.7288
3 Bắc Ninh 0.7702 0.6500 0.7010
4 Đồng Nai 0.6999 0.7000 0.6870
"""


def test_headings_name_the_columns_left_to_right():
    cols = heading_columns("Xếp hạng DTI Tỉnh, thành phố Chỉ số Hạ tầng số Chỉ số Thể chế số Điểm DTI")
    assert cols == ["dti_rank", "place", "digital_infrastructure_score", None, "dti_score"]


def test_a_flattened_ranking_table_gives_one_figure_per_cell_that_maps():
    extraction = extract_report(TABLE_2024, "bxh_2024")
    got = {(o.geo_code, o.indicator, o.value, o.period) for o in extraction.observations}
    assert ("22", "dti_rank", 1, "2024") in got
    assert ("01", "digital_infrastructure_score", 0.795, "2024") in got
    assert ("27", "dti_score", 0.701, "2024") in got
    assert ("75", "dti_rank", 4, "2024") in got
    assert not any(o.value == 0.7 for o in extraction.observations)  # Thể chế số: no indicator of ours
    assert len(got) == 12


def test_rows_whose_values_do_not_fit_the_headings_keep_only_their_rank():
    text = TABLE_2024.replace("0.8101 0.7000 0.7412", "0.8101 0.7412")
    got = {(o.geo_code, o.indicator) for o in extract_report(text, "bxh").observations}
    assert ("22", "dti_rank") in got and ("22", "dti_score") not in got


def test_two_numbered_lines_are_no_table():
    text = "Kết quả năm 2024:\n1 Quảng Ninh 0.8101\n2 TP. Hà Nội 0.7950\n"
    assert extract_report(text, "x").observations == []


def test_a_table_of_rates_with_bars_between_its_cells():
    text = (
        "Kết quả cung cấp dịch vụ công trực tuyến năm 2024\n\n"
        "STT | Địa phương | Tỷ lệ hồ sơ trực tuyến (%) | Tỷ lệ thanh toán trực tuyến (%)\n"
        "1 | Đồng Tháp | 91,2 | 60,4\n2 | An Giang | 89,5 | 58,8\n3 | Cà Mau | 87,1 | 57,3\n"
    )
    got = {(o.geo_code, o.indicator, o.value) for o in extract_report(text, "dvc_2024").observations}
    assert got == {
        ("87", "online_application_rate", 91.2),
        ("89", "online_application_rate", 89.5),
        ("96", "online_application_rate", 87.1),
    }
