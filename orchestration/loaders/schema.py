"""The tables written outside dbt, and the changes an older warehouse gets (`alter ... if not exists`).

raw.files             every landed file, once: loaded (with any warning), rejected (with the reason), duplicate
                      (of which file), sidecar, withdrawn, removed
raw.reports           one row per report version (a file's content at one hash), with its text
raw.extractions       one row per report version extracted, with the extractor version
raw.observations      figures → indicator observations (contract shape + provenance)
raw.directive_documents  legal documents cited
raw.instructions      instructions to agencies, with deadlines
raw.unmapped_mentions figures that map to no indicator, for analysts
raw.observations_previous  what the extractor version before read, per report version
raw.corrections       the analysts' reviewed correction file, reloaded whole
quality.*             the Great Expectations step's flags, audit rows and what it validated last
publish.publications  one row per publication of the serving copy (what the quality step counts "new" from)

Every loader calls `ensure_schema` before it writes, so any stage can run first on a new warehouse. Not here:
the rows themselves (the other loaders) and anything dbt builds (dbt_project/).
"""

from __future__ import annotations

import duckdb

RAW = """
create schema if not exists raw;
create table if not exists raw.files (
    file_path varchar primary key, report_id varchar, file_hash varchar, content_hash varchar,
    fingerprint varchar, size_bytes bigint, status varchar, reason varchar, report_version_id varchar,
    first_seen_at timestamp, updated_at timestamp, run_id varchar);
alter table raw.files add column if not exists duplicate_of varchar;
alter table raw.files add column if not exists warnings varchar;
create table if not exists raw.reports (
    report_version_id varchar primary key, report_id varchar, file_path varchar, file_hash varchar,
    content_hash varchar, size_bytes bigint, file_format varchar, encoding varchar, title varchar,
    sidecar_province varchar, sidecar_published_date varchar, source_url varchar, text varchar,
    char_count integer, ingested_at timestamp, run_id varchar);
create table if not exists raw.extractions (
    report_version_id varchar primary key, extractor_version varchar, extracted_at timestamp, run_id varchar,
    report_date varchar, report_geo_code varchar, title varchar, observation_count integer,
    document_count integer, instruction_count integer, unmapped_count integer, error varchar,
    post_merger boolean);
alter table raw.extractions add column if not exists post_merger boolean;
create table if not exists raw.observations (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, geo_level varchar, geo_name varchar, indicator varchar, value double,
    denominator double, unit varchar, period varchar, qualifier varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.directive_documents (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    doc_type varchar, number varchar, issuer varchar, issued_on varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.instructions (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, issued_by varchar, assignees varchar[], action varchar, deadline varchar,
    evidence varchar, char_start integer, char_end integer);
create table if not exists raw.unmapped_mentions (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    value double, figure_kind varchar, figure_text varchar, reason varchar, nearby varchar, evidence varchar,
    char_start integer, char_end integer);
create table if not exists raw.observations_previous (
    report_version_id varchar, report_id varchar, file_hash varchar, extractor_version varchar, seq integer,
    geo_code varchar, geo_level varchar, geo_name varchar, indicator varchar, value double,
    denominator double, unit varchar, period varchar, qualifier varchar, evidence varchar,
    char_start integer, char_end integer, replaced_at timestamp, replaced_by varchar);
create table if not exists raw.corrections (
    line_number integer, action varchar, file_hash varchar, report_id varchar, char_start integer,
    char_end integer, evidence varchar, was_indicator varchar, was_value double, indicator varchar,
    value double, denominator double, geo_code varchar, geo_level varchar, geo_name varchar, period varchar,
    qualifier varchar, reason varchar, reviewer varchar, reviewed_at date, source_file varchar,
    loaded_at timestamp, run_id varchar);
alter table raw.corrections add column if not exists clear varchar;
"""

QUALITY = """
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

PUBLISH = """
create schema if not exists publish;
create table if not exists publish.publications (
    run_id varchar, published_at timestamp, marts_changed varchar[], parquet_location varchar);
"""

DDL = RAW + QUALITY + PUBLISH

RENAMED = {"raw.document_refs": "directive_documents"}  # a table of an older warehouse → its name now
# dbt views of the names before (staging, intermediate), left reading a table that is no longer there
RETIRED_VIEWS = ("staging.stg_extraction__document_refs", "intermediate.int_legal_documents_deduplicated")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        f"{s}.{t}"
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    }
    for old, new in RENAMED.items():
        if old in tables and f"{old.split('.')[0]}.{new}" not in tables:
            con.execute(f"alter table {old} rename to {new}")
            for view in RETIRED_VIEWS:
                con.execute(f"drop view if exists {view}")
    con.execute(DDL)
