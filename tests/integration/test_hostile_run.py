"""`dxw run` on a landing folder under attack (issue 17.1, 17.7, 17.8, 17.10): the samples next to a link to a
file outside the folder, a link loop, a broken link, a named pipe, a sparse 30 GB file, a copy of a sample under
another name and a sidecar without its report. One real run (Dagster, dbt, DuckDB, GX) into a temporary home:
no traceback, every entry accounted for in the published `fct_landing_files`, nothing from outside published,
the copy's figures not counted twice."""

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from tests.integration.test_pipeline import _summary, dxw_run

pytestmark = pytest.mark.integration

LANG_SON = "2024-01-11_lang-son_tong-ket-cds-2023.txt"
SECRET = "root:x:0:0:root:/root:/bin/bash"


def test_a_hostile_landing_folder_publishes_only_what_is_in_it(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(f"{SECRET}\n" + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" * 30)
    land = tmp_path / "landing"
    shutil.copytree(SAMPLES, land)
    os.symlink(outside / "passwd", land / "2024-12-09_passwd.txt")
    os.symlink(land / "loop-b.txt", land / "loop-a.txt")
    os.symlink(land / "loop-a.txt", land / "loop-b.txt")
    os.symlink(land / "nowhere.txt", land / "broken.txt")
    os.mkfifo(land / "pipe.txt")
    with open(land / "2024-12-10_sparse.txt", "wb") as f:
        f.truncate(30 * 1024**3)
    shutil.copy(land / LANG_SON, land / "2024-01-11_lang-son_zz-ban-sao.txt")
    (land / "2024-02-02_missing.meta.json").write_text('{"province": "Hà Nội"}', encoding="utf-8")
    home = tmp_path / "home"
    result = dxw_run(land, home, DXW_AS_OF_DATE="2025-06-01")
    summary = _summary(result)
    assert result.returncode == 0, summary + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert "reports:      17 found, 10 loaded (10 new this run), 6 rejected, 1 duplicates" in summary
    assert (
        "  rejected    2024-12-09_passwd.txt: symbolic link pointing outside the landing folder (not followed)"
        in summary
    )
    assert "  rejected    2024-12-10_sparse.txt: too large (30,720 MB > 20 MB), not read" in summary
    assert f"  duplicate   2024-01-11_lang-son_zz-ban-sao.txt: duplicate: the same bytes as {LANG_SON}" in summary
    assert "  warning     2024-02-02_missing.meta.json: its report 2024-02-02_missing is not in the landing" in summary
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        published = dict(con.execute("select file_path, status from fct_landing_files").fetchall())
        assert set(published) == {p.name for p in land.iterdir()}  # every entry, 0 unaccounted
        assert published["2024-12-09_passwd.txt"] == "rejected"
        assert published["2024-01-11_lang-son_zz-ban-sao.txt"] == "duplicate"
        assert con.execute("select count(*) from dim_report").fetchone() == (10,)
        for table, column in (("dim_report", "title"), ("fct_indicator_observations", "evidence")):
            assert con.execute(f"select count(*) from {table} where {column} like '%root:x:%'").fetchone() == (0,)
        # the copy is not a second source agreeing with the first
        assert con.execute(
            "select n_reports from fct_indicator_values "
            "where geo_code = '20' and indicator_code = 'dti_rank' and period = '2022'"
        ).fetchall() == [(1,)]
    assert "root:x:" not in Path(home / "serving" / "report.html").read_text(encoding="utf-8")
