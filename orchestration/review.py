"""`dxw review`: analysts' corrections in and out of the reviewed correction file (corrections/observations.csv).

The checks and the file handling are pure (sources/corrections.py); this module is only the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import CORRECTIONS_FILE
from sources.corrections import CorrectionError, append_corrections


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


def add_review_parser(sub: argparse._SubParsersAction) -> None:
    """Register `dxw review …` on the main parser (kept here so cli.py gains one line)."""
    review = sub.add_parser("review", help="analysts' corrections of extracted figures")
    actions = review.add_subparsers(dest="review_command", required=True)
    p = actions.add_parser("import", help="validate a filled-in review CSV and add it to the correction file")
    p.add_argument("file")
    p.add_argument("--corrections", default=str(CORRECTIONS_FILE), help="correction file (default: the repo's)")
    p.set_defaults(func=_import)
