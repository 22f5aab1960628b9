"""Provinces (before and after the 2025 merger), national cues, districts and communes."""

import pytest

from sources.extract import extract_report
from sources.extract.places import find_provinces, place_cues, province_code


@pytest.mark.parametrize(
    ("text", "pre", "post"),
    [
        ("tỉnh Vĩnh Phúc", "26", "25"),  # merged into Phú Thọ
        ("tỉnh Gia Lai", "64", "52"),  # Gia Lai took Bình Định's code in 2025
        ("TP.HCM", "79", "79"),
        ("Thành phố Hồ Chí Minh", "79", "79"),
        ("Bà Rịa-Vũng Tàu", "77", "79"),
        ("Thừa Thiên - Huế", "46", "46"),
        ("TP.Huế", "46", "46"),
        ("Đăk Lăk", "66", "66"),
        ("Hoà Bình", "17", "25"),
        ("Lào Cai", "10", "15"),
        ("THÀNH PHỐ HÀ NỘI", "01", "01"),
    ],
)
def test_province_codes_follow_the_merger(text, pre, post):
    ((_, _, name),) = find_provinces(text)
    assert (name.code(False), name.code(True)) == (pre, post)


@pytest.mark.parametrize(
    "text",
    [
        "Phó Thủ tướng Nguyễn Hòa Bình phát biểu",  # a person
        "vì hòa bình và phát triển",  # peace
        "theo tư tưởng Hồ Chí Minh",  # the president, not the city
    ],
)
def test_not_provinces(text):
    assert find_provinces(text) == []


def test_a_commune_named_after_a_former_province_is_a_commune():
    cues = place_cues("phường Vĩnh Phúc dẫn đầu với 81,3%", post_merger=True)
    assert [(c.kind, c.name) for c in cues] == [("commune", "Vĩnh Phúc")]


def test_comparisons_are_not_places():
    cues = place_cues("là một trong những tỉnh có tỷ lệ cao nhất cả nước", post_merger=False)
    assert all(c.comparison for c in cues if c.kind == "national")


def test_sidecar_province_name():
    assert province_code("Bến Tre", post_merger=False) == "83"


def obs(text, **kw):
    return [
        (o.geo_code, o.geo_level, o.geo_name, o.indicator, o.value)
        for o in extract_report(text, "t", **kw).observations
    ]


def test_a_national_figure_in_a_provincial_report_belongs_to_the_nation():
    text = (
        "Ngày 3/4/2024, UBND tỉnh Kon Tum họp về chuyển đổi số. "
        "Tỷ lệ hồ sơ trực tuyến toàn trình của cả nước đạt 45%. "
        "Toàn tỉnh có 312 Tổ công nghệ số cộng đồng với 1.870 thành viên."
    )
    assert obs(text) == [
        ("00", "national", None, "online_full_process_application_rate", 45),
        ("62", "province", None, "community_digital_teams", 312),
        ("62", "province", None, "community_digital_team_members", 1870),
    ]


def test_a_district_figure_is_not_the_province_figure():
    text = (
        "Ngày 9/10/2023, tỉnh Trà Vinh họp. Toàn tỉnh đã kích hoạt 512.330 tài khoản định danh điện tử. "
        "Riêng huyện Cầu Ngang đã kích hoạt 31.200 tài khoản định danh điện tử."
    )
    assert obs(text) == [
        ("84", "province", None, "eid_accounts_activated", 512330),
        ("84", "district", "Cầu Ngang", "eid_accounts_activated", 31200),
    ]


def test_a_report_after_the_merger_uses_the_new_units():
    text = (
        "Ngày 12/11/2025, UBND tỉnh Gia Lai tổng kết. Toàn tỉnh đã kích hoạt 1.204.550 tài khoản định danh "
        "điện tử, trong đó khu vực Bình Định cũ chiếm hơn một nửa."
    )
    assert obs(text) == [("52", "province", None, "eid_accounts_activated", 1204550)]


def test_one_operators_stations_belong_to_no_place():
    text = (
        "Ngày 2/12/2025, tỉnh Đồng Nai cho biết: năm nay Viettel đã lắp đặt 420 trạm 5G tại tỉnh, "
        "nâng tổng số trạm 5G trên địa bàn lên 1.150 trạm."
    )
    assert obs(text) == [("75", "province", None, "stations_5g", 1150)]


def test_a_commune_addressed_by_its_province_alone_dates_a_report_after_the_merger():
    from sources.extract import extract_report

    text = (
        "(BPO) - Người dân xã Lộc Ninh, tỉnh Đồng Nai đã kích hoạt 12.500 tài khoản định danh điện tử.\n"
        "Toàn tỉnh Bình Phước đã kích hoạt 610.000 tài khoản định danh điện tử."
    )
    extraction = extract_report(text, "x")
    assert extraction.post_merger
    assert {o.geo_code for o in extraction.observations if o.value == 610000} == {"75"}  # Bình Phước → Đồng Nai


def test_the_ministries_inside_a_blocks_name_are_the_block_not_the_nation():
    from sources.extract import extract_report

    text = "Theo DTI 2022, khối các bộ, ngành có giá trị DTI trung bình là 0,5012."
    extraction = extract_report(text, "t")
    assert extraction.observations == []
    assert [m.reason for m in extraction.mentions] == ["no_place"]


def test_a_band_of_a_counted_group_of_places_is_no_places_figure():
    from sources.extract import extract_report

    text = (
        "Ngày 3/2/2025, Bộ Công an họp. Còn 7 tỉnh, thành phố có tỷ lệ kích hoạt tài khoản định danh điện tử dưới 55%."
    )
    assert extract_report(text, "t").observations == []
    one_of = (
        "Ngày 3/2/2025, tỉnh Nam Định họp. Tỉnh Nam Định là một trong 9 tỉnh đạt mức A, xếp thứ 3 về Cổng dịch vụ công."
    )
    assert [o.indicator for o in extract_report(one_of, "t").observations] == ["public_service_portal_rank"]


def test_a_numbered_ward_of_the_2025_reorganisation_keeps_its_number():
    from sources.extract import extract_report

    text = (
        "Ngày 2/10/2025, tỉnh Tuyên Quang họp. Tỷ lệ hồ sơ trực tuyến cao nhất thuộc về phường Hà Giang 1 (96,1%), "
        "xã Minh Quang (94%) và phường Hà Giang 2 (92,8%)."
    )
    got = {(o.geo_level, o.geo_name, o.value) for o in extract_report(text, "t").observations}
    assert got == {("commune", "Hà Giang 1", 96.1), ("commune", "Minh Quang", 94), ("commune", "Hà Giang 2", 92.8)}


def test_a_sentence_led_by_the_word_commune_is_about_the_commune_in_scope():
    from sources.extract import extract_report

    text = (
        "Ngày 6/11/2025, UBND xã Phú Lộc (tỉnh Cần Thơ) họp.\n"
        "Toàn xã đã kích hoạt 9.120 tài khoản định danh điện tử.\nXã đã thành lập 12 tổ công nghệ số cộng đồng."
    )
    got = {(o.geo_level, o.geo_name, o.indicator) for o in extract_report(text, "t").observations}
    assert got == {
        ("commune", "Phú Lộc", "eid_accounts_activated"),
        ("commune", "Phú Lộc", "community_digital_teams"),
    }
