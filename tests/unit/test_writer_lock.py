"""The writer lock: one writer at a time, a waiting run is told who holds it, a killed holder frees it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.warehouse import writer_lock

REPO = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time
from pathlib import Path
from orchestration.warehouse import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(lock: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_waits_and_is_told_who_holds_the_lock(tmp_path):
    lock = tmp_path / "warehouse.lock"
    holder = _holder(lock)
    said: list[str] = []
    try:

        def on_wait(message: str) -> None:
            said.append(message)
            os.kill(holder.pid, signal.SIGTERM)

        started = time.monotonic()
        with writer_lock(lock, poll_seconds=0.1, on_wait=on_wait):
            waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert said, "the waiting writer said nothing"
    assert f"pid {holder.pid}" in said[0]
    assert waited > 0.1


def test_a_holder_killed_with_sigkill_frees_the_lock_at_once(tmp_path):
    lock = tmp_path / "warehouse.lock"
    holder = _holder(lock)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    said: list[str] = []
    with writer_lock(lock, poll_seconds=0.1, on_wait=said.append):
        pass
    assert said == []


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    lock = tmp_path / "warehouse.lock"
    said: list[str] = []
    with writer_lock(lock, on_wait=said.append), writer_lock(lock, on_wait=said.append):
        pass  # the second is taken inside the first: re-entrant
    assert said == []
    # released: another process gets it without waiting
    holder = _holder(lock)
    holder.kill()
    holder.wait()
