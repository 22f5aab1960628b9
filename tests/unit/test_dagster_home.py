"""The DAGSTER_HOME dxw writes: pooled SQLite storage for runs and events, and an older untouched file upgraded."""

import json

from orchestration.assets.defaults import WRITER_TAG
from orchestration.run import _OLDER_DAGSTER_YAML, prepare_dagster_home
from orchestration.settings import load_settings


def _settings(tmp_path):
    return load_settings(home=tmp_path / "home", landing=tmp_path)


def test_a_new_home_gets_the_pooled_storage(tmp_path):
    config = prepare_dagster_home(_settings(tmp_path)) / "dagster.yaml"
    text = config.read_text(encoding="utf-8")
    assert "class: PooledSqliteEventLogStorage" in text and "class: PooledSqliteRunStorage" in text
    assert "storage:\n  sqlite:" not in text


def test_an_untouched_older_file_is_upgraded_and_an_edited_one_kept(tmp_path):
    settings = _settings(tmp_path)
    config = settings.dagster_home / "dagster.yaml"
    config.parent.mkdir(parents=True)
    older = _OLDER_DAGSTER_YAML.format(base=json.dumps(str(settings.dagster_home / "storage")), tag=WRITER_TAG)
    config.write_text(older, encoding="utf-8")
    prepare_dagster_home(settings)
    assert "PooledSqliteEventLogStorage" in config.read_text(encoding="utf-8")
    edited = older + "# mine\n"
    config.write_text(edited, encoding="utf-8")
    prepare_dagster_home(settings)
    assert config.read_text(encoding="utf-8") == edited
