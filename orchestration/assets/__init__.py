"""Thin Dagster wrappers around each stage: ingest, extract, dbt models, quality, publish.

An asset here opens the warehouse under the writer lock, calls its stage and reports metadata. Not here: SQL that
writes tables (orchestration/loaders/), decisions about files or figures (sources/), SQL models (dbt_project/).
"""
