"""The XLSX export written as a stream (issue 30): cell for cell what XlsxWriter wrote, and it imports back."""
import datetime as dt

import openpyxl
import pytest

from core.files import casefile, xlsx_stream
from tests.conftest import case

D = dt.date
ODD = ["=HYPERLINK(\"http://x\") & <b>", " leading and trailing ", "_x0041_ looks like an escape",
       "a\x01control", "Nguyễn Văn An", "+84 912", "-", "@home", "tab\tinside"]


def cells(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    return ws.title, [[(c.value, c.data_type, c.number_format if c.value is not None else None) for c in row]
                      for row in ws.iter_rows()]


def with_xlsxwriter(path, rows, sheet):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False,
                                         "default_date_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet(sheet)
    for n, values in enumerate(rows):
        ws.write_row(n, 0, values)
    wb.close()


def test_the_stream_writes_what_xlsxwriter_wrote(tmp_path):
    rows = [["Mã", "Tên", "Ngày", "Số", "Tỷ lệ", "Trống"]]
    for i, text in enumerate(ODD):
        rows.append([f"C-{i}", text, D(2025, 1 + i, 28), i, i / 3, "" if i % 2 else None])
    rows.append(["only one"])
    xlsx_stream.write(tmp_path / "stream.xlsx", "Hồ sơ", rows, 6)
    with_xlsxwriter(tmp_path / "writer.xlsx", rows, "Hồ sơ")
    assert cells(tmp_path / "stream.xlsx") == cells(tmp_path / "writer.xlsx")


def test_a_row_longer_than_the_header_keeps_every_cell(tmp_path):
    xlsx_stream.write(tmp_path / "long.xlsx", "S", [["a"], ["a", "b", "c"]], 1)
    assert [v for v, _, _ in cells(tmp_path / "long.xlsx")[1][1]] == ["a", "b", "c"]


@pytest.mark.parametrize("vietnamese", [False, True])
def test_the_case_export_is_cell_for_cell_the_old_one_and_imports_back(store, tmp_path, vietnamese):
    store.insert_cases([case(f"X-{i}", applicant=text, received_date=D(2025, 3, 3), due_date=D(2025, 3, 10),
                             resolved_date=D(2025, 3, 5) if i % 2 else None) for i, text in enumerate(ODD)])
    out = tmp_path / "cases.xlsx"
    n = casefile.export_file(store, out, vietnamese=vietnamese)
    assert n == len(ODD)
    rows = list(store.export_rows())
    header = [c.header_vi for c in casefile.COLUMNS] if vietnamese else list(casefile.KEYS)
    old = [header] + [casefile._export_values_vi(r, False, True) if vietnamese
                      else casefile._export_values(r, False, casefile._same) for r in rows]
    with_xlsxwriter(tmp_path / "old.xlsx", old, "Hồ sơ")
    assert cells(out) == cells(tmp_path / "old.xlsx")
    from db.store import Store

    other = Store.open(tmp_path / "other.db")  # the file reads back into another office's database
    checked = casefile.check_file(other, out)
    assert not checked.problems
    assert sorted(c["applicant"] for c in checked.cases) == sorted(r["applicant"] for r in rows)
    other.close()
