"""The real reports of the shared corpus (seeds + dev) through `dxw run`: every stage, the dbt build included,
runs clean, and the warehouse answers the questions the project exists for with plain SQL."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

DXW = str(Path(sys.executable).with_name("dxw"))
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus_home(corpus_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    landing, home = root / "landing", root / "home"
    landing.mkdir()
    for part in ("seeds", "dev"):
        for f in (corpus_dir / part).iterdir():
            shutil.copy(f, landing / f.name)
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXW_", "DAGSTER_"))}
    result = subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home)],
        capture_output=True, text=True, timeout=900, env={**env, "DXW_AS_OF_DATE": "2025-03-01"},
    )  # fmt: skip
    return home, result


def _query(home: Path, sql: str):
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_corpus_runs_through_every_stage_and_dbt_builds(corpus_home):
    home, result = corpus_home
    summary = result.stdout[result.stdout.find("dx-warehouse run") :]
    assert result.returncode in (0, 2), summary + result.stderr[-3000:]  # 2: real reports contradict
    assert "step error" not in summary and "blocked" not in summary, summary
    assert "30 loaded (30 new this run), 0 rejected" in summary
    # both dbt invocations (before and after the quality flags) built every node without an error
    dbt_log = (home / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    done = [line[line.index("Done. PASS=") :] for line in dbt_log.splitlines() if "Done. PASS=" in line]
    assert len(done) == 2 and all(" ERROR=0 " in line for line in done), done
    assert (home / "serving" / "report.html").exists() and (home / "serving" / "dbt_docs" / "index.html").exists()


def test_the_questions_the_warehouse_answers(corpus_home):
    home, _ = corpus_home
    # how many eID accounts Vĩnh Phúc activated, out of how many eligible citizens
    assert _query(
        home,
        "select eid_accounts_activated, eid_eligible_citizens from mart_province_scorecard "
        "where geo_code = '26' and eid_accounts_activated is not null",
    ) == [(762284, 980226)]
    # Lạng Sơn's DTI rank and the index year it is for
    assert ("2022", 6.0, 63.0) in _query(
        home,
        "select period, value, denominator from fct_indicator_values where geo_code = '20' "
        "and indicator_code = 'dti_rank'",
    )
    # the instructions with a deadline, and which of them are overdue at the as-of date
    deadlines = _query(home, "select deadline_date, is_overdue from fct_instructions where deadline_date is not null")
    assert len(deadlines) >= 5
    assert {overdue for _, overdue in deadlines} == {True, False}
