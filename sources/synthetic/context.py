"""One report being written: its place, date, time frames, and the sentence builder that records gold.

A sentence is written from a template whose slots are figures (`S`): every slot that names an indicator
becomes one gold observation whose evidence is the finished sentence. Time works as an annotator reads
it: the first figure sentence of a paragraph carries a time phrase (the paragraph's frame), the next
ones either inherit that frame or carry their own phrase; a target or a ranking states its own period.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from sources.synthetic.numbers import ROMAN, Fig, clean, dmy, month_end
from sources.synthetic.world import MERGER_DAY, MIC_MERGED, Unit, World

_FORMATTER = string.Formatter()
INHERIT = object()

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh")
MIDDLES = ("Văn", "Thị", "Minh", "Quốc", "Đức", "Thanh", "Hữu", "Ngọc", "Xuân", "Hồng", "Công", "Thế")
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Phong",
    "Quang",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Hạnh",
    "Khánh",
    "Huy",
    "Thảo",
    "Tâm",
    "Kiên",
    "Duy",
    "Hiếu",
    "Nga",
)


@dataclass(frozen=True, slots=True)
class Period:
    """A time phrase (at the start of a sentence, or at its end) and the period an annotator gives it."""

    start: str | None
    end: str | None
    period: str | None
    asof: date


@dataclass(slots=True)
class S:
    """A figure slot: its rendering, and the observation it states (indicator None: not an observation)."""

    fig: Fig
    indicator: str | None = None
    den: float | None = None
    period: object = INHERIT
    qualifier: object = INHERIT
    geo: tuple[str, str, str | None] | None = None


@dataclass(slots=True)
class Sent:
    text: str
    obs: list[dict] = field(default_factory=list)
    docs: list[dict] = field(default_factory=list)
    instr: list[dict] = field(default_factory=list)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# Sentence openings that are common nouns: lower-cased when a time phrase comes before them.
_COMMON_STARTS = (
    "Tỷ lệ",
    "Số ",
    "Hồ sơ",
    "Kinh tế số",
    "Hạ tầng",
    "Mạng lưới",
    "Bộ thủ tục",
    "Hệ thống",
    "Thuê bao",
    "Công tác",
    "Có ",
    "Kết quả",
    "Giá trị",
    "Điểm DTI",
    "Chỉ số",
    "Dẫn đầu",
    "Lực lượng",
    "Trong ",
    "Mục tiêu",
    "Phấn đấu",
    "Ba trụ cột",
    "Ở các",
)


def decap(text: str) -> str:
    return text[:1].lower() + text[1:] if text.startswith(_COMMON_STARTS) else text


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


class Ctx:
    """The state of one report while it is written."""

    def __init__(
        self,
        world: World,
        units_of: dict[str, str],
        rng: random.Random,
        report_id: str,
        day: date,
        unit: Unit | None,
        contradiction: str | None,
    ):
        self.world = world
        self.units_of = units_of
        self.rng = rng
        self.report_id = report_id
        self.date = day
        self.unit = unit
        self.national = unit is None
        self.members = world.all_members if unit is None else unit.members
        self.geo_code = "00" if unit is None else unit.code
        self.contradiction = contradiction
        self.contradictions: list[dict] = []
        self.headline: list[tuple[str, str]] = []  # (indicator, figure text) usable in a title
        self.frame = self.now()
        self.first = False
        self.used: set[tuple[str, str]] = set()  # (indicator, "target") already stated
        self.used_actions: set[str] = set()
        self.used_docs: set[str] = set()
        self.used_noise: set[str] = set()
        self.names: dict[str, str] = {}

    # --- place words ------------------------------------------------------------------------------------
    @property
    def is_city(self) -> bool:
        if self.unit is None:
            return False
        if self.unit.code == "46" and self.date >= date(2025, 1, 1):
            return True  # Thừa Thiên Huế became the centrally-run city of Huế on 2025-01-01
        return self.unit.is_city

    @property
    def lvl(self) -> str:
        return "thành phố" if self.is_city else "tỉnh"

    @property
    def name(self) -> str:
        assert self.unit is not None
        if self.unit.code == "46" and self.is_city:
            return "Huế"
        return self.unit.name

    def short(self) -> str:
        if self.national:
            return "cả nước"
        if self.unit and self.unit.code == "79":
            return self.rng.choice(("TP.HCM", "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh"))
        return self.name

    def full(self) -> str:
        if self.national:
            return "cả nước"
        if self.unit and self.unit.code == "79":
            return self.rng.choice(("TP.HCM", "Thành phố Hồ Chí Minh"))
        if self.is_city and self.rng.random() < 0.3:
            return f"TP {self.name}"
        return f"{self.lvl} {self.name}"

    def all(self) -> str:
        return self.rng.choice(("cả nước", "toàn quốc")) if self.national else f"toàn {self.lvl}"

    def area(self) -> str:
        if self.national:
            return self.rng.choice(("trên phạm vi cả nước", "trên toàn quốc"))
        return f"trên địa bàn {self.lvl}"

    def of(self) -> str:
        if self.national:
            return self.rng.choice(("của cả nước", "toàn quốc"))
        return self.rng.choice((f"của {self.lvl}", f"của {self.lvl} {self.name}"))

    def police(self) -> str:
        return "Bộ Công an" if self.national else f"Công an {self.lvl}"

    def dx_agency(self) -> str:
        if self.national:
            return "Bộ Thông tin và Truyền thông" if self.date < MIC_MERGED else "Bộ Khoa học và Công nghệ"
        return "Sở Thông tin và Truyền thông" if self.date < MIC_MERGED else "Sở Khoa học và Công nghệ"

    def local_units(self) -> str:
        """The level below the province, as a report names it at its date."""
        if self.date >= MERGER_DAY:
            return "các xã, phường"
        return "các quận, huyện" if self.is_city else "các huyện, thị xã, thành phố"

    def people_name(self, role: str = "") -> str:
        """A (made-up) name, the same one for a role throughout the report."""
        if role not in self.names:
            self.names[role] = person(self.rng)
        return self.names[role]

    # --- time ------------------------------------------------------------------------------------------
    def now(self) -> Period:
        start, end = self.rng.choice(
            (("Tính đến nay", "tính đến nay"), ("Đến nay", "tính đến nay"), ("Hiện nay", "tính đến thời điểm này"))
        )
        return Period(start, end, self.date.isoformat(), self.date)

    def time_kinds(self) -> list[str]:
        """The kinds of time phrase a report of this date can use."""
        d = self.date
        kinds = ["now", "month", "quarter", "year"]
        if d.timetuple().tm_yday > 3:
            kinds.append("day")
        if d.month >= 7:
            kinds.append("half")
        return kinds

    def time_phrase(self, kind: str) -> Period:
        """One time phrase of a kind, true at the report's date (never after it)."""
        d, rng = self.date, self.rng
        if kind == "now":
            return self.now()
        if kind == "day":  # as of a day shortly before the report, in the same year
            day = d - timedelta(days=rng.randint(1, min(45, d.timetuple().tm_yday - 1)))
            iso = day.isoformat()
            v = rng.randrange(3)
            if v == 0:
                short = dmy(rng, day, year=False)
                return Period(f"Tính đến ngày {short}", f"tính đến ngày {short}", iso, day)
            written = dmy(rng, day)
            if v == 1:
                return Period(f"Đến ngày {written}", f"tính đến ngày {written}", iso, day)
            return Period(f"Lũy kế đến ngày {written}", f"lũy kế đến ngày {written}", iso, day)
        if kind == "month":  # a month, or the months since January
            months = [(d.year, m) for m in range(max(1, d.month - 4), d.month)] or [(d.year - 1, 12)]
            y, m = rng.choice(months)
            me, p = month_end(y, m), f"{y}-{m:02d}"
            v = rng.randrange(3 if 2 <= m <= 11 else 2)
            if v == 0:
                return Period(f"Tính đến hết tháng {m}/{y}", f"tính đến hết tháng {m}/{y}", p, me)
            if v == 1:
                return Period(f"Đến cuối tháng {m}/{y}", f"tính đến cuối tháng {m}/{y}", p, me)
            return Period(f"Trong {m} tháng đầu năm {y}", f"trong {m} tháng đầu năm {y}", p, me)
        if kind == "half":
            start = rng.choice((f"6 tháng đầu năm {d.year}", f"Trong 6 tháng đầu năm {d.year}"))
            return Period(start, f"trong 6 tháng đầu năm {d.year}", f"{d.year}-H1", date(d.year, 6, 30))
        if kind == "quarter":
            q = (d.month - 1) // 3  # quarters completed this year
            qy, qn = (d.year, q) if q >= 1 else (d.year - 1, 4)
            label = f"quý {ROMAN[qn]}/{qy}"
            start = rng.choice((f"Trong {label}", cap(label)))
            return Period(start, f"trong {label}", f"{qy}-Q{qn}", month_end(qy, qn * 3))
        y = rng.choice([d.year - 1] + ([d.year] if d.month == 12 and d.day >= 15 else []))
        start, end = rng.choice(
            (
                (f"Năm {y}", f"trong năm {y}"),
                (f"Trong năm {y}", f"trong năm {y}"),
                (f"Tính đến cuối năm {y}", f"tính đến cuối năm {y}"),
            )
        )
        return Period(start, end, str(y), min(date(y, 12, 31), d))

    def pick_time(self, weights: dict[str, float] | None = None) -> Period:
        weights = weights or {"now": 3, "day": 3, "month": 2, "half": 1.5, "quarter": 1, "year": 2}
        kinds = [k for k in self.time_kinds() if weights.get(k, 0) > 0]
        return self.time_phrase(self.rng.choices(kinds, weights=[weights[k] for k in kinds])[0])

    def asof(self, tp: Period | None) -> date:
        return (tp or self.frame).asof

    def own(self, period: Period) -> None:
        """A sentence that states its own time: when it opens a paragraph, it sets the frame."""
        if self.first:
            self.frame = period

    # --- gold ------------------------------------------------------------------------------------------
    def ob(
        self,
        indicator: str,
        value: float,
        den: float | None,
        period: str | None,
        qualifier: str | None,
        geo: tuple[str, str, str | None] | None = None,
    ) -> dict:
        if geo is None:
            geo = (self.geo_code, "national" if self.national else "province", None)
        return {
            "report_id": self.report_id,
            "geo_code": geo[0],
            "geo_level": geo[1],
            "geo_name": geo[2],
            "indicator": indicator,
            "value": clean(value),
            "denominator": None if den is None else clean(den),
            "unit": self.units_of[indicator],
            "period": period,
            "qualifier": qualifier,
            "evidence": None,
        }

    def say(self, template: str, tp: Period | None, **slots) -> Sent:
        """Write one sentence from a template; slots are figures (S) or plain words (str)."""
        period = (tp or self.frame).period
        obs = []
        for _, fieldname, _, _ in _FORMATTER.parse(template):
            if fieldname is None:
                continue
            slot = slots[fieldname]
            if isinstance(slot, S) and slot.indicator is not None:
                obs.append(
                    self.ob(
                        slot.indicator,
                        slot.fig.value,
                        slot.den,
                        period if slot.period is INHERIT else slot.period,
                        slot.fig.qualifier if slot.qualifier is INHERIT else slot.qualifier,
                        slot.geo,
                    )
                )
        text = template.format(**{k: (v.fig.text if isinstance(v, S) else v) for k, v in slots.items()})
        if tp is not None and tp.start is not None:
            text = f"{tp.start}, {decap(text)}" if self.rng.random() < 0.68 else f"{cap(text)}, {tp.end}"
        return self.finish(text, obs)

    def finish(self, text: str, obs: list[dict] | None = None) -> Sent:
        text = cap(text.strip())
        if not text.endswith((".", "!", "?", "…")):
            text += "."
        obs = obs or []
        for o in obs:
            o["evidence"] = text
        return Sent(text, obs)

    def doc(self, doc_type: str, number: str | None, issuer: str | None, issued_on: date | None) -> dict:
        return {
            "kind": "document",
            "report_id": self.report_id,
            "doc_type": doc_type,
            "number": number,
            "issuer": issuer,
            "issued_on": issued_on.isoformat() if issued_on else None,
            "evidence": None,
        }

    def instruction(self, issued_by: str | None, assignees: list[str], action: str, deadline: str | None) -> dict:
        return {
            "kind": "instruction",
            "report_id": self.report_id,
            "geo_code": self.geo_code,
            "issued_by": issued_by,
            "assignees": assignees,
            "action": action,
            "deadline": deadline,
            "evidence": None,
        }
