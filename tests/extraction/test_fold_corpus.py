"""The fast scans on every sentence of the shared corpus: exact, and gated shut for most sentences (the gates
are what make the place cues cheap on real reports)."""

import pytest

from tests.conftest import CORPUS, require_corpus
from tests.unit.test_fold import GATED_KINDS, _all_scans, assert_scan_exact, sentences_of, shut_count


@pytest.fixture(scope="module")
def corpus_sentences() -> list[str]:
    require_corpus()
    return sentences_of(sorted(CORPUS.glob("*/*.txt")))


@pytest.mark.parametrize("scan", _all_scans(), ids=lambda s: s.original.pattern[:40])
def test_a_scan_matches_exactly_what_its_pattern_matches_on_the_corpus(scan, corpus_sentences):
    assert_scan_exact(scan, corpus_sentences)


@pytest.mark.parametrize("kind", GATED_KINDS)
def test_a_gate_shuts_for_most_corpus_sentences(kind, corpus_sentences):
    assert shut_count(kind, corpus_sentences) > len(corpus_sentences) / 2
