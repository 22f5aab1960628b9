"""Quality: the Great Expectations suites run on the observations before the marts are built.

The flags they produce are what `fct_indicator_observations` marks and what `fct_indicator_values` leaves
out (quarantine, not deletion). Every result is kept in `quality.expectation_results` (the audit table) and
in the GX Data Docs under the data folder; the checks on `fct_indicator_observations` report them.

A run validates the figures that the report versions extracted, superseded or withdrawn since the last
validation can affect (`expectations/sql/validation_scope.sql`); every other figure keeps its flags. The
daily refresh (run tag `dxw/validate=all`), a change of the rules or of the models, and a first run validate
every figure.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd
import pyarrow as pa

import expectations
from orchestration.assets.defaults import OWNERS, PYTHON_KINDS, RETRY, WRITER_TAGS
from orchestration.jobs import FULL_VALIDATION_TAG
from orchestration.resources import WarehouseResource
from orchestration.up_to_date import code_digest

FLAGS_KEY = dg.AssetKey(["quality", "observation_flags"])
RESULTS_KEY = dg.AssetKey(["quality", "expectation_results"])  # the audit table (dbt source of the results mart)
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
alter table quality.expectation_results add column if not exists validated_count bigint;
alter table quality.expectation_results add column if not exists scope varchar;
create table if not exists quality.validated_versions (report_version_id varchar, extracted_at timestamp);
create table if not exists quality.validation_state (code_digest varchar, validated_at timestamp, run_id varchar);
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
    keeps a held-back batch held back on the next run until it is fixed, withdrawn or let through. The ids come
    from the staging model that builds them (one place: the fact_id macro)."""
    since = last_published_at(serving_dir)
    rows = con.execute(
        """select o.observation_id
           from staging.stg_extraction__observations o
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


RULE_INPUTS_TABLE = "intermediate.int_observation_rule_inputs"
SCOPE_SQL = (expectations.SUITE_DIR / "sql" / "validation_scope.sql").read_text(encoding="utf-8")
SAMPLE = 50  # failing rows kept per rule in the audit table


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
        ensure_quality_schema(con)
        digest = validation_digest(con)
        reason = full_validation_reason(con, digest, context.run.tags)
        frame = con.execute(f"select * from {RULE_INPUTS_TABLE}" if reason else SCOPE_SQL).df()
        current = con.execute(f"select count(*) from {RULE_INPUTS_TABLE}").fetchone()[0]
    scope = f"all figures ({reason})" if reason else "figures the reports changed since the last validation can affect"
    context.log.info(
        f"validating {len(frame)} of {current} observations against {len(expectations.rules())} rules: {scope}"
    )
    results = expectations.validate(frame, docs_dir=warehouse.gx_docs_dir) if len(frame) else []
    now = datetime.now(UTC).replace(tzinfo=None)
    run_id = context.run.run_id
    versions = dict(zip(frame["observation_id"], frame["report_version_id"], strict=False))
    flags = pa.Table.from_pylist(
        [
            {
                "observation_id": oid,
                "report_version_id": versions.get(oid),
                "rule": r.rule,
                "severity": r.severity,
                "run_id": run_id,
                "flagged_at": now,
            }
            for r in results
            for oid in r.failing_ids
        ],
        schema=pa.schema(
            [
                ("observation_id", pa.string()),
                ("report_version_id", pa.string()),
                ("rule", pa.string()),
                ("severity", pa.string()),
                ("run_id", pa.string()),
                ("flagged_at", pa.timestamp("us")),
            ]
        ),
    )
    validated = pa.table({"observation_id": pa.array(frame["observation_id"].astype(str), pa.string())})
    with warehouse.writing(context) as con:
        con.register("flags", flags)
        con.register("validated", validated)
        con.execute("begin")
        if reason:
            con.execute("delete from quality.observation_flags")
        else:  # the scope's figures get new flags; figures no longer current lose theirs
            con.execute(
                f"""delete from quality.observation_flags
                    where observation_id in (select observation_id from validated)
                       or observation_id not in (select observation_id from {RULE_INPUTS_TABLE})"""
            )
        con.execute("insert into quality.observation_flags by name select * from flags")
        con.execute("delete from quality.validated_versions")
        con.execute(
            f"""insert into quality.validated_versions
                select report_version_id, extracted_at from raw.extractions
                where report_version_id in (select report_version_id from {RULE_INPUTS_TABLE})"""
        )
        con.execute("delete from quality.validation_state")
        con.execute("insert into quality.validation_state values (?, ?, ?)", [digest, now, run_id])
        pages = {r.suite: r.docs_page for r in results}
        audit = _audit_rows(con, run_id, now, current, len(frame), scope, pages, warehouse.serving_dir)
        con.executemany(
            """insert into quality.expectation_results (run_id, validated_at, suite, rule, rule_number, severity,
                   description, success, element_count, failing_count, new_observations, new_failing, failing_rows,
                   docs_path, validated_count, scope)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            audit,
        )
        con.execute("commit")
        totals = dict(
            con.execute(
                "select severity, count(distinct observation_id) from quality.observation_flags group by 1"
            ).fetchall()
        )
        audit_total = con.execute("select count(*) from quality.expectation_results").fetchone()[0]
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
            "dagster/row_count": audit_total,
        },
    )


def _audit_rows(con, run_id, now, current, validated, scope, pages, serving_dir) -> list[tuple]:
    """One row per rule, over every current figure: the flags this run gave and the ones carried forward; `pages`
    holds each suite's Data Docs page of this run (none when it validated nothing)."""
    new_ids = unpublished_observation_ids(con, serving_dir)
    failing: dict[str, list[str]] = {}
    for rule, oid in con.execute(
        f"""select rule, observation_id from quality.observation_flags
            where observation_id in (select observation_id from {RULE_INPUTS_TABLE}) order by rule, observation_id"""
    ).fetchall():
        failing.setdefault(rule, []).append(oid)
    sample_ids = sorted({oid for ids in failing.values() for oid in ids[:SAMPLE]})
    sample = (
        con.execute(f"select * from {RULE_INPUTS_TABLE} where observation_id in (select unnest(?))", [sample_ids])
        .df()
        .drop_duplicates("observation_id")
        .set_index("observation_id", drop=False)
        if sample_ids
        else pd.DataFrame()
    )
    columns = expectations.rule_columns()
    rows = []
    for suite, rule, number, severity, description in expectations.rules():
        ids = failing.get(rule, [])
        shown = []
        for oid in ids[:SAMPLE]:
            if oid not in sample.index:
                continue
            row = {
                "observation_id": oid,
                "report_id": sample.at[oid, "report_id"],
                "evidence": sample.at[oid, "evidence"],
            }
            row |= {c: _plain(sample.at[oid, c]) for c in columns[rule] if c in sample.columns}
            if rule == "r8_reports_agree":
                row["conflicting_evidence"] = _plain(sample.at[oid, "conflicting_evidence"])
            shown.append(row)
        rows.append(
            (
                run_id,
                now,
                suite,
                rule,
                number,
                severity,
                description,
                not ids,
                current,
                len(ids),
                len(new_ids),
                sum(1 for oid in ids if oid in new_ids),
                json.dumps(shown, ensure_ascii=False),
                pages.get(suite),
                validated,
                scope,
            )
        )
    return rows
