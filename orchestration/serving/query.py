"""`dxw sql`: one query on the published copy, in a sandbox, printed as a table, CSV or JSON lines.

It opens `<home>/serving/warehouse.duckdb` and nothing else, never the working warehouse, so it works while a
run is writing. The boundary is DuckDB's own: the file is opened read-only with external access off (no
`copy … to`, `export database`, `attach` of another file, `install`, or `read_csv`/`read_text`/`glob` of a
server file: DuckDB refuses every file but the database's own) and the configuration locked (no `set` or
`pragma` can turn it back on). On top, only queries pass (select, from, with, values, describe, show,
summarize, explain), one statement at a time, so a refusal names what was refused instead of a DuckDB error.
Control characters in the data are shown as `\\u001b`-style escapes (see orchestration/terminal.py).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.settings import load_settings
from orchestration.terminal import escape_controls

MAX_WIDTH = 60
SANDBOX = {
    "enable_external_access": False,  # no file but the database itself, no network, no extension install
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,  # last: nothing above can be set back
}
QUERIES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
HINT = "dxw sql runs read-only queries (select, with, describe, show, summarize, explain) on the published marts"


class Refused(Exception):
    """A statement dxw sql does not run; the message says which and why. `code` is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def serving_path(home: str | None) -> Path:
    return load_settings(home=home).serving_dir / "warehouse.duckdb"


def open_published(path: Path) -> duckdb.DuckDBPyConnection:
    """The sandboxed connection: the published file read-only, nothing outside it, settings locked."""
    return duckdb.connect(str(path), read_only=True, config=SANDBOX)


def only_query(query: str) -> duckdb.Statement:
    """The one query in `query`, or Refused (empty, several statements, or not a query)."""
    statements = duckdb.extract_statements(query)  # a syntax error raises duckdb.ParserException
    if not statements:
        raise Refused('no query given: pass one, e.g. dxw sql "select * from dim_report limit 5"', code=2)
    if len(statements) > 1:
        raise Refused(f"{len(statements)} statements given: one query at a time")
    statement = statements[0]
    if statement.type not in QUERIES:
        raise Refused(f"refused: {statement.type.name} statements are not allowed; {HINT}")
    return statement


def run_query(query: str, home: str | None = None, output: str = "table", out=None) -> int:
    """Exit codes: 0 the result was printed; 1 the query failed or was refused; 2 no query given."""
    out = out or sys.stdout
    try:
        statement = only_query(query)
    except Refused as e:
        return _fail(str(e), e.code)
    except duckdb.Error as e:
        return _fail(str(e))
    path = serving_path(home)
    if not path.exists():
        return _fail(f"no published warehouse at {path}; run `dxw run` first")
    try:
        with open_published(path) as con:
            cursor = con.execute(statement)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
    except duckdb.PermissionException as e:
        return _fail(f"refused: {HINT}, never files. {e}")
    except duckdb.Error as e:
        return _fail(str(e))
    if output == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([escape_controls(c) for c in columns])
        writer.writerows([escape_controls(_text(v)) for v in row] for row in rows)
    elif output == "json":
        for row in rows:
            line = json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=_plain)
            out.write(escape_controls(line) + "\n")  # json escapes C0; the rest as JSON escapes too
    else:
        out.write(format_table(columns, rows) + "\n")
    return 0


def _fail(message: str, code: int = 1) -> int:
    print(f"dxw sql: {escape_controls(message)}", file=sys.stderr)
    return code


def _plain(value: object) -> object:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _text(value: object) -> str:
    """A value as one CSV field or table cell: lists, structs and maps as JSON, not Python's repr."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


def _cell(value: object) -> str:
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
    else:
        text = _text(value)
    text = escape_controls(text.replace("\n", " ").replace("\t", " "))
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def format_table(columns: list[str], rows: list[tuple]) -> str:
    columns = [escape_controls(c) for c in columns]
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
