"""The working DuckDB warehouse: one writer at a time, and connections that wait instead of failing.

DuckDB lets one process write a file, and no other process even read it meanwhile. Two guards:
- `writer_lock()`: an exclusive file lock next to the warehouse. A whole `dxw run` holds it, and so does each
  writing step of a run launched by the daemon, so runs queue behind each other instead of failing on the
  DuckDB lock. It is re-entrant within a process (the in-process executor runs every step in it).
- `connect()`: retries with backoff when another process holds the DuckDB lock for a moment.
Readers (BI tools, `dxw sql`) never open this file: they read the published copy (see `serving/`).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

log = logging.getLogger("dxw.warehouse")
_held: dict[str, int] = {}
_guard = threading.Lock()


@contextlib.contextmanager
def writer_lock(lock_path: Path, poll_seconds: float = 2.0, on_wait=None) -> Iterator[None]:
    """Hold the warehouse's writer lock; wait (and say so) while another run holds it."""
    key = str(lock_path)
    with _guard:
        if _held.get(key):
            _held[key] += 1
            reentrant = True
        else:
            reentrant = False
    if reentrant:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waited = 0.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waited == 0.0 or waited % 30 < poll_seconds:
                    holder = _holder(fd)
                    message = f"warehouse is being written by another run ({holder}); waiting"
                    (on_wait or log.info)(message)
                time.sleep(poll_seconds)
                waited += poll_seconds
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}\n".encode())
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode().strip() or "unknown process"
    except OSError:
        return "unknown process"


@contextlib.contextmanager
def connect(path: Path, read_only: bool = False, attempts: int = 8) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection that is closed on exit; transient lock conflicts are retried with backoff."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or attempt == attempts:
                raise
            log.warning("warehouse busy (%s); retry %d/%d in %.1fs", e, attempt, attempts, delay)
            time.sleep(delay)
            delay = min(delay * 2, 10)
    try:
        yield con
    finally:
        con.close()


def sql_string(value: object) -> str:
    """`value` as a SQL string literal, for the few statements DuckDB will not take a parameter in (`attach`):
    a home such as /tmp/o'brien must not end the literal early. Everything else binds its values with `?`."""
    return "'" + str(value).replace("'", "''") + "'"
