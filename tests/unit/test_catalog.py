"""One source of truth: the indicator catalogue drives the extractor, the dbt seed and the expectations.
These tests fail when any of them drifts from it (or from the extraction contract)."""

import csv
import json
import re
from pathlib import Path

import yaml

import expectations
from sources import catalog
from sources.extract import indicators
from tests.conftest import dbt_models

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "spec" / "indicators.csv"


def test_every_indicator_has_cues_and_every_cue_an_indicator():
    assert set(catalog.indicator_cues()) == set(catalog.indicators())
    assert {r.code for r in indicators.rules()} == set(catalog.indicators())


def test_the_dbt_seed_is_the_catalogue_file():
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))
    seed_dirs = [(REPO / "dbt_project" / p).resolve() for p in project["seed-paths"]]
    assert catalog.CATALOG_DIR in seed_dirs
    seed_columns = project["seeds"]["dx_warehouse"]["indicators"]["+column_types"]
    with open(catalog.CATALOG_DIR / "indicators.csv", encoding="utf-8") as f:
        assert list(seed_columns) == next(csv.reader(f))


def test_the_catalogue_matches_the_extraction_contract():
    if not SPEC.exists():  # the contract file is next to this checkout in development and CI
        return
    with open(SPEC, encoding="utf-8") as f:
        spec = {r["code"]: r for r in csv.DictReader(f)}
    ours = catalog.indicators()
    assert set(spec) == set(ours)
    for code, row in spec.items():
        assert (ours[code].unit, ours[code].domain, ours[code].name_en) == (
            row["unit"],
            row["domain"],
            row["name_en"],
        )


def test_rate_and_whole_links_point_to_catalogue_codes():
    ours = catalog.indicators()
    for ind in ours.values():
        assert ind.rate_of in (None, *ours)
        assert ind.whole_code in (None, *ours)
        if ind.rate_of:
            assert ind.unit == "percent" and ours[ind.rate_of].unit == "count"


def test_expectations_read_columns_the_dbt_model_has_and_codes_the_catalogue_has():
    """The suites validate int_observation_rule_inputs. The columns they name are those of the model's contract in
    dbt's manifest (enforced: dbt refuses to build the model when its SQL gives other columns or types); the
    indicator codes its SQL compares with (literals, which the manifest holds only as SQL text) are codes of the
    catalogue."""
    model = dbt_models("intermediate")["int_observation_rule_inputs"]
    assert model["config"]["contract"]["enforced"], "the rule inputs' columns are a contract: dbt checks them"
    assert expectations.referenced_columns() <= set(model["columns"])
    sql = model["raw_code"]
    listed = " ".join(re.findall(r"indicator_code in \(([^)]*)\)", sql))
    codes = set(re.findall(r"indicator_code = '(\w+)'", sql)) | set(re.findall(r"'(\w+)'", listed))
    assert codes and codes <= set(catalog.indicators())


def test_suites_are_valid_json_with_a_rule_per_expectation():
    rules = [r[1] for r in expectations.rules()]
    assert len(rules) == len(set(rules))
    for name in expectations.SUITES:
        suite = json.loads((expectations.SUITE_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert suite["meta"]["severity"] in {"error", "warning"}
