"""The published HTML report: one self-contained page over the serving warehouse.

`render_report` reads the marts and facts and returns a complete HTML page: eID activation by province, DTI
ranks, online application rates over time, instructions that are overdue or due within 30 days of the as-of
date, and a data-quality summary. Charts are drawn with Altair and rendered to SVG by vl_convert (offline: no
data URL may be fetched), and inlined in the page: no script, no stylesheet, font or image is loaded from
anywhere, so the page works from a file, offline, and under a Content-Security-Policy that forbids everything
but inline styles.

Everything that comes from a report (names, titles, evidence sentences, actions, assignees...) is text, never
markup: it is `html.escape`d in the page, and before it goes into a chart spec its angle brackets are replaced
by look-alike quotation marks (‹ ›), so not even Vega's own escaping is relied upon. Each rendered SVG is
parsed and checked (known elements only, no event handler, no link) before it is inlined.

`write_report` writes the page atomically: a temporary file in the target folder, then `os.replace`.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import vl_convert as vlc

from orchestration.serving import evidence

log = logging.getLogger("dxw.report")

DUE_WINDOW_DAYS = 30
MAX_TABLE_ROWS = 500
MAX_SAMPLE_ROWS = 5
NO_DATA = "no data yet"

# the tables the page reads; their row counts go in the header
TABLES = (
    "mart_province_scorecard",
    "fct_indicator_values",
    "fct_indicator_observations",
    "fct_instructions",
    "dim_geography",
    "dim_indicator",
    "dim_report",
)

ACTIVATED = "Activated accounts"
ELIGIBLE = "Eligible citizens"
FONT = "-apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif"

CSS = """
:root { --ink: #1d2733; --muted: #5b6673; --line: #d9dee4; --zebra: #f6f8fa; --accent: #1f5f99;
        --bad: #b3261e; --bad-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4dc; }
* { box-sizing: border-box; }
body { font-family: FONT_STACK; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 0 1.25rem 3rem;
       line-height: 1.45; font-size: 15px; }
header { border-bottom: 3px solid var(--accent); padding: 1.25rem 0 .75rem; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .4rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p.lead, .meta { color: var(--muted); }
.meta { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; margin: .2rem 0 .6rem; }
.meta b { color: var(--ink); }
nav ol { margin: .2rem 0; padding-left: 1.3rem; columns: 2; }
nav a, a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef2f6; }
tbody tr:nth-child(even) { background: var(--zebra); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
td.vi { max-width: 34rem; }
table.counts { width: auto; }
tr.bad td { background: var(--bad-bg); }
tr.warn td { background: var(--warn-bg); }
span.badge { display: inline-block; padding: 0 .45rem; border-radius: .7rem; font-size: .8rem; white-space: nowrap; }
span.badge.bad { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); }
span.badge.warn { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); }
span.badge.ok { background: #e8f5e9; color: #1b5e20; border: 1px solid #1b5e20; }
td.flag { color: var(--bad); font-weight: 600; }
p.empty { color: var(--muted); font-style: italic; background: var(--zebra); padding: .6rem .8rem;
          border-left: 3px solid var(--line); }
p.notice { color: var(--warn); }
figure.chart { margin: .6rem 0 1rem; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
blockquote { margin: .3rem 0; padding: .2rem .6rem; border-left: 3px solid var(--line); color: #333; }
code { font-size: .85em; overflow-wrap: anywhere; }
ul.samples { margin: 0; padding-left: 1.1rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line);
         padding-top: .6rem; }
@media print { nav { display: none; } h2 { break-after: avoid; } figure.chart { break-inside: avoid; } }
""".replace("FONT_STACK", FONT)

# Forbids every script, every external load; only the inline stylesheet and inline SVG are used.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


# ---------------------------------------------------------------------------------------------------------------
# public API


def render_report(con: duckdb.DuckDBPyConnection, as_of: date, quality_rows: list[dict] | None = None) -> str:
    """The report as a complete, self-contained HTML page (UTF-8, no script, no external resource)."""
    as_of = _as_date(as_of)
    generated = datetime.now(UTC).replace(microsecond=0)
    ctx = _Context(con, as_of)
    sections = [
        ("eid", "eID activation by province", _section_eid),
        ("dti", "DTI ranks", _section_dti),
        ("online", "Online application rates over time", _section_online),
        ("instructions", f"Instructions due within {DUE_WINDOW_DAYS} days or overdue", _section_instructions),
        ("quality", "Data quality", lambda c: _section_quality(c, quality_rows)),
        ("sources", "Source reports", _section_sources),
    ]
    body = []
    for anchor, title, build in sections:
        try:
            content = build(ctx)
        except duckdb.Error as exc:  # a table or column this warehouse does not have (yet)
            log.warning("report section %s: %s", anchor, exc)
            content = _empty(f"could not read this section: {exc}")
        body.append(f'<section id="{anchor}">\n<h2>{_esc(title)}</h2>\n{content}\n</section>')
    nav = "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t, _ in sections)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_esc(CSP)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>Digital transformation &amp; Project 06 report — as of {as_of.isoformat()}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            _header(ctx, generated),
            f'<nav aria-label="Contents"><ol>{nav}</ol></nav>',
            "<main>",
            *body,
            "</main>",
            "<footer>Figures are as extracted from provincial and national reports: achievements only (targets "
            "kept apart), quarantined figures left out of the scorecard and the charts. Text quoted from reports is "
            "shown verbatim (as text). Generated by dx-warehouse.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_report(
    con: duckdb.DuckDBPyConnection, path: Path, as_of: date, quality_rows: list[dict] | None = None
) -> Path:
    """Render the report and write it to `path` atomically (temporary file in the same folder, then os.replace)."""
    path = Path(path)
    page = render_report(con, as_of, quality_rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(page)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # a published page: readable like the rest of the serving folder
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def load_quality_rows(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """The latest validation run's rows of `quality.expectation_results` (working warehouse only), shaped for
    `render_report(quality_rows=...)`; None when the audit table is not in this database."""
    if not _has_table(con, "expectation_results", schema="quality"):
        return None
    rows = _rows(
        con,
        """select rule, severity, success, element_count, failing_count, failing_rows
           from quality.expectation_results
           where run_id = (select run_id from quality.expectation_results order by validated_at desc limit 1)
           order by rule_number, rule""",
    )
    for r in rows:
        r["first_rows"] = r.pop("failing_rows")
    return rows


def instructions_due(con: duckdb.DuckDBPyConnection, as_of: date, window_days: int = DUE_WINDOW_DAYS) -> list[dict]:
    """Instructions of current (or withdrawn, never superseded) report versions whose deadline is before `as_of`
    (overdue) or within `window_days` days from it, inclusive; each row gains `days_left` (negative when overdue)
    and `is_overdue` recomputed against `as_of`. Soonest deadline first."""
    as_of = _as_date(as_of)
    if not _has_table(con, "fct_instructions"):
        return []
    rows = _rows(
        con,
        """select instruction_id, report_id, report_status, report_date, geo_code, issued_by, assignees, action,
                  deadline_label, deadline_date, evidence
           from fct_instructions
           where deadline_date is not null and deadline_date <= ?
             and coalesce(report_status, 'current') <> 'superseded'
           order by deadline_date, instruction_id""",
        [as_of + timedelta(days=window_days)],
    )
    for r in rows:
        r["days_left"] = (r["deadline_date"] - as_of).days
        r["is_overdue"] = r["days_left"] < 0
    return rows


# ---------------------------------------------------------------------------------------------------------------
# reading


class _Context:
    """The connection, the as-of date, and lookups shared by the sections."""

    def __init__(self, con: duckdb.DuckDBPyConnection, as_of: date):
        self.con = con
        self.as_of = as_of
        self._geo: list[dict] | None = None
        self._indicators: dict[str, str] | None = None
        self._titles: dict[str, str] | None = None
        self._figures: dict[tuple, str] | None = None

    def has(self, table: str) -> bool:
        return _has_table(self.con, table)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        return _rows(self.con, sql, params)

    @property
    def geo(self) -> list[dict]:
        if self._geo is None:
            self._geo = (
                self.rows(
                    """select geo_key, geo_code, geo_level, geo_name, geo_era, valid_from, valid_to
                       from dim_geography where geo_level in ('national', 'province')"""
                )
                if self.has("dim_geography")
                else []
            )
        return self._geo

    def place_by_key(self, geo_key: str | None, geo_code: str | None = None, name: str | None = None) -> str:
        if name:
            return name
        for g in self.geo:
            if geo_key and g["geo_key"] == geo_key and g["geo_name"]:
                return _national(g)
        return self.place_by_code(geo_code, None) if geo_code else (geo_key or "?")

    def place_by_code(self, geo_code: str | None, on: date | None) -> str:
        """The name of the province (or the nation) with this code on that day (the latest unit when unknown)."""
        if not geo_code:
            return "—"
        matches = [g for g in self.geo if g["geo_code"] == geo_code and g["geo_name"]]
        if on is not None:
            valid = [g for g in matches if (g["valid_from"] or date.min) <= on <= (g["valid_to"] or date.max)]
            matches = valid or matches
        if not matches:
            return geo_code
        best = max(matches, key=lambda g: g["valid_from"] or date.min)
        return _national(best)

    def indicator_name(self, code: str | None) -> str:
        if self._indicators is None:
            self._indicators = (
                {
                    r["indicator_code"]: r["indicator_name_en"]
                    for r in self.rows("select indicator_code, indicator_name_en from dim_indicator")
                }
                if self.has("dim_indicator")
                else {}
            )
        return self._indicators.get(code or "") or code or "—"

    def value_link(self, geo_key: str | None, indicator_code: str, period: str | None) -> str | None:
        """The evidence page anchor of the figure fct_indicator_values chose for a place, indicator and period
        (the achievement), or None."""
        if self._figures is None:
            self._figures = (
                {
                    (r["geo_key"], r["indicator_code"], r["period"]): evidence_href(
                        r["report_version_id"], r["observation_id"]
                    )
                    for r in self.rows(
                        """select geo_key, indicator_code, period, report_version_id, observation_id
                           from fct_indicator_values where value_kind = 'achievement'"""
                    )
                }
                if self.has("fct_indicator_values")
                else {}
            )
        return self._figures.get((geo_key, indicator_code, period))

    def report_title(self, report_id: str | None) -> str:
        if self._titles is None:
            self._titles = (
                {
                    r["report_id"]: r["title"]
                    for r in self.rows(
                        """select report_id, title from dim_report
                       order by report_status = 'current', ingested_at nulls first"""
                    )
                }
                if self.has("dim_report")
                else {}
            )
        return self._titles.get(report_id or "") or ""


def _national(g: dict) -> str:
    return f"{g['geo_name']} (national)" if g["geo_level"] == "national" else g["geo_name"]


def _has_table(con: duckdb.DuckDBPyConnection, table: str, schema: str = "main") -> bool:
    return bool(
        con.execute(
            """select count(*) from information_schema.tables
               where table_catalog = current_database() and table_schema = ? and table_name = ?""",
            [schema, table],
        ).fetchone()[0]
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


# ---------------------------------------------------------------------------------------------------------------
# HTML helpers


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _empty(reason: str = "") -> str:
    return f'<p class="empty">{NO_DATA}{(" — " + _esc(reason)) if reason else ""}</p>'


def _none(sentence: str) -> str:
    """There is data, but nothing to list here."""
    return f'<p class="empty">{_esc(sentence)}</p>'


def _fmt(value: Any, kind: str) -> str:
    """A value as plain text (not yet escaped)."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "pct":
        return f"{value:,.2f}"
    if kind == "rank":
        return f"{value:,.0f}"
    if kind == "num":
        return f"{value:,.4g}"
    if isinstance(value, list | tuple):
        return ", ".join("" if v is None else str(v) for v in value) or "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class _Col:
    key: str
    header: str
    kind: str = "text"  # text | vi (report text) | count | pct | rank | num | date | html (pre-escaped)


_CELL_CLASS = {"count": "num", "pct": "num", "rank": "num", "num": "num", "date": "date", "vi": "vi"}


def _table(cols: Sequence[_Col], rows: Sequence[dict], limit: int = MAX_TABLE_ROWS) -> str:
    head = "".join(f'<th scope="col">{_esc(c.header)}</th>' for c in cols)
    body = []
    for r in rows[:limit]:
        cells = []
        for c in cols:
            value = r.get(c.key)
            text = value if c.kind == "html" else _esc(_fmt(value, c.kind))
            if href := (r.get("_links") or {}).get(c.key):  # the figure, in its report's evidence page
                text = f'<a href="{_esc(href)}" title="see it in its report">{text}</a>'
            cls = _CELL_CLASS.get(c.kind)
            attrs = (f' class="{cls}"' if cls else "") + (' lang="vi"' if c.kind == "vi" else "")
            cells.append(f"<td{attrs}>{text}</td>")
        row_class = f' class="{_esc(r["_class"])}"' if r.get("_class") else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    more = f'<p class="notice">{len(rows) - limit:,} more rows not shown.</p>' if len(rows) > limit else ""
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>" + more


def evidence_href(report_version_id: str | None, observation_id: str | None) -> str | None:
    """The link from the report to a figure in its evidence page (serving/evidence/, beside report.html)."""
    if not report_version_id or not observation_id:
        return None
    return f"evidence/{evidence.page_name(report_version_id)}#{evidence.anchor(observation_id)}"


def _report_cell(report_id: str | None, title: str = "", status: str | None = None) -> str:
    """A report id as pre-escaped HTML, its title as a tooltip."""
    tip = f' title="{_esc(title)}"' if title else ""
    note = f' <span class="badge warn">{_esc(status)}</span>' if status and status != "current" else ""
    return f"<code{tip}>{_esc(report_id or '—')}</code>{note}"


def _evidence(text: str | None, summary: str = "evidence") -> str:
    if not text:
        return ""
    return f'<details><summary>{_esc(summary)}</summary><blockquote lang="vi">{_esc(text)}</blockquote></details>'


# ---------------------------------------------------------------------------------------------------------------
# charts

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "line", "text", "tspan", "circle", "ellipse", "polygon", "polyline", "defs",
    "clipPath", "title", "desc", "linearGradient", "radialGradient", "stop", "pattern", "mask",
}  # fmt: skip
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def _chart_text(value: Any) -> str:
    """Report text made safe to put in a chart spec: no angle bracket (‹ › instead), no control character."""
    text = _CONTROL.sub(" ", "" if value is None else str(value))
    return text.replace("<", "\u2039").replace(">", "\u203a")


def _unique(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes specs for, when vl_convert bundles it (else vl_convert's latest)."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None


def _check_svg(svg: str) -> None:
    """Raise ValueError unless the SVG holds only drawing elements: no script, no foreign content, no event
    handler, no link of any kind."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed SVG: {exc}") from None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag not in _SVG_ELEMENTS:
            raise ValueError(f"unexpected element <{tag}>")
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            if name.startswith("on") or name in ("href", "src") or "javascript:" in value.lower():
                raise ValueError(f"unexpected attribute {name!r} on <{tag}>")
    if re.search(r"<\s*/?\s*script", svg, re.I):
        raise ValueError("script in SVG")


def _inline_svg(svg: str, key: str, label: str) -> str:
    """A vl_convert SVG made fit to inline: checked, namespace declarations dropped (the HTML parser puts <svg>
    in the SVG namespace), ids made unique to the chart, an accessible name."""
    _check_svg(svg)
    head, sep, rest = svg.partition(">")
    head = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", head)
    head = head.replace("<svg", f'<svg role="img" aria-label="{_esc(label)}"', 1)
    rest = _ID.sub(lambda m: f'id="{key}-{m[1]}"', rest)
    rest = _URL_REF.sub(lambda m: f"url(#{key}-{m[1]})", rest)
    return head + sep + rest


def _render_chart(chart: alt.TopLevelMixin, key: str, label: str) -> str:
    try:
        spec = chart.configure(font="sans-serif").configure_title(anchor="start", fontSize=14).to_dict()
        svg = vlc.vegalite_to_svg(spec, vl_version=_vl_version(), allowed_base_urls=[])
        figure = _inline_svg(svg, key, label)
    except Exception as exc:  # the page still goes out, with the tables; the chart says why it is missing
        log.warning("report chart %s not rendered: %s", key, exc)
        return f'<p class="notice">Chart not shown ({_esc(type(exc).__name__)}: {_esc(exc)}).</p>'
    return f'<figure class="chart">{figure}</figure>'


# ---------------------------------------------------------------------------------------------------------------
# sections


def _header(ctx: _Context, generated: datetime) -> str:
    counts = []
    for table in TABLES:
        n = ctx.con.execute(f'select count(*) from main."{table}"').fetchone()[0] if ctx.has(table) else None
        counts.append({"table": table, "rows": n if n is not None else "missing"})
    published = ""
    if ctx.has("_publication"):
        pub = ctx.rows("select run_id, published_at from _publication order by published_at desc limit 1")
        if pub:
            published = (
                f"<span>Snapshot published: <b>{_esc(_fmt(pub[0]['published_at'], 'text'))} UTC</b> "
                f"(run <code>{_esc(pub[0]['run_id'])}</code>)</span>"
            )
    table = _table(
        [_Col("table", "Table"), _Col("rows", "Rows", "count")],
        [{**c, "rows": c["rows"] if isinstance(c["rows"], int) else None} for c in counts],
    ).replace("<table>", '<table class="counts">', 1)
    return (
        "<header>\n<h1>Digital transformation &amp; Project 06 — provincial report</h1>\n"
        '<p class="lead">Figures extracted from Vietnamese provincial and national reports on digital '
        "transformation (chuyển đổi số) and Project 06 (Đề án 06).</p>\n"
        f'<div class="meta"><span>As of: <b>{_date_text(ctx.as_of)}</b></span>'
        f"<span>Generated: <b>{generated.strftime('%Y-%m-%d %H:%M:%S')} UTC</b></span>{published}</div>\n"
        f"<details><summary>Row counts</summary>{table}</details>\n</header>"
    )


def _date_text(d: date) -> str:
    return _esc(d.isoformat())


def _latest_per_place(rows: list[dict]) -> list[dict]:
    """The latest period of each place: the latest end, then the most specific (latest start)."""
    best: dict[str, dict] = {}
    for r in rows:
        rank = (r["period_end"] or date.min, r["period_start"] or date.min)
        cur = best.get(r["geo_key"])
        if cur is None or rank > (cur["period_end"] or date.min, cur["period_start"] or date.min):
            best[r["geo_key"]] = r
    return list(best.values())


def _section_eid(ctx: _Context) -> str:
    if not ctx.has("mart_province_scorecard"):
        return _empty("the scorecard has not been built")
    rows = _latest_per_place(
        ctx.rows(
            """select geo_key, geo_code, geo_name, geo_era, period, period_start, period_end,
                      eid_accounts_activated, eid_eligible_citizens,
                      eid_activation_rate_reported, eid_activation_rate_computed
               from mart_province_scorecard
               where coalesce(eid_accounts_activated, eid_eligible_citizens,
                              eid_activation_rate_reported, eid_activation_rate_computed) is not null"""
        )
    )
    if not rows:
        return _empty("no province has reported eID accounts")
    for r in rows:
        r["place"] = ctx.place_by_key(r["geo_key"], r["geo_code"], r["geo_name"])
        rep, comp = r["eid_activation_rate_reported"], r["eid_activation_rate_computed"]
        r["_class"] = "warn" if rep is not None and comp is not None and abs(rep - comp) > 1.0 else ""
        r["_links"] = {
            col: ctx.value_link(r["geo_key"], col.removesuffix("_reported"), r["period"])
            for col in ("eid_accounts_activated", "eid_eligible_citizens", "eid_activation_rate_reported")
        }
    rows.sort(key=lambda r: (-(r["eid_accounts_activated"] or -1), r["place"]))
    labels = _unique([_chart_text(f"{r['place']} · {r['period']}") for r in rows])
    records = []
    for label, r in zip(labels, rows, strict=True):
        rate = r["eid_activation_rate_computed"] or r["eid_activation_rate_reported"]
        for measure, col in ((ELIGIBLE, "eid_eligible_citizens"), (ACTIVATED, "eid_accounts_activated")):
            if r[col] is not None:
                records.append({"province": label, "measure": measure, "accounts": r[col], "rate": rate})
    parts = []
    if records:
        charted = [
            label
            for label, r in zip(labels, rows, strict=True)
            if r["eid_accounts_activated"] is not None or r["eid_eligible_citizens"] is not None
        ]
        chart = (
            alt.Chart(
                alt.Data(values=records),
                title=alt.Title(
                    "VNeID accounts: activated vs eligible citizens",
                    subtitle="Latest reported period per province",
                ),
            )
            .mark_bar()
            .encode(
                y=alt.Y("province:N", title="Province · period", sort=charted),
                yOffset=alt.YOffset("measure:N", sort=[ELIGIBLE, ACTIVATED]),
                x=alt.X("accounts:Q", title="Accounts / citizens", axis=alt.Axis(format="~s")),
                color=alt.Color(
                    "measure:N",
                    title=None,
                    scale=alt.Scale(domain=[ELIGIBLE, ACTIVATED], range=["#a9c4e0", "#1f5f99"]),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("province:N", title="Province"),
                    alt.Tooltip("measure:N", title="Measure"),
                    alt.Tooltip("accounts:Q", title="Value", format=",.0f"),
                    alt.Tooltip("rate:Q", title="Activation rate (%)", format=".2f"),
                ],
            )
            .properties(width=620, height=max(80, 36 * len(charted)))
        )
        parts.append(_render_chart(chart, "eid", "Bar chart: activated vs eligible VNeID accounts per province"))
    else:
        parts.append(_empty("no province gave activated or eligible counts to chart (rates only, see table)"))
    parts.append(
        _table(
            [
                _Col("place", "Province", "vi"),
                _Col("period", "Period"),
                _Col("eid_accounts_activated", "Activated accounts", "count"),
                _Col("eid_eligible_citizens", "Eligible citizens", "count"),
                _Col("eid_activation_rate_reported", "Rate reported (%)", "pct"),
                _Col("eid_activation_rate_computed", "Rate computed (%)", "pct"),
            ],
            rows,
        )
    )
    parts.append(
        '<p class="lead">Rate computed = activated / eligible × 100 where both are known for the same place and '
        "period. Rows where it differs from the reported rate by more than one point are highlighted.</p>"
    )
    return "\n".join(parts)


def _section_dti(ctx: _Context) -> str:
    if not ctx.has("mart_province_scorecard"):
        return _empty("the scorecard has not been built")
    rows = ctx.rows(
        """select geo_key, geo_code, geo_name, geo_era, period, period_end, dti_rank, dti_score
           from mart_province_scorecard where dti_rank is not null"""
    )
    if not rows:
        return _empty("no DTI rank has been reported")
    denominators: dict[tuple[str, str], float] = {}
    if ctx.has("fct_indicator_values"):
        for r in ctx.rows(
            """select geo_key, period, denominator from fct_indicator_values
               where indicator_code = 'dti_rank' and value_kind = 'achievement' and denominator is not null"""
        ):
            denominators[(r["geo_key"], r["period"])] = r["denominator"]
    for r in rows:
        r["place"] = ctx.place_by_key(r["geo_key"], r["geo_code"], r["geo_name"])
        r["year"] = r["period_end"].year if r["period_end"] else None
        r["of"] = denominators.get((r["geo_key"], r["period"]))
        r["_links"] = {
            "dti_rank": ctx.value_link(r["geo_key"], "dti_rank", r["period"]),
            "dti_score": ctx.value_link(r["geo_key"], "dti_score", r["period"]),
        }
    rows.sort(key=lambda r: (-(r["year"] or 0), r["dti_rank"], r["place"]))
    year = max(r["year"] or 0 for r in rows)
    latest = [r for r in rows if (r["year"] or 0) == year]
    bottom = max([r["dti_rank"] for r in latest] + [r["of"] for r in latest if r["of"]])
    labels = _unique([_chart_text(r["place"]) for r in latest])
    data = alt.Data(
        values=[
            {"province": label, "rank": r["dti_rank"], "score": r["dti_score"], "label": f"#{r['dti_rank']:.0f}"}
            for label, r in zip(labels, latest, strict=True)
        ]
    )
    base = alt.Chart(
        data,
        title=alt.Title(f"DTI rank by province, index year {year}", subtitle="Lower is better: rank 1 at the right"),
    ).encode(
        y=alt.Y("province:N", title="Province", sort=labels),
        x=alt.X(
            "rank:Q",
            title="DTI rank (1 = best)",
            scale=alt.Scale(domain=[1, max(bottom, 2)], reverse=True, nice=False, zero=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
        tooltip=[
            alt.Tooltip("province:N", title="Province"),
            alt.Tooltip("rank:Q", title="Rank", format="d"),
            alt.Tooltip("score:Q", title="Score"),
        ],
    )
    chart = (
        base.mark_rule(color="#a9c4e0", strokeWidth=3).encode(x2=alt.X2(datum=max(bottom, 2)))
        + base.mark_circle(size=160, color="#1f5f99", opacity=1)
        + base.mark_text(align="left", dx=10, fontWeight="bold").encode(text="label:N")
    ).properties(width=560, height=max(60, 30 * len(latest)))
    return "\n".join(
        [
            _render_chart(chart, "dti", f"Chart: DTI rank by province for index year {year}"),
            _table(
                [
                    _Col("year", "Index year"),
                    _Col("place", "Province", "vi"),
                    _Col("dti_rank", "Rank", "rank"),
                    _Col("of", "Out of", "rank"),
                    _Col("dti_score", "Score", "num"),
                ],
                rows,
            ),
        ]
    )


def _section_online(ctx: _Context) -> str:
    if not ctx.has("fct_indicator_values"):
        return _empty("the indicator values have not been built")
    rows = ctx.rows(
        """select geo_key, geo_code, geo_level, period, period_end, value, report_id, is_disputed,
                  report_version_id, observation_id
           from fct_indicator_values
           where indicator_code = 'online_application_rate' and value_kind = 'achievement'
             and geo_level in ('national', 'province') and period_end is not null and value is not null
           order by geo_level, geo_code, period_end"""
    )
    if not rows:
        return _empty("no online application rate has been reported")
    for r in rows:
        r["place"] = ctx.place_by_key(r["geo_key"], r["geo_code"])
        r["report"] = _report_cell(r["report_id"], ctx.report_title(r["report_id"]))
        r["disputed"] = "reports disagree" if r["is_disputed"] else ""
        r["_links"] = {"value": evidence_href(r["report_version_id"], r["observation_id"])}
    names = {r["geo_key"]: r["place"] for r in rows}
    series = dict(zip(names, _unique([_chart_text(n) for n in names.values()]), strict=True))
    data = alt.Data(
        values=[
            {
                "place": series[r["geo_key"]],
                "period_end": r["period_end"].isoformat(),
                "period": _chart_text(r["period"]),
                "value": r["value"],
            }
            for r in rows
        ]
    )
    chart = (
        alt.Chart(
            data,
            title=alt.Title(
                "Share of applications received online",
                subtitle="Per province and nationally, by end of the reported period",
            ),
        )
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=2)
        .encode(
            x=alt.X(
                "period_end:T",
                title="Period end",
                scale=alt.Scale(type="utc", padding=14),
                axis=alt.Axis(format="%Y-%m"),
            ),
            y=alt.Y("value:Q", title="Applications received online (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("place:N", title="Place", legend=alt.Legend(orient="right")),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="Online (%)", format=".2f"),
            ],
        )
        .properties(width=620, height=300)
    )
    return "\n".join(
        [
            _render_chart(chart, "online", "Line chart: share of applications received online over time"),
            _table(
                [
                    _Col("place", "Place", "vi"),
                    _Col("period", "Period"),
                    _Col("period_end", "Period end", "date"),
                    _Col("value", "Online (%)", "pct"),
                    _Col("report", "Report", "html"),
                    _Col("disputed", "Note"),
                ],
                rows,
            ),
        ]
    )


def _section_instructions(ctx: _Context) -> str:
    if not ctx.has("fct_instructions"):
        return _empty("the instructions have not been built")
    rows = instructions_due(ctx.con, ctx.as_of)
    total, undated = ctx.con.execute(
        """select count(*), count(*) filter (where deadline_date is null) from fct_instructions
           where coalesce(report_status, 'current') <> 'superseded'"""
    ).fetchone()
    if not total:
        return _empty("no instruction has been extracted")
    for r in rows:
        days = r["days_left"]
        if days < 0:
            r["status"] = f'<span class="badge bad">overdue by {-days} day{"s" if days != -1 else ""}</span>'
        elif days == 0:
            r["status"] = '<span class="badge warn">due today</span>'
        else:
            r["status"] = f'<span class="badge warn">due in {days} day{"s" if days != 1 else ""}</span>'
        shown = r["deadline_label"] and r["deadline_label"] != r["deadline_date"].isoformat()
        label = f" ({_esc(r['deadline_label'])})" if shown else ""
        r["deadline"] = f"{_esc(_fmt(r['deadline_date'], 'date'))}{label}"
        r["place"] = ctx.place_by_code(r["geo_code"], r["report_date"])
        r["action_html"] = _esc(r["action"] or "—") + _evidence(r["evidence"])
        r["report"] = _report_cell(r["report_id"], ctx.report_title(r["report_id"]), r["report_status"])
    cols = [
        _Col("status", "Status", "html"),
        _Col("deadline", "Deadline", "html"),
        _Col("place", "Place", "vi"),
        _Col("issued_by", "Issued by", "vi"),
        _Col("assignees", "Assignees", "vi"),
        _Col("action_html", "Action", "html"),
        _Col("report", "Report", "html"),
    ]
    due = [r for r in rows if not r["is_overdue"]]
    overdue = sorted((r for r in rows if r["is_overdue"]), key=lambda r: (r["deadline_date"], r["instruction_id"]))
    window_end = ctx.as_of + timedelta(days=DUE_WINDOW_DAYS)
    return "\n".join(
        [
            f'<p class="lead">Deadlines relative to {_date_text(ctx.as_of)}: <b>{len(due)}</b> due by '
            f"{_esc(window_end.isoformat())}, <b>{len(overdue)}</b> overdue; {total:,} instructions in all, "
            f"{undated:,} of them without a deadline. Superseded report versions are left out.</p>",
            f'<h3 id="due-soon">Due in the next {DUE_WINDOW_DAYS} days ({len(due)})</h3>',
            _table(cols, due) if due else _none(f"Nothing is due between {ctx.as_of} and {window_end}."),
            f'<h3 id="overdue">Overdue ({len(overdue)})</h3>',
            _table(cols, overdue) if overdue else _none(f"Nothing is overdue on {ctx.as_of}."),
        ]
    )


def _section_quality(ctx: _Context, quality_rows: list[dict] | None) -> str:
    parts = ["<h3>Quarantined figures</h3>"]
    if not ctx.has("fct_indicator_observations"):
        parts.append(_empty("the observations have not been built"))
    else:
        n_obs, n_quarantined, n_warned = ctx.con.execute(
            """select count(*), count(*) filter (where is_quarantined),
                      count(*) filter (where len(coalesce(warned_rules, [])) > 0)
               from fct_indicator_observations"""
        ).fetchone()
        rows = ctx.rows(
            """select observation_id, report_version_id, report_id, report_status, geo_key, geo_code, geo_name,
                      indicator_code, value, unit, period, failed_rules, warned_rules, evidence
               from fct_indicator_observations where is_quarantined
               order by report_date desc nulls last, observation_id"""
        )
        if not n_obs:
            parts.append(_empty("no figure has been extracted"))
        else:
            parts.append(
                f'<p class="lead"><b>{n_quarantined:,}</b> of {n_obs:,} extracted figures are quarantined (they '
                "break a hard rule and are left out of the values, the scorecard and the charts); "
                f"{n_warned:,} raise a warning only.</p>"
            )
        if rows:
            for r in rows:
                r["place"] = ctx.place_by_key(r["geo_key"], r["geo_code"], r["geo_name"])
                r["indicator"] = ctx.indicator_name(r["indicator_code"])
                r["report"] = _report_cell(r["report_id"], ctx.report_title(r["report_id"]), r["report_status"])
                r["figure"] = f"{_fmt(r['value'], 'num')} {r['unit'] or ''}".strip()
                r["_class"] = "bad"
                r["_links"] = {"figure": evidence_href(r["report_version_id"], r["observation_id"])}
            parts.append(
                _table(
                    [
                        _Col("report", "Report", "html"),
                        _Col("place", "Place", "vi"),
                        _Col("indicator", "Indicator"),
                        _Col("period", "Period"),
                        _Col("figure", "Figure"),
                        _Col("failed_rules", "Failed rules"),
                        _Col("warned_rules", "Warnings"),
                        _Col("evidence", "Evidence", "vi"),
                    ],
                    rows,
                )
            )
        elif n_obs:
            parts.append(_none("No figure is quarantined."))
    parts.append("<h3>Expectation results</h3>")
    if quality_rows is None:
        parts.append(_empty("no validation results were supplied (they live in the working warehouse)"))
    elif not quality_rows:
        parts.append(_empty())
    else:
        shaped = []
        for q in quality_rows:
            failing = q.get("failing_count")
            severity = q.get("severity")
            failed = bool(failing) if q.get("success") is None else not q.get("success")
            badge = ("bad" if severity == "error" else "warn") if failed else "ok"
            shaped.append(
                {
                    "rule": q.get("rule"),
                    "severity": severity,
                    "failing_count": failing,
                    "result": f'<span class="badge {badge}">{"fails" if failed else "passes"}</span>',
                    "samples": _samples(q.get("first_rows")),
                    "_class": badge if failed else "",
                }
            )
        parts.append(
            _table(
                [
                    _Col("rule", "Rule"),
                    _Col("severity", "Severity"),
                    _Col("result", "Result", "html"),
                    _Col("failing_count", "Failing rows", "count"),
                    _Col("samples", "First failing rows", "html"),
                ],
                shaped,
            )
        )
    return "\n".join(parts)


def _samples(first_rows: Any) -> str:
    """The first failing rows of a rule as pre-escaped HTML: a JSON string or a list of dicts, strings or tuples."""
    if first_rows is None:
        return ""
    if isinstance(first_rows, str | bytes):
        try:
            first_rows = json.loads(first_rows)
        except ValueError:
            return f'<span lang="vi">{_esc(first_rows)}</span>'
    if isinstance(first_rows, dict):
        first_rows = [first_rows]
    if not isinstance(first_rows, list | tuple):
        return _esc(first_rows)
    items = []
    for row in first_rows[:MAX_SAMPLE_ROWS]:
        if isinstance(row, dict):
            who = row.get("report_id") or row.get("observation_id")
            text = row.get("evidence")
            other = row.get("conflicting_evidence")
            rest = {
                k: v
                for k, v in row.items()
                if k not in ("report_id", "observation_id", "evidence", "conflicting_evidence")
            }
            item = f"<code>{_esc(who)}</code> " if who else ""
            item += f'<span lang="vi">{_esc(text)}</span>' if text else ""
            if other and other != text:
                item += f'<br><small>conflicts with:</small> <span lang="vi">{_esc(other)}</span>'
            if rest or not (who or text):
                item += f" <small>{_esc(json.dumps(rest or row, ensure_ascii=False, default=str))}</small>"
        elif isinstance(row, list | tuple):
            item = _esc(" · ".join("" if v is None else str(v) for v in row))
        else:
            item = f'<span lang="vi">{_esc(row)}</span>'
        items.append(f"<li>{item}</li>")
    if len(first_rows) > MAX_SAMPLE_ROWS:
        items.append(f"<li><small>… {len(first_rows) - MAX_SAMPLE_ROWS} more</small></li>")
    return f'<ul class="samples">{"".join(items)}</ul>' if items else "—"


def _section_sources(ctx: _Context) -> str:
    if not ctx.has("dim_report"):
        return _empty("no report has been ingested")
    rows = ctx.rows(
        """select report_id, title, report_date, report_status, observation_count, instruction_count,
                  extraction_error
           from dim_report order by report_date desc nulls last, report_id, report_status"""
    )
    if not rows:
        return _empty("no report has been ingested")
    for r in rows:
        r["report"] = _report_cell(r["report_id"], status=r["report_status"])
        r["_class"] = "bad" if r["extraction_error"] else ""
    return _table(
        [
            _Col("report_date", "Report date", "date"),
            _Col("report", "Report", "html"),
            _Col("title", "Title", "vi"),
            _Col("observation_count", "Figures", "count"),
            _Col("instruction_count", "Instructions", "count"),
            _Col("extraction_error", "Extraction error"),
        ],
        rows,
    )
