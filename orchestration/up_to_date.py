"""Is the published warehouse already what a run would build? Then `dxw run` has nothing to do.

A run's inputs are the landing folder (one `stat` per file: path, size, modification times, as ingest's own
change test), the code that turns them into marts (extractor version, catalog, dbt project, expectation
suites), the reviewed correction file, the settings that shape results, and the as-of date (overdue
instructions and the report move with it). Their digest is recorded after every run that got as far as
publishing; a later `dxw run` with the same digest and the serving copy in place returns the recorded
outcome without starting Dagster, so a re-run with nothing new costs a folder scan. Runs started from the UI
or the schedule do not record a digest, so the next `dxw run` after them builds again: conservative, never
stale.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import DBT_CODE_PATHS, DBT_PROJECT_DIR, REPO_ROOT, Settings
from sources import landing
from sources.extract import EXTRACTOR_VERSION

CODE_PATHS = (
    *(DBT_PROJECT_DIR / p for p in DBT_CODE_PATHS),
    REPO_ROOT / "sources" / "catalog",
    REPO_ROOT / "expectations",
)


def code_digest() -> str:
    """The digest of everything that shapes the marts' definitions (not their rows)."""
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    _code_digest(h)
    return h.hexdigest()


def _code_digest(h) -> None:
    files = []
    for root in CODE_PATHS:
        files.extend([root] if root.is_file() else (p for p in root.rglob("*") if p.is_file()))
    files = [p for p in files if "__pycache__" not in p.parts]
    for path in sorted(files):
        h.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_digest(settings: Settings) -> str:
    h = hashlib.sha256()
    h.update(
        json.dumps(
            [
                EXTRACTOR_VERSION,
                str(settings.landing),
                str(settings.duckdb_path),
                settings.as_of_date.isoformat(),
                settings.hard_rule_limit,
            ]
        ).encode()
    )
    _code_digest(h)
    if settings.corrections.is_file():  # a reviewed correction changes the marts like a changed report
        h.update(b"corrections\0" + settings.corrections.read_bytes())
    if settings.landing.is_dir():
        for f in landing.scan(settings.landing):
            h.update(f"{f.rel_path}\0{f.fingerprint}\n".encode())
    return h.hexdigest()


def _state_path(settings: Settings) -> Path:
    return settings.home / "state" / "last_run.json"


def recorded(settings: Settings) -> dict | None:
    """The last recorded run, if its digest still matches and its serving copy is in place."""
    try:
        last = json.loads(_state_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (settings.serving_dir / "warehouse.duckdb").exists():
        return None
    return last


def record(settings: Settings, digest: str, run_id: str, exit_code: int) -> None:
    path = _state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "digest": digest,
                "run_id": run_id,
                "exit_code": exit_code,
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ),
        encoding="utf-8",
    )
    os.replace(tmp, path)


def landed_files(settings: Settings):
    """The landing folder's files, as ingest sees them (a `stat` each)."""
    return landing.scan(settings.landing) if settings.landing.is_dir() else iter(())
