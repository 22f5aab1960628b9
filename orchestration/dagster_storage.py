"""Dagster's SQLite run and event storage, with one connection pool per process (named in `dagster.yaml`).

Dagster's own SQLite storages create a new engine and connection for every read and write, and the default
layout writes each event twice (the run's own file and a cross-run index): a `dxw run` stores 400-550 events,
and on a shared disk each of those commits waited for its own fsync (200 log events: 7.5 s against 0.1 s here,
measured). These subclasses keep Dagster's tables and queries as they are and change how they connect: one
pooled engine per process, all events in one file (Dagster's consolidated event log), and `synchronous=normal`
on Dagster's WAL-mode files (a commit is durable at the next checkpoint: a power cut can lose a run's last events,
never corrupt the file). The webserver and daemon of `dxw ui` read the same files through the same classes.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.consolidated_sqlite_event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


class _Engines:
    """One SQLAlchemy engine per database file and process (a forked child makes its own)."""

    _lock = threading.Lock()
    _engines: dict[tuple[int, str], sa.engine.Engine] = {}

    @classmethod
    def get(cls, conn_string: str) -> sa.engine.Engine:
        key = (os.getpid(), conn_string)
        with cls._lock:
            engine = cls._engines.get(key)
            if engine is None:
                engine = sa.create_engine(
                    conn_string,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                sa.event.listen(engine, "connect", _pragmas)
                cls._engines[key] = engine
            return engine

    @classmethod
    def dispose(cls, conn_string: str) -> None:
        with cls._lock:
            engine = cls._engines.pop((os.getpid(), conn_string), None)
        if engine is not None:
            engine.dispose()


def _pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("pragma synchronous = normal")


@contextlib.contextmanager
def _transaction(conn_string: str) -> Iterator[sa.Connection]:
    with _Engines.get(conn_string).connect() as conn, conn.begin():
        yield conn


class PooledSqliteEventLogStorage(ConsolidatedSqliteEventLogStorage):
    """Dagster's consolidated SQLite event log (`<base_dir>/event_log.db`), on a pooled engine."""

    @contextlib.contextmanager
    def _connect(self):
        with _transaction(self._conn_string) as conn:
            yield conn

    def has_asset_key_col(self, column_name: str) -> bool:
        """Dagster asks this (a schema reflection) for every asset check result; a column once there stays there
        (a missing one may be added by a migration in another process, so only a yes is kept)."""
        known = self.__dict__.setdefault("_asset_key_cols", set())
        if column_name not in known and super().has_asset_key_col(column_name):
            known.add(column_name)
        return column_name in known

    def dispose(self) -> None:
        super().dispose()
        _Engines.dispose(self._conn_string)


class PooledSqliteRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage (`<base_dir>/runs.db`), on a pooled engine."""

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **config_value)  # the base class names itself here, not cls

    @contextlib.contextmanager
    def connect(self):
        with _transaction(self._conn_string) as conn:
            yield conn

    def dispose(self) -> None:
        super().dispose()
        _Engines.dispose(self._conn_string)
