"""dbt's `run_query` for sqlfluff (lint only): the jinja templater has no database, so the one query a model
runs (mart_province_scorecard reads its measures from the indicator catalogue) is answered from the catalogue
file dbt loads that table from. dbt itself never imports this."""

import csv
from pathlib import Path
from types import SimpleNamespace

CATALOGUE = Path(__file__).resolve().parents[2] / "sources" / "catalog" / "indicators.csv"


def run_query(sql):
    with open(CATALOGUE, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["scorecard_column"]]
    rows.sort(key=lambda r: r["scorecard_column"])
    return SimpleNamespace(rows=[(r["code"], r["scorecard_column"], r["unit"]) for r in rows])


execute = True
