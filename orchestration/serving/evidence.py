"""Evidence view: one offline page per report version, its text with every extracted figure highlighted.

Pure rendering (text and spans in, HTML out) so it can be written at publish and tested without a warehouse.
No script: details sit in a table and in each mark's title; every piece of report text is escaped.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

STYLE = """
body{font:15px/1.6 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre.text{white-space:pre-wrap;word-wrap:break-word;font:inherit;background:#fafafa;padding:1rem;border:1px solid #ddd}
mark{background:#fde68a;padding:0 .1em;border-radius:2px}
mark.quarantined{background:#fecaca;outline:1px solid #b91c1c}
mark.corrected{background:#bbf7d0;outline:1px solid #15803d}
mark.rejected{background:#e5e7eb;text-decoration:line-through}
mark.unmapped{background:none;border-bottom:2px dashed #6b7280}
sup{font-size:.7em;color:#555}
table{border-collapse:collapse;margin-top:1.5rem;font-size:.9em}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
tr:target{background:#fef3c7}
.legend mark{margin-right:.6rem}
"""


@dataclass(frozen=True)
class Span:
    """One figure at its offsets in the report text; kind 'figure' (mapped) or 'unmapped'."""

    char_start: int
    char_end: int
    kind: str = "figure"
    observation_id: str | None = None
    indicator: str | None = None
    value: float | None = None
    geo: str | None = None
    period: str | None = None
    qualifier: str | None = None
    quarantined: bool = False
    correction_status: str | None = None
    figure_text: str | None = None  # the number as written, marked inside its sentence (unmapped mentions)


def anchor(observation_id: str) -> str:
    """The fragment id of a figure, usable in links from the marts: evidence/<page>#<anchor>."""
    return "obs-" + re.sub(r"[^A-Za-z0-9_.-]", "-", observation_id)


def page_name(report_version: str) -> str:
    """The file name of a report version's page (safe on every file system)."""
    return re.sub(r"[^A-Za-z0-9_.@-]", "_", report_version) + ".html"


def _css_class(span: Span) -> str:
    if span.kind == "unmapped":
        return "unmapped"
    if span.correction_status == "rejected":
        return "rejected"
    if span.correction_status in ("changed", "added"):
        return "corrected"
    return "quarantined" if span.quarantined else "figure"


def _describe(span: Span) -> str:
    if span.kind == "unmapped":
        return "number that maps to no indicator"
    bits = [
        span.indicator or "?",
        f"= {span.value:.12g}" if span.value is not None else "",
        span.geo or "",
        span.period or "no period",
        span.qualifier or "",
    ]
    if span.quarantined:
        bits.append("quarantined")
    if span.correction_status:
        bits.append(span.correction_status)
    return " · ".join(b for b in bits if b)


def _blocks(text: str, spans: Sequence[Span]) -> list[tuple[int, int, list[Span]]]:
    """Spans grouped by their offsets (a sentence states several figures), in text order; a group that
    overlaps an earlier one or falls outside the text is listed in the table but not marked."""
    groups: dict[tuple[int, int], list[Span]] = {}
    for s in spans:
        groups.setdefault((s.char_start, s.char_end), []).append(s)
    out, end = [], -1
    for (start, stop), members in sorted(groups.items(), key=lambda g: (g[0][0], -g[0][1])):
        if 0 <= start < stop <= len(text) and start >= end:
            out.append((start, stop, members))
            end = stop
    return out


def _inner(segment: str, unmapped: list[Span]) -> str:
    """The escaped sentence with each unmapped number (its first occurrence) marked differently."""
    esc, out, pos = html.escape, [], 0
    for s in unmapped:
        # the number standing alone, not the "4" of "2024"
        hit = (
            re.compile(rf"(?<![\d.,]){re.escape(s.figure_text)}(?![\d]|[.,]\d)").search(segment, pos)
            if s.figure_text
            else None
        )
        if hit is None:
            continue
        at = hit.start()
        out.append(esc(segment[pos:at]))
        out.append(f'<mark class="unmapped" title="{esc(_describe(s))}">{esc(s.figure_text)}</mark>')
        pos = at + len(s.figure_text)
    out.append(esc(segment[pos:]))
    return "".join(out)


def render_evidence(title: str, text: str, spans: Sequence[Span]) -> str:
    """The page: the escaped text with each figure's sentence marked (state, details in its title, numbers
    linking to the table), unmapped numbers underlined, then a table of every figure."""
    esc = html.escape
    marked, pos, numbers = [], 0, {}
    for start, stop, members in _blocks(text, spans):
        marked.append(esc(text[pos:start]))
        figs = [s for s in members if s.kind == "figure"]
        inner = _inner(text[start:stop], [s for s in members if s.kind == "unmapped"])
        if figs:
            states = {_css_class(s) for s in figs}
            cls = next(c for c in ("quarantined", "rejected", "corrected", "figure") if c in states)
            ids = [s.observation_id for s in figs if s.observation_id]
            ident = f' id="{esc(anchor(ids[0]))}-text"' if ids else ""
            title_attr = esc(" | ".join(_describe(s) for s in figs))
            refs = []
            for s in figs:
                numbers[id(s)] = len(numbers) + 1
                target = f"#{esc(anchor(s.observation_id))}" if s.observation_id else "#figures"
                refs.append(f'<a href="{target}">{numbers[id(s)]}</a>')
            inner = f'<mark class="{cls}"{ident} title="{title_attr}">{inner}</mark><sup>{",".join(refs)}</sup>'
        marked.append(inner)
        pos = stop
    marked.append(esc(text[pos:]))
    rows = []
    for s in sorted((s for s in spans if s.kind == "figure"), key=lambda s: s.char_start):
        ident = f' id="{esc(anchor(s.observation_id))}"' if s.observation_id else ""
        n = numbers.get(id(s))
        link = f'<a href="#{esc(anchor(s.observation_id))}-text">{n}</a>' if n and s.observation_id else "–"
        cells = [
            s.indicator,
            "" if s.value is None else f"{s.value:.12g}",
            s.geo,
            s.period,
            s.qualifier,
            "yes" if s.quarantined else "",
            s.correction_status,
        ]
        rows.append(f"<tr{ident}><td>{link}</td>" + "".join(f"<td>{esc(c or '')}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<th>{h}</th>"
        for h in ("#", "indicator", "value", "place", "period", "qualifier", "quarantined", "correction")
    )
    n_unmapped = sum(1 for s in spans if s.kind == "unmapped")
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"
        f'<p class="legend"><mark>figure</mark><mark class="quarantined">quarantined</mark>'
        f'<mark class="corrected">corrected</mark><mark class="rejected">rejected</mark>'
        f'<mark class="unmapped">unmapped number</mark> {len(rows)} figures, {n_unmapped} unmapped numbers</p>'
        f'<pre class="text">{"".join(marked)}</pre>'
        f'<table id="figures"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></body></html>'
    )


def evidence_dir(serving_dir: Path) -> Path:
    return serving_dir / "evidence"


def write_evidence_pages(con: duckdb.DuckDBPyConnection, serving_dir: Path) -> int:
    """One page per report version of the working warehouse (it holds the text), in serving/evidence/.

    A page is rewritten only when its content changed; pages of versions no longer in the warehouse go.
    """
    out = evidence_dir(serving_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, list[Span]] = {}
    for row in con.execute(
        """select report_version_id, char_start, char_end, observation_id, indicator_code, value,
                  geo_code || coalesce(' ' || geo_name, ''), period, qualifier, coalesce(is_quarantined, false),
                  correction_status
           from main.fct_indicator_observations where char_start is not null"""
    ).fetchall():
        figures.setdefault(row[0], []).append(Span(row[1], row[2], "figure", *row[3:9], bool(row[9]), row[10]))
    for version, start, end, figure_text in con.execute(
        """select report_version_id, char_start, char_end, figure_text from raw.unmapped_mentions
           where char_start is not null order by report_version_id, seq"""
    ).fetchall():
        figures.setdefault(version, []).append(Span(start, end, "unmapped", figure_text=figure_text))
    written = set()
    for version, title, text in con.execute(
        "select report_version_id, coalesce(title, report_id), text from raw.reports order by report_version_id"
    ).fetchall():
        page = out / page_name(version)
        written.add(page.name)
        content = render_evidence(f"{title} ({version})", text or "", figures.get(version, []))
        if not page.exists() or page.read_text(encoding="utf-8") != content:
            tmp = page.with_name(f".{page.name}.tmp")
            tmp.write_text(content, encoding="utf-8")
            os.replace(tmp, page)
    for stale in out.glob("*.html"):
        if stale.name not in written:
            stale.unlink()
    return len(written)
