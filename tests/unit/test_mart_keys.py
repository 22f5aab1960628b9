"""Every published mart declares a key that dbt tests (issue 17.6, 13.4): a column tested `unique` and `not_null`,
or a `unique_combination` (which also refuses a null in any of its columns). A duplicate id then fails the
model's `dbt_tests` check instead of reaching BI tools unnoticed; tests/integration/test_integrity_run.py checks the
same keys on a published warehouse."""

from tests.conftest import REPO, mart_keys


def test_every_mart_has_a_tested_key():
    models = {p.stem for p in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql")}
    keys = mart_keys()
    assert models - set(keys) == set(), "marts without a unique + not_null key in their YAML"
