"""How a dead run is told from a live one (issue 17.13; the daemon test is tests/integration/test_dead_runs.py),
and the instance config that turns Dagster's run monitoring on, also in a home an older dxw set up."""

import subprocess
import sys
import time

import yaml

from orchestration.run import _OLDER_DAGSTER_YAMLS, prepare_dagster_home
from orchestration.run_monitoring import process_alive
from orchestration.settings import load_settings


def test_a_live_process_is_alive_and_a_finished_or_newer_one_is_not():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    before = time.time()
    child.wait()
    assert not process_alive(child.pid, before)  # exited
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(sleeper.pid, time.time())
        assert not process_alive(sleeper.pid, before - 60)  # the pid belongs to a process started after the run
    finally:
        sleeper.kill()
        sleeper.wait()


def test_the_instance_config_monitors_runs_and_an_untouched_older_one_is_upgraded(tmp_path):
    settings = load_settings(home=str(tmp_path / "new"))
    config = yaml.safe_load((prepare_dagster_home(settings) / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["run_monitoring"]["enabled"] is True
    assert config["run_launcher"]["class"] == "PidCheckingRunLauncher"
    old = load_settings(home=str(tmp_path / "old"))
    storage = old.dagster_home / "storage"
    paths = {"base": f'"{storage}"', "history": f'"{storage / "history"}"', "schedules": f'"{storage / "schedules"}"'}
    old.dagster_home.mkdir(parents=True)
    for template in _OLDER_DAGSTER_YAMLS:  # Dagster's default storage, then the pooled one, without monitoring
        older = template.format(**paths, tag="dxw/writer")
        (old.dagster_home / "dagster.yaml").write_text(older, encoding="utf-8")
        assert "run_monitoring" in (prepare_dagster_home(old) / "dagster.yaml").read_text(encoding="utf-8")
    edited = older + "# my own setting\n"
    (old.dagster_home / "dagster.yaml").write_text(edited, encoding="utf-8")
    assert (prepare_dagster_home(old) / "dagster.yaml").read_text(encoding="utf-8") == edited
