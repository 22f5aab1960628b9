"""`dxw`: the command line of dx-warehouse.

    dxw run      [--landing DIR] [--home DIR] [--force]  materialise the whole asset graph (the UI's graph) in-process
    dxw ui       [--landing DIR] [--home DIR]    the Dagster UI (webserver + daemon) on 127.0.0.1:3000
    dxw extract  FILE...                          print extracted facts as contract JSON lines
    dxw sql      "select ..." [--home DIR]        query the published, read-only warehouse
    dxw docs     [--home DIR] [--port N]          serve the published folder (report, dbt docs, GX docs)
    dxw generate --reports N --out DIR --seed S   write synthetic reports and their gold facts
    dxw bench    [--reports N] [--extraction-only] run the benchmark suite, write BENCHMARKS.md

Exit codes of `run`: 0 success, 1 a step failed, 2 data checks failed (the warehouse is still published), 3 the
landing folder is empty, 4 a report's extraction failed (the others are published).
Heavy imports (Dagster, dbt, GX) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from pathlib import Path

from orchestration.review import add_review_parser
from orchestration.terminal import guarded_terminal


def _extract(args: argparse.Namespace) -> int:
    from sources.readers import RejectedFile
    from sources.reports import contract_lines, extract_path

    status = 0
    for name in args.files:
        path = Path(name)
        try:
            extracted = extract_path(path)
        except (RejectedFile, OSError) as e:
            reason = e.reason if isinstance(e, RejectedFile) else str(e)
            print(f"dxw extract: {path}: rejected: {reason}", file=sys.stderr)
            status = 1
            continue
        except Exception as e:  # the extractor failed on this file: say so, go on with the others
            print(f"dxw extract: {path}: extraction failed: {type(e).__name__}: {e}", file=sys.stderr)
            status = 1
            continue
        for line in contract_lines(extracted.extraction, extracted.file_hash, unmapped=args.unmapped):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    return status


def _run(args: argparse.Namespace) -> int:
    from orchestration.run import run_pipeline

    try:
        return run_pipeline(landing=args.landing, home=args.home, force=args.force)
    except Exception as error:  # a full disk fails wherever the next write is: say so, not a traceback
        from orchestration.disk_space import disk_full_report
        from orchestration.settings import load_settings

        report = disk_full_report(load_settings(home=args.home, landing=args.landing), error)
        if report is None:
            raise
        print(f"dx-warehouse run stopped: the disk is full ({type(error).__name__}: {str(error).splitlines()[0]})")
        print(f"{report}\nexit code:    1")
        return 1


def _ui(args: argparse.Namespace) -> int:
    from orchestration.ui import run_ui

    return run_ui(home=args.home, landing=args.landing, host=args.host, port=args.port)


def _sql(args: argparse.Namespace) -> int:
    from orchestration.serving.query import run_query

    return run_query(args.query, home=args.home, output=args.format)


def _docs(args: argparse.Namespace) -> int:
    from orchestration.serving.docs import serve_docs

    return serve_docs(home=args.home, port=args.port)


def _generate(args: argparse.Namespace) -> int:
    from sources.synthetic.generate import write_corpus

    summary = write_corpus(Path(args.out), reports=args.reports, seed=args.seed, bad_rate=args.bad_rate)
    print(summary)
    return 0


def _bench(args: argparse.Namespace) -> int:
    from orchestration.bench import run_benchmarks, run_extraction_benchmarks

    if args.extraction_only:
        return run_extraction_benchmarks(
            reports=args.reports,
            out=Path(args.out),
            repeats=args.repeats,
            workdir=Path(args.workdir) if args.workdir else None,
        )
    return run_benchmarks(
        reports=args.reports,
        out=Path(args.out),
        small=args.small,
        repeats=args.repeats,
        workdir=Path(args.workdir) if args.workdir else None,
    )


HOME_HELP = "data folder of the warehouse and its artefacts (default: DXW_HOME or ./data)"
LANDING_HELP = "folder of raw reports (default: DXW_LANDING or the shipped samples)"


def _version() -> str:
    try:
        return metadata.version("dx-warehouse")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _port(text: str) -> int:
    """A TCP port, checked by argparse so that a wrong one is a usage message, not a traceback from bind()."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (1-65535)")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dxw", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"dxw {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run the whole pipeline on a landing folder")
    p.add_argument("--landing", help=LANDING_HELP)
    p.add_argument("--home", help=HOME_HELP)
    p.add_argument("--force", action="store_true", help="build and publish even when nothing changed")
    p.set_defaults(func=_run)

    p = sub.add_parser("ui", help="start the Dagster UI (webserver and daemon) over the same definitions")
    p.add_argument("--landing", help=LANDING_HELP)
    p.add_argument("--home", help=HOME_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address the UI listens on (default: %(default)s)")
    p.add_argument("--port", type=_port, default=3000, help="port of the UI (default: %(default)s)")
    p.set_defaults(func=_ui)

    p = sub.add_parser("extract", help="print the facts of report files as JSON lines")
    p.add_argument("files", nargs="+", help="report files (.txt, .html, .docx, .pdf)")
    p.add_argument("--unmapped", action="store_true", help="also print figures that map to no indicator")
    p.set_defaults(func=_extract)

    p = sub.add_parser("sql", help="query the published warehouse (read-only, no file access)")
    p.add_argument("query", help='one query, e.g. "select * from dim_report limit 5"')
    p.add_argument("--home", help=HOME_HELP)
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (default), CSV, or JSON lines; lists print as JSON in every format",
    )
    p.set_defaults(func=_sql)

    p = sub.add_parser("docs", help="serve the published folder: report, dbt docs, data-quality docs, Parquet")
    p.add_argument("--home", help=HOME_HELP)
    p.add_argument("--port", type=_port, help="port on 127.0.0.1 (default: DXW_DOCS_PORT, else 8080)")
    p.set_defaults(func=_docs)

    p = sub.add_parser("generate", help="write synthetic reports and their gold facts")
    p.add_argument("--reports", type=int, required=True, help="how many reports to write")
    p.add_argument("--out", required=True, help="folder to write them to")
    p.add_argument("--seed", type=int, default=6, help="random seed: the same seed writes the same corpus")
    p.add_argument("--bad-rate", type=float, default=0.02, help="share of bad files (empty, binary, broken)")
    p.set_defaults(func=_generate)

    p = sub.add_parser("bench", help="run the benchmark suite and write BENCHMARKS.md")
    p.add_argument("--reports", type=int, default=10_000, help="size of the big corpus (default: %(default)s)")
    p.add_argument("--out", default="BENCHMARKS.md", help="where the results go (default: %(default)s)")
    p.add_argument("--small", type=int, default=2_000, help="size of the small end-to-end run")
    p.add_argument("--repeats", type=int, default=3, help="repeats of the short measurements (median kept)")
    p.add_argument("--workdir", help="where corpora and homes go (default: a new temporary folder)")
    p.add_argument(
        "--extraction-only",
        action="store_true",
        help="only extraction in process and on 1, 2, N Dask workers, and the engine's cost on a 10-report run "
        "(--reports reports); replaces that section of --out",
    )
    p.set_defaults(func=_bench)

    add_review_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # report text can carry terminal escape sequences: everything this process prints is escaped
    with guarded_terminal():
        try:
            return args.func(args)
        except BrokenPipeError:  # `dxw extract ... | head`
            sys.stderr.close()
            return 0
        except KeyboardInterrupt:
            print(f"dxw {args.command}: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
