"""Places in report text: provinces (before and after the 2025 merger), the nation, districts and communes.

The gazetteer is built from the reviewed province files and `places.yml`; nothing here names a province.
A province named in a report written before 2025-07-01 gets its pre-merger code; after that date, the
code of the unit it belongs to since the merger (Vĩnh Phúc → Phú Thọ 25, Gia Lai → 52).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sources import catalog

# Names that are also common outside geography and only count with a prefix ("TP Hồ Chí Minh").
_NEEDS_PREFIX = {"Hồ Chí Minh"}


@dataclass(frozen=True, slots=True)
class ProvinceName:
    code_2008: str | None
    code_2025: str | None

    def code(self, post_merger: bool) -> str | None:
        if post_merger:
            return self.code_2025 or self.code_2008
        return self.code_2008 or self.code_2025


@dataclass(frozen=True, slots=True)
class PlaceCue:
    """A place word in a sentence; offsets relative to the sentence."""

    start: int
    end: int
    kind: str  # province | national | own | non_place | district | commune | sub_anaphora | operator
    code: str | None = None  # province code, resolved for the report's era
    name: str | None = None  # district / commune name
    comparison: bool = False  # "cao nhất cả nước": names a place without being the figure's place


def _flex(alias: str) -> str:
    """A regex for an alias that tolerates spacing and dash variants ("Bà Rịa-Vũng Tàu", "TP.Huế")."""
    parts = re.split(r"\s*[-–]\s*", alias)
    words = [r"\s+".join(re.escape(w).replace(r"\.", r"\.\s*") for w in p.split()) for p in parts]
    return r"\s*[-–]?\s*".join(words)


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, ProvinceName]]:
    names: dict[str, dict[str, str]] = {}
    for p in catalog.provinces():
        for alias in (p.name, *p.aliases):
            if alias in _NEEDS_PREFIX:
                continue
            entry = names.setdefault(alias.casefold(), {})
            if p.era == "2008":
                entry["2008"] = p.code
                entry.setdefault("successor", p.successor_code or p.code)
            else:
                entry["2025"] = p.code
    table = {k: ProvinceName(v.get("2008"), v.get("2025") or v.get("successor")) for k, v in names.items()}
    aliases = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(_flex(a) for a in aliases) + r")(?!\w)", re.IGNORECASE)
    return pattern, table


def _key(matched: str) -> str:
    s = re.sub(r"\s*([-–])\s*", r" \1 ", matched.casefold())
    s = re.sub(r"\.\s*", ". ", s)
    return re.sub(r"\s+", " ", s).strip()


@cache
def _lookup() -> dict[str, ProvinceName]:
    _, table = _gazetteer()
    return {_key(k): v for k, v in table.items()} | table


def find_provinces(sentence: str) -> list[tuple[int, int, ProvinceName]]:
    pattern, _ = _gazetteer()
    lookup = _lookup()
    person = re.compile(catalog.places()["person_name_before"])
    out = []
    for m in pattern.finditer(sentence):
        text = m.group(0)
        if not any(c.isupper() for c in text):
            continue  # "hòa bình" (peace), not Hòa Bình
        if person.search(sentence[max(0, m.start() - 12) : m.start()]):
            continue  # "Nguyễn Hòa Bình" is a person
        name = lookup.get(_key(text)) or lookup.get(text.casefold())
        if name is None:
            name = next((v for k, v in lookup.items() if re.fullmatch(_flex(k), text, re.I)), None)
        if name is not None:
            out.append((m.start(), m.end(), name))
    return out


@cache
def _cue_patterns() -> dict[str, object]:
    p = catalog.places()
    return {
        "national": [re.compile(x, re.I) for x in p["national"]],
        "own": [re.compile(x) for x in p["own_province"]],
        "non_place": [re.compile(x, re.I) for x in p["non_place"]],
        "non_place_scope": [re.compile(x, re.I) for x in p["non_place_scope"]],
        "comparison_before": re.compile(p["comparison_before"], re.I),
        "operators": re.compile(p["operators"]),
        "district": _unit_words(p["district_words"]),
        "commune": _unit_words(p["commune_words"]),
        "sub_anaphora": re.compile(p["sub_unit_anaphora"], re.I),
    }


def _unit_words(words: list[str]) -> re.Pattern[str]:
    """ "huyện ", "Thành phố ": the word before a district's or commune's name (in any case)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!thị )(?<!Thị )\b(?i:{alternatives})\.?\s+")


def _proper_name(text: str) -> str | None:
    """The capitalised words that open `text` ("Hà Đông (huyện" → "Hà Đông")."""
    words = []
    for w in re.findall(r"[^\s,;.:()“”\"]+|[,;.:()“”\"]", text)[:4]:
        if not w[0].isupper() or not w[0].isalpha():
            break
        words.append(w)
        if len(words) == 3:
            break
    return " ".join(words) or None


def place_cues(sentence: str, post_merger: bool) -> list[PlaceCue]:
    """All place cues of a sentence, in order."""
    pats = _cue_patterns()
    operators = re.compile("(?:" + pats["operators"].pattern + r")\s+$")
    cues: list[PlaceCue] = []
    for start, end, name in find_provinces(sentence):
        before = sentence[max(0, start - 30) : start]
        unit = re.search(r"\b(thị xã|thị trấn|đặc khu|xã|phường|huyện|quận)\s+$", before, re.I)
        if unit:  # "phường Vĩnh Phúc": a commune named after a former province
            kind = "commune" if unit.group(1).lower() in {"xã", "phường", "thị trấn", "đặc khu"} else "district"
            unit_start = start - len(before) + unit.start()
            cues.append(PlaceCue(unit_start, end, kind, name=sentence[start:end]))
            continue
        if operators.search(before):
            continue  # "VNPT Đồng Nai", "Viettel TP.HCM": an operator's branch, not the place of a figure
        comparison = bool(re.search(r"(?:so với|hơn|như|cùng với|sau|trước|kém)\s*(?:tỉnh\s+)?$", before))
        cues.append(PlaceCue(start, end, "province", code=name.code(post_merger), comparison=comparison))
    taken = [(c.start, c.end) for c in cues]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    for pattern in pats["national"]:
        for m in pattern.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            before = sentence[max(0, m.start() - 40) : m.start()]
            if m.group(0) == "Việt Nam" and re.search(r"[A-ZĐ]\w*\s+$", before):
                continue  # "Tập đoàn Điện lực Việt Nam": part of an organisation's name
            comparison = bool(pats["comparison_before"].search(before))
            cues.append(PlaceCue(m.start(), m.end(), "national", code="00", comparison=comparison))
            taken.append((m.start(), m.end()))
    for pattern in pats["own"]:
        for m in pattern.finditer(sentence):
            if free(m.start(), m.end()):
                cues.append(PlaceCue(m.start(), m.end(), "own"))
    for pattern in pats["non_place"]:
        for m in pattern.finditer(sentence):
            cues.append(PlaceCue(m.start(), m.end(), "non_place"))
    for pattern in pats["non_place_scope"]:
        for m in pattern.finditer(sentence):
            cues.append(PlaceCue(m.start(), m.end(), "non_place_scope"))
    for m in pats["operators"].finditer(sentence):
        cues.append(PlaceCue(m.start(), m.end(), "operator", name=m.group(0)))
    for kind in ("district", "commune"):
        for m in pats[kind].finditer(sentence):
            name = _proper_name(sentence[m.end() :])
            if name and free(m.start(), m.end() + len(name)) and not _is_province_name(name):
                cues.append(PlaceCue(m.start(), m.end() + len(name), kind, name=name))
    # "xã Hà Đông (huyện Đak Đoa)": the district in brackets is the commune's parent, not the figure's place
    parent = re.compile(r"(?:xã|phường|thị trấn|đặc khu)\s+[^()]{1,40}\(\s*$", re.I)
    cues = [c for c in cues if not (c.kind == "district" and parent.search(sentence[max(0, c.start - 50) : c.start]))]
    for m in pats["sub_anaphora"].finditer(sentence):
        level = "commune" if m.group(1).lower() in {"xã", "phường"} else "district"
        cues.append(PlaceCue(m.start(), m.end(), "sub_anaphora", name=level))
    cues.sort(key=lambda c: c.start)
    return cues


def _is_province_name(name: str) -> bool:
    return _key(name) in _lookup()


def default_province(title: str, text: str, post_merger: bool) -> str | None:
    """The province a report is about when no sidecar says it: the most named one, the title counting most."""
    counts: Counter[str] = Counter()
    for start, _, name in find_provinces(title):
        counts[name.code(post_merger)] += 5 if start < 60 else 3
    for _, _, name in find_provinces(text):
        counts[name.code(post_merger)] += 1
    if not counts:
        for pattern, province in catalog.places().get("outlets", {}).items():
            if re.search(pattern, text[:300]):
                return province_code(province, post_merger)
        return None
    return counts.most_common(1)[0][0]


def province_code(name: str, post_merger: bool) -> str | None:
    """The code of a province named in a sidecar or a parameter."""
    hits = find_provinces(name)
    return hits[0][2].code(post_merger) if hits else None
