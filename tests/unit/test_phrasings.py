"""The extractor on sentences of the project's own writing (`data/phrasings.txt`): other provinces, years and
phrasings than the shared corpus, for each family of the extraction issue (lists of places, pillars, fractions,
online services, what is no figure of a place, sub-units and the 2025 units, periods, tables) and sentences that
must give nothing. Each line was written with its expected reading before the extractor was run on it; they
prove nothing about real reports nobody tuned on (the corpus scores do that), but a rule that stops reading
one of them fails here."""

from pathlib import Path

import pytest

from sources.extract import extract_report

LINES = [
    line
    for line in (Path(__file__).parent / "data" / "phrasings.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def _expected(spec: str) -> set[tuple[str, float, str, str]]:
    if spec.strip() == "-":
        return set()
    out = set()
    for item in spec.split(";"):
        indicator, _, rest = item.strip().partition("=")
        value, _, place = rest.partition("@")
        geo_code, _, level = place.partition("/")
        out.add((indicator, float(value), geo_code, level))
    return out


@pytest.mark.parametrize("line", LINES, ids=[f"line{k + 4}" for k in range(len(LINES))])
def test_a_phrasing_reads_as_written(line):
    spec, _, text = line.partition(" || ")
    got = {(o.indicator, round(o.value, 4), o.geo_code, o.geo_level) for o in extract_report(text, "t").observations}
    assert got == _expected(spec), text


def test_the_file_covers_each_family_and_sentences_that_give_nothing():
    assert len(LINES) >= 150
    assert sum(1 for line in LINES if line.startswith("- ||")) >= 20
