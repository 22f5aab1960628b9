"""Correction files: the schema refuses what it does not know, and an import is all or nothing."""

from pathlib import Path

import pytest

from sources.corrections import (
    COLUMNS,
    CorrectionError,
    append_corrections,
    gold_rows,
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
    assert append_corrections(target, HEADER + "\n" + GOOD_CHANGE + "\n", "first.csv") == 1
    before = target.read_text(encoding="utf-8")
    bad = _row(action="reject", file_hash="ab12", reason="r")
    with pytest.raises(CorrectionError, match="row 3"):
        append_corrections(target, "\n".join([HEADER, GOOD_REJECT, bad]) + "\n", "second.csv")
    assert target.read_text(encoding="utf-8") == before
    assert append_corrections(target, HEADER + "\n" + GOOD_REJECT + "\n", "third.csv") == 1
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
    added = _row(
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
    rows = parse_corrections("\n".join([HEADER, GOOD_CHANGE, GOOD_REJECT, added, orphan, other_in_sentence]) + "\n")
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
