"""Habits of report prose read across a whole report (periods, paragraphs, number grammar), on text written for
these tests: other provinces, years and phrasings than the corpus."""

from sources.extract import extract_report
from sources.extract.numbers import find_figures
from sources.extract.text import sentences


def _obs(text: str, report_id: str = "t"):
    return [
        (o.geo_code, o.geo_level, o.indicator, o.value, o.period, o.qualifier)
        for o in extract_report(text, report_id).observations
    ]


def test_a_rank_held_for_consecutive_years_is_a_figure_of_each_year():
    text = "Quảng Ninh dẫn đầu chỉ số DTI, giữ vững vị trí 4 năm liên tiếp (2019-2022)."
    got = {(geo, ind, v, p) for geo, _, ind, v, p, _ in _obs(text)}
    assert got == {("22", "dti_rank", 1, y) for y in ("2019", "2020", "2021", "2022")}


def test_a_band_aimed_at_is_a_target_and_a_band_reached_is_no_rank():
    aimed = _obs("Tỉnh Lào Cai phấn đấu chỉ số DTI năm 2025 thuộc nhóm 15 của cả nước.")
    assert [(i, v, q) for _, _, i, v, _, q in aimed] == [("dti_rank", 15, "target")]
    assert _obs("Năm 2023, chỉ số DTI của Lào Cai lần đầu vào top 10 tỉnh, thành phố dẫn đầu.") == []


def test_a_hard_wrapped_sentence_is_read_whole():
    text = (
        "Tỷ lệ hồ sơ nộp, xử lý và trả kết quả trực tuyến của tỉnh Hà Nam năm\n"
        "2024 chỉ đạt 37,5% (cấp tỉnh đạt 21,2%).\n"
    )
    assert len(sentences(text)) == 1
    assert ("35", "province", "online_full_process_application_rate", 37.5, "2024", None) in _obs(text)


def test_a_dotted_abbreviation_and_a_restating_bracket_do_not_part_a_figure_from_its_words():
    text = "Số người dân kích hoạt tài khoản định danh điện tử trên địa bàn tỉnh Kon Tum là 212.300 (92,1%)."
    assert ("62", "province", "eid_accounts_activated", 212300, None, None)[:4] in [o[:4] for o in _obs(text)]


def test_xep_with_a_fraction_is_a_rank_and_labelled_lists_go_on_as_ranks():
    figs, _ = find_figures("Việt Nam xếp 86/193 quốc gia về chính phủ điện tử.")
    assert [(f.kind, f.value, f.denominator) for f in figs] == [("rank", 86, 193)]
    figs, _ = find_figures("Nhận thức số - xếp thứ 12; Thể chế số - 40; Hạ tầng số - 7.")
    assert [(f.kind, f.value) for f in figs] == [("rank", 12), ("rank", 40), ("rank", 7)]


def test_counts_of_pillars_and_indices_are_not_figures():
    figs, _ = find_figures("Điểm DTI là tổng điểm của 3 trụ cột, gồm 9 chỉ số chính và 98 chỉ số thành phần.")
    assert figs == []


def test_a_count_of_people_no_province_has_is_the_nations():
    text = "Tại Hội nghị của tỉnh Thanh Hóa, báo cáo cho biết hơn 79,2 triệu người dân đã đăng ký tài khoản VNeID."
    assert [(g, lv, i) for g, lv, i, *_ in _obs(text)] == [("00", "national", "eid_accounts_issued")]


def test_a_quantity_per_unit_is_no_total():
    text = "Tỉnh Hải Dương chỉ đạo mỗi thôn thành lập 01 Tổ công nghệ số cộng đồng."
    assert _obs(text) == []


def test_the_whole_country_after_a_named_province_is_the_field_of_comparison():
    text = "Bắc Giang là một trong 10 địa phương dẫn đầu về ứng dụng CNTT trên cả nước với chỉ số DTI xếp thứ 9/63."
    assert [(g, i, v) for g, _, i, v, *_ in _obs(text)] == [("24", "dti_rank", 9)]


def test_a_provincial_capital_is_a_district_level_city_and_tren_dia_ban_refers_to_it():
    text = (
        "Tại thành phố Thái Nguyên, đến ngày 15/6/2023, các phường trên địa bàn đã cấp CCCD cho tổng số "
        "245.300/245.300 công dân."
    )
    got = {(o.geo_code, o.geo_level, o.geo_name, o.indicator) for o in extract_report(text, "t").observations}
    assert ("19", "district", "Thái Nguyên", "cccd_cards_issued") in got


def test_a_rank_compared_with_an_earlier_index_year_in_brackets_is_that_years_rank():
    text = "Cao Bằng xếp hạng 40/63 về DTI, tăng 12 bậc so với DTI 2021 (52/63)."
    got = {(i, v, p) for _, _, i, v, p, _ in _obs(text)}
    assert ("dti_rank", 52, "2021") in got and ("dti_rank", 40, "2021") not in got


def test_ranks_take_the_index_year_of_the_report_not_the_year_they_are_compared_with():
    text = (
        "Kết quả chỉ số DTI năm 2023 của các tỉnh được công bố ngày 15/9/2024.\n"
        "Tỉnh Yên Bái xếp hạng 21/63, tăng 6 bậc so với DTI 2022 (27/63).\n"
        "Chính quyền số của tỉnh xếp thứ 18/63."
    )
    got = {(i, v, p) for _, _, i, v, p, _ in _obs(text)}
    assert {("dti_rank", 21, "2023"), ("dti_rank", 27, "2022"), ("dti_rank_digital_government", 18, "2023")} <= got


def test_den_nam_of_a_past_year_is_where_a_figure_stands_not_a_horizon():
    text = "Báo cáo ngày 5/3/2024 của tỉnh Hà Nam.\nĐến năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh đạt 68,2%."
    assert [(i, p) for _, _, i, _, p, _ in _obs(text)] == [("online_application_rate", "2023")]


def test_as_of_december_is_the_whole_year():
    text = "Tính đến tháng 12/2024, tỷ lệ hồ sơ trực tuyến của tỉnh Ninh Bình đạt 71,4%."
    assert [p for *_, p, _ in _obs(text)] == ["2024"]


def test_a_province_named_as_a_communes_parent_is_not_the_figures_place():
    text = "Năm 2025, xã Tân Lập (tỉnh Phú Thọ) có 8.120 tài khoản định danh điện tử được kích hoạt, đạt 96,1%."
    assert {(g, lv) for g, lv, *_ in _obs(text)} == {("25", "commune")}


def test_phan_dau_later_in_a_sentence_makes_only_what_follows_a_target():
    text = "Kinh tế số chiếm 11,2% GRDP của tỉnh Bình Dương năm 2023, phấn đấu đến năm 2025 đạt 20%."
    got = [(i, v, p, q) for _, _, i, v, p, q in _obs(text)]
    assert got == [("digital_economy_share", 11.2, "2023", None), ("digital_economy_share", 20, "2025", "target")]


def test_a_rank_in_brackets_after_the_year_compared_is_of_that_year():
    text = "Chỉ số DTI năm 2023 của Long An đứng thứ 12/63, tăng 8 bậc so với năm 2022 (đứng thứ 20/63)."
    assert [(i, v, p) for _, _, i, v, p, _ in _obs(text)] == [("dti_rank", 12, "2023"), ("dti_rank", 20, "2022")]


def test_now_in_a_report_of_unknown_date_has_no_period():
    """Spec: "tính đến nay" in a report with no known date gives null; a year the report only speaks of is no date."""
    text = "Hà Nam tổng kết chuyển đổi số.\nĐến nay, tỉnh Hà Nam đã kích hoạt 512.000 tài khoản định danh điện tử."
    text += "\nKế hoạch năm 2023 của tỉnh đã hoàn thành."
    assert [p for *_, p, _ in _obs(text)] == [None]
    dated = (
        "Sáng 5/1/2024, tỉnh Hà Nam tổng kết.\nĐến nay, tỉnh Hà Nam đã kích hoạt 512.000 tài khoản định danh điện tử."
    )
    assert [p for *_, p, _ in _obs(dated)] == ["2024-01-05"]


def test_by_the_end_of_a_year_in_an_undated_report_dates_what_was_achieved():
    text = "Đến hết năm 2024, 98% thôn, bản trên địa bàn tỉnh Sơn La đã được phủ sóng di động."
    assert [(i, p, q) for _, _, i, _, p, q in _obs(text)] == [("mobile_coverage_rate", "2024", None)]


def test_bracketed_figures_of_districts_go_on_with_the_indicator_of_the_first():
    text = (
        "Ngày 3/5/2024, tỉnh Yên Bái họp. Tỉnh đã kích hoạt 301.200 tài khoản định danh điện tử, đạt 68,1% số công dân "
        "đủ điều kiện. Trong đó, thành phố Yên Bái đạt tỷ lệ cao nhất (85,2%), tiếp đến là thị xã Nghĩa Lộ (79,4%); "
        "thấp nhất là huyện Mù Cang Chải (51,7%)."
    )
    got = {(lv, i, v) for _, lv, i, v, _, _ in _obs(text)}
    assert {("district", "eid_activation_rate", v) for v in (85.2, 79.4, 51.7)} <= got


def test_figures_only_the_nation_has_are_the_nations_in_a_provinces_report():
    text = (
        "Ngày 3/3/2024, tỉnh Hà Nam họp. Ứng dụng VNeID hiện đã tích hợp 52 tiện ích. "
        "Theo Liên hợp quốc, Chính phủ điện tử (EGDI) xếp thứ 71/193 quốc gia."
    )
    assert {(g, lv, i) for g, lv, i, *_ in _obs(text)} == {
        ("00", "national", "vneid_utilities"),
        ("00", "national", "egdi_rank"),
    }
    continent = "Châu Âu tiếp tục dẫn đầu về Chính phủ điện tử (EGDI), tiếp theo là châu Á."
    assert [(g, i) for g, _, i, *_ in _obs(continent)] == [(None, "egdi_rank")]  # kept unknown, never the nation's


def test_a_numbered_heading_of_goals_opens_a_section_of_targets():
    text = (
        "Lạng Sơn, ngày 12 tháng 1 năm 2025\n1. Kết quả năm 2024\n- Tỷ trọng kinh tế số trong GRDP đạt 7,2%.\n"
        "2. Mục tiêu năm 2025\n- Tỷ trọng kinh tế số đạt 11% GRDP.\n3. Nhiệm vụ\n- Kinh tế số chiếm 8% GRDP của tỉnh."
    )
    assert [(v, q) for *_, v, _, q in _obs(text)] == [(7.2, None), (11, "target"), (8, None)]


def test_a_goal_opened_before_its_comma_takes_its_horizon():
    text = "Ngày 2/4/2024, tỉnh Sóc Trăng họp.\nPhấn đấu đến năm 2026, kinh tế số của tỉnh Sóc Trăng chiếm 9% GRDP."
    assert [(i, v, p, q) for _, _, i, v, p, q in _obs(text)] == [("digital_economy_share", 9, "2026", "target")]


def test_a_report_naming_only_its_districts_is_about_their_province():
    text = (
        "Chiều 12/10/2023, UBND huyện Mường Khương tổ chức hội nghị chuyển đổi số.\n"
        "Đến nay, toàn huyện đã kích hoạt 28.450 tài khoản định danh điện tử."
    )
    extraction = extract_report(text, "t")
    assert extraction.geo_code == "10"  # Mường Khương is a district of Lào Cai
    assert [(o.geo_code, o.geo_level, o.geo_name) for o in extraction.observations] == [
        ("10", "district", "Mường Khương")
    ]


def test_the_parts_in_brackets_after_a_whole_of_the_same_indicator_are_no_figures_of_their_own():
    text = (
        "Tỉnh Kon Tum có số người dân kích hoạt tài khoản định danh điện tử là 48.210 (trong đó, 9.100 tài khoản "
        "mức 1 và 39.110 tài khoản mức 2)."
    )
    assert [v for _, _, i, v, *_ in _obs(text)] == [48210]


def test_a_district_that_is_the_sentences_subject_keeps_its_figures_across_clauses():
    text = (
        "Năm 2024, huyện Bảo Lâm (tỉnh Cao Bằng) tập trung ba mục tiêu: 70% hộ gia đình có Internet cáp quang; "
        "phủ sóng di động tới 100% thôn."
    )
    assert {(g, lv, n) for g, lv, n, *_ in [(o[0], o[1], None) for o in _obs(text)]} == {("04", "district", None)}


def test_ranks_named_in_turn_go_to_the_places_after_them():
    text = (
        "Kết quả chỉ số DTI năm 2023: Hải Phòng xếp thứ nhất; xếp thứ hai là Quảng Ninh với 0,7812 điểm, "
        "thứ ba là Bắc Ninh với 0,7455 điểm."
    )
    got = {(g, i, v) for g, _, i, v, *_ in _obs(text)}
    assert {("31", "dti_rank", 1), ("22", "dti_rank", 2), ("27", "dti_rank", 3)} <= got
    assert {("22", "dti_score", 0.7812), ("27", "dti_score", 0.7455)} <= got


def test_ca_nuoc_co_is_no_estimate():
    text = "Năm 2024, cả nước có 68,2% hồ sơ được tiếp nhận trực tuyến."
    assert [(g, q) for g, _, _, _, _, q in _obs(text)] == [("00", None)]


def test_a_report_that_names_no_place_gives_figures_of_an_unknown_place_not_the_nations():
    """Issue 17.11b: with no province named and nothing said of the nation, the place is unknown (kept, flagged,
    left out of the contract's observations), never "00"; a report that speaks of the nation stays national."""
    provincial = (
        "Báo cáo sơ kết Đề án 06 quý III năm 2024.\n"
        "Đến hết quý III năm 2024, đã kích hoạt 318.442 tài khoản định danh điện tử mức độ 2.\n"
    )
    got = _obs(provincial)
    assert [(geo, level, ind, v) for geo, level, ind, v, *_ in got] == [
        (None, "unknown", "eid_accounts_activated", 318442)
    ]
    national = (
        "Sơ kết Đề án 06 của Chính phủ quý III năm 2024.\n"
        "Đến hết quý III năm 2024, cả nước đã kích hoạt 61.204.110 tài khoản định danh điện tử mức độ 2.\n"
    )
    assert [(geo, level) for geo, level, *_ in _obs(national)] == [("00", "national")]


def test_ranks_listed_after_a_long_naming_of_the_pillars():
    text = (
        "Theo DTI 2023, thứ hạng các trụ cột chính quyền số, kinh tế số, xã hội số của tỉnh Quảng Bình lần lượt "
        "là 31, 8, 24."
    )
    got = [(i, v) for _, _, i, v, _, _ in _obs(text)]
    assert got == [
        ("dti_rank_digital_government", 31),
        ("dti_rank_digital_economy", 8),
        ("dti_rank_digital_society", 24),
    ]
