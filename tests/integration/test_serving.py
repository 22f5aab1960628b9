"""The published, read-only warehouse as BI tools see it: a reader that holds the serving file while `dxw run`
publishes, a publish killed half-way, the Parquet files against the dbt contracts, `dxw sql` from a fresh
shell, and the HTML report with a hostile report in the warehouse."""

import csv
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml

import expectations
from orchestration.cli import main as dxw
from orchestration.serving.evidence import anchor, page_name
from orchestration.serving.query import open_published
from orchestration.serving.report import render_report
from orchestration.warehouse import sql_string
from tests.conftest import REPO, SAMPLES, clean_env, copy_home

DXW = str(Path(sys.executable).with_name("dxw"))
pytestmark = pytest.mark.integration

HOSTILE_ID = "2025-03-10_an-giang_bao-cao-doc-hai"
HOSTILE = (  # markup in the title, in a figure's sentence and in an instruction due in the report's window
    "An Giang <script>alert('dxw')</script> kích hoạt định danh\n"
    "Ngày 10/3/2025, Công an tỉnh An Giang <b>cho biết</b> đã kích hoạt 1.505.000 tài khoản định danh "
    "điện tử <script>alert('evidence')</script>.\n"
    "UBND tỉnh yêu cầu Công an tỉnh <i>hoàn thành</i> việc thu nhận hồ sơ định danh mức độ 2 trước ngày 15/4/2025 "
    "<script>alert('deadline')</script>.\n"
)

CONTROL_ID = "2025-03-14_kien-giang_bao-cao-ky-tu-dieu-khien"
CONTROL = (  # terminal escapes in the title (sets the terminal's title, then red) and in a figure's sentence
    "Kiên Giang \x1b]0;pwned\x07báo cáo \x1b[31mchuyển đổi số\x1b[0m tháng 3 năm 2025\n"
    "Ngày 14/3/2025, Công an tỉnh Kiên Giang cho biết \x1b[31mđã kích hoạt 845.200 tài khoản định danh điện "
    "tử\x1b[0m trên địa bàn tỉnh.\n"
    "Trong tháng, các xã, phường tiếp tục tổ chức tổ công tác lưu động đến từng khu dân cư để hướng dẫn người dân "
    "cài đặt ứng dụng, cập nhật thông tin cư trú và sử dụng các dịch vụ công trực tuyến thiết yếu.\n"
    "Các cơ quan chuyên môn được giao rà soát hồ sơ tồn đọng, phối hợp với doanh nghiệp viễn thông bảo đảm đường "
    "truyền tại các điểm tiếp nhận, và báo cáo kết quả định kỳ hằng tuần về cơ quan thường trực của Ban Chỉ đạo.\n"
    "Người dân được khuyến khích phản ánh vướng mắc qua tổng đài hỗ trợ để được giải đáp kịp thời.\n"
)
CONTROL_NAME = "2025-03-11_\x1b]0;pwned\x07\x1b[31mtep-rong.txt"  # rejected (empty): its name reaches the summary
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    seen, errors, queries = [], [], 0
    import os
    while True:
        try:
            with duckdb.connect(path, read_only=True) as con:  # hold the snapshot for a while, then reopen
                for _ in range(25):
                    run = con.execute("select run_id from _publication").fetchone()[0]
                    con.execute("select count(*), sum(value) from fct_indicator_observations").fetchone()
                    queries += 1
                    if not seen or seen[-1] != run:
                        seen.append(run)
                    time.sleep(0.02)
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")
        if os.path.exists(stop):
            break
    print(json.dumps({"seen": seen, "errors": errors, "queries": queries}))
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DOCS_PORT = _free_port()  # where the runs' links point (DXW_DOCS_PORT) and `dxw docs` serves
EMPTY_FILES = 24  # with the control file, 25 rejected files: the summary lists 20 and says how many more


def _env(**extra) -> dict:
    return clean_env(DXW_AS_OF_DATE="2025-03-20", DXW_DOCS_PORT=str(DOCS_PORT), **extra)


@pytest.fixture(scope="module")
def published(tmp_path_factory, samples_run):
    root = tmp_path_factory.mktemp("serving")
    # a quote in both paths (issue 17.3): a path spliced into SQL text would end its literal early
    landing, home = root / "landing d'avril", root / "o'brien"
    copy_home(samples_run, landing, home)  # the samples loaded; this run adds the hostile reports
    (landing / f"{HOSTILE_ID}.txt").write_text(HOSTILE, encoding="utf-8")
    (landing / f"{CONTROL_ID}.txt").write_text(CONTROL, encoding="utf-8")
    (landing / CONTROL_NAME).write_bytes(b"")
    for i in range(EMPTY_FILES):
        (landing / f"zz-trong-{i:02d}.txt").write_bytes(b"")
    first = subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=900,
        env=_env(),
    )
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    (root / "first-run.out").write_text(first.stderr + first.stdout, encoding="utf-8")  # progress, then summary
    return landing, home


def _publication(home: Path) -> str:
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select run_id from _publication").fetchone()[0]


def test_a_reader_holding_the_serving_file_neither_blocks_nor_breaks_a_publish(published, tmp_path):
    landing, home = published
    before = _publication(home)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home / "serving" / "warehouse.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    (landing / "2025-03-12_bac-lieu_kich-hoat.txt").write_text(
        "Bạc Liêu kích hoạt định danh\nNgày 12/3/2025, Công an tỉnh Bạc Liêu cho biết đã kích hoạt 512.300 tài "
        "khoản định danh điện tử.\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [DXW, "run", "--landing", str(landing), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=900,
        env=_env(),
    )
    time.sleep(1.5)  # let the reader reopen at least once
    stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    seen = json.loads(out)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    after = _publication(home)
    assert after != before
    assert seen["errors"] == []
    assert seen["seen"][0] == before and seen["seen"][-1] == after
    assert seen["queries"] > 50
    assert not list((home / "serving").glob(".*.tmp*"))


def test_a_publish_killed_half_way_leaves_the_previous_snapshot_whole(tmp_path):
    work, serving = tmp_path / "work.duckdb", tmp_path / "serving"
    with duckdb.connect(str(work)) as con:
        con.execute("create table fct_big as select range as id, md5(range::varchar) as digest from range(4000000)")
    script = (
        "import sys, duckdb; from pathlib import Path; from orchestration.serving.snapshot import publish; "
        "con = duckdb.connect(sys.argv[1]); publish(con, Path(sys.argv[2]), sys.argv[3]); con.close()"
    )
    subprocess.run([sys.executable, "-c", script, str(work), str(serving), "run-1"], check=True, cwd=REPO)
    with duckdb.connect(str(work)) as con:  # a change, so that run-2 has a mart to copy (unchanged ones stay)
        con.execute("insert into fct_big select range, md5(range::varchar) from range(4000000, 4000010)")
    victim = subprocess.Popen([sys.executable, "-c", script, str(work), str(serving), "run-2"], cwd=REPO)
    time.sleep(1.2)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    with duckdb.connect(str(serving / "warehouse.duckdb"), read_only=True) as con:
        run = con.execute("select run_id from _publication").fetchone()[0]
        assert run in {"run-1", "run-2"}
        assert (
            con.execute("select count(*) from fct_big").fetchone()[0] == {"run-1": 4_000_000, "run-2": 4_000_010}[run]
        )
    subprocess.run([sys.executable, "-c", script, str(work), str(serving), "run-3"], check=True, cwd=REPO)
    assert sorted(p.name for p in serving.iterdir()) == ["parquet", "warehouse.duckdb"]
    assert pq.read_table(serving / "parquet" / "fct_big" / "data_0.parquet").num_rows == 4_000_010


def test_the_parquet_files_have_the_columns_of_the_dbt_contracts(published):
    _, home = published
    models = [
        m
        for path in sorted((REPO / "dbt_project" / "models" / "marts").rglob("_models.yml"))
        for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    ]
    counts = json.loads((home / "serving" / "parquet" / "_publication.json").read_text(encoding="utf-8"))["tables"]
    contracted = [m for m in models if m.get("config", {}).get("contract", {}).get("enforced")]
    assert len(contracted) >= 20
    partitioned = 0
    for model in contracted:
        folder = home / "serving" / "parquet" / model["name"]
        # Hive layout: the partition columns are in the paths (indicator_code=…/year=…/) and come last
        partitions = [part.split("=")[0] for part in next(folder.rglob("*.parquet")).relative_to(folder).parts[:-1]]
        partitioned += bool(partitions)
        table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
        columns = [c["name"] for c in model["columns"]]
        assert table.column_names == [c for c in columns if c not in partitions] + partitions, model["name"]
        assert table.num_rows == counts[model["name"]], model["name"]
    assert partitioned >= 3  # the facts by indicator and period, and the scorecard by year


def test_dxw_sql_answers_from_a_fresh_shell(published, tmp_path):
    _, home = published
    fresh = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}  # no venv, no DXW_* settings

    def sql(query: str, *args: str, where: Path = home) -> subprocess.CompletedProcess:
        return subprocess.run(
            [DXW, "sql", query, "--home", str(where), *args],
            capture_output=True, text=True, env=fresh, cwd=tmp_path, timeout=120,
        )  # fmt: skip

    query = (
        "select geo_code, value, denominator from fct_indicator_values "
        "where indicator_code = 'dti_rank' and geo_code = '20' and period = '2022'"
    )
    as_json = sql(query, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]  # JSON lines
    assert rows == [{"geo_code": "20", "value": 6, "denominator": 63}]
    header, line = sql(query, "--format", "csv").stdout.splitlines()
    assert header == "geo_code,value,denominator" and [float(v) for v in line.split(",")] == [20, 6, 63]
    as_table = sql(query).stdout
    assert "geo_code" in as_table and "63" in as_table and "(1 row)" in as_table
    # read-only: a write is refused with a clear message, and the snapshot is untouched
    write = sql("drop table fct_indicator_values")
    assert write.returncode != 0 and "read-only" in write.stderr.lower()
    assert sql("select count(*) from fct_indicator_values").returncode == 0
    missing = sql("select 1", where=tmp_path / "nowhere")
    assert missing.returncode != 0 and "dxw run" in missing.stderr


def test_the_report_has_its_charts_and_escapes_a_hostile_report(published):
    _, home = published
    if not (home / "serving" / "report.html").exists():
        pytest.fail("no report.html")
    page = (home / "serving" / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 3
    assert "As of: <b>2025-03-20</b> (DXW_AS_OF_DATE)" in page
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page  # works offline: no CDN
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from dim_report where report_id = ?", [HOSTILE_ID]).fetchone()[0] == 1
    # the hostile report's markup is shown as text
    assert "&lt;script&gt;alert(&#x27;dxw&#x27;)&lt;/script&gt;" in page  # the title
    assert "&lt;i&gt;hoàn thành&lt;/i&gt;" in page  # the instruction due on 2025-04-15
    for section in ("eID", "DTI", "trực tuyến", "Data quality"):
        assert section.lower() in page.lower(), section


def test_every_report_version_has_an_evidence_page_and_a_hostile_one_shows_markup_as_text(published):
    _, home = published
    pages = sorted((home / "serving" / "evidence").glob("*.html"))
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        versions = con.execute("select report_version_id from dim_report").fetchall()
        hostile = con.execute(
            "select report_version_id, observation_id from fct_indicator_observations where report_id = ?",
            [HOSTILE_ID],
        ).fetchall()
    assert len(pages) == len(versions)
    assert hostile, "the hostile report's figure was extracted"
    page = (home / "serving" / "evidence" / page_name(hostile[0][0])).read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;evidence&#x27;)&lt;/script&gt;" in page
    # the figure's number is marked in bold, with the reference a link from the marts lands on
    assert ">1.505.000</strong>" in page and f'id="{anchor(hostile[0][1])}-text"' in page
    assert f'<a class="ref" id="{anchor(hostile[0][1])}"' in page


def test_dxw_sql_is_a_sandbox_with_no_file_access(published, tmp_path, capsys):
    """Issue 17.2 / 12.15: each statement is refused by dxw sql, and DuckDB itself refuses the ones that reach
    it (external access off, configuration locked), so a statement dxw sql let through could not either."""
    _, home = published
    working, out = home / "warehouse.duckdb", tmp_path / "out"
    writes_or_reads = {
        "copy": f"copy (select * from dim_report) to {sql_string(out / 'x.csv')}",
        "export": f"export database {sql_string(out)}",
        "attach": f"attach {sql_string(working)} as working (read_only)",  # raw report texts
        "install": "install httpfs",
        "load": "load httpfs",
        "set": "set enable_external_access = true",
        "pragma": "pragma threads = 1",
        "read_csv": "select * from read_csv('/etc/passwd')",
        "read_text": "select * from read_text('/etc/shadow')",
        "glob": "select * from glob('/root/*')",
    }
    refused_by_dxw = {
        **writes_or_reads,
        "load_builtin": "load json",  # DuckDB would allow it (built in): dxw sql runs queries only
        "profiling": "pragma enable_profiling",
        "checkpoint": "checkpoint",
        "second": f"select 1; copy (select 1) to {sql_string(out / 'y.csv')}",
    }
    for name, statement in refused_by_dxw.items():
        code = dxw(["sql", statement, "--home", str(home)])
        err = capsys.readouterr().err
        assert code == 1, (name, err)
        assert "refused" in err or "one query at a time" in err, (name, err)
        assert "Traceback" not in err
    with open_published(home / "serving" / "warehouse.duckdb") as con:
        for name, statement in writes_or_reads.items():
            with pytest.raises(duckdb.Error):
                con.execute(statement)
                pytest.fail(f"DuckDB ran {name}: {statement}")
        assert con.execute("select current_setting('enable_external_access')").fetchone()[0] is False
    assert not out.exists() and not list(tmp_path.iterdir())
    # queries still run, and a list column prints as JSON in CSV
    assert dxw(["sql", "select count(*) as n from dim_report", "--home", str(home), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] != "0"
    query = "select assignees from fct_instructions where len(assignees) > 0 order by instruction_id limit 1"
    assert dxw(["sql", query, "--home", str(home), "--format", "csv"]) == 0
    field = next(csv.reader(capsys.readouterr().out.splitlines()[1:]))[0]
    assert isinstance(json.loads(field), list) and json.loads(field)  # not Python's ['…'] repr


def test_dxw_sql_gives_messages_not_tracebacks(published, capsys):
    _, home = published
    assert dxw(["sql", "", "--home", str(home)]) == 2
    assert "no query given" in capsys.readouterr().err
    assert dxw(["sql", "selec 1", "--home", str(home)]) == 1
    err = capsys.readouterr().err
    assert "syntax error" in err.lower() and "Traceback" not in err
    assert dxw(["sql", "select * from no_such_mart", "--home", str(home)]) == 1
    assert "no_such_mart" in capsys.readouterr().err


def test_control_characters_stay_out_of_the_marts_and_off_the_terminal(published, capsys):
    """Issue 17.4: the marts hold the title and evidence without control characters (the raw layer keeps the
    original), and what a terminal shows (the run summary, dxw sql in every format) escapes them."""
    _, home = published
    with duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True) as con:
        (title,) = con.execute("select title from dim_report where report_id = ?", [CONTROL_ID]).fetchone()
        evidence = [
            r[0]
            for r in con.execute(
                """select evidence from fct_indicator_observations where report_id = ?
                   union all select evidence from fct_instructions where report_id = ?""",
                [CONTROL_ID, CONTROL_ID],
            ).fetchall()
        ]
    assert title == "Kiên Giang báo cáo chuyển đổi số tháng 3 năm 2025"
    assert evidence and not any(CONTROLS.search(e) for e in evidence)
    assert any("đã kích hoạt 845.200 tài khoản" in e for e in evidence)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        raw_title = con.execute("select title from raw.reports where report_id = ?", [CONTROL_ID]).fetchone()[0]
    assert "\x1b]0;pwned\x07" in raw_title  # the original, in the raw layer only
    summary = (home.parent / "first-run.out").read_text(encoding="utf-8")
    assert "tep-rong.txt: empty file" in summary and not CONTROLS.search(summary)
    hostile = "select chr(27) || ']0;pwned' || chr(7) || chr(27) || '[31mred' || chr(155) || 'x' as t, [chr(27)] as l"
    for fmt in ("table", "csv", "json"):
        assert dxw(["sql", hostile, "--home", str(home), "--format", fmt]) == 0
        shown = capsys.readouterr().out
        assert not CONTROLS.search(shown), fmt
        assert "\\u001b]0;pwned\\u0007" in shown, fmt
    assert dxw(["sql", hostile, "--home", str(home), "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)  # JSON stays exact: its escapes decode to the original
    assert row == {"t": "\x1b]0;pwned\x07\x1b[31mred\x9bx", "l": ["\x1b"]}


def test_dxw_docs_on_a_port_in_use_says_so(published):
    _, home = published
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        docs = subprocess.run(
            [DXW, "docs", "--home", str(home), "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert docs.returncode == 1 and f"port {port} on 127.0.0.1 is in use" in docs.stderr
    assert "Traceback" not in docs.stderr


def test_an_unwritable_home_and_an_empty_landing_stop_the_run_with_a_message(tmp_path):
    """Issues 12.15 and 12.16: no traceback for a home dxw cannot write, and an empty landing folder stops
    before Dagster loads, with its own exit code (3)."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    unwritable = subprocess.run(
        [DXW, "run", "--landing", str(SAMPLES), "--home", str(tmp_path / "a-file" / "home")],
        capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert unwritable.returncode == 1, unwritable.stderr
    assert "is not writable" in unwritable.stderr and "Traceback" not in unwritable.stderr
    empty = subprocess.run(
        [DXW, "run", "--landing", str(tmp_path / "empty"), "--home", str(tmp_path / "home")],
        capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert empty.returncode == 3, empty.stdout + empty.stderr
    assert "holds no files: nothing to ingest" in empty.stderr
    assert not (tmp_path / "home" / "dagster").exists()  # stopped before the pipeline


def test_a_run_shows_progress_from_its_first_line(published):
    lines = (published[1].parent / "first-run.out").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("dxw run: ") and "looking at the landing folder" in lines[0]
    assert any("files in the landing folder" in line and "loading Dagster" in line for line in lines[:3])
    assert any(re.search(r"ingest: read \d+/\d+", line) for line in lines)
    assert any(re.search(r"extract: \d+/\d+ reports", line) for line in lines)


MANIFEST = REPO / "dbt_project" / "target" / "manifest.json"


def _marts() -> dict[str, dict]:
    """The marts as dbt defines them (every model under models/marts), from the manifest."""
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"].values()
    return {n["name"]: n for n in nodes if n["resource_type"] == "model" and n["fqn"][1] == "marts"}


def _serving(home: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True)


def test_every_place_has_a_display_name_with_its_era_where_names_repeat(published):
    """Issue 12.9: geo_name was null for every province; two eras' units of one name looked alike; instructions
    had no geo_key (a join on geo_code multiplied them)."""
    _, home = published
    with _serving(home) as con:
        assert con.execute("select count(*) from fct_indicator_values where geo_name = 'Bắc Ninh'").fetchone()[0] > 0
        keyed = [
            t
            for (t,) in con.execute(
                """select table_name from information_schema.columns
                   where table_schema = 'main' and column_name = 'geo_key' order by 1"""
            ).fetchall()
        ]
        assert {"fct_instructions", "fct_indicator_observations", "mart_province_scorecard", "dim_geography"} <= set(
            keyed
        )
        for table in keyed:
            unnamed = con.execute(
                f'select count(*) from main."{table}" where geo_key is not null and geo_display_name is null'
            ).fetchone()[0]
            assert unnamed == 0, table
        shared = dict(
            con.execute(
                """select geo_name, list(geo_display_name order by geo_era) from dim_geography
                   where geo_level = 'province' group by geo_name having count(*) > 1"""
            ).fetchall()
        )
        assert shared["Bắc Ninh"] == ["Bắc Ninh (until 06/2025)", "Bắc Ninh (from 07/2025)"]
        assert all(len(set(names)) == len(names) for names in shared.values())
        assert con.execute("select geo_display_name from dim_geography where geo_key = '2008:52'").fetchone() == (
            "Bình Định",  # a name of one era only needs no era
        )
        district = con.execute(
            "select geo_display_name from dim_geography where geo_level = 'district' and geo_name = 'Đình Lập'"
        ).fetchone()
        assert district == ("Đình Lập, Lạng Sơn (until 06/2025)",)
        n, unkeyed, by_key, by_code = con.execute(
            """select (select count(*) from fct_instructions),
                      (select count(*) from fct_instructions where geo_key is null),
                      (select count(*) from fct_instructions join dim_geography using (geo_key)),
                      (select count(*) from fct_instructions join dim_geography using (geo_code)
                       where dim_geography.geo_level in ('national', 'province'))"""
        ).fetchone()
    assert unkeyed == 0 and by_key == n < by_code  # a geo_code names a unit in each era


def test_counts_and_ranks_are_integers_and_the_scorecard_has_one_grain(published):
    """Issues 12.9 and 13.3: the scorecard's indicator columns come from indicators.csv (scorecard_column), typed
    by unit; one row per place and year; every count and rank in the marts is an integer type."""
    _, home = published
    with open(REPO / "sources" / "catalog" / "indicators.csv", encoding="utf-8") as f:
        catalogue = [r for r in csv.DictReader(f) if r["scorecard_column"]]
    expected = {}
    for row in catalogue:
        column = row["scorecard_column"]
        expected[column] = {"count": "BIGINT", "rank": "INTEGER"}.get(row["unit"], "DOUBLE")
        expected[f"{column}_period"] = "VARCHAR"
        if row["unit"] == "rank":
            expected[f"{column}_out_of"] = "INTEGER"
    with _serving(home) as con:
        types = dict(
            con.execute(
                """select column_name, data_type from information_schema.columns
                   where table_schema = 'main' and table_name = 'mart_province_scorecard'"""
            ).fetchall()
        )
        grain = con.execute("select count(*), count(distinct (geo_key, year)) from mart_province_scorecard").fetchone()
        not_integers = con.execute(
            r"""select table_name, column_name, data_type from information_schema.columns
                where table_schema = 'main' and data_type not in ('INTEGER', 'BIGINT')
                  and (column_name like 'n\_%' escape '\' or column_name like '%\_rank' escape '\'
                       or column_name like '%\_count' escape '\' or column_name like '%\_out\_of' escape '\')"""
        ).fetchall()
    fixed = {"geo_key", "geo_code", "geo_level", "geo_name", "geo_display_name", "geo_era", "year"}
    assert {c: t for c, t in types.items() if c not in fixed | {"eid_activation_rate_computed", "n_indicators"}} == (
        expected
    )
    assert types["year"] == "INTEGER" and types["eid_accounts_activated"] == "BIGINT" and types["dti_rank"] == "INTEGER"
    assert grain[0] == grain[1] > 0
    assert not_integers == []


def test_the_published_file_carries_the_dbt_descriptions(published):
    """Issue 12.10: the DuckDB file had none of the YAML's descriptions; a DuckDB client now reads every mart's and
    every column's from duckdb_tables() / duckdb_columns()."""
    _, home = published
    marts = _marts()
    with _serving(home) as con:
        tables = dict(
            con.execute("select table_name, comment from duckdb_tables() where schema_name = 'main'").fetchall()
        )
        columns = {
            (t, c): comment
            for t, c, comment in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main'"
            ).fetchall()
        }
    checked = 0
    for name, node in marts.items():
        assert tables[name] == node["description"], name
        for column, spec in node["columns"].items():
            assert columns[(name, column)] == spec["description"], (name, column)
            checked += 1
    assert len(marts) >= 20 and checked >= 350


def test_rejected_files_and_validation_results_are_published_marts(published):
    """Issue 12.11: rejected files and data-quality results were in the working copy only; the run summary listed
    20 rejected files without saying how many more there were."""
    _, home = published
    summary = (home.parent / "first-run.out").read_text(encoding="utf-8")
    assert summary.count("  rejected    ") == 20
    with _serving(home) as con:
        listed = con.execute(
            """select count(*) from fct_landing_files where status in ('rejected', 'duplicate')
               or (warnings is not null and status not in ('withdrawn', 'removed'))"""
        ).fetchone()[0]
    assert f"… and {listed - 20} more files rejected, duplicated or read with warnings" in summary
    with _serving(home) as con:
        rejected = con.execute("select file_path, reason from fct_landing_files where status = 'rejected'").fetchall()
        latest = con.execute(
            "select rule_code, severity, data_docs_page from fct_expectation_results where is_latest"
        ).fetchall()
    assert len(rejected) == EMPTY_FILES + 1 and {reason for _, reason in rejected} == {"empty file"}
    assert sorted((rule, severity) for rule, severity, _ in latest) == sorted(
        (rule, severity) for _, rule, _, severity, _ in expectations.rules()
    )
    for _, _, page in latest:  # each validation's GX page, readable offline (static HTML, no script needed)
        text = (home / "serving" / page).read_text(encoding="utf-8")
        assert "Expectation Validation Result" in text and ("Succeeded" in text or "Failed" in text)


def test_the_report_reads_the_published_copy_alone(published, tmp_path):
    """Issue 13.3: the report's data-quality rows came from the working copy, opened under the writer lock; now
    every section reads a published reporting model, so the published file alone renders the whole page."""
    _, home = published
    alone = tmp_path / "alone.duckdb"
    shutil.copy(home / "serving" / "warehouse.duckdb", alone)
    with duckdb.connect(str(alone), read_only=True) as con:
        page = render_report(con)
    for rule, *_ in [r[1:] for r in expectations.rules()]:
        assert rule in page
    assert "no data yet" not in page.split('id="quality"', 1)[1].split("</section>", 1)[0]


def test_the_links_dagster_shows_are_served_over_http(published):
    """Issue 12.7: the UI linked the report and the Data Docs as file:// URLs, which a browser refuses from an http
    page. The links are http URLs of the serving folder's server (`dxw docs`, and `dxw ui` beside Dagster)."""
    _, home = published
    instance = dg.DagsterInstance.from_config(str(home / "dagster"))
    links = {}
    shown = (("serving/report", "open"), ("serving/dbt_docs", "open"), ("quality/expectation_results", "data_docs"))
    for key, name in shown:
        event = instance.get_latest_materialization_event(dg.AssetKey(key.split("/")))
        links[key] = event.asset_materialization.metadata[name].value
    base = f"http://127.0.0.1:{DOCS_PORT}/"
    urls = []  # every link of the last run's materialisations and checks
    for entry in instance.all_logs(instance.get_runs(limit=1)[0].run_id):
        data = entry.dagster_event.event_specific_data if entry.dagster_event else None
        metadata = getattr(getattr(data, "materialization", None), "metadata", None) or getattr(data, "metadata", None)
        urls += [v.value for v in (metadata or {}).values() if isinstance(v, dg.UrlMetadataValue)]
    assert len(urls) > 10 and all(url.startswith(base) for url in urls), urls
    assert links == {
        "serving/report": base + "report.html",
        "serving/dbt_docs": base + "dbt_docs/index.html",
        "quality/expectation_results": base + "data_docs/index.html",
    }
    server = subprocess.Popen([DXW, "docs", "--home", str(home)], env=_env(), stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(links["serving/report"], timeout=5) as response:
                    report_page = response.read().decode("utf-8")
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None, server.stderr.read() if server.poll() else ""
                time.sleep(0.5)
        assert "<title>Digital transformation" in report_page
        for key, marker in (("serving/dbt_docs", "dbt"), ("quality/expectation_results", "Great Expectations")):
            with urllib.request.urlopen(links[key], timeout=10) as response:
                assert response.status == 200 and marker in response.read().decode("utf-8"), key
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:  # a real browser opens the link as the UI gives it
            dom = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={home.parent / 'chromium'}", "--dump-dom", links["serving/report"]],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert '<section id="eid">' in dom.stdout and '<section id="quality">' in dom.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_superset_recipe_as_the_readme_writes_it(published):
    """Issue 12.12: duckdb-engine with SQLAlchemy 2.1 failed to reflect columns (pg_catalog.pg_collation), and list
    columns reflected as NullType. The README's URI, with SQLAlchemy < 2.1 (what Superset brings: 1.4) and schema
    `bi`, reflects every mart with real types and its descriptions, read-only."""
    import warnings

    import sqlalchemy as sa

    _, home = published
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    uri = re.search(r"SQLAlchemy URI `(duckdb:///[^`]+)`", readme).group(1)
    assert "schema `bi`" in readme
    engine = sa.create_engine(uri.replace("/abs/path/data", str(home)))
    marts = _marts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # duckdb-engine warns on a type it does not know, then says NullType
        inspector = sa.inspect(engine)
        assert set(inspector.get_view_names(schema="bi")) == set(marts)
        for view in marts:
            columns = inspector.get_columns(view, schema="bi")
            assert [c["name"] for c in columns] == list(marts[view]["columns"]), view
            assert not [c["name"] for c in columns if isinstance(c["type"], sa.types.NullType)], view
            assert all(c["comment"] for c in columns), view
    with engine.connect() as connection:
        assignees = connection.execute(
            sa.text("select assignees from bi.fct_instructions where assignees <> '[]' limit 1")
        ).scalar_one()
        assert isinstance(json.loads(assignees), list)
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            connection.execute(sa.text("create table main.x (a integer)"))
    engine.dispose()
