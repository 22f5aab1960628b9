"""Time in reports: the report's own date, the period each figure is about, and instruction deadlines.

Period labels follow the contract: `2024` (a year), `2023-H1`, `2023-Q3`, `2023-10` (a month, or the
cumulative figure up to it: "10 tháng đầu năm 2023"), `2025-02-06` (as of a day). Reports often omit the
year ("Ngày 14/11", "tính đến ngày 23-10"); it is then taken from the report's own date, and left unknown
when the report does not give one.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sources.extract import fold

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True, slots=True)
class ReportDate:
    """The date a report speaks from, as precise as the text allows."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    inferred: bool = False  # no date written: the year the report's content speaks of

    @property
    def known(self) -> bool:
        return self.year is not None

    def label(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"

    def stated(self) -> str | None:
        """The label when the report states its date; None for a year inferred from its content ("đến nay" in a
        report of unknown date has no known period)."""
        return None if self.inferred else self.label()

    def as_date(self) -> date | None:
        """The last day the label covers (a report dated 2025-02 speaks as of 2025-02-28)."""
        if self.year is None:
            return None
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _safe_date(self.year, month, day)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _valid(y: int | None, m: int, d: int | None = None) -> bool:
    if not 1 <= m <= 12:
        return False
    return d is None or 1 <= d <= calendar.monthrange(y or 2024, m)[1]


# --- the report's own date -------------------------------------------------------------------------

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?", re.I)
_FULL_DATE = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_TIMESTAMP = re.compile(
    rf"(?:^|\n)[^\n]{{0,40}}?(?:\d{{1,2}}:\d{{2}}\s+{_FULL_DATE}|{_FULL_DATE}\s*(?:[-–|,]\s*)?\d{{1,2}}:\d{{2}})"
)
_PAREN_DATE = re.compile(rf"\(\s*{_FULL_DATE}\s*\)")
_OFFICIAL = fold.compile_quick(
    r"(?:ngày|sáng|chiều|tối|trưa)\s+(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I
)
_DATELINE = re.compile(
    r"(?:^|\n|[.!?]\s+)\(?[^\n.]{0,40}?\b(?:sáng|chiều|tối|trưa|ngày|hôm nay|hôm qua)\s*(?:\(|,)?\s*"
    r"(?:ngày\s+)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?(?![\d/])",
    re.I,
)
_AS_OF_WORD = re.compile(r"\b(?:đến|tới|từ|trước|sau|tính đến)\s+(?:hết\s+)?ngày\s+\d{1,2}$", re.I)
_HORIZON = re.compile(
    r"(?:giai đoạn|đến|tới|tầm nhìn|định hướng|mục tiêu|phấn đấu|kế hoạch|dự toán|cuối|-|–)\s*(?:năm\s+)?$",
    re.I,
)
_YEAR = re.compile(r"(?<![\d.])(20[0-4]\d|19[89]\d)(?!\d)")
# a document's number or type just before a date: the date is the document's, not the report's
_CITED_BEFORE = re.compile(
    r"(?:\d+/[\wĐđ\-/]+|(?i:quyết định|nghị quyết|chỉ thị|kế hoạch|công văn|thông báo|"
    r"nghị định|thông tư|kết luận|văn bản)(?:\s+số)?[^\n.]{0,30})\s*$"
)
_REPORTING_SPAN = re.compile(r"(?:(\d{1,2})\s+tháng\s+(?:đầu\s+)?năm|tổng kết[^\n.]{0,200}?năm)\s+(20[0-4]\d)", re.I)


def report_date(text: str, published: str | None = None) -> ReportDate:
    """The report's date: a sidecar date, a header, a timestamp, the dateline; year from context if missing."""
    if published:
        m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", published)
        if m:
            return ReportDate(int(m.group(1)), _int(m.group(2)), _int(m.group(3)))
    head = text[:1500]
    m = _HEADER_DATE.search(head)
    if m:
        return ReportDate(int(m.group(1)), int(m.group(2)), _int(m.group(3)))
    # the first date written as the report's own (a timestamp, a bracketed date, "Hà Nội, ngày 22 tháng 12 năm
    # 2023", a dateline "Sáng 17/2"), not a date that a cited document carries ("Quyết định số 942/QĐ-TTg ngày
    # 15 tháng 6 năm 2021")
    found: list[tuple[int, ReportDate]] = []
    for pattern in (_TIMESTAMP, _PAREN_DATE, _OFFICIAL):
        for m in pattern.finditer(head):
            if _CITED_BEFORE.search(head, max(0, m.start() - 60), m.start()):
                continue
            d, mo, y = [int(g) for g in m.groups() if g is not None][:3]
            if _valid(y, mo, d):
                found.append((m.start(), ReportDate(y, mo, d)))
                break
    m = next((m for m in _DATELINE.finditer(head) if not _AS_OF_WORD.search(head, 0, m.end(1))), None)
    if m:  # "Đến ngày 22/5/2023, toàn tỉnh đã cấp ...": where a figure stands, not the report's date
        d, mo = int(m.group(1)), int(m.group(2))
        y = int(m.group(3)) if m.group(3) else _context_year(text, mo)
        if _valid(y, mo, d):
            found.append((m.start(), ReportDate(y, mo, d)))
    if found:
        return min(found, key=lambda f: f[0])[1]
    return ReportDate(_context_year(text, None), inferred=True)


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _context_year(text: str, month: int | None) -> int | None:
    """The year a report that omits it speaks from: its reporting span, else its most cited past year."""
    m = _REPORTING_SPAN.search(text[:2500])
    if m:
        year = int(m.group(2))
        summary = m.group(1) is None  # "tổng kết ... năm 2023" is held early the next year
        return year + 1 if summary and month is not None and month <= 6 else year
    counts: Counter[int] = Counter()
    for y in _YEAR.finditer(text):
        if not _HORIZON.search(text[max(0, y.start() - 20) : y.start()]):
            counts[int(y.group(1))] += 1
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


def latest_year(text: str) -> int | None:
    """The latest year a report cites as past or present; a lower bound on when it was written."""
    years = [
        int(y.group(1)) for y in _YEAR.finditer(text) if not _HORIZON.search(text[max(0, y.start() - 20) : y.start()])
    ]
    return max(years) if years else None


# --- periods of figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int  # offsets in the sentence
    end: int
    label: str | None  # None: "tính đến nay" in a report without a known date
    kind: str  # span | asof | year | index | horizon | reference | now


# "10 tháng đầu năm 2023"; not "ngày 10 tháng 11" (a date)
_MONTHS_OF_YEAR = re.compile(r"(?<!ngày )(\d{1,2})\s+tháng(?!\s*\d)\s*(đầu|cuối)?\s*(?:năm)?(?:\s+(20\d\d))?", re.I)
_AS_OF_BEFORE = re.compile(r"\btính\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:năm\s+)?$", re.I)
_SINCE_TO_NOW = re.compile(r"(?:kể\s+)?từ\s+(?:năm\s+)?(?:19|20)\d\d\s+(?:đến|tới)\s+nay", re.I)
_HALF = re.compile(r"nửa\s+(đầu|cuối)\s+năm(?:\s+(20\d\d))?", re.I)
_QUARTER = re.compile(r"quý\s+(IV|I{1,3}|[1-4])(?:\s*(?:/|-|năm)\s*(20\d\d))?", re.I)
_AS_OF_DAY = re.compile(
    r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:\d{1,2}h\s+)?(?:ngày\s+)?"
    r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(20\d\d))?(?![\d/])",
    re.I,
)
_AS_OF_MONTH = re.compile(
    r"(?:tính\s+)?(?:đến|tới|trong)\s+(?:hết\s+|cuối\s+|giữa\s+|đầu\s+)?tháng\s+(\d{1,2})(?:\s*[/\-]\s*(20\d\d)|\s+năm\s+(20\d\d))?",
    re.I,
)
_DAY = re.compile(r"(?:ngày|sáng|chiều)\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(20\d\d))?(?![\d/])", re.I)
_INDEX_YEAR = re.compile(r"(?:DTI|chỉ số[^,;.]{0,40}?|xếp hạng[^,;.]{0,40}?)\s*(?:năm\s+)?(20[0-4]\d)\b", re.I)
_YEAR_PHRASE = re.compile(r"(?:(?:trong|cả|của|tính riêng)\s+)?(?:năm\s+|trong\s+)(20[0-4]\d)(?![\d/])", re.I)
_YEAR_LIST = re.compile(r"(?:các\s+)?năm\s+(?:từ\s+)?(20[0-4]\d)\s*[-–]\s*(20[0-4]\d)", re.I)
_NOW = re.compile(r"\b(?:tính đến nay|đến nay|hiện nay|hiện có|hiện tại|đến thời điểm này|thời điểm hiện tại)\b", re.I)
_REFERENCE = re.compile(r"(?:so với|so cùng kỳ|hơn|gấp)\s+(?:cùng kỳ\s+)?(?:(?:cuối|đầu|hết)\s+)?(?:năm\s+)?$", re.I)
_HORIZON_BEFORE = re.compile(
    r"(?:đến|tới|vào|trước)\s+(?:hết\s+|cuối\s+)?(?:năm\s+)?$|giai đoạn\s+\d{4}\s*[-–]\s*$", re.I
)


# every time pattern is case-insensitive: scanned folded, behind a literal gate (fold.py)
_SINCE_TO_NOW, _AS_OF_DAY, _AS_OF_MONTH, _MONTHS_OF_YEAR, _HALF, _QUARTER, _DAY, _INDEX_YEAR, _YEAR_LIST = (
    fold.Scan(p, fold=True)
    for p in (_SINCE_TO_NOW, _AS_OF_DAY, _AS_OF_MONTH, _MONTHS_OF_YEAR, _HALF, _QUARTER, _DAY, _INDEX_YEAR, _YEAR_LIST)
)
_YEAR_PHRASE, _NOW = fold.Scan(_YEAR_PHRASE, fold=True), fold.Scan(_NOW, fold=True)


def period_mentions(sentence: str, rd: ReportDate, low: str | None = None) -> list[PeriodMention]:
    """Every expression of time in a sentence that a figure could be about."""
    low = low if low is not None else fold.lower(sentence)
    out: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], label: str | None, kind: str) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        out.append(PeriodMention(m.start(), m.end(), label, kind))

    for m in _SINCE_TO_NOW.finditer(sentence, low):  # "Từ năm 2021 đến nay": a stock as of the report's date
        add(m, rd.stated(), "now")
    for m in _AS_OF_DAY.finditer(sentence, low):
        d, mo = int(m.group(1)), int(m.group(2))
        y = int(m.group(3)) if m.group(3) else rd.year
        if _valid(y, mo, d):
            add(m, f"{y}-{mo:02d}-{d:02d}" if y else None, "asof")
    for m in _AS_OF_MONTH.finditer(sentence, low):
        mo = int(m.group(1))
        y = int(m.group(2) or m.group(3) or 0) or rd.year
        if _valid(y, mo):  # "tính đến tháng 12/2023": the whole year
            add(m, (f"{y}" if mo == 12 else f"{y}-{mo:02d}") if y else None, "asof")
    for m in _MONTHS_OF_YEAR.finditer(sentence, low):
        n = int(m.group(1))
        if not 1 <= n <= 12:
            continue
        y = int(m.group(3)) if m.group(3) else rd.year
        if (m.group(2) or "").lower() == "cuối":
            label = f"{y}-H2" if n == 6 else f"{y}"
        else:
            label = f"{y}-H1" if n == 6 else f"{y}" if n == 12 else f"{y}-{n:02d}"
        add(m, label if y else None, "span")
    for m in _HALF.finditer(sentence, low):
        y = int(m.group(2)) if m.group(2) else rd.year
        add(m, f"{y}-H{1 if m.group(1).lower() == 'đầu' else 2}" if y else None, "span")
    for m in _QUARTER.finditer(sentence, low):
        q = ROMAN.get(m.group(1).upper()) or int(m.group(1))
        y = int(m.group(2)) if m.group(2) else rd.year
        add(m, f"{y}-Q{q}" if y else None, "span")
    for m in _DAY.finditer(sentence, low):
        d, mo = int(m.group(1)), int(m.group(2))
        y = int(m.group(3)) if m.group(3) else rd.year
        if _valid(y, mo, d):
            add(m, f"{y}-{mo:02d}-{d:02d}" if y else None, "asof")
    for m in _INDEX_YEAR.finditer(sentence, low):  # "tăng 20 bậc so với DTI 2020": the year compared with
        add(m, m.group(1), "reference" if _REFERENCE.search(sentence[max(0, m.start() - 25) : m.start()]) else "index")
    for m in _YEAR_LIST.finditer(sentence, low):
        add(m, f"{m.group(1)}-{m.group(2)}", "list")
    for m in _YEAR_PHRASE.finditer(sentence, low):
        before = sentence[max(0, m.start() - 25) : m.start()]
        kind = (
            "reference"
            if _REFERENCE.search(before)
            else "year"  # "tính đến cuối năm 2024": where a figure stands, not a horizon
            if _AS_OF_BEFORE.search(before)
            else "horizon"
            if _HORIZON_BEFORE.search(before) and not (rd.year and int(m.group(1)) < rd.year)  # "Đến năm 2022," in 2023
            else "year"
        )
        add(m, m.group(1), kind)
    for m in _NOW.finditer(sentence, low):
        add(m, rd.stated(), "now")
    out.sort(key=lambda p: p.start)
    return out


# --- deadlines of instructions ---------------------------------------------------------------------

_DEADLINE = re.compile(
    r"(?P<cue>trước\s+ngày|trước|không (?:muộn|chậm) hơn|chậm nhất(?:\s+là)?(?:\s+(?:vào|đến))?|"
    r"muộn nhất(?:\s+là)?(?:\s+vào)?|hạn chót|hạn|"
    r"thời hạn(?:\s+hoàn thành)?(?:\s*:)?(?:\s+trước)?|thời gian hoàn thành(?:\s*:)?(?:\s+trước)?|"
    r"mốc(?:\s+thời gian)?|trong|đến hết|đến cuối|đến|hoàn thành\s+(?:trong|trước))\s+"
    r"(?:(?P<edge>đầu|cuối|giữa|hết)\s+)?"
    r"(?:(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{2})?\s+)?(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m1>\d{1,2})(?:\s*[/.\-]\s*(?P<y1>20\d\d))?(?![\d/])"
    r"|ngày\s+(?P<d6>\d{1,2})\s+tháng\s+(?P<m6>\d{1,2})(?:\s+năm\s+(?P<y6>20\d\d))?"
    r"|tháng\s+(?P<m2>\d{1,2})(?:\s*[/\-]\s*(?P<y2>20\d\d)|\s+năm\s+(?P<y3>20\d\d))?"
    r"|quý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s*(?:/|-|năm)\s*(?P<y4>20\d\d))?"
    r"|năm\s+(?P<y5>20\d\d)(?![\d/])"
    # "trong tháng này", "trong năm nay": the report's own month or year; "trong 6 tháng đầu năm 2025"
    r"|(?P<rel>tháng|năm|quý)\s+(?:này|nay)\b"
    r"|(?P<n>\d{1,2})\s+tháng\s+(?P<half>đầu|cuối)\s+năm(?:\s+(?P<y7>20\d\d))?)",
    re.I,
)
# "đưa vào vận hành đầu tháng 1/2026", "Tháng 8, các Tổ sẽ ...": a month with no cue, checked against a task below;
# a pattern of its own, so that each keeps its literal gate (fold.Scan)
_MONTH_ALONE = re.compile(
    r"(?P<cue>)(?<!\d )(?:(?P<edge>đầu|cuối|giữa)\s+)?tháng\s+(?P<m2>\d{1,2})"
    r"(?:\s*[/\-]\s*(?P<y2>20\d\d)|\s+năm\s+(?P<y3>20\d\d))?",
    re.I,
)
_BY_YEAR_END = {"đến hết", "đến cuối", "chậm nhất", "chậm nhất là", "hoàn thành trong"}
_OBLIGED = re.compile(r"\s*,?\s*(?:phải|cần phải|bắt buộc)\b", re.I)
# "hoàn thành cấp căn cước cho công dân trong năm 2024": a year that closes a task to finish, not a frame
_TO_FINISH = re.compile(r"(?<!đã )(?<!chưa )(?<!đã được )\b(?:hoàn thành|xong|phải|cần)\b[^,;]{0,120}$", re.I)
# a cue that also frames what was done: "Đến ngày 31/3/2024, Công an tỉnh đã hoàn thành ...", "Trong quý I/2024,
# tỷ lệ ... đạt 45%"; what follows it in the clause then tells what happened, not what is to be done
_STATUS_CUES = {"đến", "đến hết", "đến cuối", "trong", ""}
_DONE_AFTER = re.compile(
    r"[^;]*?(?:\b(?:đã|vừa)\s|(?<!phải )(?<!cần )(?<!sẽ )(?<!phấn đấu )\bđạt\b(?![^;]*\b(?:phải|cần)\b))", re.I
)
# a leader handing work ("yêu cầu", "giao"), not the noun ("với sự chỉ đạo của UBND tỉnh")
_HANDING_WORDS = re.compile(
    r"(?<!sự )(?<!các )(?<!theo )(?<!bàn )(?<!chuyển )\b(?:yêu cầu|đề nghị|giao|chỉ đạo|đôn đốc|phân công)\b"
    r"(?!\s+(?:của|quyết liệt))",
    re.I,
)
# "Tháng 8, các Tổ công nghệ số cộng đồng sẽ ...": a month that a plan fills
_PLANNED = re.compile(r"[^;.]{0,80}?\b(?:sẽ|phải|cần)\b", re.I)
# what makes a time before the report's date a deadline still: an obligation, not a result
_OBLIGATION = re.compile(r"\b(?:phải|cần|phấn đấu|bảo đảm|đảm bảo|khẩn trương|sớm)\b", re.I)
# "Công an tỉnh đã hoàn thành ... trước ngày 30/4/2023": a deadline met, told in the past tense
_DONE_BEFORE = re.compile(r"\b(?:đã|vừa)\s+(?:(?!\bđã\b)[^,;]){0,80}$", re.I)


_DEADLINE_SCAN, _MONTH_ALONE_SCAN = fold.Scan(_DEADLINE, fold=True), fold.Scan(_MONTH_ALONE, fold=True)
# "tính đến ngày 30/6", "lũy kế từ ngày 1-1 đến 14-11-2024": where a statistic stands, not a deadline
_STATUS_AS_OF = re.compile(r"\b(?:tính|lũy kế|luỹ kế|cộng dồn|thống kê)\b(?:\s+từ\s+(?:ngày\s+)?[\d/.\-]+)?\s*$", re.I)


# "chỉ tiêu phải hoàn thành là 60.000 tài khoản tính đến ngày 30/9": the date a target is owed by
_TARGET_BEFORE = re.compile(r"\b(?:phải|cần)\s+(?:hoàn thành|đạt)\b[^,;]{0,80}$", re.I)


@dataclass(frozen=True, slots=True)
class Deadline:
    start: int
    end: int
    label: str  # YYYY-MM-DD or YYYY-MM


def _clause_around(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause (between semicolons) that holds sentence[start:end]."""
    clause_end = sentence.find(";", end)
    return sentence.rfind(";", 0, start) + 1, len(sentence) if clause_end < 0 else clause_end


def _told_as_done(sentence: str, m: re.Match[str], cue: str) -> bool:
    """Whether the clause around a time expression tells what was done by then rather than what is to be done."""
    clause_start, clause_end = _clause_around(sentence, m.start(), m.end())
    before = sentence[clause_start : m.start()]
    done = _DONE_BEFORE.search(before)
    if done and not _HANDING_WORDS.search(done.group(0)):
        return True
    if cue in _STATUS_CUES and not _HANDING_WORDS.search(before):
        after = _DONE_AFTER.match(sentence, m.end(), clause_end)
        if after and not _HANDING_WORDS.search(after.group(0)):
            return True
    return False


def _past_frame(sentence: str, d: Deadline, cue: str, rd: ReportDate) -> bool:
    """'Trong tháng 5/2025, Công an tỉnh tiếp nhận 12.000 hồ sơ' in a June report: a period over by the report's
    date, framing what happened in it; no leader hands work in the clause and nothing is owed."""
    report_day, last_day = rd.as_date(), parse_label_date(d.label)
    if cue not in _STATUS_CUES or report_day is None or last_day is None or last_day >= report_day:
        return False
    clause_start, clause_end = _clause_around(sentence, d.start, d.end)
    clause = sentence[clause_start:clause_end]
    return not (_HANDING_WORDS.search(clause) or _OBLIGATION.search(clause))


def deadlines(sentence: str, rd: ReportDate, low: str | None = None, done: list[int] | None = None) -> list[Deadline]:
    """`trước ngày 28/2/2025` → 2025-02-28; `muộn nhất đầu tháng 1/2024` → 2024-01; `trong tháng 12` → <year>-12;
    `trong năm 2023` → 2023-12. `done`, when given, receives where each time told as done by then stands ("Đến ngày
    31/3, Công an tỉnh đã hoàn thành ..."): the clause is a record, not a task."""
    low = low if low is not None else fold.lower(sentence)
    cued = list(_DEADLINE_SCAN.finditer(sentence, low))
    alone = list(_MONTH_ALONE_SCAN.finditer(sentence, low))
    if not cued and not alone:  # most sentences
        return []
    if cued and alone:
        alone = [m for m in alone if not any(c.start() <= m.start() < c.end() for c in cued)]
    done = done if done is not None else []
    out = []
    cues: dict[int, str] = {}
    for m in sorted(cued + alone, key=lambda m: m.start()):
        g = m.groupdict()
        cue = cues[m.start()] = re.sub(r"\s+", " ", g.get("cue").lower()).strip()
        if (
            cue.startswith("đến")
            and _STATUS_AS_OF.search(sentence, 0, m.start())
            and not _TARGET_BEFORE.search(sentence, sentence.rfind(";", 0, m.start()) + 1, m.start())
        ):
            continue  # "tính đến ngày 30/6/2024": the date a figure stands at, not a deadline
        if cue == "":
            clause = sentence[sentence.rfind(";", 0, m.start()) + 1 : m.start()]
            if not (_TO_FINISH.search(clause) or _HANDING_WORDS.search(clause) or _PLANNED.match(sentence, m.end())):
                continue  # "Đầu tháng 3/2024, tỉnh tổ chức ...": a time, no task
        if _told_as_done(sentence, m, cue):
            done.append(m.start())
            continue
        if g.get("d") or g.get("d6"):
            d, mo = int(g.get("d") or g.get("d6")), int(g.get("m1") or g.get("m6"))
            y_text = g.get("y1") or g.get("y6")
            y = int(y_text) if y_text else _deadline_year(rd, mo)
            if y and _valid(y, mo, d):
                out.append(Deadline(m.start(), m.end(), f"{y}-{mo:02d}-{d:02d}"))
        elif g.get("m2"):
            mo = int(g.get("m2"))
            y = int(g.get("y2") or g.get("y3") or 0) or _deadline_year(rd, mo)
            if (
                y
                and _valid(y, mo)
                and cue not in {"đến"}
                or y
                and _valid(y, mo)
                and (g.get("edge") or "").lower() in {"hết", "cuối"}
            ):
                out.append(Deadline(m.start(), m.end(), f"{y}-{mo:02d}"))
        elif g.get("q"):
            q = ROMAN.get(g.get("q").upper()) or int(g.get("q"))
            y = int(g.get("y4")) if g.get("y4") else rd.year
            if y:
                out.append(Deadline(m.start(), m.end(), f"{y}-{q * 3:02d}"))
        elif g.get("rel") or g.get("n"):
            label = _relative_label(m, rd)
            owed = _OBLIGED.match(sentence, m.end()) or _TO_FINISH.search(sentence, 0, m.start())
            if label and (cue in _BY_YEAR_END or (cue == "trong" and owed)):
                out.append(Deadline(m.start(), m.end(), label))
        elif g.get("y5") and (
            cue in _BY_YEAR_END
            or (g.get("edge") or "").lower() in {"hết", "cuối"}
            or (cue == "trong" and (_OBLIGED.match(sentence, m.end()) or _TO_FINISH.search(sentence, 0, m.start())))
        ):  # "đến hết năm 2024", "trong năm 2023 phải ...": by the year's end; "trong năm 2023 đã ..." is a frame
            out.append(Deadline(m.start(), m.end(), f"{g['y5']}-12"))
    done.extend(d.start for d in out if _past_frame(sentence, d, cues[d.start], rd))
    out = [d for d in out if d.start not in done]
    # a day or a month, where the clause gives one, says more than the year's end
    dated = {sentence.count(";", 0, d.start) for d in out if not _is_year_end(d, sentence)}
    return [d for d in out if not (_is_year_end(d, sentence) and sentence.count(";", 0, d.start) in dated)]


def _relative_label(m: re.Match[str], rd: ReportDate) -> str | None:
    """The month a relative time ends in: "tháng này" → the report's month, "6 tháng đầu năm 2025" → 2025-06."""
    if m.group("rel"):
        unit = m.group("rel").lower()
        if rd.year is None or (unit != "năm" and rd.month is None):
            return None
        month = 12 if unit == "năm" else rd.month if unit == "tháng" else ((rd.month - 1) // 3 + 1) * 3
        return f"{rd.year}-{month:02d}"
    n, y = int(m.group("n")), int(m.group("y7") or 0) or rd.year
    if not (1 <= n <= 12 and y):
        return None
    return f"{y}-{(n if m.group('half').lower() == 'đầu' else 12):02d}"


def _is_year_end(d: Deadline, sentence: str) -> bool:
    return bool(re.search(r"năm\s+20\d\d\s*$", sentence[d.start : d.end], re.I))


def _deadline_year(rd: ReportDate, month: int) -> int | None:
    """A deadline without a year falls in the report's year, or the next one if that month has passed."""
    if rd.year is None:
        return None
    if rd.month is not None and month < rd.month - 1:
        return rd.year + 1
    return rd.year


def parse_label_date(label: str | None) -> date | None:
    """The last day a period or deadline label covers."""
    if not label:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-H([12])|-Q([1-4]))?", label)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        return _safe_date(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        mo = int(m.group(2))
        return _safe_date(y, mo, calendar.monthrange(y, mo)[1])
    if m.group(4):
        return date(y, 6, 30) if m.group(4) == "1" else date(y, 12, 31)
    if m.group(5):
        mo = int(m.group(5)) * 3
        return _safe_date(y, mo, calendar.monthrange(y, mo)[1])
    return date(y, 12, 31)
