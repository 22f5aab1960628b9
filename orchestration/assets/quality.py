"""Quality: the Great Expectations suites run on the observations before the marts are built.

The flags they produce are what `fct_indicator_observations` marks and what `fct_indicator_values` leaves
out (quarantine, not deletion). Every result is kept in `quality.expectation_results` (the audit table) and
in the GX Data Docs under the data folder; the checks on `fct_indicator_observations` report them.

A run validates the figures that the report versions extracted, superseded or withdrawn since the last
validation can affect (`expectations/sql/validation_scope.sql`); every other figure keeps its flags. The
daily refresh (run tag `dxw/validate=all`), a change of the rules or of the models, and a first run validate
every figure. The figures "new" since the last publish are counted from `publish.publications`, the table the
publish step records each publication in (orchestration/loaders/publications.py).

Not here: the tables' DDL and the writes (orchestration/loaders/validation_results.py), the rules themselves
(expectations/), the checks that report them (orchestration/checks/).
"""

import dagster as dg

import expectations
from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.jobs import FULL_VALIDATION_TAG
from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.validation_results import RULE_INPUTS_TABLE, record_validation
from orchestration.loaders.writes import utc_now
from orchestration.resources import WarehouseResource
from orchestration.up_to_date import code_digest

FLAGS_KEY = dg.AssetKey(["quality", "observation_flags"])
RESULTS_KEY = dg.AssetKey(["quality", "expectation_results"])  # the audit table (dbt source of the results mart)
RULE_INPUTS = dg.AssetKey(["int_observation_rule_inputs"])

SCOPE_SQL = (expectations.SUITE_DIR / "sql" / "validation_scope.sql").read_text(encoding="utf-8")


def validation_digest(con) -> str:
    """The rules' and models' digest, with the reviewed corrections: a correction moves figures the changed
    reports' scope does not know of, so a changed correction file validates every figure again."""
    corrections = con.execute(
        """select coalesce(md5(string_agg(r, ';' order by line_number)), '')
           from (select line_number,
                        cast(struct_pack(columns(* exclude (loaded_at, run_id, source_file))) as varchar) as r
                 from raw.corrections)"""
    ).fetchone()[0]
    return f"{code_digest()}:{corrections}"


def full_validation_reason(con, digest: str, tags: dict[str, str]) -> str | None:
    """Why this run must validate every figure, or None when the changed reports' scope is enough."""
    if tags.get(FULL_VALIDATION_TAG) == "all":
        return f"run tag {FULL_VALIDATION_TAG}=all"
    state = con.execute("select code_digest from quality.validation_state").fetchone()
    if state is None:
        return "first validation of this warehouse"
    if state[0] != digest:
        return "the rules, the models, the extractor or the corrections changed since the last validation"
    return None


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            FLAGS_KEY,
            deps=[RULE_INPUTS],
            group_name="quality",
            owners=OWNERS,
            kinds={*PYTHON_KINDS, "great_expectations"},
            description="Observations that break a hard rule or raise a warning, per rule (Great Expectations).",
        ),
        dg.AssetSpec(
            RESULTS_KEY,
            deps=[RULE_INPUTS],
            group_name="quality",
            owners=OWNERS,
            kinds={*PYTHON_KINDS, "great_expectations"},
            description="Every validation's result per rule (the audit table), published as fct_expectation_results.",
        ),
    ],
    name="observation_flags",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
)
def observation_flags(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.writing(context) as con:
        ensure_schema(con)
        digest = validation_digest(con)
        reason = full_validation_reason(con, digest, context.run.tags)
        frame = con.execute(f"select * from {RULE_INPUTS_TABLE}" if reason else SCOPE_SQL).df()
        current = con.execute(f"select count(*) from {RULE_INPUTS_TABLE}").fetchone()[0]
    scope = f"all figures ({reason})" if reason else "figures the reports changed since the last validation can affect"
    context.log.info(
        f"validating {len(frame)} of {current} observations against {len(expectations.rules())} rules: {scope}"
    )
    results = expectations.validate(frame, docs_dir=warehouse.gx_docs_dir) if len(frame) else []
    with warehouse.writing(context) as con:
        recorded = record_validation(
            con,
            context.run.run_id,
            utc_now(),
            frame,
            results,
            everything=bool(reason),
            digest=digest,
            current=current,
            scope=scope,
        )
    audit, totals = recorded.audit, recorded.flagged
    failed = [a for a in audit if not a[7]]
    yield dg.MaterializeResult(
        asset_key=FLAGS_KEY,
        metadata={
            "observations": current,
            "observations_validated": len(frame),
            "scope": scope,
            "rules_failed": len(failed),
            "quarantined": totals.get("error", 0),
            "warned": totals.get("warning", 0),
            "dagster/row_count": sum(totals.values()),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RESULTS_KEY,
        metadata={
            "rules": len(audit),
            "rules_failed": len(failed),
            "data_docs": dg.MetadataValue.url(warehouse.served("data_docs/index.html")),
            "validation_results": dg.MetadataValue.url(warehouse.served("report.html#quality")),
            "dagster/row_count": recorded.audit_rows,
        },
    )
