"""raw.corrections: the analysts' reviewed correction file, copied whole by every run (the file is the truth).

Not here: what a valid correction is (sources/corrections.py) and how corrections apply (dbt,
int_observations_corrected).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.loaders.schema import ensure_schema
from orchestration.loaders.writes import insert, transaction, utc_now
from sources.corrections import read_corrections


def load_corrections(con: duckdb.DuckDBPyConnection, path: Path | None, run_id: str) -> int:
    """Replace raw.corrections with the reviewed correction file (the file is the truth, the table its copy).

    The whole file is validated first (sources/corrections.py): a bad row raises CorrectionError naming it and
    the table keeps the previous load, so a half-valid file never reaches dbt.
    """
    ensure_schema(con)
    corrections = read_corrections(path) if path else []
    now = utc_now()
    rows = [
        c.model_dump() | {"line_number": i, "source_file": str(path), "loaded_at": now, "run_id": run_id}
        for i, c in enumerate(corrections, start=2)  # the file's line (after its header): what analysts see
    ]
    with transaction(con):
        con.execute("delete from raw.corrections")
        insert(con, "raw.corrections", rows)
    return len(rows)
