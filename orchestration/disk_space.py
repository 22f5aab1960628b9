"""A full disk, said plainly: which file system, how much is free, what the published copy still holds, what to do.

A run that fills the disk fails wherever the next write happens: DuckDB ("No space left on device"), Dagster's
SQLite event log ("disk I/O error", "database or disk is full"), dbt's target folder, a log file. Whatever the
error, the operator needs the same three facts: the disk is full (where), the published copy that readers use is
intact (publishing builds a new copy beside it and swaps it in, so a failed run never touches it), and the next
run resumes once there is space (every stage is incremental and transactional).
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from orchestration.settings import Settings

# what the writers say when the disk is full (SQLite says "disk I/O error" when a write cannot be extended)
_NO_SPACE = ("no space left on device", "database or disk is full", "disk i/o error", "disk is full")
LOW_SPACE_BYTES = 64 * 1024**2  # less free than this is full for a run: one batch of reports and dbt's artefacts


def no_space_error(error: BaseException | str) -> bool:
    """Does this error (or one it was raised from) say the disk is full?"""
    if isinstance(error, str):
        return any(marker in error.lower() for marker in _NO_SPACE)
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in {errno.ENOSPC, errno.EDQUOT}:
            return True
        if any(marker in str(current).lower() for marker in _NO_SPACE):
            return True
        current = current.__cause__ or current.__context__
    return False


def mount_point(path: Path) -> Path:
    path = path.resolve()
    while not path.exists():
        path = path.parent
    while not path.is_mount() and path != path.parent:
        path = path.parent
    return path


def full_file_system(settings: Settings) -> tuple[Path, int, int] | None:
    """(mount point, free bytes, total bytes) of the fullest file system the run writes to, if it is low."""
    found = None
    for path in (settings.home, settings.duckdb_path.parent, settings.serving_dir, settings.dagster_home):
        try:
            usage = shutil.disk_usage(path if path.exists() else mount_point(path))
        except OSError:
            continue
        if usage.free < LOW_SPACE_BYTES and (found is None or usage.free < found[1]):
            found = (mount_point(path), usage.free, usage.total)
    return found


def disk_full_report(settings: Settings, error: BaseException | str) -> str | None:
    """The lines an operator reads when a run stopped on a full disk, or None when `error` is something else."""
    if not no_space_error(error):
        return None
    where = full_file_system(settings)
    if where is None and not (isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}):
        return None  # "disk I/O error" with space left: another fault, shown as it is
    mount = where[0] if where else mount_point(settings.home)
    free = f"{where[1] / 1024**2:.1f} MB free of {where[2] / 1024**2:,.0f} MB" if where else "no space left"
    return "\n".join(
        [
            f"disk full:    {mount} ({free}) holds the data folder {settings.home}; the run stopped writing there",
            f"published:    {_published_state(settings)}",
            f"next:         free space on {mount} (or run with --home on a larger disk), then run dxw run again: "
            "it resumes from what the stopped run loaded",
        ]
    )


def _published_state(settings: Settings) -> str:
    """What readers still see: the published copy, checked by opening it read-only."""
    import duckdb

    path = settings.serving_dir / "warehouse.duckdb"
    if not path.exists():
        return f"nothing published yet ({path} does not exist)"
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            published_at = con.execute("select max(published_at) from _publication").fetchone()[0]
            reports = con.execute("select count(*) from dim_report").fetchone()[0]
    except duckdb.Error as e:
        return f"{path} cannot be opened ({type(e).__name__}: {e})"
    when = f"{published_at:%Y-%m-%d %H:%M} UTC" if published_at else "an earlier run"
    return f"{path} is intact: the copy published {when} ({reports} report versions), what readers and dxw sql see"
