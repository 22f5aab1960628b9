"""Districts and communes: name keys (Python and the dbt macro alike), the resolver on crafted names and on the
names of the shared corpus's gold figures, before and after the 2025 reorganisation, and the seeds and province
CSVs against the vietnamadminunits package they come from."""

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import jinja2
import pytest

from sources.catalog import CATALOG_DIR, MERGER_DATE
from sources.geography import build
from sources.geography.names import loose_key, name_key
from sources.geography.resolve import resolve, units
from tests.conftest import REPO, SHARED, require_corpus

MACRO = REPO / "dbt_project" / "macros" / "geo_name_key.sql"

CRAFTED_NAMES = {
    # as written → exact key
    "huyện Mèo Vạc": "mèovạc",
    "MÈO VẠC": "mèovạc",
    "Huyện  Mèo   Vạc": "mèovạc",
    "TP. Lào Cai": "làocai",
    "tp.Lào Cai": "làocai",
    "Thành phố Lào Cai": "làocai",
    "thị xã\u00a0Sa Pa": "sapa",
    "Hoà Bình": "hoàbình",
    "Hòa Bình": "hoàbình",
    "Thủy Nguyên": "thuỷnguyên",
    "Phường 01": "1",
    "P.05": "5",
    "Q. 3": "3",
    "xã Vĩnh Sơn (cũ)": "vĩnhsơn",
    "Vĩnh Sơn cũ": "vĩnhsơn",
    "Vĩnh Sơn-cho": "vĩnhsơn",  # a sentence's dash glued to the name
    "Phan Rang - Tháp Chàm": "phanrangthápchàm",
    "Phan Rang-Tháp Chàm": "phanrangthápchàm",  # a hyphen before a capital is part of the name
    "Ea H'Leo": "eahleo",
    "Xà Phiên": "xàphiên",  # "Xà" is no unit word
    "xã Xá Lượng": "xálượng",
    "  ": None,
}


@pytest.mark.parametrize(("written", "key"), CRAFTED_NAMES.items())
def test_name_keys_drop_what_varies_between_reports(written, key):
    assert name_key(written) == key


def test_the_loose_key_drops_the_marks_too():
    assert loose_key("huyện Mèo Vạc") == loose_key("Meo Vac") == "meovac"
    assert loose_key("Đắk Hà") == "dakha"
    assert name_key("Văn Lang") != name_key("Văn Lăng") and loose_key("Văn Lang") == loose_key("Văn Lăng")


def _macro_keys(names: list[str]) -> list[tuple[str, str | None, str | None]]:
    """The keys the dbt macro gives, rendered from its file and run by DuckDB."""
    macro = jinja2.Environment().from_string(MACRO.read_text(encoding="utf-8")).module
    exact, loose = str(macro.geo_name_key("name")), str(macro.geo_name_key("name", loose=True))
    with duckdb.connect() as con:
        con.execute("create table names (name varchar)")
        con.executemany("insert into names values (?)", [[n] for n in names])
        return con.execute(f"select name, {exact}, {loose} from names order by name").fetchall()


def test_the_dbt_macro_gives_the_python_keys_for_every_official_and_crafted_name():
    names = sorted({u.name for u in units().values()} | set(CRAFTED_NAMES))
    got = _macro_keys(names)
    assert len(got) == len(names) > 7000
    differ = [(n, e, lo) for n, e, lo in got if (e, lo) != (name_key(n), loose_key(n))]
    assert differ == []


# (report era, province code as the report gives it, level, name) → (unit era, code, official name, kind, how)
CRAFTED = [
    (("2008", "02", "district", "huyện Mèo Vạc"), ("2008", "027", "Mèo Vạc", "huyện", "name")),
    (("2008", "02", "district", "Meo Vac"), ("2008", "027", "Mèo Vạc", "huyện", "name")),
    (("2008", "10", "district", "TP. Lào Cai"), ("2008", "080", "Lào Cai", "thành phố", "name")),
    (("2008", "17", "district", "Hoà Bình"), ("2008", "148", "Hòa Bình", "thành phố", "name")),
    # a commune merged into another before the package's snapshot (early 2025): the unit it became part of
    (("2008", "06", "commune", "Lương Hạ"), ("2008", "02155", "Yến Lạc", "thị trấn", "former name")),
    # after 2025-07-01: the new commune of that name ...
    (("2025", "08", "commune", "xã Mèo Vạc"), ("2025", "00769", "Mèo Vạc", "xã", "name")),
    # ... a former commune: the commune it went into (00004 was Trúc Bạch, is now Ba Đình)
    (("2025", "01", "commune", "phường Trúc Bạch (cũ)"), ("2025", "00004", "Ba Đình", "phường", "pre-2025 unit")),
    # ... a district (abolished): the former district, in the unit Hà Giang (02) was merged into (Tuyên Quang, 08)
    (("2025", "08", "district", "huyện Mèo Vạc"), ("2008", "027", "Mèo Vạc", "huyện", "pre-2025 unit")),
    # the marks tell two communes of Thái Nguyên apart
    (("2025", "19", "commune", "Văn Lăng"), ("2025", "05665", "Văn Lăng", "xã", "name")),
    (("2025", "19", "commune", "Văn Lang"), ("2025", "02143", "Văn Lang", "xã", "name")),
]


@pytest.mark.parametrize(("named", "expected"), CRAFTED, ids=[n[3] + "@" + n[0] for n, _ in CRAFTED])
def test_crafted_names_resolve_to_their_official_unit(named, expected):
    r = resolve(*named)
    assert r.is_resolved and r.unit is not None
    assert (r.unit.era, r.unit.code, r.unit.name, r.unit.kind, r.resolved_by) == expected
    assert r.geo_key == f"{r.unit.era}:{r.unit.province_code}/{named[2]}:{r.unit.code}"


def test_a_pre_2025_commune_carries_the_commune_it_went_into():
    before, after = resolve("2008", "01", "commune", "Trúc Bạch"), resolve("2025", "01", "commune", "Ba Đình")
    assert before.unit.code == "00004" and before.unit.successor_code == after.unit.code == "00004"
    assert before.geo_key == "2008:01/commune:00004" != after.geo_key == "2025:01/commune:00004"


@pytest.mark.parametrize(
    ("named", "how"),
    [
        (("2008", "02", "district", "Không Có"), "unknown"),  # no such district
        (("2008", "79", "commune", "Phường 1"), "ambiguous"),  # many districts of Hồ Chí Minh City had one
        (("2025", "19", "commune", "Van Lang"), "ambiguous"),  # without marks: Văn Lang or Văn Lăng
        (("2008", "64", "commune", "Vĩnh Sơn"), "unknown"),  # a commune of Bình Định (52), not of Gia Lai (64)
        (("2025", "08", "commune", "Không Có"), "unknown"),
    ],
)
def test_names_that_do_not_resolve_keep_their_name_as_written(named, how):
    r = resolve(*named)
    assert not r.is_resolved and r.resolved_by == how
    assert r.geo_key == f"{named[0]}:{named[1]}/{named[2]}:{named[3]}"


# --- the shared corpus: every district and commune its gold figures name resolves, in its report's era ----------


def _period_start(period: str | None) -> date | None:
    if not period:
        return None
    year, _, rest = period.partition("-")
    if not rest:
        return date(int(year), 1, 1)
    if rest[0] in "HQ":
        month = {"H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}[rest]
        return date(int(year), month, 1)
    month, _, day = rest.partition("-")
    return date(int(year), int(month), int(day or 1))


def _gold_sub_units(corpus: Path) -> dict[tuple[str, str, str, str], list[dict]]:
    """(era, province code, level, name) of every gold figure of a district or commune, with its rows. A report
    is of the 2025 era when one of its figures is about a time from 2025-07-01 (its codes are then post-merger)."""
    rows = []
    for part in ("seeds", "dev", "dev2"):
        with open(corpus / "gold" / f"{part}.jsonl", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    starts: dict[str, list[date]] = {}
    for r in rows:
        if (start := _period_start(r.get("period"))) is not None:
            starts.setdefault(r["report_id"], []).append(start)
    named: dict[tuple[str, str, str, str], list[dict]] = {}
    for r in rows:
        if r.get("geo_level") in {"district", "commune"}:
            era = "2025" if max(starts.get(r["report_id"], [date.min])) >= MERGER_DATE else "2008"
            named.setdefault((era, r["geo_code"], r["geo_level"], r["geo_name"]), []).append(r)
    return named


def test_every_district_and_commune_the_corpus_names_resolves_before_and_after_the_reorganisation(corpus_dir):
    named = _gold_sub_units(corpus_dir)
    assert {era for era, *_ in named} == {"2008", "2025"}  # the corpus names places on both sides of 2025-07-01
    assert {level for _, _, level, _ in named} == {"district", "commune"}
    unresolved = [k for k in named if not resolve(*k).is_resolved]
    assert unresolved == [], f"{len(unresolved)} of {len(named)} names do not resolve"
    for (*_, name), rows in named.items():  # the names are the reports' own
        assert all(name in _report_text(corpus_dir, r["report_id"]) for r in rows), name


def _report_text(corpus: Path, report_id: str) -> str:
    return next(corpus.glob(f"*/{report_id}.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        # 2023 reports: districts of the 63 units, a city (Pleiku) and a town (Điện Bàn) among them
        (("2008", "02", "district", "Mèo Vạc"), ("2008", "027", "huyện", None)),
        (("2008", "64", "district", "Pleiku"), ("2008", "622", "thành phố", None)),
        (("2008", "49", "district", "Điện Bàn"), ("2008", "507", "thị xã", None)),
        (("2008", "01", "district", "Hà Đông"), ("2008", "268", "quận", None)),
        # a commune of the same name in Gia Lai (Đak Đoa district), and the 2025 commune it went into
        (("2008", "64", "commune", "Hà Đông"), ("2008", "23680", "xã", "23683")),
        # a report of November 2025: communes of the new Gia Lai (52), formerly of Bình Định
        (("2025", "52", "commune", "Vĩnh Sơn"), ("2025", "21787", "xã", None)),
        (("2025", "52", "commune", "Vân Canh"), ("2025", "21994", "xã", None)),
    ],
)
def test_corpus_names_resolve_to_the_right_unit(corpus_dir, named, expected):
    assert named in _gold_sub_units(corpus_dir)
    r = resolve(*named)
    assert (r.unit.era, r.unit.code, r.unit.kind, r.unit.successor_code) == expected


# --- the seeds and the province CSVs against the package --------------------------------------------------------


def test_the_seeds_are_what_the_generator_makes_from_the_installed_package():
    data_dir, _ = build.package_data()
    for name, text in build.render(data_dir).items():
        assert (CATALOG_DIR / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run `python -m sources.geography.build`"
        )


def test_the_generator_check_reports_a_stale_seed(tmp_path, capsys):
    for name in (build.UNITS_FILE, build.NAMES_FILE):
        (tmp_path / name).write_text((CATALOG_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert build.main(["--check", "--out", str(tmp_path)]) == 0
    with open(tmp_path / build.UNITS_FILE, "a", encoding="utf-8") as f:
        f.write("2025,commune,99999,Không Có,xã,01,,,\n")
    assert build.main(["--check", "--out", str(tmp_path)]) == 1
    assert "differs from vietnamadminunits" in capsys.readouterr().out


def test_the_seeds_count_every_unit_of_both_eras():
    counts: dict[tuple[str, str], int] = {}
    for u in units().values():
        counts[(u.era, u.level)] = counts.get((u.era, u.level), 0) + 1
    assert counts == {("2008", "district"): 696, ("2008", "commune"): 10035, ("2025", "commune"): 3321}
    pre = [u for u in units().values() if u.era == "2008" and u.level == "commune"]
    assert all(("2025", "commune", u.successor_code) in units() for u in pre)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _check_provinces(folder: Path) -> None:
    data_dir, _ = build.package_data()
    package = build.provinces(data_dir)
    old, new = _read(folder / "provinces_2008.csv"), _read(folder / "provinces_2025.csv")
    assert {r["code"] for r in old} == set(package["2008"]) and len(old) == 63
    assert {r["code"] for r in new} == set(package["2025"]) and len(new) == 34
    for era, rows in (("2008", old), ("2025", new)):
        for r in rows:  # the package's name is ours or one of our aliases (it spells Hòa Bình, and 46 as Huế)
            assert package[era][r["code"]] in {r["name"], *r["aliases"].split("|")}, (era, r["code"])
    mergers = build.province_mergers(data_dir)
    assert {r["code"]: sorted(r["merged_from"].split("|")) for r in new} == mergers
    assert {r["code"]: r["successor_code"] for r in old} == {o: n for n, olds in mergers.items() for o in olds}


def test_our_province_csvs_agree_with_the_package():
    _check_provinces(CATALOG_DIR)


def test_the_shared_reference_provinces_agree_with_the_package():
    require_corpus()  # skips without ../shared (fails under CI=true)
    _check_provinces(SHARED / "reference")
