"""`dxw run`: the whole asset graph (the one the UI shows), in-process, then a summary an operator can read.

Exit codes: 0 all good; 1 a step failed (or the settings are wrong); 2 data checks failed (the warehouse is
published unless the failure was systemic, in which case the blocking check held publishing back); 3 the run
did not start because the landing folder is empty (nothing to ingest, or --force needed to withdraw all); 4 the
extraction of one or more reports failed (the others are loaded and published; the summary names them).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from orchestration import up_to_date
from orchestration.disk_space import disk_full_report
from orchestration.settings import AS_OF_SOURCES, Settings, SettingsError, ensure_writable_home, load_settings
from orchestration.warehouse import connect, writer_lock

EMPTY_LANDING = 3  # exit code: the run did not start, the landing folder holds no files
REPORT_FAILED = 4  # exit code: a report's extraction failed; the others are published


_RUN_MONITORING = """# A run whose process died (kill -9, out of memory) is marked failed by the run monitoring,
# so the queue moves on (orchestration/run_monitoring.py tells a live run from a dead one).
run_launcher:
  module: orchestration.run_monitoring
  class: PidCheckingRunLauncher
run_monitoring:
  enabled: true
  poll_interval_seconds: 10
  max_resume_run_attempts: 0
"""

DAGSTER_YAML = (
    """# Written by dxw; safe to edit (dxw rewrites it only while it is what an older dxw wrote).
# Runs, schedules and events in SQLite under storage/, on pooled connections (orchestration/dagster_storage.py).
run_storage:
  module: orchestration.dagster_storage
  class: PooledSqliteRunStorage
  config:
    base_dir: {history}
event_log_storage:
  module: orchestration.dagster_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {history}
schedule_storage:
  module: dagster._core.storage.schedules
  class: SqliteScheduleStorage
  config:
    base_dir: {schedules}
# One writer at a time: runs tagged {tag}=warehouse queue behind each other.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    max_concurrent_runs: 4
    tag_concurrency_limits:
      - key: {tag}
        value: warehouse
        limit: 1
"""
    + _RUN_MONITORING
    + """telemetry:
  enabled: false
"""
)

# What earlier versions wrote, upgraded while untouched (an edited copy is left alone): Dagster's default SQLite
# layout (one event file per run, every event written twice; the runs stay listed, their step logs stay in
# storage/history/runs/*.db), and the pooled layout before run monitoring (_OLDER_DAGSTER_YAMLS below).
_OLDER_DAGSTER_YAML = """# Written by dxw; safe to edit.
# One writer at a time: runs tagged {tag}=warehouse queue behind each other.
storage:
  sqlite:
    base_dir: {base}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    max_concurrent_runs: 4
    tag_concurrency_limits:
      - key: {tag}
        value: warehouse
        limit: 1
telemetry:
  enabled: false
"""
_OLDER_DAGSTER_YAMLS = (_OLDER_DAGSTER_YAML, DAGSTER_YAML.replace(_RUN_MONITORING, ""))


def prepare_dagster_home(settings: Settings) -> Path:
    """A persistent DAGSTER_HOME under the data folder, so that CLI runs show in the UI's run history."""
    from orchestration.assets.defaults import WRITER_TAG

    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    storage = home / "storage"
    # a JSON string is a YAML string: a home with a quote, "#" or ": " stays one value
    values = {
        "base": json.dumps(str(storage)),
        "history": json.dumps(str(storage / "history")),
        "schedules": json.dumps(str(storage / "schedules")),
        "tag": WRITER_TAG,
    }
    if not config.exists() or config.read_text(encoding="utf-8") in {t.format(**values) for t in _OLDER_DAGSTER_YAMLS}:
        config.write_text(DAGSTER_YAML.format(**values), encoding="utf-8")
    return home


@dataclass
class RunOutcome:
    success: bool
    step_errors: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[tuple[str, str, str]] = field(default_factory=list)  # (asset, check, severity)
    blocked: bool = False
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    failed_reports: list[tuple[str, str, str]] = field(default_factory=list)  # (file, version, error)

    @property
    def exit_code(self) -> int:
        if self.step_errors:
            return 1
        if self.failed_reports:  # before checks: a report missing from the warehouse is the graver news
            return REPORT_FAILED
        if self.blocked or any(sev == "ERROR" for *_, sev in self.checks_failed):
            return 2
        return 0


STAGES = (  # step key fragments → stage, first match wins; the dbt steps are the rest
    ("landing", "ingest"),
    ("extracted", "extract"),
    ("raw_corrections", "ingest"),
    ("quality", "checks"),
    ("expectation_checks", "checks"),
    ("serving", "publish"),
)
STAGE_ORDER = ("start", "run creation", "ingest", "extract", "dbt", "checks", "publish", "between steps", "teardown")


def stage_times(instance, run_id: str, started: float, executing: float, finished: float) -> dict[str, float]:
    """Seconds per stage of a run, adding up to its wall time. `started` (the process start), `executing` (the
    call that creates and runs the Dagster run) and `finished` are `time.time()` readings of this process;
    steps' times come from the run's event log (steps run one after another, in process)."""
    steps = sorted(
        (s.start_time, s.end_time, s.step_key)
        for s in instance.get_run_step_stats(run_id)
        if s.start_time and s.end_time
    )
    out: dict[str, float] = {"start": executing - started}
    if not steps:
        out["run creation"] = finished - executing
        return out
    out["run creation"] = steps[0][0] - executing
    gaps, previous_end = 0.0, steps[0][0]
    for begin, end, key in steps:
        stage = next((name for fragment, name in STAGES if fragment in key), "dbt")
        out[stage] = out.get(stage, 0.0) + end - begin
        gaps += max(0.0, begin - previous_end)
        previous_end = max(previous_end, end)
    out["between steps"] = gaps
    out["teardown"] = finished - previous_end
    return out


def outcome_of(result) -> RunOutcome:
    """Tell a failed step from a failed check in an in-process Dagster result."""
    out = RunOutcome(success=result.success)
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
            out.blocked = True
        else:
            out.step_errors.append(f"{event.step_key}: {error.message.strip() if error else 'failed'}")
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            out.checks_passed += 1
        else:
            out.checks_failed.append(
                (evaluation.asset_key.to_user_string(), evaluation.check_name, evaluation.severity.value)
            )
    return out


def process_started() -> float:
    """When this process started (`time.time()` scale), from the kernel: the interpreter's own start-up and the
    first imports are part of the wall time a user waits for. Elsewhere than Linux: now."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])  # since boot
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - age
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time()


def run_pipeline(
    landing: str | None = None,
    home: str | None = None,
    quiet: bool = False,
    force: bool = False,
    started: float | None = None,
) -> int:
    started = started or process_started()
    try:
        settings = load_settings(home=home, landing=landing)
        ensure_writable_home(settings)
    except SettingsError as e:
        print(f"dxw run: {e}", file=sys.stderr)
        return 1
    if not settings.landing.is_dir():
        print(f"dxw run: landing folder {settings.landing} does not exist", file=sys.stderr)
        return 1
    say = (lambda m: None) if quiet else (lambda m: print(f"dxw run: {m}", file=sys.stderr, flush=True))
    say(f"{settings.landing} → {settings.home}: looking at the landing folder and what changed since the last run")
    # one writer: a second `dxw run` waits here, then finds out whether the first left it anything to do
    with writer_lock(settings.lock_path, on_wait=say):
        if not force and (refusal := _empty_landing(settings)):
            print(f"dxw run: {refusal}", file=sys.stderr)
            return EMPTY_LANDING
        digest = up_to_date.inputs_digest(settings)
        last = None if force else up_to_date.recorded(settings)
        if last and last["digest"] == digest:
            if not quiet:
                print(
                    f"dx-warehouse: nothing new since run {last['run_id'][:8]} ({last['finished_at']}): same "
                    f"files, same code, same as-of date; the published warehouse is current "
                    f"({time.time() - started:.1f}s). Use --force to rebuild anyway.\n"
                    f"published:    {settings.serving_dir / 'warehouse.duckdb'}\n"
                    f"exit code:    {last['exit_code']} (of that run)"
                )
            return last["exit_code"]
        files = sum(1 for _ in up_to_date.landed_files(settings))
        say(
            f"{files} files in the landing folder, as of {settings.as_of_date} ({settings.as_of_source}); "
            "loading Dagster and the definitions (stages: ingest, extract, dbt, checks, publish)"
        )
        run_id, outcome = _materialize(settings, started, say)
        outcome.failed_reports = _failed_reports(settings)
        if not outcome.step_errors and not outcome.blocked:
            up_to_date.record(settings, digest, run_id, outcome.exit_code)
    wall = time.time() - started
    _record_timings(settings, run_id, wall, outcome)
    if not quiet:
        print(summary_text(settings, run_id, outcome, wall))
    # the process ends next: without this, the interpreter's shutdown walks every object with the collector
    # once per module it tears down (6 s after a samples run, measured), while the user waits for the prompt
    gc.freeze()
    return outcome.exit_code


def _empty_landing(settings: Settings) -> str | None:
    """Why a run must not go ahead on an empty landing folder, or None. An empty folder with an empty
    warehouse has nothing to do; one whose warehouse holds reports would withdraw them all (an unmounted
    share looks exactly like that), so it takes --force."""
    if any(up_to_date.landed_files(settings)):
        return None
    held = 0
    if settings.duckdb_path.exists():
        with connect(settings.duckdb_path, read_only=True) as con:
            if _has(con, "raw", "files"):
                held = con.execute("select count(*) from raw.files where status = 'loaded'").fetchone()[0]
    if not held:
        return (
            f"the landing folder {settings.landing} holds no files: nothing to ingest "
            "(put reports there, or pass --landing DIR)"
        )
    return (
        f"the landing folder {settings.landing} is empty but the warehouse holds {held} reports from it: a run "
        "would withdraw every one. Run with --force if that is what you want."
    )


def _materialize(settings: Settings, started: float, say) -> tuple[str, RunOutcome]:
    """The full job, in-process, on the persistent instance (so the run shows in the UI's history)."""
    logging.getLogger("dxw").setLevel(settings.log_level)
    from dagster import DagsterInstance

    from orchestration.definitions import build_defs
    from orchestration.run_monitoring import fail_dead_runs

    job = build_defs(settings).resolve_job_def("dxw_full_pipeline")
    with DagsterInstance.from_config(str(prepare_dagster_home(settings))) as instance:
        for dead in fail_dead_runs(instance):  # a killed run's history shows its end, daemon or not
            say(f"run {dead[:8]} ended without recording its end (killed, or stopped by a full disk): marked failed")
        # Dagster, dbt and the definitions (~600,000 objects) live as long as this process: the cyclic garbage
        # collector need not walk them again on every full collection (1.7 s of a samples run, measured)
        gc.freeze()
        executing = time.time()
        say(f"definitions loaded in {executing - started:.1f}s; running the pipeline")
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": settings.log_level}}}},
        )
        finished = time.time()
        outcome = outcome_of(result)
        outcome.stages = stage_times(instance, result.run_id, started, executing, finished)
    return result.run_id, outcome


def _failed_reports(settings: Settings) -> list[tuple[str, str, str]]:
    from orchestration.loaders.extracted_facts import failed_extractions

    if not settings.duckdb_path.exists():
        return []
    with connect(settings.duckdb_path, read_only=True) as con:
        return failed_extractions(con) if _has(con, "raw", "extractions") else []


def _record_timings(settings: Settings, run_id: str, wall: float, outcome: RunOutcome) -> None:
    """One line per run in <home>/logs/run_timings.jsonl: what `dxw bench` reads back."""
    log_dir = settings.home / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    entry = {
        "run_id": run_id,
        "wall_seconds": round(wall, 3),
        "stages": {k: round(v, 3) for k, v in outcome.stages.items()},
    }
    with open(log_dir / "run_timings.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def summary_text(settings: Settings, run_id: str, outcome: RunOutcome, seconds: float) -> str:
    lines = [f"dx-warehouse run {run_id[:8]} finished in {seconds:.1f}s"]
    if outcome.stages:
        lines.append(
            "stages:       " + ", ".join(f"{s} {outcome.stages[s]:.1f}s" for s in STAGE_ORDER if s in outcome.stages)
        )
    lines.append(f"as of:        {settings.as_of_date} ({AS_OF_SOURCES[settings.as_of_source]})")
    with connect(settings.duckdb_path, read_only=True) as con:
        files = (
            dict(con.execute("select status, count(*) from raw.files group by status").fetchall())
            if _has(con, "raw", "files")
            else {}
        )
        new_versions = (
            con.execute("select count(*) from raw.reports where run_id = ?", [run_id]).fetchone()[0]
            if _has(con, "raw", "reports")
            else 0
        )
        rejected = (
            con.execute(
                "select file_path, status, case when status in ('rejected', 'duplicate') then reason else warnings end "
                "from raw.files "
                "where status in ('rejected', 'duplicate') or (warnings is not null and status not in "
                "('withdrawn', 'removed')) order by status = 'loaded', status, file_path"
            ).fetchall()
            if files
            else []
        )
        extracted = (
            con.execute(
                """select count(*), coalesce(sum(observation_count), 0), coalesce(sum(document_count), 0),
                      coalesce(sum(instruction_count), 0)
               from raw.extractions where run_id = ? and error is null""",
                [run_id],
            ).fetchone()
            if files
            else (0, 0, 0, 0)
        )
        totals = (
            con.execute(
                """select (select count(*) from fct_indicator_observations where report_status = 'current'),
                      (select count(*) from fct_directive_documents where report_status = 'current'),
                      (select count(*) from fct_instructions where report_status = 'current'),
                      (select count(*) from fct_indicator_observations where is_quarantined
                              and report_status = 'current')"""
            ).fetchone()
            if _has(con, "main", "fct_indicator_observations") and _has(con, "main", "fct_instructions")
            else None
        )
        unplaced = (
            con.execute(
                "select count(*) from fct_indicator_observations where is_place_unknown and report_status = 'current'"
            ).fetchone()[0]
            if totals and _has_column(con, "fct_indicator_observations", "is_place_unknown")
            else 0
        )
        corrections = _corrections_counts(con)
    found = sum(v for k, v in files.items() if k not in {"sidecar", "withdrawn", "removed"})
    lines.append(
        f"reports:      {found} found, {files.get('loaded', 0)} loaded ({new_versions} new this run), "
        f"{files.get('rejected', 0)} rejected, {files.get('duplicate', 0)} duplicates, "
        f"{files.get('withdrawn', 0)} withdrawn"
    )
    for path, status, reason in rejected[:20]:
        label = {"rejected": "rejected", "duplicate": "duplicate"}.get(status, "warning")
        lines.append(f"  {label:<11} {path}: {reason}")
    if len(rejected) > 20:
        lines.append(
            f"  … and {len(rejected) - 20} more files rejected, duplicated or read with warnings "
            f'(dxw sql "select file_path, status, reason, warnings from fct_landing_files '
            f"where status <> 'loaded' or warnings is not null\")"
        )
    lines.append(
        f"extracted:    {extracted[0]} reports this run: {extracted[1]} observations, "
        f"{extracted[2]} documents, {extracted[3]} instructions"
        + (f"; {len(outcome.failed_reports)} failed (their figures are missing)" if outcome.failed_reports else "")
    )
    for path, _, error in outcome.failed_reports[:20]:
        lines.append(f"  failed      {path}: {error[:300]}")
    if len(outcome.failed_reports) > 20:
        lines.append(
            f"  … and {len(outcome.failed_reports) - 20} more "
            '(dxw sql "select report_version_id, extraction_error from dim_report where extraction_error is not null")'
        )
    if totals:
        lines.append(
            f"warehouse:    {totals[0]} observations ({totals[3]} quarantined), {totals[1]} document "
            f"citations, {totals[2]} instructions"
        )
    if unplaced:
        lines.append(
            f"  {'no place':<11} {unplaced} observations of a place the text never names: not the nation's, kept "
            "out of the values, at the head of `dxw review export` "
            '(dxw sql "select report_id, indicator_code, value, evidence from fct_indicator_observations '
            'where is_place_unknown")'
        )
    if corrections:
        reviewed, applied, orphaned = corrections
        lines.append(
            f"corrections:  {reviewed} reviewed, {sum(applied.values())} applied to current figures ("
            + ", ".join(f"{applied.get(k, 0)} {k}" for k in ("confirmed", "changed", "rejected", "added"))
            + f"), {orphaned} orphaned"
            + (' (dxw sql "select * from fct_correction_orphans")' if orphaned else "")
        )
    failed = outcome.checks_failed
    lines.append(
        f"checks:       {outcome.checks_passed} passed, {len(failed)} failed"
        + (
            f" ({sum(1 for f in failed if f[2] == 'ERROR')} errors, "
            f"{sum(1 for f in failed if f[2] != 'ERROR')} warnings)"
            if failed
            else ""
        )
    )
    for asset, check, severity in failed:
        lines.append(f"  {severity.lower():7}    {asset}: {check}")
    for error in outcome.step_errors:
        lines.append(f"  step error  {error[:300]}")
    if outcome.step_errors and (full := disk_full_report(settings, " ".join(outcome.step_errors))):
        lines.append(full)
    if outcome.blocked:
        lines.append("  blocked     publishing held back: too many new observations break hard rules")
    serving = settings.serving_dir / "warehouse.duckdb"
    lines.append(f"warehouse:    {settings.duckdb_path} (working copy)")
    lines.append(f"published:    {serving}" + ("" if serving.exists() else " (not published)"))
    report = settings.serving_dir / "report.html"
    if report.exists():
        lines.append(f"report:       {report}")
    lines.append(
        'try:          dxw sql "select geo_display_name, year, eid_accounts_activated, eid_eligible_citizens, '
        'eid_activation_rate_computed from mart_province_scorecard where eid_accounts_activated is not null"'
        + (f" --home {shlex.quote(str(settings.home))}" if settings.home != Path("data").resolve() else "")
    )
    lines.append(f"exit code:    {outcome.exit_code}")
    return "\n".join(lines)


def _corrections_counts(con) -> tuple[int, dict[str, int], int] | None:
    """Reviewed corrections, those applied to figures of current reports (by status) and the orphaned ones."""
    if not (_has(con, "raw", "corrections") and _has(con, "main", "fct_correction_orphans")):
        return None
    reviewed = con.execute("select count(*) from raw.corrections").fetchone()[0]
    if not reviewed:
        return None
    applied = dict(
        con.execute(
            """select correction_status, count(distinct correction_id) from fct_indicator_observations
               where report_status = 'current' and correction_status is not null group by 1"""
        ).fetchall()
    )
    orphaned = con.execute("select count(*) from fct_correction_orphans").fetchone()[0]
    return reviewed, applied, orphaned


def _has_column(con, table: str, column: str) -> bool:
    """A warehouse an older version built may lack a column this version's summary reads."""
    return bool(
        con.execute(
            "select count(*) from information_schema.columns where table_name = ? and column_name = ?", [table, column]
        ).fetchone()[0]
    )


def _has(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )
