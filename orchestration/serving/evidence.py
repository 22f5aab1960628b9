"""Evidence view: one offline page per report version, its text with every extracted figure highlighted.

Pure rendering (text and spans in, HTML out) so it can be written at publish and tested without a warehouse.
No script: details sit in a table and in each mark's title; every piece of report text is escaped.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sources.extract.numbers import find_figures

STYLE = """
body{font:16px/1.65 system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#222}
h1{font-size:1.35rem;line-height:1.3;margin:.2rem 0 .4rem}
p.meta{margin:.2rem 0;color:#555;font-size:.9em}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;background:#fafafa;padding:1rem 1.2rem;
border:1px solid #ddd}
mark{background:#fef3c7;padding:0 .1em;border-radius:2px;color:inherit}
mark.quarantined{background:#fee2e2;outline:1px solid #b91c1c}
mark.corrected{background:#dcfce7;outline:1px solid #15803d}
mark.rejected{background:#f3f4f6;text-decoration:line-through}
mark.unmapped{background:none;border-bottom:2px dashed #6b7280}
strong.num{font-weight:700;background:#fde68a;border-radius:2px}
a.ref{text-decoration:none;scroll-margin-top:40vh}
a.ref sup{font-size:.7em;color:#1d4ed8;margin-left:.05em}
a.ref .card{display:none}
a.ref:target{outline:2px solid #1d4ed8;border-radius:2px}
a.ref:target .card{display:inline;background:#1e3a8a;color:#fff;font-size:.85em;padding:.05rem .4rem;
margin-left:.3rem;border-radius:3px}
div.figures{overflow-x:auto;margin-top:1.5rem}
table{border-collapse:collapse;font-size:.9em;width:100%}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
td.wrap{white-space:normal}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:target{background:#fef3c7}
.legend mark{margin-right:.6rem}
"""


@dataclass(frozen=True)
class Span:
    """One figure at its offsets in the report text; kind 'figure' (mapped) or 'unmapped'.

    char_start/char_end are the sentence's (what the extraction contract keeps); the number itself is found in
    the sentence by the figure finder of the extractor, by the value as written (text_value: the extracted value,
    which a correction may have changed since) or, for an unmapped number, by its text.
    """

    char_start: int
    char_end: int
    kind: str = "figure"
    observation_id: str | None = None  # the figure's id, or the unmapped number's mention id
    indicator: str | None = None
    value: float | None = None
    geo: str | None = None
    period: str | None = None
    qualifier: str | None = None
    quarantined: bool = False
    correction_status: str | None = None
    figure_text: str | None = None  # the number as written (unmapped mentions)
    text_value: float | None = None  # the value as the text states it (default: value)
    was: str | None = None  # what a correction changed: the extracted reading of the changed fields


def anchor(observation_id: str) -> str:
    """The fragment id of a figure (or unmapped number) in the text, linked from the marts (evidence_page) and
    the report: evidence/<page>#<anchor>. The dbt macro evidence_page builds the same."""
    return "obs-" + re.sub(r"[^A-Za-z0-9_.-]", "-", observation_id)


def page_name(report_version_id: str) -> str:
    """The file name of a report version's page (safe on every file system)."""
    return re.sub(r"[^A-Za-z0-9_.@-]", "_", report_version_id) + ".html"


def _css_class(span: Span) -> str:
    if span.kind == "unmapped":
        return "unmapped"
    if span.correction_status == "rejected":
        return "rejected"
    if span.correction_status in ("changed", "added"):
        return "corrected"
    return "quarantined" if span.quarantined else "figure"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.12g}"


def _describe(span: Span) -> str:
    if span.kind == "unmapped":
        return "number that maps to no indicator"
    bits = [
        (span.indicator or "?") + (f" = {_number(span.value)}" if span.value is not None else ""),
        span.geo or "",
        span.period or "no period",
        span.qualifier or "",
    ]
    if span.quarantined:
        bits.append("quarantined")
    if span.correction_status:
        bits.append(span.correction_status + (f" (was {span.was})" if span.was else ""))
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


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _numbers_in(segment: str, figs: list[Span], unmapped: list[Span]) -> tuple[dict[int, tuple], list[Span]]:
    """Where each figure's number and each unmapped number stands in its sentence: {start: (end, kind, spans)};
    figures whose number is not found (an added figure's words, a corrected reading) are returned apart."""
    try:
        found = find_figures(segment)[0]
    except Exception:  # the page must not fail on a sentence the finder cannot read; the sentence stays marked
        found = []
    at: dict[int, tuple] = {}
    missing = []
    for s in figs:
        want = s.text_value if s.text_value is not None else s.value
        hits = [f for f in found if _same(f.value, want)]
        hit = next((f for f in hits if f.start not in at), hits[0] if hits else None)
        if hit is None or (hit.start in at and at[hit.start][1] != "figure"):
            missing.append(s)
            continue
        at.setdefault(hit.start, (hit.end, "figure", []))[2].append(s)
    for s in unmapped:
        hit = next(
            (
                f
                for f in found
                if f.start not in at and f.text == s.figure_text and (s.value is None or _same(f.value, s.value))
            ),
            None,
        ) or next((f for f in found if f.start not in at and f.text == s.figure_text), None)
        if hit is not None:
            at[hit.start] = (hit.end, "unmapped", [s])
    return at, missing


class _Refs:
    """The numbered references of the page's figures: in the text (id = the figure's anchor, a card of its
    reading shown when it is the link's target) and in the table (id = anchor + '-row')."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}

    def ref(self, s: Span) -> str:
        n = self.numbers.setdefault(id(s), len(self.numbers) + 1)
        if not s.observation_id:
            return f'<a class="ref" href="#figures"><sup>{n}</sup></a>'
        a = html.escape(anchor(s.observation_id))
        card = html.escape(_describe(s))
        return f'<a class="ref" id="{a}" href="#{a}-row"><sup>{n}</sup><span class="card">{card}</span></a>'


def _sentence(segment: str, figs: list[Span], unmapped: list[Span], refs: _Refs) -> tuple[str, str]:
    """The escaped sentence, each figure's number in bold followed by its reference, each unmapped number
    underlined; references of figures whose number was not found close the sentence."""
    esc = html.escape
    at, missing = _numbers_in(segment, figs, unmapped)
    out, pos = [], 0
    for start in sorted(at):
        end, kind, members = at[start]
        out.append(esc(segment[pos:start]))
        if kind == "figure":
            title = esc(" | ".join(_describe(s) for s in members))
            out.append(f'<strong class="num" title="{title}">{esc(segment[start:end])}</strong>')
            out.extend(refs.ref(s) for s in members)
        else:
            u = members[0]
            ident = f' id="{esc(anchor(u.observation_id))}"' if u.observation_id else ""
            out.append(f'<mark class="unmapped"{ident} title="{esc(_describe(u))}">{esc(segment[start:end])}</mark>')
        pos = end
    out.append(esc(segment[pos:]))
    return "".join(out), "".join(refs.ref(s) for s in missing)


def render_evidence(title: str, text: str, spans: Sequence[Span]) -> str:
    """The page: the escaped text with each figure's sentence marked by its state and its number in bold with
    a numbered reference (the link target of the marts and the report, showing the figure's reading), unmapped
    numbers underlined, then a table of every figure."""
    esc = html.escape
    refs, marked, pos = _Refs(), [], 0
    for start, stop, members in _blocks(text, spans):
        marked.append(esc(text[pos:start]))
        figs = [s for s in members if s.kind == "figure"]
        inner, tail = _sentence(text[start:stop], figs, [s for s in members if s.kind == "unmapped"], refs)
        if figs:
            states = {_css_class(s) for s in figs}
            cls = next(c for c in ("quarantined", "rejected", "corrected", "figure") if c in states)
            ids = [s.observation_id for s in figs if s.observation_id]
            ident = f' id="{esc(anchor(ids[0]))}-text"' if ids else ""
            title_attr = esc(" | ".join(_describe(s) for s in figs))
            inner = f'<mark class="{cls}"{ident} title="{title_attr}">{inner}</mark>{tail}'
        marked.append(inner)
        pos = stop
    marked.append(esc(text[pos:]))
    rows = []
    for s in sorted((s for s in spans if s.kind == "figure"), key=lambda s: s.char_start):
        n = refs.numbers.get(id(s))
        a = esc(anchor(s.observation_id)) if s.observation_id else ""
        # a figure not marked in the text (its offsets overlap another's) takes the anchor links point to
        ident = (f' id="{a}-row"' if n else f' id="{a}"') if a else ""
        link = f'<a href="#{a}">{n}</a>' if n and a else "–"
        cells = [
            (s.indicator, ""),
            (_number(s.value), "num"),
            (s.geo, ""),
            (s.period, ""),
            (s.qualifier, ""),
            ("yes" if s.quarantined else "", ""),
            ((s.correction_status or "") + (f" (was {s.was})" if s.was else ""), "wrap"),
        ]
        tds = "".join(f'<td class="{c}">{esc(v or "")}</td>' if c else f"<td>{esc(v or '')}</td>" for v, c in cells)
        rows.append(f"<tr{ident}><td>{link}</td>{tds}</tr>")
    head = "".join(
        f"<th>{h}</th>"
        for h in ("#", "indicator", "value", "place", "period", "qualifier", "quarantined", "correction")
    )
    n_unmapped = sum(1 for s in spans if s.kind == "unmapped")
    n_quarantined = sum(1 for s in spans if s.kind == "figure" and s.quarantined)
    n_corrected = sum(1 for s in spans if s.kind == "figure" and s.correction_status)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"
        f'<p class="meta">{len(text):,} characters · <a href="#figures">{len(rows)} figures</a> '
        f"({n_quarantined} quarantined, {n_corrected} reviewed) · {n_unmapped} unmapped numbers</p>"
        f'<p class="legend meta"><mark>figure</mark><mark class="quarantined">quarantined</mark>'
        f'<mark class="corrected">corrected</mark><mark class="rejected">rejected</mark>'
        f'<mark class="unmapped">unmapped number</mark> <strong class="num">123</strong> the number read</p>'
        f'<pre class="text">{"".join(marked)}</pre>'
        f'<div class="figures"><table id="figures"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></div></body></html>"
    )


def evidence_dir(serving_dir: Path) -> Path:
    return serving_dir / "evidence"


# the fields a correction can change, as fct_indicator_observations names them (and extracted_<name>)
_CHANGED = ("indicator_code", "value", "denominator", "geo_code", "geo_level", "geo_name", "period", "qualifier")


def write_evidence_pages(con: duckdb.DuckDBPyConnection, serving_dir: Path) -> int:
    """One page per report version of the working warehouse (it holds the text), in serving/evidence/.

    A page carries a digest of what it shows (this module, the version, its title and its figures' states);
    only pages whose digest moved are rendered again, so a run that changes a few reports renders a few pages.
    Pages of versions no longer in the warehouse go.
    """
    out = evidence_dir(serving_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, list[Span]] = {}
    for row in con.execute(
        f"""select report_version_id, char_start, char_end, observation_id, indicator_code, value,
                  coalesce(geo_display_name, geo_code, 'unknown'), period, qualifier,
                  coalesce(is_quarantined, false), correction_status, extracted_value,
                  {", ".join(f"extracted_{f}, {f}" for f in _CHANGED)}
           from main.fct_indicator_observations where char_start is not null
           order by report_version_id, char_start, observation_id"""
    ).fetchall():
        pairs = zip(row[12::2], row[13::2], strict=True)
        was = [
            f"{f} {_number(a) if isinstance(a, float) else a or 'empty'}"
            for f, (a, b) in zip(_CHANGED, pairs, strict=True)
            if a != b
        ]
        figures.setdefault(row[0], []).append(
            Span(
                row[1],
                row[2],
                "figure",
                *row[3:9],
                bool(row[9]),
                row[10],
                text_value=row[11],
                was=", ".join(was) if row[10] == "changed" else None,
            )
        )
    for version, mention_id, start, end, figure_text, value in con.execute(
        """select report_version_id, mention_id, char_start, char_end, figure_text, value
           from staging.stg_extraction__unmapped_mentions where char_start is not null
           order by report_version_id, mention_id"""
    ).fetchall():
        figures.setdefault(version, []).append(
            Span(start, end, "unmapped", mention_id, value=value, figure_text=figure_text)
        )
    stale, written = [], set()
    for version, title in con.execute(
        "select report_version_id, coalesce(title, report_id) from raw.reports order by report_version_id"
    ).fetchall():
        page = out / page_name(version)
        written.add(page.name)
        digest = _digest(version, title, figures.get(version, []))
        if _page_digest(page) != digest:
            stale.append((version, title, page, digest))
    for start in range(0, len(stale), 200):  # the text of a batch of pages at a time
        batch = {v: (t, p, d) for v, t, p, d in stale[start : start + 200]}
        for version, text in con.execute(
            "select report_version_id, text from raw.reports where report_version_id in (select unnest(?))",
            [list(batch)],
        ).fetchall():
            title, page, digest = batch[version]
            content = render_evidence(f"{title} ({version})", text or "", figures.get(version, []))
            content = content.replace("<head>", f'<head><meta name="dxw-digest" content="{digest}">', 1)
            tmp = page.with_name(f".{page.name}.tmp")
            tmp.write_text(content, encoding="utf-8")
            os.replace(tmp, page)
    for old in out.glob("*.html"):
        if old.name not in written:
            old.unlink()
    return len(written)


@functools.cache
def _code_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _digest(version: str, title: str | None, spans: list[Span]) -> str:
    """What a page shows, but its text (a version's text never changes: the version is its content hash)."""
    return hashlib.sha256(repr((_code_digest(), version, title, spans)).encode("utf-8")).hexdigest()[:32]


_DIGEST = re.compile(r'<meta name="dxw-digest" content="([0-9a-f]+)">')


def _page_digest(page: Path) -> str | None:
    try:
        with page.open("r", encoding="utf-8") as fh:
            m = _DIGEST.search(fh.read(400))
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return m.group(1) if m else None
