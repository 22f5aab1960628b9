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
from itertools import islice

from sources import catalog
from sources.extract import fold
from sources.geography.names import name_key
from sources.geography.resolve import units

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


_DASH = re.compile(r"\s*([-–])\s*")
_DOT = re.compile(r"\.\s*")
_SPACES = re.compile(r"\s+")


def _key(matched: str) -> str:
    s = fold.one_spelling(matched.casefold())
    if "-" in s or "–" in s:  # most names have no dash and no dot: no scan for them
        s = _DASH.sub(r" \1 ", s)
    if "." in s:
        s = _DOT.sub(". ", s)
    return _SPACES.sub(" ", s).strip()


@cache
def _lookup() -> dict[str, ProvinceName]:
    _, table = _gazetteer()
    return {_key(k): v for k, v in table.items()} | table


@cache
def _folded_gazetteer() -> re.Pattern[str]:
    """The gazetteer for lowercased sentences, its aliases grouped by first letter: `re` tries the aliases
    of one letter at a position instead of all of them (same matches, several times faster)."""
    groups: dict[str, list[str]] = {}
    for alias in sorted(_gazetteer()[1], key=len, reverse=True):
        flexed = _flex(alias)
        head = re.escape(alias[0])
        assert flexed.startswith(head), alias
        groups.setdefault(head, []).append(flexed[len(head) :])
    branches = "|".join(f"{head}(?:{'|'.join(rests)})" for head, rests in groups.items())
    return fold.compile_quick(rf"(?<!\w)(?:{branches})(?!\w)")


@cache
def _person_before() -> re.Pattern[str]:
    return re.compile(catalog.places()["person_name_before"])


def find_provinces(sentence: str, low: str | None = None) -> list[tuple[int, int, ProvinceName]]:
    lookup = _lookup()
    person = _person_before()
    out = []
    for m in _folded_gazetteer().finditer(low if low is not None else fold.lower(sentence)):
        text = sentence[m.start() : m.end()]
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
    lists = {
        "national": [fold.Scan(x, fold=True, flags=re.I) for x in p["national"]],  # case-insensitive: folded
        "own": [fold.Scan(x) for x in p["own_province"]],
        "non_place": [fold.Scan(x, fold=True, flags=re.I) for x in p["non_place"]],
        "non_place_scope": [fold.Scan(x, fold=True, flags=re.I) for x in p["non_place_scope"]],
    }
    return {
        **{kind: (scans, fold.Gate(scans)) for kind, scans in lists.items()},
        "comparison_before": re.compile(p["comparison_before"], re.I),
        "operators": re.compile(p["operators"]),
        "operator_scan": fold.Scan(p["operators"]),
        "district": fold.Scan(_unit_words(p["district_words"])),
        "commune": fold.Scan(_unit_words(p["commune_words"])),
        "sub_anaphora": fold.Scan(p["sub_unit_anaphora"], flags=re.I),
    }


def _unit_words(words: list[str]) -> re.Pattern[str]:
    """ "huyện ", "Thành phố ": the word before a district's or commune's name (in any case)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!thị )(?<!Thị )\b(?i:{alternatives})\.?\s+")


_TOKEN = re.compile(r"[^\s,;.:()“”\"]+|[,;.:()“”\"]")


def _proper_name(text: str) -> str | None:
    """The capitalised words that open `text` ("Hà Đông (huyện" → "Hà Đông")."""
    words = []
    for token in islice(_TOKEN.finditer(text), 4):  # the first four tokens, not all of the rest of the sentence
        w = token.group(0)
        if not w[0].isupper() or not w[0].isalpha():
            break
        words.append(w)
        if len(words) == 3:
            break
    if words:  # a numbered unit of the 2025 reorganisation: "phường Hà Giang 2 (93,2%)"
        rest = text[text.find(words[-1]) + len(words[-1]) :]
        numbered = re.match(r"\s+(\d{1,2})(?=\s*[(),;:]|\s*$)", rest)
        if numbered:
            words.append(numbered.group(1))
    return " ".join(words) or None


_WITHIN = fold.compile_quick(r"\S\s+(?:trên|trong)\s+$", re.I)
_CITY_BEFORE = fold.compile_quick(r"\b(?:thành phố|TP\.?)\s*$", re.I)


def _is_provincial(name: ProvinceName, post_merger: bool) -> bool:
    """Is the unit a province (tỉnh), not a centrally-run city, so that "thành phố <name>" is its capital?"""
    return _province_kinds()[post_merger].get(name.code(post_merger)) == "tỉnh"


@cache
def _province_kinds() -> dict[bool, dict[str, str]]:
    return {era == "2025": {p.code: p.kind for p in catalog.provinces() if p.era == era} for era in ("2008", "2025")}


_UNIT_BEFORE = fold.compile_quick(r"\b(thị xã|thị trấn|đặc khu|xã|phường|huyện|quận)\s+$", re.I)
_COMPARED_BEFORE = fold.compile_quick(r"(?:so với|hơn|như|cùng với|sau|trước|kém)\s*(?:tỉnh\s+)?$")
# "xã Hà Đông (huyện Đak Đoa)", "xã Tân Lập (tỉnh Phú Thọ)", "xã Vĩnh Sơn, tỉnh Gia Lai": the unit's parents
_PARENT_BEFORE = re.compile(
    r"(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)\s+[^()]{1,40}(?:\(\s*|,\s*(?:huyện\s+[^(),]{1,30},\s*)?)"
    r"(?:tỉnh|thành phố|TP\.?)?\s*$",
    re.I,
)


@cache
def _operator_before() -> re.Pattern[str]:
    return fold.compile_quick("(?:" + _cue_patterns()["operators"].pattern + r")\s+$")


def place_cues(
    sentence: str,
    post_merger: bool,
    low: str | None = None,
    provinces: list[tuple[int, int, ProvinceName]] | None = None,
) -> list[PlaceCue]:
    """All place cues of a sentence, in order (`provinces`: its `find_provinces`, when already known)."""
    pats = _cue_patterns()
    operators = _operator_before()
    low = low if low is not None else fold.lower(sentence)
    cues: list[PlaceCue] = []
    for start, end, name in provinces if provinces is not None else find_provinces(sentence, low):
        before = sentence[max(0, start - 30) : start]
        unit = _UNIT_BEFORE.search(before)
        if unit:  # "phường Vĩnh Phúc": a commune named after a former province
            kind = "commune" if unit.group(1).lower() in {"xã", "phường", "thị trấn", "đặc khu"} else "district"
            unit_start = start - len(before) + unit.start()
            cues.append(PlaceCue(unit_start, end, kind, name=sentence[start:end]))
            continue
        if operators.search(before):
            continue  # "VNPT Đồng Nai", "Viettel TP.HCM": an operator's branch, not the place of a figure
        # "thành phố Lào Cai": the capital of a province, a district-level city ("TP. Huế", an alias, is the unit)
        city = _CITY_BEFORE.search(sentence, 0, start)
        if city and _is_provincial(name, post_merger):
            cues.append(PlaceCue(city.start(), end, "district", name=sentence[start:end]))
            continue
        comparison = bool(_COMPARED_BEFORE.search(before))
        cues.append(PlaceCue(start, end, "province", code=name.code(post_merger), comparison=comparison))
    taken = [(c.start, c.end) for c in cues]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    for pattern in _open(pats["national"], low):
        for m in pattern.finditer(sentence, low):
            if not free(m.start(), m.end()):
                continue
            before = sentence[max(0, m.start() - 40) : m.start()]
            if sentence[m.start() : m.end()] == "Việt Nam" and re.search(r"[A-ZĐ]\w*\s+$", before):
                continue  # "Tập đoàn Điện lực Việt Nam": part of an organisation's name
            comparison = bool(pats["comparison_before"].search(before))
            # "Lạng Sơn ... dẫn đầu về ICT trên cả nước": after a province, the whole country is the field compared
            comparison = comparison or bool(_WITHIN.search(before) and any(c.kind == "province" for c in cues))
            cues.append(PlaceCue(m.start(), m.end(), "national", code="00", comparison=comparison))
            taken.append((m.start(), m.end()))
    for pattern in _open(pats["own"], low):
        for m in pattern.finditer(sentence, low):
            if free(m.start(), m.end()):
                cues.append(PlaceCue(m.start(), m.end(), "own"))
    for pattern in _open(pats["non_place"], low):
        for m in pattern.finditer(sentence, low):
            cues.append(PlaceCue(m.start(), m.end(), "non_place"))
    for pattern in _open(pats["non_place_scope"], low):
        for m in pattern.finditer(sentence, low):
            cues.append(PlaceCue(m.start(), m.end(), "non_place_scope"))
    blocks = [(c.start, c.end) for c in cues if c.kind in {"non_place", "non_place_scope"}]
    # "Khối các bộ, ngành có ...": the ministries inside a block's name are the block, not the nation
    cues = [c for c in cues if not (c.kind == "national" and any(s <= c.start and c.end <= e for s, e in blocks))]
    for m in pats["operator_scan"].finditer(sentence, low):
        cues.append(PlaceCue(m.start(), m.end(), "operator", name=m.group(0)))
    for kind in ("district", "commune"):
        for m in pats[kind].finditer(sentence, low):
            name = _proper_name(sentence[m.end() :])
            if name and free(m.start(), m.end() + len(name)) and not _is_province_name(name):
                cues.append(PlaceCue(m.start(), m.end() + len(name), kind, name=name))
    # "xã Hà Đông (huyện Đak Đoa)": the district in brackets is the commune's parent, not the figure's place
    cues = [
        c
        for c in cues
        if not (c.kind in {"district", "province"} and _PARENT_BEFORE.search(sentence[max(0, c.start - 50) : c.start]))
    ]
    for m in pats["sub_anaphora"].finditer(sentence, low):
        level = "commune" if m.group(1).lower() in {"xã", "phường"} else "district"
        cues.append(PlaceCue(m.start(), m.end(), "sub_anaphora", name=level))
    cues.sort(key=lambda c: c.start)
    return cues


def _open(group: tuple[list[fold.Scan], fold.Gate], low: str) -> list[fold.Scan]:
    scans, gate = group
    return [] if gate.shut(low) else scans


def _is_province_name(name: str) -> bool:
    return _key(name) in _lookup()


def default_province(title: str, text: str, post_merger: bool, named: list[ProvinceName] | None = None) -> str | None:
    """The province a report is about when no sidecar says it: the most named one, the title counting most.
    `named`: the provinces the text names, when its sentences were already scanned."""
    counts: Counter[str] = Counter()
    for start, _, name in find_provinces(title):
        counts[name.code(post_merger)] += 5 if start < 60 else 3
    for name in named if named is not None else [name for *_, name in find_provinces(text)]:
        counts[name.code(post_merger)] += 1
    if not counts:
        for pattern, province in catalog.places().get("outlets", {}).items():
            if re.search(pattern, text[:300]):
                return province_code(province, post_merger)
        return _province_of_districts(text, post_merger)
    return counts.most_common(1)[0][0]


def _province_of_districts(text: str, post_merger: bool) -> str | None:
    """A report that names no province but its districts ("thành phố Vinh", "huyện Pác Nặm"): the province most of
    them belong to. Districts only, whose names are few and mostly unique; communes repeat across provinces."""
    scan = _cue_patterns()["district"]
    votes: Counter[str] = Counter()
    for m in scan.finditer(text, fold.lower(text)):
        name = _proper_name(text[m.end() :])
        provinces = _districts().get(name_key(name)) if name and not _is_province_name(name) else None
        if provinces and len(provinces) == 1:
            votes[next(iter(provinces))] += 1
    if not votes:
        return None
    code_2008 = votes.most_common(1)[0][0]
    successor = next((p.successor_code for p in catalog.provinces() if p.era == "2008" and p.code == code_2008), None)
    return (successor or code_2008) if post_merger else code_2008


@cache
def _districts() -> dict[str, frozenset[str]]:
    """Name key of each district before the 2025 reorganisation → the provinces that have one of that name."""
    found: dict[str, set[str]] = {}
    for unit in units().values():
        if unit.era == "2008" and unit.level == "district":
            found.setdefault(name_key(unit.name), set()).add(unit.province_code)
    return {k: frozenset(v) for k, v in found.items()}


def province_code(name: str, post_merger: bool) -> str | None:
    """The code of a province named in a sidecar or a parameter."""
    hits = find_provinces(name)
    return hits[0][2].code(post_merger) if hits else None
