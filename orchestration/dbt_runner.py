"""dbt in this process: one parse per process (the manifest is kept between invocations), events as they come.

Why not dagster-dbt's `DbtCliResource`: every invocation there is a new dbt process (about 2.6 s to start and
1 s to parse), preceded by a `dbt --version` subprocess that asks the package index for a newer release and
by an adapter the project never uses (about 4.5 s together, once per run). Here dbt's own Python API
(`dbtRunner`) runs the same commands with the same project, profile and selection, and its structured events
are turned into the same Dagster events by dagster-dbt's own event class.

Each warehouse has its own dbt folder (`<home>/dbt`: profile, parse state, artifacts, logs), so the parse state
one warehouse leaves is the one the next invocation on it finds (dbt reparses everything when the profile's
warehouse path differs from the one its state was made with).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pickle
import queue
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import DBT_CODE_PATHS

# dbt's structured events that carry a node's result; everything else is progress or debug output
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
# the lines shown as progress (each one a Dagster log event): a node's result, errors, the closing counts; not
# the line each node starts with, which doubled the run's events and says nothing its result line does not
PROGRESS_EVENTS = frozenset({"LogModelResult", "LogSeedResult", "LogTestResult", "RunResultError", "StatsLine"})


class DbtError(RuntimeError):
    """dbt could not run the command at all (a broken project, an unreadable profile), as opposed to a failed node."""


@dataclass(frozen=True)
class DbtWorkspace:
    """The dbt project as it runs against one warehouse."""

    project_dir: Path
    work_dir: Path  # <home>/dbt
    duckdb_path: Path
    threads: int

    @property
    def target_dir(self) -> Path:
        return self.work_dir / "target"

    def profile(self) -> dict[str, Any]:
        """The profile of `dbt_project/profiles.yml` with this warehouse's values filled in (that file reads them
        from the environment for hand-run dbt commands; dxw never changes its own environment)."""
        return {
            "dx_warehouse": {
                "target": "warehouse",
                "outputs": {
                    "warehouse": {
                        "type": "duckdb",
                        "path": str(self.duckdb_path),
                        "schema": "main",
                        "threads": self.threads,
                    }
                },
            }
        }

    def prepare(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        profile = self.work_dir / "profiles.yml"
        text = yaml.safe_dump(self.profile(), sort_keys=True)
        if not profile.exists() or profile.read_text(encoding="utf-8") != text:
            profile.write_text(text, encoding="utf-8")

    def args(self, command: Sequence[str], dbt_vars: dict[str, str]) -> list[str]:
        return [
            *command,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.work_dir),
            "--target-path",
            str(self.target_dir),
            "--log-path",
            str(self.work_dir / "logs"),
            "--vars",
            json.dumps(dbt_vars, sort_keys=True),
            "--log-level",
            "none",  # the console is Dagster's: progress goes to the step's log through the callback
            "--log-level-file",
            "info",
            "--no-use-colors",  # progress lines reach terminals through dxw's control-character escaping
            "--no-send-anonymous-usage-stats",
            "--no-version-check",
        ]


_manifests: dict[str, Any] = {}
_invoking = threading.Lock()  # dbt keeps global state (flags, adapters): one invocation at a time per process


def project_digest(project_dir: Path) -> str:
    """What the parsed manifest depends on: the project's files (models, macros, tests, YAML, seeds' folder)."""
    h = hashlib.sha256()
    roots = [project_dir / p for p in DBT_CODE_PATHS]
    roots.append(project_dir.parent / "sources" / "catalog")
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            stat = path.stat()
            h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


# Vars that models read when they run, never while the project is parsed (a parse with another as-of date gives
# the same manifest: tests/integration/test_dbt_runner.py): a new as-of date needs no new parse.
RUNTIME_VARS = frozenset({"as_of_date"})


def parse_key(workspace: DbtWorkspace, dbt_vars: dict[str, str]) -> str:
    """What a parse depends on: the project's files, dbt and Python, the database name dbt-duckdb derives from the
    warehouse file's name, and the parse-time vars. Not the warehouse's folder: any home with the same project
    shares one parse."""
    from dbt.version import __version__

    parts = [
        project_digest(workspace.project_dir),
        __version__,
        sys.version,
        workspace.duckdb_path.stem,
        sorted((k, v) for k, v in dbt_vars.items() if k not in RUNTIME_VARS),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def definitions_digest(workspace: DbtWorkspace, dbt_vars: dict[str, str]) -> str:
    """What the SQL of a view or the rows of a seed depend on: the parse and every var (runtime ones included)."""
    return hashlib.sha256(json.dumps([parse_key(workspace, dbt_vars), sorted(dbt_vars.items())]).encode()).hexdigest()[
        :24
    ]


def parse_cache_dir(project_dir: Path) -> Path:
    """Parsed manifests, one file per parse key, next to the manifest `make setup` writes (dbt_project/target)."""
    return project_dir / "target" / "dxw_parsed"


def manifest(workspace: DbtWorkspace, dbt_vars: dict[str, str]) -> Any:
    """The parsed project: kept in this process, and on disk for the next (0.03 s to load against 1.2 s for
    dbt's partial parse and 4 s for a full one, measured), so a new home does not parse the project again."""
    key = parse_key(workspace, dbt_vars)
    if key not in _manifests:
        parsed = _load_parsed(workspace.project_dir, key)
        if parsed is None:
            result = _invoke(workspace, ["parse"], dbt_vars, manifest=None, callbacks=[])
            if not result.success or result.result is None:
                raise DbtError(
                    f"dbt could not parse the project: {result.exception or 'see ' + str(workspace.work_dir)}"
                )
            parsed = result.result
            _store_parsed(workspace.project_dir, key, parsed)
        _manifests.clear()  # one project per process: an older parse is of no further use
        _manifests[key] = parsed
    return _manifests[key]


def _load_parsed(project_dir: Path, key: str) -> Any:
    path = parse_cache_dir(project_dir) / f"{key}.pickle"
    try:
        with open(path, "rb") as f:
            fields = pickle.load(f)
        from dbt.contracts.graph.manifest import Manifest

        return Manifest(**fields)  # its lookups and lock are made anew
    except OSError:  # none yet (or unreadable): parse
        return None
    except Exception:  # cut short, or classes that changed under the same versions: parse, and replace it
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _manifest_fields(parsed: Any) -> dict[str, Any]:
    """The manifest's own fields, without its lookups, lock and parse bookkeeping (underscored): dbt's
    `Manifest.__reduce_ex__` lists its fields by position and misses one (`fixtures`, dbt-core 1.11), so a
    pickled manifest comes back with every later field shifted."""
    return {f.name: getattr(parsed, f.name) for f in dataclasses.fields(parsed) if not f.name.startswith("_")}


def _store_parsed(project_dir: Path, key: str, parsed: Any) -> None:
    """Written beside the older parses, then swapped in; older parses go (the project has one current state). A
    checkout that cannot be written keeps the parse in this process only."""
    folder = parse_cache_dir(project_dir)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(_manifest_fields(parsed), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / f"{key}.pickle")
        tmp = None
        for older in folder.glob("*.pickle"):
            if older.stem != key:
                older.unlink(missing_ok=True)
    except Exception:  # a cache: a parse that cannot be kept is parsed again by the next process
        return
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _quiet_events() -> None:
    """dbt turns every event into a protobuf message before its loggers look at its level: the debug ones too (two
    per SQL statement, several per node), which its file log (level info) and the console (none) then drop. That
    was a fifth of dbt's CPU in a run (py-spy, the samples). Debug events that no logger takes go no further;
    the callbacks here read results and progress only (info and above)."""
    from dbt_common.events import event_manager_client
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager

    if getattr(event_manager_client.get_event_manager(), "drops_unlogged_debug", False):
        return

    class DebugDroppingEventManager(EventManager):
        drops_unlogged_debug = True

        def fire_event(self, e, level=None, node=None, force_warn_or_error_handling=False) -> None:
            if (
                (level or e.level_tag()) == EventLevel.DEBUG
                and not force_warn_or_error_handling
                and all(logger.level != EventLevel.DEBUG for logger in self.loggers)
            ):
                return
            super().fire_event(e, level, node, force_warn_or_error_handling)

    event_manager_client.ctx_set_event_manager(DebugDroppingEventManager())


def _compiled_templates_kept() -> None:
    """dbt makes a new Jinja environment for every string it renders and compiles the string again: each test's
    SQL (`{{ test_not_null(**_dbt_generic_test_kwargs) }}`, the same for every not_null test), each test argument
    (`{{ get_where_subquery(ref('dim_report')) }}`, the same for every test of a model), each model again for the
    docs. Jinja's compiled code depends on the source and the environment's class and extensions only (the
    context and the undefined type are looked up when it runs), so it is kept per process and compiled once."""
    from dbt_common.clients import jinja as dbt_jinja

    env_class = dbt_jinja.MacroFuzzEnvironment  # NativeSandboxEnvironment derives from it
    if getattr(env_class, "dxw_keeps_compiled", False):
        return
    compile_source = env_class.compile
    compiled: dict[tuple, Any] = {}

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return compile_source(self, source, name, filename, raw, defer_init)
        key = (type(self), tuple(sorted(self.extensions)), source, name, filename, raw, defer_init)
        if key not in compiled:
            compiled[key] = compile_source(self, source, name, filename, raw, defer_init)
        return compiled[key]

    env_class.compile = compile
    env_class.dxw_keeps_compiled = True


def _invoke(workspace: DbtWorkspace, command: Sequence[str], dbt_vars, manifest, callbacks):
    from dbt.cli.main import dbtRunner

    workspace.prepare()
    _quiet_events()
    _compiled_templates_kept()
    with _invoking:
        try:
            return dbtRunner(manifest=manifest, callbacks=callbacks).invoke(workspace.args(command, dbt_vars))
        finally:
            _release_warehouse()


def _release_warehouse() -> None:
    """dbt-duckdb keeps its DuckDB connection open for the life of the process, which would keep every other
    process (and this one's later read-only connections) off the warehouse file: close it after each command."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        env.close()


@dataclass
class Invocation:
    """What one dbt command left: its result (`dbtRunnerResult`) and the structured events of its nodes."""

    success: bool
    results: list[dict]  # one per executed node: unique_id, status, message, failures
    exception: BaseException | None


def run(
    workspace: DbtWorkspace,
    command: Sequence[str],
    dbt_vars: dict[str, str],
    on_progress: Callable[[str], None] | None = None,
) -> Iterator[dict | Invocation]:
    """Run a dbt command; yield each node-result event (as dbt's JSON log line would hold it) as it happens,
    then the `Invocation`. Events are yielded on the caller's thread, so the caller may emit Dagster events."""
    from dbt_common.events.functions import msg_to_dict

    if command[0] == "build":  # dbt writes manifest.json again at every build (0.2-0.3 s): run_results.json only
        command = [*command, "--no-write-json"]
    parsed = manifest(workspace, dbt_vars)
    events: queue.Queue = queue.Queue()

    def callback(msg) -> None:
        name = msg.info.name
        if name in RESULT_EVENTS:
            events.put(msg_to_dict(msg))
        if on_progress and name in PROGRESS_EVENTS and msg.info.msg:
            events.put(("log", msg.info.msg))

    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = _invoke(workspace, command, dbt_vars, parsed, [callback])
        except BaseException as e:  # surfaced on the caller's thread below
            outcome["error"] = e
        finally:
            events.put(None)

    worker = threading.Thread(target=target, name="dbt", daemon=True)
    worker.start()
    while (item := events.get()) is not None:
        if isinstance(item, tuple):
            on_progress(item[1])  # type: ignore[misc]
        else:
            yield item
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    nodes = []
    run_result = result.result
    if "--no-write-json" in command and hasattr(run_result, "write"):  # what dbt would have written, for a reader
        workspace.target_dir.mkdir(parents=True, exist_ok=True)
        run_result.write(str(workspace.target_dir / "run_results.json"))
    for r in getattr(run_result, "results", None) or []:
        nodes.append(
            {
                "unique_id": r.node.unique_id,
                "status": str(r.status),
                "message": r.message,
                "failures": r.failures,
            }
        )
    if not nodes and not result.success and result.exception is not None:
        raise DbtError(f"dbt {' '.join(command)} failed: {result.exception}")
    yield Invocation(success=result.success, results=nodes, exception=result.exception)


def docs_generate(workspace: DbtWorkspace, dbt_vars: dict[str, str]) -> Invocation:
    """`dbt docs generate --static`. Where every model and test of the kept manifest was compiled by a command of
    this process (dbt compiles a node into the manifest it was given: the builds of this run), the docs show the SQL
    these builds ran, from that manifest, instead of compiling the whole project once more (`--no-compile`: 1.5 of
    the 2 s of CPU the command took on the samples); otherwise dbt compiles it."""
    parsed = manifest(workspace, dbt_vars)
    compiled = all(node.compiled for node in parsed.nodes.values() if node.resource_type in {"model", "test"})
    if compiled:  # what docs generate reads and, without compiling, does not write (the builds do not either)
        workspace.target_dir.mkdir(parents=True, exist_ok=True)
        parsed.write(str(workspace.target_dir / "manifest.json"))
    return command(workspace, ["docs", "generate", "--static", *(["--no-compile"] if compiled else [])], dbt_vars)


def command(workspace: DbtWorkspace, command: Sequence[str], dbt_vars: dict[str, str]) -> Invocation:
    """Run a dbt command whose node events nobody needs (`docs generate`): its outcome only."""
    *_, done = run(workspace, command, dbt_vars)
    return done
