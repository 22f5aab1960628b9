"""The landing folder: what is there (one `stat` per entry), and its files' bytes, read safely.

A file's fingerprint is its size and modification time (and its sidecar's): a file whose fingerprint is as
recorded is unchanged without being read, so a re-run with nothing new costs one `stat` per file.

Every entry of the folder is accounted for, including the ones that cannot be read: a symbolic link that
leaves the folder (never followed: `/etc/passwd` linked in must not become a report), a broken link or a link
loop, a linked folder, a named pipe or a device, a file over the size limit (known from `stat`, before a byte
is read). Those carry a `problem`, and ingest records them as rejected with it as the reason.

Not here: what becomes of each file (sources/file_fate.py) and the SQL that records it
(orchestration/loaders/landed_files.py).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sources.readers import MAX_BYTES, RejectedFile, is_sidecar, report_id_of, sidecar_path

MAX_SIDECAR_BYTES = 64 * 1024

# what each kind of entry that is not a regular file is called in a rejection reason
_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


@dataclass(frozen=True, slots=True)
class LandedFile:
    path: Path  # where the entry sits in the landing folder (a link's own path)
    rel_path: str  # relative to the landing folder: the file's identity
    size: int
    mtime_ns: int
    sidecar_mtime_ns: int  # 0 when there is no sidecar
    problem: str | None = None  # why it cannot be read at all (ingest rejects it with this reason)
    target: Path | None = None  # the file to read: the path itself, or where a link inside the folder leads

    @property
    def report_id(self) -> str:
        return report_id_of(self.path)

    @property
    def fingerprint(self) -> str:
        return f"{self.size}:{self.mtime_ns}:{self.sidecar_mtime_ns}"


def scan(landing: Path) -> Iterator[LandedFile]:
    """Every entry under the landing folder that is not a folder of its own, in a stable order."""
    root = landing.resolve()
    unreadable: list[OSError] = []
    # followlinks=False: a linked folder is listed (in dirs), never entered
    for dirpath, dirs, files in os.walk(root, onerror=unreadable.append):
        dirs.sort()
        here = Path(dirpath)
        linked = [d for d in dirs if (here / d).is_symlink()]
        for name in sorted([*files, *linked]):
            yield _landed(root, here / name)
        while unreadable:
            e = unreadable.pop()
            path = Path(e.filename or dirpath)
            if path != root and path.is_relative_to(root):
                yield LandedFile(path, str(path.relative_to(root)), 0, 0, 0, f"folder cannot be read: {e.strerror}")
    if unreadable:  # the landing folder itself
        raise unreadable[0]


def _landed(root: Path, path: Path) -> LandedFile:
    rel = str(path.relative_to(root))
    try:
        own = path.lstat()
    except OSError as e:  # gone since the folder was listed
        return LandedFile(path, rel, 0, 0, 0, f"unreadable: {e.strerror}")

    def rejected(problem: str) -> LandedFile:
        return LandedFile(path, rel, own.st_size, own.st_mtime_ns, 0, problem)

    target, st = path, own
    if stat.S_ISLNK(own.st_mode):
        resolved, problem = _link_target(root, path)
        if problem:
            return rejected(problem)
        target, st = resolved, resolved.stat()
    kind = stat.S_IFMT(st.st_mode)
    if kind != stat.S_IFREG:
        what = _KINDS.get(kind, "not a regular file")
        return rejected(f"symbolic link to {what} (not followed)" if target != path else f"not a regular file: {what}")
    if st.st_size > MAX_BYTES:
        return rejected(_too_large(st.st_size))
    mtime = max(st.st_mtime_ns, own.st_mtime_ns)  # a link retargeted or its target changed: both count
    sidecar = 0
    if not is_sidecar(path):
        side = sidecar_path(path)
        if side is not None:
            sidecar = side.lstat().st_mtime_ns
    return LandedFile(path, rel, st.st_size, mtime, sidecar, None, target)


def _link_target(root: Path, path: Path) -> tuple[Path, str | None]:
    """Where a symbolic link leads, or why it is not followed."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return path, "symbolic link loop"
    except OSError as e:
        if e.errno == 40:  # ELOOP
            return path, "symbolic link loop"
        return path, "broken symbolic link (its target does not exist)"
    if not target.is_relative_to(root):
        return path, "symbolic link pointing outside the landing folder (not followed)"
    return target, None


def _too_large(size: int) -> str:
    return f"too large ({size / 1024 / 1024:,.0f} MB > {MAX_BYTES // 1024 // 1024} MB), not read"


def read_bytes(path: Path, root: Path, limit: int = MAX_BYTES) -> bytes:
    """A landed file's bytes, read only from inside the landing folder and only up to the limit.

    Checked again at read time, since the folder may have changed since the scan: a link must still lead
    inside the folder, the file must be a regular file (a named pipe would block the run), and its size,
    taken from `fstat` before reading, must be within the limit (a sparse 30 GB file is never read).
    """
    root = root.resolve()
    if path.is_symlink():
        path, problem = _link_target(root, path)
        if problem:
            raise RejectedFile(problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        raise RejectedFile(f"unreadable: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RejectedFile(f"not a regular file: {_KINDS.get(stat.S_IFMT(st.st_mode), 'unknown kind')}")
        if st.st_size > limit:
            raise RejectedFile(_too_large(st.st_size))
        data = f.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise RejectedFile(_too_large(len(data)))
    return data


def read_sidecar_bytes(path: Path, root: Path) -> tuple[str, bytes] | None:
    """(name, bytes) of a report's sidecar, under the same rules as a report file; None when there is none."""
    side = sidecar_path(path)
    if side is None:
        return None
    try:
        return side.name, read_bytes(side, root, MAX_SIDECAR_BYTES)
    except RejectedFile as e:
        raise RejectedFile(f"sidecar {side.name}: {e.reason}") from None
