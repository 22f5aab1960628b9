"""Reviewed reference data that drives extraction and the warehouse seeds.

The files in this folder are the single source of truth: the extractor reads them here, dbt loads the CSVs
as seeds (see `dbt_project/dbt_project.yml`, `seed-paths`), and the expectations read the indicator
catalogue. Edit the data, not the code, to teach the extractor a new phrasing.

- `indicators.csv`: the indicator catalogue (codes of the extraction contract, units, additivity).
- `indicator_cues.yml`: the Vietnamese phrasings that name each indicator around a figure, with examples;
  its schema (`cue_schema.py`) refuses unknown keys, unknown kinds and indicators, and patterns that do not compile.
- `provinces_2008.csv`, `provinces_2025.csv`: provincial units before and after the 2025-07-01 merger.
- `geo_national.csv`: the national row.
- `sub_units.csv`, `sub_unit_names.csv`: districts and communes with their official codes, and which unit each
  name resolves to; generated from the vietnamadminunits package (`python -m sources.geography.build`), not edited.
- `places.yml`: national cues, sub-province units, subjects that are not places (ministries, operators).
- `directives.yml`: legal document types, issuer symbols, agencies and the verbs of instructions.
- `vocabulary.yml`: the words the sentence rules reason with (generic words, noun families, DTI pillars).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

CATALOG_DIR = Path(__file__).resolve().parent
MERGER_DATE = date(2025, 7, 1)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    domain: str
    unit: str
    name_vi: str
    name_en: str
    is_additive: bool
    is_cumulative: bool
    rate_of: str | None
    whole_code: str | None


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    era: str  # "2008" (in force until 2025-06-30) or "2025" (from 2025-07-01)
    successor_code: str | None  # for 2008 units: the 2025 unit it was merged into


def _rows(name: str) -> list[dict[str, str]]:
    with open(CATALOG_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def indicators() -> dict[str, Indicator]:
    return {
        r["code"]: Indicator(
            code=r["code"],
            domain=r["domain"],
            unit=r["unit"],
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            is_additive=r["is_additive"] == "true",
            is_cumulative=r["is_cumulative"] == "true",
            rate_of=r["rate_of"] or None,
            whole_code=r["whole_code"] or None,
        )
        for r in _rows("indicators.csv")
    }


@cache
def provinces() -> tuple[Province, ...]:
    out = [
        Province(
            r["code"],
            r["name"],
            r["kind"],
            tuple(a for a in r["aliases"].split("|") if a),
            "2008",
            r["successor_code"],
        )
        for r in _rows("provinces_2008.csv")
    ]
    out += [
        Province(r["code"], r["name"], r["kind"], tuple(a for a in r["aliases"].split("|") if a), "2025", None)
        for r in _rows("provinces_2025.csv")
    ]
    return tuple(out)


@cache
def national() -> dict[str, str]:
    return _rows("geo_national.csv")[0]


@cache
def _yaml(name: str) -> dict:
    # libyaml where installed: the cue file with its examples loads in 0.06 s instead of 0.3 s per process
    with open(CATALOG_DIR / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def indicator_cues() -> dict:
    return _yaml("indicator_cues.yml")


def places() -> dict:
    return _yaml("places.yml")


def directives() -> dict:
    return _yaml("directives.yml")


def vocabulary() -> dict:
    return _yaml("vocabulary.yml")
