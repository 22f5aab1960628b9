"""Which errors say the disk is full (issue 17.14; the real full disk is tests/integration/test_full_disk.py)."""

import errno
import shutil
import sqlite3

import pytest

from orchestration.disk_space import LOW_SPACE_BYTES, disk_full_report, no_space_error
from orchestration.settings import load_settings


def test_a_full_disk_is_recognised_through_the_errors_raised_from_it():
    assert no_space_error(OSError(errno.ENOSPC, "No space left on device"))
    try:
        try:
            raise sqlite3.OperationalError("disk I/O error")
        except sqlite3.OperationalError as e:
            raise RuntimeError("writing the event log failed") from e
    except RuntimeError as wrapped:
        assert no_space_error(wrapped)
    assert no_space_error("landing_reports: IOException: Could not write file: No space left on device")
    assert not no_space_error(ValueError("a bad value"))


def test_an_io_error_with_space_left_is_not_called_a_full_disk(tmp_path):
    if shutil.disk_usage(tmp_path).free < LOW_SPACE_BYTES:
        pytest.skip("the temporary folder's disk is itself nearly full")
    settings = load_settings(home=str(tmp_path / "home"))
    assert disk_full_report(settings, sqlite3.OperationalError("disk I/O error")) is None  # another fault
    assert disk_full_report(settings, ValueError("a bad value")) is None
    assert "disk full:" in disk_full_report(settings, OSError(errno.ENOSPC, "No space left on device"))
