"""Every dbt model declares a key that dbt tests (issue 17.6, 13.4): a column tested `unique` and `not_null`, or a
`unique_combination` (which also refuses a null in any of its columns), in staging and intermediate as in the
marts. A duplicate id then fails at the model that makes it, in the step that builds it, instead of showing up
marts later (or in BI tools); tests/integration/test_integrity_run.py checks the marts' keys on a published
warehouse. The models and their tests are read from dbt's manifest, not from a list kept here."""

from tests.conftest import REPO, dbt_models, model_keys


def test_the_manifest_holds_every_model_file():
    files = {p.stem for p in (REPO / "dbt_project" / "models").rglob("*.sql")}
    assert set(dbt_models()) == files


def test_every_model_has_a_tested_key():
    keys = model_keys()
    for layer in ("staging", "intermediate", "marts"):
        models = set(dbt_models(layer))
        assert models, layer
        assert models - set(keys) == set(), f"{layer} models without a unique + not_null key in their YAML"
