"""`dxw review`: analysts' corrections in and out of the reviewed correction file (corrections/observations.csv).

The checks and the file handling are pure (sources/corrections.py); this module is only the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import CORRECTIONS_FILE
from sources.corrections import COLUMNS, CorrectionError, append_corrections, gold_rows, read_corrections

# the figures most worth a look first: quarantined, disputed between reports, warned, low-specificity periods
EXPORT_SQL = """
select '' as action, o.file_hash, o.report_id, o.char_start, o.char_end, o.evidence,
       o.extracted_indicator_code as was_indicator, o.extracted_value as was_value,
       o.indicator_code as indicator, o.value, o.denominator, o.geo_code, o.geo_level, o.geo_name, o.period,
       o.qualifier, '' as reason, '' as reviewer, '' as reviewed_at
from fct_indicator_observations as o
where o.report_status = 'current' and o.correction_status is distinct from 'added'
  and (? is null or o.report_id = ?)
order by o.is_quarantined desc, len(o.warned_rules) > 0 desc, coalesce(o.period_specificity, 0), o.report_id,
         o.char_start
"""


def _import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        print(f"dxw review import: no file {source}", file=sys.stderr)
        return 2
    target = Path(args.corrections)
    try:
        added = append_corrections(target, source.read_text(encoding="utf-8-sig"), str(source))
    except CorrectionError as err:
        print(f"dxw review import: {err}", file=sys.stderr)
        return 1
    print(f"{added} correction(s) from {source} added to {target}; the next `dxw run` applies them")
    return 0


def _warehouse(args: argparse.Namespace) -> Path:
    from orchestration.settings import load_settings

    return load_settings(home=args.home).serving_dir / "warehouse.duckdb"


def _export(args: argparse.Namespace) -> int:
    """The current figures (one report's or all) in the correction file's shape, worst first, to fill in;
    rows left without an action are the analyst's to delete before `dxw review import`."""
    import csv
    import io

    import duckdb

    path = _warehouse(args)
    if not path.exists():
        print(f"dxw review export: no published warehouse at {path} (run dxw run first)", file=sys.stderr)
        return 2
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(EXPORT_SQL, [args.report, args.report]).fetchall()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    if args.out:
        Path(args.out).write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
    print(f"{len(rows)} figure(s) exported", file=sys.stderr)
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
    e = actions.add_parser("export", help="write the current figures, worst first, as a CSV to review")
    e.add_argument("--report", default=None, help="one report id (default: every report)")
    e.add_argument("--out", default=None, help="file to write (default: standard output)")
    e.add_argument("--home", default=None, help="data folder (default: DXW_HOME or ./data)")
    e.set_defaults(func=_export)
    g = actions.add_parser("gold", help="confirmed, changed and added figures as gold JSON lines")
    g.add_argument("--corrections", default=str(CORRECTIONS_FILE), help="correction file (default: the repo's)")
    g.add_argument("--home", default=None, help="data folder (default: DXW_HOME or ./data)")
    g.set_defaults(func=_gold)
