"""Vietnamese renderings of figures and dates, each with the value a careful reader takes from it.

A `Fig` is what a report writes ("hơn 136 nghìn") and what it states (136000, at least): the gold
value is always the stated one, never the hidden true figure it was rounded from.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
AT_LEAST = ("hơn", "trên")
APPROX_DOWN_UP = ("khoảng", "xấp xỉ")


@dataclass(frozen=True, slots=True)
class Fig:
    text: str
    value: float
    qualifier: str | None = None


def dots(n: int) -> str:
    """762284 → "762.284"."""
    return f"{n:,}".replace(",", ".")


def comma(x: float, decimals: int) -> str:
    """92.96 → "92,96" (decimals fixed)."""
    return f"{x:.{decimals}f}".replace(".", ",")


def clean(value: float) -> float | int:
    """A number for the gold: an int when it is whole, else rounded to 4 decimals."""
    r = round(value, 4)
    return int(r) if r == int(r) else r


def _sig_floor(n: int, digits: int) -> int:
    if n <= 0:
        return 0
    step = 10 ** max(0, len(str(n)) - digits)
    return n // step * step


def _sig_ceil(n: int, digits: int) -> int:
    step = 10 ** max(0, len(str(n)) - digits)
    return -(-n // step) * step


def _sig_round(n: int, digits: int) -> int:
    step = 10 ** max(0, len(str(n)) - digits)
    return int(math.floor(n / step + 0.5)) * step


def words(n: int) -> str:
    """A round number written with "nghìn" or "triệu" when that reads naturally, else with dots."""
    if n >= 1_000_000 and n % 10_000 == 0:
        m = n / 1_000_000
        decimals = 0 if n % 1_000_000 == 0 else (1 if n % 100_000 == 0 else 2)
        return f"{comma(m, decimals)} triệu"
    if n >= 10_000 and n % 1000 == 0 and n < 1_000_000:
        k = n // 1000
        return f"{k} nghìn"
    return dots(n)


def count(rng: random.Random, n: int, *, exact: bool = False, pad: bool = True, plain_round: bool = True) -> Fig:
    """A count as a report writes it: exact, rounded with a qualifier, or in nghìn/triệu.

    plain_round=False forbids a rounded figure with no qualifier ("1,3 triệu"), for a count stated beside
    another that it must stay consistent with.
    """
    if n < 10 and pad and rng.random() < 0.6:
        return Fig(f"{n:02d}", n)
    if exact or n < 100:
        return Fig(dots(n), n)
    r = rng.random()
    if r < 0.52:
        return Fig(dots(n), n)
    digits = rng.choice((2, 3, 3)) if n >= 10_000 else 2
    if r < 0.70:
        v = _sig_floor(n, digits)
        return Fig(f"{rng.choice(AT_LEAST)} {_render_round(rng, v)}", v, "at_least")
    if r < 0.80:
        v = _sig_ceil(n, digits)
        return Fig(f"gần {_render_round(rng, v)}", v, "approx")
    if r < 0.92:
        v = _sig_round(n, digits)
        return Fig(f"{rng.choice(APPROX_DOWN_UP)} {_render_round(rng, v)}", v, "approx")
    if n >= 1_000_000 and plain_round:
        v = _sig_round(n, 2)
        return Fig(words(v), v)
    return Fig(dots(n), n)


def _render_round(rng: random.Random, v: int) -> str:
    return words(v) if rng.random() < 0.6 else dots(v)


def percent(rng: random.Random, x: float, *, exact: bool = False, decimals: int | None = None) -> Fig:
    """A rate: "87,4%", "92,96%", "100%", or "hơn 80%" / "gần 90%" / "khoảng 85%" when not exact."""
    if decimals is None:
        decimals = 2 if rng.random() < 0.2 else 1
    v = round(x, decimals)
    if not exact and x < 99 and rng.random() < 0.25:
        r = rng.random()
        if r < 0.45:
            iv = math.floor(x)
            return Fig(f"{rng.choice(AT_LEAST)} {iv}%", iv, "at_least")
        if r < 0.7:
            iv = math.ceil(x)
            return Fig(f"gần {iv}%", iv, "approx")
        iv = round(x)
        return Fig(f"khoảng {iv}%", iv, "approx")
    return Fig(pct_text(v, decimals), v)


def pct_text(v: float, decimals: int = 1) -> str:
    if round(v, decimals) == int(round(v, decimals)):
        return f"{int(round(v, decimals))}%"
    text = comma(v, decimals)
    return text.rstrip("0") + "%" if decimals > 1 and text.endswith("0") else text + "%"


def exact_rate(part: int, whole: int) -> float:
    """The rate a report computes from its counts: percent, one decimal."""
    return round(part / whole * 100, 1)


def rate_fig(v: float) -> Fig:
    """An exact one-decimal rate."""
    return Fig(pct_text(v, 1), round(v, 1))


def score(rng: random.Random, s: float) -> Fig:
    decimals = rng.choice((4, 4, 3))
    v = round(s, decimals)
    return Fig(comma(v, decimals), v)


# --- dates -------------------------------------------------------------------------------------------


def dmy(rng: random.Random, d: date, *, year: bool = True) -> str:
    """14/3/2024, 14/03/2024, 14-3-2024 or "14 tháng 3 năm 2024"; without the year when year=False."""
    r = rng.random()
    if not year:
        return f"{d.day}/{d.month}" if r < 0.6 else (f"{d.day:02d}/{d.month:02d}" if r < 0.8 else f"{d.day}-{d.month}")
    if r < 0.5:
        return f"{d.day}/{d.month}/{d.year}"
    if r < 0.75:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if r < 0.88:
        return f"{d.day}-{d.month}-{d.year}"
    return f"{d.day} tháng {d.month} năm {d.year}"


def month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)
