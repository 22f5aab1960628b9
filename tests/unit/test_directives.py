"""Legal document references and instructions, on sentences written for these tests."""

import pytest

from sources.extract import extract_report


def docs(text):
    return [(d.doc_type, d.number, d.issuer, d.issued_on) for d in extract_report(text, "t").documents]


def instructions(text):
    return [(i.assignees, i.deadline) for i in extract_report(text, "t").instructions]


def test_documents_with_symbol_date_and_issuer():
    text = (
        "Ngày 5/3/2024, tỉnh Cà Mau triển khai Quyết định số 112/QĐ-UBND ngày 20/01/2024 của UBND tỉnh, "
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và Chỉ thị số 04/CT-TTg của Thủ tướng."
    )
    assert docs(text) == [
        ("quyet_dinh", "112/QĐ-UBND", "UBND", "2024-01-20"),
        ("nghi_quyet", "57-NQ/TW", "TW", "2024-12-22"),
        ("chi_thi", "04/CT-TTg", "TTg", None),
    ]


def test_the_head_who_speaks_is_no_assignee_and_a_tasks_deadline_may_follow_in_its_own_clause():
    text = (
        "Ngày 4/3/2024, tỉnh Bạc Liêu họp. Phát biểu chỉ đạo, Chủ tịch UBND tỉnh yêu cầu Sở Tư pháp rà soát dữ liệu "
        "hộ tịch trước ngày 30/6/2024; Công an tỉnh đẩy mạnh cấp căn cước, phấn đấu đến hết năm 2024 hoàn thành."
    )
    assert instructions(text) == [(["Sở Tư pháp"], "2024-06-30"), (["Công an tỉnh"], "2024-12")]


def test_a_police_order_is_a_directive():
    text = "Ngày 12/4/2024, Giám đốc Công an tỉnh Bến Tre ban hành Mệnh lệnh số 02/ML-CAT-PC06 về cấp căn cước."
    assert [(t, n) for t, n, _, _ in docs(text)] == [("chi_thi", "02/ML-CAT-PC06")]


def test_a_number_written_twice_is_one_document():
    text = "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị. Triển khai Nghị quyết số 57 nhanh, hiệu quả."
    assert docs(text) == [("nghi_quyet", "57-NQ/TW", "TW", None)]


def test_a_bare_number_needs_so_and_the_programme_is_not_a_reference():
    text = (
        "Tỉnh triển khai Đề án 06 và Kế hoạch chuyển đổi số năm 2025; thực hiện Chỉ thị số 05 của Thủ tướng Chính phủ."
    )
    assert docs(text) == [("chi_thi", "05", "TTg", None)]


def test_reports_and_submissions_are_not_references():
    assert docs("Theo Báo cáo số 125/BC-UBND và Tờ trình số 30/TTr-STTTT.") == []


def test_an_official_plan_cites_its_own_number():
    text = "ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nSố: 1201/KH-UBND\nĐiện Biên, ngày 12 tháng 3 năm 2024\nKẾ HOẠCH"
    assert docs(text) == [("ke_hoach", "1201/KH-UBND", "UBND", "2024-03-12")]


def test_an_instruction_with_assignee_and_deadline():
    text = (
        "Ngày 10/5/2024, Chủ tịch UBND tỉnh Ninh Bình yêu cầu Công an tỉnh hoàn thành việc làm sạch dữ liệu "
        "dân cư trước ngày 30/6/2024."
    )
    assert instructions(text) == [(["Công an tỉnh"], "2024-06-30")]


def test_two_departments_in_one_list():
    text = (
        "Ngày 2/10/2023, Bí thư Tỉnh ủy yêu cầu các Sở Thông tin và Truyền thông, Kế hoạch và Đầu tư phối hợp "
        "bố trí kinh phí trong tháng 11."
    )
    assert instructions(text) == [(["Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư"], "2023-11")]


def test_an_agency_as_subject_of_its_task():
    text = "Sáng 4/1/2025, hội nghị kết luận. Sở Tư pháp chủ trì số hóa dữ liệu hộ tịch, xong trước ngày 31/3."
    assert instructions(text) == [(["Sở Tư pháp"], "2025-03-31")]


def test_a_recipient_is_not_an_assignee():
    text = "Ngày 6/6/2024, giao Sở Tài chính tham mưu UBND tỉnh trình HĐND tỉnh ban hành nghị quyết."
    assert instructions(text) == [(["Sở Tài chính"], None)]


def test_what_was_done_is_not_an_instruction():
    text = (
        "Ngày 8/8/2024, tại hội nghị, Ban Chỉ đạo cho biết Sở Y tế đã phối hợp Công an tỉnh làm sạch 120.000 "
        "hồ sơ sức khỏe. Đồng chí Phó Chủ tịch đã chủ trì cuộc họp trực tuyến với các huyện."
    )
    assert instructions(text) == []


def test_the_object_of_a_directive_verb_is_an_assignee_only_when_it_names_someone():
    text = (
        "Ngày 3/3/2025, Chủ tịch UBND tỉnh Tây Ninh yêu cầu khẩn trương hoàn thiện đề án. Chủ tịch UBND tỉnh "
        "yêu cầu cán bộ, công chức phải kích hoạt tài khoản định danh điện tử."
    )
    assert instructions(text) == [(["cán bộ, công chức"], None)]


def test_district_offices_and_commune_youth_unions_receive_tasks():
    text = (
        "Chủ tịch UBND huyện Krông Pắc giao Phòng Tư pháp tổng hợp kết quả cấp phiếu lý lịch tư pháp "
        "trực tuyến trước ngày 15/9/2025."
    )
    assert instructions(text) == [(["Phòng Tư pháp"], "2025-09-15")]
    text = "Huyện Đoàn Thạch Hà chỉ đạo Đoàn xã Thạch Kênh hướng dẫn người cao tuổi kích hoạt VNeID."
    assert ["Đoàn xã Thạch Kênh"] in [a[:1] for a, _ in instructions(text)]


def test_a_symbol_broken_after_its_hyphen_is_one_number():
    text = "Thực hiện Kế hoạch 218/KH- UBND ngày 3-4-2025 của UBND tỉnh Nghệ An về chuyển đổi số."
    assert docs(text) == [("ke_hoach", "218/KH-UBND", "UBND", "2025-04-03")]


def _instructions(sentence: str):
    from sources.extract import extract_report

    text = "Ngày 10/10/2024, UBND tỉnh Quảng Bình tổ chức hội nghị.\n" + sentence
    return [(i.deadline, i.assignees) for i in extract_report(text, "x").instructions]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # who hands the work is not who must do it
            "UBND tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các đơn vị liên quan hoàn thành trước "
            "ngày 30/11/2025.",
            [("2025-11-30", ["Sở Khoa học và Công nghệ"])],
        ),
        (  # the head of a body named after the handing verb is handed the work
            "Chủ tịch UBND tỉnh đề nghị Chủ tịch UBND các huyện, thị xã chỉ đạo hoàn thành việc kích hoạt tài khoản "
            "trước ngày 15/12/2024.",
            [("2024-12-15", ["UBND các huyện, thị xã"])],
        ),
        (  # a campaign phase: its end is the deadline, the subject after the colon acts
            "Giai đoạn 1 (từ ngày 01/11 đến ngày 30/11/2024): các xã, phường tổ chức ra quân tuyên truyền.",
            [("2024-11-30", ["các xã, phường"])],
        ),
        (
            "Tỉnh đoàn chủ trì tổ chức chiến dịch hỗ trợ chuyển đổi số trong tháng 12/2024.",
            [("2024-12", ["Tỉnh đoàn"])],
        ),
        (
            "Bảo hiểm xã hội tỉnh, Ngân hàng Nhà nước chi nhánh tỉnh hoàn thành việc làm sạch dữ liệu "
            "trước 31/12/2024.",
            [("2024-12-31", ["Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh"])],
        ),
        (
            "Giám đốc các sở, ngành chịu trách nhiệm hoàn thành số hóa hồ sơ trước ngày 15/12/2024.",
            [("2024-12-15", ["các sở, ngành"])],
        ),
    ],
)
def test_instructions_of_campaigns_and_their_agencies(sentence, expected):
    assert _instructions(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("Thực hiện Nghị quyết 57 của Bộ Chính trị, tỉnh Bắc Giang đã ban hành kế hoạch hành động.", "57"),
        ("Theo dõi triển khai Kế hoạch 02, đến nay 130/130 xã đã hoàn thành nhiệm vụ.", "02"),
        ("Chỉ thị 05 ngày 23/2/2024 của Thủ tướng yêu cầu đẩy mạnh Đề án 06.", "05"),
    ],
)
def test_a_document_cited_without_so(sentence, number):
    from sources.extract import extract_report

    assert [d.number for d in extract_report(sentence, "x").documents] == [number]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kế hoạch 5 năm giai đoạn 2021-2025 đã hoàn thành.",
        "Kế hoạch 2024 của tỉnh có 12 nhiệm vụ.",
        "Đề án 06 là trọng tâm.",
    ],
)
def test_a_bare_number_that_counts_or_dates_is_no_document(sentence):
    from sources.extract import extract_report

    assert extract_report(sentence, "x").documents == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # a part of the text addressed to one agency
            "Đối với Sở Công Thương: hướng dẫn các chợ thanh toán điện tử, hoàn thành trước ngày 15/11/2024.",
            [("2024-11-15", ["Sở Công Thương"])],
        ),
        (
            "Riêng Công an tỉnh, khẩn trương hoàn thành làm sạch dữ liệu cư trú trong tháng 12/2024.",
            [("2024-12", ["Công an tỉnh"])],
        ),
        (  # tasks listed under one handing verb, each with its agency and deadline
            "UBND tỉnh giao: a) Sở Nội vụ rà soát biên chế trước ngày 20/11/2024; b) Sở Tài chính bố trí kinh phí "
            "trước ngày 30/11/2024.",
            [("2024-11-20", ["Sở Nội vụ"]), ("2024-11-30", ["Sở Tài chính"])],
        ),
        (
            "Nhiệm vụ cụ thể: - Sở Xây dựng: số hóa hồ sơ cấp phép trước ngày 10/12/2024; - Sở Y tế: kết nối dữ liệu "
            "khám bệnh trước ngày 20/12/2024.",
            [("2024-12-10", ["Sở Xây dựng"]), ("2024-12-20", ["Sở Y tế"])],
        ),
        (  # the 2025 units and national bodies that are handed work
            "Chủ tịch UBND phường giao Văn phòng HĐND và UBND phường số hóa sổ hộ tịch trước ngày 31/12/2024.",
            [("2024-12-31", ["Văn phòng HĐND và UBND phường"])],
        ),
        (
            "Bộ Công an đề nghị UBND các tỉnh, thành phố trực thuộc Trung ương hoàn thành cấp căn cước trước ngày "
            "15/12/2024.",
            [("2024-12-15", ["UBND các tỉnh, thành phố trực thuộc Trung ương"])],
        ),
    ],
)
def test_assignees_of_addressed_and_listed_tasks(sentence, expected):
    assert _instructions(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # the chair of a meeting and those who attend it are handed nothing
        "Đồng chí Phó Chủ tịch UBND tỉnh chủ trì hội nghị, cùng dự có lãnh đạo Sở Nội vụ và Công an tỉnh.",
        # a month over by the report's date frames what was done in it
        "Trong tháng 9/2024, Công an huyện Lệ Thủy tiếp nhận 3.100 hồ sơ cấp căn cước.",
        "Sở Tư pháp cho biết, trong tháng 9/2024 tỷ lệ hồ sơ hộ tịch trực tuyến là 88%.",
    ],
)
def test_meetings_and_past_months_hand_no_work(sentence):
    assert _instructions(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # "chỉ đạo" as a noun: a steering committee, leadership given, directions followed
        "Ban Chỉ đạo chuyển đổi số tỉnh đã trao giấy khen cho 9 tập thể và 14 cá nhân.",
        "Nhờ sự chỉ đạo sát sao của UBND tỉnh, các xã đã vượt chỉ tiêu cấp căn cước.",
        "Sở Nội vụ luôn bám sát các chỉ đạo của Bộ Nội vụ về cải cách hành chính.",
        # work handed in the past, told as a record
        "Các nhiệm vụ đã được UBND tỉnh chỉ đạo các sở, ngành thực hiện nghiêm túc.",
        "Các nhiệm vụ đã được Tỉnh ủy, UBND tỉnh chỉ đạo các sở, ngành, địa phương thực hiện đồng bộ.",
        "Thời gian qua, Hội Liên hiệp Phụ nữ tỉnh phối hợp tuyên truyền về dịch vụ công trực tuyến.",
        "Năm 2023, Sở Tài chính được giao dự toán 18 tỷ đồng cho chuyển đổi số.",
        "Đến cuối tháng 9/2024, UBND các huyện hoàn thành 93% chỉ tiêu kích hoạt tài khoản.",
        # whom an agency advises is not handed the work
        "Công an tỉnh là cơ quan thường trực, tham mưu UBND tỉnh triển khai Đề án 06.",
    ],
)
def test_records_and_nouns_hand_no_work(sentence):
    assert _instructions(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # the time limit stated in a sentence of its own
            "Giao Sở Nội vụ chủ trì rà soát vị trí việc làm. Thời hạn hoàn thành: trước ngày 20/11/2024.",
            [("2024-11-20", ["Sở Nội vụ"])],
        ),
        (  # tasks numbered in brackets under a meeting's conclusion
            "Kết luận: (1) Sở Y tế kết nối dữ liệu tiêm chủng trước ngày 15/11/2024; (2) Sở Xây dựng số hóa hồ sơ "
            "cấp phép trước ngày 30/11/2024.",
            [("2024-11-15", ["Sở Y tế"]), ("2024-11-30", ["Sở Xây dựng"])],
        ),
        (  # a month a plan fills, acted on by the members of a body
            "Tháng 11, các thành viên Tổ công nghệ số cộng đồng sẽ hướng dẫn người dân cài đặt VNeID.",
            [("2024-11", ["Tổ công nghệ số cộng đồng"])],
        ),
        (  # an hour before the day, and a group named after the handing verb
            "Công an tỉnh yêu cầu các đơn vị báo cáo kết quả trước 16 giờ ngày 25/10/2024.",
            [("2024-10-25", ["các đơn vị"])],
        ),
    ],
)
def test_time_limits_apart_and_numbered_tasks(sentence, expected):
    assert _instructions(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # the office that drafted a letter follows its issuer in the symbol
            "Theo Văn bản số 2210/BCA-C06 của Bộ Công an, các tỉnh phải rà soát dữ liệu cư trú.",
            [("cong_van", "2210/BCA-C06", "BCA", None)],
        ),
        ("UBND tỉnh có Công văn 781/UBND-KGVX đôn đốc các huyện.", [("cong_van", "781/UBND-KGVX", "UBND", None)]),
        (  # a list of symbols under one type word; a symbol that names its type needs no "số"
            "UBND tỉnh ban hành các Quyết định 1311/QĐ-UBND, 1312/QĐ-UBND về thủ tục hành chính.",
            [("quyet_dinh", "1311/QĐ-UBND", "UBND", None), ("quyet_dinh", "1312/QĐ-UBND", "UBND", None)],
        ),
        (
            "Việc phân cấp thực hiện theo 121/2025/NĐ-CP của Chính phủ.",
            [("nghi_dinh", "121/2025/NĐ-CP", "CP", None)],
        ),
    ],
)
def test_symbols_of_letters_and_lists(sentence, expected):
    assert docs(sentence) == expected


def test_an_abbreviated_agency_takes_no_word_after_it():
    assert _instructions("Sở GD&ĐT tham mưu triển khai học bạ số trước ngày 30/12/2024.") == [
        ("2024-12-30", ["Sở GD&ĐT"])
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # the date a target is owed by, written as where a figure must stand
            "UBND huyện yêu cầu UBND các xã vận động người dân, bảo đảm chỉ tiêu phải hoàn thành là 42.000 tài khoản "
            "tính đến ngày 30/11/2024.",
            [("2024-11-30", ["UBND các xã"])],
        ),
        (  # tasks described as handed earlier: the leader who speaks after them is no assignee
            "Để hoàn thành các nhiệm vụ được giao, Chủ tịch UBND huyện Cư Jút, yêu cầu Phòng Nội vụ tổng hợp danh sách "
            "trước ngày 20/11/2024.",
            [("2024-11-20", ["Phòng Nội vụ"])],
        ),
    ],
)
def test_targets_owed_and_tasks_described_as_handed(sentence, expected):
    assert _instructions(sentence) == expected


def test_a_quota_with_a_deadline_is_a_task_and_toan_trinh_is_no_submission():
    text = "Để bảo đảm đạt chỉ tiêu 310.000 tài khoản định danh điện tử trước ngày 30/11/2024, tỉnh huy động đoàn viên."
    assert _instructions(text) == [("2024-11-30", [])]
    assert _instructions("Trong quý I/2025, số thủ tục trực tuyến toàn trình của tỉnh dự kiến là 1.210.") == []


def _placed(sentence: str):
    text = "Ngày 2/8/2023, UBND tỉnh Đắk Lắk tổ chức hội nghị.\n" + sentence
    return [(i.geo_code, i.issued_by, i.assignees, i.deadline) for i in extract_report(text, "x").instructions]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # a ministry's instruction the province carries out applies to the country
            "Thực hiện chỉ đạo của Bộ Công an về việc hoàn thành cấp căn cước trước ngày 15/9/2023, Công an tỉnh đã "
            "mở đợt cao điểm.",
            [("00", "Bộ Công an", [], "2023-09-15")],
        ),
        (
            "Theo Công văn số 2871/BTTTT-CĐSQG của Bộ Thông tin và Truyền thông yêu cầu UBND cấp tỉnh rà soát, "
            "trong năm 2023 phải bảo đảm 80% dịch vụ công toàn trình.",
            [("00", "Bộ Thông tin và Truyền thông", ["UBND cấp tỉnh"], "2023-12")],
        ),
        (  # handed to a named local body, it applies where that body is
            "Bộ Công an giao Công an tỉnh Đắk Lắk hoàn thành làm sạch dữ liệu trước ngày 30/9/2023.",
            [("66", "Bộ Công an", ["Công an tỉnh Đắk Lắk"], "2023-09-30")],
        ),
        (
            "Chủ tịch UBND tỉnh yêu cầu Sở Tư pháp hoàn thành số hóa hộ tịch trước ngày 30/9/2023.",
            [("66", "Chủ tịch UBND tỉnh", ["Sở Tư pháp"], "2023-09-30")],
        ),
    ],
)
def test_where_an_instruction_applies_and_who_gives_it(sentence, expected):
    assert _placed(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # what a task builds, runs or reshapes is its object, not who must act
            "Chủ tịch UBND tỉnh yêu cầu Sở Khoa học và Công nghệ đưa Trung tâm Điều hành thông minh vào vận hành "
            "trước ngày 31/12/2024.",
            [("2024-12-31", ["Sở Khoa học và Công nghệ"])],
        ),
        (
            "UBND tỉnh giao Sở Nội vụ kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh trước ngày 30/11/2024.",
            [("2024-11-30", ["Sở Nội vụ"])],
        ),
        (
            "Chủ tịch UBND tỉnh đề nghị Công an tỉnh phát huy vai trò cơ quan thường trực Ban Chỉ đạo Đề án 06, "
            "hoàn thành làm sạch dữ liệu trước ngày 30/11/2024.",
            [("2024-11-30", ["Công an tỉnh"])],
        ),
        ("Bí thư Tỉnh ủy yêu cầu xây dựng Trung tâm Dữ liệu tỉnh theo hướng hiện đại.", []),
        (  # those a department guides or checks are not handed the task
            "UBND tỉnh giao Sở Nội vụ phối hợp với Sở Tư pháp hướng dẫn, kiểm tra các xã hoàn thành trước ngày "
            "30/11/2024.",
            [("2024-11-30", ["Sở Nội vụ", "Sở Tư pháp"])],
        ),
    ],
)
def test_the_object_of_a_task_is_no_assignee(sentence, expected):
    assert _instructions(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # "cơ sở Đoàn" (grassroots Youth Union units) is no department (Sở)
            "Ban Thường vụ Tỉnh đoàn yêu cầu các cơ sở Đoàn Thanh niên ra quân hỗ trợ người dân cài đặt VNeID, hoàn "
            "thành trước ngày 30/11/2024.",
            [("2024-11-30", ["Đoàn Thanh niên"])],
        ),
        (  # the 2025 units: special zones beside communes and wards
            "Chủ tịch UBND tỉnh đề nghị UBND các xã, phường, đặc khu bố trí đủ trang thiết bị, hoàn thành trong "
            "tháng 11/2024.",
            [("2024-11", ["UBND các xã, phường, đặc khu"])],
        ),
        (  # a department handed the follow-up of others
            "Trưởng Ban Chỉ đạo giao Sở Nội vụ kiện toàn tổ giúp việc trước ngày 15/11/2024; Sở Thông tin và "
            "Truyền thông theo dõi, đôn đốc các đơn vị thực hiện.",
            [("2024-11-15", ["Sở Nội vụ"]), (None, ["Sở Thông tin và Truyền thông"])],
        ),
    ],
)
def test_grassroots_units_special_zones_and_follow_up(sentence, expected):
    assert _instructions(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # a ministry's deputy minister addressing a province as a whole
            "Thứ trưởng Bộ Công an đề nghị tỉnh Kon Tum hoàn thành cấp căn cước cho người dân vùng cao trước ngày "
            "31/12/2024.",
            [("2024-12-31", ["tỉnh Kon Tum"])],
        ),
        # handing over data ("bàn giao") is no handing of work: a deadline met, told in the past tense
        ("Các xã, phường đã hoàn thành việc bàn giao dữ liệu trước ngày 30/9/2024 theo kế hoạch.", []),
    ],
)
def test_a_province_addressed_whole_and_handing_over(sentence, expected):
    assert _instructions(sentence) == expected


def _phrasings():
    from pathlib import Path

    path = Path(__file__).parent / "data" / "instruction_phrasings.txt"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            expected, _, text = line.partition(" || ")
            yield pytest.param(expected.strip(), text.strip(), id=f"line{number}")


def _overlaps(name: str, assignees: list[str]) -> bool:
    import unicodedata

    def low(x):
        return unicodedata.normalize("NFC", x).lower()

    return not name or any(low(name) in low(a) or low(a) in low(name) for a in assignees)


@pytest.mark.parametrize(("expected", "text"), list(_phrasings()))
def test_instruction_phrasings(expected, text):
    """Each phrasing gives exactly the instructions written before it: none missed, none extra."""
    got = [(i.assignees, i.deadline) for i in extract_report(text, "x").instructions]
    want = [] if expected == "-" else [item.strip().split("@") for item in expected.split(";")]
    left = list(got)
    for name, deadline in want:
        deadline = None if deadline == "-" else deadline
        hit = next((g for g in left if g[1] == deadline and _overlaps(name, g[0])), None)
        assert hit is not None, (name, deadline, got)
        left.remove(hit)
    assert left == [], left


@pytest.mark.parametrize(
    "sentence",
    [
        # a province's requests to those above, in the clauses that follow too
        "Tỉnh Cao Bằng kiến nghị Bộ Thông tin và Truyền thông hỗ trợ phủ sóng các thôn lõm sóng; phối hợp Bộ Công an "
        "hướng dẫn tỉnh triển khai các tiện ích.",
        "Sở Nội vụ đề xuất UBND tỉnh ban hành cơ chế hỗ trợ cán bộ làm công tác chuyển đổi số.",
        # what was set up is told, not handed
        "Công an các huyện đã thành lập 86 tổ công tác phối hợp với công an các xã vận động người dân.",
    ],
)
def test_requests_upward_and_what_was_set_up_hand_no_work(sentence):
    assert _instructions(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # those an agency advises, listed after the first; a committee's name ends before the verb after it
            "Ngoài ra, Sở Tư pháp tiếp tục tham mưu UBND tỉnh, Ban Chỉ đạo tổ chức triển khai các nhiệm vụ cải cách "
            "tư pháp.",
            [(None, ["Sở Tư pháp"])],
        ),
        (
            "Ban Chỉ đạo Đề án 06 tỉnh yêu cầu Sở Y tế hoàn thành kết nối dữ liệu trước ngày 30/11/2024.",
            [("2024-11-30", ["Sở Y tế"])],
        ),
    ],
)
def test_recipients_listed_and_committee_names(sentence, expected):
    assert _instructions(sentence) == expected


def test_tasks_listed_under_the_sentence_that_hands_them():
    text = (
        "Ngày 5/3/2025, UBND tỉnh Hà Tĩnh tổ chức hội nghị.\n"
        "UBND tỉnh giao Công an tỉnh:\n"
        "a) Chủ trì làm sạch dữ liệu dân cư, hoàn thành trước ngày 31/3/2025;\n"
        "b) Phối hợp Sở Tư pháp cập nhật dữ liệu hộ tịch trước ngày 30/4/2025.\n"
        "Chủ tịch UBND tỉnh yêu cầu các sở, ngành, địa phương thực hiện các nhiệm vụ sau:\n"
        "- Rà soát, cắt giảm thủ tục hành chính nội bộ trong quý III/2025.\n"
        "- Đẩy mạnh tuyên truyền về dịch vụ công trực tuyến.\n"
        "Trong tháng 4/2025, tỉnh sẽ tổ chức hội nghị sơ kết."
    )
    assert [(i.assignees, i.deadline) for i in extract_report(text, "x").instructions] == [
        (["Công an tỉnh"], None),
        (["Công an tỉnh"], "2025-03-31"),
        (["Công an tỉnh", "Sở Tư pháp"], "2025-04-30"),
        (["các sở, ngành, địa phương"], None),
        (["các sở, ngành, địa phương"], "2025-09"),
    ]
