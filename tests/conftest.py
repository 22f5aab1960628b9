"""Shared fixtures: the shipped samples, the shared corpus (when this checkout sits next to it)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sources" / "samples" / "reports"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not next to this checkout ({CORPUS})")
    return CORPUS
