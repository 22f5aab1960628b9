"""Analysts' corrections applied in a real run: `dxw run` on the samples with a correction file holding one
correction of each kind and two orphans; then the same after an extractor version bump (`--force`), then after
one report changed. Real Dagster, dbt, DuckDB and Great Expectations, as in test_pipeline.py.

The corrections are written from the samples' own extraction (offsets, evidence, file hashes), so the test
copies no report sentence."""

import csv
import io
import json
import shutil
import subprocess

import duckdb
import pytest

from sources.corrections import COLUMNS
from sources.reports import extract_path
from tests.conftest import SAMPLES
from tests.integration.test_pipeline import DXW, Pipeline, _env

pytestmark = pytest.mark.integration

LANG_SON = "2024-01-11_lang-son_tong-ket-cds-2023"
HAI_DUONG = "2023-11-14_hai-duong_hop-ban-chi-dao-cds"
BAC_NINH = "2023-07-06_bac-ninh_so-ket-6-thang-cds-de-an-06"
SIGN = {"reviewer": "lan", "reviewed_at": "2026-11-30"}


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
    figures = {"confirmed": confirmed, "changed": changed, "broken": broken, "rejected": rejected, "added": sentence}
    return [SIGN | r for r in rows], figures


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrections")
    p = Pipeline(root)
    for f in SAMPLES.iterdir():
        shutil.copy(f, p.landing / f.name)
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
        "corrections:  7 reviewed, 5 applied to current figures (1 confirmed, 2 changed, 1 rejected, 1 added), "
        "2 orphaned"
    ) in result.stdout
    page = (corrected.home / "serving" / "evidence").glob(f"{LANG_SON}@*.html")
    html = next(page).read_text(encoding="utf-8")
    assert 'class="corrected"' in html and "added" in html and status["added"][0][6].split(":")[-1] in html
    report = (corrected.home / "serving" / "report.html").read_text(encoding="utf-8")
    assert "evidence/" in report and "#obs-" in report
    # the review queue lists the quarantined figure first; gold rows carry confirmed, changed and added figures
    home = ["--home", str(corrected.home)]
    export = subprocess.run([DXW, "review", "export", *home], capture_output=True, text=True, env=_env())
    first = next(csv.DictReader(io.StringIO(export.stdout)))
    assert (first["was_indicator"], first["indicator"], first["value"]) == (
        "digital_infrastructure_score",
        "online_application_rate",
        "240.0",
    )
    gold = subprocess.run(
        [DXW, "review", "gold", *home, "--corrections", str(corrected.corrections)],
        capture_output=True,
        text=True,
        env=_env(),
    )
    indicators = sorted(json.loads(line)["indicator"] for line in gold.stdout.splitlines())
    assert indicators == ["dti_rank", "fiber_household_rate", "online_application_rate", "smartphones_per_100"]


def test_corrections_survive_an_extractor_version_bump(corrected):
    with duckdb.connect(str(corrected.home / "warehouse.duckdb")) as con:  # as if an older extractor read them
        con.execute("update raw.extractions set extractor_version = '0.0.1-old'")
        con.execute("update raw.observations set extractor_version = '0.0.1-old', seq = seq + 100")
    result = _run(corrected, "--force")
    assert "10 reports this run" in result.stdout
    _assert_applied(corrected)


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
