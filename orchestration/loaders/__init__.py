"""Loaders: the only Python that writes warehouse tables (dbt writes the rest), one module per stage.

schema.py             the tables written outside dbt (raw, quality, publish) and their migrations
landed_files.py       ingest: raw.files and raw.reports, from the landing folder
extracted_facts.py    extraction: raw.extractions, the fact tables and raw.observations_previous
corrections_file.py   raw.corrections, from the analysts' correction file
validation_results.py quality.*: the flags and the audit rows of a Great Expectations validation
publications.py       publish.publications: when each publication happened, for the quality step to read
writes.py             how they write: rows in a table's own types, in one transaction

Not here: what becomes of a file (sources/file_fate.py), extraction itself (sources/, orchestration/cluster.py),
Dagster (orchestration/assets/ calls these with a connection held under the writer lock).
"""
