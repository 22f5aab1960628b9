"""The code a Dask worker needs to extract: `sources/` (the extractor and its catalogue), shipped as a worker plugin.

Workers share no file system with the writer. The plugin carries `sources/` as zip bytes; Dask gives it to every
worker, those that join later and those restarted after a crash included; each unpacks it into its own local
directory and imports `sources` from there. The catalogue is read from files beside the code
(`sources/catalog`), so the package is unpacked rather than imported from the zip. This module imports only the
standard library and `distributed`, and is pickled by value (orchestration.cluster), so a worker needs neither
this project installed nor a copy of it: only the same Python packages (pyarrow, pyyaml; an environment image).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import zipfile
from pathlib import Path

from distributed import WorkerPlugin

PACKAGE = "sources"
SKIPPED = {"__pycache__", "samples", "synthetic"}  # not needed to extract: the shipped reports, the generator


def package_zip(root: Path) -> bytes:
    """`root/sources` as zip bytes, the same bytes for the same files (sorted, fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted((root / PACKAGE).rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or SKIPPED & set(relative.parts) or path.suffix == ".pyc":
                continue
            info = zipfile.ZipInfo(relative.as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buffer.getvalue()


class ShipSources(WorkerPlugin):
    """Unpack `sources/` on a worker and put it first on its import path."""

    idempotent = True  # a worker that has this version (same digest in the name) is not sent it again

    def __init__(self, data: bytes):
        self.data = data
        self.digest = hashlib.sha256(data).hexdigest()[:16]
        self.name = f"dxw-sources-{self.digest}"

    def setup(self, worker) -> None:
        target = Path(worker.local_directory) / self.name
        if not (target / PACKAGE).is_dir():
            partial = target.with_name(f"{self.name}.{os.getpid()}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            with zipfile.ZipFile(io.BytesIO(self.data)) as z:
                z.extractall(partial)
            try:
                os.replace(partial, target)
            except OSError:  # another worker of this machine unpacked it first
                shutil.rmtree(partial, ignore_errors=True)
        if str(target) in sys.path:
            sys.path.remove(str(target))
        sys.path.insert(0, str(target))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]  # a previous version: the next task imports this one
