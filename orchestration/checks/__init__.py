"""Asset checks that are not dbt tests: the Great Expectations rules, one check per rule (rule_checks.py).

Not here: the rules (expectations/), the validation that records their results (orchestration/assets/quality.py),
dbt's tests (one check per model, orchestration/assets/dbt.py).
"""
