"""`dxw sql`: a query on the published copy, read-only, printed as a table, CSV or JSON lines.

It opens `<home>/serving/warehouse.duckdb` read-only: it never touches the working warehouse, so it works
while a run is writing, and a write statement fails with DuckDB's own read-only error.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.settings import load_settings

MAX_WIDTH = 60


def serving_path(home: str | None) -> Path:
    return load_settings(home=home).serving_dir / "warehouse.duckdb"


def run_query(query: str, home: str | None = None, output: str = "table", out=sys.stdout) -> int:
    path = serving_path(home)
    if not path.exists():
        print(f"dxw sql: no published warehouse at {path}; run `dxw run` first", file=sys.stderr)
        return 1
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
    except duckdb.Error as e:
        print(f"dxw sql: {e}", file=sys.stderr)
        return 1
    if output == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif output == "json":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=_plain) + "\n")
    else:
        out.write(format_table(columns, rows) + "\n")
    return 0


def _plain(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
    else:
        text = str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(row[i], int | float | Decimal) or row[i] is None for row in rows) for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        return " | ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True))

    out = [line(columns), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
