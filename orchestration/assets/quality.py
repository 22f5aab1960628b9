"""Quality: the Great Expectations suites run on the observations before the marts are built.

The flags they produce are what `fct_indicator_observations` marks and what `fct_indicator_values` leaves
out (quarantine, not deletion). Every result is kept in `quality.expectation_results` (the audit table) and
in the GX Data Docs under the data folder; the checks on `fct_indicator_observations` report them.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd

import expectations
from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
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


def last_published_at(serving_dir: Path) -> datetime | None:
    """When the serving copy was last published (UTC, naive), from the note publish writes beside it."""
    try:
        note = json.loads((serving_dir / "parquet" / "_publication.json").read_text(encoding="utf-8"))
        return datetime.fromisoformat(note["published_at"])
    except (OSError, ValueError, KeyError):
        return None


def unpublished_observation_ids(con, serving_dir: Path) -> set[str]:
    """Observations of current report versions extracted since the last publish: the "new" figures whose
    share of hard-rule failures decides a systemic failure. Counting since the last publish, not within one run,
    keeps a held-back batch held back on the next run until it is fixed, withdrawn or let through."""
    since = last_published_at(serving_dir)
    rows = con.execute(
        """select o.report_version_id || ':' || lpad(cast(o.seq as varchar), 4, '0')
           from raw.observations o
           join raw.extractions e using (report_version_id)
           join raw.files f on f.report_version_id = o.report_version_id and f.status = 'loaded'
           where e.extracted_at > coalesce(?, timestamp '1900-01-01')""",
        [since],
    ).fetchall()
    return {r[0] for r in rows}


def _plain(value: object) -> object:
    """A frame's cell as JSON: numbers as numbers, missing as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value if isinstance(value, bool | int | float | str) else str(value)


@dg.asset(
    key=FLAGS_KEY,
    deps=[RULE_INPUTS],
    group_name="quality",
    retry_policy=RETRY,
    op_tags=WRITER_TAGS,
    owners=OWNERS,
    kinds={*PYTHON_KINDS, "great_expectations"},
    description="Observations that break a hard rule or raise a warning, per rule (Great Expectations).",
)
def observation_flags(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.writing(context) as con:
        ensure_quality_schema(con)
        frame = con.execute("select * from intermediate.int_observation_rule_inputs").df()
        new_ids = unpublished_observation_ids(con, warehouse.serving_dir)
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
    by_id = frame.drop_duplicates("observation_id").set_index("observation_id", drop=False)
    now = datetime.now(UTC).replace(tzinfo=None)
    flags, audit = [], []
    docs_index = warehouse.gx_docs_dir / "index.html"
    for r in results:
        for oid in r.failing_ids:
            flags.append((oid, versions.get(oid), r.rule, r.severity, context.run.run_id, now))
        rows = []
        for oid in r.failing_ids[:50]:
            report_id, sentence, other = evidence.get(oid, (None, None, None))
            row = {"observation_id": oid, "report_id": report_id, "evidence": sentence}
            row |= {c: _plain(by_id.at[oid, c]) for c in r.columns if c in by_id.columns and oid in by_id.index}
            if r.rule == "r8_reports_agree":
                row["conflicting_evidence"] = other
            rows.append(row)
        new_failing = sum(1 for oid in r.failing_ids if oid in new_ids)
        audit.append(
            (
                context.run.run_id,
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
