"""The dbt docs of the warehouse: generated on publish (one self-contained page), served by `dxw docs`."""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import os
import shutil
import sys
import tempfile
from pathlib import Path

from orchestration.settings import load_settings


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


def serve_docs(home: str | None = None, port: int = 8080) -> int:
    settings = load_settings(home=home)
    root = docs_dir(settings.serving_dir)
    if not (root / "index.html").exists():
        print(f"dxw docs: no docs at {root}; run `dxw run` first (docs are generated on publish)", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as e:  # EADDRINUSE, EACCES below 1024, an out-of-range port
        why = "is in use" if e.errno == errno.EADDRINUSE else f"cannot be opened ({e.strerror or e})"
        print(f"dxw docs: port {port} on 127.0.0.1 {why}; pick another with --port N", file=sys.stderr)
        return 1
    with server:
        print(f"dbt docs on http://127.0.0.1:{port}/ (Ctrl-C stops)", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
