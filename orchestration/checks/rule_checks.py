"""One Dagster check per Great Expectations rule, on `fct_indicator_observations`, generated from the suites.

The suites ran once in this run (asset `quality/observation_flags`, before the marts, to quarantine); these
checks report that validation: pass/fail with the rule's severity (hard rules ERROR, warnings WARN), the
failing count and the first failing rows with their sentences, and a link to the GX Data Docs. One more
check, `hard_rule_share`, is blocking: when more than DXW_HARD_RULE_LIMIT (5%) of the new observations (extracted
since the last publish) break hard rules, the failure is systemic and the publish step does not run.

Not here: validating (the quality asset does it once per run; checks only read its recorded results).
"""

import json

import dagster as dg

import expectations
from orchestration.assets.metadata import table_preview
from orchestration.assets.quality import FLAGS_KEY
from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.validation_results import unpublished_observation_ids
from orchestration.resources import QualityResource, WarehouseResource

TARGET = dg.AssetKey(["fct_indicator_observations"])
SHARE_CHECK = "hard_rule_share"


def _specs() -> list[dg.AssetCheckSpec]:
    specs = [
        dg.AssetCheckSpec(
            rule,
            asset=TARGET,
            additional_deps=[FLAGS_KEY],
            blocking=False,
            description=f"Rule {number} ({'hard' if severity == 'error' else 'warning'}): {text}",
        )
        for _, rule, number, severity, text in expectations.rules()
    ]
    specs.append(
        dg.AssetCheckSpec(
            SHARE_CHECK,
            asset=TARGET,
            additional_deps=[FLAGS_KEY],
            blocking=True,
            description="Blocks publishing when more than DXW_HARD_RULE_LIMIT of the observations extracted since "
            "the last publish break hard rules (a systemic failure, not one bad report).",
        )
    )
    return specs


@dg.multi_asset_check(specs=_specs(), name="expectation_checks")
def expectation_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, quality: QualityResource):
    with warehouse.writing(context) as con:
        ensure_schema(con)
        run = con.execute(
            "select run_id from quality.expectation_results where run_id = ? limit 1", [context.run.run_id]
        ).fetchone()
        run_id = (
            run[0]
            if run
            else (
                con.execute(
                    "select run_id from quality.expectation_results order by validated_at desc limit 1"
                ).fetchone()
                or [None]
            )[0]
        )
        rows = con.execute(
            """select rule, severity, success, element_count, failing_count, new_observations, new_failing,
                      failing_rows, docs_path
               from quality.expectation_results where run_id = ?""",
            [run_id],
        ).fetchall()
        new_ids = unpublished_observation_ids(con)
        flagged = con.execute("select observation_id from quality.observation_flags where severity = 'error'")
        failing = {r[0] for r in flagged.fetchall()}
        new_total, hard_new = len(new_ids), len(new_ids & failing)
    by_rule = {r[0]: r for r in rows}
    for _, rule, _, severity, _ in expectations.rules():
        level = dg.AssetCheckSeverity.ERROR if severity == "error" else dg.AssetCheckSeverity.WARN
        r = by_rule.get(rule)
        if r is None:
            yield dg.AssetCheckResult(
                check_name=rule,
                asset_key=TARGET,
                passed=False,
                severity=level,
                metadata={"reason": "no validation result recorded"},
            )
            continue
        _, _, success, elements, failing, _, _, failing_rows, docs = r
        sample = json.loads(failing_rows or "[]")[:10]
        compared = list(
            dict.fromkeys(k for s in sample for k in s if k not in {"observation_id", "report_id", "evidence"})
        )
        yield dg.AssetCheckResult(
            check_name=rule,
            asset_key=TARGET,
            passed=bool(success),
            severity=level,
            metadata={
                "failing_count": int(failing),
                "rows_validated": int(elements),
                "validation_run": run_id,
                "first_failing_rows": table_preview(
                    ["report", *compared, "evidence"],
                    [(s.get("report_id"), *(s.get(k) for k in compared), s.get("evidence")) for s in sample],
                ),
                "gx_data_docs": (  # the run's validation page, served with the serving folder
                    dg.MetadataValue.url(warehouse.served(f"data_docs/{docs}")) if docs else dg.MetadataValue.text("-")
                ),
            },
        )
    limit = quality.hard_rule_limit
    share = hard_new / new_total if new_total else 0.0
    yield dg.AssetCheckResult(
        check_name=SHARE_CHECK,
        asset_key=TARGET,
        passed=share <= limit,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "new_observations": int(new_total),
            "new_hard_failures": int(hard_new),
            "share": dg.MetadataValue.float(round(share, 4)),
            "limit": dg.MetadataValue.float(limit),
        },
    )
