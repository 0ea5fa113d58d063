import datetime as dt

import pytest
from openpyxl import Workbook

from core import ops
from core.files import casefile
from db.store import Store

HEADER = "code,procedure,field,applicant,officer,received_date,due_date,processing_days,channel,digitized," \
         "resolved_date,result_digitized,has_fee,paid_online,e_certified,status"
GOOD = [
    "PK-230905-0001,Chứng thực bản sao từ bản chính,Chứng thực,Nguyễn Văn A,Trần Văn Hùng,2023-09-05,,0,direct,1,"
    "2023-09-05,1,1,0,1,",
    "PK-230905-0002,Đăng ký khai sinh,Hộ tịch,Lê Thị B,Phạm Thị Lan,05/09/2023,08/09/2023,,online,0,,0,0,0,0,",
    "PK-230906-0001,Đăng ký nhận cha mẹ con mới,Hộ tịch,,Phạm Thị Lan,2023-09-06,,3,Bưu chính,1,2023-09-12,0,1,1,0,"
    "withdrawn",
]


def write(tmp_path, lines, name="cases.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return p


def test_a_valid_csv_imports_every_row_and_computes_due_dates(store, tmp_path):
    result = ops.import_file(store, write(tmp_path, [HEADER, *GOOD]))
    assert result.checked.problems == []
    assert result.imported == 3
    rows = {r["code"]: r for r in store.export_rows()}
    assert rows["PK-230905-0001"]["due_date"] == "2023-09-05"
    assert rows["PK-230905-0002"]["due_date"] == "2023-09-08"
    # 3 working days after Wednesday 6/9/2023: 7, 8, 11
    assert rows["PK-230906-0001"]["due_date"] == "2023-09-11"
    assert rows["PK-230906-0001"]["status"] == "withdrawn"
    assert rows["PK-230906-0001"]["channel"] == 3
    assert {o["name"] for o in store.officers()} == {"Trần Văn Hùng", "Phạm Thị Lan"}
    assert "Đăng ký nhận cha mẹ con mới" in {p["name"] for p in store.procedures()}


def test_vietnamese_headers_in_any_case_and_a_bom_are_accepted(store, tmp_path):
    vi = ("MÃ HỒ SƠ,Tên thủ tục,Lĩnh vực,Người nộp,Cán bộ tiếp nhận,Ngày tiếp nhận,Ngày hẹn trả,"
          "Thời hạn giải quyết,Hình thức nộp,Số hóa khi tiếp nhận,Ngày có kết quả,Số hoá kết quả,"
          "Có phí, lệ phí,Thanh toán trực tuyến,Chứng thực điện tử,Trạng thái")
    vi = vi.replace("Có phí, lệ phí", '"Có phí, lệ phí"')
    p = tmp_path / "vi.csv"
    p.write_bytes(b"\xef\xbb\xbf" + "\n".join([vi, *GOOD]).encode("utf-8"))
    result = ops.import_file(store, p)
    assert result.checked.problems == []
    assert result.imported == 3


BAD_ROWS = [
    ("received_date", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,31/02/2023,,0,direct,1,,,,,,", "không có thật"),
    ("received_date", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023/09/05,,0,direct,1,,,,,,", "YYYY-MM-DD"),
    ("resolved_date", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,1,2023-09-04,,,,,",
     "trước ngày tiếp nhận"),
    ("paid_online", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,1,,,0,1,,", "has_fee"),
    ("channel", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,fax,1,,,,,,", "'fax' không hợp lệ"),
    ("channel", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,,1,,,,,,", "bắt buộc"),
    ("digitized", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,maybe,,,,,,",
     "'maybe' không hợp lệ"),
    ("has_fee", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,1,,,phí?,,,", "không hợp lệ"),
    ("result_digitized", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,1,,1,,,,",
     "ngày có kết quả"),
    ("officer", "PK-1,Chứng thực bản sao từ bản chính,,,,2023-09-05,,0,direct,1,,,,,,", "bắt buộc"),
    ("processing_days", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,-2,direct,1,,,,,,", "≥ 0"),
    ("due_date", "PK-1,Thủ tục lạ,,,Hùng,2023-09-05,,,direct,1,,,,,,", "thời hạn"),
    ("due_date", "PK-1,Thủ tục lạ,,,Hùng,2023-09-05,2023-09-01,,direct,1,,,,,,", "trước ngày tiếp nhận"),
    ("status", "PK-1,Chứng thực bản sao từ bản chính,,,Hùng,2023-09-05,,0,direct,1,,,,,,lost", "withdrawn"),
]


@pytest.mark.parametrize("column,row,reason", BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(store, tmp_path, column, row, reason):
    result = ops.import_file(store, write(tmp_path, [HEADER, *GOOD, row]))
    assert result.imported == 0 and not result.written
    messages = [str(p) for p in result.checked.problems]
    assert any(m.startswith(f"row 5, column {column}: ") and reason in m for m in messages), messages
    assert store.case_count() == 0
    assert store.officers() == []


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(store, tmp_path):
    bad = BAD_ROWS[0][1]
    result = ops.import_file(store, write(tmp_path, [HEADER, GOOD[0], bad, GOOD[1]]), skip_invalid=True)
    assert result.imported == 2
    assert [p.row for p in result.checked.problems] == [3]
    assert store.case_count() == 2


def test_duplicate_codes_in_the_file_and_in_the_store(store, tmp_path):
    result = ops.import_file(store, write(tmp_path, [HEADER, GOOD[0], GOOD[0]]))
    assert [str(p) for p in result.checked.problems] == [
        "row 3, column code: mã 'PK-230905-0001' trùng với dòng 2"]
    assert ops.import_file(store, write(tmp_path, [HEADER, GOOD[0]])).imported == 1
    again = ops.import_file(store, write(tmp_path, [HEADER, GOOD[1], GOOD[0]]))
    assert [str(p) for p in again.checked.problems] == [
        "row 3, column code: mã 'PK-230905-0001' đã có trong cơ sở dữ liệu (chọn cập nhật hồ sơ đã có để cập nhật)"]
    assert store.case_count() == 1


@pytest.mark.parametrize("content,reason", [
    (b"", "trống"),
    (b"code,procedure\n\x00\x01\x02", "NUL"),
    (b"code,procedure\nA\x81,B\n", "không đọc được với mã hoá Windows-1252"),
])
def test_unreadable_files_are_refused_whole(store, tmp_path, content, reason):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(casefile.CaseFileError, match=reason):
        ops.import_file(store, p)
    assert store.case_count() == 0


def test_a_missing_required_column_is_named(store, tmp_path):
    header = HEADER.replace("officer,", "")
    with pytest.raises(casefile.CaseFileError) as exc:
        ops.import_file(store, write(tmp_path, [header]))
    assert [str(p) for p in exc.value.problems] == [
        "row 1, column officer: thiếu cột bắt buộc «Cán bộ tiếp nhận»: thêm cột vào tệp, ghép một cột của tệp "
        "với cột này, hoặc ghi một giá trị chung cho cả tệp"]


def test_xlsx_with_real_date_cells_imports(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Tên thủ tục", "Cán bộ tiếp nhận", "Ngày tiếp nhận", "Hình thức nộp",
               "Số hoá khi tiếp nhận", "Ngày có kết quả", "STT"])
    ws.append(["X-1", "Đăng ký khai sinh", "Phạm Thị Lan", dt.datetime(2023, 9, 5), "Trực tuyến", 1,
               dt.datetime(2023, 9, 5), 1])
    p = tmp_path / "cases.xlsx"
    wb.save(p)
    result = ops.import_file(store, p)
    assert result.checked.problems == [] and result.imported == 1
    assert result.checked.ignored_columns == ["STT"]
    row = next(store.export_rows())
    assert (row["received_date"], row["due_date"], row["channel"]) == ("2023-09-05", "2023-09-05", 2)


def test_a_broken_xlsx_is_a_clear_error(store, tmp_path):
    p = tmp_path / "bad.xlsx"
    p.write_bytes(b"not a zip")
    with pytest.raises(casefile.CaseFileError, match="Excel"):
        ops.import_file(store, p)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_into_an_empty_database_round_trips(tmp_path, suffix):
    from core.files import demo

    first = Store.open(tmp_path / "a.db")
    demo.generate(first, cases=400, seed=7, today=dt.date(2026, 11, 20))
    out = tmp_path / f"all{suffix}"
    assert casefile.export_file(first, out) == 400
    second = Store.open(tmp_path / "b.db")
    result = ops.import_file(second, out)
    assert result.checked.problems == [] and result.imported == 400
    assert list(first.export_rows()) == list(second.export_rows())
