"""Shared fixtures: the shipped samples, the shared corpus (when this checkout sits next to it)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sources" / "samples" / "reports"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

# The contract's fields (spec/observations.md, spec/directives.md), stated here once for every test
OBSERVATION_FIELDS = [
    "report_id",
    "geo_code",
    "geo_level",
    "geo_name",
    "indicator",
    "value",
    "denominator",
    "unit",
    "period",
    "qualifier",
    "evidence",
]
DOCUMENT_FIELDS = ["report_id", "doc_type", "number", "issuer", "issued_on", "evidence"]
INSTRUCTION_FIELDS = ["report_id", "geo_code", "issued_by", "assignees", "action", "deadline", "evidence"]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not next to this checkout ({CORPUS})")
    return CORPUS
