"""The published HTML report: one self-contained page over the serving warehouse, readable at 10 reports and at
10,000 (a summary: the nation, the highest and lowest places, small multiples, links to the full tables).

- `data.py` reads each section's reporting model (`select * from rpt_…`): the marts carry what the page shows.
- `charts.py` draws the charts (Altair → SVG offline, checked before inlining).
- `layout.py` lays the rows out as HTML, with `report.css` inlined: no script, no external load, so the page
  works from a file, offline, by e-mail, and under a Content-Security-Policy that forbids all but inline styles.

`write_report` writes the page atomically (a temporary file in the target folder, then `os.replace`). It reads
the published copy only; nothing here opens the working warehouse.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.serving.report import charts, layout
from orchestration.serving.report.data import read_report_data


def render_report(con: duckdb.DuckDBPyConnection, as_of_note: str | None = None) -> str:
    """The report as a complete, self-contained HTML page (UTF-8, no script, no external resource).
    `as_of_note` says where the as-of date came from (the samples' own date, DXW_AS_OF_DATE, today)."""
    generated = datetime.now(UTC).replace(microsecond=0)
    return layout.page(read_report_data(con), as_of_note, generated)


def write_report(con: duckdb.DuckDBPyConnection, path: Path, as_of_note: str | None = None) -> Path:
    """Render the report and write it to `path` atomically (temporary file in the same folder, then os.replace)."""
    path = Path(path)
    with charts.svgs_kept_in(path.parent / ".report_charts"):  # charts whose spec did not change are not drawn again
        page = render_report(con, as_of_note)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(page)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # a published page: readable like the rest of the serving folder
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
