"""A district's or commune's name, as a report gives it, → the official unit, from the seeds.

The extractor gives a sub-province figure its province's code (in the report's era), its level and the name
as written ("Mèo Vạc", level district, code 02). The report's era decides which units the name is looked up
among: a report written before 2025-07-01 names one of the 696 districts or 10,035 communes of the 63 units;
one written after names one of the 3,321 communes of the 34 units, or a unit of before the reorganisation
(a commune then resolves to the commune it went into; a district, abolished, to the former district).
The dbt model `int_sub_unit_names_resolved` does the same lookup in SQL; this module serves Python callers
and the tests.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from sources.catalog import CATALOG_DIR
from sources.geography.names import loose_key, name_key

UNRESOLVED = "unknown"


@dataclass(frozen=True, slots=True)
class SubUnit:
    era: str
    level: str
    code: str
    name: str
    kind: str
    province_code: str
    successor_code: str | None

    @property
    def geo_key(self) -> str:
        return f"{self.era}:{self.province_code}/{self.level}:{self.code}"


@dataclass(frozen=True, slots=True)
class Resolution:
    era: str
    province_code: str
    level: str
    name: str
    resolved_by: str  # name | former name | pre-2025 unit | ambiguous | unknown
    unit: SubUnit | None

    @property
    def is_resolved(self) -> bool:
        return self.unit is not None

    @property
    def geo_key(self) -> str:
        """The unit's key in dim_geography; an unresolved name keeps the name as written in its key."""
        if self.unit is not None:
            return self.unit.geo_key
        return f"{self.era}:{self.province_code}/{self.level}:{self.name}"


def _rows(name: str) -> list[dict[str, str]]:
    with open(CATALOG_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def units() -> dict[tuple[str, str, str], SubUnit]:
    """Every district and commune of both eras, by (era, level, code)."""
    return {
        (r["era"], r["level"], r["code"]): SubUnit(
            r["era"], r["level"], r["code"], r["name"], r["kind"], r["province_code"], r["successor_code"] or None
        )
        for r in _rows("sub_units.csv")
    }


@cache
def _names() -> dict[tuple[str, str, str, str, str], tuple[str, str, str]]:
    return {
        (r["era"], r["province_code"], r["level"], r["key_kind"], r["name_key"]): (
            r["unit_era"],
            r["unit_code"],
            r["resolved_by"],
        )
        for r in _rows("sub_unit_names.csv")
    }


def resolve(era: str, province_code: str, level: str, name: str) -> Resolution:
    """The unit a report of `era` ("2008" or "2025") means by `name` at `level` in province `province_code`
    (the code the report's era gives it): the exact key (marks kept) first, then the loose one."""
    names = _names()
    for kind, key in (("exact", name_key(name)), ("loose", loose_key(name))):
        found = names.get((era, province_code, level, kind, key or ""))
        if found is not None:
            unit_era, code, resolved_by = found
            unit = units()[(unit_era, level, code)] if code else None
            return Resolution(era, province_code, level, name, resolved_by, unit)
    return Resolution(era, province_code, level, name, UNRESOLVED, None)
