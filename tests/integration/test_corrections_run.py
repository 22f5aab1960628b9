"""Analysts' corrections applied in a real run: `dxw run` on the samples (and one short report written here that
disputes a sample's figure) with a correction file holding one correction of each kind, a cleared field and two
orphans; then the same after an extractor version bump (`--force`), then after one report changed. Real Dagster,
dbt, DuckDB and Great Expectations, as in test_pipeline.py.

The corrections are written from the samples' own extraction (offsets, evidence, file hashes), so the test
copies no report sentence."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.serving.evidence import anchor, page_name
from sources.corrections import COLUMNS
from sources.reports import extract_path
from tests.conftest import SAMPLES, copy_home
from tests.integration.test_pipeline import DXW, Pipeline, _env

pytestmark = pytest.mark.integration

LANG_SON = "2024-01-11_lang-son_tong-ket-cds-2023"
HAI_DUONG = "2023-11-14_hai-duong_hop-ban-chi-dao-cds"
BAC_NINH = "2023-07-06_bac-ninh_so-ket-6-thang-cds-de-an-06"
BRVT = "2025-01-16_ba-ria-vung-tau_tong-ket-cds-2024"
BEN_TRE = "2024-11-15_ben-tre_dich-vu-cong-truc-tuyen-2024"
SIGN = {"reviewer": "lan", "reviewed_at": "2026-11-30"}
# written for this test: 19 of 20 targets where two samples say 20 of 20 (a dispute), and a count labelled with
# the year of a report written in March of it (a low-specificity period); its name is not ASCII
DISPUTING = "2025-03-20_bà-rịa-vũng-tàu_báo-cáo-nhanh"
DISPUTING_TEXT = """Báo cáo nhanh về chuyển đổi số của tỉnh Bà Rịa - Vũng Tàu

Bà Rịa - Vũng Tàu, ngày 20 tháng 3 năm 2025.

Theo số liệu rà soát lại của Sở Thông tin và Truyền thông, năm 2024 tỉnh Bà Rịa - Vũng Tàu mới hoàn thành 19/20 chỉ \
tiêu chuyển đổi số được giao.

Bước sang năm 2025, toàn tỉnh đã có 1.250 tổ công nghệ số cộng đồng đi vào hoạt động.
"""


def _figure(report: str, indicator: str):
    extracted = extract_path(SAMPLES / f"{report}.txt")
    obs = next(o for o in extracted.extraction.observations if o.indicator == indicator)
    return extracted, obs


def _key(extracted, obs, by_text: bool = False) -> dict:
    key = {"file_hash": extracted.file_hash, "was_indicator": obs.indicator, "was_value": str(obs.value)}
    if by_text:
        return key | {"evidence": obs.evidence}
    return key | {"char_start": str(obs.char_start), "char_end": str(obs.char_end)}


def _corrections() -> tuple[list[dict], dict]:
    ls, confirmed = _figure(LANG_SON, "dti_rank")
    hd, changed = _figure(HAI_DUONG, "smartphones_per_100")
    _, broken = _figure(HAI_DUONG, "digital_infrastructure_score")
    bn, rejected = _figure(BAC_NINH, "dti_rank")
    _, sentence = _figure(LANG_SON, "digital_economy_share")
    _, approx = _figure(HAI_DUONG, "smartphone_subscribers")
    rows = [
        {"action": "confirm", **_key(ls, confirmed), "reason": "checked against the report"},
        # found by its evidence text alone: offsets may move, the sentence stays
        {"action": "change", **_key(hd, changed, by_text=True), "value": "80", "reason": "misread figure"},
        # a corrected figure is checked like any other: a 240% rate breaks rule 3 and is quarantined
        {
            "action": "change",
            **_key(hd, broken),
            "indicator": "online_application_rate",
            "value": "240",
            "reason": "wrong indicator",
        },
        {"action": "reject", **_key(bn, rejected), "reason": "not this province's rank"},
        # an empty cell means unchanged: emptying a field is said in `clear`
        {"action": "change", **_key(hd, approx), "clear": "qualifier", "reason": "an exact count"},
        {
            "action": "add",
            "file_hash": ls.file_hash,
            "report_id": LANG_SON,
            "char_start": str(sentence.char_start),
            "char_end": str(sentence.char_end),
            "evidence": sentence.evidence,
            "indicator": "fiber_household_rate",
            "value": "7.5",
            "geo_code": "20",
            "geo_level": "province",
            "period": "2022",
            "reason": "missed figure",
        },
        {"action": "confirm", "file_hash": "0" * 64, "char_start": "1", "char_end": "9", "reason": "old file"},
        {"action": "reject", "file_hash": ls.file_hash, "char_start": "1", "char_end": "3", "reason": "gone"},
    ]
    figures = {
        "confirmed": confirmed,
        "changed": changed,
        "broken": broken,
        "rejected": rejected,
        "added": sentence,
        "cleared": approx,
    }
    return [SIGN | r for r in rows], figures


@pytest.fixture(scope="module")
def corrected(tmp_path_factory, samples_run):
    root = tmp_path_factory.mktemp("corrections")
    copy_home(samples_run, root / "landing", root / "home")  # the samples loaded; the corrections come next
    p = Pipeline(root)
    (p.landing / f"{DISPUTING}.txt").write_text(DISPUTING_TEXT, encoding="utf-8")
    rows, figures = _corrections()
    path = root / "observations.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    p.corrections = path
    p.figures = figures
    return p


def _run(p: Pipeline, *extra: str):
    result = p.run(*extra, DXW_CORRECTIONS=str(p.corrections))
    assert result.returncode in (0, 2), result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _by_status(p: Pipeline) -> dict:
    rows = p.query(
        """select correction_status, indicator_code, value, extracted_indicator_code, extracted_value,
                  correction_reason, is_quarantined, observation_id, evidence, char_start, char_end, period
           from fct_indicator_observations where report_status = 'current' and correction_status is not null
           order by correction_status, indicator_code"""
    )
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r[0], []).append(r[1:])
    return out


def _assert_applied(p: Pipeline):
    f = p.figures
    status = _by_status(p)
    confirmed = [(r[0], r[1], r[4]) for r in status["confirmed"]]
    assert confirmed == [("dti_rank", f["confirmed"].value, "checked against the report")]
    changed = {r[2]: r for r in status["changed"]}
    assert changed["smartphones_per_100"][:4] == ("smartphones_per_100", 80.0, "smartphones_per_100", 79.0)
    assert changed["smartphones_per_100"][5] is False
    # the corrected figure went through the expectations: quarantined, out of the values
    assert changed["digital_infrastructure_score"][:2] == ("online_application_rate", 240.0)
    assert changed["digital_infrastructure_score"][5] is True
    cleared = p.query(
        """select qualifier, extracted_qualifier, value, correction_reason from fct_indicator_observations
           where observation_id = ?""",
        [changed["smartphone_subscribers"][6]],
    )
    assert cleared == [(None, "approx", f["cleared"].value, "an exact count")]
    assert [(r[0], r[2]) for r in status["rejected"]] == [("dti_rank", "dti_rank")]
    added = status["added"]
    assert [(r[0], r[1], r[2], r[10]) for r in added] == [("fiber_household_rate", 7.5, None, "2022")]
    assert added[0][7:10] == (f["added"].evidence, f["added"].char_start, f["added"].char_end)
    values = {r[0]: r[1:] for r in p.query("select observation_id, indicator_code, value from fct_indicator_values")}
    assert status["rejected"][0][6] not in values, "a rejected figure left fct_indicator_values"
    assert values[added[0][6]] == ("fiber_household_rate", 7.5)
    assert values[changed["smartphones_per_100"][6]] == ("smartphones_per_100", 80.0)
    assert changed["digital_infrastructure_score"][6] not in values
    return status


def test_each_kind_of_correction_shows_in_the_marts_and_orphans_are_listed(corrected):
    result = _run(corrected)
    status = _assert_applied(corrected)
    orphans = corrected.query("select correction_action, orphan_reason from fct_correction_orphans order by 1")
    assert orphans == [("confirm", "report changed"), ("reject", "figure vanished")]
    assert (
        "corrections:  8 reviewed, 6 applied to current figures (1 confirmed, 3 changed, 1 rejected, 1 added), "
        "2 orphaned"
    ) in result.stdout
    page = (corrected.home / "serving" / "evidence").glob(f"{LANG_SON}@*.html")
    html = next(page).read_text(encoding="utf-8")
    assert 'class="corrected"' in html and "added" in html and status["added"][0][6].split(":")[-1] in html
    report = (corrected.home / "serving" / "report.html").read_text(encoding="utf-8")
    assert "evidence/" in report and "#obs-" in report
    serving = corrected.home / "serving"
    for link in re.findall(r'href="(evidence/[^"]+)"', report):
        _assert_resolves(serving, link)
    home = ["--home", str(corrected.home)]
    gold = subprocess.run(
        [DXW, "review", "gold", *home, "--corrections", str(corrected.corrections)],
        capture_output=True,
        text=True,
        env=_env(),
    )
    indicators = sorted(json.loads(line)["indicator"] for line in gold.stdout.splitlines())
    assert indicators == [
        "dti_rank",
        "fiber_household_rate",
        "online_application_rate",
        "smartphone_subscribers",
        "smartphones_per_100",
    ]


def _assert_resolves(serving: Path, link: str) -> None:
    """A link of the marts or the report opens a page that holds its anchor."""
    name, _, fragment = link.partition("#")
    page = serving / name
    assert page.is_file(), link
    assert not fragment or f'id="{fragment}"' in page.read_text(encoding="utf-8"), link


def test_every_figure_of_the_marts_links_to_itself_in_its_evidence_page(corrected):
    serving = corrected.home / "serving"
    rows = corrected.query(
        """select 'observations', observation_id, evidence_page from fct_indicator_observations
           union all select 'values', observation_id, evidence_page from fct_indicator_values
           union all select 'queue', coalesce(observation_id, mention_id), evidence_page from fct_review_queue"""
    )
    assert {r[0] for r in rows} == {"observations", "values", "queue"}
    for _, observation_id, link in rows:
        assert link is not None and link.endswith(anchor(observation_id)), (observation_id, link)
        _assert_resolves(serving, link)
    # the report whose name is not ASCII: the page name and the anchors of dbt and of the pages agree
    (version,) = corrected.query("select report_version_id from dim_report where report_id = ?", [DISPUTING])[0]
    links = corrected.query("select evidence_page from fct_indicator_observations where report_id = ?", [DISPUTING])
    assert links and all(link.startswith(f"evidence/{page_name(version)}#obs-") for (link,) in links)


def _export(p: Pipeline, *extra: str) -> list[dict]:
    result = subprocess.run(
        [DXW, "review", "export", "--home", str(p.home), *extra], capture_output=True, text=True, env=_env()
    )
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_review_queue_ranks_what_is_worth_a_look_and_imports_back(corrected, tmp_path):
    rows = _export(corrected)
    why = [r["why"] for r in rows]
    # 1 quarantined first: the figure a correction made a 240% rate
    first = rows[0]
    assert (first["was_indicator"], first["indicator"], first["value"]) == (
        "digital_infrastructure_score",
        "online_application_rate",
        "240",
    )
    assert first["why"].startswith("quarantined: r3_")
    # 2 disputed between reports: the three reports' 19 and 20 of 20 targets of Bà Rịa - Vũng Tàu in 2024
    disputed = [r for r in rows if r["why"].startswith("disputed: ")]
    assert sorted((r["report_id"], r["value"]) for r in disputed) == sorted(
        [(DISPUTING, "19"), (BRVT, "20"), ("2025-02-06_chinh-phu_phien-hop-uy-ban-quoc-gia-cds", "20")]
    )
    assert f"19 in {DISPUTING}" in disputed[0]["why"] and f"20 in {BRVT}" in disputed[0]["why"]
    # 4 unmapped numbers next to an indicator's words, ready to add; one without such words is left out
    unmapped = [r for r in rows if r["why"].startswith("unmapped number")]
    assert any(r["value"] == "1542" and "'dịch vụ công trực tuyến'" in r["why"] for r in unmapped)
    assert all(r["was_indicator"] == "" and r["indicator"] == "" for r in unmapped)
    ((mentions,),) = corrected.query("select count(*) from fct_review_queue where item_kind = 'unmapped'")
    assert 0 < len(unmapped) < mentions
    # 6 a year-only period in a report written during that year, last (the shipped samples may add their own)
    year_only = [r for r in rows if r["why"].startswith("year only")]
    assert year_only and rows[-len(year_only) :] == year_only
    ours = [r for r in year_only if r["report_id"] == DISPUTING]
    assert [(r["why"], r["indicator"]) for r in ours] == [
        ("year only (2025) in a report of 2025-03-20", "community_digital_teams")
    ]
    order = {"quarantined": 1, "disputed": 2, "unmapped": 4, "warning": 5, "year only": 6}
    ranks = [next(rank for start, rank in order.items() if w.startswith(start)) for w in why]
    assert ranks == sorted(ranks), why
    # reviewed figures leave the queue (unless quarantined); --all adds every other current figure after it
    assert not any(r["was_indicator"] == "smartphones_per_100" for r in rows)
    everything = _export(corrected, "--all")
    assert everything[: len(rows)] == rows and len(everything) > len(rows)
    # filled in and imported: the rows left alone are skipped, the decided one appended
    ours[0] |= {
        "action": "change",
        "period": "2025-03-20",
        "reason": "a count to date",
        "reviewer": "lan",
        "reviewed_at": "2026-12-01",
    }
    filled, target = tmp_path / "queue.csv", tmp_path / "observations.csv"
    with open(filled, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    shutil.copy(corrected.corrections, target)
    imported = subprocess.run(
        [DXW, "review", "import", str(filled), "--corrections", str(target)], capture_output=True, text=True, env=_env()
    )
    assert imported.returncode == 0, imported.stderr
    assert "1 correction(s)" in imported.stdout and f"{len(rows) - 1} row(s) left alone" in imported.stdout
    added = list(csv.DictReader(target.open(encoding="utf-8")))[-1]
    assert (added["action"], added["period"], added["was_indicator"], added["was_value"]) == (
        "change",
        "2025-03-20",
        "community_digital_teams",
        "1250.0",
    )


def test_corrections_survive_an_extractor_version_bump_and_the_queue_lists_what_it_reads_differently(corrected):
    with duckdb.connect(str(corrected.home / "warehouse.duckdb")) as con:  # as if an older extractor read them
        con.execute("update raw.extractions set extractor_version = '0.0.1-old'")
        con.execute("update raw.observations set extractor_version = '0.0.1-old', seq = seq + 100")
        # which read one figure otherwise, missed one, and read one the current version does not
        con.execute(
            "update raw.observations set value = 20 where report_id = ? and indicator = 'dx_targets_achieved' "
            "and value = 21",
            [LANG_SON],
        )
        con.execute("delete from raw.observations where report_id = ? and indicator = 'vneid_users'", [BAC_NINH])
        con.execute(
            """insert into raw.observations select * replace ('online_services_partial' as indicator, seq + 1000 as seq)
               from raw.observations where report_id = ? and indicator = 'online_services_full'""",
            [BEN_TRE],
        )
    result = _run(corrected, "--force")
    assert "11 reports this run" in result.stdout
    _assert_applied(corrected)
    rows = _export(corrected)
    extractor = [r for r in rows if "0.0.1-old" in r["why"]]
    assert sorted((r["report_id"], r["was_indicator"], r["indicator"]) for r in extractor) == [
        (BAC_NINH, "vneid_users", "vneid_users"),
        (LANG_SON, "dx_targets_achieved", "dx_targets_achieved"),
        (BEN_TRE, "", "online_services_partial"),
    ]
    by_report = {r["report_id"]: r for r in extractor}
    assert "differently from 0.0.1-old: was dx_targets_achieved 20/30 20 2023" in by_report[LANG_SON]["why"]
    assert by_report[LANG_SON]["value"] == "21"
    assert by_report[BAC_NINH]["why"].endswith("reads it differently from 0.0.1-old: a new reading")
    # the figure the new version no longer reads comes with its old reading, ready to add back
    dropped = by_report[BEN_TRE]
    assert (
        dropped["why"].startswith("extractor ")
        and "no longer reads online_services_partial 1036/1542" in dropped["why"]
    )
    assert (dropped["value"], dropped["geo_code"], dropped["evidence"] != "") == ("1036", "83", True)


def test_a_correction_of_a_changed_report_is_orphaned(corrected):
    path = corrected.landing / f"{HAI_DUONG}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nMột câu viết thêm cho phép thử.\n", encoding="utf-8")
    _run(corrected)
    orphans = corrected.query(
        "select correction_action, orphan_reason, correction_reason from fct_correction_orphans order by 3"
    )
    assert ("change", "report changed", "misread figure") in orphans
    assert ("change", "report changed", "wrong indicator") in orphans
    values = corrected.query(
        "select value from fct_indicator_values where indicator_code = 'smartphones_per_100' and geo_code = '30'"
    )
    assert values == [(79.0,)], "the new version's figure is the extracted one"
