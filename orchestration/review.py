"""`dxw review`: analysts' corrections in and out of the reviewed correction file (corrections/observations.csv).

The checks and the file handling are pure (sources/corrections.py); this module is only the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import CORRECTIONS_FILE
from sources.corrections import (
    COLUMNS,
    EXPORT_ONLY,
    CorrectionError,
    append_corrections,
    export_rows,
    gold_rows,
    read_corrections,
)

# the queue (fct_review_queue, most urgent first) in the correction file's shape, and with --all every other
# current figure after it
QUEUE_SQL = """
select review_priority, review_reasons, item_kind, nearby, file_hash, report_id, char_start, char_end, evidence,
       was_indicator_code as was_indicator, was_value, indicator_code as indicator, value, denominator, geo_code,
       geo_level, geo_name, period, qualifier, evidence_page
from fct_review_queue where ? is null or report_id = ?
"""
REST_SQL = """
select 9 as review_priority, [] as review_reasons, 'figure' as item_kind, null as nearby, file_hash, report_id,
       char_start, char_end, evidence, extracted_indicator_code as was_indicator, extracted_value as was_value,
       indicator_code as indicator, value, denominator, geo_code, geo_level, geo_name, period, qualifier, evidence_page
from fct_indicator_observations
where report_status = 'current' and correction_status is distinct from 'added' and (? is null or report_id = ?)
  and observation_id not in (select observation_id from fct_review_queue where observation_id is not null)
"""


def _import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        print(f"dxw review import: no file {source}", file=sys.stderr)
        return 2
    target = Path(args.corrections)
    try:
        added, left_alone = append_corrections(target, source.read_text(encoding="utf-8-sig"), str(source))
    except CorrectionError as err:
        print(f"dxw review import: {err}", file=sys.stderr)
        return 1
    alone = f" ({left_alone} row(s) left alone: no action, reason or reviewer)" if left_alone else ""
    print(f"{added} correction(s) from {source} added to {target}{alone}; the next `dxw run` applies them")
    return 0


def _warehouse(args: argparse.Namespace) -> Path:
    from orchestration.settings import load_settings

    return load_settings(home=args.home).serving_dir / "warehouse.duckdb"


def _export(args: argparse.Namespace) -> int:
    """The review queue (one report's or all), most urgent first, as a correction file to fill in; the `why`
    column says why each row is there. Rows left without action, reason and reviewer are skipped on import."""
    import csv
    import io

    import duckdb

    path = _warehouse(args)
    if not path.exists():
        print(f"dxw review export: no published warehouse at {path} (run dxw run first)", file=sys.stderr)
        return 2
    with duckdb.connect(str(path), read_only=True) as con:
        if not con.execute("select count(*) from duckdb_tables() where table_name = 'fct_review_queue'").fetchone()[0]:
            print(f"dxw review export: {path} has no review queue (run dxw run again)", file=sys.stderr)
            return 2
        rows = []
        for sql in (QUEUE_SQL, REST_SQL) if args.all else (QUEUE_SQL,):
            cur = con.execute(sql, [args.report, args.report])
            names = [d[0] for d in cur.description]
            rows += [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    queue = export_rows(rows, path.parent)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*COLUMNS, *EXPORT_ONLY], lineterminator="\n")
    writer.writeheader()
    writer.writerows(queue)
    if args.out:
        Path(args.out).write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
    print(f"{len(queue)} row(s) exported, most urgent first", file=sys.stderr)
    return 0


def _gold(args: argparse.Namespace) -> int:
    """Confirmed, changed and added figures as gold JSON lines (spec/observations.md)."""
    import json

    import duckdb

    path = _warehouse(args)
    if not path.exists():
        print(f"dxw review gold: no published warehouse at {path} (run dxw run first)", file=sys.stderr)
        return 2
    try:
        corrections = read_corrections(Path(args.corrections))
    except CorrectionError as err:
        print(f"dxw review gold: {err}", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        cur = con.execute(
            """select report_id, file_hash, char_start, char_end, evidence, extracted_indicator_code as indicator,
                      extracted_value as value, extracted_denominator as denominator, extracted_geo_code as geo_code,
                      extracted_geo_level as geo_level, extracted_geo_name as geo_name, unit,
                      extracted_period as period, extracted_qualifier as qualifier
               from fct_indicator_observations
               where report_status = 'current' and correction_status is distinct from 'added'"""
        )
        names = [d[0] for d in cur.description]
        figures = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    for row in gold_rows(corrections, figures):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def add_review_parser(sub: argparse._SubParsersAction) -> None:
    """Register `dxw review …` on the main parser (kept here so cli.py gains one line)."""
    review = sub.add_parser("review", help="analysts' corrections of extracted figures")
    actions = review.add_subparsers(dest="review_command", required=True)
    p = actions.add_parser("import", help="validate a filled-in review CSV and add it to the correction file")
    p.add_argument("file", help="the filled-in review CSV")
    p.add_argument("--corrections", default=str(CORRECTIONS_FILE), help="correction file (default: the repo's)")
    p.set_defaults(func=_import)
    e = actions.add_parser("export", help="write the review queue, most urgent first, as a CSV to fill in")
    e.add_argument("--report", default=None, help="one report id (default: every report)")
    e.add_argument("--all", action="store_true", help="every current figure, the queue first")
    e.add_argument("--out", default=None, help="file to write (default: standard output)")
    e.add_argument("--home", default=None, help="data folder (default: DXW_HOME or ./data)")
    e.set_defaults(func=_export)
    g = actions.add_parser("gold", help="confirmed, changed and added figures as gold JSON lines")
    g.add_argument("--corrections", default=str(CORRECTIONS_FILE), help="correction file (default: the repo's)")
    g.add_argument("--home", default=None, help="data folder (default: DXW_HOME or ./data)")
    g.set_defaults(func=_gold)
