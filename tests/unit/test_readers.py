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
        ("nul.txt", b"abc\x00\x00\x00def" * 10, "binary file (NUL byte at byte offset 3)"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 4, "undecodable: not UTF-8 (invalid byte 0x80 at byte offset 0)"),
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


# --- issue 17.9, 17.11: encodings without a BOM, one damaged byte, NUL bytes anywhere ---------------------

LONG = (TEXT + "\n") * 40  # about 3.6 KB: a report, not a line


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected_and_read(tmp_path, codec):
    report = read_report(write(tmp_path, "u.txt", LONG.encode(codec)))
    assert report.encoding == codec
    assert report.text == LONG
    assert report.warnings == ()


@pytest.mark.parametrize(("bom", "codec"), [(b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8-sig")])
def test_one_broken_utf8_byte_is_replaced_and_its_byte_offset_recorded(tmp_path, bom, codec):
    encoded = LONG.encode("utf-8")
    at = encoded.index("Sơn".encode())  # a stray byte in the 1st line, before "Sơn"
    report = read_report(write(tmp_path, "b.txt", bom + encoded[:at] + b"\xff" + encoded[at:]))
    assert report.encoding == codec
    assert report.warnings == (f"1 invalid UTF-8 byte replaced with U+FFFD at byte offset {len(bom) + at}",)
    assert report.text == LONG.replace("Sơn", "\ufffdSơn", 1)


def test_a_truncated_utf8_sequence_is_one_replaced_character_at_its_first_byte(tmp_path):
    encoded = LONG.encode("utf-8")
    at = encoded.index("ạ".encode())  # e1 ba a1: the last byte lost
    report = read_report(write(tmp_path, "t.txt", encoded[:at] + encoded[at : at + 2] + encoded[at + 3 :]))
    assert report.warnings == (f"1 invalid UTF-8 byte replaced with U+FFFD at byte offset {at}",)
    assert report.text == LONG.replace("ạ", "\ufffd", 1)


def test_a_damaged_utf8_file_is_rejected_with_the_offset_of_its_first_bad_byte(tmp_path):
    lines = LONG.encode("utf-8").split(b"\n")
    data = b"\n".join(line + b"\xff" if i % 3 == 1 else line for i, line in enumerate(lines))
    first, stray = data.index(b"\xff"), data.count(b"\xff")
    assert stray == 14
    allowed = len(data) // 1000  # one damaged byte per KB is replaced
    with pytest.raises(RejectedFile) as e:
        read_report(write(tmp_path, "d.txt", data))
    assert e.value.reason == (
        f"undecodable: damaged UTF-8, {stray} invalid bytes (at most {allowed} are replaced in a file of this size), "
        f"the first byte 0xff at byte offset {first}"
    )


def test_nul_bytes_after_the_first_4_kb_reject_the_file_the_same_way_every_time(tmp_path):
    data = LONG.encode("utf-8") * 3
    assert len(data) > 8192
    path = write(tmp_path, "n.txt", data[:6000] + b"\x00\x00" + data[6000:])
    reasons = set()
    for _ in range(3):
        with pytest.raises(RejectedFile) as e:
            read_report(path)
        reasons.add(e.value.reason)
    assert reasons == {"binary file (NUL byte at byte offset 6000), not a text report"}


def test_a_sidecar_naming_an_unknown_province_is_a_warning_and_is_ignored(tmp_path):
    path = write(tmp_path, "r.txt", TEXT.encode("utf-8"))
    (tmp_path / "r.meta.json").write_text(json.dumps({"province": "Atlantis", "source_url": "x"}), encoding="utf-8")
    report = read_report(path)
    assert report.province is None and report.source_url == "x"
    assert report.warnings == (
        "sidecar r.meta.json names an unknown province 'Atlantis': ignored, the text's province is used",
    )
    (tmp_path / "r.meta.json").write_text(json.dumps({"province": "Tỉnh Lạng Sơn"}), encoding="utf-8")
    assert read_report(path).warnings == ()


def test_deeply_nested_html_is_read_in_linear_time(tmp_path):
    import time

    page = "<html><body>" + "<div>" * 40_000 + TEXT + "</div>" * 40_000 + "</body></html>"  # 471 KB
    started = time.perf_counter()
    report = read_report(write(tmp_path, "deep.html", page.encode("utf-8")))
    # quadratic before: 65 s on the machine, 8.7 s at 10,000 deep here; linear now: about 1 s
    assert time.perf_counter() - started < 10
    assert TEXT in report.text


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_mojibake_is_repaired_and_said(tmp_path, codec):
    garbled = LONG.encode("utf-8").decode(codec, errors="ignore" if codec == "cp1252" else "strict")
    if codec == "cp1252":  # bytes cp1252 leaves undefined are lost: take a text without them
        garbled = "Báo cáo kết quả chuyển đổi số năm 2023 của tỉnh Lạng Sơn.\n".encode().decode("cp1252")
    report = read_report(write(tmp_path, "m.txt", garbled.encode("utf-8")))
    assert "Lạng Sơn" in report.text and "Ã" not in report.text
    assert report.warnings == ("mojibake repaired (UTF-8 once decoded as Windows-1252 or Latin-1)",)
