"""The number grammar of Vietnamese reports: which digit runs are figures, and what they are worth.

Vietnamese writes thousands with dots and decimals with commas (`1.025.067`, `92,96%`), but web text also
carries English-style decimals (`212.93 điểm`, `0.834`). Dates, years, document numbers (`69/QĐ-UBND`),
durations (`6 tháng`), ages, network generations (`4G`), version numbers (`4.0`) and picture names are
not figures: they are masked first so that the figure scanner never sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources import catalog
from sources.extract import fold

MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
ORDINAL_WORDS = {
    "nhất": 1,
    "nhì": 2,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}

# A number as written: 1.025.067 | 92,96 | 212.93 | 03 | 0,8340 | 1,025,067
NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}|\d+(?:[.,]\d+)?"
# not glued to a word, a decimal or a symbol on the left; "109 tài khoản/2.068 chỉ tiêu" is allowed
_LEFT = r"(?:(?<![\w.,/\-–])|(?<=[^\W\d_]/))"
_RIGHT = r"(?![\w]|[.,]\d|/\d)"

DATE_CUES = r"ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|từ|đến|tới|vào|lúc|hạn|trước|sau|hết|cuối|đầu"


def _numbered_words() -> list[str]:
    """Document types and the other words a document number follows (`directives.yml`), longest first."""
    d = catalog.directives()
    return sorted([*d["document_types"], *d["numbered_words"]], key=len, reverse=True)


_MASKS: list[tuple[str, re.Pattern[str]]] = [
    ("picture", re.compile(r"\S*\.(?:jpe?g|png|gif|webp)\b", re.I)),
    ("url", re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:gov|com|net|org|edu)\.vn\S*", re.I)),
    # 69/QĐ-UBND, 57-NQ/TW, 1462-CV/TU, 193/2025/QH15, 88/2025/NĐ-CP, 06/CP
    (
        "document_number",
        re.compile(r"(?=\d)(?<![\w/.])\d+(?:/\d{2,4})?[/-][A-ZĐ][\wĐđ&]*(?:[/-][A-ZĐ0-9][\wĐđ&]*)*"),
    ),
    (
        "document_number",
        re.compile(rf"(?i:{'|'.join(_numbered_words())})\s+(?:số\s*)?(\d+)(?![.,]\d)"),
    ),
    ("time", re.compile(r"\b\d{1,2}[:h]\d{2}\b|\b\d{1,2}h(?=\s)")),
    ("date", re.compile(r"(?=\d)(?<![\d/.])\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}(?!\d)")),
    ("date", re.compile(r"(?i:ngày)\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?")),
    ("date", re.compile(r"(?i:tháng)\s+\d{1,2}(?:\s*[/\-]\s*\d{4}|\s+năm\s+\d{4})?(?!\d|[.,/]\d)")),
    (
        "date",
        re.compile(
            rf"(?i:\b(?:{DATE_CUES}))\s+(?:(?i:ngày)\s+)?(\d{{1,2}}\s*[–\-]\s*)?\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}(?!\d|[/.,]\d)"
        ),
    ),
    ("quarter", re.compile(r"(?i:quý)\s+(?:IV|I{1,3}|[1-4])(?:\s*[/\-]\s*\d{4}|\s+năm\s+\d{4})?")),
    (
        "year",
        re.compile(
            r"(?=\d)(?<![\d.,/])(?:19[7-9]\d|20[0-4]\d)(?:\s*[-–]\s*(?:19[7-9]\d|20[0-4]\d))?(?!\d|[.,]\d|\s*%)"
        ),
    ),
    (
        "duration",
        re.compile(
            r"(?=\d)(?<![\d.,])\d+\s+(?:tháng|năm|ngày|tuần|giờ|phút|quý|tuổi|bậc|lần|kỳ|nhiệm kỳ|trụ cột|"
            r"chỉ số(?: chính| thành phần)?)(?!\w)(?!\s+(?:19|20)\d\d)",  # "15 năm 2022" is a figure and its year
            re.I,
        ),
    ),
    (
        "ordinal",
        re.compile(
            r"(?i:lần|năm|tuyến|khóa|khoá|kỳ|phiên|đợt|giai đoạn|địa phương|tỉnh|đơn vị|ngày)\s+thứ\s+"
            r"(?:\d+|(?i:nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười))(?!\w)"
        ),
    ),
    (
        "level",
        re.compile(
            r"(?i:mức độ|mức|cấp độ|phiên bản|top|nhóm|trụ cột|trục|điểm cầu|khu|tổ|số điện thoại|hotline|tổng đài)"
            r"\s+\d+(?:\.\d)?(?:\s*(?:,|và|-|&)\s*[1-4](?!\d))?(?!\d|[.,]\d|\s*[/%])"
        ),
    ),
    ("version", re.compile(r"(?=\d)(?<![\d.,])\d\.0(?![\d.,])")),
    ("generation", re.compile(r"(?=\d)\b\d+[GgKk]\b")),
    ("per_100", re.compile(r"(?:/|\btrên)\s*100\s+(?:dân|người)", re.I)),
]


@dataclass(slots=True)
class Figure:
    """One figure in a sentence; offsets are relative to the sentence."""

    start: int
    end: int
    text: str
    kind: str  # count | percent | fraction | rank | decimal | per_100
    value: float
    denominator: float | None = None
    rank_word: bool = False  # rank stated in words ("dẫn đầu")
    bound: str | None = None  # a band ("thuộc nhóm 20"): the rank is at most this


_ZERO_POINT = re.compile(r"0\.\d+")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
_COMMA_DECIMAL = re.compile(r"\d+,\d+")


def parse_number(raw: str) -> float:
    """`762.284` → 762284, `92,96` → 92.96, `212.93` → 212.93, `0.834` → 0.834, `1,025,067` → 1025067."""
    s = raw.strip().replace(" ", "")
    if _ZERO_POINT.fullmatch(s):
        return float(s)
    if _DOT_THOUSANDS.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if _COMMA_THOUSANDS.fullmatch(s):
        return float(s.replace(",", ""))
    if _COMMA_DECIMAL.fullmatch(s):
        return float(s.replace(",", "."))
    return float(s)  # "212.93": a dot with a group that is not 3 digits is an English-style decimal


# case-insensitive masks run folded on the lowercased sentence (see fold.py); "quý IV" keeps its case
_DIGIT = re.compile(r"\d")
_MASK_RUNS = [
    (label, fold.Scan(p, fold=bool(p.flags & re.IGNORECASE or p.pattern.startswith("(?i:")) and label != "quarter"))
    for label, p in _MASKS
]


def mask_spans(sentence: str, low: str | None = None) -> list[tuple[int, int, str]]:
    """Spans of the sentence that are dates, document numbers and other non-figures."""
    spans: list[tuple[int, int, str]] = []
    digit = _DIGIT.search(sentence)
    if not digit:
        return spans  # every mask covers digits
    low = low if low is not None else fold.lower(sentence)
    for label, scan in _MASK_RUNS:
        # gated: most masks need a word most sentences lack; one that opens with a digit starts at the first
        for m in scan.finditer(sentence, low, digit.start()):
            if label == "document_number" and m.lastindex:
                spans.append((m.start(1), m.end(1), label))
            else:
                spans.append((m.start(), m.end(), label))
    return spans


_RANK_GOVERNOR = fold.compile_quick(r"(?i:xếp|đứng|vị trí|thứ hạng|hạng|vươn lên|giữ vững|giữ|tụt|lên)[^,;.:]{0,18}$")
_RANK_ORDINAL = re.compile(rf"thứ\s+(?P<n>\d+|{'|'.join(ORDINAL_WORDS)})(?![\w])(?:\s*/\s*(?P<d>\d+))?", re.I)
_RANK_CLASS = re.compile(rf"(?i:xếp hạng|đứng hạng|hạng)\s+(?P<n>{'|'.join(ORDINAL_WORDS)})(?![\w])", re.I)  # hạng nhất
_RANK_NUMBER = re.compile(
    r"(?i:xếp hạng|vị trí số|vị trí|hạng)\s+(?P<n>\d+)(?:\s*/\s*(?P<d>\d+))?(?!\w|[.,]\d|\s*%)"
    r"|(?i:xếp|đứng)\s+(?P<n3>\d+)\s*/\s*(?P<d3>\d+)(?!\w|[.,]\d|\s*%)"  # "xếp 71/193 quốc gia"
)
_UNIVERSE_NOUN = re.compile(r"\s+(?:tỉnh|địa phương|quốc gia|nước|bộ|đơn vị)", re.I)
# "dẫn đầu khu vực", "dẫn đầu nhóm": first of a region or a group, not a national rank
_RANK_WORD = re.compile(
    r"(?i:dẫn đầu|đứng đầu|xếp đầu|đứng số 1|quán quân|xếp thứ nhất)"
    r"(?!\s+(?i:khu vực|vùng|miền|nhóm(?!\s+\d{2}\s+tỉnh)|khối))"  # "dẫn đầu nhóm 63 tỉnh" is first of all
)
_RANK_WORD_EXCLUDED = fold.compile_quick(
    r"(?i:một trong|top|nhóm|những|các tỉnh|các địa phương|trong số|là một)[^.;]{0,40}$|(?i:người|vai trò)\s*$"
)
_UNIVERSE = re.compile(
    r"(?i:/|trong|trên|của|các|trong tổng số|bảng xếp hạng|xếp hạng)\s*(\d+)\s+"
    r"(?:tỉnh|địa phương|quốc gia|nước|bộ|đơn vị)"
)

# "Nhận thức số - xếp thứ 36; Thể chế số - 57": the next item of a list of labelled ranks
_LABELLED_ITEM = re.compile(r"\s*[;,]\s*[^\d;,.()]{2,50}?\s*[-–:]\s*")
_RANK_BAND = re.compile(
    r"(?i:\bnhóm\s+(?P<n>\d+)\s+(?:tỉnh,?\s*(?:thành(?: phố)?)?\s*|địa phương\s*)?"
    r"(?:dẫn đầu|đứng đầu|của cả nước|cả nước|toàn quốc))"
)
_RANKS_ARE = fold.compile_quick(r"(?i:thứ hạng|vị trí)\b(?:[^.;\d]|20\d\d){0,90}?\b(?:là|lần lượt là|lần lượt)\s*$")
_NUMBER = re.compile(  # "(?=\d)" first: `re` then jumps from digit to digit instead of trying every position
    rf"(?=\d){_LEFT}(?P<a>{NUM})(?:\s*/\s*(?P<b>{NUM}))?(?P<pct>\s?%)?"
    rf"(?P<mult>(?:\s+(?:nghìn|ngàn|triệu|tỷ|tỉ))+)?{_RIGHT}"
)
_GLUED = re.compile(r"(?=\d)(?<=[a-zà-ỹđ])(?P<a>\d{1,3}(?:\.\d{3})+)(?![\d.,])")  # "kiện toàn1.658 Tổ"
# "cứ 100 người dân thì có 79 người dùng smartphone"
_PER_100_PHRASE = re.compile(r"(?i:cứ|trung bình|bình quân)\s+100\s+(?:người\s+)?dân[^\d;.]{0,20}?(?P<n>\d+(?:,\d+)?)")
_PER_100 = re.compile(r"^\s*[\w\s]{0,40}?(?:/|\strên)\s*100\s+(?:dân|người dân|người)", re.I)


def _overlaps(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def _is_date_pair(sentence: str, m: re.Match[str]) -> bool:
    """`12/5` after "ngày"/"Chiều" is a date, `21/30 chỉ tiêu` is a fraction."""
    a, b = m.group("a"), m.group("b")
    if not b or "." in a or "." in b or "," in a or "," in b:
        return False
    day, month = int(a), int(b)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    before = sentence[max(0, m.start() - 12) : m.start()].lower()
    return bool(re.search(rf"(?:{DATE_CUES})\s*$", before))


_RANK_ORDINAL_SCAN, _RANK_NUMBER_SCAN, _RANK_WORD_SCAN, _UNIVERSE_SCAN, _PER_100_SCAN, _RANK_CLASS_SCAN = (
    fold.Scan(p) for p in (_RANK_ORDINAL, _RANK_NUMBER, _RANK_WORD, _UNIVERSE, _PER_100_PHRASE, _RANK_CLASS)
)
_RANK_BAND_SCAN = fold.Scan(_RANK_BAND)


def find_figures(sentence: str, low: str | None = None) -> tuple[list[Figure], list[tuple[int, int, str]]]:
    """Figures of one sentence, and the masked spans that are not figures."""
    low = low if low is not None else fold.lower(sentence)
    masks = mask_spans(sentence, low)
    figures: list[Figure] = []
    taken: list[tuple[int, int, str]] = []

    def add(fig: Figure) -> None:
        figures.append(fig)
        taken.append((fig.start, fig.end, "figure"))

    for m in _RANK_ORDINAL_SCAN.finditer(sentence, low):
        if _overlaps(m.start(), m.end(), masks):
            continue
        governed = _RANK_GOVERNOR.search(sentence[: m.start()])
        # "đứng thứ 15/63 về chính quyền số, thứ 7/63 về kinh tế số": a list goes on without the verb
        listed = bool(m.group("d")) or any(f.kind == "rank" and m.start() - f.end < 45 for f in figures)
        after_va = bool(re.search(r"\bvà\s*$", sentence[: m.start()])) and any(f.kind == "rank" for f in figures)
        # "Xếp thứ hai là A ..., thứ ba là B": a word ordinal goes on a list after a comma
        next_item = listed and (m.group("n").isdigit() or re.search(r"[,;]\s*$", sentence[: m.start()]))
        if not governed and not (next_item or after_va):
            continue
        n = m.group("n").lower()
        value = ORDINAL_WORDS.get(n) or int(n)
        d = m.group("d")
        add(Figure(m.start(), m.end(), m.group(0), "rank", float(value), float(d) if d else None))
    for m in _RANK_CLASS_SCAN.finditer(sentence, low):
        if not _overlaps(m.start(), m.end(), taken) and not _overlaps(m.start(), m.end(), masks):
            add(Figure(m.start(), m.end(), m.group(0), "rank", float(ORDINAL_WORDS[m.group("n").lower()])))
    for m in _RANK_NUMBER_SCAN.finditer(sentence, low):
        n_group, d_group = ("n", "d") if m.group("n") else ("n3", "d3")
        if _overlaps(m.start(), m.end(), taken) or _overlaps(m.start(n_group), m.end(n_group), masks):
            continue  # "giữ vững vị trí 3 năm liên tiếp": a duration
        d = m.group(d_group)
        if not d and _UNIVERSE_NOUN.match(sentence[m.end() :]):
            continue  # "bảng xếp hạng 63 tỉnh": the size of the ranking
        add(Figure(m.start(), m.end(), m.group(0), "rank", float(m.group(n_group)), float(d) if d else None))
    for m in _RANK_BAND_SCAN.finditer(sentence, low):  # "thuộc nhóm 20 của cả nước": at most 20th
        if not _overlaps(m.start(), m.end(), taken):
            add(Figure(m.start(), m.end(), m.group(0), "rank", float(m.group("n")), bound="at_most"))
    for m in _RANK_WORD_SCAN.finditer(sentence, low):
        if _overlaps(m.start(), m.end(), taken) or _RANK_WORD_EXCLUDED.search(sentence[: m.start()]):
            continue
        add(Figure(m.start(), m.end(), m.group(0), "rank", 1.0, None, rank_word=True))

    universe = [(m.start(1), m.end(1)) for m in _UNIVERSE_SCAN.finditer(sentence, low)]
    digit = _DIGIT.search(sentence)
    first_digit = digit.start() if digit else len(sentence)  # both patterns below open with a digit
    for m in _NUMBER.finditer(sentence, first_digit):
        start, end = m.start(), m.end()
        if _overlaps(start, end, masks) or _overlaps(start, end, taken):
            continue
        if any(s <= m.start("a") < e for s, e in universe) and not m.group("b"):
            continue  # "trong 63 tỉnh": the size of a ranking, not a figure
        if _is_date_pair(sentence, m):
            continue
        add(_figure_from_match(sentence, m))
    for m in _PER_100_SCAN.finditer(sentence, low):
        figures[:] = [f for f in figures if not (m.start() <= f.start < m.end())]
        taken[:] = [t for t in taken if not (m.start() <= t[0] < m.end())]
        add(Figure(m.start("n"), m.end("n"), m.group("n"), "per_100", parse_number(m.group("n"))))
    for m in _GLUED.finditer(sentence, first_digit):
        if not _overlaps(m.start(), m.end(), masks) and not _overlaps(m.start(), m.end(), taken):
            add(Figure(m.start(), m.end(), m.group(0), "count", parse_number(m.group("a"))))
    figures.sort(key=lambda f: f.start)
    figures[:] = _compound_amounts(sentence, figures)
    universes = {f.denominator for f in figures if f.kind == "rank" and f.denominator}
    for i, f in enumerate(figures):  # "xếp hạng 32/63 ..., tăng 20 bậc so với DTI 2020 (52/63)": a rank too
        if f.kind == "fraction" and f.denominator in universes and f.value <= f.denominator:
            figures[i] = Figure(f.start, f.end, f.text, "rank", f.value, f.denominator)
    ranked = "hạng" in low or "vị trí" in low
    for i, f in enumerate(figures):  # "thứ hạng của tỉnh lần lượt là 22, 9, 13": ranks, not counts
        if ranked and f.kind == "count" and _RANKS_ARE.search(sentence, max(0, f.start - 120), f.start):
            figures[i] = Figure(f.start, f.end, f.text, "rank", f.value)
    for i in range(1, len(figures)):  # "lần lượt đứng ở các vị trí 11, 23 và 19": the list goes on as ranks
        prev, f = figures[i - 1], figures[i]
        gap = sentence[prev.end : f.start]
        listed = re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", gap) or _LABELLED_ITEM.fullmatch(gap)
        if prev.kind == "rank" and f.kind == "count" and listed:
            figures[i] = Figure(f.start, f.end, f.text, "rank", f.value)
    return figures, masks


def _compound_amounts(sentence: str, figures: list[Figure]) -> list[Figure]:
    """ "1 triệu 250 nghìn tài khoản": one amount written in two parts, the larger unit first."""
    out: list[Figure] = []
    for f in figures:
        prev = out[-1] if out else None
        unit_prev, unit_f = _unit(prev.text) if prev else None, _unit(f.text)
        if (
            prev is not None
            and prev.kind == f.kind == "count"
            and unit_prev
            and unit_f
            and MULTIPLIERS[unit_f] < MULTIPLIERS[unit_prev]
            and f.value < MULTIPLIERS[unit_prev]
            and not sentence[prev.end : f.start].strip()
        ):
            out[-1] = Figure(prev.start, f.end, sentence[prev.start : f.end], "count", prev.value + f.value)
            continue
        out.append(f)
    return out


def _unit(text: str) -> str | None:
    words = text.lower().split()
    return words[-1] if words and words[-1] in MULTIPLIERS else None


def _figure_from_match(sentence: str, m: re.Match[str]) -> Figure:
    a, b = m.group("a"), m.group("b")
    mult = 1.0
    for word in (m.group("mult") or "").split():
        mult *= MULTIPLIERS[word.lower()]
    value = parse_number(a) * mult
    if m.group("pct"):
        if b:  # "25/25%" is unusual; read the first part as the percent
            return Figure(m.start(), m.end(), m.group(0), "percent", parse_number(a))
        return Figure(m.start(), m.end(), m.group(0), "percent", value)
    if b:
        return Figure(m.start(), m.end(), m.group(0), "fraction", parse_number(a) * mult, parse_number(b) * mult)
    if _PER_100.match(sentence[m.end() :]):
        return Figure(m.start(), m.end(), m.group(0), "per_100", value)
    is_decimal = value != int(value) and mult == 1.0
    return Figure(m.start(), m.end(), m.group(0), "decimal" if is_decimal else "count", value)
