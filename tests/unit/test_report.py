"""The published HTML report lays out the reporting models (rpt_*): self-contained, charts as inline SVG, report
text shown as text, never markup; one `select * from` per section, nothing else read.

The tables are created from the dbt contracts in target/manifest.json (what dbt builds), filled with crafted rows.
The models' own logic (latest period, highest and lowest, the due window) is tested by dbt's unit tests in
dbt_project/models/marts/report/_models.yml, which every pipeline run executes."""

import html
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.serving import report
from orchestration.serving.report import charts, data
from tests.conftest import dbt_models

AS_OF = date(2025, 3, 10)
NOTE = "the samples' own date, sources/samples/AS_OF_DATE"
HOSTILE = '<script>alert("x")</script><b>bold</b>'
HOSTILE_ESCAPED = html.escape(HOSTILE)  # &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;
MODELS = [*data.MODELS.values(), "rpt_overview"]


def contract(model: str) -> list[tuple[str, str]]:
    node = dbt_models("marts")[model]
    assert node["config"]["contract"]["enforced"], f"{model}: the report reads its columns, dbt enforces them"
    return [(name, col["data_type"]) for name, col in node["columns"].items()]


def create(con: duckdb.DuckDBPyConnection, model: str) -> None:
    con.execute(f"create table {model} ({', '.join(f'{n} {t}' for n, t in contract(model))})")


def insert(con: duckdb.DuckDBPyConnection, table: str, **values) -> None:
    cols = ", ".join(values)
    con.execute(f"insert into {table} ({cols}) values ({', '.join('?' for _ in values)})", list(values.values()))


def d(s: str) -> date:
    return date.fromisoformat(s)


def build(con: duckdb.DuckDBPyConnection) -> None:
    for model in MODELS:
        create(con, model)
    con.execute("create table _publication (run_id varchar, published_at timestamp, storage_version varchar)")
    con.execute("insert into _publication values ('run-1', timestamp '2025-03-10 08:00:00', 'v1.0.0')")
    insert(con, "rpt_overview", as_of_date=AS_OF, n_reports=12, n_reports_withdrawn=1,
           first_report_date=d("2023-07-06"), last_report_date=d("2025-02-19"), n_files_rejected=3, n_provinces=97,
           n_figures=2000, n_figures_quarantined=1, n_instructions=8)  # fmt: skip
    insert(con, "rpt_national_headline", scorecard_column="eid_accounts_activated",
           indicator_code="eid_accounts_activated", indicator_name_en="Activated electronic identity (VNeID) accounts",
           unit="count", value=60123456.0, period="2024-06", evidence_page="evidence/nat@1.html#obs-nat-1-0001",
           n_provinces=40, display_order=1)  # fmt: skip
    insert(con, "rpt_national_headline", scorecard_column="dti_rank", indicator_code="dti_rank",
           indicator_name_en="DTI rank", unit="rank", n_provinces=63, display_order=2)  # fmt: skip
    # eID: the nation, and of 97 provinces the two the model shows (one highest, one lowest, a hostile name)
    for order, (key, level, name, group, rank, act, elig, rep, comp, disagree) in enumerate([
        ("nat:00", "national", "Việt Nam", "nation", None, 60000000, 80000000, None, 75.0, None),
        ("2008:26", "province", "Vĩnh Phúc", "highest", 1, 762284, 980226, 77.0, 77.77, False),
        ("2008:99", "province", HOSTILE, "lowest", 97, 111111, 222222, 40.0, 50.0, True),
    ], start=1):  # fmt: skip
        insert(con, "rpt_eid_activation", geo_key=key, geo_level=level, geo_display_name=name, period="2025-02",
               period_end=d("2025-02-28"), activated=act, eligible=elig, rate_reported=rep, rate_computed=comp,
               activation_rate=comp, rates_disagree=disagree, is_disputed=False,
               activated_evidence_page=f"evidence/r1@abc.html#obs-r1-abc-000{order}", rate_rank=rank,
               report_group=group, n_provinces=97, n_provinces_rated=95, display_order=order)  # fmt: skip
    for order, (key, name, rank, previous, group) in enumerate(
        [("2008:20", "Lạng Sơn", 4, 6, "best"), ("2008:26", "Vĩnh Phúc", 9, 9, "worst")], start=1
    ):
        insert(con, "rpt_dti_ranks", geo_key=key, geo_display_name=name, index_year=2023, dti_rank=rank, out_of=63,
               dti_score=0.61, previous_rank=previous, places_gained=previous - rank, report_group=group, n_provinces=2,
               display_order=order)  # fmt: skip
    for order, (key, name, group, panel, year, period, value, latest) in enumerate([
        ("nat:00", "Việt Nam", "nation", 1, 2023, "2023", 50.0, False),
        ("nat:00", "Việt Nam", "nation", 1, 2024, "2024-06", 60.5, True),
        ("2008:26", "Vĩnh Phúc", "highest", 2, 2023, "2023", 70.0, False),
        ("2008:26", "Vĩnh Phúc", "highest", 2, 2024, "2024", 81.25, True),
    ], start=1):  # fmt: skip
        insert(con, "rpt_online_rates", geo_key=key, geo_display_name=name, report_group=group, panel=panel,
               latest_rate=81.25 if panel == 2 else 60.5, year=year, period=period, value=value,
               is_latest_year=latest, is_disputed=False, evidence_page=f"evidence/r1@abc.html#obs-r1-abc-00{order}0",
               n_provinces=1, display_order=order)  # fmt: skip
    for order, (iid, days, action, extra) in enumerate([
        ("i-today", 0, "Nộp kế hoạch (hạn hôm nay)", {}),
        ("i-hostile", 5, HOSTILE, {"assignees": [HOSTILE], "evidence": HOSTILE}),
        ("i-in30", 30, "Kích hoạt tài khoản (còn 30 ngày)", {}),
        ("i-yesterday", -1, "Báo cáo kết quả (hạn hôm qua)", {}),
        ("i-old", -404, "Hoàn thành kho dữ liệu (quá hạn lâu)", {}),
    ], start=1):  # fmt: skip
        insert(con, "rpt_instructions_due", instruction_id=iid, report_version_id="r1@abc", report_id="r1",
               report_status="current", report_title=f"Vĩnh Phúc: hội nghị {HOSTILE}", geo_key="2008:26",
               geo_display_name="Vĩnh Phúc", issued_by="Chủ tịch UBND tỉnh",
               assignees=extra.get("assignees", ["Sở Thông tin và Truyền thông"]), action=action,
               deadline_label=(AS_OF + timedelta(days=days)).isoformat()[:7] if iid == "i-old" else None,
               deadline_date=AS_OF + timedelta(days=days), as_of_date=AS_OF, days_left=days,
               due_status="overdue" if days < 0 else "due", evidence=extra.get("evidence", f"Câu gốc: {action}."),
               window_days=30, n_instructions=8, n_undated=1, n_due=40, n_overdue=2, display_order=order)  # fmt: skip
    insert(con, "rpt_quarantined_figures", observation_id="r1@abc:0002", report_version_id="r1@abc", report_id="r1",
           report_date=d("2025-02-19"), geo_display_name="Vĩnh Phúc", indicator_name_en="eID activation rate",
           value=250.0, unit="percent", period="2025-02", failed_rules=["r3_percent_in_range"], warned_rules=[],
           evidence=f"Tỷ lệ 250% {HOSTILE}", evidence_page="evidence/r1@abc.html#obs-r1-abc-0002", n_figures=2000,
           n_quarantined=1, n_warned=3, display_order=1)  # fmt: skip
    for order, (number, rule, severity, success, failing, rows) in enumerate([
        (3, "r3_percent_in_range", "error", False, 1,
         [{"observation_id": "r1@abc:0002", "report_id": "r1", "evidence": HOSTILE, "value": 250.0}]),
        (6, "r6_place_known", "error", True, 0, []),
        (8, "r8_reports_agree", "warning", False, 2,
         [{"report_id": "r2", "evidence": "Câu một", "conflicting_evidence": HOSTILE}]),
    ], start=1):  # fmt: skip
        insert(con, "rpt_quality_rules", rule_number=number, rule_code=rule, severity=severity,
               rule_description=f"Rule {number}.", success=success, n_failing=failing, n_figures_checked=2000,
               n_new_failing=failing, validated_at=datetime(2025, 3, 10, 8), validation_scope="all figures",
               failing_rows=json.dumps(rows, ensure_ascii=False),
               data_docs_page="data_docs/validations/observations_hard_rules/__none__/x/warehouse-rule_inputs.html",
               display_order=order)  # fmt: skip
    for order, (topic, item, n) in enumerate([
        ("Report versions by status", "current", 12),
        ("Rejected files by reason", f"unsupported format {HOSTILE}", 3),
    ], start=1):  # fmt: skip
        insert(con, "rpt_sources", topic=topic, item=item, n=n, display_order=order)


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect(":memory:")
    build(c)
    yield c
    c.close()


@pytest.fixture(scope="module")
def page(con) -> str:
    return report.render_report(con, NOTE)


def section(page: str, anchor: str) -> str:
    m = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S)
    assert m, f"no section {anchor}"
    return m.group(1)


def subsection(page: str, anchor: str) -> str:
    m = re.search(rf'<h3 id="{anchor}">(.*?)(?=<h3|</section>)', page, re.S)
    assert m, f"no subsection {anchor}"
    return m.group(1)


def test_a_complete_utf8_page_with_its_as_of_date_and_where_it_comes_from(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert f"As of: <b>2025-03-10</b> ({html.escape(NOTE)})" in page
    assert "Generated:" in page and "Snapshot published: <b>2025-03-10 08:00 UTC</b>" in page
    assert "<b>2,000</b> figures" in page and "1 quarantined" in page  # the header's totals (rpt_overview)
    assert "<b>97</b> provincial units" in page
    assert "Vĩnh Phúc" in page  # Vietnamese text as is, not as entities
    assert "<style>" in page and "font-variant-numeric" in page  # report.css, inlined


def test_each_section_reads_its_model_with_one_select_and_nothing_else(con):
    statements = []

    class Recording:
        def execute(self, sql, params=()):
            statements.append(" ".join(sql.split()))
            return con.execute(sql, params)

    report.render_report(Recording())
    reads = [s for s in statements if "information_schema" not in s]
    assert sorted(reads) == sorted(
        [f'select * from main."{m}" order by display_order' for m in data.MODELS.values()]
        + ['select * from main."rpt_overview"', 'select * from main."_publication"']
    )


def test_each_chart_section_has_an_svg(page):
    for anchor in ("eid", "dti", "online"):
        part = section(page, anchor)
        assert part.count("<svg") == 1, anchor
        assert 'class="notice"' not in part  # no chart fell back to a notice
    assert "Share of eligible citizens with an activated VNeID account" in section(page, "eid")
    assert "DTI rank (1 = best)" in section(page, "dti")
    assert "Share of applications received online" in section(page, "online")


def test_every_chart_is_valid_vega_lite(con, monkeypatch):
    """Charts render without schema validation (orchestration/serving/report/charts.py::chart_spec): every chart
    of the page is validated here."""
    drawn = []
    render = charts.render

    def keep(chart, key, label):
        drawn.append((key, chart))
        return render(chart, key, label)

    monkeypatch.setattr(charts, "render", keep)
    report.render_report(con, NOTE)
    assert {key for key, _ in drawn} >= {"eid", "dti"}
    for key, chart in drawn:
        assert charts.chart_spec(chart, validate=True)["$schema"].startswith("https://vega.github.io/schema/"), key


def test_the_page_loads_nothing_and_runs_nothing(page):
    low = page.lower()
    assert "<script" not in low
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", low)
    assert "http://" not in low and "https://" not in low  # not even the SVG namespace
    assert "<link" not in low and "@import" not in low and "<iframe" not in low and "<img" not in low
    assert not re.search(r"\son[a-z]+\s*=", re.sub(r">[^<]*<", "><", low))  # no event handler attribute
    assert "content-security-policy" in low


def test_it_links_the_full_tables_and_the_figures_in_their_reports(page):
    hrefs = set(re.findall(r'href="([^"#]+)', page))
    assert "parquet/mart_province_scorecard/" in hrefs and "parquet/fct_instructions/" in hrefs  # mart folders
    assert "dbt_docs/index.html" in hrefs and "data_docs/index.html" in hrefs
    assert 'href="dbt_docs/index.html#!/model/model.dx_warehouse.fct_indicator_values"' in page
    assert 'href="evidence/r1@abc.html#obs-r1-abc-0002"' in section(page, "quality")  # the quarantined figure
    assert 'href="evidence/r1@abc.html#obs-r1-abc-0002"' in section(page, "eid")  # Vĩnh Phúc's activated count
    assert 'href="data_docs/validations/observations_hard_rules/__none__/x/warehouse-rule_inputs.html"' in page


def test_hostile_report_text_is_shown_as_text(page):
    assert HOSTILE not in page
    assert "<b>bold</b>" not in page
    assert HOSTILE_ESCAPED in section(page, "instructions")  # action, assignees, evidence, title
    assert HOSTILE_ESCAPED in section(page, "quality")  # quarantined evidence, failing rows
    assert html.escape(f"Tỷ lệ 250% {HOSTILE}") in section(page, "quality")
    assert html.escape(f"Vĩnh Phúc: hội nghị {HOSTILE}") in section(page, "instructions")  # a title, as tooltip
    assert HOSTILE_ESCAPED in section(page, "eid")  # a place's name
    assert html.escape(f"unsupported format {HOSTILE}") in section(page, "sources")


def test_hostile_text_inside_charts_is_sanitised(page):
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 3
    eid_svg = re.search(r"<svg.*?</svg>", section(page, "eid"), re.S).group(0)
    assert "\u2039script\u203aalert" in eid_svg  # the label drawn, its brackets made harmless
    for svg in svgs:
        assert "<script" not in svg.lower()
        assert "&lt;script" not in svg.lower()  # sanitised before the spec, not merely escaped by Vega
        charts.check_svg(svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1))


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
            charts.check_svg(bad)
    charts.check_svg(f'<svg {ns}><g><text x="1">&lt;script&gt;</text></g></svg>')


def test_eid_shows_the_models_rows_and_says_how_many_there_are(page):
    part = section(page, "eid")
    assert "762,284" in part and "980,226" in part and "77.77" in part
    assert "The 2 shown of 95 province with a rates: the highest and the lowest." not in part
    assert "The 2 shown of 95 provinces with a rate: the highest and the lowest." in part
    assert "2 more provinces give counts without a rate." in part
    assert part.count('<tr class="warn">') == 1  # the rates disagree by more than a point
    assert part.count('<tr class="nation">') == 1


def test_dti_charts_the_index_year_with_rank_one_on_the_right(page):
    part = section(page, "dti")
    assert "index year 2023" in part and "Rank in 2022" in part
    table = part.split("</svg>", 1)[1]
    assert '<td class="num">63</td>' in table and "<td>+2</td>" in table and "<td>±0</td>" in table
    svg = part.split("</svg>", 1)[0]
    xs = {
        label: float(x)
        for x, label in re.findall(r'<text[^>]*transform="translate\(([\d.]+),[\d.]+\)"[^>]*>#(\d)</text>', svg)
    }
    assert xs["4"] > xs["9"]


def test_online_rates_are_small_multiples_with_the_latest_rate_tabled(page):
    part = section(page, "online")
    svg = re.search(r"<svg.*?</svg>", part, re.S).group(0)
    assert svg.count(">Việt Nam<") == 1 and svg.count(">Vĩnh Phúc<") == 1  # one panel each, titled
    table = part.split("</svg>", 1)[1]
    assert "81.25" in table and "60.50" in table and "70.00" not in table  # only each place's latest year


def test_deadlines_lay_out_due_and_overdue_with_their_totals(page):
    part = section(page, "instructions")
    assert "<b>40</b> due within 30 days, <b>2</b> overdue, of 8 instructions (1 without a deadline)" in part
    due, overdue = subsection(page, "due-soon"), subsection(page, "overdue")
    assert "Due soonest (3 of 40)" in part and "Most recently overdue (2 of 2)" in part
    for action in ("Nộp kế hoạch (hạn hôm nay)", "Kích hoạt tài khoản (còn 30 ngày)", HOSTILE_ESCAPED):
        cell = f"<td>{action}<details>"  # the action, then its evidence
        assert cell in due and cell not in overdue
    for action in ("Hoàn thành kho dữ liệu (quá hạn lâu)", "Báo cáo kết quả (hạn hôm qua)"):
        assert f"<td>{action}<details>" in overdue
    assert "due today" in due and "due in 30 days" in due and "overdue by 1 day<" in overdue
    assert "overdue by 404 days" in overdue and "2024-01-31 (2024-01)" in overdue  # the label as written


def test_quality_lists_the_rules_and_the_quarantined_figures(page):
    part = section(page, "quality")
    assert "<b>1</b> of 2,000 figures are quarantined" in part and "3 raise a warning only" in part
    assert "eID activation rate" in part and "250.00%" in part  # the figure in its unit
    assert "r8_reports_agree" in part and "conflicts with" in part and "Câu một" in part
    assert "r6_place_known" in part and "passes" in part and part.count("fails") == 2
    assert "<summary>2 failing figures: the first</summary>" in part  # the failing rows unfold on click


def test_a_missing_model_says_no_data_yet_and_empty_models_say_nothing_to_show():
    missing = report.render_report(duckdb.connect(":memory:"))
    for anchor in ("nation", "eid", "dti", "online", "instructions", "quality", "sources"):
        assert "no data yet" in section(missing, anchor), anchor
    assert "<svg" not in missing and "Chart not shown" not in missing
    c = duckdb.connect(":memory:")
    for model in MODELS:
        create(c, model)
    empty = report.render_report(c)
    for anchor in ("nation", "eid", "dti", "online", "sources"):
        assert "no data yet" in section(empty, anchor), anchor
    assert "Nothing is due" in section(empty, "instructions") and "No figure is quarantined." in empty
    assert "<svg" not in empty and "Chart not shown" not in empty and "could not read" not in empty


def test_a_section_without_chartable_data_still_renders():
    c = duckdb.connect(":memory:")
    create(c, "rpt_eid_activation")
    insert(c, "rpt_eid_activation", geo_key="2008:94", geo_level="province", geo_display_name="Sóc Trăng",
           period="2023-10-23", activated=354938, report_group="highest", n_provinces=1, n_provinces_rated=0,
           display_order=1)  # fmt: skip
    part = section(report.render_report(c), "eid")
    assert "Sóc Trăng" in part and "354,938" in part and "<svg" not in part and "no data yet" in part


def _left(folder: Path) -> list[str]:
    """The folder's files, the kept chart SVGs aside (which hold nothing but SVGs: no temporary file either)."""
    charts_folder = folder / ".report_charts"
    assert all(p.suffix == ".svg" for p in charts_folder.iterdir()) if charts_folder.exists() else True
    return sorted(p.name for p in folder.iterdir() if p != charts_folder)


def test_write_report_is_atomic(con, tmp_path: Path, monkeypatch):
    target = tmp_path / "site" / "report.html"
    assert report.write_report(con, target, NOTE) == target
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and "<svg" in first
    assert _left(target.parent) == ["report.html"]  # no temporary file left

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(report, "render_report", boom)
    with pytest.raises(RuntimeError):
        report.write_report(con, target)
    assert target.read_text(encoding="utf-8") == first
    assert _left(target.parent) == ["report.html"]

    monkeypatch.undo()
    calls = []
    real_replace = report.os.replace

    def replace(src, dst):
        calls.append((Path(src), Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(report.os, "replace", replace)
    report.write_report(con, target, "DXW_AS_OF_DATE")
    ((src, dst),) = calls
    assert dst == target and src.parent == target.parent and src != target
    assert "As of: <b>2025-03-10</b> (DXW_AS_OF_DATE)" in target.read_text(encoding="utf-8")


def test_the_samples_run_as_of_their_own_date_and_other_folders_as_of_today(tmp_path):
    """Issue 12.13: on the samples every dated instruction read "overdue by 276-1188 days" as of today; they run
    as of their own date (sources/samples/AS_OF_DATE), which the report names."""
    from orchestration.settings import AS_OF_SOURCES, SAMPLES_AS_OF_FILE, load_settings
    from tests.conftest import SAMPLES

    samples = load_settings(home=tmp_path, landing=SAMPLES, env={})
    assert samples.as_of_date == date.fromisoformat(SAMPLES_AS_OF_FILE.read_text(encoding="utf-8").strip())
    assert AS_OF_SOURCES[samples.as_of_source] == NOTE
    other = load_settings(home=tmp_path, landing=tmp_path, env={})
    assert (other.as_of_date, other.as_of_source) == (date.today(), "today")
    chosen = load_settings(home=tmp_path, landing=SAMPLES, env={"DXW_AS_OF_DATE": "2025-03-20"})
    assert (chosen.as_of_date, chosen.as_of_source) == (date(2025, 3, 20), "DXW_AS_OF_DATE")


def test_a_chart_whose_spec_did_not_change_is_not_drawn_again(con, tmp_path, monkeypatch):
    """write_report keeps each chart's SVG under its spec's digest: a report rendered again with the same rows (a
    new validation time only) reuses them, checked again, and a chart whose rows changed is drawn anew."""
    first = report.write_report(con, tmp_path / "report.html", NOTE).read_text(encoding="utf-8")
    kept = sorted((tmp_path / ".report_charts").glob("*.svg"))
    assert len(kept) == first.count('<figure class="chart">') == 3

    def no_drawing(*args, **kwargs):
        raise AssertionError("a chart drawn again")

    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", no_drawing)
    again = report.write_report(con, tmp_path / "report.html", NOTE).read_text(encoding="utf-8")
    assert re.findall(r"<svg.*?</svg>", again, re.S) == re.findall(r"<svg.*?</svg>", first, re.S)

    monkeypatch.undo()
    con.execute("create temporary table eid_kept as select * from rpt_eid_activation")
    try:
        con.execute("update rpt_eid_activation set activation_rate = activation_rate / 2")
        report.write_report(con, tmp_path / "report.html", NOTE)
    finally:
        con.execute("delete from rpt_eid_activation; insert into rpt_eid_activation select * from eid_kept")
        con.execute("drop table eid_kept")
    now = sorted((tmp_path / ".report_charts").glob("*.svg"))
    assert len(now) == 3 and len(set(now) - set(kept)) == 1  # the eID chart drawn anew, the old one gone
