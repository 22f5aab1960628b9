"""`dxw bench`: how the pipeline behaves at 2,000 and 10,000 reports, measured, printed and written down.

Figures, not pass/fail: the suite prints a table and writes BENCHMARKS.md. Each `dxw run` is a subprocess
(as a user runs it) with its process tree's memory sampled from /proc, its CPU time from rusage, and its
time per stage read from the `run_timings.jsonl` it wrote. Short measurements are repeated, medians kept.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestration.run import STAGE_ORDER

DXW = str(Path(sys.executable).with_name("dxw"))
HELD_BACK = 10  # reports generated with the big corpus and added afterwards: the incremental case
TARGETS = {
    "extraction_1core": 200.0,  # reports/s
    "e2e_big_seconds": 300.0,
    "e2e_big_rss_mb": 1200.0,
    "incremental_ratio_big": 0.15,  # +10 reports on the big corpus, share of its full run
    "incremental_ratio_small": 0.25,  # +10 reports on the small corpus
    "forced_small_cpu_s": 12.0,  # `--force` with nothing new on the small corpus, CPU seconds
    "rerun_seconds": 30.0,
}


def _say(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- the machine ----------------------------------------------------------------------------------------


def machine() -> dict:
    mem_kb = 0
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import dagster
    import duckdb
    from dbt.version import __version__ as dbt_version

    return {
        "cores": os.cpu_count() or 1,
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dagster": dagster.__version__,
        "dbt": dbt_version,
        "os": platform.platform(),
    }


_CALIBRATION_TEXT = "Tính đến ngày 15/10/2024, toàn tỉnh có 762.284 tài khoản định danh điện tử được kích hoạt. " * 200


def calibrate(repeats: int = 5) -> float:
    """Seconds for a fixed pure-Python workload (regex, arithmetic, dicts), the best of a few: the speed of this
    machine at this moment. A shared machine's speed drifts by tens of percent within an hour; compare runs of
    the suite by this figure before comparing their results."""

    def once() -> None:
        counts: dict[str, int] = {}
        for m in re.finditer(r"\d+(?:[.,]\d+)*", _CALIBRATION_TEXT * 20):
            counts[m.group()] = counts.get(m.group(), 0) + 1
        sum(i * i % 7 for i in range(1_500_000))

    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - t)
    return best


# --- corpora --------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    root: Path
    landing: Path
    held_back: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.landing.iterdir() if p.is_file())


def make_corpus(root: Path, reports: int, seed: int, held_back: int = 0) -> Corpus:
    from sources.synthetic import write_corpus

    write_corpus(root, reports=reports + held_back, seed=seed)
    landing = root / "reports"
    corpus = Corpus(root, landing)
    if held_back:
        later = root / "later"
        later.mkdir(exist_ok=True)
        for path in sorted(landing.iterdir())[-held_back:]:
            target = later / path.name
            os.replace(path, target)
            corpus.held_back.append(target)
    return corpus


# --- 1. extraction throughput ---------------------------------------------------------------------------


def _load_texts(files: list[Path]) -> list:
    from sources.readers import RejectedFile, read_report

    out = []
    for path in files:
        try:
            out.append(read_report(path, path.read_bytes()))
        except RejectedFile:
            continue
    return out


def _report_texts(files: list[Path]) -> list:
    """The readable reports as the raw layer hands them to extraction."""
    from sources.rows import ReportText

    return [
        ReportText(f"{r.report_id}@bench", r.report_id, "", r.text, r.title, r.province, r.published_date, r.source_url)
        for r in _load_texts(files)
    ]


def _raw_schemas() -> dict:
    import duckdb

    from orchestration.loaders.extracted_facts import raw_schemas
    from orchestration.loaders.schema import ensure_schema

    with duckdb.connect() as con:
        ensure_schema(con)
        return raw_schemas(con)


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def bench_extraction(corpus: Corpus, repeats: int) -> dict:
    """Extraction in this process on one core, then through the engine the pipeline uses (a local Dask cluster
    of 1, 2 and N workers, orchestration/cluster.py): its start-up (cluster, code shipped, workers warm), the
    time for every report, and its close. From the two, the pending count from which the cluster pays off.

    A shared machine's speed drifts within minutes, so each engine run is paired with an in-process run just
    before it (the cluster idle), and the ratio to one core is the median of the pairs' ratios."""
    reports, schemas = _report_texts(corpus.files), _raw_schemas()
    mb = sum(len(r.text.encode("utf-8")) for r in reports) / 1e6
    _say(f"extraction of {len(reports)} reports ({mb:.1f} MB of text): in process, then on Dask, median of {repeats}")
    engines = [bench_engine(reports, schemas, n, repeats) for n in sorted({1, 2, _usable_cores()})]
    one = statistics.median(t for e in engines for t in e.pop("in_process"))
    for e in engines:
        e |= {"rps": len(reports) / e["seconds"], "mbps": mb / e["seconds"]}
    two = next(e for e in engines if e["workers"] == 2)
    saved_per_report = two["seconds"] * (two["ratio"] - 1) / len(reports)  # in process: seconds x ratio
    return {
        "reports": len(reports),
        "mb": mb,
        "one_core_s": one,
        "one_core_rps": len(reports) / one,
        "one_core_mbps": mb / one,
        "engines": engines,
        # below this many pending reports the two-worker cluster's fixed cost is not paid back
        "break_even": (two["start_s"] + two["close_s"]) / saved_per_report if saved_per_report > 0 else None,
        "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def bench_engine(reports: list, schemas: dict, workers: int, repeats: int) -> dict:
    from orchestration.cluster import EngineConfig, dask_extractor
    from sources.rows import extract_batch

    _say(f"extraction on a local Dask cluster of {workers} workers, each run after one in process")
    t = time.perf_counter()
    with dask_extractor(EngineConfig(workers=workers), say=lambda _: None) as ex:
        ex.result(ex.submit(reports[:workers], schemas))  # the workers import the shipped code and the catalogue
        started = time.perf_counter() - t
        pairs = []
        for _ in range(repeats):
            inside = _median_time(lambda: extract_batch(reports, schemas), 1)
            pairs.append((inside, _median_time(lambda: ex.result(ex.submit(reports, schemas)), 1)))
        t = time.perf_counter()
    return {
        "workers": workers,
        "start_s": started,
        "seconds": statistics.median(p[1] for p in pairs),
        "ratio": statistics.median(p[0] / p[1] for p in pairs),
        "in_process": [p[0] for p in pairs],
        "close_s": time.perf_counter() - t,
    }


def gold_score(corpus: Corpus) -> dict:
    """The extractor against the generator's gold: a sanity check (the generator is not the tuning set)."""
    from sources.reports import extract_text

    gold: dict[str, list[dict]] = {}
    with (corpus.root / "gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            g = json.loads(line)
            gold.setdefault(g["report_id"], []).append(g)
    tp = fp = fn = 0
    for report in _load_texts(corpus.files):
        expected = [_key(g) for g in gold.get(report.report_id, [])]
        remaining = list(dict.fromkeys(expected))
        predicted = list(dict.fromkeys(_key(o.contract()) for o in extract_text(report).observations))
        for p in predicted:
            match = next((g for g in remaining if _same(g, p)), None)
            if match is None:
                fp += 1
            else:
                remaining.remove(match)
                tp += 1
        fn += len(remaining)
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "gold": tp + fn,
        "predicted": tp + fp,
    }


def _key(o: dict) -> tuple:
    level = o.get("geo_level") or ("national" if o.get("geo_code") == "00" else "province")
    return (o["report_id"], str(o.get("geo_code")), level, o.get("indicator"), round(float(o["value"]), 2))


def _same(a: tuple, b: tuple) -> bool:
    return a[:4] == b[:4] and abs(a[4] - b[4]) <= max(0.011, 1e-9 * abs(a[4]))


# --- 2. the floor ---------------------------------------------------------------------------------------


def bench_floor(corpus: Corpus, workdir: Path, repeats: int) -> float:
    """Read every file and insert its raw text into DuckDB, nothing else: what no pipeline can beat."""
    import duckdb
    import pyarrow as pa

    def once() -> None:
        db = workdir / "floor.duckdb"
        db.unlink(missing_ok=True)
        with duckdb.connect(str(db)) as con:
            con.execute("create table raw_text (path varchar, text varchar)")
            files = corpus.files
            for start in range(0, len(files), 500):
                rows = [
                    {"path": p.name, "text": p.read_bytes().decode("utf-8", errors="replace")}
                    for p in files[start : start + 500]
                ]
                batch = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB)
                con.execute("insert into raw_text select * from batch")
        db.unlink(missing_ok=True)

    return _median_time(once, repeats)


# --- 3-5. dxw run -----------------------------------------------------------------------------------------


@dataclass
class RunFigures:
    seconds: float
    exit_code: int
    peak_rss_mb: float
    peak_process_mb: float
    stages: dict[str, float]
    skipped: bool = False
    cpu_seconds: float = 0.0  # user + system of the whole process tree


def _tree_rss(root_pid: int) -> tuple[int, int]:
    """Resident memory (kB) of a process and its descendants: the sum, and the largest single process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        ppid = vm = 0
        for line in status.splitlines():
            if line.startswith("PPid:"):
                ppid = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                vm = int(line.split()[1])
        pid = int(entry.name)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = vm
    total = largest = 0
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        stack.extend(children.get(pid, []))
    return total, largest


def _stage_times(home: Path) -> dict[str, float]:
    """Seconds per stage of the latest run under this home, as `dxw run` recorded them."""
    log = home / "logs" / "run_timings.jsonl"
    if not log.exists():
        return {}
    lines = log.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1])["stages"] if lines else {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dxw_run(landing: Path, home: Path, *extra: str, env_extra: dict[str, str] | None = None) -> RunFigures:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXW_", "DAGSTER_"))}
    env |= {"DXW_HARD_RULE_LIMIT": "1", "DXW_LOG_LEVEL": "WARNING"}  # synthetic contradictions never block
    env |= env_extra or {}
    log = home.parent / f"{home.name}.log"
    home.mkdir(parents=True, exist_ok=True)
    before = (home / "state" / "last_run.json").read_text() if (home / "state" / "last_run.json").exists() else ""
    peak = [0, 0]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [DXW, "run", "--landing", str(landing), "--home", str(home), *extra], stdout=out, stderr=out, env=env
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total, largest = _tree_rss(proc.pid)
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before  # the child and every descendant it waited for
    after = (home / "state" / "last_run.json").read_text() if (home / "state" / "last_run.json").exists() else ""
    skipped = code in (0, 2) and before == after and bool(before)
    if code not in (0, 2):
        raise RuntimeError(f"dxw run failed with exit code {code}; see {log}")
    stages = {} if skipped else _stage_times(home)
    return RunFigures(seconds, code, peak[0] / 1024, peak[1] / 1024, stages, skipped, cpu)


def _median_run(runs: list[RunFigures]) -> RunFigures:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def bench_small_run(workdir: Path, repeats: int) -> dict:
    """`dxw run` on the 10 shipped samples on a fresh home: extraction in process (the default below the
    threshold) and forced onto a local Dask cluster (DXW_EXTRACT_CLUSTER_MIN=0): the engine's cost on a small run."""
    from orchestration.settings import SAMPLES_DIR

    out = {}
    for label, env in (("in_process", {}), ("dask", {"DXW_EXTRACT_CLUSTER_MIN": "0"})):
        runs = []
        for i in range(repeats):
            _say(f"dxw run on the 10 samples, extraction {label.replace('_', ' ')} ({i + 1}/{repeats})")
            home = workdir / f"home-samples-{label}-{i}"
            shutil.rmtree(home, ignore_errors=True)
            runs.append(dxw_run(SAMPLES_DIR, home, env_extra=env))
        out[label] = _median_run(runs)
    return out


# --- the suite --------------------------------------------------------------------------------------------


def run_extraction_benchmarks(
    reports: int = 1_000,
    out: Path = Path("BENCHMARKS.md"),
    repeats: int = 3,
    workdir: Path | None = None,
    seed: int = 6,
) -> int:
    """Only the extraction measurements (`dxw bench --extraction-only`): they replace their section of `out`."""
    base = Path(workdir or tempfile.mkdtemp(prefix="dxw-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    figures: dict = {"machine": machine(), "reports": reports, "started": datetime.now(UTC)}
    figures["calibration_start_s"] = calibrate()
    corpus = make_corpus(base / "extraction", reports, seed)
    figures["extraction"] = bench_extraction(corpus, repeats)
    figures["small_run"] = bench_small_run(base, repeats)
    figures["calibration_end_s"] = calibrate()
    figures["finished"] = datetime.now(UTC)
    section = render_extraction(figures, standalone=True)
    text = Path(out).read_text(encoding="utf-8") if Path(out).exists() else "# Benchmarks\n"
    Path(out).write_text(replace_section(text, EXTRACTION_HEADING, section), encoding="utf-8")
    print(section)
    _say(f"wrote the extraction section of {out}")
    return 0


EXTRACTION_HEADING = "## Extraction on Dask"


def replace_section(text: str, heading: str, section: str) -> str:
    """`text` with the section under `heading` (up to the next `## `) replaced by `section`, or appended."""
    start = text.find(heading + "\n")
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + len(heading))
    return text[:start] + section + (text[end + 1 :] if end >= 0 else "")


def render_extraction(f: dict, standalone: bool = False) -> list[str] | str:
    ex, m = f["extraction"], f["machine"]
    lines = [EXTRACTION_HEADING, ""]
    if standalone:
        lines += [
            f"`dxw bench --extraction-only --reports {f['reports']}` ({ex['reports']} readable synthetic "
            f"reports, {ex['mb']:.1f} MB), {f['started']:%Y-%m-%d %H:%M} to {f['finished']:%H:%M} UTC, on "
            f"{m['cores']} cores ({m['usable_cores']} usable) shared with other work (load average "
            f"{ex['load'][0]:.1f} at the end of the extraction runs); calibration {f['calibration_start_s']:.2f} s "
            f"at the start, {f['calibration_end_s']:.2f} s at the end.",
            "",
        ]
    lines += [
        "The same reports extracted in this process on one core, then as tasks on a local Dask cluster (the "
        "pipeline's own path, `orchestration/cluster.py`: the code shipped to the workers, rows returned as Arrow). "
        "Start-up: cluster started, code shipped, each worker's first report (imports, catalogue). Each cluster "
        "run follows an in-process run of the same reports; the ratio is the median of those pairs.",
        "",
        "| where | start-up | close | all reports | reports/s | vs one in-process core |",
        "|---|---|---|---|---|---|",
        f"| in process, 1 core | - | - | {ex['one_core_s']:.2f} s | {ex['one_core_rps']:.0f} | x1.00 |",
    ]
    for e in ex["engines"]:
        lines.append(
            f"| local Dask cluster, {e['workers']} worker{'s' if e['workers'] > 1 else ''} | {e['start_s']:.2f} s "
            f"| {e['close_s']:.2f} s | {e['seconds']:.2f} s | {e['rps']:.0f} | x{e['ratio']:.2f} |"
        )
    lines.append("")
    if ex["break_even"] is not None:
        lines.append(
            f"Break-even of the two-worker cluster (start-up and close over the time it saves per report): "
            f"{ex['break_even']:.0f} pending reports. Below `DXW_EXTRACT_CLUSTER_MIN` extraction runs in process."
        )
    else:
        lines.append("The two-worker cluster saved no time per report in this run: no break-even.")
    if "small_run" in f:
        small = f["small_run"]
        lines += [
            "",
            "| `dxw run`, the 10 samples, fresh home | wall | extract stage |",
            "|---|---|---|",
            f"| extraction in process (default) | {small['in_process'].seconds:.1f} s | "
            f"{small['in_process'].stages.get('extract', 0):.2f} s |",
            f"| on a local Dask cluster (`DXW_EXTRACT_CLUSTER_MIN=0`) | {small['dask'].seconds:.1f} s | "
            f"{small['dask'].stages.get('extract', 0):.2f} s |",
        ]
    lines.append("")
    return "\n".join(lines) if standalone else lines


def _add_held_back(corpus: Corpus, home: Path) -> RunFigures:
    """A run after the held-back reports land next to an up-to-date warehouse; the corpus is left as generated."""
    for path in corpus.held_back:
        shutil.copy(path, corpus.landing / path.name)
    try:
        return dxw_run(corpus.landing, home)
    finally:
        for path in corpus.held_back:
            (corpus.landing / path.name).unlink()


def run_benchmarks(
    reports: int = 10_000,
    out: Path = Path("BENCHMARKS.md"),
    small: int = 2_000,
    repeats: int = 3,
    workdir: Path | None = None,
    seed: int = 6,
) -> int:
    small = min(small, reports)
    base = Path(workdir or tempfile.mkdtemp(prefix="dxw-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    figures: dict = {"machine": machine(), "reports": reports, "small": small, "seed": seed, "repeats": repeats}
    _say(f"machine: {figures['machine']['cores']} cores, {figures['machine']['memory_gb']} GB; work in {base}")
    figures["calibration_start_s"] = calibrate()

    t = time.perf_counter()
    big = make_corpus(base / "big", reports, seed, held_back=HELD_BACK)
    figures["generate_big_s"] = time.perf_counter() - t
    small_corpus = make_corpus(base / "small", small, seed, held_back=HELD_BACK)
    _say(f"generated {reports}+{HELD_BACK} and {small} reports in {figures['generate_big_s']:.0f}s")

    figures["extraction"] = bench_extraction(small_corpus, repeats)
    _say(f"extraction: {figures['extraction']['one_core_rps']:.0f} reports/s on one core")
    figures["small_run"] = bench_small_run(base, repeats)
    figures["gold"] = gold_score(small_corpus)
    figures["floor_small_s"] = bench_floor(small_corpus, base, repeats)
    figures["floor_big_s"] = bench_floor(big, base, 1)
    _say(f"floor: {figures['floor_small_s']:.2f}s ({small}), {figures['floor_big_s']:.2f}s ({reports})")

    small_runs = []
    for i in range(repeats):
        _say(f"dxw run on {small} new reports ({i + 1}/{repeats})")
        home = base / f"home-small-{i}"
        shutil.rmtree(home, ignore_errors=True)
        small_runs.append(dxw_run(small_corpus.landing, home))
    figures["e2e_small"] = _median_run(small_runs)
    small_home = base / f"home-small-{repeats - 1}"
    _say(f"rerun with nothing new on {small}, forced through Dagster (x{repeats})")
    figures["rerun_forced_small"] = _median_run(
        [dxw_run(small_corpus.landing, small_home, "--force") for _ in range(repeats)]
    )
    _say(f"{HELD_BACK} new reports added to {small}")
    figures["incremental_small"] = _add_held_back(small_corpus, small_home)

    _say(f"dxw run on {reports} new reports")
    big_home = base / "home-big"
    shutil.rmtree(big_home, ignore_errors=True)
    figures["e2e_big"] = dxw_run(big.landing, big_home)
    _say(f"  {figures['e2e_big'].seconds:.0f}s, peak {figures['e2e_big'].peak_rss_mb:.0f} MB")

    _say(f"rerun with nothing new (x{repeats})")
    figures["rerun"] = _median_run([dxw_run(big.landing, big_home) for _ in range(repeats)])
    _say("rerun with nothing new, forced through Dagster")
    figures["rerun_forced"] = dxw_run(big.landing, big_home, "--force")

    _say(f"{HELD_BACK} new reports added to {reports}")
    figures["incremental"] = _add_held_back(big, big_home)

    figures["calibration_end_s"] = calibrate()
    figures["finished"] = datetime.now(UTC)
    figures["started"] = started
    text = render(figures)
    Path(out).write_text(text, encoding="utf-8")
    print(text)
    _say(f"wrote {out}")
    return 0


# --- the write-up -----------------------------------------------------------------------------------------


def _ok(value: float, target: float, lower_is_better: bool = True) -> str:
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**missed**"


def stage_table(runs: list[tuple[str, RunFigures]]) -> list[str]:
    """Markdown rows: one per stage (seconds), one column per run; `exit` and `wall` close each column."""
    runs = [(name, r) for name, r in runs if r.stages]
    lines = ["| stage | " + " | ".join(name for name, _ in runs) + " |", "|---" * (len(runs) + 1) + "|"]
    for stage in STAGE_ORDER:
        if any(stage in r.stages for _, r in runs):
            lines.append(f"| {stage} | " + " | ".join(f"{r.stages.get(stage, 0.0):.1f}" for _, r in runs) + " |")
    lines.append("| exit | " + " | ".join(f"{r.seconds - sum(r.stages.values()):.1f}" for _, r in runs) + " |")
    lines.append("| **wall** | " + " | ".join(f"**{r.seconds:.1f}**" for _, r in runs) + " |")
    lines.append("| CPU (process tree) | " + " | ".join(f"{r.cpu_seconds:.1f}" for _, r in runs) + " |")
    return lines


def render(f: dict) -> str:
    m, ex, gold = f["machine"], f["extraction"], f["gold"]
    small, big, rerun, forced, inc = f["e2e_small"], f["e2e_big"], f["rerun"], f["rerun_forced"], f["incremental"]
    inc_small, forced_small = f["incremental_small"], f["rerun_forced_small"]
    n, k = f["reports"], f["small"]
    lines = [
        "# Benchmarks",
        "",
        f"One complete run of `dxw bench --reports {n}` (`make bench`), {f['started']:%Y-%m-%d %H:%M} to "
        f"{f['finished']:%H:%M} UTC. Synthetic reports from `dxw generate` (seed {f['seed']}): text, HTML and "
        "UTF-16 files with a few bad files and contradictions. Short measurements are the median of "
        f"{f['repeats']} runs; the {n:,}-report run is measured once.",
        "",
        f"Machine: {m['cores']} cores ({m['usable_cores']} usable), {m['memory_gb']} GB, {m['cpu']}; "
        f"Python {m['python']}, DuckDB {m['duckdb']}, Dagster {m['dagster']}, dbt {m['dbt']}. Its speed "
        f"(`orchestration.bench.calibrate`, a fixed pure-Python workload; lower is faster): "
        f"{f['calibration_start_s']:.2f} s at the start, {f['calibration_end_s']:.2f} s at the end.",
        "",
        "| measurement | figure | target |",
        "|---|---|---|",
        f"| extraction, 1 core | {ex['one_core_rps']:.0f} reports/s, {ex['one_core_mbps']:.2f} MB/s "
        f"({ex['reports']} reports, {ex['mb']:.1f} MB) | >= 200 reports/s: "
        f"{_ok(ex['one_core_rps'], TARGETS['extraction_1core'], lower_is_better=False)} |",
        f"| extraction, local Dask cluster of {ex['engines'][-1]['workers']} workers | "
        f"{ex['engines'][-1]['rps']:.0f} reports/s, {ex['engines'][-1]['mbps']:.2f} MB/s "
        f"(x{ex['engines'][-1]['ratio']:.2f} one in-process core) | |",
        f"| extraction vs generator gold | precision {gold['precision']:.3f}, recall {gold['recall']:.3f} "
        f"({gold['gold']} gold, {gold['predicted']} predicted) | sanity check |",
        f"| floor: read + insert raw text, {k:,} files | {f['floor_small_s']:.2f} s | |",
        f"| floor: read + insert raw text, {n:,} files | {f['floor_big_s']:.2f} s | |",
        f"| `dxw run`, {k:,} new reports | {small.seconds:.1f} s ({small.cpu_seconds:.1f} s CPU), peak RSS "
        f"{small.peak_rss_mb:.0f} MB ({small.seconds / f['floor_small_s']:.0f}x the floor) | |",
        f"| +{HELD_BACK} reports to {k:,} | {inc_small.seconds:.1f} s = {inc_small.seconds / small.seconds:.1%} of "
        f"the full run | <= 25%: {_ok(inc_small.seconds / small.seconds, TARGETS['incremental_ratio_small'])} |",
        f"| re-run on {k:,}, nothing new, `--force` | {forced_small.seconds:.1f} s, "
        f"{forced_small.cpu_seconds:.1f} s CPU | <= 12 s CPU: "
        f"{_ok(forced_small.cpu_seconds, TARGETS['forced_small_cpu_s'])} |",
        f"| `dxw run`, {n:,} new reports | {big.seconds:.1f} s ({big.cpu_seconds:.1f} s CPU), peak RSS "
        f"{big.peak_rss_mb:.0f} MB (largest process {big.peak_process_mb:.0f} MB; "
        f"{big.seconds / f['floor_big_s']:.0f}x the floor) | <= 300 s: {_ok(big.seconds, TARGETS['e2e_big_seconds'])}; "
        f"<= 1.2 GB: {_ok(big.peak_rss_mb, TARGETS['e2e_big_rss_mb'])} |",
        f"| +{HELD_BACK} reports to {n:,} | {inc.seconds:.1f} s = {inc.seconds / big.seconds:.1%} of the full run "
        f"| <= 15%: {_ok(inc.seconds / big.seconds, TARGETS['incremental_ratio_big'])} |",
        f"| re-run, nothing new | {rerun.seconds:.1f} s{' (up to date: Dagster not started)' if rerun.skipped else ''} "
        f"| <= 30 s: {_ok(rerun.seconds, TARGETS['rerun_seconds'])} |",
        f"| re-run on {n:,}, nothing new, `--force` | {forced.seconds:.1f} s, {forced.cpu_seconds:.1f} s CPU "
        "(every step runs; nothing is read or extracted) | |",
        "",
        "## Time per stage",
        "",
        "From `<home>/logs/run_timings.jsonl`, which `dxw run` writes: its stages add up to its own wall time, from "
        "the process's start (read from the kernel) to its summary; `exit` is what the process took after that (the "
        "measured wall time less the stages), so each column adds up to the wall time measured from outside.",
        "",
        *stage_table(
            [
                (f"{k:,} new", small),
                (f"{n:,} new", big),
                (f"+{HELD_BACK} to {k:,}", inc_small),
                (f"nothing new on {k:,}, forced", forced_small),
                (f"+{HELD_BACK} to {n:,}", inc),
                ("nothing new, forced", forced),
            ]
        ),
        "",
        *render_extraction(f),
    ]
    return "\n".join(lines)
