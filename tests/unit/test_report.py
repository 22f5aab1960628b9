"""The published HTML report: self-contained, charts as inline SVG, report text shown as text, never markup."""

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.serving import report

AS_OF = date(2025, 3, 10)
HOSTILE = '<script>alert("x")</script><b>bold</b>'
HOSTILE_ESCAPED = html.escape(HOSTILE)  # &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;

# the columns and types of the serving warehouse's tables
SCHEMA = {
    "mart_province_scorecard": "geo_key VARCHAR, geo_code VARCHAR, geo_name VARCHAR, geo_era VARCHAR, period VARCHAR, "
    "period_start DATE, period_end DATE, eid_accounts_activated DOUBLE, eid_eligible_citizens DOUBLE, "
    "eid_accounts_issued DOUBLE, eid_activation_rate_reported DOUBLE, eid_activation_rate_computed DOUBLE, "
    "cccd_cards_issued DOUBLE, online_application_rate DOUBLE, online_full_process_application_rate DOUBLE, "
    "public_services_total DOUBLE, online_services_full DOUBLE, dti_rank DOUBLE, dti_score DOUBLE, "
    "digital_economy_share DOUBLE, community_digital_teams DOUBLE, stations_5g DOUBLE, n_indicators BIGINT",
    "fct_indicator_values": "geo_key VARCHAR, geo_code VARCHAR, geo_level VARCHAR, geo_name VARCHAR, "
    "indicator_code VARCHAR, unit VARCHAR, period VARCHAR, period_start DATE, period_end DATE, period_grain VARCHAR, "
    "value_kind VARCHAR, value DOUBLE, denominator DOUBLE, qualifier VARCHAR, report_id VARCHAR, "
    "report_version_id VARCHAR, report_date DATE, observation_id VARCHAR, evidence VARCHAR, n_reports BIGINT, "
    "is_disputed BOOLEAN",
    "fct_indicator_observations": "observation_id VARCHAR, report_version_id VARCHAR, report_id VARCHAR, "
    "report_status VARCHAR, report_date DATE, geo_key VARCHAR, geo_code VARCHAR, geo_level VARCHAR, "
    "geo_name VARCHAR, indicator_code VARCHAR, value DOUBLE, denominator DOUBLE, unit VARCHAR, period VARCHAR, "
    "period_start DATE, period_end DATE, period_grain VARCHAR, period_specificity INTEGER, qualifier VARCHAR, "
    "is_target BOOLEAN, evidence VARCHAR, char_start INTEGER, char_end INTEGER, extractor_version VARCHAR, "
    "file_hash VARCHAR, failed_rules VARCHAR[], warned_rules VARCHAR[], is_quarantined BOOLEAN, "
    "version_digest VARCHAR",
    "fct_instructions": "instruction_id VARCHAR, report_version_id VARCHAR, report_id VARCHAR, report_status VARCHAR, "
    "report_date DATE, geo_code VARCHAR, issued_by VARCHAR, assignees VARCHAR[], action VARCHAR, "
    "deadline_label VARCHAR, deadline_date DATE, as_of_date DATE, is_overdue BOOLEAN, evidence VARCHAR, "
    "char_start INTEGER, char_end INTEGER",
    "dim_geography": "geo_key VARCHAR, geo_code VARCHAR, geo_level VARCHAR, geo_name VARCHAR, geo_kind VARCHAR, "
    "geo_era VARCHAR, valid_from DATE, valid_to DATE, aliases VARCHAR[], successor_geo_code VARCHAR, "
    "successor_geo_key VARCHAR, merged_from_codes VARCHAR[], parent_geo_key VARCHAR",
    "dim_indicator": "indicator_code VARCHAR, domain VARCHAR, unit VARCHAR, indicator_name_vi VARCHAR, "
    "indicator_name_en VARCHAR, is_additive BOOLEAN, is_cumulative BOOLEAN, rate_of_indicator_code VARCHAR, "
    "whole_indicator_code VARCHAR, notes VARCHAR",
    "dim_report": "report_version_id VARCHAR, report_id VARCHAR, file_path VARCHAR, file_hash VARCHAR, title VARCHAR, "
    "report_geo_code VARCHAR, sidecar_province VARCHAR, report_date DATE, report_date_label VARCHAR, "
    "source_url VARCHAR, file_format VARCHAR, encoding VARCHAR, char_count INTEGER, ingested_at TIMESTAMP, "
    "extractor_version VARCHAR, extracted_at TIMESTAMP, extraction_error VARCHAR, report_status VARCHAR, "
    "observation_count INTEGER, document_count INTEGER, instruction_count INTEGER, unmapped_count INTEGER",
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in SCHEMA.items():
        con.execute(f"create table {table} ({columns})")


def insert(con: duckdb.DuckDBPyConnection, table: str, **values) -> None:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    con.execute(f"insert into {table} ({cols}) values ({marks})", list(values.values()))


def d(s: str) -> date:
    return date.fromisoformat(s)


def instruction(con, iid: str, deadline: str | None, action: str, status: str = "current", **more) -> None:
    insert(
        con,
        "fct_instructions",
        instruction_id=iid,
        report_version_id="r1@abc",
        report_id="r1",
        report_status=status,
        report_date=d("2025-02-19"),
        geo_code="26",
        issued_by="Chủ tịch UBND tỉnh",
        assignees=more.pop("assignees", ["Sở Thông tin và Truyền thông"]),
        action=action,
        deadline_label=deadline,
        deadline_date=d(deadline) if deadline else None,
        as_of_date=d("2030-01-01"),  # the warehouse's own as-of date: the report recomputes against its as_of
        is_overdue=True,
        evidence=more.pop("evidence", f"Câu gốc: {action}."),
        char_start=0,
        char_end=10,
    )


def build(con: duckdb.DuckDBPyConnection) -> None:
    create_tables(con)
    for key, code, level, name, era, start, end in [
        ("nat:00", "00", "national", "Việt Nam", "national", "1945-09-02", None),
        ("2008:26", "26", "province", "Vĩnh Phúc", "2008", "2008-08-01", "2025-06-30"),
        ("2008:20", "20", "province", "Lạng Sơn", "2008", "2008-08-01", "2025-06-30"),
        ("2008:99", "99", "province", HOSTILE, "2008", "2008-08-01", "2025-06-30"),
        ("2025:25", "25", "province", "Phú Thọ", "2025", "2025-07-01", None),
    ]:
        insert(
            con,
            "dim_geography",
            geo_key=key,
            geo_code=code,
            geo_level=level,
            geo_name=name,
            geo_era=era,
            valid_from=d(start),
            valid_to=d(end) if end else None,
        )
    for code, name in [
        ("eid_accounts_activated", "Activated electronic identity (VNeID) accounts"),
        ("online_application_rate", "Share of applications received online"),
        ("eid_activation_rate", "eID activation rate"),
    ]:
        insert(con, "dim_indicator", indicator_code=code, indicator_name_en=name, unit="count")
    insert(
        con,
        "dim_report",
        report_version_id="r1@abc",
        report_id="r1",
        title=f"Vĩnh Phúc: hội nghị {HOSTILE}",
        report_date=d("2025-02-19"),
        report_status="current",
        source_url="https://example.invalid/report",
        observation_count=3,
        instruction_count=7,
    )
    # scorecard: Vĩnh Phúc with an older and a newer eID period; a province with a hostile name; DTI ranks
    for key, code, name, period, start, end, activated, eligible, reported, computed, rank, score in [
        ("2008:26", "26", "Vĩnh Phúc", "2024", "2024-01-01", "2024-12-31", 600000, 990000, 60.6, 60.61, None, None),
        ("2008:26", "26", "Vĩnh Phúc", "2025-02", "2025-02-01", "2025-02-28", 762284, 980226, 77.0, 77.77, None, None),
        ("2008:99", "99", HOSTILE, "2025-01", "2025-01-01", "2025-01-31", 111111, 222222, 50.0, 50.0, None, None),
        ("2008:20", "20", "Lạng Sơn", "2022", "2022-01-01", "2022-12-31", None, None, None, None, 6, None),
        ("2008:20", "20", "Lạng Sơn", "2023", "2023-01-01", "2023-12-31", None, None, None, None, 4, None),
        ("2008:26", "26", "Vĩnh Phúc", "2023", "2023-01-01", "2023-12-31", None, None, None, None, 9, 0.61),
    ]:
        insert(
            con,
            "mart_province_scorecard",
            geo_key=key,
            geo_code=code,
            geo_name=name,
            geo_era="2008",
            period=period,
            period_start=d(start),
            period_end=d(end),
            eid_accounts_activated=activated,
            eid_eligible_citizens=eligible,
            eid_activation_rate_reported=reported,
            eid_activation_rate_computed=computed,
            dti_rank=rank,
            dti_score=score,
        )
    # online application rates: national and provincial achievements; a target and a district left out
    for key, code, level, name, period, end, kind, value in [
        ("nat:00", "00", "national", None, "2023", "2023-12-31", "achievement", 50.0),
        ("nat:00", "00", "national", None, "2024-06", "2024-06-30", "achievement", 60.5),
        ("2008:26", "26", "province", None, "2023", "2023-12-31", "achievement", 70.0),
        ("2008:26", "26", "province", None, "2024", "2024-12-31", "achievement", 81.25),
        ("2008:26", "26", "province", None, "2025", "2025-12-31", "target", 95.5),
        ("2008:26/district:Lập Thạch", "26", "district", "Lập Thạch", "2024", "2024-12-31", "achievement", 33.3),
    ]:
        insert(
            con,
            "fct_indicator_values",
            geo_key=key,
            geo_code=code,
            geo_level=level,
            geo_name=name,
            indicator_code="online_application_rate",
            unit="percent",
            period=period,
            period_end=d(end),
            value_kind=kind,
            value=value,
            report_id="r1",
            evidence=HOSTILE,
            is_disputed=False,
        )
    insert(
        con,
        "fct_indicator_values",
        geo_key="2008:20",
        geo_code="20",
        geo_level="province",
        indicator_code="dti_rank",
        unit="rank",
        period="2023",
        period_end=d("2023-12-31"),
        value_kind="achievement",
        value=4.0,
        denominator=63.0,
        report_id="r1",
    )
    # observations: one clean, one quarantined with a hostile evidence sentence
    for oid, quarantined, failed, evidence in [
        ("r1@abc:0001", False, [], "Toàn tỉnh có 762.284 tài khoản được kích hoạt."),
        ("r1@abc:0002", True, ["r3_percent_in_range"], f"Tỷ lệ 250% {HOSTILE}"),
    ]:
        insert(
            con,
            "fct_indicator_observations",
            observation_id=oid,
            report_version_id="r1@abc",
            report_id="r1",
            report_status="current",
            report_date=d("2025-02-19"),
            geo_key="2008:26",
            geo_code="26",
            geo_level="province",
            indicator_code="eid_activation_rate",
            value=250.0 if quarantined else 762284.0,
            unit="percent",
            period="2025-02",
            evidence=evidence,
            failed_rules=failed,
            warned_rules=[],
            is_quarantined=quarantined,
        )
    # instructions around AS_OF = 2025-03-10
    instruction(con, "i-old", "2024-01-31", "Hoàn thành kho dữ liệu (quá hạn lâu)")
    instruction(con, "i-yesterday", "2025-03-09", "Báo cáo kết quả (hạn hôm qua)")
    instruction(con, "i-today", "2025-03-10", "Nộp kế hoạch (hạn hôm nay)")
    instruction(con, "i-in30", "2025-04-09", "Kích hoạt tài khoản (còn 30 ngày)")
    instruction(con, "i-in31", "2025-04-10", "Triển khai nền tảng (còn 31 ngày)")
    instruction(con, "i-undated", None, "Đẩy mạnh tuyên truyền (không hạn)")
    instruction(con, "i-superseded", "2025-03-20", "Phiên bản cũ (superseded)", status="superseded")
    instruction(con, "i-hostile", "2025-03-15", HOSTILE, assignees=[HOSTILE], evidence=HOSTILE)


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect(":memory:")
    build(c)
    yield c
    c.close()


QUALITY_ROWS = [
    {"rule": "r3_percent_in_range", "severity": "error", "failing_count": 1,
     "first_rows": [{"observation_id": "r1@abc:0002", "report_id": "r1", "evidence": HOSTILE}]},
    {"rule": "r8_reports_agree", "severity": "warning", "failing_count": 2,
     "first_rows": json.dumps([{"report_id": "r2", "evidence": "Câu một", "conflicting_evidence": HOSTILE}])},
    {"rule": "r6_place_known", "severity": "error", "failing_count": 0, "first_rows": []},
]  # fmt: skip


@pytest.fixture(scope="module")
def page(con) -> str:
    return report.render_report(con, AS_OF, QUALITY_ROWS)


def section(page: str, anchor: str) -> str:
    m = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S)
    assert m, f"no section {anchor}"
    return m.group(1)


def subsection(page: str, anchor: str) -> str:
    m = re.search(rf'<h3 id="{anchor}">(.*?)(?=<h3|</section>)', page, re.S)
    assert m, f"no subsection {anchor}"
    return m.group(1)


def test_a_complete_utf8_page_with_header():
    c = duckdb.connect(":memory:")
    build(c)
    page = report.render_report(c, AS_OF)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert "As of: <b>2025-03-10</b>" in page
    assert "Generated:" in page and " UTC" in page
    assert '<td>fct_instructions</td><td class="num">8</td>' in page  # row counts
    assert "Vĩnh Phúc" in page  # Vietnamese text as is, not as entities
    assert "<style>" in page


def test_each_chart_section_has_an_svg(page):
    for anchor in ("eid", "dti", "online"):
        part = section(page, anchor)
        assert part.count("<svg") == 1, anchor
        assert "</svg>" in part
        assert 'class="notice"' not in part  # no chart fell back to a notice
    # titles and axis titles are drawn
    assert "VNeID accounts: activated vs eligible citizens" in section(page, "eid")
    assert "Accounts / citizens" in section(page, "eid")
    assert "DTI rank (1 = best)" in section(page, "dti")
    assert "Applications received online (%)" in section(page, "online")


def test_the_page_loads_nothing_and_runs_nothing(page):
    low = page.lower()
    assert "<script" not in low
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", low)
    assert "http://" not in low and "https://" not in low  # not even the SVG namespace, nor a report's URL
    assert "<link" not in low and "@import" not in low and "<iframe" not in low and "<img" not in low
    assert not re.search(r"\son[a-z]+\s*=", re.sub(r">[^<]*<", "><", low))  # no event handler attribute
    assert "content-security-policy" in low


def test_hostile_report_text_is_shown_as_text(page):
    assert HOSTILE not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;" in page
    assert HOSTILE_ESCAPED in section(page, "instructions")  # action, assignees, evidence
    assert HOSTILE_ESCAPED in section(page, "quality")  # quarantined evidence, quality rows
    assert html.escape(f"Tỷ lệ 250% {HOSTILE}") in section(page, "quality")
    # the title of a report (a tooltip) and a province's name are escaped too
    assert html.escape(f"Vĩnh Phúc: hội nghị {HOSTILE}") in page
    assert HOSTILE_ESCAPED in section(page, "eid")


def test_hostile_text_inside_charts_is_sanitised(page):
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 3
    eid_svg = re.search(r"<svg.*?</svg>", section(page, "eid"), re.S).group(0)
    assert "\u2039script\u203aalert" in eid_svg  # the label drawn, its brackets made harmless
    for svg in svgs:
        assert "<script" not in svg.lower()
        assert "&lt;script" not in svg.lower()  # sanitised before the spec, not merely escaped by Vega
        report._check_svg(svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1))


def test_the_svg_guard_rejects_active_content():
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    for bad in (
        f"<svg {ns}><script>alert(1)</script></svg>",
        f'<svg {ns}><g onload="alert(1)"/></svg>',
        f'<svg {ns}><a href="https://example.invalid"><text>x</text></a></svg>',
        f"<svg {ns}><foreignObject><div/></foreignObject></svg>",
        "<svg><text>unclosed</svg>",
    ):
        with pytest.raises(ValueError):
            report._check_svg(bad)
    report._check_svg(f'<svg {ns}><g><text x="1">&lt;script&gt;</text></g></svg>')


def test_eid_uses_the_latest_period_per_province(page):
    part = section(page, "eid")
    assert "762,284" in part and "980,226" in part and "77.77" in part
    assert "600,000" not in part  # the older 2024 period of Vĩnh Phúc
    assert "2025-02" in part


def test_dti_charts_the_latest_index_year_and_tables_them_all(page):
    part = section(page, "dti")
    assert "index year 2023" in part
    table = part.split("</svg>", 1)[1]
    assert "2022" in table and "2023" in table
    assert '<td class="num">63</td>' in table  # out of 63, from the value's denominator
    # in the drawing, rank 4 lies right of rank 9: the x axis is reversed
    svg = part.split("</svg>", 1)[0]
    xs = {
        label: float(x)
        for x, label in re.findall(r'<text[^>]*transform="translate\(([\d.]+),[\d.]+\)"[^>]*>#(\d)</text>', svg)
    }
    assert xs["4"] > xs["9"]


def test_online_rates_are_achievements_of_provinces_and_the_nation(page):
    part = section(page, "online")
    assert "Việt Nam (national)" in part and "Vĩnh Phúc" in part
    assert "81.25" in part and "60.50" in part
    assert "95.50" not in part  # a target
    assert "Lập Thạch" not in part and "33.30" not in part  # a district


def test_instructions_due_within_30_days_or_overdue_relative_to_as_of(con, page):
    rows = report.instructions_due(con, AS_OF)
    status = {r["instruction_id"]: (r["is_overdue"], r["days_left"]) for r in rows}
    assert status == {
        "i-old": (True, -404),
        "i-yesterday": (True, -1),
        "i-today": (False, 0),
        "i-hostile": (False, 5),
        "i-in30": (False, 30),
    }
    due, overdue = subsection(page, "due-soon"), subsection(page, "overdue")
    for action in ("Nộp kế hoạch (hạn hôm nay)", "Kích hoạt tài khoản (còn 30 ngày)", HOSTILE_ESCAPED):
        cell = f"<td>{action}<details>"  # the action, then its evidence
        assert cell in due and cell not in overdue
    for action in ("Hoàn thành kho dữ liệu (quá hạn lâu)", "Báo cáo kết quả (hạn hôm qua)"):
        cell = f"<td>{action}<details>"
        assert cell in overdue and cell not in due
    for action in ("còn 31 ngày", "không hạn", "superseded"):
        assert action not in section(page, "instructions")
    assert "due today" in due and "due in 30 days" in due and "overdue by 1 day<" in overdue
    assert "Vĩnh Phúc" in due  # the place of code 26 on the report's date
    # another as-of date moves the window; the warehouse's own is_overdue is not used
    later = {r["instruction_id"]: r["is_overdue"] for r in report.instructions_due(con, date(2025, 4, 5))}
    assert later == {
        "i-old": True, "i-yesterday": True, "i-today": True, "i-hostile": True, "i-in30": False, "i-in31": False,
    }  # fmt: skip
    assert report.instructions_due(con, date(2023, 1, 1)) == []


def test_quality_summary_lists_quarantined_figures_and_rule_results(page):
    part = section(page, "quality")
    assert "r3_percent_in_range" in part
    assert "<b>1</b> of 2 extracted figures are quarantined" in part
    assert "eID activation rate" in part  # the indicator's name
    assert "r8_reports_agree" in part and "conflicts with" in part and "Câu một" in part
    assert "r6_place_known" in part and "passes" in part


def test_without_quality_rows_the_section_says_so(con):
    part = section(report.render_report(con, AS_OF), "quality")
    assert "no data yet" in part.split("Expectation results", 1)[1]


@pytest.mark.parametrize("with_tables", [True, False])
def test_empty_warehouse_says_no_data_yet(with_tables):
    c = duckdb.connect(":memory:")
    if with_tables:
        create_tables(c)
    page = report.render_report(c, AS_OF, [])
    for anchor in ("eid", "dti", "online", "instructions", "quality", "sources"):
        assert "no data yet" in section(page, anchor), anchor
    assert "<svg" not in page
    assert "Chart not shown" not in page and "could not read" not in page


def test_a_section_without_chartable_data_still_renders():
    c = duckdb.connect(":memory:")
    create_tables(c)
    insert(c, "mart_province_scorecard", geo_key="2008:94", geo_code="94", geo_name="Sóc Trăng", period="2023-10-23",
           period_start=d("2023-10-23"), period_end=d("2023-10-23"), eid_activation_rate_reported=54.2)  # fmt: skip
    part = section(report.render_report(c, AS_OF), "eid")
    assert "Sóc Trăng" in part and "54.20" in part and "<svg" not in part and "no data yet" in part


def test_write_report_is_atomic(con, tmp_path: Path, monkeypatch):
    target = tmp_path / "site" / "report.html"
    assert report.write_report(con, target, AS_OF) == target
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and "<svg" in first
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]  # no temporary file left

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(report, "render_report", boom)
    with pytest.raises(RuntimeError):
        report.write_report(con, target, AS_OF)
    assert target.read_text(encoding="utf-8") == first
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]

    monkeypatch.undo()
    calls = []
    real_replace = report.os.replace

    def replace(src, dst):
        calls.append((Path(src), Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(report.os, "replace", replace)
    report.write_report(con, target, AS_OF + timedelta(days=1))
    ((src, dst),) = calls
    assert dst == target and src.parent == target.parent and src != target
    assert "As of: <b>2025-03-11</b>" in target.read_text(encoding="utf-8")
