"""Thin Dagster wrappers around each stage: ingest, extract, dbt models, quality, publish."""
