"""The Great Expectations suites, run for real (GX 1.x on a pandas frame) on crafted rule inputs: one row that
breaks each rule, and rows that sit exactly on each boundary and must pass. The end-to-end side (reports →
extraction → dbt → checks → quarantine) is in tests/integration/test_expectations.py."""

import pandas as pd
import pytest

import expectations

GOOD = {
    "value": 100.0,
    "eligible_limit": 100.0,  # equal is allowed
    "issued_limit": None,
    "denominator": 100.0,
    "percent_value": None,
    "rank_value": None,
    "count_value": 100.0,
    "whole_remainder": 0.0,
    "rate_gap": 1.0,  # within one point, inclusive: 77.77 printed as 77 is consistent
    "services_total": 10.0,
    "services_parts_sum": 10.0,
    "unlisted_geo_key": None,
    "geo_valid_from": pd.Timestamp("2008-08-01"),
    "geo_valid_to": pd.Timestamp("2025-06-30"),
    "achieved_period_start": pd.Timestamp("2024-01-01"),
    "achieved_period_end": pd.Timestamp("2024-12-31"),
    "report_date": pd.Timestamp("2025-01-15"),
    "previous_value": None,
    "conflicting_value": None,
    "province_sum": None,
}
# good rows that sit exactly on the boundaries of the warnings (equal is allowed)
# and a figure whose place the text never says (issue 17.11b): flagged is_place_unknown, no rule broken
BOUNDARIES = [
    {"previous_value": 100.0},
    {"province_sum": 100.0},
    {"issued_limit": 100.0},
    {"geo_valid_from": None, "geo_valid_to": None},
]

BROKEN = {
    "r1_activated_within_eligible": {
        "value": 1_200_000.0,
        "eligible_limit": 980_226.0,
        "issued_limit": None,
        "denominator": None,
        "count_value": 1_200_000.0,
        "previous_value": None,
        "province_sum": None,
    },
    "r1_activated_within_issued": {
        "value": 250.0,
        "issued_limit": 210.0,
        "eligible_limit": None,
        "denominator": None,
        "count_value": 250.0,
        "previous_value": None,
        "province_sum": None,
    },
    "r2_value_within_denominator": {
        "value": 70.0,
        "denominator": 63.0,
        "eligible_limit": None,
        "count_value": None,
        "rank_value": 70.0,
    },
    "r3_percent_in_range": {"percent_value": 135.0, "count_value": None},
    "r3_rank_at_least_one": {
        "rank_value": 0.0,
        "count_value": None,
        "value": 0.0,
        "previous_value": None,
        "province_sum": None,
    },
    "r3_count_not_negative": {"count_value": -5.0, "value": -5.0, "previous_value": None, "province_sum": None},
    "r3_whole_numbers": {"whole_remainder": 0.5},
    "r4_rate_matches_counts": {"rate_gap": 23.5},
    "r5_parts_within_whole": {"services_total": 1_200.0, "services_parts_sum": 1_350.0},
    "r6_place_known": {"unlisted_geo_key": "2008:99", "geo_valid_from": None, "geo_valid_to": None},
    "r6_place_valid_from": {"geo_valid_from": pd.Timestamp("2025-07-01"), "geo_valid_to": None},
    "r6_place_valid_to": {
        "achieved_period_start": pd.Timestamp("2025-09-01"),
        "achieved_period_end": pd.Timestamp("2025-09-30"),
        "report_date": pd.Timestamp("2025-10-02"),
    },
    "r6_period_not_after_report": {
        "achieved_period_start": pd.Timestamp("2025-06-30"),
        "achieved_period_end": pd.Timestamp("2025-06-30"),
        "geo_valid_to": None,
    },
    "r7_cumulative_not_falling": {
        "previous_value": 450_000.0,
        "value": 430_000.0,
        "eligible_limit": None,
        "denominator": None,
        "count_value": 430_000.0,
        "province_sum": None,
    },
    "r8_reports_agree": {"conflicting_value": 33.0},
    "r9_provinces_within_national": {
        "province_sum": 1_300_000.0,
        "value": 1_000_000.0,
        "eligible_limit": None,
        "denominator": None,
        "count_value": 1_000_000.0,
        "previous_value": None,
    },
}


@pytest.fixture(scope="module")
def results():
    rows = [{"observation_id": f"good:{i:04d}", **GOOD, **b} for i, b in enumerate([{}, *BOUNDARIES])]
    rows += [{"observation_id": f"{rule}:0000", **GOOD, **change} for rule, change in BROKEN.items()]
    frame = pd.DataFrame(rows)
    return {r.rule: r for r in expectations.validate(frame)}


def test_every_rule_of_the_suites_has_a_crafted_breaking_row():
    assert {rule for _, rule, *_ in expectations.rules()} == set(BROKEN)


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_rule_fails_on_exactly_its_crafted_row(results, rule):
    result = results[rule]
    assert not result.success
    assert result.failing_ids == [f"{rule}:0000"]
    assert result.element_count == len(BROKEN) + 1 + len(BOUNDARIES)


def test_severity_follows_the_suite():
    severities = {rule: sev for _, rule, _, sev, _ in expectations.rules()}
    assert {r for r, s in severities.items() if s == "warning"} == {
        "r7_cumulative_not_falling",
        "r8_reports_agree",
        "r9_provinces_within_national",
    }


def test_a_clean_frame_passes_every_rule():
    frame = pd.DataFrame([{"observation_id": f"good:{i:04d}", **GOOD} for i in range(3)])
    assert all(r.success and not r.failing_ids for r in expectations.validate(frame))
