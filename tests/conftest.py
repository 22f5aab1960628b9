"""Shared fixtures: the shipped samples, the shared corpus (when this checkout sits next to it).

A user's clone has no `../shared`: the tests that need the corpus skip, saying why. CI always has it, so under
`CI=true` a missing corpus fails those tests instead of letting them pass as skipped.
"""

import os
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


def require_corpus() -> Path:
    """The shared corpus, or a skip (a fresh clone) / a failure (CI, where it must be present)."""
    if not CORPUS.is_dir():
        message = f"the shared corpus is not next to this checkout ({CORPUS})"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return require_corpus()
