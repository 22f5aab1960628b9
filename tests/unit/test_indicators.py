"""Which indicator a figure belongs to, on sentences written for these tests (not from the tuning corpus):
other provinces, other years, other word orders."""

import pytest

from sources.extract import extract_report


def facts(text):
    return [(o.indicator, o.value, o.qualifier) for o in extract_report(text, "t").observations]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # count before its noun phrase, and noun phrase before the count
        (
            "Tỉnh Nam Định đã có 641.002 tài khoản định danh điện tử được kích hoạt.",
            [("eid_accounts_activated", 641002, None)],
        ),
        (
            "Số tài khoản định danh điện tử được kích hoạt trên địa bàn tỉnh Nam Định là 641.002.",
            [("eid_accounts_activated", 641002, None)],
        ),
        # a rate after its count takes the count's rate indicator
        (
            "Tỉnh Hậu Giang kích hoạt 402.118/560.000 tài khoản, đạt tỷ lệ 71,8%.",
            [("eid_accounts_activated", 402118, None), ("eid_activation_rate", 71.8, None)],
        ),
        # list of document counts
        (
            "Từ năm 2022 đến nay, tỉnh Yên Bái ban hành 02 chỉ thị, 04 nghị quyết, 11 quyết định và 15 kế hoạch "
            "về chuyển đổi số.",
            [
                ("dx_directives_issued", 2, None),
                ("dx_resolutions_issued", 4, None),
                ("dx_decisions_issued", 11, None),
                ("dx_plans_issued", 15, None),
            ],
        ),
        # a comparison gives both ends
        (
            "Tỷ lệ hồ sơ trực tuyến của tỉnh Phú Yên tăng từ 48,5% (năm 2023) lên 79,2%.",
            [("online_application_rate", 48.5, None), ("online_application_rate", 79.2, None)],
        ),
        # a target must never pass as an achievement
        (
            "Tỉnh Bình Phước phấn đấu đến năm 2025 tỷ trọng kinh tế số đạt 20% GRDP.",
            [("digital_economy_share", 20, "target")],
        ),
        (
            "Năm 2024, tỷ trọng kinh tế số của tỉnh Long An đạt 11,3% GRDP, vượt chỉ tiêu đề ra (10%).",
            [("digital_economy_share", 11.3, None), ("digital_economy_share", 10, "target")],
        ),
        # qualifiers
        (
            "Toàn tỉnh Sơn La có khoảng 1.500 Tổ công nghệ số cộng đồng với hơn 8.000 thành viên.",
            [
                ("community_digital_teams", 1500, "approx"),
                ("community_digital_team_members", 8000, "at_least"),
            ],
        ),
        # services: total and its parts
        (
            "Hệ thống giải quyết thủ tục hành chính tỉnh Tây Ninh hiện có 1.702 dịch vụ công, trong đó 880 dịch vụ "
            "công trực tuyến toàn trình, 610 dịch vụ công trực tuyến một phần.",
            [
                ("public_services_total", 1702, None),
                ("online_services_full", 880, None),
                ("online_services_partial", 610, None),
            ],
        ),
        # ranks with their topic before or after
        (
            "Kết quả xếp hạng chỉ số chuyển đổi số (DTI) năm 2023, tỉnh Đồng Tháp xếp thứ 9/63.",
            [("dti_rank", 9, None)],
        ),
        (
            "Tỉnh Quảng Trị xếp thứ 12/63 tỉnh, thành phố về chỉ số chuyển đổi số năm 2024.",
            [("dti_rank", 12, None)],
        ),
        # national figures
        (
            "Việt Nam xếp thứ 71/193 quốc gia về Chính phủ điện tử của Liên hợp quốc.",
            [("egdi_rank", 71, None)],
        ),
        # the figure first, its noun phrase after
        (
            "Khoảng 81% hộ gia đình trên địa bàn tỉnh Nghệ An đã có Internet băng rộng cáp quang.",
            [("fiber_household_rate", 81, "approx")],
        ),
        (
            "52,6% hồ sơ thủ tục hành chính trên địa bàn tỉnh Bình Thuận được tiếp nhận trực tuyến.",
            [("online_application_rate", 52.6, None)],
        ),
        ("9,2% là tỷ trọng của kinh tế số trong GRDP của tỉnh Kiên Giang.", [("digital_economy_share", 9.2, None)]),
        (
            "412.300 hồ sơ cấp tài khoản định danh điện tử đã được thu nhận trên địa bàn tỉnh Phú Yên.",
            [("eid_accounts_issued", 412300, None)],
        ),
        (
            "Tỉnh Sóc Trăng phấn đấu đến hết năm 2023 có ít nhất 60% công dân đủ điều kiện kích hoạt tài khoản "
            "định danh điện tử.",
            [("eid_activation_rate", 60, "target")],
        ),
        (
            "Điểm DTI năm 2023 của tỉnh Ninh Bình đạt 0,5120, xếp hạng 19/63.",
            [("dti_score", 0.512, None), ("dti_rank", 19, None)],
        ),
        # operators, 5G stations named before their count, data cleaning, staff, teams, configured procedures
        (
            "Trên địa bàn tỉnh Cà Mau có 5 doanh nghiệp cung cấp dịch vụ thông tin di động và 7 doanh nghiệp cung "
            "cấp dịch vụ Internet.",
            [("telecom_providers", 5, None), ("internet_providers", 7, None)],
        ),
        ("Mạng 5G của tỉnh Tây Ninh đã có 41 trạm phát sóng.", [("stations_5g", 41, None)]),
        (
            "Công an tỉnh Sơn La đã làm sạch 12.408 trường hợp sai lệch thông tin trong Cơ sở dữ liệu dân cư.",
            [("population_records_cleaned", 12408, None)],
        ),
        (
            "Nhân lực chuyển đổi số của tỉnh Hà Tĩnh gồm 906 cán bộ chuyên trách và kiêm nhiệm.",
            [("dx_staff", 906, None)],
        ),
        (
            "Tỉnh Bến Tre thành lập Tổ công nghệ số cộng đồng với tổng cộng 1.097 tổ.",
            [("community_digital_teams", 1097, None)],
        ),
        ("Tỉnh Gia Lai đã cấu hình 1.980 thủ tục hành chính trên hệ thống.", [("public_services_total", 1980, None)]),
        (
            "Tỉnh Quảng Trị có 77,2% dịch vụ công trực tuyến có phát sinh hồ sơ.",
            [("online_services_with_applications_rate", 77.2, None)],
        ),
        # "trong đó" parts a whole from its parts: issued accounts, then the activated ones among them
        (
            "Công an tỉnh Sóc Trăng đã cấp 812.400 tài khoản định danh điện tử, trong đó kích hoạt 690.150 tài khoản.",
            [("eid_accounts_issued", 812400, None), ("eid_accounts_activated", 690150, None)],
        ),
    ],
)
def test_indicators(sentence, expected):
    assert facts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Tổng kinh phí thực hiện là 389,22 tỷ đồng cho 53 dự án.",  # money and projects: not in the catalogue
        "Tỉnh Bắc Kạn hoàn thành 17/18 nhiệm vụ của Đề án 06.",  # tasks are not targets
        "Số tài khoản kích hoạt tăng 12% so với quý trước.",  # a growth rate is not a rate of the indicator
        "Đạt 73,3% so với chỉ tiêu được giao.",  # completion of a plan, not a share of citizens
        "Xác lập thêm 4 cơ sở dữ liệu chuyên ngành.",  # an increment, not the total
        "Người đứng đầu các sở phải chịu trách nhiệm.",  # "đứng đầu" is not a rank here
        "Mạng 5G đã phủ sóng 100% các khu công nghiệp.",  # 5G coverage is not mobile coverage
    ],
)
def test_not_observations(sentence):
    assert facts(sentence) == []


def _facts(text):
    return [(o.geo_code, o.indicator, o.value, o.period, o.qualifier) for o in extract_report(text, "t").observations]


def test_lan_luot_maps_listed_years_and_listed_places_to_their_figures_in_order():
    years = (
        "Ngày 20/3/2026, UBND tỉnh Thanh Hóa họp. Tỷ trọng kinh tế số trong GRDP của tỉnh các năm 2023, 2024 "
        "và 2025 lần lượt đạt 9,1%, 10,4% và 11,9%."
    )
    assert [(f[3], f[2]) for f in _facts(years)] == [("2023", 9.1), ("2024", 10.4), ("2025", 11.9)]
    places = (
        "Ngày 12/1/2024, Bộ TT&TT cho biết hai địa phương có tỷ lệ hồ sơ trực tuyến cao nhất lần lượt là "
        "Đà Nẵng và Bắc Ninh, với 91,2% và 88,7%."
    )
    assert [(f[0], f[2]) for f in _facts(places)] == [("48", 91.2), ("27", 88.7)]


def test_a_goal_to_complete_is_a_target_and_grdp_is_the_provinces():
    text = (
        "Ngày 5/12/2024, UBND tỉnh Yên Bái họp. Cả nước có tỷ lệ 45%. Năm 2025, tỉnh phấn đấu hoàn thành "
        "16/20 chỉ tiêu chuyển đổi số. Kinh tế số chiếm 9,3% GRDP."
    )
    facts = {f[1]: f for f in _facts(text)}
    assert facts["dx_targets_achieved"][4] == "target"
    assert facts["digital_economy_share"][0] == "15"


def test_a_national_figure_broken_down_by_province_keeps_each_place():
    text = (
        "Ngày 3/9/2025, Bộ Công an cho biết cả nước đã kích hoạt 61,2 triệu tài khoản định danh điện tử, "
        "trong đó Đồng Nai kích hoạt 2.950.000 tài khoản, Thanh Hóa kích hoạt 2.710.000 tài khoản."
    )
    got = [(o.geo_code, o.indicator, o.value) for o in extract_report(text, "t").observations]
    assert got == [
        ("00", "eid_accounts_activated", 61_200_000),
        ("75", "eid_accounts_activated", 2_950_000),
        ("38", "eid_accounts_activated", 2_710_000),
    ]


def test_a_figure_stated_twice_is_one_observation():
    text = (
        "Hà Nam đứng thứ 14/63 về chuyển đổi số\nTheo kết quả DTI năm 2023, tỉnh Hà Nam đứng thứ 14/63 tỉnh, thành phố."
    )
    assert [(o.indicator, o.value, o.period) for o in extract_report(text, "t").observations] == [
        ("dti_rank", 14, "2023")
    ]


def test_a_lan_luot_list_gives_each_year_its_value():
    text = (
        "Theo Tổng cục Thống kê, tỷ trọng kinh tế số trong GDP các năm 2021 - 2023 lần lượt là 11,9%, 12,3% và 12,8%."
    )
    assert [(o.value, o.period) for o in extract_report(text, "t").observations] == [
        (11.9, "2021"),
        (12.3, "2022"),
        (12.8, "2023"),
    ]


def test_a_table_row_reads_target_then_result():
    text = (
        "KẾ HOẠCH CHUYỂN ĐỔI SỐ TỈNH NINH THUẬN NĂM 2025\nMục tiêu/Chỉ tiêu\nĐề ra năm 2024\nKết quả thực hiện\n"
        "Đánh giá\n- Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ thủ tục hành chính\n40%\n62,5%\nVượt\n"
    )
    assert facts(text) == [("online_application_rate", 40, "target"), ("online_application_rate", 62.5, None)]


def test_places_and_bare_percentages_continue_the_rate_of_the_sentence_before():
    text = (
        "Ngày 10/5/2024, Bộ Công an cho biết tỷ lệ kích hoạt tài khoản định danh điện tử của cả nước đạt 78,1%. "
        "Dẫn đầu là Bắc Ninh với 91,4%; thấp nhất là Lai Châu với 52,3%. Ngược lại, tỉnh Hà Giang mới đạt 49,9%. "
        "Năm 2023 tăng 12% so với năm 2022."
    )
    got = [(o.geo_code, o.indicator, o.value) for o in extract_report(text, "t").observations]
    assert got == [
        ("00", "eid_activation_rate", 78.1),
        ("27", "eid_activation_rate", 91.4),
        ("12", "eid_activation_rate", 52.3),
        ("02", "eid_activation_rate", 49.9),
    ]
