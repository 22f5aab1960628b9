"""Readers: every encoding reports arrive in, and the files that must be rejected with a reason."""

import json
import unicodedata

import pytest

from sources.readers import RejectedFile, read_report

TEXT = "Sáng 11/01/2024, UBND tỉnh Lạng Sơn tổ chức hội nghị tổng kết chuyển đổi số năm 2023."
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: letters with their vowel marks, tone marks combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base.encode("cp1258") + "".join(c for c in parts if c in TONE_MARKS).encode("cp1258"))
    return b"".join(out)


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("a.txt", TEXT.encode("utf-8"), "utf-8"),
        ("b.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        ("c.txt", TEXT.encode("utf-16"), "utf-16"),  # with its BOM
        ("d.txt", cp1258(TEXT), "windows-1258"),
        ("e.md", ("# Tổng kết\n\n" + TEXT).encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_decode_to_the_same_nfc_text(tmp_path, name, data, encoding):
    report = read_report(write(tmp_path, name, data))
    assert report.encoding == encoding
    assert TEXT in report.text


def test_windows_1258_combining_tone_marks_become_precomposed_letters(tmp_path):
    # Windows-1258 writes "ạ" as "a" + a combining dot below: after reading, the text is NFC
    report = read_report(write(tmp_path, "x.txt", cp1258("Lạng Sơn đạt tỷ lệ của tỉnh")))
    assert report.text == "Lạng Sơn đạt tỷ lệ của tỉnh"
    assert "\u0323" not in report.text


def test_html_keeps_the_article_and_drops_menus_and_scripts(tmp_path):
    page = f"""<!DOCTYPE html><html><head><title>Lạng Sơn tổng kết chuyển đổi số</title>
    <meta property="article:published_time" content="2024-01-11T08:00:00+07:00">
    <script>var tracking = "kích hoạt 999.999 tài khoản";</script><style>p {{color: red}}</style></head>
    <body><nav class="menu"><a href="/">Trang chủ</a> Thời sự Kinh tế</nav>
    <div class="article-content"><h1>Lạng Sơn tổng kết chuyển đổi số</h1><p>{TEXT}</p>
    <p>Toàn tỉnh có 1.658 Tổ công nghệ số cộng đồng.</p></div>
    <footer>Bản quyền thuộc Báo Lạng Sơn</footer></body></html>"""
    report = read_report(write(tmp_path, "page.html", page.encode("utf-8")))
    assert report.file_format == "html"
    assert report.published_date == "2024-01-11"
    assert TEXT in report.text and "1.658 Tổ" in report.text
    assert "tracking" not in report.text and "Trang chủ" not in report.text and "Bản quyền" not in report.text


def test_a_sidecar_overrides_what_the_text_implies(tmp_path):
    path = write(tmp_path, "r.txt", TEXT.encode("utf-8"))
    (tmp_path / "r.meta.json").write_text(
        json.dumps({"province": "Cao Bằng", "published_date": "2024-01-12", "source_url": "https://example.vn/x"}),
        encoding="utf-8",
    )
    report = read_report(path)
    assert (report.province, report.published_date, report.source_url) == (
        "Cao Bằng",
        "2024-01-12",
        "https://example.vn/x",
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n ", "empty file"),
        ("scan.pdf", b"%PDF-1.7 ...", "unsupported format"),
        ("renamed_pdf.txt", b"%PDF-1.7 \x00\x01 binary", "binary file (PDF document)"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image)"),
        ("nul.txt", b"abc\x00\x00\x00def" * 10, "binary file (NUL bytes)"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 4, "undecodable"),
        ("digits.txt", b"12345 67890\n", "no text"),
        (".hidden.txt", TEXT.encode("utf-8"), "hidden file"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, data, reason):
    with pytest.raises(RejectedFile) as e:
        read_report(write(tmp_path, name, data))
    assert reason in e.value.reason


def test_a_malformed_sidecar_rejects_the_report_instead_of_being_ignored(tmp_path):
    path = write(tmp_path, "r.txt", TEXT.encode("utf-8"))
    (tmp_path / "r.meta.json").write_text("{province: Cao Bằng", encoding="utf-8")
    with pytest.raises(RejectedFile, match="sidecar r.meta.json is not valid JSON"):
        read_report(path)
