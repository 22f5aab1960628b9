"""The dbt project as Dagster sees it: its manifest, from which the dbt assets and checks are defined.

The manifest is made on demand (`make setup` makes it first; a definitions load after an edit of the models
makes it again), never at import: importing this module does no work.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _sources() -> list[Path]:
    catalog = DBT_PROJECT_DIR.parent / "sources" / "catalog"
    files = [p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts]
    return files + list(catalog.glob("*.csv"))


def _is_current(manifest: Path) -> bool:
    if not manifest.exists():
        return False
    newest = max((p.stat().st_mtime for p in _sources()), default=0)
    return manifest.stat().st_mtime >= newest


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources (first run, edits)."""
    manifest = dbt_project.manifest_path
    if _is_current(manifest):
        return manifest
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(manifest.parent),
            "--log-path",
            str(DBT_PROJECT_DIR / "logs"),
            "--quiet",
            "--no-send-anonymous-usage-stats",
            "--no-version-check",
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt could not parse {DBT_PROJECT_DIR}: {result.exception}")
    os.utime(manifest)  # parse may keep an unchanged manifest's old time: mark it current
    return manifest


@cache
def manifest_path() -> Path:
    """The manifest the dbt assets are defined from, made once per process when needed."""
    return ensure_manifest()


def warm_parse_cache() -> Path:
    """Parse the project once for the runs (`orchestration/dbt_runner.py` keeps the parse under
    dbt_project/target/dxw_parsed), so that the first `dxw run` in a new home starts from it."""
    import tempfile

    from orchestration import dbt_runner
    from orchestration.settings import load_settings

    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="dxw-parse-") as work:
        workspace = dbt_runner.DbtWorkspace(DBT_PROJECT_DIR, Path(work), settings.duckdb_path, settings.threads)
        dbt_runner.manifest(workspace, {"as_of_date": settings.as_of_date.isoformat()})
    return dbt_runner.parse_cache_dir(DBT_PROJECT_DIR)


if __name__ == "__main__":  # `python -m orchestration.dbt_project`: prepare the manifest and the parse (make setup)
    print(f"dbt manifest: {ensure_manifest()}")
    print(f"dbt parse for runs: {warm_parse_cache()}")
