"""Shared fixtures: the shipped samples, the shared corpus (when this checkout sits next to it).

A user's clone has no `../shared`: the tests that need the corpus skip, saying why. CI always has it, so under
`CI=true` a missing corpus fails those tests instead of letting them pass as skipped.

A real run costs tens of seconds: `samples_run` makes one of the samples per session, which modules copy
(`copy_home`) instead of loading the samples again.
"""

import functools
import json
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sources" / "samples" / "reports"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="write the snapshots the snapshot tests compare with (tests/unit/snapshots/) instead of failing on a "
        "difference; commit them with the change",
    )


# The contract's fields (spec/observations.md, spec/directives.md), stated here once for every test
OBSERVATION_FIELDS = [
    "report_id",
    "geo_code",
    "geo_level",
    "geo_name",
    "indicator",
    "value",
    "denominator",
    "unit",
    "period",
    "qualifier",
    "evidence",
]
DOCUMENT_FIELDS = ["report_id", "doc_type", "number", "issuer", "issued_on", "evidence"]
INSTRUCTION_FIELDS = ["report_id", "geo_code", "issued_by", "assignees", "action", "deadline", "evidence"]

# A report the extractor raises on (a 400-digit count: OverflowError in sources/extract/numbers.py), written for
# the tests: its failure must stay its own. If the extractor learns to read it, craft another failing input.
FAILING_REPORT_NAME = "2024-05-01_ha-nam_so-lieu-lon.txt"
FAILING_REPORT = (
    "UBND tỉnh Hà Nam\nBáo cáo kết quả Đề án 06 tháng 4 năm 2024\nTính đến ngày 30/4/2024, toàn tỉnh đã kích "
    f"hoạt {'9' * 400} tài khoản định danh điện tử mức độ 2.\n"
)


def require_corpus() -> Path:
    """The shared corpus, or a skip (a fresh clone) / a failure (CI, where it must be present)."""
    if not CORPUS.is_dir():
        message = f"the shared corpus is not next to this checkout ({CORPUS})"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return require_corpus()


SAMPLES_AS_OF = "2025-06-01"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a `dxw` subprocess: this one without any DXW_ or DAGSTER_ setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXW_", "DAGSTER_"))}
    return {**env, **extra}


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory) -> tuple[Path, Path]:
    """One real `dxw run` of the shipped samples (as of 2025-06-01), made once per test session and shared by
    every xdist worker: a landing folder (files dated an hour back) and the home it built. Read it, or copy it
    with `copy_home` before a test adds files or runs again; never change it."""
    import subprocess
    import sys
    import time

    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, above each worker's own
    root = base / "samples-run"
    with FileLock(str(base / "samples-run.lock")):
        landing, home = root / "landing", root / "home"
        if not (root / "done").exists():
            shutil.rmtree(root, ignore_errors=True)
            landing.mkdir(parents=True)
            past = time.time() - 3600  # older than any debounce: a sensor sees files that are settled
            for f in SAMPLES.iterdir():
                shutil.copy(f, landing / f.name)
                os.utime(landing / f.name, (past, past))
            out = subprocess.run(
                [str(Path(sys.executable).with_name("dxw")), "run", "--landing", str(landing), "--home", str(home)],
                capture_output=True,
                text=True,
                timeout=900,
                env=clean_env(DXW_AS_OF_DATE=SAMPLES_AS_OF),
            )
            assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
            (root / "done").touch()
    return landing, home


def copy_home(source: tuple[Path, Path], landing: Path, home: Path) -> None:
    """A copy of a landing folder (modification times kept: the warehouse knows its files by size and time) and of
    the home built from it, without its run history and dbt folder (the copy starts its own)."""
    shutil.copytree(source[0], landing, copy_function=shutil.copy2)
    shutil.copytree(
        source[1], home, ignore=shutil.ignore_patterns("dagster", "dbt", "state", "warehouse.lock", "*.wal")
    )


@functools.cache
def dbt_manifest() -> dict:
    """dbt's parsed manifest (dbt_project/target/manifest.json), parsed again first when a model, a YAML file or a
    seed is newer: the models' columns, contracts and tests as dbt sees them, for tests that would otherwise
    copy them."""
    from orchestration.dbt_project import ensure_manifest

    return json.loads(ensure_manifest().read_text(encoding="utf-8"))


def dbt_models(layer: str | None = None) -> dict[str, dict]:
    """The manifest's models by name; `layer` is their folder under models/ (staging, intermediate, marts: the
    reporting models are marts)."""
    nodes = dbt_manifest()["nodes"].values()
    return {n["name"]: n for n in nodes if n["resource_type"] == "model" and (layer is None or n["fqn"][1] == layer)}


def model_keys(layer: str | None = None) -> dict[str, list[str]]:
    """Each model's key as its dbt tests state it: a column tested unique and not null, or a unique_combination
    (which refuses a null part too)."""
    models = {n["unique_id"]: name for name, n in dbt_models(layer).items()}
    tested: dict[str, dict[str, set[str]]] = {}
    keys: dict[str, list[str]] = {}
    for test in dbt_manifest()["nodes"].values():
        meta = test.get("test_metadata") or {}
        model = models.get(test.get("attached_node") or "")
        if test["resource_type"] != "test" or model is None:
            continue
        if meta.get("name") == "unique_combination":
            keys.setdefault(model, list(meta["kwargs"]["columns"]))
        elif meta.get("name") in {"unique", "not_null"}:
            tested.setdefault(model, {}).setdefault(test["column_name"], set()).add(meta["name"])
    for model, columns in tested.items():
        for column, names in sorted(columns.items()):
            if names == {"unique", "not_null"}:
                keys.setdefault(model, [column])
    return keys


def mart_keys() -> dict[str, list[str]]:
    """Each published mart's key (what tests/integration/test_integrity_run.py checks in a published copy)."""
    return model_keys("marts")
