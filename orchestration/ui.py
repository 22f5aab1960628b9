"""`dxw ui`: `dagster dev` (webserver, daemon, code server) over this project's definitions, stopped cleanly.

`dagster dev` stops its children on SIGINT; on SIGTERM (what service managers, `kill` and CI harnesses send)
it does not stop within a minute. So dxw runs it as a child in its own process group and turns SIGTERM and
SIGINT into one SIGINT for that group, then waits; whatever is still alive after the grace period is
terminated, then killed. The settings reach it as its environment (the only way into another process). The
serving folder is served beside it (DXW_DOCS_PORT), so that the UI's links to the report and docs open.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

GRACE_SECONDS = 20


def run_ui(home: str | None, landing: str | None, host: str, port: int) -> int:
    from orchestration.run import prepare_dagster_home
    from orchestration.settings import SettingsError, ensure_writable_home, load_settings

    try:
        settings = load_settings(home=home, landing=landing)
        ensure_writable_home(settings)
    except SettingsError as e:
        print(f"dxw ui: {e}", file=sys.stderr)
        return 1
    from orchestration.serving.docs import serve_in_background

    dagster_home = prepare_dagster_home(settings)
    docs = serve_in_background(settings.serving_dir, settings.docs_port)  # the UI's report and docs links
    if docs is not None:
        print(f"serving folder on {settings.serving_url}/ (report.html, dbt_docs/, data_docs/)", file=sys.stderr)
    dagster = shutil.which("dagster", path=os.path.dirname(sys.executable)) or "dagster"
    env = {**os.environ, **settings.environment(), "DAGSTER_HOME": str(dagster_home)}
    print(f"Dagster UI on http://{host}:{port} (DAGSTER_HOME={dagster_home}); Ctrl-C stops it", file=sys.stderr)
    child = subprocess.Popen(
        [dagster, "dev", "-m", "orchestration.definitions", "-h", host, "-p", str(port)],
        env=env,
        start_new_session=True,  # its own process group: one signal reaches the webserver, daemon and code server
    )
    stopped_at: float | None = None  # when the first SIGTERM/SIGINT came

    def stop(signum, _frame) -> None:
        nonlocal stopped_at
        if stopped_at is None:
            stopped_at = time.monotonic()
            print(f"dxw ui: {signal.Signals(signum).name} received; stopping Dagster", file=sys.stderr)
            _signal_group(child.pid, signal.SIGINT)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:  # a short wait, again and again: a wait without a timeout outlasts the grace period when
                # Dagster ignores SIGINT (a harness that started dxw ui with SIGINT ignored passes that on)
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if stopped_at is None or time.monotonic() - stopped_at < GRACE_SECONDS:
                    continue
                _signal_group(child.pid, signal.SIGTERM)
                try:
                    code = child.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    _signal_group(child.pid, signal.SIGKILL)
                    code = child.wait()
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _signal_group(child.pid, signal.SIGKILL)  # nothing of the group outlives dxw ui
        if docs is not None:
            docs.shutdown()
            docs.server_close()
    return 0 if stopped_at is not None else code


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
