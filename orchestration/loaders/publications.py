"""publish.publications: one row per publication of the serving copy, written by publish, read by quality.

The quality step counts the figures extracted since the last publication as "new" (the blocking check's share).
It reads that time here, in the working warehouse, rather than from a file the publish step leaves in the
serving folder: the steps share the warehouse, and the serving folder stays publish's own. A publish that
copies nothing (no mart changed) is no publication: the snapshot, and its time, stay.

Not here: the publish itself (orchestration/serving/snapshot.py).
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.loaders.schema import ensure_schema


def record_publication(
    con: duckdb.DuckDBPyConnection, run_id: str, published_at: datetime, changed: list[str], location: str
) -> None:
    ensure_schema(con)
    con.execute("insert into publish.publications values (?, ?, ?, ?)", [run_id, published_at, changed, location])


def last_published_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the serving copy was last published (UTC, naive); None before the first publication."""
    ensure_schema(con)
    return con.execute("select max(published_at) from publish.publications").fetchone()[0]
