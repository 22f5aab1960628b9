"""The synthetic world behind the reports: provinces, their figures over time, and the DTI rankings.

Every figure is a deterministic function of (seed, place, date), so that two reports about the same
province agree with each other, a later report never shows fewer activated accounts than an earlier one,
and the post-merger units (2025-07-01) carry the sums of the provinces they were formed from.
"""

from __future__ import annotations

import csv
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
MERGER_DAY = date(2025, 7, 1)
EPOCH = date(2022, 1, 1)
LAUNCH_5G = date(2024, 10, 15)
JUDICIAL_ON_VNEID = date(2024, 9, 1)
# Sở Thông tin và Truyền thông merged into Sở Khoa học và Công nghệ on this day.
MIC_MERGED = date(2025, 3, 1)

# Approximate population (thousands) of the 63 provinces before the merger; only the scale matters.
POPULATION_K = {
    "01": 8500, "02": 900, "04": 545, "06": 320, "08": 800, "10": 770, "11": 640, "12": 480, "14": 1300,
    "15": 850, "17": 880, "19": 1340, "20": 800, "22": 1380, "24": 1900, "25": 1500, "26": 1200, "27": 1500,
    "30": 1950, "31": 2100, "33": 1300, "34": 1880, "35": 880, "36": 1880, "37": 1010, "38": 3720, "40": 3440,
    "42": 1320, "44": 910, "45": 650, "46": 1160, "48": 1250, "49": 1520, "51": 1250, "52": 1500, "54": 880,
    "56": 1260, "58": 600, "60": 1250, "62": 580, "64": 1600, "66": 1920, "67": 670, "68": 1330, "70": 1030,
    "72": 1190, "74": 2760, "75": 3250, "77": 1190, "79": 9400, "80": 1720, "82": 1790, "83": 1300, "84": 1020,
    "86": 1030, "87": 1600, "89": 1900, "91": 1750, "92": 1250, "93": 730, "94": 1200, "95": 920, "96": 1210,
}  # fmt: skip

# Two or three districts (or district-level towns) of each province before the merger.
DISTRICTS = {
    "01": ["huyện Sóc Sơn", "huyện Đông Anh", "huyện Ba Vì"], "02": ["huyện Vị Xuyên", "huyện Bắc Quang"],
    "04": ["huyện Trùng Khánh", "huyện Hòa An"], "06": ["huyện Ba Bể", "huyện Chợ Mới"],
    "08": ["huyện Sơn Dương", "huyện Hàm Yên"], "10": ["thị xã Sa Pa", "huyện Bảo Thắng", "huyện Bát Xát"],
    "11": ["huyện Mường Chà", "huyện Tuần Giáo"], "12": ["huyện Tam Đường", "huyện Sìn Hồ"],
    "14": ["huyện Mai Sơn", "huyện Thuận Châu"], "15": ["huyện Văn Chấn", "huyện Lục Yên"],
    "17": ["huyện Lạc Sơn", "huyện Mai Châu"], "19": ["huyện Phú Bình", "huyện Đại Từ"],
    "20": ["huyện Đình Lập", "huyện Cao Lộc"], "22": ["huyện Vân Đồn", "huyện Tiên Yên"],
    "24": ["huyện Lục Ngạn", "huyện Lạng Giang"], "25": ["huyện Thanh Sơn", "huyện Lâm Thao"],
    "26": ["huyện Tam Đảo", "huyện Bình Xuyên"], "27": ["huyện Tiên Du", "huyện Gia Bình"],
    "30": ["huyện Thanh Miện", "huyện Cẩm Giàng"], "31": ["huyện An Lão", "huyện Tiên Lãng"],
    "33": ["huyện Văn Lâm", "huyện Khoái Châu"], "34": ["huyện Vũ Thư", "huyện Tiền Hải"],
    "35": ["huyện Kim Bảng", "huyện Lý Nhân"], "36": ["huyện Hải Hậu", "huyện Giao Thủy"],
    "37": ["huyện Gia Viễn", "huyện Kim Sơn"], "38": ["huyện Quảng Xương", "huyện Thọ Xuân"],
    "40": ["huyện Diễn Châu", "huyện Quỳnh Lưu"], "42": ["huyện Cẩm Xuyên", "huyện Đức Thọ"],
    "44": ["huyện Bố Trạch", "huyện Lệ Thủy"], "45": ["huyện Hải Lăng", "huyện Gio Linh"],
    "46": ["huyện Phú Vang", "huyện A Lưới"], "48": ["huyện Hòa Vang", "quận Liên Chiểu"],
    "49": ["huyện Duy Xuyên", "huyện Núi Thành"], "51": ["huyện Bình Sơn", "huyện Sơn Tịnh"],
    "52": ["huyện Phù Cát", "huyện Tuy Phước"], "54": ["huyện Tuy An", "huyện Sơn Hòa"],
    "56": ["huyện Diên Khánh", "huyện Vạn Ninh"], "58": ["huyện Ninh Hải", "huyện Ninh Phước"],
    "60": ["huyện Hàm Thuận Bắc", "huyện Tuy Phong"], "62": ["huyện Đắk Hà", "huyện Ngọc Hồi"],
    "64": ["huyện Chư Sê", "huyện Đức Cơ"], "66": ["huyện Krông Pắc", "huyện Ea Kar"],
    "67": ["huyện Đắk Mil", "huyện Cư Jút"], "68": ["huyện Đức Trọng", "huyện Di Linh"],
    "70": ["huyện Bù Đăng", "huyện Lộc Ninh"], "72": ["huyện Gò Dầu", "huyện Tân Châu"],
    "74": ["huyện Bàu Bàng", "huyện Phú Giáo"], "75": ["huyện Trảng Bom", "huyện Long Thành"],
    "77": ["huyện Xuyên Mộc", "huyện Châu Đức"], "79": ["huyện Củ Chi", "huyện Cần Giờ"],
    "80": ["huyện Đức Hòa", "huyện Cần Giuộc"], "82": ["huyện Cái Bè", "huyện Gò Công Tây"],
    "83": ["huyện Chợ Lách", "huyện Mỏ Cày Nam"], "84": ["huyện Cầu Kè", "huyện Tiểu Cần"],
    "86": ["huyện Long Hồ", "huyện Tam Bình"], "87": ["huyện Tháp Mười", "huyện Lai Vung"],
    "89": ["huyện Thoại Sơn", "huyện Phú Tân"], "91": ["huyện Giồng Riềng", "huyện An Biên"],
    "92": ["huyện Phong Điền", "huyện Cờ Đỏ"], "93": ["huyện Phụng Hiệp", "huyện Long Mỹ"],
    "94": ["thị xã Vĩnh Châu", "huyện Mỹ Xuyên"], "95": ["huyện Hồng Dân", "huyện Phước Long"],
    "96": ["huyện Năm Căn", "huyện Trần Văn Thời"],
}  # fmt: skip


def slugify(name: str) -> str:
    """ASCII slug of a Vietnamese name: "Bà Rịa - Vũng Tàu" → "ba-ria-vung-tau"."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = []
    for ch in text:
        out.append(ch if ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


@dataclass(frozen=True, slots=True)
class Unit:
    """A province-level unit: one of the 63 before 2025-07-01 (era "old") or of the 34 after ("new")."""

    code: str
    name: str
    kind: str
    era: str
    members: tuple[str, ...]  # the old codes it covers (itself for an old unit)

    @property
    def is_city(self) -> bool:
        return self.kind.startswith("thành phố")

    @property
    def slug(self) -> str:
        return slugify(self.name)


def _read(name: str) -> list[dict[str, str]]:
    with (CATALOG / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_units() -> tuple[list[Unit], list[Unit]]:
    old = [Unit(r["code"], r["name"], r["kind"], "old", (r["code"],)) for r in _read("provinces_2008.csv")]
    new = [
        Unit(r["code"], r["name"], r["kind"], "new", tuple(r["merged_from"].split("|")))
        for r in _read("provinces_2025.csv")
    ]
    return old, new


def load_units_of_indicators() -> dict[str, str]:
    return {r["code"]: r["unit"] for r in _read("indicators.csv")}


def years_since_epoch(d: date) -> float:
    return (d - EPOCH).days / 365.25


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True, slots=True)
class Profile:
    """The hidden parameters of one pre-merger province."""

    pop: int
    elig_share: float
    eid_max: float
    eid_mid: float
    eid_k: float
    issued_f: float
    cccd_start: float
    cccd_done: float
    online_start: float
    online_end: float
    full_start: float
    full_end: float
    svc_total: int
    svc_full0: float
    svc_full1: float
    svc_part: float
    q: float
    de_base: float
    team_ratio: float
    member_ratio: float
    g5_ratio: float
    smart_ratio: float
    fiber_start: float
    civil_ratio: float
    health_ratio: float
    judicial_ratio: float
    doc_rates: tuple[float, float, float, float]


def make_profile(seed: int, code: str) -> Profile:
    r = random.Random(f"{seed}:profile:{code}")
    pop = int(POPULATION_K[code] * 1000 * r.uniform(0.97, 1.03))
    q = r.gauss(0.0, 1.0) + (0.8 if code in {"01", "79", "48", "27", "22", "31"} else 0.0)
    return Profile(
        pop=pop,
        elig_share=r.uniform(0.74, 0.81),
        eid_max=r.uniform(0.86, 0.975),
        eid_mid=r.uniform(0.95, 1.6),
        eid_k=r.uniform(2.6, 4.0),
        issued_f=r.uniform(0.15, 0.45),
        cccd_start=r.uniform(0.72, 0.86),
        cccd_done=r.uniform(1.2, 1.8),
        online_start=r.uniform(8, 35),
        online_end=r.uniform(58, 96),
        full_start=r.uniform(3, 14),
        full_end=r.uniform(32, 70),
        svc_total=r.randint(1550, 2150),
        svc_full0=r.uniform(0.22, 0.35),
        svc_full1=r.uniform(0.48, 0.62),
        svc_part=r.uniform(0.25, 0.34),
        q=q,
        de_base=max(2.5, min(24.0, 9.0 + 3.5 * q + r.uniform(-2, 2))),
        team_ratio=r.uniform(450, 900),
        member_ratio=r.uniform(4.5, 7.0),
        g5_ratio=r.uniform(0.08, 0.35),
        smart_ratio=r.uniform(0.60, 0.85),
        fiber_start=r.uniform(55, 84),
        civil_ratio=r.uniform(0.8, 1.4),
        health_ratio=r.uniform(0.5, 0.85),
        judicial_ratio=r.uniform(1.0, 6.0),
        doc_rates=(r.uniform(0.3, 1.2), r.uniform(0.3, 1.4), r.uniform(2.0, 7.0), r.uniform(3.0, 9.0)),
    )


@dataclass(frozen=True, slots=True)
class Services:
    total: int
    full: int
    partial: int
    information: int


@dataclass(frozen=True, slots=True)
class DtiEntry:
    rank: int
    score: float
    pillars: tuple[int, int, int]  # digital government, economy, society
    of: int


class World:
    """Figures of every unit at every date, for one seed."""

    def __init__(self, seed: int):
        self.seed = seed
        self.old_units, self.new_units = load_units()
        self.by_old = {u.code: u for u in self.old_units}
        self.by_new = {u.code: u for u in self.new_units}
        self.profiles = {u.code: make_profile(seed, u.code) for u in self.old_units}
        self._dti: dict[int, dict[str, DtiEntry]] = {}

    # --- units ---------------------------------------------------------------------------------
    def units_at(self, d: date) -> list[Unit]:
        return self.old_units if d < MERGER_DAY else self.new_units

    @cached_property
    def all_members(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.old_units)

    def districts(self, unit: Unit) -> list[str]:
        out: list[str] = []
        for code in unit.members:
            out.extend(DISTRICTS[code])
        return out

    # --- per old province --------------------------------------------------------------------------
    def _eligible(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(p.pop * p.elig_share * (1 + 0.004 * t))

    def _activated(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(self._eligible(code, t) * p.eid_max * _logistic(p.eid_k * (t - p.eid_mid)))

    def _issued(self, code: str, t: float) -> int:
        act, elig = self._activated(code, t), self._eligible(code, t)
        return act + round((elig - act) * self.profiles[code].issued_f)

    def _cards(self, code: str, t: float) -> int:
        p = self.profiles[code]
        share = min(1.0, p.cccd_start + (1 - p.cccd_start) * max(0.0, t) / p.cccd_done)
        return round(self._eligible(code, t) * share)

    def _online_rate(self, code: str, t: float) -> float:
        p = self.profiles[code]
        return p.online_start + (p.online_end - p.online_start) * min(1.0, max(0.0, t) / 4.5)

    def _full_rate(self, code: str, t: float) -> float:
        p = self.profiles[code]
        full = p.full_start + (p.full_end - p.full_start) * min(1.0, max(0.0, t) / 4.5)
        return min(full, self._online_rate(code, t) - 3.0)

    def _services(self, code: str, t: float) -> Services:
        p = self.profiles[code]
        total = round(p.svc_total * (1 - 0.03 * max(0.0, t)))
        full = round(total * (p.svc_full0 + (p.svc_full1 - p.svc_full0) * min(1.0, max(0.0, t) / 4)))
        partial = round(total * p.svc_part * (1 - 0.08 * max(0.0, t)))
        return Services(total, full, partial, total - full - partial)

    def _teams(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(p.pop / p.team_ratio * min(1.0, 0.55 + max(0.0, t) * 0.9))

    def _members(self, code: str, t: float) -> int:
        return round(self._teams(code, t) * self.profiles[code].member_ratio)

    def _stations_5g(self, code: str, t: float) -> int:
        t0 = years_since_epoch(LAUNCH_5G)
        if t < t0:
            return 0
        p = self.profiles[code]
        return 3 + round(p.pop / 1000 * p.g5_ratio * min(1.0, (t - t0) / 2.0))

    def _smartphones(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(p.pop * p.smart_ratio * (0.88 + 0.04 * t))

    def _fiber(self, code: str, t: float) -> float:
        return min(99.0, self.profiles[code].fiber_start + 3.2 * t)

    def _civil(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(p.pop * p.civil_ratio * min(1.0, 0.15 + 0.3 * max(0.0, t)))

    def _health(self, code: str, t: float) -> int:
        p = self.profiles[code]
        return round(p.pop * p.health_ratio * min(1.0, 0.08 + 0.28 * max(0.0, t)))

    def _judicial(self, code: str, t: float) -> int:
        t0 = years_since_epoch(JUDICIAL_ON_VNEID)
        if t < t0:
            return 0
        p = self.profiles[code]
        return 12 + round(p.pop / 1000 * p.judicial_ratio * (t - t0))

    # --- any unit (old, new or the whole country) --------------------------------------------------------
    def _sum(self, members: tuple[str, ...], fn, d: date) -> int:
        t = years_since_epoch(d)
        return sum(fn(code, t) for code in members)

    def _weighted(self, members: tuple[str, ...], fn, d: date) -> float:
        t = years_since_epoch(d)
        weights = [self._eligible(code, t) for code in members]
        return sum(w * fn(code, t) for w, code in zip(weights, members, strict=True)) / sum(weights)

    def eligible(self, members, d):
        return self._sum(members, self._eligible, d)

    def activated(self, members, d):
        return self._sum(members, self._activated, d)

    def issued(self, members, d):
        return self._sum(members, self._issued, d)

    def cards(self, members, d):
        return self._sum(members, self._cards, d)

    def online_rate(self, members, d):
        return self._weighted(members, self._online_rate, d)

    def full_rate(self, members, d):
        return self._weighted(members, self._full_rate, d)

    def teams(self, members, d):
        return self._sum(members, self._teams, d)

    def team_members(self, members, d):
        return self._sum(members, self._members, d)

    def stations_5g(self, members, d):
        return self._sum(members, self._stations_5g, d)

    def smartphones(self, members, d):
        return self._sum(members, self._smartphones, d)

    def fiber(self, members, d):
        return self._weighted(members, self._fiber, d)

    def civil(self, members, d):
        return self._sum(members, self._civil, d)

    def health(self, members, d):
        return self._sum(members, self._health, d)

    def judicial(self, members, d):
        return self._sum(members, self._judicial, d)

    def services(self, members: tuple[str, ...], d: date) -> Services:
        """Services are not additive: a merged unit runs one system, a little larger than its largest part."""
        t = years_since_epoch(d)
        parts = [self._services(code, t) for code in members]
        lead = max(parts, key=lambda s: s.total)
        if len(parts) == 1:
            return lead
        grow = 1.0 + 0.03 * (len(parts) - 1)
        total = round(lead.total * grow)
        full = round(lead.full * grow)
        partial = round(lead.partial * grow)
        return Services(total, full, partial, total - full - partial)

    def digital_economy(self, members: tuple[str, ...] | None, year: int) -> float:
        """Share of the digital economy in GRDP (GDP for the country), percent."""
        if members is None:
            jitter = random.Random(f"{self.seed}:de:00:{year}").uniform(-0.25, 0.25)
            return round(12.0 + 1.05 * (year - 2020) + jitter, 2)
        weights = [self.profiles[c].pop for c in members]
        base = sum(w * self.profiles[c].de_base for w, c in zip(weights, members, strict=True)) / sum(weights)
        jitter = random.Random(f"{self.seed}:de:{','.join(members)}:{year}").uniform(-0.3, 0.3)
        return round(max(1.5, base + 0.85 * (year - 2021) + jitter), 2)

    def targets(self, key: str, year: int) -> tuple[int, int]:
        """(achieved, set) targets of a unit's digital-transformation plan by a year: one plan, more done each year."""
        r = random.Random(f"{self.seed}:targets:{key}")
        total = r.choice([18, 20, 22, 25, 27, 30, 32, 35, 40])
        start, pace = r.uniform(0.3, 0.6), r.uniform(0.08, 0.16)
        return round(total * min(1.0, start + pace * (year - 2021))), total

    def documents_issued(self, members: tuple[str, ...], d: date) -> tuple[int, int, int, int]:
        """Directives, resolutions, decisions and plans on digital transformation issued since 2021."""
        t = years_since_epoch(d) + 1.0
        lead = max(members, key=lambda c: self.profiles[c].pop)
        rates = self.profiles[lead].doc_rates
        return tuple(max(1, round(rate * t)) for rate in rates)  # type: ignore[return-value]

    # --- DTI ---------------------------------------------------------------------------------------
    def dti(self, year: int) -> dict[str, DtiEntry]:
        """The provincial DTI of an index year: 63 provinces up to 2024, the 34 new units from 2025."""
        if year in self._dti:
            return self._dti[year]
        r = random.Random(f"{self.seed}:dti:{year}")
        units = self.old_units if year <= 2024 else self.new_units
        scores: dict[str, float] = {}
        pillars: dict[str, list[float]] = {}
        for u in units:
            weights = [self.profiles[c].pop for c in u.members]
            q = sum(w * self.profiles[c].q for w, c in zip(weights, u.members, strict=True)) / sum(weights)
            base = 0.42 + 0.07 * q + 0.025 * (year - 2020) + r.gauss(0.0, 0.02)
            scores[u.code] = round(min(0.93, max(0.22, base)), 4)
            pillars[u.code] = [base + r.gauss(0.0, 0.05) for _ in range(3)]
        order = sorted(scores, key=lambda c: (-scores[c], c))
        pillar_orders = [sorted(scores, key=lambda c, i=i: (-pillars[c][i], c)) for i in range(3)]
        n = len(units)
        table = {
            code: DtiEntry(
                rank=order.index(code) + 1,
                score=scores[code],
                pillars=tuple(po.index(code) + 1 for po in pillar_orders),  # type: ignore[arg-type]
                of=n,
            )
            for code in scores
        }
        self._dti[year] = table
        return table

    def national_dti_score(self, year: int) -> float:
        table = self.dti(year)
        return round(sum(e.score for e in table.values()) / len(table) + 0.05, 4)


def dti_year_for(d: date) -> int | None:
    """The latest DTI index year published by date d (an index is published around mid next year)."""
    year = d.year - 1 if d.month >= 7 else d.year - 2
    if d >= MERGER_DAY and year < 2025:
        return None  # the 2024 index ranks provinces that no longer exist
    return year
