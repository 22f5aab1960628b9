"""Each sentence rule on sentences written for these tests (other provinces, years and phrasings than the
corpus): what the cues leave open, the rule decides. Every test first checks that the figure is still open
before its rule runs, so it fails if the rule stops doing the work."""

import pytest

from sources.extract import sentence_rules as rules
from sources.extract.engine import sentence_context


def read(text: str, rule):
    """The sentence read by the cues and every rule before `rule`; then `rule` itself."""
    ctx = sentence_context(text)
    for earlier in rules.RULES[: rules.RULES.index(rule)]:
        earlier(ctx)
    before = [(f.code, f.place, tuple(f.extra), f.reason, f.fig.denominator) for f in ctx.figs]
    rule(ctx)
    return before, ctx.figs


def test_rules_that_add_figures_run_after_the_rules_that_read_the_views():
    """The views cover the sentence's own figures: a rule that appends one must come after every view reader."""
    import inspect

    adders = [i for i, r in enumerate(rules.RULES) if "figs.append" in inspect.getsource(r)]
    readers = [i for i, r in enumerate(rules.RULES) if "views" in inspect.getsource(r)]
    assert adders and readers and min(adders) > max(readers)
    assert len(set(rules.RULES)) == len(rules.RULES)


def test_comparison_ends_share_their_indicator():
    text = "Năm 2024, tỷ lệ kích hoạt tài khoản định danh điện tử của tỉnh Quảng Trị tăng từ 58,3% lên 71,6%."
    before, figs = read(text, rules.comparison_ends)
    assert before[1][0] is None
    assert [f.code for f in figs] == ["eid_activation_rate", "eid_activation_rate"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Toàn tỉnh Hà Giang đã kích hoạt 412.507 tài khoản định danh điện tử, đạt 74,2%.",
            ["eid_accounts_activated", "eid_activation_rate"],
        ),
        (
            "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 38,4% vào năm 2024 và 45% vào năm 2025.",
            ["online_full_process_application_rate", "online_full_process_application_rate"],
        ),
    ],
)
def test_a_bare_rate_after_its_count_or_its_rate(text, expected):
    before, figs = read(text, rules.rate_after_its_count)
    assert before[1][0] is None
    assert [f.code for f in figs] == expected


def test_the_same_indicator_again_continues_a_list():
    text = "Hiện có 84 tổ công nghệ số cộng đồng, trong đó 12 tổ ở cấp huyện."
    before, figs = read(text, rules.same_indicator_again)
    assert before[1][0] is None
    assert [f.code for f in figs] == ["community_digital_teams", "community_digital_teams"]


def test_a_count_after_a_slash_before_chi_tieu_is_a_target():
    before, figs = read("Đã kích hoạt 205 tài khoản/1.860 chỉ tiêu giao.", rules.target_after_slash)
    assert before[1][0] is None
    assert figs[1].code == "eid_accounts_activated" and figs[1].target


def test_first_of_three_pillars_gives_a_rank_to_each_pillar():
    text = "Năm 2023, tỉnh Bến Tre xếp thứ 21/63 về chỉ số DTI, đứng đầu cả 3 trụ cột."
    before, figs = read(text, rules.ranks_of_the_topic)
    assert before[1][2] == ()
    assert figs[1].code == "dti_rank"
    assert figs[1].extra == ["dti_rank_digital_government", "dti_rank_digital_economy", "dti_rank_digital_society"]


def test_a_bare_rank_continues_the_ranking_the_passage_is_about():
    ctx = sentence_context("Năm nay, tỉnh tiếp tục xếp thứ 9/63.")
    ctx.state.rank_topic, ctx.state.rank_topic_at = "dti_rank", 0
    assert ctx.figs[0].code is None
    rules.ranks_of_the_topic(ctx)
    assert ctx.figs[0].code == "dti_rank"


def test_the_whole_of_a_count_is_its_denominator():
    text = "Toàn tỉnh đã cấp 96.220 tài khoản định danh điện tử trên tổng số 130.400 công dân đủ điều kiện."
    before, figs = read(text, rules.whole_of_count)
    assert before[0][4] is None
    assert figs[0].fig.denominator == 130400


def test_respectively_gives_each_pillar_its_rank():
    text = "Về chính quyền số, kinh tế số và xã hội số, tỉnh lần lượt xếp thứ 31, 18 và 25."
    before, figs = read(text, rules.respectively)
    assert [b[0] for b in before] != [f.code for f in figs]
    assert [(f.code, f.fig.value) for f in figs] == [
        ("dti_rank_digital_government", 31),
        ("dti_rank_digital_economy", 18),
        ("dti_rank_digital_society", 25),
    ]


def test_respectively_gives_each_listed_province_its_figure():
    text = (
        "Các tỉnh có tỷ lệ hồ sơ trực tuyến cao nhất lần lượt là Hưng Yên, Bình Định và Lào Cai, "
        "với 81,2%, 77,9% và 70,3%."
    )
    before, figs = read(text, rules.respectively)
    assert all(b[1] is None for b in before)
    assert [f.place[0] for f in figs] == ["33", "52", "10"]


def test_a_part_of_the_same_indicator_is_no_figure_of_its_own():
    text = "Hiện có 84 tổ công nghệ số cộng đồng, trong đó 12 tổ ở cấp huyện."
    before, figs = read(text, rules.parts_of_a_breakdown)
    assert before[1][0] == "community_digital_teams"
    assert figs[1].code is None and figs[1].reason == "breakdown"


def test_a_part_whose_whole_is_its_parent_is_kept():
    text = "Toàn tỉnh có 1.902 thủ tục hành chính, trong đó 1.140 thủ tục trực tuyến toàn trình."
    _, figs = read(text, rules.parts_of_a_breakdown)
    assert [f.code for f in figs] == ["public_services_total", "online_services_full"]


def test_figures_in_brackets_belong_to_the_places_named_before_them():
    text = "Đơn vị có tỷ lệ hồ sơ trực tuyến cao nhất là Cẩm Lệ (81,2%), Ngũ Hành Sơn (77,5%) và Hòa Vang (70,1%)."
    before, figs = read(text, rules.places_in_brackets)
    assert all(b[1] is None for b in before)
    assert [f.place for f in figs] == [
        ("01", "district", "Cẩm Lệ"),
        ("01", "district", "Ngũ Hành Sơn"),
        ("01", "district", "Hòa Vang"),
    ]


def test_after_the_2025_reorganisation_a_named_unit_is_a_commune():
    from sources.extract.context import ReadingState

    state = ReadingState(doc_geo="52", scope="52", last_province="52", post_merger=True)
    ctx = sentence_context("Tỷ lệ kích hoạt cao nhất thuộc về Ia Grai (91,3%) và Chư Păh (88,0%).", state)
    rules.apply(ctx)
    assert [f.place for f in ctx.figs] == [("52", "commune", "Ia Grai"), ("52", "commune", "Chư Păh")]


def test_a_single_bracket_or_a_bracket_after_an_operator_names_no_place():
    _, figs = read("Tỷ lệ hồ sơ trực tuyến của Cẩm Lệ (81,2%) cao nhất.", rules.places_in_brackets)
    assert figs[0].place is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Năm 2023, Quảng Ninh xếp hạng nhất về chỉ số DTI, theo sau là Hà Nội, Bắc Giang và Hải Phòng.",
            [(1, None), (2, "01"), (3, "24"), (4, "31")],
        ),
        (
            "Ba tỉnh dẫn đầu chỉ số DTI năm 2024 lần lượt là Bắc Ninh, Hải Dương và Cần Thơ.",
            [(1, "27"), (2, "30"), (3, "92")],
        ),
        (
            "Bình Dương đứng thứ 2 về chỉ số DTI, tiếp theo là tỉnh Long An (0,61 điểm), TP. Cần Thơ (0,60 điểm).",
            [(2, None), (3, "80"), (4, "92")],
        ),
    ],
)
def test_places_listed_after_a_rank_take_the_ranks_that_follow(text, expected):
    _, figs = read(text, rules.ranked_list)
    ranks = [(int(f.fig.value), f.place[0] if f.place else None) for f in figs if f.code == "dti_rank"]
    assert ranks == expected


def test_respectively_without_leaders_gives_no_ranks_to_places():
    text = "Các tỉnh có tỷ lệ hồ sơ trực tuyến cao lần lượt là Hưng Yên, Bình Định và Lào Cai."
    _, figs = read(text, rules.ranked_list)
    assert figs == []


def test_ranks_named_before_take_the_indicators_of_the_sentence_before():
    ctx = sentence_context("(Năm 2022, các thứ hạng này là 31, 20, 44).")
    ctx.state.last_ranks = ("dti_rank_digital_government", "dti_rank_digital_economy", "dti_rank_digital_society")
    assert [f.fig.kind for f in ctx.figs] == ["rank", "rank", "rank"] and all(f.open for f in ctx.figs)
    rules.ranks_named_before(ctx)
    assert [f.code for f in ctx.figs] == list(ctx.state.last_ranks)


def test_ranks_listed_after_thu_hang_la_are_ranks_even_with_a_year_between():
    text = "Về chính quyền số, kinh tế số và xã hội số, thứ hạng của tỉnh năm 2023 lần lượt là 17, 42, 8."
    _, figs = read(text, rules.respectively)
    assert [(f.code, f.fig.value) for f in figs] == [
        ("dti_rank_digital_government", 17),
        ("dti_rank_digital_economy", 42),
        ("dti_rank_digital_society", 8),
    ]


def test_a_part_beyond_its_whole_makes_the_whole_a_target():
    text = "Tính đến ngày 15/3/2024, toàn tỉnh đã thu nhận 912.400/850.000 hồ sơ định danh điện tử, đạt 107% chỉ tiêu."
    _, figs = read(text, rules.target_beyond_its_part)
    got = [(f.code, f.fig.value, f.fig.denominator, f.target) for f in figs if f.code]
    assert got == [("eid_accounts_issued", 912400, None, False), ("eid_accounts_issued", 850000, None, True)]


def test_a_part_within_its_whole_stays_a_fraction():
    _, figs = read("Toàn tỉnh đã kích hoạt 650.000/820.000 tài khoản định danh điện tử.", rules.target_beyond_its_part)
    assert [(f.fig.value, f.fig.denominator, f.target) for f in figs] == [(650000, 820000, False)]


def test_a_rate_of_all_eligible_above_100_percent_was_measured_against_a_target():
    text = "Toàn tỉnh Nam Định đã kích hoạt hơn 1,1 triệu tài khoản định danh điện tử, đạt tỷ lệ 118%."
    before, figs = read(text, rules.rates_beyond_their_whole)
    assert before[1][0] == "eid_activation_rate"
    assert figs[1].code is None and figs[1].reason == "against_target"


def test_rates_named_before_lan_luot_take_the_percentages_in_order_and_their_targets():
    text = (
        "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ và tỷ lệ hồ sơ trực tuyến của tỉnh năm 2024 đạt "
        "lần lượt 62,4% và 48,1%, so với mục tiêu 70% và 50%."
    )
    _, figs = read(text, rules.respectively)
    got = [(f.code, f.fig.value, f.target) for f in figs]
    assert got == [
        ("online_services_with_applications_rate", 62.4, False),
        ("online_application_rate", 48.1, False),
        ("online_services_with_applications_rate", 70, True),
        ("online_application_rate", 50, True),
    ]


def test_pillars_named_together_share_one_rank():
    text = "Năm 2023, chính quyền số của tỉnh xếp hạng 30/63; kinh tế số và xã hội số đều xếp hạng 41/63."
    _, figs = read(text, rules.pillars_sharing_a_rank)
    assert (figs[1].code, figs[1].extra) == ("dti_rank_digital_economy", ["dti_rank_digital_society"])
    assert (figs[0].code, figs[0].extra) == ("dti_rank_digital_government", [])


def test_a_fraction_restating_a_rate_is_the_count_of_the_rate():
    text = "Về tỷ lệ nộp hồ sơ trực tuyến, tỉnh Hà Tĩnh đạt 64,2% (188.400/293.500 hồ sơ)."
    before, figs = read(text, rules.counts_behind_their_rate)
    assert before[1][0] is None
    assert [(f.code, f.fig.value, f.fig.denominator) for f in figs] == [
        ("online_application_rate", 64.2, None),
        ("online_applications_received", 188400, 293500),
    ]


def test_every_figure_inside_a_named_bracket_belongs_to_that_place():
    text = (
        "Nhiều địa phương có tỷ lệ kích hoạt cao như: Yên Mỹ (tạo lập hồ sơ đạt 108%, tỷ lệ kích hoạt đạt 47,5%), "
        "Văn Lâm (tỷ lệ kích hoạt đạt 44,2%)."
    )
    ctx = sentence_context(text)
    rules.apply(ctx)
    got = [(f.fig.value, f.place) for f in ctx.figs if f.code == "eid_activation_rate"]
    assert got == [(47.5, ("01", "district", "Yên Mỹ")), (44.2, ("01", "district", "Văn Lâm"))]


def test_a_clause_led_by_its_year_after_a_semicolon_goes_on_with_the_indicator():
    text = "Tỷ trọng kinh tế số trong GRDP năm 2022 là 9,1%; năm 2023 ước đạt 10,4% với tốc độ tăng 15%."
    before, figs = read(text, rules.same_indicator_again)
    assert before[1][0] is None
    assert [f.code for f in figs[:2]] == ["digital_economy_share", "digital_economy_share"]


def test_a_rate_above_100_percent_that_names_its_whole_is_kept_for_the_expectations():
    text = "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ thủ tục hành chính của tỉnh Sơn La đạt 128%."
    _, figs = read(text, rules.rates_beyond_their_whole)
    assert (figs[0].code, figs[0].reason) == ("online_application_rate", "no_indicator")


@pytest.mark.parametrize(
    "text",
    [
        "Tỷ lệ hồ sơ trực tuyến của các huyện tỉnh Phú Yên dao động từ 35% đến 61%.",
        "Tỷ lệ kích hoạt tài khoản định danh điện tử của các xã tỉnh Hà Tĩnh đạt từ khoảng 52% đến gần 80%.",
    ],
)
def test_the_ends_of_a_range_are_no_figures(text):
    before, figs = read(text, rules.ranges_of_values)
    assert before[0][0] is not None or before[1][0] is not None
    assert [(f.code, f.reason) for f in figs] == [(None, "range"), (None, "range")]


def test_a_change_from_one_value_to_another_is_no_range():
    text = "Tỷ lệ hồ sơ trực tuyến của tỉnh Phú Yên tăng từ 35% năm 2022 đến 61% năm 2024."
    _, figs = read(text, rules.ranges_of_values)
    assert figs[0].code == "online_application_rate" and "range" not in [f.reason for f in figs]


def test_bare_numbers_in_brackets_after_places_are_their_ranks_in_a_ranking():
    text = "Nhóm cuối bảng xếp hạng DTI 2023 có Điện Biên (61), Hà Giang (62) và Lai Châu (63)."
    before, figs = read(text, rules.bare_ranks_in_brackets)
    assert [b[0] for b in before] == [None, None, None]
    assert [(f.code, f.fig.kind, f.fig.value) for f in figs] == [("dti_rank", "rank", v) for v in (61, 62, 63)]


def test_bare_numbers_in_brackets_outside_a_ranking_stay_open():
    text = "Số tổ công nghệ số cộng đồng ở Điện Biên (61), Hà Giang (62) và Lai Châu (63) đã tăng."
    _, figs = read(text, rules.bare_ranks_in_brackets)
    assert all(f.fig.kind == "count" for f in figs)


def test_pillars_of_a_named_place_sharing_a_rank():
    text = "Chính quyền số và Kinh tế số của tỉnh Cà Mau cùng xếp hạng 27/63."
    before, figs = read(text, rules.pillars_sharing_a_rank)
    assert before[0][2] == ()
    assert (figs[0].code, figs[0].extra) == ("dti_rank_digital_government", ["dti_rank_digital_economy"])


def _in_a_dti_passage(text: str, rule):
    """The sentence read after one on the DTI (the passage's topic), up to `rule`, then `rule`."""
    from sources.extract.context import ReadingState

    state = ReadingState(doc_geo="22", scope="22", last_province="22", rank_topic="dti_rank", rank_topic_at=0)
    ctx = sentence_context(text, state)
    for earlier in rules.RULES[: rules.RULES.index(rule)]:
        earlier(ctx)
    before = [f.code for f in ctx.figs]
    rule(ctx)
    return before, ctx.figs


def test_a_score_in_points_in_a_passage_on_the_dti_is_the_dti_score():
    before, figs = _in_a_dti_passage("Quảng Ninh đạt 0,6012 điểm, xếp thứ 3.", rules.scores_of_the_ranking)
    assert before[0] is None
    assert figs[0].code == "dti_score"


@pytest.mark.parametrize(
    "text",
    ["Đồng Nai dẫn đầu với giá trị 0,6012.", "Tiếp theo là Bình Dương (0,5988) và Long An (0,5731)."],
)
def test_a_score_after_with_value_or_in_brackets_after_a_place_is_the_dti_score(text):
    before, figs = _in_a_dti_passage(text, rules.scores_of_the_ranking)
    decimals = [k for k, f in enumerate(figs) if f.fig.kind == "decimal"]
    assert decimals and all(before[k] is None and figs[k].code == "dti_score" for k in decimals)


def test_a_pillars_score_is_no_dti_score():
    _, figs = _in_a_dti_passage("Kinh tế số của Quảng Ninh đạt 0,4120 điểm.", rules.scores_of_the_ranking)
    assert figs[0].code is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Long An (63,2%), Tiền Giang (60,5%) và Bến Tre (58%) là các địa phương xếp sau về tỷ lệ hồ sơ trực tuyến.",
            "online_application_rate",
        ),
        ("Lai Châu (81%), Điện Biên (79,5%) là hai tỉnh có tỷ lệ phủ sóng di động thấp nhất.", "mobile_coverage_rate"),
        (
            "Xã Tân Lập (93%), xã Phú Lộc (90,5%) dẫn đầu về tỷ lệ kích hoạt tài khoản định danh điện tử.",
            "eid_activation_rate",
        ),
    ],
)
def test_places_listed_with_their_figures_before_the_indicator(text, code):
    before, figs = read(text, rules.listed_places_before_their_subject)
    assert before[0][0] is None
    assert {f.code for f in figs if f.fig.kind == "percent"} == {code}


def test_places_named_before_the_turn_take_the_figures_after_it_in_order():
    text = "Ba tỉnh xếp cuối DTI 2023 là Điện Biên, Lai Châu và Sơn La, lần lượt ở các vị trí 61, 62 và 63."
    before, figs = read(text, rules.respectively)
    assert len({b[1] for b in before}) == 1  # no place of its own yet
    assert [(f.place[0], f.fig.value) for f in figs] == [("11", 61), ("12", 62), ("14", 63)]


def test_bare_numbers_after_a_rank_each_followed_by_a_pillar_are_its_ranks():
    text = "Năm 2023, tỉnh Phú Yên xếp thứ 8 về chính quyền số, 19 về kinh tế số và 25 về xã hội số."
    before, figs = read(text, rules.ranks_listed_by_pillar)
    assert [b[0] for b in before][1:] == [None, None]
    assert [(f.code, f.fig.kind, f.fig.value) for f in figs][1:] == [
        ("dti_rank_digital_economy", "rank", 19),
        ("dti_rank_digital_society", "rank", 25),
    ]


def test_what_a_few_days_added_is_no_stock_of_a_cumulative_indicator():
    text = "Chỉ trong 5 ngày, các tổ công tác tỉnh Cao Bằng đã thu nhận 2.310 hồ sơ cấp căn cước."
    before, figs = read(text, rules.counts_of_a_short_window)
    assert before[-1][0] == "cccd_cards_issued"
    assert (figs[-1].code, figs[-1].reason) == (None, "flow")
