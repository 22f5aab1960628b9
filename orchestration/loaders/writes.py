"""How the loaders write: rows converted to a table's own types, and a transaction that leaves both or neither."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb

from sources.rows import to_arrow


def utc_now() -> datetime:
    """The time the loaders record (UTC, naive: DuckDB's timestamp)."""
    return datetime.now(UTC).replace(tzinfo=None)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert rows by column name, converted to the table's types first (a value it cannot hold fails here)."""
    if not rows:
        return
    schema = con.execute(f"select * from {table} limit 0").arrow().schema
    arrow = to_arrow(rows, schema, table)  # noqa: F841 (read by DuckDB)
    con.execute(f"insert into {table} by name select * from arrow")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
