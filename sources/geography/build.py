"""The seeds of districts and communes, generated from the `vietnamadminunits` package.

    python -m sources.geography.build            # (re)write sources/catalog/sub_units.csv and sub_unit_names.csv
    python -m sources.geography.build --check    # exit 1 when the seeds differ from what the package gives

The package ships its data as files (an SQLite database and a JSON mapping), read here without importing the
package (its import loads a geocoder and parsers we do not use) and without network access. It is a dev
dependency: the pipeline reads the seeds, never the package.

`sub_units.csv`, one row per unit:
- era 2008: the 696 districts and 10,035 communes of the 63 provincial units (GSO codes, as they stood just
  before 2025-07-01), each commune with its district and the post-2025 commune it went into (`successor_code`;
  a commune split between several new ones goes to the one the package marks as its default);
- era 2025: the 3,321 communes of the 34 units (districts were abolished on 2025-07-01), each with the old
  communes it was made of (`merged_from`).

`sub_unit_names.csv`, one row per name key a report of an era can give for a province at a level, and the
unit it resolves to (`sources/geography/resolve.py` says in which order names are tried).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sources.catalog import CATALOG_DIR
from sources.geography.names import loose_key, name_key, strip_accents

PACKAGE = "vietnamadminunits"
UNITS_FILE = "sub_units.csv"
NAMES_FILE = "sub_unit_names.csv"
UNIT_COLUMNS = ["era", "level", "code", "name", "kind", "province_code", "parent_code", "successor_code", "merged_from"]
NAME_COLUMNS = ["era", "province_code", "level", "key_kind", "name_key", "unit_era", "unit_code", "resolved_by"]
# Prefixes of the package's former-name keys ("xaluongha"): the key of the name alone is what reports match.
_TYPE_PREFIXES = ("thanhpho", "thitran", "dackhu", "phuong", "huyen", "thixa", "quan", "xa", "tt", "tx", "tp")


class PackageMissing(RuntimeError):
    """The package is not installed (it is a dev dependency: `make setup` installs it)."""


@dataclass(frozen=True, slots=True)
class Unit:
    era: str
    level: str  # district | commune
    code: str
    name: str
    kind: str  # huyện, quận, thị xã, thành phố, xã, phường, thị trấn, đặc khu
    province_code: str
    parent_code: str = ""
    successor_code: str = ""
    merged_from: str = ""
    former_keys: tuple[str, ...] = ()  # names the package knows it by from before a merger (as keys)

    def row(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in UNIT_COLUMNS}


def package_data() -> tuple[Path, str]:
    """The package's data folder and version, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise PackageMissing(f"{PACKAGE} is not installed: run `make setup` (it is a dev dependency)")
    return Path(next(iter(spec.submodule_search_locations))) / "data", metadata.version(PACKAGE)


def _former_keys(aliases: str | None) -> tuple[str, ...]:
    """The package's former names of a unit ('["xaluongha", "luongha"]') as name keys ("luongha")."""
    keys = []
    for alias in json.loads(aliases) if aliases else []:
        bare = next((alias[len(p) :] for p in _TYPE_PREFIXES if alias.startswith(p) and len(alias) > len(p)), alias)
        keys += [k for k in (loose_key(alias), loose_key(bare)) if k and k not in keys]
    return tuple(keys)


def _kind(unit_type: str) -> str:
    return unit_type.strip().lower()


def load_units(data_dir: Path) -> list[Unit]:
    """Every district and commune of both eras, in code order, with successors and merged-from codes."""
    with sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True) as con:
        legacy = con.execute(
            "select provinceCode, provinceKey, districtCode, districtShort, districtType, districtKey, districtAlias,"
            " wardCode, wardShort, wardType, wardKey, wardAlias from admin_units_legacy"
        ).fetchall()
        current = con.execute(
            "select provinceCode, provinceKey, wardCode, wardShort, wardType, wardKey from admin_units"
        ).fetchall()
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    new_code = {(prov_key, ward_key): code for _, prov_key, code, _, _, ward_key in current}
    old_code: dict[str, str] = {}  # "province_district_ward" keys of the converter → legacy code
    for _, prov_key, dist, _, _, dist_key, _, ward, _, _, ward_key, _ in legacy:
        old_code[f"{prov_key}_{dist_key}_{ward_key or ''}"] = ward or dist
    successor: dict[str, str] = {}
    merged_from: dict[str, set[str]] = defaultdict(set)
    for prov_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            for old in olds:
                successor[old_code[old]] = new_code[(prov_key, ward_key)]
                merged_from[new_code[(prov_key, ward_key)]].add(old_code[old])
    for prov_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                code = new_code[(prov_key, part["newWardKey"])]
                merged_from[code].add(old_code[old])
                if part["isDefaultNewWard"]:
                    successor[old_code[old]] = code

    units: dict[tuple[str, str], Unit] = {}
    for prov, _, dist, dist_short, dist_type, _, dist_alias, ward, ward_short, ward_type, _, ward_alias in legacy:
        units[("district", dist)] = Unit(
            "2008", "district", dist, dist_short, _kind(dist_type), prov,
            successor_code=successor.get(dist, ""), former_keys=_former_keys(dist_alias),
        )  # fmt: skip
        if ward:
            units[("commune", ward)] = Unit(
                "2008", "commune", ward, ward_short, _kind(ward_type), prov, parent_code=dist,
                successor_code=successor[ward], former_keys=_former_keys(ward_alias),
            )  # fmt: skip
    old = sorted(units.values(), key=lambda u: (u.level != "district", u.code))
    new = [
        Unit("2025", "commune", code, short, _kind(kind), prov, merged_from="|".join(sorted(merged_from[code])))
        for prov, _, code, short, kind, _ in sorted(current, key=lambda r: r[2])
    ]
    return old + new


def province_mergers(data_dir: Path) -> dict[str, list[str]]:
    """The package's 2025 provincial units, by code, with the codes of the 2008 units merged into each."""
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True) as con:
        new = dict(con.execute("select distinct provinceKey, provinceCode from admin_units").fetchall())
        old = dict(con.execute("select distinct provinceKey, provinceCode from admin_units_legacy").fetchall())
    return {new[k]: sorted(old[o] for o in olds) for k, olds in converter["DICT_PROVINCE"].items()}


def provinces(data_dir: Path) -> dict[str, dict[str, str]]:
    """The package's provincial units of each era: code → short name (for checking our province CSVs)."""
    with sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True) as con:
        return {
            era: dict(con.execute(f"select distinct provinceCode, provinceShort from {table}").fetchall())
            for era, table in (("2008", "admin_units_legacy"), ("2025", "admin_units"))
        }


Tier = tuple[str, dict[str, set[tuple[str, str]]]]  # how a key resolves (name, ...), and the units of each key


def _lookup(tiers: list[Tier]) -> dict[str, tuple[str, str, str]]:
    """key → (unit era, unit code, resolved_by): tiers in order, a key taken by an earlier tier stays with it;
    a key that fits more than one unit of its tier is ambiguous (no unit)."""
    out: dict[str, tuple[str, str, str]] = {}
    for resolved_by, units in tiers:
        for key in units.keys() - out.keys():
            (era, code), *others = sorted(units[key])
            out[key] = ("", "", "ambiguous") if others else (era, code, resolved_by)
    return out


def _keyed(found: Iterable[Unit], key_of, successor: bool = False) -> dict[str, set[tuple[str, str]]]:
    """The units of each key (`successor`: the 2025 commune each went into instead)."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for u in found:
        for key in key_of(u):
            if key:
                out[key].add(("2025", u.successor_code) if successor else (u.era, u.code))
    return out


def _exact(u: Unit) -> list[str | None]:
    return [name_key(u.name)]


def _loose(u: Unit) -> list[str | None]:
    return [loose_key(u.name)]


def _former(u: Unit) -> list[str | None]:
    return [loose_key(u.name), *u.former_keys]


def name_rows(units: list[Unit], mergers: dict[str, list[str]]) -> list[dict[str, str]]:
    """The name keys of every (era, province, level) a report can give, and the unit each resolves to.

    A name is looked up by its `exact` key (marks kept) and, when that finds nothing, by its `loose` key
    (marks dropped). Within a key kind the tiers are tried in order and a key taken by an earlier tier is not
    looked at again: the official name of the report's era (`name`); a former name the package knows from a
    merger before 2025 (`former name`, loose only: the package keeps them without marks); for a report written
    after 2025-07-01, a unit of before the reorganisation in the provinces merged into the report's unit
    (`pre-2025 unit`: a commune resolves to the commune it went into, a district to the former district).
    A key that fits more than one unit in its tier resolves to none (`ambiguous`).

    Exact rows are kept only where the marks change the answer ("Văn Lăng" beside "Văn Lang"): for every other
    name the loose row gives what the exact one would, and the seed stays half as long."""
    by_scope: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
    for u in units:
        by_scope[(u.era, u.province_code, u.level)].append(u)
    scopes: list[tuple[tuple[str, str, str], list[Tier], list[Tier]]] = []
    for (era, prov, level), found in sorted(by_scope.items()):
        if era == "2008":
            loose = [("name", _keyed(found, _loose)), ("former name", _keyed(found, _former))]
            scopes.append(((era, prov, level), [("name", _keyed(found, _exact))], loose))
    for prov, olds in sorted(mergers.items()):
        for level in ("district", "commune"):
            now = by_scope.get(("2025", prov, level), [])
            before = [u for o in olds for u in by_scope.get(("2008", o, level), [])]
            moved = level == "commune"
            exact = [("name", _keyed(now, _exact)), ("pre-2025 unit", _keyed(before, _exact, moved))]
            loose = [("name", _keyed(now, _loose)), ("pre-2025 unit", _keyed(before, _former, moved))]
            scopes.append((("2025", prov, level), exact, loose))
    rows: list[dict[str, str]] = []
    for scope, exact_tiers, loose_tiers in scopes:
        loose = _lookup(loose_tiers)
        exact = {k: v for k, v in _lookup(exact_tiers).items() if loose.get(strip_accents(k)) != v}
        for kind, lookup in (("exact", exact), ("loose", loose)):
            for key, unit in sorted(lookup.items()):
                rows.append(dict(zip(NAME_COLUMNS, (*scope, kind, key, *unit), strict=True)))
    return rows


def _csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render(data_dir: Path) -> dict[str, str]:
    """The two seed files' contents, as the package's data gives them."""
    units = load_units(data_dir)
    return {
        UNITS_FILE: _csv([u.row() for u in units], UNIT_COLUMNS),
        NAMES_FILE: _csv(name_rows(units, province_mergers(data_dir)), NAME_COLUMNS),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sources.geography.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the seeds with the package; write nothing")
    parser.add_argument("--out", type=Path, default=CATALOG_DIR, help="folder of the seeds (sources/catalog)")
    args = parser.parse_args(argv)
    try:
        data_dir, version = package_data()
    except PackageMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    contents = render(data_dir)
    stale = [
        n for n, text in contents.items() if not (args.out / n).is_file() or (args.out / n).read_text("utf-8") != text
    ]
    for name, text in contents.items():
        lines = text.count("\n") - 1
        state = ("differs from" if name in stale else "matches") if args.check else "written from"
        print(f"{args.out / name}: {lines} rows, {state} {PACKAGE} {version}")
        if not args.check and name in stale:
            (args.out / name).write_text(text, encoding="utf-8")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
