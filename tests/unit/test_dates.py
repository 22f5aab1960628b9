"""Report dates, figure periods and instruction deadlines."""

import pytest

from sources.extract.dates import ReportDate, deadlines, parse_label_date, period_mentions, report_date


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("date 2025-02 Hội nghị được tổ chức", "2025-02"),
        ("Sáng 11/01/2024, UBND tỉnh Lạng Sơn tổ chức hội nghị", "2024-01-11"),
        ("Phiên họp tổng kết năm 2024 (06/02/2025)\nChiều 6/2, tại Trụ sở Chính phủ", "2025-02-06"),
        ("Văn Thiện 07/02/2025 16:30\nTheo báo cáo", "2025-02-07"),
        ("13:47 21/07/2023 Theo báo cáo của CATP", "2023-07-21"),
        ("Quảng Bình, ngày 22 tháng 12 năm 2023\nKẾ HOẠCH", "2023-12-22"),
        ("Sáng 4 tháng 9 năm 2025, Công an tỉnh An Giang ra quân", "2025-09-04"),
        # a cited document's date is not the report's, even when it comes first
        (
            "Kon Tum chuyển đổi số\nThực hiện Quyết định số 942/QĐ-TTg ngày 15 tháng 6 năm 2021 của Thủ tướng. "
            "Sáng 17/2/2026, UBND tỉnh tổ chức hội nghị tổng kết.",
            "2026-02-17",
        ),
        # no year in the dateline: the year of the reporting span it speaks of
        ("Ngày 14/11, Ban Chỉ đạo họp nghe báo cáo kết quả 10 tháng đầu năm 2023.", "2023-11-14"),
        # a year-end summary held in January belongs to the next year
        (
            "Hội nghị tổng kết công tác chuyển đổi số năm 2024.\nNgày 9/1, UBND tỉnh Kon Tum tổ chức",
            "2025-01-09",
        ),
        ("Chiều 12/5, UBND tỉnh tổ chức hội nghị.", None),  # no year anywhere: unknown
    ],
)
def test_report_date(text, label):
    assert report_date(text).label() == label


def test_a_sidecar_date_wins():
    assert report_date("Sáng 11/01/2024, hội nghị", published="2024-02-03").label() == "2024-02-03"


RD = ReportDate(2024, 7, 18)


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        ("6 tháng đầu năm 2024, tỷ lệ đạt 42%", ["2024-H1"]),
        ("10 tháng đầu năm 2023, tỉnh đạt", ["2023-10"]),
        ("trong quý III/2024, tỉnh", ["2024-Q3"]),
        ("tính đến tháng 6/2023, tỉnh đứng thứ 13", ["2023-06"]),
        ("tính đến ngày 23-10, tỉnh có", ["2024-10-23"]),  # the year of the report
        ("Kết quả DTI năm 2022, tỉnh xếp thứ 7", ["2022"]),
        ("tăng từ 56% (năm 2022) lên 87,4%", ["2022"]),
        ("Nửa đầu năm 2025, 42% hồ sơ", ["2025-H1"]),
        # a date is not "10 months"; "tính đến cuối năm" is where a figure stands, not a horizon
        ("ban hành Chỉ thị số 05/CT-UBND ngày 10 tháng 11 năm 2023 về Đề án 06", ["2023"]),
        ("Tính đến cuối năm 2024, tỷ lệ kích hoạt đạt gần 87%", ["2024"]),
        ("Từ năm 2021 đến nay, tỉnh ban hành 03 chỉ thị", ["2024-07-18"]),
        ("Tính đến nay, toàn tỉnh có", ["2024-07-18"]),
        # mid- and early-month stocks are the month's
        ("đến giữa tháng 2/2025, Hà Giang có 41.000 tài khoản", ["2025-02"]),
        ("Tính đến đầu tháng 9 năm 2023, tỉnh", ["2023-09"]),
    ],
)
def test_period_labels(sentence, labels):
    assert [p.label for p in period_mentions(sentence, RD)] == labels


def test_tinh_den_nay_without_a_report_date_is_unknown():
    assert [p.label for p in period_mentions("Tính đến nay, toàn tỉnh có", ReportDate())] == [None]


def test_so_voi_is_a_reference_not_the_period():
    kinds = {p.label: p.kind for p in period_mentions("tăng 5 bậc so với năm 2022, xếp thứ 21", RD)}
    assert kinds == {"2022": "reference"}
    kinds = {p.label: p.kind for p in period_mentions("tăng 150.000 tài khoản so với cuối năm 2024", RD)}
    assert kinds == {"2024": "reference"}


@pytest.mark.parametrize(
    ("sentence", "rd", "expected"),
    [
        ("hoàn thành và ban hành xong trước ngày 28/2/2025.", ReportDate(2025, 2, 19), ["2025-02-28"]),
        ("muộn nhất đầu tháng 1/2024 phải đưa Trung tâm vào sử dụng", ReportDate(2023, 11, 14), ["2024-01"]),
        ("chỉ đạo Sở Nội vụ trong tháng 12 sắp xếp biên chế", ReportDate(2023, 11, 14), ["2023-12"]),
        ("phải làm căn cước trong tháng 4-2023.", ReportDate(2023, 3, 2), ["2023-04"]),
        ("so với mốc ngày 5-7-2023 Ủy ban nhân dân thành phố giao", ReportDate(2023, 7, 21), ["2023-07-05"]),
        ("hoàn thành chậm nhất ngày 15/3", ReportDate(2025, 12, 29), ["2026-03-15"]),  # next year's March
        ("Đến hết tháng 6/2025, hoàn thành việc gắn định danh", ReportDate(2025, 1, 1), ["2025-06"]),
        # the end of a year: "by the end of", or an obligation within it; a year framing what was done is none
        ("yêu cầu các sở hoàn thành số hóa đến hết năm 2024", ReportDate(2024, 3, 1), ["2024-12"]),
        ("yêu cầu các huyện, trong năm 2025 phải cấp xong căn cước", ReportDate(2025, 2, 1), ["2025-12"]),
        ("trong năm 2024 đã triển khai 200 trạm 5G", ReportDate(2025, 2, 1), []),
        ("xong trước ngày 30/6/2026, chậm nhất trong năm 2026", ReportDate(2026, 1, 5), ["2026-06-30"]),
        # the date a figure stands at is not a deadline
        ("tính đến ngày 30/6/2024, toàn tỉnh đã kích hoạt 512.000 tài khoản", ReportDate(2024, 7, 2), []),
        ("lũy kế đến ngày 15/10/2025 đã tiếp nhận 4.210 hồ sơ", ReportDate(2025, 10, 20), []),
        ("Thống kê lũy kế từ ngày 1-1 đến 20-9-2025, tỉnh có 1.402 dịch vụ công", ReportDate(2025, 9, 25), []),
        # a date in words, a stated time limit, the edge of a month after a task, a year that closes a task
        ("cập nhật dữ liệu, chậm nhất ngày 20 tháng 10 năm 2025", ReportDate(2025, 9, 1), ["2025-10-20"]),
        ("rà soát hồ sơ, thời hạn hoàn thành: ngày 5/11/2024", ReportDate(2024, 10, 2), ["2024-11-05"]),
        ("yêu cầu Công an huyện hoàn thành cấp căn cước trong năm 2026", ReportDate(2026, 2, 3), ["2026-12"]),
        ("giao Sở Tài chính đưa kho dữ liệu vào khai thác cuối tháng 3/2026", ReportDate(2026, 2, 3), ["2026-03"]),
        ("Đầu tháng 3/2026, tỉnh tổ chức hội nghị sơ kết", ReportDate(2026, 4, 3), []),
        ("trong quý II/2025, tỷ lệ hồ sơ trực tuyến phải đạt 60%", ReportDate(2025, 4, 3), ["2025-06"]),
        ("báo cáo kết quả không muộn hơn ngày 15/11/2024", ReportDate(2024, 11, 1), ["2024-11-15"]),
        # times relative to the report, and the first or last months of a year
        ("yêu cầu các phường hoàn thành làm sạch dữ liệu trong tháng này", ReportDate(2025, 8, 6), ["2025-08"]),
        ("giao Sở Nội vụ hoàn thành số hóa hồ sơ trong năm nay", ReportDate(2025, 8, 6), ["2025-12"]),
        ("giao Sở Tư pháp hoàn thành số hóa hộ tịch trong 6 tháng đầu năm 2026", ReportDate(2026, 1, 9), ["2026-06"]),
        ("trong 6 tháng đầu năm 2025, tỉnh đã cấp 80.000 thẻ", ReportDate(2025, 7, 9), []),
        # what had been done by a date, or within a period, is no deadline
        ("Đến ngày 15/5/2024, huyện Tam Nông đã cấp 41.000 thẻ căn cước", ReportDate(2024, 6, 1), []),
        ("Trong quý II/2025, tỷ lệ hồ sơ trực tuyến của phường đạt 61%", ReportDate(2025, 7, 1), []),
        ("Sở Y tế đã cấp xong 20.000 giấy khám sức khỏe trước ngày 10/4/2025", ReportDate(2025, 5, 1), []),
        ("Từ ngày 1/8 đến ngày 30/9/2025, các phường đã tiếp nhận 9.000 hồ sơ", ReportDate(2025, 10, 1), []),
        ("Với sự chỉ đạo của UBND tỉnh, đến ngày 20/11/2024 toàn huyện đã đạt chỉ tiêu", ReportDate(2024, 12, 1), []),
    ],
)
def test_deadlines(sentence, rd, expected):
    assert [d.label for d in deadlines(sentence, rd)] == expected


@pytest.mark.parametrize(
    ("label", "last_day"),
    [
        ("2024", "2024-12-31"),
        ("2024-H1", "2024-06-30"),
        ("2023-Q3", "2023-09-30"),
        ("2024-02", "2024-02-29"),
        ("2025-02-06", "2025-02-06"),
        (None, None),
        ("soon", None),
    ],
)
def test_parse_label_date(label, last_day):
    parsed = parse_label_date(label)
    assert (parsed.isoformat() if parsed else None) == last_day
