"""The fast scans (sources/extract/fold.py) must match exactly what their original patterns match: every scan
of the extractor, on every sentence of the shipped samples and on sentences written to hit the edges
(capitals, the gate's literals in other cases). The same checks on the shared corpus, and the share of
sentences a gate shuts for, are in tests/extraction/test_fold_corpus.py."""

import re

import pytest

from sources.extract import dates, directives, fold, numbers, places
from sources.extract.text import sentences
from tests.conftest import SAMPLES

EDGES = [
    "QUÝ IV/2024, Công An Tỉnh Hà Giang đạt 95%.",
    "Theo Nghị Quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, CẢ NƯỚC đã kích hoạt 61,2 triệu tài khoản.",
    "TOÀN QUỐC có 2.000 xã; Việt Nam xếp hạng 71/193; Tập đoàn Điện lực Việt Nam.",
    "Mức Độ 2: 1.234 tài khoản, Tính Đến Ngày 30/6/2024.",
    "Sở Thông tin và Truyền thông TP. Hồ Chí Minh, huyện Đông Anh, Thị xã Sơn Tây, xã Tân Lập.",
]


def _all_scans() -> list[fold.Scan]:
    scans = [scan for _, scan in numbers._MASK_RUNS]
    scans += [numbers._RANK_ORDINAL_SCAN, numbers._RANK_NUMBER_SCAN, numbers._RANK_WORD_SCAN]
    scans += [numbers._UNIVERSE_SCAN, numbers._PER_100_SCAN]
    for value in places._cue_patterns().values():
        group = value[0] if isinstance(value, tuple) else [value]
        scans += [v for v in group if isinstance(v, fold.Scan)]
    scans += [v for v in vars(dates).values() if isinstance(v, fold.Scan)]
    scans += [v for v in directives._vocab().values() if isinstance(v, fold.Scan)]
    return scans


def sentences_of(files) -> list[str]:
    return [s.text for f in files for s in sentences(f.read_text(encoding="utf-8"))]


SENTENCES = EDGES + sentences_of(sorted(SAMPLES.glob("*.txt")))
GATED_KINDS = ["national", "own", "non_place", "non_place_scope"]


def assert_scan_exact(scan: fold.Scan, texts: list[str]) -> None:
    for sentence in texts:
        low = fold.lower(sentence)
        fast = [m.span() for m in scan.finditer(sentence, low)]
        slow = [m.span() for m in scan.original.finditer(sentence)]
        assert fast == slow, sentence
        digit = re.search(r"\d", sentence)
        from_digit = [m.span() for m in scan.finditer(sentence, low, digit.start() if digit else len(sentence))]
        assert from_digit == slow, sentence  # a scan that opens with a digit may start at the first one


def shut_count(kind: str, texts: list[str]) -> int:
    """How many sentences the gate of a list of place cues shuts for; asserts none of its scans matches them."""
    scans, gate = places._cue_patterns()[kind]
    assert gate.pattern is not None  # every scan of these lists has a literal, so the gate can shut
    shut = 0
    for sentence in texts:
        if gate.shut(fold.lower(sentence)):
            shut += 1
            assert not any(scan.original.search(sentence) for scan in scans), sentence
    return shut


@pytest.mark.parametrize("scan", _all_scans(), ids=lambda s: s.original.pattern[:40])
def test_a_scan_matches_exactly_what_its_pattern_matches(scan):
    assert_scan_exact(scan, SENTENCES)


@pytest.mark.parametrize("kind", GATED_KINDS)
def test_a_shut_gate_means_no_scan_of_its_group_matches(kind):
    assert shut_count(kind, SENTENCES) > 0  # the samples are provincial reports: gates shut for some sentences


def test_there_are_many_scans_and_most_have_a_gate():
    scans = _all_scans()
    assert len(scans) > 50
    assert sum(1 for s in scans if s.needs) > 0.7 * len(scans)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\bcả nước\b", {"cả nước"}),
        (r"(?:nghị quyết|quyết định)\s+(?:số\s*)?(\d+)", {"nghị quyết", "quyết định"}),
        (r"(?i:quý)\s+(?:IV|I{1,3})", None),  # a case-insensitive group gives no case-sensitive literal
        (r"\d+(?:\.\d{3})*", None),
        (r"jpe?g|png", {"jp", "png"}),
        (r"x", None),  # a one-letter literal is no gate
    ],
)
def test_required_literals(pattern, needs):
    found = fold.required_literals(re.compile(pattern))
    assert (set(found) if found else None) == needs


def test_folding_keeps_escapes_and_group_names():
    twin = fold.folded(re.compile(r"(?P<Num>\D+)\S(?i:ABC)\W", re.I))
    assert twin.pattern == r"(?P<Num>\D+)\S(?:abc)\W"
    assert fold.lower("Đ İ x") == "đ İ x"  # a character whose lowercase is longer keeps the offsets


def test_without_the_private_parser_the_gates_open_and_the_matches_stay(monkeypatch):
    """`re._parser` is private: were it gone, every scan must still match exactly as its pattern does."""
    pattern = re.compile(r"(?i:tính đến)\s+(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}")
    gated = fold.Scan(pattern, fold=True)
    assert gated.needs, "with the parser the scan has a gate"
    monkeypatch.setattr(fold, "sre_parse", None)
    ungated = fold.Scan(pattern, fold=True)
    assert ungated.needs == ()
    sentence = "Tính Đến ngày 15/3/2026, tỉnh Gia Lai có 812.000 tài khoản; tính đến 01/01/2026 là 700.000."
    low = fold.lower(sentence)
    spans = [m.span() for m in pattern.finditer(sentence)]
    assert [m.span() for m in gated.finditer(sentence, low)] == spans
    assert [m.span() for m in ungated.finditer(sentence, low)] == spans
    assert len(spans) == 2


def test_one_spelling_unifies_what_reports_spell_two_ways_without_moving_offsets():
    from sources.extract.fold import one_spelling

    low = "tỉ lệ số hoá đạt 80%, tỉ trọng kinh tế số; sức khoẻ, thuỷ lợi, quý iv, tỉnh hoà bình, 3 tỉ đồng"
    out = one_spelling(low)
    assert out == "tỷ lệ số hóa đạt 80%, tỷ trọng kinh tế số; sức khỏe, thủy lợi, quý iv, tỉnh hòa bình, 3 tỉ đồng"
    assert len(out) == len(low)


QUICK_CASES = [
    r"(?<!\w)(?:khoảng|gần|ước)\s*$",  # a lookbehind, then words
    r"(?i:tính đến)\s+\d+",  # a case-insensitive group: the lookahead reads case-insensitively too
    r"\b(?:xã|phường)\s+[A-ZĐ]\w*",
    r"(?:(?i:c)ác )?doanh nghiệp|[Ss]ở [A-ZĐ]\w*",  # an optional opener: either may open
    r"\b\d{1,2}[:h]\d{2}\b|\b\d{1,2}h(?=\s)",  # a category opens
    r"(?i:hơn|trên)\s*$",
]


@pytest.mark.parametrize("source", QUICK_CASES)
@pytest.mark.parametrize("flags", [0, re.I])
def test_a_quick_start_matches_exactly_what_its_pattern_matches(source, flags):
    pattern = re.compile(source, flags)
    quick = fold.quick_start(pattern)
    assert quick.pattern.startswith("(?="), "each of these patterns opens slowly: it gets a lookahead"
    for sentence in SENTENCES:
        assert [m.span() for m in quick.finditer(sentence)] == [m.span() for m in pattern.finditer(sentence)]
        assert [m.groups() for m in quick.finditer(sentence)] == [m.groups() for m in pattern.finditer(sentence)]


@pytest.mark.parametrize(
    "source",
    [
        r"^\s*date",  # anchored: `re` tries one position only
        r"cả nước",  # a literal: `re` has its fast start
        r"[\w]x",  # a class: `re` has its fast start
        r"(?i)abc",  # global flags must stay first
        r"(?:a|)b",  # an opener that may be empty: not listed
        r"\Wx",  # a category not listed
        r"(?=\d)\d+",  # a lookahead already
    ],
)
def test_a_quick_start_leaves_patterns_that_open_fast_or_cannot_be_listed(source):
    pattern = re.compile(source)
    assert fold.quick_start(pattern) is pattern


def test_a_quick_start_opens_the_case_insensitive_letters_in_both_cases():
    quick = fold.quick_start(re.compile(r"(?:(?i:c)ác )?[Ss]ở"))
    assert quick.pattern.startswith("(?=[Ss]|(?i:[c]))") or quick.pattern.startswith("(?=[sS]|(?i:[c]))")
    assert [m.group(0) for m in quick.finditer("CÁC SỞ, Các Sở, các sở, Sở")] == ["Các Sở", "các sở", "Sở"]


def test_without_the_private_compiler_a_quick_start_is_the_pattern(monkeypatch):
    monkeypatch.setattr(fold, "sre_compile", None)
    pattern = re.compile(r"\bcả nước")
    assert fold.quick_start(pattern) is pattern


def test_scans_that_open_with_a_digit_are_known():
    digit_led = [scan for scan in _all_scans() if scan.digit_led]
    assert len(digit_led) >= 5  # the masks of dates, numbers, durations
    assert fold.opens_with_digit(re.compile(r"(?=\d)(?<![\d.])\d+"))
    assert fold.opens_with_digit(re.compile(r"\b\d{1,2}[:h]\d{2}\b|\b\d{1,2}h(?=\s)"))
    assert not fold.opens_with_digit(re.compile(r"(?i:ngày)\s+\d{1,2}"))
    assert not fold.opens_with_digit(re.compile(r"\d|x"))
    assert [m.span() for m in re.finditer(r"(?<![\d.])\d+", "1.5 và 25")] == [(0, 1), (7, 9)]
    scan = fold.Scan(r"(?=\d)(?<![\d.])\d+")
    assert [m.span() for m in scan.finditer("1.5 và 25", "1.5 và 25", 2)] == [(7, 9)]  # "5" follows "1."
