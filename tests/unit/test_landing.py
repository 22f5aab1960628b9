"""The landing folder scan (issue 17.1, 17.8): every entry accounted for, nothing outside the folder read."""

import os

import pytest

from sources import landing
from sources.readers import RejectedFile

TEXT = "Toàn tỉnh Lạng Sơn đã kích hoạt 1.234 tài khoản định danh điện tử mức độ 2.\n"


@pytest.fixture
def folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    land = tmp_path / "landing"
    (land / "sub").mkdir(parents=True)
    (land / "a.txt").write_text(TEXT, encoding="utf-8")
    (land / "sub" / "b.txt").write_text(TEXT, encoding="utf-8")
    os.symlink(outside / "secret.txt", land / "2024-12-09_passwd.txt")
    os.symlink(outside, land / "linked_folder")
    os.symlink(land / "missing.txt", land / "broken.txt")
    os.symlink(land / "loop2.txt", land / "loop1.txt")
    os.symlink(land / "loop1.txt", land / "loop2.txt")
    os.symlink("a.txt", land / "inner.txt")  # a link that stays inside: read, as the file it leads to
    os.mkfifo(land / "pipe.txt")
    with open(land / "sparse.txt", "wb") as f:
        f.truncate(30 * 1024**3)  # 30 GB, no block written
    return land


def test_every_entry_is_listed_and_what_cannot_be_read_says_why(folder):
    found = {f.rel_path: f.problem for f in landing.scan(folder)}
    assert found == {
        "a.txt": None,
        "inner.txt": None,
        "sub/b.txt": None,
        "2024-12-09_passwd.txt": "symbolic link pointing outside the landing folder (not followed)",
        "linked_folder": "symbolic link pointing outside the landing folder (not followed)",
        "broken.txt": "broken symbolic link (its target does not exist)",
        "loop1.txt": "symbolic link loop",
        "loop2.txt": "symbolic link loop",
        "pipe.txt": "not a regular file: a named pipe",
        "sparse.txt": "too large (30,720 MB > 20 MB), not read",
    }


def test_a_link_inside_the_folder_is_read_as_its_target(folder):
    (inner,) = [f for f in landing.scan(folder) if f.rel_path == "inner.txt"]
    assert inner.target == (folder / "a.txt").resolve()
    assert landing.read_bytes(inner.path, folder) == TEXT.encode("utf-8")


def test_a_file_swapped_for_an_outside_link_after_the_scan_is_not_read(folder):
    (a,) = [f for f in landing.scan(folder) if f.rel_path == "a.txt"]
    a.path.unlink()
    os.symlink(folder.parent / "outside" / "secret.txt", a.path)
    with pytest.raises(RejectedFile, match="symbolic link pointing outside the landing folder"):
        landing.read_bytes(a.path, folder)


def test_the_size_limit_is_taken_from_stat_before_reading(folder):
    with pytest.raises(RejectedFile, match=r"too large \(30,720 MB > 20 MB\), not read"):
        landing.read_bytes(folder / "sparse.txt", folder)


def test_a_named_pipe_is_never_opened_for_a_blocking_read(folder):
    with pytest.raises(RejectedFile, match="not a regular file: a named pipe"):
        landing.read_bytes(folder / "pipe.txt", folder)


def test_a_sidecar_leading_outside_the_folder_is_refused(folder):
    os.symlink(folder.parent / "outside" / "secret.txt", folder / "a.meta.json")
    with pytest.raises(RejectedFile, match="sidecar a.meta.json: symbolic link pointing outside"):
        landing.read_sidecar_bytes(folder / "a.txt", folder)
