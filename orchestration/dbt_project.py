"""The dbt project as Dagster sees it. Kept in its own module so that `dagster-dbt project prepare-and-package`
can import it without importing the assets that need its manifest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt of this environment, whether or not its bin/ is on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources (first run, edits)."""
    manifest = dbt_project.manifest_path
    sources = [
        p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts
    ] + list((DBT_PROJECT_DIR.parent / "sources" / "catalog").glob("*.csv"))
    newest = max((p.stat().st_mtime for p in sources), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=True,
        env=env,
        cwd=DBT_PROJECT_DIR,
    )
    return manifest


def keep_parse_state(invocation_target: Path) -> None:
    """Hand an invocation's parse state on to the next one. dagster-dbt seeds each invocation with the project
    target's `partial_parse.msgpack`, but the one `dbt parse` wrote there was made with another warehouse path,
    so dbt finds the profile changed and parses everything again (11 s instead of 7 here)."""
    state = invocation_target / "partial_parse.msgpack"
    if not state.exists():
        return
    destination = DBT_PROJECT_DIR / "target" / state.name
    staged = destination.with_name(f"{state.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(state, staged)
        os.replace(staged, destination)  # a reader sees the old state or the new one, never half of one
    except OSError:
        staged.unlink(missing_ok=True)  # a read-only checkout: the next invocation only parses in full


if __name__ == "__main__":  # `python -m orchestration.dbt_project`: prepare the manifest (make setup)
    print(f"dbt manifest: {ensure_manifest()}")
