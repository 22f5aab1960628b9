"""Every rule of `indicator_cues.yml` proved on its own examples, through the real extractor.

Each `examples` item is read as a one-sentence report (a short passage for an anaphora) by `extract_report`:
the figure with the example's value must be given the rule's indicator (and its qualifier, place, period or
denominator when the example says). Each `not` sentence must give that indicator to none of its figures.
Each phrasing (pattern, anaphora, whole_of_fraction) must also read the figure of one of its rule's examples, so
that no phrasing goes untested. Test ids name the rule: `pytest tests/unit/test_cue_examples.py -k eid_activation_rate`.

An example marked `xfail: <reason>` is a phrasing the extractor misses today; the test fails when it starts to
pass (strict), so that whoever fixed it drops the mark.
"""

import math
import re

import pytest

from sources import catalog
from sources.catalog import cue_schema
from sources.extract import extract_report
from sources.extract.engine import sentence_context
from sources.extract.records import Extraction

RULES = cue_schema.validate(catalog.indicator_cues(), catalog.indicators())


def _marks(item) -> list:
    return [pytest.mark.xfail(reason=item.xfail, strict=True)] if item.xfail else []


EXAMPLES = [
    pytest.param(code, ex, id=f"{code}-example-{n}", marks=_marks(ex))
    for code, rule in RULES.items()
    for n, ex in enumerate(rule.examples, 1)
]
NOTS = [
    pytest.param(code, ex, id=f"{code}-not-{n}", marks=_marks(ex))
    for code, rule in RULES.items()
    for n, ex in enumerate(rule.not_, 1)
]


def read(text: str) -> Extraction:
    return extract_report(text, "cue-example")


def what_it_got(extraction: Extraction, value: float) -> str:
    """What the extractor made of the figures with this value: indicators, or why none (for the failure)."""
    got = [
        f"{o.indicator} (qualifier {o.qualifier}, place {o.geo_code}, period {o.period}, denominator {o.denominator})"
        for o in extraction.observations
        if math.isclose(o.value, value)
    ]
    got += [f"no indicator ({m.reason})" for m in extraction.mentions if math.isclose(m.value, value)]
    return "; ".join(got) or f"no figure {value:g} found in the sentence"


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_has_examples(code):
    rule = RULES[code]
    assert len(rule.examples) >= 2, f"{code}: give at least two examples (a sentence and its value)"
    assert rule.not_, f"{code}: give at least one `not` sentence (a figure that must not be {code})"


@pytest.mark.parametrize(("code", "example"), EXAMPLES)
def test_example(code, example):
    extraction = read(example.text)
    wanted = {
        "indicator": code,
        **{k: getattr(example, k) for k in ("qualifier", "period", "denominator") if getattr(example, k) is not None},
    }
    if example.place is not None:
        wanted["geo_code"] = example.place
    hits = [
        o
        for o in extraction.observations
        if math.isclose(o.value, example.value) and all(getattr(o, k) == v for k, v in wanted.items())
    ]
    assert hits, f"{example.text!r}: {example.value:g} should be {wanted}, got {what_it_got(extraction, example.value)}"


@pytest.mark.parametrize(("code", "example"), NOTS)
def test_not(code, example):
    wrong = [o.value for o in read(example.text).observations if o.indicator == code]
    assert not wrong, f"{example.text!r}: {', '.join(f'{v:g}' for v in wrong)} should not be {code}"


def _views(example) -> list[str]:
    """The views of the example's figure (the sentence with it marked '#'): what the patterns are tried on."""
    ctx = sentence_context(example.text)
    return [
        view
        for reading, view in zip(ctx.figs, ctx.views, strict=True)
        if math.isclose(reading.fig.value, example.value)
        or (reading.fig.denominator is not None and math.isclose(reading.fig.denominator, example.value))
    ]


PHRASINGS = [
    pytest.param(code, field, k, id=f"{code}-{field}-{k + 1}")
    for code, rule in RULES.items()
    for field in ("patterns", "anaphora", "whole_of_fraction")
    for k in range(len(getattr(rule, field)))
]


@pytest.mark.parametrize(("code", "field", "k"), PHRASINGS)
def test_every_phrasing_has_an_example(code, field, k):
    """A phrasing no example reads is untested: each pattern must match the figure of one of its rule's examples."""
    rule = RULES[code]
    pattern = re.compile(cue_schema.expand(getattr(rule, field)[k]))
    views = [v for ex in rule.examples for v in _views(ex)]
    assert any((m := pattern.search(v)) and m.start() <= v.find("#") < m.end() for v in views), (
        f"{code}: no example is read by {field}[{k}] {getattr(rule, field)[k]!r}; add one (a sentence and its value)"
    )
