"""What the report shows, read from the serving copy: each section is one `select * from` a reporting model.

The reporting models (`dbt_project/models/marts/report/rpt_*.sql`) hold the rows a section shows, with their
display names, latest periods, ranks and totals; nothing here computes a figure. A model this warehouse does not
have yet (an older build) reads as None, and its section says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

# section → its reporting model (ordered by display_order)
MODELS = {
    "nation": "rpt_national_headline",
    "eid": "rpt_eid_activation",
    "dti": "rpt_dti_ranks",
    "online": "rpt_online_rates",
    "instructions": "rpt_instructions_due",
    "quarantined": "rpt_quarantined_figures",
    "rules": "rpt_quality_rules",
    "sources": "rpt_sources",
}

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class ReportData:
    overview: dict[str, Any] | None  # rpt_overview's one row
    publication: dict[str, Any] | None  # the snapshot's run and time (_publication)
    sections: dict[str, Rows | None]  # MODELS' keys → rows, None when the model is missing
    problems: dict[str, str]  # section → why it could not be read


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            """select count(*) from information_schema.tables
               where table_catalog = current_database() and table_schema = 'main' and table_name = ?""",
            [table],
        ).fetchone()[0]
    )


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> Rows:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def read_model(con: duckdb.DuckDBPyConnection, model: str, ordered: bool = True) -> Rows | None:
    if not has_table(con, model):
        return None
    return rows(con, f'select * from main."{model}"' + (" order by display_order" if ordered else ""))


def read_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    sections: dict[str, Rows | None] = {}
    problems: dict[str, str] = {}
    for section, model in MODELS.items():
        try:
            sections[section] = read_model(con, model)
        except duckdb.Error as exc:  # a model of another shape than this code expects
            sections[section], problems[section] = None, str(exc)
    overview = read_model(con, "rpt_overview", ordered=False)
    publication = read_model(con, "_publication", ordered=False)
    return ReportData(
        overview=overview[0] if overview else None,
        publication=publication[0] if publication else None,
        sections=sections,
        problems=problems,
    )
