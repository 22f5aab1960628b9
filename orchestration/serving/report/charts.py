"""The report's charts: Altair specs over a section's rows, rendered to SVG offline and checked before inlining.

vl_convert renders with no data URL allowed (nothing is fetched). Report text (place names) reaches a spec only
through `chart_text`, which replaces angle brackets with look-alike quotation marks (‹ ›) and drops control
characters, so not even Vega's own escaping is relied upon; each SVG is parsed and checked (drawing elements
only, no event handler, no link) before it goes in the page. Every chart has a bounded size whatever the number
of reports: the sections hold at most about twenty places.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

log = logging.getLogger("dxw.report")

INK, ACCENT, LIGHT, LOW, NATION = "#1d2733", "#1f5f99", "#a9c4e0", "#c2672b", "#1d2733"
GROUP_COLOURS = {"nation": NATION, "highest": ACCENT, "best": ACCENT, "lowest": LOW, "worst": LOW}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "line", "text", "tspan", "circle", "ellipse", "polygon", "polyline", "defs",
    "clipPath", "title", "desc", "linearGradient", "radialGradient", "stop", "pattern", "mask",
}  # fmt: skip
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def chart_text(value: Any) -> str:
    """Report text made safe to put in a chart spec: no angle bracket (‹ › instead), no control character."""
    text = _CONTROL.sub(" ", "" if value is None else str(value))
    return text.replace("<", "\u2039").replace(">", "\u203a")


def unique(labels: Sequence[str]) -> list[str]:
    """Labels made distinct (a chart's categories must be), in order: a repeat gets ` #2`."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def check_svg(svg: str) -> None:
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
    check_svg(svg)
    head, sep, rest = svg.partition(">")
    head = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", head)
    head = head.replace("<svg", f'<svg role="img" aria-label="{html.escape(label, quote=True)}"', 1)
    rest = _ID.sub(lambda m: f'id="{key}-{m[1]}"', rest)
    rest = _URL_REF.sub(lambda m: f"url(#{key}-{m[1]})", rest)
    return head + sep + rest


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes specs for, when vl_convert bundles it (else vl_convert's latest)."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None


def chart_spec(chart: alt.TopLevelMixin, validate: bool = False) -> dict:
    """The Vega-Lite spec of a chart, styled. Not validated against the JSON schema at render time (a third of a
    chart's cost): the charts are built by this module, and tests/unit/test_report.py validates every one."""
    return chart.configure(font="sans-serif").configure_title(anchor="start", fontSize=14).to_dict(validate=validate)


_kept: ContextVar[tuple[Path, set[str]] | None] = ContextVar("report_svgs_kept", default=None)


@contextmanager
def svgs_kept_in(folder: Path) -> Iterator[None]:
    """While this holds, each chart's SVG is kept in `folder` under its spec's digest, and a chart whose spec is
    the one it had at the last render (same rows, same code) is not drawn again: vl_convert was about 1 s of CPU of
    a report rendered again for a new validation time only. The SVGs this render did not use are then removed."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    token = _kept.set((folder, used))
    try:
        yield
    finally:
        _kept.reset(token)
    for old in folder.glob("*.svg"):
        if old.name not in used:
            old.unlink(missing_ok=True)


def _svg(spec: dict) -> str:
    version = _vl_version()
    kept = _kept.get()
    if kept is None:
        return vlc.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[])
    folder, used = kept
    key = json.dumps([spec, version, vlc.__version__], sort_keys=True, default=str)
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.svg"
    used.add(path.name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # not drawn yet
        pass
    svg = vlc.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[])
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(svg)
    os.replace(tmp, path)  # whole or not there
    return svg


def render(chart: alt.TopLevelMixin, key: str, label: str) -> str:
    """The chart as an inline <figure>, or a notice saying why it is missing (the page still goes out). A kept SVG
    (`svgs_kept_in`) is checked like a new one before it goes in the page."""
    try:
        spec = chart_spec(chart)
        svg = _svg(spec)
        figure = _inline_svg(svg, key, label)
    except Exception as exc:
        log.warning("report chart %s not rendered: %s", key, exc)
        return f'<p class="notice">Chart not shown ({html.escape(type(exc).__name__)}: {html.escape(str(exc))}).</p>'
    return f'<figure class="chart">{figure}</figure>'


GROUP_NAMES = {
    "nation": "The nation",
    "highest": "Highest",
    "lowest": "Lowest",
    "best": "Best ranked",
    "worst": "Worst ranked",
}


def _colour(groups: Sequence[str]) -> alt.Color:
    """Colour by report group (nation, highest/best, lowest/worst), named in the legend."""
    keys = list(dict.fromkeys(groups))
    return alt.Color(
        "group:N",
        title=None,
        scale=alt.Scale(domain=[GROUP_NAMES[k] for k in keys], range=[GROUP_COLOURS[k] for k in keys]),
        legend=alt.Legend(orient="bottom"),
    )


def eid_chart(rows: Sequence[dict]) -> str | None:
    """Activation rate (%) of the nation and of the highest and lowest provinces, as bars; None when no rate."""
    rated = [r for r in rows if r["activation_rate"] is not None]
    if not rated:
        return None
    labels = unique([chart_text(r["geo_display_name"]) for r in rated])
    data = alt.Data(
        values=[
            {
                "place": label,
                "rate": r["activation_rate"],
                "group": GROUP_NAMES[r["report_group"]],
                "text": f"{r['activation_rate']:.1f}%",
                "period": chart_text(r["period"]),
            }
            for label, r in zip(labels, rated, strict=True)
        ]
    )
    base = alt.Chart(
        data,
        title=alt.Title(
            "Share of eligible citizens with an activated VNeID account",
            subtitle="Latest reported period of each place (computed from activated / eligible where both are known)",
        ),
    ).encode(
        y=alt.Y("place:N", title=None, sort=labels),
        x=alt.X("rate:Q", title="Activation rate (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("place:N"), alt.Tooltip("period:N"), alt.Tooltip("rate:Q", format=".2f")],
    )
    chart = (
        base.mark_bar(height={"band": 0.7}).encode(color=_colour([r["report_group"] for r in rated]))
        + base.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(text="text:N")
    ).properties(width=560, height=22 * len(rated))
    return render(chart, "eid", "Bar chart: eID activation rate of the nation and of the highest and lowest provinces")


def dti_chart(rows: Sequence[dict]) -> str | None:
    """The latest index year's ranks as a lollipop chart, rank 1 on the right; None without ranks."""
    if not rows:
        return None
    year = rows[0]["index_year"]
    bottom = max([r["dti_rank"] for r in rows] + [r["out_of"] or 0 for r in rows] + [2])
    labels = unique([chart_text(r["geo_display_name"]) for r in rows])
    data = alt.Data(
        values=[
            {
                "province": label,
                "rank": r["dti_rank"],
                "label": f"#{r['dti_rank']}",
                "group": GROUP_NAMES[r["report_group"]],
            }
            for label, r in zip(labels, rows, strict=True)
        ]
    )
    base = alt.Chart(
        data, title=alt.Title(f"DTI rank by province, index year {year}", subtitle="Rank 1 (the best) at the right")
    ).encode(
        y=alt.Y("province:N", title=None, sort=labels),
        x=alt.X(
            "rank:Q",
            title="DTI rank (1 = best)",
            scale=alt.Scale(domain=[1, bottom], reverse=True, nice=False, zero=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
        tooltip=[alt.Tooltip("province:N"), alt.Tooltip("rank:Q", format="d")],
    )
    colour = _colour([r["report_group"] for r in rows])
    chart = (
        base.mark_rule(color=LIGHT, strokeWidth=3).encode(x2=alt.X2(datum=bottom))
        + base.mark_circle(size=140, opacity=1).encode(color=colour)
        + base.mark_text(align="left", dx=10, fontWeight="bold").encode(text="label:N")
    ).properties(width=560, height=24 * len(rows))
    return render(chart, "dti", f"Chart: DTI rank of the best and worst ranked provinces for index year {year}")


def online_chart(rows: Sequence[dict]) -> str | None:
    """Small multiples: one panel per place (the nation first), its online application rate year by year."""
    if not rows:
        return None
    panels: dict[int, str] = {}
    for r in rows:
        panels.setdefault(r["panel"], r["geo_display_name"])
    titles = dict(zip(panels, unique([chart_text(n) for n in panels.values()]), strict=True))
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))  # one x axis for all
    data = alt.Data(
        values=[
            {
                "place": titles[r["panel"]],
                "year": r["year"],
                "period": chart_text(r["period"]),
                "value": r["value"],
            }
            for r in rows
        ]
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=30, filled=True), strokeWidth=2, color=ACCENT)
        .encode(
            x=alt.X(
                "year:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelOverlap=True)
            ),
            y=alt.Y("value:Q", title="Online (%)", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=3)),
            tooltip=[alt.Tooltip("place:N"), alt.Tooltip("period:N"), alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(width=190, height=90)
        .facet(
            facet=alt.Facet("place:N", sort=list(titles.values()), title=None, header=alt.Header(labelFontSize=12)),
            columns=4,
        )
        .properties(
            title=alt.Title(
                "Share of applications received online",
                subtitle="The nation, then the provinces with the highest and the lowest latest rate; each year's "
                "latest figure; 0-100%",
            )
        )
    )
    return render(chart, "online", "Small multiples: share of applications received online over time, per place")
