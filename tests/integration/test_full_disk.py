"""A full disk stops a run with a plain statement, not a traceback, and the next run recovers (issue 17.14).

The data folder sits on a 64 MB tmpfs mounted for the test (root only: elsewhere the test skips, saying so). It
starts as the samples published (a copy of the session's run); a file then fills the disk to its last MB and ten
new reports land; the second run stops, saying the disk is full, where, and that the published copy is intact (it
still holds the samples); once the file is gone and the disk grown to 256 MB, a third run loads and publishes
everything."""

import os
import shutil
import subprocess

import duckdb
import pytest

from tests.conftest import SAMPLES, copy_home
from tests.integration.test_pipeline import DXW, _env

pytestmark = pytest.mark.integration


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True).returncode
        == 0
    )
    if not mounted:
        pytest.skip("mounting a 64 MB tmpfs for the data folder needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _run(land, home):
    result = subprocess.run(
        [DXW, "run", "--landing", str(land), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**_env(), "DXW_AS_OF_DATE": "2025-06-01"},
    )
    return result, result.stdout + result.stderr


def _reports(home) -> int:
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select count(*) from dim_report").fetchone()[0]


def test_a_full_disk_is_said_plainly_and_the_next_run_recovers(small_disk, tmp_path, samples_run):
    land, home = tmp_path / "landing", small_disk / "home"
    copy_home(samples_run, land, home)  # the samples published: the session's run, copied onto the small disk
    assert _reports(home) == 10
    filler = small_disk / "filler"
    with open(filler, "wb") as f:
        os.posix_fallocate(f.fileno(), 0, shutil.disk_usage(small_disk).free - 1024**2)
    for sample in sorted(SAMPLES.glob("*.txt")):
        text = sample.read_text(encoding="utf-8") + "\nBản sao lưu trữ của văn phòng.\n"
        (land / f"{sample.stem}_ban-luu.txt").write_text(text, encoding="utf-8")
    stopped, output = _run(land, home)
    assert stopped.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    assert f"disk full:    {small_disk} (" in output and f"holds the data folder {home}" in output, output[-3000:]
    assert f"published:    {home / 'serving' / 'warehouse.duckdb'} is intact" in output
    assert "(10 report versions)" in output
    assert _reports(home) == 10  # readers still see the last publish
    filler.unlink()  # and the disk grows: a publish builds its new copy beside the old one
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)
    recovered, output = _run(land, home)
    assert recovered.returncode != 1 and "Traceback" not in output, output[-3000:]
    assert _reports(home) == 20
