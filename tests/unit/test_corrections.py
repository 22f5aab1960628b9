"""Correction files: the schema refuses what it does not know, and an import is all or nothing."""

import csv
import io
from pathlib import Path

import pytest

from sources import catalog
from sources.corrections import (
    COLUMNS,
    EXPORT_ONLY,
    CorrectionError,
    append_corrections,
    export_rows,
    gold_rows,
    indicator_words,
    parse_corrections,
    read_corrections,
)

HEADER = ",".join(COLUMNS)


SIGNED = {"reviewer": "lan", "reviewed_at": "2026-11-30"}  # every row is signed; tests override what they test


def _row(**fields: str) -> str:
    fields = SIGNED | fields
    return ",".join(fields.get(c, "") for c in COLUMNS)


GOOD_CHANGE = _row(
    action="change",
    file_hash="ab12",
    char_start="10",
    char_end="42",
    value="812345",
    reason="dấu chấm hàng nghìn đọc sai",
)
GOOD_REJECT = _row(
    action="reject",
    file_hash="ab12",
    evidence="Tổng số 12 đoàn kiểm tra.",
    reason="not an indicator",
)

GOOD_ADD = _row(
    action="add",
    file_hash="ab12",
    report_id="2026-10-01_ca-mau",
    char_start="50",
    char_end="53",
    evidence="Tỷ lệ 71%.",
    indicator="eid_activation_rate",
    value="71",
    geo_code="96",
    reason="missed",
)


def test_good_rows_parse_with_types():
    rows = parse_corrections("\n".join([HEADER, GOOD_CHANGE, GOOD_REJECT]) + "\n")
    assert [r.action for r in rows] == ["change", "reject"]
    assert rows[0].value == 812345.0 and rows[0].char_start == 10
    assert rows[1].evidence == "Tổng số 12 đoàn kiểm tra."


def test_unknown_column_is_refused():
    with pytest.raises(CorrectionError, match="unknown columns colour"):
        parse_corrections(HEADER + ",colour\n" + GOOD_CHANGE + ",red\n")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            _row(action="fix", file_hash="ab12", evidence="x", reason="r"),
            "action",
        ),
        (
            _row(
                action="change",
                file_hash="ab12",
                char_start="3",
                char_end="9",
                reason="r",
            ),
            "a change must set",
        ),
        (
            _row(action="add", file_hash="ab12", evidence="Đạt 70%.", reason="r"),
            "an added figure needs char_start",
        ),
        (
            _row(action="reject", file_hash="ab12", reason="r"),
            "needs char_start and char_end, or evidence",
        ),
        (
            _row(action="confirm", file_hash="ab12", evidence="x", reason="r", reviewed_at="yesterday"),
            "reviewed_at",
        ),
        (
            _row(action="change", file_hash="ab12", evidence="x", indicator="no_such_code", reason="r"),
            "not a code of sources/catalog/indicators.csv",
        ),
    ],
)
def test_bad_row_is_named(bad, message):
    with pytest.raises(CorrectionError, match=message) as err:
        parse_corrections("\n".join([HEADER, GOOD_CHANGE, bad]) + "\n", "mine.csv")
    assert "row 3" in str(err.value) and "nothing applied" in str(err.value)


def test_import_appends_and_bad_import_applies_nothing(tmp_path: Path):
    target = tmp_path / "corrections" / "observations.csv"
    assert append_corrections(target, HEADER + "\n" + GOOD_CHANGE + "\n", "first.csv") == (1, 0)
    before = target.read_text(encoding="utf-8")
    bad = _row(action="reject", file_hash="ab12", reason="r")
    with pytest.raises(CorrectionError, match="row 3"):
        append_corrections(target, "\n".join([HEADER, GOOD_REJECT, bad]) + "\n", "second.csv")
    assert target.read_text(encoding="utf-8") == before
    assert append_corrections(target, HEADER + "\n" + GOOD_REJECT + "\n", "third.csv") == (1, 0)
    assert [c.action for c in read_corrections(target)] == ["change", "reject"]


def test_shipped_correction_file_is_valid():
    shipped = Path(__file__).resolve().parents[2] / "corrections" / "observations.csv"
    read_corrections(shipped)


def test_gold_rows_carry_confirmed_changed_and_added_figures_not_rejected_or_orphaned():
    figure = {
        "report_id": "2026-10-01_ca-mau",
        "file_hash": "ab12",
        "char_start": 10,
        "char_end": 42,
        "geo_code": "96",
        "geo_level": "province",
        "geo_name": None,
        "indicator": "eid_accounts_activated",
        "value": 81234.5,
        "denominator": None,
        "unit": "accounts",
        "period": "2026-Q3",
        "qualifier": None,
        "evidence": "Đã kích hoạt 812.345 tài khoản.",
    }
    orphan = _row(
        action="confirm",
        file_hash="zz99",
        char_start="1",
        char_end="2",
        reason="ok",
    )
    other_in_sentence = _row(
        action="change",
        file_hash="ab12",
        char_start="10",
        char_end="42",
        was_indicator="eid_activation_rate",
        value="1",
        reason="x",
    )
    rows = parse_corrections("\n".join([HEADER, GOOD_CHANGE, GOOD_REJECT, GOOD_ADD, orphan, other_in_sentence]) + "\n")
    gold = gold_rows(rows, [figure])
    assert [(g["indicator"], g["value"]) for g in gold] == [
        ("eid_accounts_activated", 812345.0),
        ("eid_activation_rate", 71.0),
    ]
    assert gold[0]["evidence"] == figure["evidence"] and gold[1]["evidence"] == "Tỷ lệ 71%."


def test_dxw_review_import_refuses_a_bad_row_by_number_and_applies_nothing(tmp_path: Path, capsys):
    from orchestration.cli import main

    target = tmp_path / "observations.csv"
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "\n" + GOOD_CHANGE + "\n", encoding="utf-8")
    bad.write_text("\n".join([HEADER, GOOD_REJECT, _row(action="add", file_hash="ab12")]) + "\n", encoding="utf-8")
    assert main(["review", "import", str(good), "--corrections", str(target)]) == 0
    before = target.read_text(encoding="utf-8")
    assert main(["review", "import", str(bad), "--corrections", str(target)]) == 1
    assert "row 3" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == before


def test_a_change_can_clear_a_field_and_the_gold_row_shows_it_empty():
    clear = _row(
        action="change",
        file_hash="ab12",
        char_start="10",
        char_end="42",
        clear="period qualifier",
        reason="the sentence gives no period; not an approximation",
    )
    (row,) = parse_corrections(HEADER + "\n" + clear + "\n")
    assert row.clear == ("period", "qualifier")
    figure = {
        "report_id": "r",
        "file_hash": "ab12",
        "char_start": 10,
        "char_end": 42,
        "indicator": "eid_accounts_activated",
        "value": 5.0,
        "unit": "accounts",
        "period": "2026-Q3",
        "qualifier": "approx",
        "geo_code": "96",
    }
    (gold,) = gold_rows([row], [figure])
    assert (gold["period"], gold["qualifier"], gold["value"]) == (None, None, 5.0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "change", "clear": "value"}, "value cannot be cleared"),
        ({"action": "change", "clear": "period", "period": "2024"}, "period is both set and cleared"),
        ({"action": "reject", "clear": "period"}, "only a change can clear a field"),
    ],
)
def test_a_bad_clear_is_refused_by_row(fields, message):
    bad = _row(file_hash="ab12", char_start="1", char_end="5", reason="r", **fields)
    with pytest.raises(CorrectionError, match=message):
        parse_corrections(HEADER + "\n" + bad + "\n")


def test_import_of_an_exported_queue_skips_rows_left_alone_and_ignores_the_why_column(tmp_path: Path):
    target = tmp_path / "observations.csv"
    header = HEADER + ",why,evidence_page"
    untouched = ",".join(
        {"file_hash": "ab12", "char_start": "3", "char_end": "9", "value": "12"}.get(c, "") for c in COLUMNS
    )
    decided = GOOD_CHANGE + ",quarantined: r3_range,file:///x.html#obs-a"
    text = "\n".join([header, untouched + ",no period,", decided]) + "\n"
    assert append_corrections(target, text, "queue.csv") == (1, 1)
    assert [c.value for c in read_corrections(target)] == [812345.0]
    assert "why" not in target.read_text(encoding="utf-8")
    # a row with a reason or a reviewer but no action is a mistake, not a row left alone
    forgot = ",".join({"file_hash": "ab12", "evidence": "x", "reason": "wrong"}.get(c, "") for c in COLUMNS)
    with pytest.raises(CorrectionError, match="row 2: action"):
        append_corrections(target, "\n".join([header, forgot + ",,"]) + "\n", "queue.csv")


def test_gold_rows_take_the_unit_of_a_changed_or_added_indicator():
    (gold,) = gold_rows(parse_corrections(HEADER + "\n" + GOOD_ADD + "\n"), [])
    assert gold["unit"] == catalog.indicators()["eid_activation_rate"].unit


def test_indicator_words_are_whole_words_of_the_catalogue_longest_first():
    assert indicator_words("tỉnh đã cung cấp 1.542 dịch vụ công trực tuyến, gồm") == ["dịch vụ công trực tuyến"]
    assert indicator_words("nhiều lao động đi làm ăn xa ở các tỉnh") == []
    assert indicator_words("TÀI KHOẢN đã kích hoạt") == ["kích hoạt", "tài khoản"]
    assert indicator_words("các tài khoảnx") == []  # not inside a longer word


def _item(kind: str, priority: int, **fields) -> dict:
    base = {c: None for c in COLUMNS} | {"item_kind": kind, "review_priority": priority, "review_reasons": []}
    return base | {"report_id": "r", "file_hash": "ab12", "char_start": 0} | fields


def test_export_rows_rank_the_queue_and_keep_unmapped_numbers_next_to_indicator_words(tmp_path: Path):
    items = [
        _item("figure", 6, char_start=5, value=2024.0, review_reasons=["year only (2024) in a report of 2024-11-15"]),
        _item("unmapped", 4, nearby="có 18 đến 45 người", value=18.0, review_reasons=["unmapped number: 18"]),
        _item(
            "unmapped",
            4,
            nearby="cung cấp 1.542 dịch vụ công trực tuyến",
            value=1542.0,
            review_reasons=["unmapped number (no_indicator): 1.542"],
            evidence_page="evidence/r@ab.html#obs-r-ab-u0001",
        ),
        _item("figure", 1, char_start=9, value=240.0, was_value=79.0, review_reasons=["quarantined: r3_range"]),
        _item("figure", 2, char_start=1, value=1013000000.0, review_reasons=["disputed: 19 in a, 20 in b"]),
    ]
    rows = export_rows(items, tmp_path)
    assert [r["value"] for r in rows] == ["240", "1013000000", "1542", "2024"]
    assert rows[0]["was_value"] == "79" and rows[0]["action"] == "" and rows[0]["why"] == "quarantined: r3_range"
    assert rows[2]["why"] == "unmapped number (no_indicator): 1.542, next to 'dịch vụ công trực tuyến'"
    assert rows[2]["evidence_page"] == (tmp_path / "evidence" / "r@ab.html").as_uri() + "#obs-r-ab-u0001"
    # what the export writes, the import reads back (rows left alone skipped)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[*COLUMNS, *EXPORT_ONLY], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    assert parse_corrections(text.getvalue(), skip_undecided=True) == []
