"""Ingest under attack (issue 17): crafted files in a temporary landing folder, ingested into a real DuckDB file.

Every entry of the folder ends with a row in raw.files (loaded, rejected with its reason, duplicate, sidecar),
nothing outside the folder is read, one bad file never stops the others, and a file's row and its report row
are written together, even under kill -9.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.loaders import landed_files, schema
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration

LANG_SON = "2024-01-11_lang-son_tong-ket-cds-2023.txt"
PHU_THO = "2025-12-29_phu-tho_cds-sau-hop-nhat"
SECRET = "root:x:0:0:root:/root:/bin/bash"


def ingest(con, folder: Path, run: str = "r", batch_size: int = 3) -> landed_files.IngestSummary:
    return landed_files.ingest(con, folder, run, batch_size, progress=lambda _: None)


def files(con) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in con.execute("select file_path, status, reason, duplicate_of, warnings from raw.files").fetchall()
    }


def entries(folder: Path) -> set[str]:
    """Every entry of the folder that is not a folder it walks into (files, links of any kind, pipes)."""
    out = set()
    for root, dirs, names in os.walk(folder):
        out |= {str((Path(root) / n).relative_to(folder)) for n in names}
        out |= {str((Path(root) / d).relative_to(folder)) for d in dirs if (Path(root) / d).is_symlink()}
    return out


def orphans(con) -> int:
    """Files recorded as loaded without their report row: what kill -9 left on main (issue 17.5)."""
    return con.execute(
        """select count(*) from raw.files f left join raw.reports r using (report_version_id)
           where f.status = 'loaded' and r.report_version_id is null"""
    ).fetchone()[0]


@pytest.fixture
def hostile(tmp_path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(SECRET + "\n" + "daemon:x:1:1:daemon:/usr/sbin\n" * 20, encoding="utf-8")
    land = tmp_path / "landing"
    shutil.copytree(SAMPLES, land)
    os.symlink(outside / "passwd", land / "2024-12-09_passwd.txt")
    os.symlink(outside, land / "etc")
    os.symlink(land / "nowhere.txt", land / "broken.txt")
    os.symlink(land / "loop-b.txt", land / "loop-a.txt")
    os.symlink(land / "loop-a.txt", land / "loop-b.txt")
    os.mkfifo(land / "pipe.txt")
    with open(land / "aa-sparse.txt", "wb") as f:  # sorts first: it must not stop the files after it
        f.truncate(30 * 1024**3)
    shutil.copy(land / LANG_SON, land / "copy-of-lang-son.txt")
    (land / f"{PHU_THO}.meta.json").write_text('{"province": "Atlantis"}', encoding="utf-8")
    (land / "2024-02-02_no-such-report.meta.json").write_text('{"province": "Hà Nội"}', encoding="utf-8")
    text = (SAMPLES / LANG_SON).read_text(encoding="utf-8")
    (land / "2024-01-12_utf16-no-bom.txt").write_bytes(text.replace("1.658", "1.659").encode("utf-16-le"))
    encoded = text.replace("1.658", "1.660").encode("utf-8")
    at = encoded.index(b"\n") + 5
    (land / "2024-01-13_one-bad-byte.txt").write_bytes(encoded[:at] + b"\xff" + encoded[at:])
    twice = encoded * 2  # past 4 KB
    assert len(twice) > 5000
    (land / "2024-01-14_nul-after-4k.txt").write_bytes(twice[:5000] + b"\x00" + twice[5000:])
    return land


def test_every_hostile_entry_is_accounted_for_and_nothing_outside_is_read(hostile, tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest(con, hostile)
        got = files(con)
        assert set(got) == entries(hostile)  # 0 unaccounted: links, loops, pipes, the 30 GB file included
        assert got["2024-12-09_passwd.txt"][:2] == (
            "rejected",
            "symbolic link pointing outside the landing folder (not followed)",
        )
        assert got["etc"][:2] == ("rejected", "symbolic link pointing outside the landing folder (not followed)")
        assert got["broken.txt"][:2] == ("rejected", "broken symbolic link (its target does not exist)")
        assert got["loop-a.txt"][:2] == got["loop-b.txt"][:2] == ("rejected", "symbolic link loop")
        assert got["pipe.txt"][:2] == ("rejected", "not a regular file: a named pipe")
        assert got["aa-sparse.txt"][:2] == ("rejected", "too large (30,720 MB > 20 MB), not read")
        # 17.7: the same bytes under a second name are one report, the copy recorded as its duplicate
        assert got["copy-of-lang-son.txt"] == (
            "duplicate",
            f"duplicate: the same bytes as {LANG_SON}, loaded as report {LANG_SON[:-4]}",
            LANG_SON,
            None,
        )
        # 17.9: UTF-16 without BOM loaded; one broken byte loaded, replaced, its offset on the file's record
        assert got["2024-01-12_utf16-no-bom.txt"][0] == "loaded"
        (encoding,) = con.execute(
            "select encoding from raw.reports where report_id = '2024-01-12_utf16-no-bom'"
        ).fetchone()
        assert encoding == "utf-16-le"
        at = (SAMPLES / LANG_SON).read_bytes().index(b"\n") + 5
        assert got["2024-01-13_one-bad-byte.txt"] == (
            "loaded",
            None,
            None,
            f"1 invalid UTF-8 byte replaced with U+FFFD at byte offset {at}",
        )
        # 17.11: NUL bytes after the first 4 KB reject the file
        assert got["2024-01-14_nul-after-4k.txt"][:2] == (
            "rejected",
            "binary file (NUL byte at byte offset 5000), not a text report",
        )
        # 17.10: an unknown province in a sidecar and a sidecar without its report are said on their rows
        assert got[f"{PHU_THO}.txt"][3] == (
            f"sidecar {PHU_THO}.meta.json names an unknown province 'Atlantis': ignored, the text's province is used"
        )
        assert got["2024-02-02_no-such-report.meta.json"] == (
            "sidecar",
            "metadata of report 2024-02-02_no-such-report, which is not in the landing folder",
            None,
            "its report 2024-02-02_no-such-report is not in the landing folder",
        )
        assert got[f"{PHU_THO}.meta.json"][:2] == ("sidecar", f"metadata of report {PHU_THO}")
        # the samples and the readable crafted files load, whatever came before them
        assert summary.loaded == 12 and orphans(con) == 0
        texts = " ".join(r[0] for r in con.execute("select text from raw.reports").fetchall())
        assert SECRET not in texts and "daemon:x" not in texts
        # a second ingest decides every file the same way and reads nothing again
        again = ingest(con, hostile, "r2")
        assert again.loaded == 0 and again.rejected == [] and files(con) == got


def test_nul_bytes_are_decided_the_same_way_when_the_file_is_read_again(hostile, tmp_path):
    path = hostile / "2024-01-14_nul-after-4k.txt"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        reasons = []
        for run in range(3):
            os.utime(path, ns=(time.time_ns(), time.time_ns() + run))  # touched: read again
            ingest(con, hostile, f"r{run}")
            reasons.append(files(con)[path.name][:2])
        assert reasons == [("rejected", "binary file (NUL byte at byte offset 5000), not a text report")] * 3


def test_a_duplicate_takes_over_when_its_original_leaves_and_a_touched_original_stays_the_original(tmp_path):
    land = tmp_path / "landing"
    land.mkdir()
    shutil.copy(SAMPLES / LANG_SON, land / LANG_SON)
    shutil.copy(SAMPLES / LANG_SON, land / "0-copy.txt")  # sorts before the original
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest(con, land)
        first = files(con)
        loaded = [p for p, r in first.items() if r[0] == "loaded"]
        assert loaded == ["0-copy.txt"] and first[LANG_SON][0] == "duplicate"
        assert con.execute("select count(*) from raw.reports").fetchone()[0] == 1
        os.utime(land / "0-copy.txt")  # touched, same bytes: still the one loaded
        ingest(con, land, "r2")
        assert {p: r[0] for p, r in files(con).items()} == {"0-copy.txt": "loaded", LANG_SON: "duplicate"}
        (land / "0-copy.txt").unlink()
        ingest(con, land, "r3")
        now = files(con)
        assert now["0-copy.txt"][0] == "withdrawn" and now[LANG_SON][:3] == ("loaded", None, None)
        assert con.execute(
            "select count(*) from raw.files f join raw.reports r using (report_version_id) where f.status = 'loaded'"
        ).fetchone() == (1,)


def test_a_report_moved_into_a_subfolder_is_loaded_there_and_its_old_path_withdrawn(tmp_path):
    """Its report id was held by the path it left: the id belongs to the files still in the folder."""
    land = tmp_path / "landing"
    (land / "2024").mkdir(parents=True)
    shutil.copy(SAMPLES / LANG_SON, land / LANG_SON)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest(con, land)
        (land / LANG_SON).rename(land / "2024" / LANG_SON)
        summary = ingest(con, land, "r2")
        assert summary.rejected == [] and summary.withdrawn == 1
        got = files(con)
        assert got[f"2024/{LANG_SON}"][:2] == ("loaded", None) and got[LANG_SON][0] == "withdrawn"
        assert con.execute("select count(*) from raw.reports").fetchone() == (1,)


def test_a_file_recorded_as_loaded_without_its_report_row_is_repaired_on_the_next_run(tmp_path):
    land = tmp_path / "landing"
    shutil.copytree(SAMPLES, land)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest(con, land)
        # the state kill -9 between the two writes left before they shared a transaction
        con.execute("delete from raw.reports where report_id = ?", [LANG_SON[:-4]])
        assert orphans(con) == 1
        summary = ingest(con, land, "r2")
        assert summary.repaired == 1 and summary.loaded == 1
        assert orphans(con) == 0
        assert con.execute("select count(*) from raw.reports").fetchone() == (10,)


def test_a_failure_between_a_file_row_and_its_report_row_leaves_neither(tmp_path):
    land = tmp_path / "landing"
    shutil.copytree(SAMPLES, land)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        schema.ensure_schema(con)
        # a warehouse that refuses one report's row, as a crash between the two writes would lose it
        con.execute("drop table raw.reports")
        con.execute(schema.RAW.replace("char_count integer,", f"char_count integer check (report_id <> '{PHU_THO}'),"))
        with pytest.raises(duckdb.ConstraintException):
            ingest(con, land, batch_size=20)
        assert orphans(con) == 0
        assert con.execute("select count(*) from raw.files where status = 'loaded'").fetchone() == (0,)


KILLED_INGEST = """
import sys
from pathlib import Path
import duckdb
from orchestration.loaders import landed_files
con = duckdb.connect(sys.argv[2])
print("ready", flush=True)
landed_files.ingest(con, Path(sys.argv[1]), "killed", batch_size=1, progress=lambda _: None)
con.close()
"""


def test_kill_9_during_ingest_never_leaves_a_loaded_file_without_its_report(tmp_path):
    land = tmp_path / "landing"
    land.mkdir()
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")
    for i in range(150):
        src = samples[i % len(samples)]
        (land / f"{src.stem}-{i:03d}.txt").write_text(
            src.read_text(encoding="utf-8") + f"\nBản sao số {i}.\n", encoding="utf-8"
        )
    db = tmp_path / "w.duckdb"
    rng = random.Random(17)
    kills = 0
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_INGEST, str(land), str(db)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        with duckdb.connect(str(db)) as con:
            if con.execute("select count(*) from information_schema.tables where table_name = 'files'").fetchone()[0]:
                assert orphans(con) == 0
    assert kills >= 3
    with duckdb.connect(str(db)) as con:
        ingest(con, land, "final")
        assert orphans(con) == 0
        assert con.execute("select status, count(*) from raw.files group by status").fetchall() == [("loaded", 150)]
        assert con.execute("select count(*) from raw.reports").fetchone() == (150,)
