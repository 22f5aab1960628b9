"""The landing folder: what is there, and what changed since the last ingest.

Cheap first: a file whose size and modification time (and its sidecar's) are as recorded is unchanged
without being read. Only new or touched files are read and hashed, so a re-run with nothing new costs one
`stat` per file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sources.readers import SIDECAR_SUFFIX, is_sidecar, report_id_of


@dataclass(frozen=True, slots=True)
class LandedFile:
    path: Path
    rel_path: str  # relative to the landing folder: the file's identity
    size: int
    mtime_ns: int
    sidecar_mtime_ns: int  # 0 when there is no sidecar

    @property
    def report_id(self) -> str:
        return report_id_of(self.path)

    @property
    def fingerprint(self) -> str:
        return f"{self.size}:{self.mtime_ns}:{self.sidecar_mtime_ns}"


@dataclass(frozen=True, slots=True)
class KnownFile:
    rel_path: str
    fingerprint: str | None
    content_hash: str | None
    status: str


@dataclass
class LandingPlan:
    to_read: list[LandedFile]  # new, or touched since last time
    unchanged: list[LandedFile]
    sidecars: list[LandedFile]
    removed: list[KnownFile]  # recorded before, gone now


def scan(landing: Path) -> Iterator[LandedFile]:
    """Every regular file under the landing folder, in a stable order."""
    landing = landing.resolve()
    for root, dirs, files in os.walk(landing):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            try:
                st = path.stat()
            except OSError:
                continue
            if not path.is_file():
                continue
            sidecar_mtime = 0
            if not is_sidecar(path):
                for side in (
                    path.with_name(report_id_of(path) + SIDECAR_SUFFIX),
                    path.with_name(name + SIDECAR_SUFFIX),
                ):
                    try:
                        sidecar_mtime = side.stat().st_mtime_ns
                        break
                    except OSError:
                        continue
            yield LandedFile(path, str(path.relative_to(landing)), st.st_size, st.st_mtime_ns, sidecar_mtime)


def plan(landed: Iterable[LandedFile], known: dict[str, KnownFile]) -> LandingPlan:
    to_read, unchanged, sidecars = [], [], []
    seen = set()
    for f in landed:
        seen.add(f.rel_path)
        if is_sidecar(f.path):
            sidecars.append(f)
            continue
        k = known.get(f.rel_path)
        if k is not None and k.fingerprint == f.fingerprint and k.status not in {"withdrawn", "removed"}:
            unchanged.append(f)
        else:
            to_read.append(f)
    removed = [k for path, k in known.items() if path not in seen and k.status not in {"withdrawn", "removed"}]
    return LandingPlan(to_read, unchanged, sidecars, removed)
