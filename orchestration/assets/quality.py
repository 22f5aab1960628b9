"""Quality: the Great Expectations suites run on the observations before the marts are built.

The flags they produce are what `fct_indicator_observations` marks and what `fct_indicator_values` leaves
out (quarantine, not deletion). Every result is kept in `quality.expectation_results` (the audit table) and
in the GX Data Docs under the data folder; the checks on `fct_indicator_observations` report them.
"""

import json
from datetime import UTC, datetime

import dagster as dg

import expectations
from orchestration.assets.ingest import RETRY
from orchestration.resources import WarehouseResource

FLAGS_KEY = dg.AssetKey(["quality", "observation_flags"])
RULE_INPUTS = dg.AssetKey(["int_observation_rule_inputs"])

QUALITY_DDL = """
create schema if not exists quality;
create table if not exists quality.observation_flags (
    observation_id varchar, report_version_id varchar, rule varchar, severity varchar, run_id varchar,
    flagged_at timestamp);
create table if not exists quality.expectation_results (
    run_id varchar, validated_at timestamp, suite varchar, rule varchar, rule_number integer, severity varchar,
    description varchar, success boolean, element_count bigint, failing_count bigint,
    new_observations bigint, new_failing bigint, failing_rows json, docs_path varchar);
"""


def ensure_quality_schema(con) -> None:
    con.execute(QUALITY_DDL)


@dg.asset(
    key=FLAGS_KEY,
    deps=[RULE_INPUTS],
    group_name="quality",
    retry_policy=RETRY,
    op_tags={"dxw/writer": "warehouse"},
    description="Observations that break a hard rule or raise a warning, per rule (Great Expectations).",
)
def observation_flags(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.writing(context) as con:
        ensure_quality_schema(con)
        frame = con.execute("select * from intermediate.int_observation_rule_inputs").df()
        new_ids = {
            r[0]
            for r in con.execute(
                """select o.report_version_id || ':' || lpad(cast(o.seq as varchar), 4, '0')
               from raw.observations o join raw.extractions e using (report_version_id)
               where e.run_id = ?""",
                [context.run_id],
            ).fetchall()
        }
    context.log.info(f"validating {len(frame)} observations against {len(expectations.rules())} rules")
    results = expectations.validate(frame, docs_dir=warehouse.gx_docs_dir)
    evidence = dict(
        zip(
            frame["observation_id"],
            zip(
                frame["report_id"],
                frame["evidence"],
                frame.get("conflicting_evidence", frame["evidence"]),
                strict=False,
            ),
            strict=False,
        )
    )
    versions = dict(zip(frame["observation_id"], frame["report_version_id"], strict=False))
    now = datetime.now(UTC).replace(tzinfo=None)
    flags, audit = [], []
    docs_index = warehouse.gx_docs_dir / "index.html"
    for r in results:
        for oid in r.failing_ids:
            flags.append((oid, versions.get(oid), r.rule, r.severity, context.run_id, now))
        rows = []
        for oid in r.failing_ids[:50]:
            report_id, sentence, other = evidence.get(oid, (None, None, None))
            row = {"observation_id": oid, "report_id": report_id, "evidence": sentence}
            if r.rule == "r8_reports_agree":
                row["conflicting_evidence"] = other
            rows.append(row)
        new_failing = sum(1 for oid in r.failing_ids if oid in new_ids)
        audit.append(
            (
                context.run_id,
                now,
                r.suite,
                r.rule,
                r.rule_number,
                r.severity,
                r.description,
                r.success,
                r.element_count,
                r.failing_count,
                len(new_ids),
                new_failing,
                json.dumps(rows, ensure_ascii=False),
                str(docs_index),
            )
        )
    with warehouse.writing(context) as con:
        con.execute("begin")
        con.execute("delete from quality.observation_flags")
        if flags:
            con.executemany("insert into quality.observation_flags values (?, ?, ?, ?, ?, ?)", flags)
        con.executemany(
            "insert into quality.expectation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", audit
        )
        con.execute("commit")
    failed = [r for r in results if not r.success]
    return dg.MaterializeResult(
        metadata={
            "observations_validated": len(frame),
            "new_observations": len(new_ids),
            "rules_failed": len(failed),
            "flags": len(flags),
            "quarantined": len({f[0] for f in flags if f[3] == "error"}),
            "data_docs": dg.MetadataValue.url(docs_index.as_uri()),
        }
    )
