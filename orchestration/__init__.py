"""Dagster orchestration of dx-warehouse: thin assets around `sources`, dbt and Great Expectations."""
