"""The schema of `indicator_cues.yml`: the shipped file passes it, and a typo stops the load with a message that
names the rule and the key (a misspelt key would otherwise be a phrasing silently never tried)."""

import re

import pytest
import yaml

from sources import catalog
from sources.catalog import cue_schema
from sources.catalog.cue_schema import CueError
from sources.extract import indicators

GOOD = """
eid_accounts_activated:
  kinds: [count, fraction]
  keywords: [kích hoạt]
  priority: 20
  patterns:
    - '# tài khoản~kích hoạt'
  parents: [eid_accounts_issued]
  examples:
    - text: 'Tỉnh Hà Giang đã kích hoạt 312.450 tài khoản định danh điện tử.'
      value: 312450
  not:
    - 'Tỉnh Hà Giang đã thu nhận 400.000 hồ sơ định danh điện tử.'
"""


def check(text: str) -> dict:
    return cue_schema.validate(yaml.safe_load(text), catalog.indicators())


def refused(text: str) -> str:
    with pytest.raises(CueError) as err:
        check(text)
    return str(err.value)


def test_the_shipped_file_follows_the_schema():
    rules = cue_schema.validate(catalog.indicator_cues(), catalog.indicators())
    assert set(rules) == set(catalog.indicators())


def test_a_well_formed_rule_passes():
    rule = check(GOOD)["eid_accounts_activated"]
    assert rule.kinds == ["count", "fraction"]
    assert rule.examples[0].value == 312450
    assert rule.not_[0].text.startswith("Tỉnh Hà Giang")


def test_an_unknown_key_is_refused_naming_rule_and_key():
    message = refused(GOOD.replace("  patterns:", "  paterns:\n    - '# tài khoản'\n  patterns:"))
    assert "rule 'eid_accounts_activated': unknown key 'paterns'" in message
    assert "allowed: kinds, keywords" in message


def test_an_unknown_key_in_an_example_is_refused():
    message = refused(GOOD.replace("      value: 312450", "      value: 312450\n      indicator: x"))
    assert "rule 'eid_accounts_activated': unknown key 'indicator' (in examples.0)" in message


def test_a_misspelt_kind_is_refused():
    message = refused(GOOD.replace("kinds: [count, fraction]", "kinds: [count, fration]"))
    assert "rule 'eid_accounts_activated', kinds.1: 'fration' is not a kind of figure" in message


def test_a_pattern_that_does_not_compile_is_refused():
    message = refused(GOOD.replace("'# tài khoản~kích hoạt'", "'# tài khoản (?:được~kích hoạt'"))
    assert "rule 'eid_accounts_activated', patterns.0:" in message
    assert "is not a valid regular expression: missing ), unterminated subpattern" in message


def test_a_pattern_without_the_figure_is_refused():
    message = refused(GOOD.replace("'# tài khoản~kích hoạt'", "'tài khoản[^#@]{0,9}kích hoạt'"))
    assert "does not say where the figure is ('#')" in message


def test_an_unknown_indicator_is_refused_as_a_rule_and_as_a_parent():
    message = refused(GOOD.replace("eid_accounts_activated:", "eid_accounts_activate:"))
    assert "rule 'eid_accounts_activate': no such indicator in indicators.csv" in message
    message = refused(GOOD.replace("parents: [eid_accounts_issued]", "parents: [eid_account_issued]"))
    assert "rule 'eid_accounts_activated', parents: 'eid_account_issued' not in indicators.csv" in message


def test_an_example_needs_a_value():
    message = refused(GOOD.replace("      value: 312450\n", ""))
    assert "rule 'eid_accounts_activated', examples.0.value: Field required" in message


def test_every_problem_is_listed_at_once():
    bad = GOOD.replace("kinds: [count, fraction]", "kinds: [cout]").replace("priority: 20", "prority: 20")
    message = refused(bad)
    assert message.startswith("sources/catalog/indicator_cues.yml: 2 problem(s):")


def test_the_extractor_refuses_to_load_a_bad_file(monkeypatch):
    bad = yaml.safe_load(GOOD.replace("  keywords:", "  keyword:"))
    monkeypatch.setattr(catalog, "indicator_cues", lambda: bad)
    indicators.rules.cache_clear()
    try:
        with pytest.raises(CueError, match="unknown key 'keyword'"):
            indicators.rules()
    finally:
        indicators.rules.cache_clear()


@pytest.mark.parametrize(
    ("raw", "spelt"),
    [
        ("[^#@;.]{0,30}", "'~30'"),
        ("[^#@;.,]{0,60}?", "'~,60?'"),
        ("[^#@,;.]{0,12}", "'~,12'"),
        ("[^#;.]{0,40}", "'~@40'"),
        ("(?:(?!trong đó)[^#@;.]){0,50}", "'~!50'"),
        ("[^;.:]{0,10}", "spell it with '~N' and its flags"),
        ("[^#@;.]*", "spell it with '~N' and its flags"),
    ],
)
def test_a_gap_spelt_as_a_raw_class_is_refused_with_its_spelling(raw, spelt):
    message = refused(GOOD.replace("'# tài khoản~kích hoạt'", f"'# tài khoản{raw}kích hoạt'"))
    assert f"a gap is spelt '~N', not {raw!r}" in message
    assert spelt in message


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("a~10b", "a xyz b", "a x; b"),
        ("a~10b", "a xyz b", "a @ b"),
        ("a~,10b", "a xyz b", "a x, b"),
        ("a~@10b", "a @ b", "a x. b"),
        ("a~!20b", "a x y b", "a trong đó b"),
        ("a~b", "a, x b", "a trong đó b"),
        ("a~~b", "a " + "x" * 90 + " b", "a " + "x" * 101 + " b"),
    ],
)
def test_the_gap_notation(pattern, matches, misses):
    regex = re.compile(cue_schema.expand(pattern))
    assert regex.search(matches)
    assert not regex.search(misses)


def test_a_shortest_gap_ends_the_match_early():
    assert re.search(cue_schema.expand("#~30?x"), "# ax bx").group() == "# ax"
    assert re.search(cue_schema.expand("#~30x"), "# ax bx").group() == "# ax bx"
