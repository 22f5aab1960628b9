"""What becomes of each entry of the landing folder, decided here and only here.

- `plan`: from the scan and what raw.files recorded, the files to read (in the order to read them) and the fate
  of every entry that is not read: unchanged, a sidecar (paired with its report or said to have none), gone
  (withdrawn when it was loaded, else removed).
- `decide`: a file whose bytes were hashed → a duplicate, loaded unchanged (touched, same content), rejected
  (its report id is another file's), or None: new content, to be read as a new report version.
- `settle`: one file of the plan → its fate: reads it (sources.landing, sources.readers), then `decide`; never
  raises (what goes wrong with one file is its rejection reason).
`Ledger` is what the ingest has loaded so far: the loaded files that stay as they are, then each file as it
loads, so that the first file with some bytes or some report id keeps them.

Not here: how bytes are read safely (sources/landing.py), how a report is decoded (sources/readers), the rows of
raw.files and raw.reports and their transactions (orchestration/loaders/landed_files.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sources import landing
from sources.landing import LandedFile
from sources.readers import (
    SIDECAR_SUFFIX,
    ReadReport,
    RejectedFile,
    check_name,
    is_sidecar,
    read_report,
    report_id_of,
    sha256,
    sidecar_candidates,
)

log = logging.getLogger("dxw.ingest")

GONE = frozenset({"withdrawn", "removed"})  # statuses of files no longer in the folder
GONE_REASON = "file no longer in the landing folder"


@dataclass(frozen=True, slots=True)
class Recorded:
    """What raw.files holds of a file from an earlier ingest."""

    rel_path: str
    fingerprint: str | None
    status: str
    file_hash: str | None = None
    content_hash: str | None = None
    report_version_id: str | None = None
    warnings: str | None = None
    has_report: bool = False  # its raw.reports row exists

    @property
    def broken(self) -> bool:
        """Recorded as loaded without its report row (a crash before both were written together): read again."""
        return self.status == "loaded" and not self.has_report


@dataclass(frozen=True, slots=True)
class Fate:
    """What becomes of one entry: its status in raw.files and why, and the report to store when it is new."""

    status: str  # loaded | duplicate | rejected | sidecar | withdrawn | removed
    reason: str | None = None
    file_hash: str | None = None
    content_hash: str | None = None
    report_version_id: str | None = None
    duplicate_of: str | None = None
    warnings: str | None = None
    report: ReadReport | None = None  # a new report version to store
    unchanged: bool = False  # loaded before with the same content (touched): only its fingerprint moves

    def columns(self) -> dict[str, str | None]:
        """The columns of raw.files this fate decides."""
        return {
            "status": self.status,
            "reason": self.reason,
            "file_hash": self.file_hash,
            "content_hash": self.content_hash,
            "report_version_id": self.report_version_id,
            "duplicate_of": self.duplicate_of,
            "warnings": self.warnings,
        }


@dataclass
class Ledger:
    """What this ingest has loaded so far: the file holding each content (by file hash) and each report id."""

    holders: dict[str, str] = field(default_factory=dict)  # file hash → file
    report_ids: dict[str, str] = field(default_factory=dict)  # report id → file

    def add(self, f: LandedFile, fate: Fate) -> None:
        if fate.status == "loaded":
            self.holders.setdefault(fate.file_hash, f.rel_path)
            self.report_ids[f.report_id] = f.rel_path


@dataclass
class Plan:
    to_read: list[LandedFile]  # new, touched, repaired, or a duplicate whose original went: in reading order
    unchanged: list[LandedFile]  # same fingerprint as recorded: not read
    sidecars: list[tuple[LandedFile, Fate]]
    gone: list[tuple[Recorded, Fate]]  # recorded before, no longer in the folder
    repaired: int  # files recorded as loaded without their report row, read again
    ledger: Ledger  # the loaded files that stay as they are


def plan(landed: Iterable[LandedFile], recorded: dict[str, Recorded]) -> Plan:
    """Which files to read and in which order, and the fate of the entries that are not read."""
    landed = list(landed)
    reports = [f for f in landed if not is_sidecar(f.path)]
    to_read, unchanged = [], []
    for f in reports:
        r = recorded.get(f.rel_path)
        same = r is not None and not r.broken and r.status not in GONE and r.fingerprint == f.fingerprint
        (unchanged if same else to_read).append(f)
    ledger = Ledger()
    for f in unchanged:
        if recorded[f.rel_path].status == "loaded":
            ledger.holders.setdefault(recorded[f.rel_path].file_hash, f.rel_path)
            ledger.report_ids[f.report_id] = f.rel_path
    # a duplicate whose original left, changed or was rejected is read again (it may be the report now)
    orphaned = [
        f
        for f in unchanged
        if recorded[f.rel_path].status == "duplicate" and recorded[f.rel_path].file_hash not in ledger.holders
    ]
    unchanged = [f for f in unchanged if f not in orphaned]
    # files loaded before go first: touching an original must not hand its place to its duplicate
    was_loaded = {p for p, r in recorded.items() if r.status == "loaded"}
    to_read = sorted([*to_read, *orphaned], key=lambda f: (f.rel_path not in was_loaded, f.rel_path))
    seen = {f.rel_path for f in landed}
    return Plan(
        to_read=to_read,
        unchanged=unchanged,
        sidecars=_sidecar_fates([f for f in landed if is_sidecar(f.path)], reports),
        gone=[
            (r, Fate("withdrawn" if r.status == "loaded" else "removed", GONE_REASON))
            for path, r in recorded.items()
            if path not in seen and r.status not in GONE
        ],
        repaired=sum(1 for f in to_read if f.rel_path in recorded and recorded[f.rel_path].broken),
        ledger=ledger,
    )


def _sidecar_fates(sidecars: list[LandedFile], reports: list[LandedFile]) -> list[tuple[LandedFile, Fate]]:
    """A sidecar is its report's metadata, or said to have no report in the folder (a warning, not a rejection)."""
    owners: dict[str, str] = {}
    for f in reports:
        for candidate in sidecar_candidates(Path(f.rel_path)):
            owners.setdefault(str(candidate), f.rel_path)
    out = []
    for f in sidecars:
        stem = f.path.name.removesuffix(SIDECAR_SUFFIX)
        if f.problem:
            fate = Fate("rejected", f"sidecar: {f.problem}")
        elif f.rel_path in owners:
            fate = Fate("sidecar", f"metadata of report {stem}")
        else:
            fate = Fate(
                "sidecar",
                f"metadata of report {stem}, which is not in the landing folder",
                warnings=f"its report {stem} is not in the landing folder",
            )
        out.append((f, fate))
    return out


def decide(f: LandedFile, old: Recorded | None, file_hash: str, content_hash: str, ledger: Ledger) -> Fate | None:
    """The fate of a file from its hashes alone, or None when it is new content to read as a new report version."""
    hashes = {"file_hash": file_hash, "content_hash": content_hash}
    holder = ledger.holders.get(file_hash)
    if holder is not None and holder != f.rel_path:
        reason = f"duplicate: the same bytes as {holder}, loaded as report {report_id_of(Path(holder))}"
        return Fate("duplicate", reason, duplicate_of=holder, **hashes)
    if old is not None and old.status == "loaded" and old.has_report and old.content_hash == content_hash:
        return Fate(
            "loaded", None, report_version_id=old.report_version_id, warnings=old.warnings, unchanged=True, **hashes
        )
    taken = ledger.report_ids.get(f.report_id)
    if taken is not None and taken != f.rel_path:
        return Fate("rejected", f"duplicate report id {f.report_id!r}: already loaded from {taken}")
    return None


def settle(f: LandedFile, root: Path, old: Recorded | None, ledger: Ledger) -> Fate:
    """Read one file of the plan and decide its fate; the ledger learns it when it loads."""
    fate = _settle(f, root, old, ledger)
    ledger.add(f, fate)
    return fate


def _settle(f: LandedFile, root: Path, old: Recorded | None, ledger: Ledger) -> Fate:
    try:
        if f.problem:
            raise RejectedFile(f.problem)
        check_name(f.path)
        data = landing.read_bytes(f.path, root)
        sidecar = landing.read_sidecar_bytes(f.path, root)
        file_hash = sha256(data)
        content_hash = sha256(data + b"\0" + sidecar[1]) if sidecar else file_hash
        decided = decide(f, old, file_hash, content_hash, ledger)
        if decided is not None:
            return decided
        report = read_report(f.path, data, sidecar)
    except RejectedFile as e:
        return Fate("rejected", e.reason)
    except Exception as e:  # one file must never stop the others: what went wrong is its reason
        log.warning("ingest: %s could not be read: %s: %s", f.rel_path, type(e).__name__, e)
        return Fate("rejected", f"could not be read: {type(e).__name__}: {e}"[:500])
    return Fate(
        "loaded",
        None,
        file_hash,
        content_hash,
        report_version_id=f"{f.report_id}@{content_hash[:12]}",
        warnings="; ".join(report.warnings) or None,
        report=report,
    )
