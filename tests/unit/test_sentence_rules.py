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


def test_rules_run_in_their_declared_order():
    assert rules.RULES[0] is rules.comparison_ends and rules.RULES[-1] is rules.parts_of_a_breakdown
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
    assert [b[0] for b in before] == [None, None, None]
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
