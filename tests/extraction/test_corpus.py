"""Extraction scored on the real reports of the shared corpus by the shared scorer, and the contract that
`dxw extract` prints. The thresholds are the product's quality bar; the unit tests and the held-out
evaluation (see the README) are what say the rules generalise."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sources.reports import contract_lines, extract_path
from tests.conftest import DOCUMENT_FIELDS, INSTRUCTION_FIELDS, OBSERVATION_FIELDS

REPO = Path(__file__).resolve().parents[2]
OBS_FIELDS = set(OBSERVATION_FIELDS)
DOC_FIELDS = set(DOCUMENT_FIELDS)
INS_FIELDS = set(INSTRUCTION_FIELDS)


def _score(corpus: Path, tmp: Path, sets: tuple[str, ...] = ("seeds", "dev")) -> dict:
    obs, dirs = tmp / "pred.jsonl", tmp / "pred_dir.jsonl"
    with open(obs, "w", encoding="utf-8") as o, open(dirs, "w", encoding="utf-8") as d:
        for path in [p for s in sets for p in sorted((corpus / s).glob("*.txt"))]:
            extracted = extract_path(path)
            for line in contract_lines(extracted.extraction, extracted.file_hash):
                (o if line["kind"] == "observation" else d).write(json.dumps(line, ensure_ascii=False) + "\n")
    gold, gold_dir = tmp / "gold.jsonl", tmp / "gold_dir.jsonl"
    gold.write_text("".join((corpus / "gold" / f"{s}.jsonl").read_text() for s in sets))
    gold_dir.write_text("".join((corpus / "gold" / f"{s}_directives.jsonl").read_text() for s in sets))
    scorer = corpus.parent / "tools" / "score_extraction.py"
    out = subprocess.run(
        [
            sys.executable,
            str(scorer),
            str(gold),
            str(obs),
            "--directives",
            str(gold_dir),
            str(dirs),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_corpus_scores_meet_the_quality_bar(corpus_dir, tmp_path):
    result = _score(corpus_dir, tmp_path)
    obs, docs, ins = (
        result["observations"],
        result["directives"]["documents"],
        result["directives"]["instructions"],
    )
    assert obs["precision"] >= 0.95 and obs["recall"] >= 0.90, obs
    assert docs["precision"] >= 0.95 and docs["recall"] >= 0.95, docs
    assert ins["recall"] >= 0.75, ins


def test_dev2_observations_stay_above_their_floor(corpus_dir, tmp_path):
    """dev2 was tuned on by folds (README, Extraction): a floor just under today's score (P .947, R .928), so a
    rule that costs these reports fails here. The blind fold scores are the evidence of generalising, not this."""
    obs = _score(corpus_dir, tmp_path, ("dev2",))["observations"]
    assert obs["precision"] >= 0.93 and obs["recall"] >= 0.91, obs


def test_held_out_dev2_directives_stay_above_their_floor(corpus_dir, tmp_path):
    """dev2 is the held-out set (tuned by folds): a floor just under today's score, so a rule that only fits
    seeds/dev and costs the unseen reports fails here. Raise it as the folds' blind scores rise."""
    result = _score(corpus_dir, tmp_path, ("dev2",))
    docs, ins = result["directives"]["documents"], result["directives"]["instructions"]
    assert docs["precision"] >= 0.95 and docs["recall"] >= 0.80, docs
    assert ins["precision"] >= 0.45 and ins["recall"] >= 0.65, ins


def test_dxw_extract_prints_contract_json_lines(corpus_dir):
    files = sorted(str(p) for p in (corpus_dir / "dev").glob("*.txt"))[:8]
    out = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "extract", *files],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    kinds = {line["kind"] for line in lines}
    assert kinds == {"observation", "document", "instruction"}
    for line in lines:
        required = {"observation": OBS_FIELDS, "document": DOC_FIELDS, "instruction": INS_FIELDS}[line["kind"]]
        assert required <= set(line), line
        assert {"file_hash", "extractor_version", "char_start", "char_end"} <= set(line)
        assert line["evidence"]
        if line["kind"] == "observation":
            assert isinstance(line["value"], int | float)
            assert line["geo_level"] in {"national", "province", "district", "commune"}


def test_evidence_offsets_point_at_the_evidence(corpus_dir):
    from sources.extract.text import normalize
    from sources.readers import read_report

    for path in sorted((corpus_dir / "seeds").glob("*.txt")):
        text = normalize(read_report(path).text)
        for line in contract_lines(extract_path(path).extraction, "x"):
            assert text[line["char_start"] : line["char_end"]] == line["evidence"]


def test_a_rejected_file_is_reported_not_crashed_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "extract", str(empty)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert out.returncode == 1
    assert "rejected: empty file" in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize("name", ["EXPECTED.jsonl"])
def test_shipped_samples_are_extracted_as_their_author_annotated_them(name, tmp_path):
    """The sample reports were written and annotated by someone other than the rules' author."""
    expected = [json.loads(line) for line in (REPO / "sources" / "samples" / name).read_text().splitlines()]
    want = {
        (
            e["report_id"],
            e["geo_code"],
            e.get("geo_level") or "province",
            e["indicator"],
            round(e["value"], 2),
        )
        for e in expected
        if "indicator" in e
    }
    got = set()
    for path in sorted((REPO / "sources" / "samples" / "reports").glob("*.txt")):
        for line in contract_lines(extract_path(path).extraction, "x"):
            if line["kind"] == "observation":
                got.add(
                    (
                        line["report_id"],
                        line["geo_code"],
                        line["geo_level"],
                        line["indicator"],
                        round(line["value"], 2),
                    )
                )
    recall = len(want & got) / len(want)
    precision = len(want & got) / len(got)
    assert recall >= 0.95 and precision >= 0.95, (sorted(want - got)[:5], sorted(got - want)[:5])
