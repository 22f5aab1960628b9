"""What becomes of each landed file (sources/file_fate.py), decided once: on real scans of crafted folders."""

import os
import shutil
from pathlib import Path

import pytest

from sources import file_fate, landing
from sources.file_fate import Recorded
from tests.conftest import SAMPLES

LANG_SON = "2024-01-11_lang-son_tong-ket-cds-2023.txt"


@pytest.fixture
def folder(tmp_path) -> Path:
    land = tmp_path / "landing"
    (land / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / LANG_SON, land / "a.txt")
    shutil.copy(SAMPLES / LANG_SON, land / "sub" / "b.txt")
    return land


def scanned(folder: Path) -> dict[str, landing.LandedFile]:
    return {f.rel_path: f for f in landing.scan(folder)}


def test_sidecars_are_paired_with_their_report_or_said_to_have_none(folder):
    for name in ("a.meta.json", "sub/b.txt.meta.json", "gone.meta.json"):
        (folder / name).write_text("{}", encoding="utf-8")
    os.symlink(folder / "nowhere", folder / "broken.meta.json")
    plan = file_fate.plan(landing.scan(folder), {})
    fates = {f.rel_path: (fate.status, fate.reason, fate.warnings) for f, fate in plan.sidecars}
    assert fates == {
        "a.meta.json": ("sidecar", "metadata of report a", None),
        "sub/b.txt.meta.json": ("sidecar", "metadata of report b.txt", None),
        "gone.meta.json": (
            "sidecar",
            "metadata of report gone, which is not in the landing folder",
            "its report gone is not in the landing folder",
        ),
        "broken.meta.json": ("rejected", "sidecar: broken symbolic link (its target does not exist)", None),
    }
    assert sorted(f.rel_path for f in plan.to_read) == ["a.txt", "sub/b.txt"]


def test_the_same_bytes_twice_are_one_report_and_its_duplicate(folder):
    plan = file_fate.plan(landing.scan(folder), {})
    fates = {f.rel_path: file_fate.settle(f, folder, None, plan.ledger) for f in plan.to_read}
    assert fates["a.txt"].status == "loaded" and fates["a.txt"].report is not None
    assert fates["a.txt"].report_version_id == f"a@{fates['a.txt'].content_hash[:12]}"
    dup = fates["sub/b.txt"]
    assert (dup.status, dup.duplicate_of, dup.report) == ("duplicate", "a.txt", None)
    assert dup.reason == "duplicate: the same bytes as a.txt, loaded as report a"


def recorded_as_loaded(f: landing.LandedFile, folder: Path, **changes) -> Recorded:
    """What raw.files holds of a file loaded by an earlier ingest."""
    fate = file_fate.settle(f, folder, None, file_fate.Ledger())
    values = {
        "rel_path": f.rel_path,
        "fingerprint": f.fingerprint,
        "status": "loaded",
        "file_hash": fate.file_hash,
        "content_hash": fate.content_hash,
        "report_version_id": fate.report_version_id,
        "has_report": True,
    }
    return Recorded(**(values | changes))


def test_an_unchanged_file_is_not_read_and_a_touched_one_keeps_its_version(folder):
    (folder / "sub" / "b.txt").unlink()
    files = scanned(folder)
    recorded = {"a.txt": recorded_as_loaded(files["a.txt"], folder)}
    plan = file_fate.plan(files.values(), recorded)
    assert [f.rel_path for f in plan.unchanged] == ["a.txt"] and plan.to_read == []
    touched = recorded_as_loaded(files["a.txt"], folder, fingerprint="0:0:0")
    plan = file_fate.plan(files.values(), {"a.txt": touched})
    [f] = plan.to_read
    fate = file_fate.settle(f, folder, touched, plan.ledger)
    assert (fate.status, fate.unchanged, fate.report, fate.report_version_id) == (
        "loaded",
        True,
        None,
        touched.report_version_id,
    )


def test_a_loaded_file_without_its_report_row_is_read_again(folder):
    files = scanned(folder)
    broken = recorded_as_loaded(files["a.txt"], folder, has_report=False)
    plan = file_fate.plan(files.values(), {"a.txt": broken})
    assert plan.repaired == 1 and "a.txt" in [f.rel_path for f in plan.to_read]
    fate = file_fate.settle(files["a.txt"], folder, broken, plan.ledger)
    assert fate.status == "loaded" and fate.report is not None and not fate.unchanged


def test_a_duplicate_whose_original_left_is_read_again_and_loads(folder):
    files = scanned(folder)
    original = recorded_as_loaded(files["a.txt"], folder)
    duplicate = Recorded("sub/b.txt", files["sub/b.txt"].fingerprint, "duplicate", original.file_hash)
    (folder / "a.txt").unlink()
    plan = file_fate.plan(landing.scan(folder), {"a.txt": original, "sub/b.txt": duplicate})
    assert [f.rel_path for f in plan.to_read] == ["sub/b.txt"] and plan.unchanged == []
    assert [(r.rel_path, fate.status, fate.reason) for r, fate in plan.gone] == [
        ("a.txt", "withdrawn", "file no longer in the landing folder")
    ]
    assert file_fate.settle(plan.to_read[0], folder, duplicate, plan.ledger).status == "loaded"


def test_files_loaded_before_are_read_first_so_a_touched_original_stays_the_original(folder):
    files = scanned(folder)
    original = recorded_as_loaded(files["sub/b.txt"], folder, fingerprint="touched")
    plan = file_fate.plan(files.values(), {"sub/b.txt": original})
    assert [f.rel_path for f in plan.to_read] == ["sub/b.txt", "a.txt"]
    fates = [
        file_fate.settle(f, folder, original if f.rel_path == "sub/b.txt" else None, plan.ledger) for f in plan.to_read
    ]
    assert [(f.status, f.duplicate_of) for f in fates] == [("loaded", None), ("duplicate", "sub/b.txt")]


def test_a_report_id_is_the_first_loaded_files_and_a_moved_report_keeps_it(folder):
    (folder / "sub" / "b.txt").unlink()
    (folder / "sub" / "a.txt").write_text((SAMPLES / LANG_SON).read_text(encoding="utf-8") + "\nKhác.\n")
    plan = file_fate.plan(landing.scan(folder), {})
    fates = {f.rel_path: file_fate.settle(f, folder, None, plan.ledger) for f in plan.to_read}
    assert fates["a.txt"].status == "loaded"
    assert (fates["sub/a.txt"].status, fates["sub/a.txt"].reason) == (
        "rejected",
        "duplicate report id 'a': already loaded from a.txt",
    )
    # a.txt moved into sub/ (its place taken by sub/a.txt's bytes): the id is free once a.txt is gone
    moved = recorded_as_loaded(scanned(folder)["a.txt"], folder)
    (folder / "a.txt").unlink()
    plan = file_fate.plan(landing.scan(folder), {"a.txt": moved})
    [f] = plan.to_read
    assert file_fate.settle(f, folder, None, plan.ledger).status == "loaded"
    assert [(r.rel_path, fate.status) for r, fate in plan.gone] == [("a.txt", "withdrawn")]
