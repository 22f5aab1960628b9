"""The report's HTML: each section lays out its reporting model's rows (orchestration/serving/report/data.py).

No figure is computed here: names, periods, ranks, groups and totals come from the models. What is here is
wording, formatting, links (to evidence pages, to the full tables in Parquet and the dbt docs) and escaping:
every piece of report text goes through `esc` (a report that contains `<script>` shows it as text).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from orchestration.serving.report import charts
from orchestration.serving.report.data import ReportData, Rows

CSS = (Path(__file__).with_name("report.css")).read_text(encoding="utf-8")
# Forbids every script, every external load; only the inline stylesheet and inline SVG are used.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
NO_DATA = "no data yet"
MAX_SAMPLE_ROWS = 5
DBT_PROJECT = "dx_warehouse"


# ---------------------------------------------------------------------------------------------------------------
# helpers


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def empty(reason: str = "") -> str:
    return f'<p class="empty">{NO_DATA}{(" — " + esc(reason)) if reason else ""}</p>'


def none(sentence: str) -> str:
    """There is data, but nothing to list here."""
    return f'<p class="empty">{esc(sentence)}</p>'


def fmt(value: Any, kind: str = "text") -> str:
    """A value as plain text (not yet escaped)."""
    if value is None:
        return "—"
    if kind in ("count", "rank"):
        return f"{value:,.0f}"
    if kind == "pct":
        return f"{value:,.2f}"
    if kind == "num":
        return f"{value:,.4g}"
    if isinstance(value, list | tuple):
        return ", ".join("" if v is None else str(v) for v in value) or "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def by_unit(value: Any, unit: str | None, denominator: Any = None) -> str:
    """A figure as its unit reads: 1,234,567 / 77.80% / #6 of 63 / 0.834."""
    if value is None:
        return "—"
    if unit == "count":
        return fmt(value, "count")
    if unit == "percent":
        return f"{value:,.2f}%"
    if unit == "rank":
        return f"#{value:,.0f}" + (f" of {denominator:,.0f}" if denominator else "")
    return fmt(value, "num")


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = "text"  # text | vi (report text) | count | pct | rank | num | date | html (pre-escaped)


_CELL_CLASS = {"count": "num", "pct": "num", "rank": "num", "num": "num", "date": "date", "vi": "vi"}


def table(cols: Sequence[Col], rows: Sequence[dict], css: str = "") -> str:
    head = "".join(f'<th scope="col">{esc(c.header)}</th>' for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            value = r.get(c.key)
            text = value if c.kind == "html" else esc(fmt(value, c.kind))
            if href := (r.get("_links") or {}).get(c.key):  # the figure, in its report's evidence page
                text = f'<a href="{esc(href)}" title="see it in its report">{text}</a>'
            cls = _CELL_CLASS.get(c.kind)
            attrs = (f' class="{cls}"' if cls else "") + (' lang="vi"' if c.kind == "vi" else "")
            cells.append(f"<td{attrs}>{text}</td>")
        row_class = f' class="{esc(r["_class"])}"' if r.get("_class") else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    opening = f'<table class="{css}">' if css else "<table>"
    return f"{opening}\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def report_cell(report_id: str | None, title: str | None = "", status: str | None = None) -> str:
    """A report id as pre-escaped HTML, its title as a tooltip, its status when not current."""
    tip = f' title="{esc(title)}"' if title else ""
    note = f' <span class="badge warn">{esc(status)}</span>' if status and status != "current" else ""
    return f"<code{tip}>{esc(report_id or '—')}</code>{note}"


def evidence_details(text: str | None, summary: str = "evidence") -> str:
    if not text:
        return ""
    return f'<details><summary>{esc(summary)}</summary><blockquote lang="vi">{esc(text)}</blockquote></details>'


def full_tables(*tables: tuple[str, str]) -> str:
    """Where the whole of a section's data is: each mart's Parquet folder and its dbt docs page (both relative to
    report.html in the serving folder), and the query for `dxw sql`."""
    items = "".join(
        f'<li><code>{esc(name)}</code> ({esc(what)}): <a href="parquet/{esc(name)}/">Parquet</a>, '
        f'<a href="dbt_docs/index.html#!/model/model.{DBT_PROJECT}.{esc(name)}">columns (dbt docs)</a>, '
        f'<code>dxw sql "select * from {esc(name)}"</code></li>'
        for name, what in tables
    )
    return f'<aside class="tables">Every row: <ul>{items}</ul></aside>'


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 province`, `3 provinces`; `many` where adding an s will not do."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


# ---------------------------------------------------------------------------------------------------------------
# page


def page(data: ReportData, as_of_note: str | None, generated: datetime) -> str:
    sections: list[tuple[str, str, Callable[[], str]]] = [
        ("nation", "The nation", lambda: section_nation(data.sections["nation"])),
        ("eid", "eID activation", lambda: section_eid(data.sections["eid"])),
        ("dti", "DTI ranks", lambda: section_dti(data.sections["dti"])),
        ("online", "Online applications over time", lambda: section_online(data.sections["online"])),
        ("instructions", "Deadlines", lambda: section_instructions(data.sections["instructions"], data.overview)),
        ("quality", "Data quality", lambda: section_quality(data.sections["quarantined"], data.sections["rules"])),
        ("sources", "Sources", lambda: section_sources(data.sections["sources"])),
    ]
    body = []
    for anchor, title, build in sections:
        problem = data.problems.get(anchor)
        content = empty(f"could not read this section: {problem}") if problem else build()
        body.append(f'<section id="{anchor}">\n<h2>{esc(title)}</h2>\n{content}\n</section>')
    nav = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t, _ in sections)
    as_of = data.overview["as_of_date"] if data.overview else None
    title = "Digital transformation &amp; Project 06 report" + (f" — as of {esc(fmt(as_of))}" if as_of else "")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{title}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            header(data, as_of_note, generated),
            f'<nav aria-label="Contents"><ol>{nav}</ol></nav>',
            "<main>",
            *body,
            "</main>",
            "<footer>Figures are as extracted from provincial and national reports: achievements only (targets kept "
            "apart), quarantined figures left out of the figures and charts. The page shows a summary (the nation, "
            "the highest and lowest places); every row is in the published warehouse, its Parquet files and "
            '<a href="dbt_docs/index.html">the dbt docs</a>. Text quoted from reports is shown verbatim (as text). '
            "Generated by dx-warehouse.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def header(data: ReportData, as_of_note: str | None, generated: datetime) -> str:
    o = data.overview
    meta = []
    if o:
        note = f" ({esc(as_of_note)})" if as_of_note else ""
        meta.append(f"<span>As of: <b>{esc(fmt(o['as_of_date']))}</b>{note}</span>")
    if data.publication:
        meta.append(
            f"<span>Snapshot published: <b>{esc(fmt(data.publication['published_at']))} UTC</b> "
            f"(run <code>{esc(data.publication['run_id'])}</code>)</span>"
        )
    meta.append(f"<span>Generated: <b>{generated.strftime('%Y-%m-%d %H:%M:%S')} UTC</b></span>")
    figures = ""
    if o:
        span = f"{fmt(o['first_report_date'])} to {fmt(o['last_report_date'])}" if o["first_report_date"] else "no date"
        cards = [
            (o["n_reports"], "reports", span),
            (o["n_provinces"], "provincial units", "of either era, with figures"),
            (o["n_figures"], "figures", f"{o['n_figures_quarantined']:,} quarantined"),
            (o["n_instructions"], "instructions", "to agencies"),
            (o["n_files_rejected"], "files rejected", f"{o['n_reports_withdrawn']:,} reports withdrawn"),
        ]
        figures = '<ul class="figures">' + "".join(
            f"<li><b>{n:,}</b> {esc(what)}<br><small>{esc(detail)}</small></li>" for n, what, detail in cards
        )
        figures += "</ul>"
    return (
        "<header>\n<h1>Digital transformation &amp; Project 06 — provincial report</h1>\n"
        '<p class="lead">Figures extracted from Vietnamese provincial and national reports on digital '
        "transformation (chuyển đổi số) and Project 06 (Đề án 06).</p>\n"
        f'<div class="meta">{"".join(meta)}</div>\n{figures}\n</header>'
    )


# ---------------------------------------------------------------------------------------------------------------
# sections


def section_nation(rows: Rows | None) -> str:
    if not rows:
        return empty("no national or provincial figure of the scorecard's indicators")
    for r in rows:
        r["figure"] = by_unit(r["value"], r["unit"], r["denominator"])
        r["_links"] = {"figure": r["evidence_page"]}
    return "\n".join(
        [
            '<p class="lead">The latest national figure of each key indicator, and how many provinces report it.</p>',
            table(
                [
                    Col("indicator_name_en", "Indicator"),
                    Col("figure", "Nation"),
                    Col("period", "Period"),
                    Col("n_provinces", "Provinces reporting", "count"),
                ],
                rows,
            ),
            full_tables(("mart_province_scorecard", "every place and year, the key figures side by side")),
        ]
    )


def _shown_of(shown: int, total: int, what: str, many: str | None = None) -> str:
    if shown >= total:
        return f"All {plural(total, what, many)}."
    return f"The {shown:,} shown of {plural(total, what, many)}: the highest and the lowest."


def section_eid(rows: Rows | None) -> str:
    if rows is None:
        return empty("the reporting model rpt_eid_activation has not been built")
    if not rows:
        return empty("no place has reported eID figures")
    provinces = [r for r in rows if r["geo_level"] == "province"]
    total = rows[0]["n_provinces"]
    for r in rows:
        r["_class"] = "nation" if r["report_group"] == "nation" else ("warn" if r["rates_disagree"] else "")
        r["_links"] = {  # each figure in its report's evidence page (serving/evidence/, beside report.html)
            "activated": r["activated_evidence_page"],
            "eligible": r["eligible_evidence_page"],
            "rate_reported": r["rate_evidence_page"],
        }
        r["group"] = {"nation": "nation", "highest": "highest", "lowest": "lowest"}[r["report_group"]]
    chart = charts.eid_chart(rows)
    rated = rows[0]["n_provinces_rated"]
    shown = _shown_of(len(provinces), rated, "province with a rate", "provinces with a rate")
    lead = f"Each place's latest period with eID figures. {shown}"
    if total > rated:
        lead += f" {plural(total - rated, 'more province gives', 'more provinces give')} counts without a rate."
    return "\n".join(
        [
            f'<p class="lead">{esc(lead)}</p>',
            chart or empty("no place gave a rate or the counts to compute one (see the table)"),
            table(
                [
                    Col("geo_display_name", "Place", "vi"),
                    Col("period", "Period"),
                    Col("activated", "Activated accounts", "count"),
                    Col("eligible", "Eligible citizens", "count"),
                    Col("rate_reported", "Rate reported (%)", "pct"),
                    Col("rate_computed", "Rate computed (%)", "pct"),
                    Col("rate_rank", "Rank", "rank"),
                ],
                rows,
            ),
            '<p class="more">Rate computed = activated / eligible × 100 where both are known for the same place and '
            "period; rows where it differs from the reported rate by more than a point are highlighted.</p>",
            full_tables(
                ("mart_province_scorecard", "every place and year"),
                ("fct_indicator_values", "every figure; is_latest_period marks each place's current one"),
            ),
        ]
    )


def section_dti(rows: Rows | None) -> str:
    if rows is None:
        return empty("the reporting model rpt_dti_ranks has not been built")
    if not rows:
        return empty("no DTI rank has been reported")
    year, total = rows[0]["index_year"], rows[0]["n_provinces"]
    for r in rows:
        r["_links"] = {"dti_rank": r["rank_evidence_page"]}
        gained = r["places_gained"]
        r["change"] = "—" if gained is None else ("±0" if gained == 0 else f"{gained:+d}")
    return "\n".join(
        [
            f'<p class="lead">Index year {esc(year)}. {_shown_of(len(rows), total, "ranked province")}</p>',
            charts.dti_chart(rows) or "",
            table(
                [
                    Col("dti_rank", "Rank", "rank"),
                    Col("out_of", "Out of", "rank"),
                    Col("geo_display_name", "Province", "vi"),
                    Col("dti_score", "Score", "num"),
                    Col("previous_rank", f"Rank in {year - 1}", "rank"),
                    Col("change", "Places gained"),
                ],
                rows,
            ),
            full_tables(("fct_indicator_values", "every rank of every year: indicator_code = 'dti_rank'")),
        ]
    )


def section_online(rows: Rows | None) -> str:
    if rows is None:
        return empty("the reporting model rpt_online_rates has not been built")
    if not rows:
        return empty("no online application rate has been reported")
    total = rows[0]["n_provinces"]
    latest = [r for r in rows if r["is_latest_year"]]
    shown = sum(1 for r in latest if r["report_group"] != "nation")
    for r in latest:
        r["_links"] = {"value": r["evidence_page"]}
        r["_class"] = "nation" if r["report_group"] == "nation" else ""
    return "\n".join(
        [
            '<p class="lead">Share of applications received online, a point per year: the figure of the latest '
            f"period reported in the year (achievements only). {_shown_of(shown, total, 'province')}</p>",
            charts.online_chart(rows) or "",
            table(
                [
                    Col("geo_display_name", "Place", "vi"),
                    Col("year", "Latest year"),
                    Col("period", "Period"),
                    Col("value", "Online (%)", "pct"),
                ],
                latest,
                css="narrow",
            ),
            full_tables(
                ("mart_province_scorecard", "every place and year: online_application_rate"),
                ("fct_indicator_values", "every period: indicator_code = 'online_application_rate'"),
            ),
        ]
    )


def _status_badge(days: int) -> str:
    if days < 0:
        return f'<span class="badge bad">overdue by {plural(-days, "day")}</span>'
    if days == 0:
        return '<span class="badge warn">due today</span>'
    return f'<span class="badge warn">due in {plural(days, "day")}</span>'


def section_instructions(rows: Rows | None, overview: dict | None) -> str:
    if rows is None:
        return empty("the reporting model rpt_instructions_due has not been built")
    if overview is not None and not overview["n_instructions"] and not rows:
        return empty("no instruction has been extracted")
    as_of = overview["as_of_date"] if overview else None
    for r in rows:
        r["status"] = _status_badge(r["days_left"])
        shown = r["deadline_label"] and r["deadline_label"] != r["deadline_date"].isoformat()
        r["deadline"] = esc(fmt(r["deadline_date"])) + (f" ({esc(r['deadline_label'])})" if shown else "")
        r["action_html"] = esc(r["action"] or "—") + evidence_details(r["evidence"])
        r["report"] = report_cell(r["report_id"], r["report_title"], r["report_status"])
    cols = [
        Col("status", "Status", "html"),
        Col("deadline", "Deadline", "html"),
        Col("geo_display_name", "Place", "vi"),
        Col("issued_by", "Issued by", "vi"),
        Col("assignees", "Assignees", "vi"),
        Col("action_html", "Action", "html"),
        Col("report", "Report", "html"),
    ]
    due = [r for r in rows if r["due_status"] == "due"]
    overdue = [r for r in rows if r["due_status"] == "overdue"]
    if rows:
        first = rows[0]
        n_due, n_overdue, window = first["n_due"], first["n_overdue"], first["window_days"]
        lead = (
            f"Relative to {esc(fmt(as_of))}: <b>{n_due:,}</b> due within {window} days, <b>{n_overdue:,}</b> overdue, "
            f"of {plural(first['n_instructions'], 'instruction')} ({first['n_undated']:,} without a deadline). "
            "Superseded report versions are left out."
        )
    else:
        n_due = n_overdue = 0
        lead = f"Nothing is due within 30 days of {esc(fmt(as_of))} or overdue."
    return "\n".join(
        [
            f'<p class="lead">{lead}</p>',
            f'<h3 id="due-soon">Due soonest ({len(due)} of {n_due:,})</h3>',
            table(cols, due) if due else none("Nothing is due in the window."),
            f'<h3 id="overdue">Most recently overdue ({len(overdue)} of {n_overdue:,})</h3>',
            table(cols, overdue) if overdue else none("Nothing is overdue."),
            full_tables(("fct_instructions", "every instruction, with is_overdue as of the as-of date")),
        ]
    )


def samples(first_rows: Any) -> str:
    """The first failing rows of a rule (JSON text or a list of dicts) as pre-escaped HTML; the caller says how
    many there are in all (the audit table keeps the first 50)."""
    if first_rows is None:
        return ""
    if isinstance(first_rows, str | bytes):
        try:
            first_rows = json.loads(first_rows)
        except ValueError:
            return f'<span lang="vi">{esc(first_rows)}</span>'
    if isinstance(first_rows, dict):
        first_rows = [first_rows]
    if not isinstance(first_rows, list | tuple):
        return esc(first_rows)
    items = []
    for row in first_rows[:MAX_SAMPLE_ROWS]:
        if isinstance(row, dict):
            who = row.get("report_id") or row.get("observation_id")
            text, other = row.get("evidence"), row.get("conflicting_evidence")
            named = ("report_id", "observation_id", "evidence", "conflicting_evidence")
            rest = {k: v for k, v in row.items() if k not in named}
            item = f"<code>{esc(who)}</code> " if who else ""
            item += f'<span lang="vi">{esc(text)}</span>' if text else ""
            if other and other != text:
                item += f'<br><small>conflicts with:</small> <span lang="vi">{esc(other)}</span>'
            if rest or not (who or text):
                item += f" <small>{esc(json.dumps(rest or row, ensure_ascii=False, default=str))}</small>"
        else:
            item = f'<span lang="vi">{esc(row)}</span>'
        items.append(f"<li>{item}</li>")
    return f'<ul class="samples">{"".join(items)}</ul>' if items else "—"


def section_quality(quarantined: Rows | None, rules: Rows | None) -> str:
    parts = ['<h3 id="rules">Rules, as last validated</h3>']
    if rules is None:
        parts.append(empty("the reporting model rpt_quality_rules has not been built"))
    elif not rules:
        parts.append(empty("no validation has run"))
    else:
        for q in rules:
            failed = not q["success"]
            badge = ("bad" if q["severity"] == "error" else "warn") if failed else "ok"
            q["result"] = f'<span class="badge {badge}">{"fails" if failed else "passes"}</span>'
            q["rule"] = f"{esc(q['rule_number'])}. <code>{esc(q['rule_code'])}</code><br>{esc(q['rule_description'])}"
            page = q["data_docs_page"]
            q["docs"] = f'<a href="{esc(page)}">validation page</a>' if page else "—"
            summary = f"<summary>{plural(q['n_failing'], 'failing figure')}: the first</summary>"
            q["first"] = f"<details>{summary}{samples(q['failing_rows'])}</details>" if q["n_failing"] else "—"
            q["_class"] = badge if failed else ""
        parts.append(
            f'<p class="lead">Validated {esc(fmt(rules[0]["validated_at"]))} UTC: {esc(rules[0]["validation_scope"])}. '
            'Each rule\'s Great Expectations page (static, readable offline) is linked; <a href="data_docs/index.html">'
            "the Data Docs index</a> draws its list with scripts from the web.</p>"
        )
        parts.append(
            table(
                [
                    Col("rule", "Rule", "html"),
                    Col("severity", "Severity"),
                    Col("result", "Result", "html"),
                    Col("n_failing", "Failing figures", "count"),
                    Col("first", "First failing figures", "html"),
                    Col("docs", "GX", "html"),
                ],
                rules,
            )
        )
    parts.append('<h3 id="quarantined">Quarantined figures</h3>')
    if quarantined is None:
        parts.append(empty("the reporting model rpt_quarantined_figures has not been built"))
    elif not quarantined:
        parts.append(none("No figure is quarantined."))
    else:
        first = quarantined[0]
        parts.append(
            f'<p class="lead"><b>{first["n_quarantined"]:,}</b> of {first["n_figures"]:,} figures are quarantined '
            f"(they break a hard rule and are left out of the values and charts); {first['n_warned']:,} raise a "
            f"warning only. The {len(quarantined)} of the most recent reports:</p>"
        )
        for r in quarantined:
            r["figure"] = by_unit(r["value"], r["unit"])
            r["report"] = report_cell(r["report_id"])
            r["_class"] = "bad"
            r["_links"] = {"figure": r["evidence_page"]}
        parts.append(
            table(
                [
                    Col("report", "Report", "html"),
                    Col("geo_display_name", "Place", "vi"),
                    Col("indicator_name_en", "Indicator"),
                    Col("period", "Period"),
                    Col("figure", "Figure"),
                    Col("failed_rules", "Failed rules"),
                    Col("evidence", "Evidence", "vi"),
                ],
                quarantined,
            )
        )
    parts.append(
        full_tables(
            ("fct_expectation_results", "every validation of every rule; is_latest marks the current one"),
            ("fct_indicator_observations", "every figure, with failed_rules, warned_rules and is_quarantined"),
        )
    )
    return "\n".join(parts)


def section_sources(rows: Rows | None) -> str:
    if rows is None:
        return empty("the reporting model rpt_sources has not been built")
    if not rows:
        return empty("no report has been ingested")
    parts = []
    topics: dict[str, list[dict]] = {}
    for r in rows:
        topics.setdefault(r["topic"], []).append(r)
    for topic, items in topics.items():
        parts.append(f"<h3>{esc(topic)}</h3>")
        parts.append(table([Col("item", "", "vi"), Col("n", "Count", "count")], items, css="narrow"))
    parts.append(
        full_tables(
            ("dim_report", "every report version, with its title, date, status and counts"),
            ("fct_landing_files", "every landed file, with its status and the reason it was rejected"),
        )
    )
    return "\n".join(parts)
