"""Serving: the published read-only copy for BI tools, its Parquet files, docs and the HTML report."""
