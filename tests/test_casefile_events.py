"""The columns of a case's life in the case file (interfaces.md §2): read, checked, exported, read again."""
import datetime as dt

import pytest

from core import ops
from core.files import casefile
from core.queries import figures
from core.domain import periods
from db.store import Store

D = dt.date
HEADER = ("code,procedure,field,applicant,officer,received_date,due_date,processing_days,channel,digitized,"
          "resolved_date,result_digitized,has_fee,paid_online,e_certified,status,supplement_requested,"
          "supplement_returned,supplement_count,paused_days,new_due_date,satisfaction")
ROWS = [
    # one returned round 3/10 → 6/10: count and paused days left blank, computed (1 and 3)
    "A1,Đăng ký khai sinh,Hộ tịch,Lê Văn A,Trần Văn Hùng,2023-10-02,2023-10-09,5,direct,1,2023-10-10,1,0,0,0,,"
    "2023-10-03,2023-10-06,,,,good",
    # two rounds given in full, the last still pending
    "A2,Đăng ký khai sinh,Hộ tịch,Lê Văn B,Trần Văn Hùng,2023-10-02,2023-10-09,5,direct,1,,0,0,0,0,,"
    "05/10/2023,,2,1,,",
    # refused and stopped, in Vietnamese words; an apology with a new date; a rating in Vietnamese
    "A3,Đăng ký khai sinh,Hộ tịch,,Trần Văn Hùng,2023-10-02,2023-10-09,5,direct,1,2023-10-04,0,0,0,0,Từ chối,"
    ",,,,,",
    "A4,Đăng ký khai sinh,Hộ tịch,,Trần Văn Hùng,2023-10-02,2023-10-09,5,direct,1,2023-10-05,0,0,0,0,Dừng xử lý,"
    ",,,,,",
    "A5,Đăng ký khai sinh,Hộ tịch,,Trần Văn Hùng,2023-10-02,2023-10-09,5,online,1,2023-10-12,1,0,0,0,,"
    ",,,,13/10/2023,Không hài lòng",
]


def write(tmp_path, lines, name="cases.csv"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_the_new_columns_are_read_and_computed_when_blank(store, tmp_path):
    result = ops.import_file(store, write(tmp_path, [HEADER, *ROWS]))
    assert result.checked.problems == [] and result.imported == 5
    rows = {r["code"]: r for r in store.export_rows()}
    a1, a2 = rows["A1"], rows["A2"]
    assert (a1["supplement_requested"], a1["supplement_returned"], a1["supplement_count"], a1["paused_days"]) == \
        ("2023-10-03", "2023-10-06", 1, 3)
    assert (a2["supplement_requested"], a2["supplement_returned"], a2["supplement_count"], a2["paused_days"]) == \
        ("2023-10-05", None, 2, 1)
    assert (rows["A3"]["status"], rows["A4"]["status"]) == ("refused", "stopped")
    assert (rows["A5"]["new_due_date"], rows["A5"]["satisfaction"], a1["satisfaction"]) == \
        ("2023-10-13", "poor", "good")
    # the due date counting the paused days: 9/10 moved on 3 working days is 12/10
    assert store.db.execute("SELECT paused_due FROM cases WHERE code = 'A1'").fetchone()[0] == "2023-10-12"
    result = figures.compute(store, periods.parse("2023-10"), today=D(2026, 1, 1))
    # A1 on time (round of 3 days), A2 late (two requests), A3 refused on time, A4 stopped on time,
    # A5 late (12/10 > 9/10; the apology does not move the due date): 3/5
    assert result.on_time_766.numerator == 3
    assert (result.counts["refused"], result.counts["stopped"], result.counts["supplement_pending"]) == \
        (1, 1, 1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_new_column_round_trips_through_export_and_import(tmp_path, suffix):
    first = Store.open(tmp_path / "a.db")
    assert ops.import_file(first, write(tmp_path, [HEADER, *ROWS])).imported == 5
    out = tmp_path / f"all{suffix}"
    assert casefile.export_file(first, out) == 5
    second = Store.open(tmp_path / "b.db")
    result = ops.import_file(second, out)
    assert result.checked.problems == [] and result.imported == 5
    assert list(first.export_rows()) == list(second.export_rows())
    new = ("supplement_requested", "supplement_returned", "supplement_count", "paused_days", "new_due_date",
           "satisfaction", "status")
    assert {r["code"]: tuple(r[k] for k in new) for r in second.export_rows()}["A2"] == \
        ("2023-10-05", None, 2, 1, None, None, None)
    paused = "SELECT code, paused_due FROM cases ORDER BY code"
    assert first.db.execute(paused).fetchall() == second.db.execute(paused).fetchall()
    assert second.check() == []


@pytest.mark.parametrize("column, value, reason", [
    ("status", "refused", "ghi ngày từ chối"),  # named at the missing date: resolved_date
    ("supplement_returned", "2023-10-03", "không có ngày yêu cầu bổ sung"),
    ("supplement_requested", "2023-09-30", "trước ngày tiếp nhận"),
    ("supplement_count", "-1", "không phải số nguyên"),
    ("paused_days", "ba", "không phải số nguyên"),
    ("satisfaction", "tốt", "good/fair/poor"),
    ("new_due_date", "2023-09-01", "trước ngày tiếp nhận"),
])
def test_a_bad_value_in_a_new_column_names_row_and_column(store, tmp_path, column, value, reason):
    keys = HEADER.split(",")
    values = ["B1", "Đăng ký khai sinh", "", "", "Trần Văn Hùng", "2023-10-02", "", "5", "direct", "1",
              "", "0", "0", "0", "0", "", "", "", "", "", "", ""]
    values[keys.index(column)] = value
    result = ops.import_file(store, write(tmp_path, [HEADER, ",".join(values)]))
    assert not result.written and store.case_count() == 0
    named = "resolved_date" if column == "status" else column
    assert [(p.row, p.column) for p in result.checked.problems] == [(2, named)]
    assert reason in result.checked.problems[0].reason
