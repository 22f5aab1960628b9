"""The synthetic report generator: deterministic, streaming, and its gold true to the reports it writes."""

import codecs
import csv
import hashlib
import html
import json
import re
import tracemalloc
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from sources.readers import RejectedFile, read_report
from sources.synthetic import write_corpus
from tests.conftest import DOCUMENT_FIELDS, INSTRUCTION_FIELDS, OBSERVATION_FIELDS

CATALOG = Path(__file__).resolve().parents[2] / "sources" / "catalog"
MERGER_DAY = date(2025, 7, 1)
N = 2000
OBS_KEYS = OBSERVATION_FIELDS
DOC_KEYS = ["kind", *DOCUMENT_FIELDS]
INSTR_KEYS = ["kind", *INSTRUCTION_FIELDS]
DOC_TYPES = {
    "nghi_quyet",
    "quyet_dinh",
    "chi_thi",
    "ke_hoach",
    "ket_luan",
    "thong_bao",
    "cong_van",
    "nghi_dinh",
    "thong_tu",
    "de_an",
    "chuong_trinh",
}
PERIOD = re.compile(r"^\d{4}(-H[12]|-Q[1-4]|-\d{2}(-\d{2})?)?$")
COMMON = [
    "eid_accounts_activated",
    "eid_accounts_issued",
    "eid_eligible_citizens",
    "eid_activation_rate",
    "cccd_cards_issued",
    "cccd_issuance_rate",
    "online_application_rate",
    "online_full_process_application_rate",
    "public_services_total",
    "online_services_full",
    "online_services_partial",
    "information_services",
    "dti_rank",
    "dti_rank_digital_government",
    "dti_rank_digital_economy",
    "dti_rank_digital_society",
    "dti_score",
    "digital_economy_share",
    "community_digital_teams",
    "community_digital_team_members",
    "stations_5g",
    "smartphone_subscribers",
    "fiber_household_rate",
    "civil_status_records_digitized",
    "health_insurance_id_synced",
    "judicial_record_requests_vneid",
    "dx_targets_achieved",
]


def _csv(name: str) -> list[dict[str, str]]:
    with (CATALOG / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


CODES_2008 = {r["code"] for r in _csv("provinces_2008.csv")}
CODES_2025 = {r["code"] for r in _csv("provinces_2025.csv")}
UNITS = {r["code"]: r["unit"] for r in _csv("indicators.csv")}


def jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def decoded(out: Path, entry: dict) -> str:
    """A report's text as its manifest says it is stored; a page is unescaped, tags and all."""
    data = (out / entry["file"]).read_bytes()
    if entry["encoding"] == "utf-16":
        assert data.startswith(codecs.BOM_UTF16_LE)
        return data.decode("utf-16")
    text = data.decode("utf-8")
    return html.unescape(text) if entry["format"] == "html" else text


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    summary = write_corpus(out, N, seed=6)
    manifest = {e["report_id"]: e for e in jsonl(out / "reports.jsonl")}
    return {
        "out": out,
        "summary": summary,
        "manifest": manifest,
        "obs": jsonl(out / "gold.jsonl"),
        "directives": jsonl(out / "gold_directives.jsonl"),
        "bad": jsonl(out / "bad_files.jsonl"),
        "contradictions": jsonl(out / "contradictions.jsonl"),
        "texts": {rid: decoded(out, e) for rid, e in manifest.items()},
    }


# --- determinism -------------------------------------------------------------------------------------------------


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_corpus(a, 150, seed=6)
    write_corpus(b, 150, seed=6)
    write_corpus(c, 150, seed=7)
    da, db, dc = digests(a), digests(b), digests(c)
    assert da == db
    assert da["gold.jsonl"] != dc["gold.jsonl"]
    assert da["gold_directives.jsonl"] != dc["gold_directives.jsonl"]
    reports_a = {v for k, v in da.items() if k.startswith("reports/")}
    reports_c = {v for k, v in dc.items() if k.startswith("reports/")}
    assert len(reports_a & reports_c) <= 3  # at most a few identical bad files (an empty one is empty)


def test_a_rerun_into_the_same_folder_replaces_the_previous_corpus(tmp_path):
    write_corpus(tmp_path, 60, seed=1)
    write_corpus(tmp_path, 20, seed=1)
    assert len(list((tmp_path / "reports").iterdir())) == 20
    assert all(int(e["report_id"][4:10]) < 20 for e in jsonl(tmp_path / "reports.jsonl"))


# --- counts and files -------------------------------------------------------------------------------------------


def test_writes_exactly_the_requested_number_of_files(corpus):
    files = list((corpus["out"] / "reports").iterdir())
    assert len(files) == N
    assert len(corpus["manifest"]) + len(corpus["bad"]) == N
    names = {p.name for p in files}
    assert {Path(e["file"]).name for e in corpus["manifest"].values()} | {
        Path(b["file"]).name for b in corpus["bad"]
    } == names
    assert corpus["summary"].startswith(f"Wrote {N} files")
    assert f"{len(corpus['obs'])} observations" in corpus["summary"]


def test_bad_files_come_at_about_the_requested_rate(corpus, tmp_path):
    assert 0.01 * N <= len(corpus["bad"]) <= 0.035 * N
    assert {b["kind"] for b in corpus["bad"]} == {"empty", "binary", "pdf", "undecodable"}
    write_corpus(tmp_path, 300, seed=3, bad_rate=0.0)
    assert jsonl(tmp_path / "bad_files.jsonl") == []


def test_bad_files_are_rejected_by_the_reader_with_the_listed_reason_and_have_no_gold(corpus):
    out = corpus["out"]
    bad_ids = {b["report_id"] for b in corpus["bad"]}
    for b in corpus["bad"]:
        assert b["file"].endswith(".txt")
        with pytest.raises(RejectedFile) as caught:
            read_report(out / b["file"])
        assert caught.value.reason.startswith(b["reason"]), (b, caught.value.reason)
    gold_ids = {o["report_id"] for o in corpus["obs"]} | {d["report_id"] for d in corpus["directives"]}
    assert not bad_ids & gold_ids
    assert not bad_ids & set(corpus["manifest"])


def test_formats_html_and_utf16_at_about_their_shares(corpus):
    kinds = Counter((e["format"], e["encoding"]) for e in corpus["manifest"].values())
    assert 0.025 * N <= kinds[("html", "utf-8")] <= 0.08 * N
    assert 0.012 * N <= kinds[("text", "utf-16")] <= 0.05 * N
    out = corpus["out"]
    page = next(e for e in corpus["manifest"].values() if e["format"] == "html")
    source = (out / page["file"]).read_text(encoding="utf-8")
    assert "<nav" in source and "<script" in source and "<article" in source
    assert page["file"].endswith(".html")


def test_every_readable_report_reads_and_starts_with_title_then_dateline(corpus):
    out = corpus["out"]
    for rid, entry in corpus["manifest"].items():
        report = read_report(out / entry["file"])
        assert report.report_id == rid
        lines = [line for line in report.text.split("\n") if line.strip()]
        d = date.fromisoformat(entry["date"])
        written = (
            f"{d.day}/{d.month}/{d.year}",
            f"{d.day:02d}/{d.month:02d}/{d.year}",
            f"{d.day}-{d.month}-{d.year}",
            f"{d.day} tháng {d.month} năm {d.year}",
        )
        dateline = lines[1]
        assert any(dateline.split(",")[0].endswith(w) for w in written), (rid, dateline)


def test_report_ids_dates_and_units(corpus):
    manifest = corpus["manifest"]
    pattern = re.compile(r"^syn_\d{6}_[a-z0-9-]+$")
    national = 0
    seen = set()
    for rid, e in manifest.items():
        assert pattern.match(rid)
        d = date.fromisoformat(e["date"])
        assert date(2022, 1, 1) <= d <= date(2026, 10, 31)
        if e["scope"] == "national":
            national += 1
            assert e["geo_code"] == "00" and rid.endswith("_toan-quoc")
        elif d < MERGER_DAY:
            assert e["geo_code"] in CODES_2008
            seen.add(("old", e["geo_code"]))
        else:
            assert e["geo_code"] in CODES_2025
            seen.add(("new", e["geo_code"]))
    assert 0.05 * N <= national <= 0.11 * N
    assert len(seen) == len(CODES_2008) + len(CODES_2025)  # every province, before and after the merger


# --- gold --------------------------------------------------------------------------------------------------------


def test_observations_have_the_contract_shape(corpus):
    assert len(corpus["obs"]) > 8 * N
    for o in corpus["obs"]:
        assert list(o) == OBS_KEYS
        assert o["unit"] == UNITS[o["indicator"]]
        assert isinstance(o["value"], int | float) and not isinstance(o["value"], bool)
        assert o["denominator"] is None or isinstance(o["denominator"], int | float)
        assert o["qualifier"] in {None, "approx", "at_least", "at_most", "target"}
        assert o["period"] is None or PERIOD.match(o["period"]), o
        assert o["geo_level"] in {"national", "province", "district", "commune"}
        assert (o["geo_name"] is not None) == (o["geo_level"] in {"district", "commune"})
        if o["unit"] == "percent":
            assert 0 <= o["value"] <= 100 or o["report_id"] in {c["report_id"] for c in corpus["contradictions"]}


def test_every_evidence_occurs_verbatim_in_its_report(corpus):
    texts = corpus["texts"]
    for line in corpus["obs"] + corpus["directives"]:
        assert line["evidence"] in texts[line["report_id"]], line
    # and a reader that strips the page down to its article still finds it
    out = corpus["out"]
    for rid, entry in corpus["manifest"].items():
        if entry["format"] == "html" or entry["encoding"] == "utf-16":
            text = read_report(out / entry["file"]).text
            for o in (o for o in corpus["obs"] if o["report_id"] == rid):
                assert o["evidence"] in text


def _digits(value: float) -> str:
    text = str(value) if isinstance(value, int) else f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", "").lstrip("0").rstrip("0") or "0"


def test_every_value_has_its_digits_in_the_evidence(corpus):
    for o in corpus["obs"]:
        tokens = [re.sub(r"\D", "", t) for t in re.findall(r"\d[\d.,]*", o["evidence"])]
        sig = _digits(o["value"])
        if any(sig in t for t in tokens):
            continue
        # a rank given in words: "dẫn đầu", or a place in a "lần lượt" list
        lowered = o["evidence"].lower()
        assert o["indicator"].startswith("dti_rank") and o["value"] <= 3, o
        assert "dẫn đầu" in lowered or "lần lượt" in lowered, o


def test_geo_codes_are_valid_for_the_report_date(corpus):
    manifest = corpus["manifest"]
    for o in corpus["obs"]:
        d = date.fromisoformat(manifest[o["report_id"]]["date"])
        if o["geo_level"] == "national":
            assert o["geo_code"] == "00"
        else:
            assert o["geo_code"] in (CODES_2008 if d < MERGER_DAY else CODES_2025), o
    # a report's own sub-province figures keep its province's code
    for o in corpus["obs"]:
        if o["geo_level"] in {"district", "commune"}:
            assert o["geo_code"] == manifest[o["report_id"]]["geo_code"]
            d = date.fromisoformat(manifest[o["report_id"]]["date"])
            assert o["geo_level"] == ("district" if d < MERGER_DAY else "commune")


def test_periods_are_never_after_the_report_except_targets(corpus):
    manifest = corpus["manifest"]
    for o in corpus["obs"]:
        d = manifest[o["report_id"]]["date"]
        p = o["period"]
        if o["qualifier"] == "target":
            assert re.fullmatch(r"\d{4}", p) and int(p) >= int(d[:4]), o
        elif len(p) == 10:
            assert p <= d, o
        else:
            assert p[:4] <= d[:4], o
        if o["indicator"].startswith("dti_rank") or o["indicator"] == "dti_score":
            assert re.fullmatch(r"\d{4}", p) and int(p) < int(d[:4])


def test_the_corpus_exercises_every_form(corpus):
    obs = corpus["obs"]
    found = Counter(o["indicator"] for o in obs)
    for indicator in COMMON:
        assert found[indicator] >= 20, indicator
    qualifiers = Counter(o["qualifier"] for o in obs)
    assert all(qualifiers[q] > 50 for q in (None, "approx", "at_least", "target"))
    periods = Counter(re.sub(r"\d", "9", o["period"]) for o in obs)
    assert all(periods[p] > 50 for p in ("9999", "9999-H9", "9999-Q9", "9999-99", "9999-99-99"))
    levels = Counter(o["geo_level"] for o in obs)
    assert levels["district"] > 50 and levels["commune"] > 50 and levels["national"] > 50
    evidence = "\n".join(o["evidence"] for o in obs)
    for form in (
        r"\d+ nghìn",
        r"\d+(,\d+)? triệu",
        r"\b0\d (chỉ thị|nghị quyết|quyết định|kế hoạch)",
        r"\d{1,3}(\.\d{3})+/\d{1,3}(\.\d{3})+",
        r"thứ \d+/63",
        r"thứ \d+/34",
        r"\d+,\d\d%",
        r"tăng từ [\d,]+% \(năm \d{4}\) lên",
        r"lần lượt",
        r"dẫn đầu",
    ):
        assert re.search(form, evidence), form
    # a national figure in a provincial report, a province's figure in a national report
    manifest = corpus["manifest"]
    assert any(o["geo_code"] == "00" and manifest[o["report_id"]]["scope"] == "province" for o in obs)
    assert any(o["geo_code"] != "00" and manifest[o["report_id"]]["scope"] == "national" for o in obs)
    # the comparison gives both values
    compared = [o for o in obs if "tăng từ" in o["evidence"]]
    by_sentence = Counter((o["report_id"], o["evidence"]) for o in compared)
    assert by_sentence and all(n == 2 for n in by_sentence.values())


def test_targets_are_above_what_the_report_says_is_achieved(corpus):
    achieved = defaultdict(list)
    key = lambda o: (o["report_id"], o["indicator"], o["geo_code"], o["geo_level"])  # noqa: E731
    for o in corpus["obs"]:
        if o["qualifier"] in {None, "at_least"}:  # "gần 85%" beside a goal of 85% is fine
            achieved[key(o)].append(o["value"])
    broken = {c["report_id"] for c in corpus["contradictions"]}
    targets = [o for o in corpus["obs"] if o["qualifier"] == "target" and o["report_id"] not in broken]
    assert len(targets) > 0.3 * N
    for o in targets:
        assert all(v < o["value"] for v in achieved[key(o)]), o


def test_directives_have_the_contract_shape(corpus):
    manifest = corpus["manifest"]
    kinds = Counter(d["kind"] for d in corpus["directives"])
    assert kinds["document"] > N // 2 and kinds["instruction"] > N // 2
    for d in corpus["directives"]:
        report_day = manifest[d["report_id"]]["date"]
        if d["kind"] == "document":
            assert list(d) == DOC_KEYS
            assert d["doc_type"] in DOC_TYPES
            assert d["number"] is None or " " not in d["number"]
            assert d["number"] is None or d["number"] in d["evidence"]
            assert d["issued_on"] is None or d["issued_on"] < report_day
        else:
            assert list(d) == INSTR_KEYS
            assert d["geo_code"] == manifest[d["report_id"]]["geo_code"]
            assert d["action"] in d["evidence"]
            assert d["assignees"] and all(a in d["evidence"] for a in d["assignees"])
            assert d["deadline"] is None or d["deadline"] >= report_day[: len(d["deadline"])]
    numbers = Counter((d["report_id"], d["number"]) for d in corpus["directives"] if d["kind"] == "document")
    assert max(numbers.values()) == 1  # a document cited twice in a report would be one reference


def test_figures_are_consistent_outside_the_listed_contradictions(corpus):
    broken = {c["report_id"] for c in corpus["contradictions"]}
    assert 0.005 * N <= len(broken) <= 0.04 * N
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for o in corpus["obs"]:
        groups[(o["report_id"], o["evidence"], o["geo_code"], o["geo_level"], o["geo_name"])].append(o)
    checked = 0
    for key, sentence in groups.items():
        if key[0] in broken:
            continue
        by = {o["indicator"]: o for o in sentence if o["qualifier"] is None}
        for count, rate in (
            ("eid_accounts_activated", "eid_activation_rate"),
            ("cccd_cards_issued", "cccd_issuance_rate"),
        ):
            c = by.get(count)
            if c is None or c["denominator"] is None:
                continue
            assert c["value"] <= c["denominator"], c
            if rate in by and by[rate]["period"] == c["period"]:
                assert abs(by[rate]["value"] - c["value"] / c["denominator"] * 100) <= 0.0501, sentence
                checked += 1
        if "eid_accounts_issued" in by and "eid_accounts_activated" in by:
            assert by["eid_accounts_issued"]["value"] >= by["eid_accounts_activated"]["value"]
        if "public_services_total" in by:
            parts = sum(
                by[k]["value"]
                for k in ("online_services_full", "online_services_partial", "information_services")
                if k in by
            )
            assert parts <= by["public_services_total"]["value"]
    assert checked > 200


def test_listed_contradictions_are_really_inconsistent(tmp_path):
    write_corpus(tmp_path, 150, seed=11, contradiction_rate=0.5)
    listed = jsonl(tmp_path / "contradictions.jsonl")
    assert len(listed) > 40
    obs = jsonl(tmp_path / "gold.jsonl")
    for c in listed:
        mine = [o for o in obs if o["report_id"] == c["report_id"] and o["geo_level"] != "district"]
        act = next(o for o in mine if o["indicator"] == "eid_accounts_activated" and o["denominator"])
        if c["kind"] == "activated_gt_eligible":
            assert act["value"] > act["denominator"]
        else:
            rate = next(o for o in mine if o["indicator"] == "eid_activation_rate" and o["evidence"] == act["evidence"])
            assert abs(rate["value"] - act["value"] / act["denominator"] * 100) > 4


# --- streaming ------------------------------------------------------------------------------------------------


def test_peak_memory_stays_low_whatever_the_size(tmp_path):
    tracemalloc.start()
    try:
        write_corpus(tmp_path / "small", 100, seed=5)
        small = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        write_corpus(tmp_path / "large", N, seed=5)
        large = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert large < 50 * 1024 * 1024
    assert large < 2 * small + 2 * 1024 * 1024  # memory does not grow with the number of reports
