"""Validation limited to what changed gives exactly the flags a full validation gives, and every validation of
the same warehouse gives the same failing rows.

Real runs (`dxw run`) on generated reports that contradict each other on purpose (the generator's
`contradictions.jsonl`), loaded in two batches, then some withdrawn."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import expectations
from tests.conftest import clean_env

DXW = str(Path(sys.executable).with_name("dxw"))
pytestmark = pytest.mark.integration


def _env() -> dict:
    return clean_env(DXW_AS_OF_DATE="2026-06-30")


def _run(landing: Path, home: Path) -> str:
    out = subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=900,
        env=_env(),
    )
    assert out.returncode in (0, 2), out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout + out.stderr


def _full_validation(home: Path) -> set[tuple[str, str]]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        frame = con.execute("select * from intermediate.int_observation_rule_inputs").df()
    return {(r.rule, oid) for r in expectations.validate(frame) for oid in r.failing_ids}


def _stored_flags(home: Path) -> set[tuple[str, str]]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return set(con.execute("select rule, observation_id from quality.observation_flags").fetchall())


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("scope")
    subprocess.run(
        [DXW, "generate", "--reports", "300", "--out", str(root / "generated"), "--seed", "3"],
        check=True,
        capture_output=True,
        env=_env(),
    )
    files = sorted((root / "generated" / "reports").iterdir())
    landing, home = root / "landing", root / "home"
    landing.mkdir()
    for f in files[:250]:
        shutil.copy(f, landing / f.name)
    first = _run(landing, home)
    assert "first validation of this warehouse" in first
    return landing, home, files


def test_a_second_batch_is_validated_on_its_scope_and_gives_the_full_validations_flags(generated):
    landing, home, files = generated
    for f in files[250:]:
        shutil.copy(f, landing / f.name)
    log = _run(landing, home)
    assert "figures the reports changed since the last validation can affect" in log
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        validated, total = con.execute(
            "select validated_count, element_count from quality.expectation_results order by validated_at desc limit 1"
        ).fetchone()
    assert 0 < validated < total  # a part of the figures, not all of them
    stored = _stored_flags(home)
    assert stored, "the generated reports contradict each other: some figures must be flagged"
    assert stored == _full_validation(home)
    assert any(rule == "r8_reports_agree" for rule, _ in stored)  # a flag that compares across reports


def test_withdrawn_reports_take_their_flags_away_and_clear_the_figures_they_contradicted(generated):
    landing, home, _ = generated
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        contradicting = con.execute(
            """select distinct f.file_path from quality.observation_flags q
               join raw.files f using (report_version_id) where q.rule = 'r8_reports_agree' limit 5"""
        ).fetchall()
    assert contradicting
    for (path,) in contradicting:
        (landing / path).unlink()
    _run(landing, home)
    stored = _stored_flags(home)
    assert stored == _full_validation(home)


def test_every_validation_of_the_same_warehouse_gives_the_same_failing_rows(generated):
    _, home, _ = generated
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # the data has what made rule 7 depend on evaluation order: two values for one place, indicator and day
        ties = con.execute(
            """select count(*) from (
                   select geo_key, indicator_code, period_end from intermediate.int_observations_resolved
                   where report_status = 'current' and is_cumulative and not is_target
                   group by all having count(distinct value) > 1)"""
        ).fetchone()[0]
    assert ties > 0
    first = _full_validation(home)
    for _ in range(9):
        assert _full_validation(home) == first
