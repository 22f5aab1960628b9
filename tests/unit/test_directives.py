"""Legal document references and instructions, on sentences written for these tests."""

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
