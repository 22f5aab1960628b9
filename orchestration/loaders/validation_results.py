"""quality.*: what one Great Expectations validation leaves in the warehouse, written in one transaction.

quality.observation_flags    one row per figure and rule it breaks (the marts quarantine or warn from these)
quality.expectation_results the audit table: one row per validation and rule, over every current figure
quality.validated_versions  the report versions (and their extraction time) the flags are current for
quality.validation_state    the rules' and models' digest the flags were computed with

Not here: which figures a run validates and the validation itself (orchestration/assets/quality.py,
expectations/), the DDL (schema.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

import expectations
from orchestration.loaders.publications import last_published_at
from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.writes import transaction

RULE_INPUTS_TABLE = "intermediate.int_observation_rule_inputs"
SAMPLE = 50  # failing rows kept per rule in the audit table
FLAGS_SCHEMA = pa.schema(
    [
        ("observation_id", pa.string()),
        ("report_version_id", pa.string()),
        ("rule", pa.string()),
        ("severity", pa.string()),
        ("run_id", pa.string()),
        ("flagged_at", pa.timestamp("us")),
    ]
)


@dataclass
class RecordedValidation:
    audit: list[tuple]  # this validation's rows of quality.expectation_results
    flagged: dict[str, int]  # severity → figures flagged, over every current figure
    audit_rows: int  # rows of the audit table, every validation


def unpublished_observation_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Observations of current report versions extracted since the last publish: the "new" figures whose
    share of hard-rule failures decides a systemic failure. Counting since the last publish, not within one run,
    keeps a held-back batch held back on the next run until it is fixed, withdrawn or let through. The ids come
    from the staging model that builds them (one place: the fact_id macro)."""
    since = last_published_at(con)
    rows = con.execute(
        """select o.observation_id
           from staging.stg_extraction__observations o
           join raw.extractions e using (report_version_id)
           join raw.files f on f.report_version_id = o.report_version_id and f.status = 'loaded'
           where e.extracted_at > coalesce(?, timestamp '1900-01-01')""",
        [since],
    ).fetchall()
    return {r[0] for r in rows}


def record_validation(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    now: datetime,
    frame: pd.DataFrame,
    results: list[expectations.RuleResult],
    *,
    everything: bool,
    digest: str,
    current: int,
    scope: str,
) -> RecordedValidation:
    """The flags of the validated figures replaced (all of them when `everything`), figures no longer current
    unflagged, and one audit row per rule."""
    ensure_schema(con)
    versions = dict(zip(frame["observation_id"], frame["report_version_id"], strict=False))
    flags = pa.Table.from_pylist(  # noqa: F841 (read by DuckDB)
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
        schema=FLAGS_SCHEMA,
    )
    validated = pa.table(  # noqa: F841 (read by DuckDB)
        {"observation_id": pa.array(frame["observation_id"].astype(str), pa.string())}
    )
    with transaction(con):
        if everything:
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
        audit = _audit_rows(con, run_id, now, current, len(frame), scope, pages)
        con.executemany(
            """insert into quality.expectation_results (run_id, validated_at, suite, rule, rule_number, severity,
                   description, success, element_count, failing_count, new_observations, new_failing, failing_rows,
                   docs_path, validated_count, scope)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            audit,
        )
    flagged = dict(
        con.execute(
            "select severity, count(distinct observation_id) from quality.observation_flags group by 1"
        ).fetchall()
    )
    audit_rows = con.execute("select count(*) from quality.expectation_results").fetchone()[0]
    return RecordedValidation(audit, flagged, audit_rows)


def _plain(value: object) -> object:
    """A frame's cell as JSON: numbers as numbers, missing as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value if isinstance(value, bool | int | float | str) else str(value)


def _audit_rows(con, run_id, now, current, validated, scope, pages) -> list[tuple]:
    """One row per rule, over every current figure: the flags this run gave and the ones carried forward; `pages`
    holds each suite's Data Docs page of this run (none when it validated nothing)."""
    new_ids = unpublished_observation_ids(con)
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
