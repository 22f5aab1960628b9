"""The web server of the serving folder (`dxw docs`, and beside the Dagster UI in `dxw ui`).

It serves `<home>/serving` as it is on disk: `report.html`, the evidence pages, the dbt docs (`dbt_docs/`), the
Great Expectations Data Docs (`data_docs/`), the Parquet files and the published DuckDB file, on 127.0.0.1 only.
The links the Dagster UI shows point here: a browser refuses a `file://` link from an `http://` page. The dbt
docs page itself is generated on publish (`install_static_docs`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from orchestration.settings import SettingsError, load_settings


def docs_dir(serving_dir: Path) -> Path:
    return serving_dir / "dbt_docs"


def install_static_docs(static_index: Path, serving_dir: Path) -> Path:
    """Put dbt's self-contained page (`docs generate --static`) in place atomically."""
    target_dir = docs_dir(serving_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target_dir, suffix=".tmp")
    os.close(fd)
    shutil.copyfile(static_index, tmp)
    os.replace(tmp, target_dir / "index.html")
    return target_dir / "index.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request on the terminal (the UI's terminal has Dagster's logs)."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def bind(serving_dir: Path, port: int, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A server of the serving folder on 127.0.0.1:port; OSError when the port cannot be opened."""
    handler = _Quiet if quiet else http.server.SimpleHTTPRequestHandler
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(serving_dir)))


def port_problem(error: OSError, port: int) -> str:
    why = "is in use" if error.errno == errno.EADDRINUSE else f"cannot be opened ({error.strerror or error})"
    return f"port {port} on 127.0.0.1 {why}"


def serve_in_background(serving_dir: Path, port: int) -> http.server.ThreadingHTTPServer | None:
    """The server in a daemon thread (for `dxw ui`), or None with a message on stderr when the port is taken."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = bind(serving_dir, port, quiet=True)
    except OSError as e:
        print(
            f"dxw ui: the serving folder is not served: {port_problem(e, port)} (DXW_DOCS_PORT picks another); "
            "the report and docs links of the UI need it",
            file=sys.stderr,
        )
        return None
    threading.Thread(target=server.serve_forever, name="dxw-docs", daemon=True).start()
    return server


def serve_docs(home: str | None = None, port: int | None = None) -> int:
    try:
        settings = load_settings(home=home)
    except SettingsError as e:
        print(f"dxw docs: {e}", file=sys.stderr)
        return 1
    port = port or settings.docs_port
    root = settings.serving_dir
    if not (root / "warehouse.duckdb").exists():
        print(f"dxw docs: nothing published in {root}; run `dxw run` first", file=sys.stderr)
        return 1
    try:
        server = bind(root, port)
    except OSError as e:  # EADDRINUSE, EACCES below 1024
        print(f"dxw docs: {port_problem(e, port)}; pick another with --port N", file=sys.stderr)
        return 1
    with server:
        base = f"http://127.0.0.1:{port}"
        print(
            f"{root} on {base}/ : the report {base}/report.html, the dbt docs {base}/dbt_docs/, "
            f"the data-quality docs {base}/data_docs/ (Ctrl-C stops)",
            file=sys.stderr,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
