"""The number grammar: what is a figure, what it is worth, and what is not a figure at all."""

import pytest

from sources.extract.numbers import find_figures, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("762.284", 762284),
        ("1.025.067", 1025067),
        ("92,96", 92.96),
        ("12,52", 12.52),
        ("03", 3),
        ("0,8340", 0.834),
        ("0.7326", 0.7326),
        ("212.93", 212.93),  # a dot followed by two digits cannot be a thousands separator
        ("3.119", 3119),  # a dot followed by three digits is one
        ("1,025,067", 1025067),  # English thousands
        ("1.5", 1.5),
    ],
)
def test_parse_number(raw, value):
    assert parse_number(raw) == pytest.approx(value)


def figures(text):
    return [(f.kind, f.value, f.denominator) for f in find_figures(text)[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đã kích hoạt 812.405 tài khoản", [("count", 812405, None)]),
        ("cấp 1.025.067/1.025.067 thẻ", [("fraction", 1025067, 1025067)]),
        ("đạt tỷ lệ 81,25% dân số", [("percent", 81.25, None)]),
        ("tiếp nhận hơn 136 nghìn hồ sơ", [("count", 136000, None)]),
        ("giao dịch đạt 1.013 triệu", [("count", 1013000000, None)]),
        ("với hơn 95,8 triệu dữ liệu", [("count", 95800000, None)]),
        ("góp 1,5 triệu tỷ đồng", [("count", 1.5e15, None)]),
        ("ban hành 03 chỉ thị, 05 nghị quyết", [("count", 3, None), ("count", 5, None)]),
        ("hoàn thành 21/30 chỉ tiêu", [("fraction", 21, 30)]),
        ("đạt 79 máy/100 dân", [("per_100", 79, None)]),
        ("đã kích hoạt 1 triệu 250 nghìn tài khoản", [("count", 1250000, None)]),
        ("đạt 2 tỷ 300 triệu giao dịch", [("count", 2300000000, None)]),
        ("có 82 thuê bao điện thoại thông minh trên 100 dân", [("per_100", 82, None)]),
        ("cứ 100 người dân thì có 64 người dùng điện thoại thông minh", [("per_100", 64, None)]),
        ("kiện toàn1.658 Tổ công nghệ", [("count", 1658, None)]),  # a missing space in the source
    ],
)
def test_figures(text, expected):
    assert [(k, pytest.approx(v), d) for k, v, d in figures(text)] == [(k, v, d) for k, v, d in expected]


@pytest.mark.parametrize(
    ("text", "rank", "denominator"),
    [
        ("Kon Tum xếp thứ 13/63 tỉnh, thành phố", 13, 63),
        ("tỉnh đứng thứ 6 cả nước", 6, None),
        ("vươn lên vị trí thứ 21/63", 21, 63),
        ("xếp hạng 11/63 tỉnh, thành", 11, 63),
        ("tỉnh ở vị trí thứ Nhất", 1, None),
        ("Đà Nẵng dẫn đầu cả nước về chuyển đổi số", 1, None),
    ],
)
def test_ranks(text, rank, denominator):
    ranks = [f for f in find_figures(text)[0] if f.kind == "rank"]
    assert len(ranks) == 1
    assert (ranks[0].value, ranks[0].denominator) == (rank, denominator)


def test_a_ranking_list_goes_on_without_its_verb():
    text = "tỉnh đứng thứ 9/63 về chính quyền số, thứ 11/63 về kinh tế số và thứ 2/63 về xã hội số"
    assert [(f.kind, f.value) for f in find_figures(text)[0]] == [("rank", 9), ("rank", 11), ("rank", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "theo Quyết định số 69/QĐ-UBND ngày 15/01/2025",
        "Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        "Công văn số 1462-CV/TU ngày 25-10",
        "theo Nghị định 88/2025/NĐ-CP",
        "Chỉ thị số 05 của Thủ tướng",
        "triển khai Đề án 06",
        "phủ sóng 3G, 4G và 5G",
        "tuyến cáp có dung lượng 20Tbps",
        "IMG_0338[1].JPG",
        "Sáng 11/01/2024, UBND tỉnh tổ chức",
        "Chiều 12/5, tại hội trường",
        "tính đến tháng 6/2023",
        "trong quý III/2024",
        "6 tháng đầu năm",
        "công dân từ 14 tuổi trở lên",
        "tăng 5 bậc so với năm 2022",
        "Phiên họp lần thứ 10",
        "năm thứ tư liên tiếp",
        "Hà Tĩnh là địa phương thứ 2 hoàn thành",
        "lọt vào Top 10 địa phương",
        "định danh điện tử mức 2",
        "chợ 4.0",
        "13:47 21/07/2023",
        "giai đoạn 2021 - 2025, tầm nhìn đến năm 2030",
        "người đứng đầu các sở",
    ],
)
def test_not_figures(text):
    assert find_figures(text)[0] == []


def test_a_day_month_pair_is_a_date_only_after_a_date_word():
    assert figures("đến ngày 8/6, tỉnh") == []
    assert figures("07/07 huyện đã đạt") == [("fraction", 7, 7)]


def test_the_size_of_a_ranking_is_not_a_figure():
    kinds = [f.kind for f in find_figures("vị trí thứ 6 trong bảng xếp hạng 63 tỉnh, thành phố")[0]]
    assert kinds == ["rank"]
