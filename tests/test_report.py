import datetime as dt

import pytest
from openpyxl import load_workbook

from core.domain import periods
from core.queries import report
from core.documents import report as report_doc
from core.documents import slip
from tests.conftest import case
from tests.test_evaluation import text_of

D = dt.date
TODAY = D(2023, 10, 3)


@pytest.fixture
def known(store):
    """August and September 2023 at a commune: numbers small enough to check by hand."""
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ",
                        "chairman": "Tấn Văn Duẩn", "office_name": "Bộ phận Một cửa"})
    rows = []
    # August: 4 cases, 2 digitized, resolved on time, none online
    for i in range(4):
        rows.append(case(f"A{i}", received_date=D(2023, 8, 7), due_date=D(2023, 8, 8),
                         resolved_date=D(2023, 8, 8), digitized=int(i < 2), result_digitized=1))
    # September: 8 certification cases, 7 digitized, 4 online, 3 e-certified, 2 with a fee paid online of 5
    for i in range(8):
        rows.append(case(f"S{i}", received_date=D(2023, 9, 11), due_date=D(2023, 9, 11),
                         resolved_date=D(2023, 9, 11), digitized=int(i < 7), channel=2 if i < 4 else 1,
                         result_digitized=int(i < 6), e_certified=int(i < 3), has_fee=int(i < 5),
                         paid_online=int(i < 2)))
    # September, civil status: one resolved late, one still open and overdue at the month's end
    rows.append(case("H1", procedure="Đăng ký khai sinh", field="Hộ tịch", received_date=D(2023, 9, 12),
                     due_date=D(2023, 9, 14), resolved_date=D(2023, 9, 18), result_digitized=1))
    rows.append(case("H2", procedure="Đăng ký khai sinh", field="Hộ tịch", applicant="Lê Thị Cúc",
                     received_date=D(2023, 9, 20), due_date=D(2023, 9, 22), channel=3))
    store.insert_cases(rows)
    return store


def test_the_narrative_states_each_rate_as_the_letters_do(known):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    text = report.narrative(r)
    assert text.startswith("Tính đến ngày 30/9/2023, Bộ phận Một cửa đã tiếp nhận 14 hồ sơ "
                           "(tháng 9 là 10 hồ sơ), giải quyết 13 hồ sơ;")
    # year to date 11/14 digitized (2 of August + 7 + 2 civil status), September 9/10
    assert ("tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC khi tiếp nhận là 11/14 hồ sơ, đạt 78,57% "
            "(tháng 9 là 9/10 hồ sơ, đạt 90%; tăng 40% so với tháng 8/2023)") in text
    assert "tỷ lệ thanh toán trực tuyến là 2/5 hồ sơ, đạt 40% (tháng 9 là 2/5 hồ sơ, đạt 40%)" in text
    assert "tỷ lệ hồ sơ giải quyết đúng hạn là 12/13 hồ sơ, đạt 92,31%" in text
    assert "giảm 11,11% so với tháng 8/2023" in text  # on time: 8/9 = 88,89% against 100%
    assert "Thực hiện 03 bản chứng thực điện tử bản sao từ bản chính (tháng 9 là 03 bản)." in text
    assert "Các chỉ tiêu chưa đạt: tỷ lệ hồ sơ tiếp nhận trực tuyến (28,57%, chỉ tiêu 100%)" in text
    assert "Trong tháng 9/2023 còn để xảy ra hồ sơ giải quyết quá hạn: lĩnh vực Hộ tịch (01 hồ sơ)" in text
    assert "Đến hết ngày 30/9/2023 còn 01 hồ sơ quá hạn chưa giải quyết: lĩnh vực Hộ tịch (01 hồ sơ)." in text


def test_a_year_report_has_no_separate_cumulative_part(known):
    text = report.narrative(report.build(known, periods.parse("2023"), today=D(2024, 1, 8)))
    assert text.startswith("Trong năm 2023, Bộ phận Một cửa đã tiếp nhận 14 hồ sơ, giải quyết 13 hồ sơ;")
    assert "(năm 2023 là" not in text
    # a year not over is reported up to today, never up to 31/12
    text = report.narrative(report.build(known, periods.parse("2023"), today=TODAY))
    assert text.startswith("Tính đến ngày 3/10/2023, Bộ phận Một cửa đã tiếp nhận 14 hồ sơ, giải quyết 13 hồ sơ;")
    assert "31/12/2023" not in text


def test_the_field_table_adds_up(known):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    rows = {row.name: row.values for row in r.fields}
    assert rows["Hộ tịch"] == {"total": 2, "carried_over": 0, "direct": 1, "online": 0, "postal": 1,
                               "resolved": 1, "resolved_early": 0, "resolved_on_due": 0, "resolved_late": 1,
                               "open": 1, "open_within": 0, "open_overdue": 1, "withdrawn": 0, "refused": 0,
                               "stopped": 0}
    assert rows["Chứng thực"]["online"] == 4 and rows["Chứng thực"]["resolved_on_due"] == 8
    for key in report.FIELD_COLUMNS:
        assert r.total.values[key] == sum(v[key] for v in rows.values())


def test_the_pdf_text_carries_the_same_figures(known):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    pages = text_of(report_doc.render_pdf(r, TODAY))
    text = " ".join(pages)
    for expected in ("ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "Phượng Kỳ, ngày 03 tháng 10 năm 2023", "Số: /BC-UBND",
                     "BÁO CÁO Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính tháng 9/2023",
                     "(Từ ngày 01/09/2023 đến ngày 30/09/2023)", "9/10", "90,00%",
                     "4/10", "40,00%", "tăng 40%", "3 bản", "H2", "Lê Thị Cúc", "H1",
                     "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Tấn Văn Duẩn"):
        assert expected in text, expected
    assert "11/14 hồ sơ, đạt 78,57%" in text


def test_the_xlsx_cells_are_the_indicators(known, tmp_path):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    out = tmp_path / "bao-cao.xlsx"
    report_doc.to_xlsx(r, out)
    wb = load_workbook(out)
    fields = list(wb["Theo lĩnh vực"].iter_rows(values_only=True))
    assert fields[1][0] == "Lĩnh vực" and fields[-1][0] == "Tổng cộng"
    assert fields[-1][1:] == tuple(r.total.values[k] for k in report.FIELD_COLUMNS)
    rows = {row[0]: row for row in wb["Chỉ số"].iter_rows(values_only=True)}
    assert rows["Tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận"][1:7] == (9, 10, 90.0, 100.0, 50.0, 40.0)
    assert [row[0] for row in wb["Quá hạn chưa giải quyết"].iter_rows(values_only=True)][1:] == ["H2"]
    assert wb["Nội dung"]["A1"].value == report.narrative(r)


def test_the_receipt_slip(known):
    c = known.cases.get(known.db.execute("SELECT id FROM cases WHERE code = 'H2'").fetchone()[0])
    c["received_time"] = "14:05"
    page = text_of(slip.render(c, known.settings(), ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]))[0]
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: H2",
                      "Bộ phận Một cửa – Ủy ban nhân dân xã Phượng Kỳ đã tiếp nhận hồ sơ của:",
                      "Ông/Bà: Lê Thị Cúc", "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
                      "1. Tờ khai đăng ký khai sinh", "2. Giấy chứng sinh",
                      "Thời gian nhận hồ sơ: 14 giờ 05 phút, ngày 20 tháng 9 năm 2023",
                      "Thời gian trả kết quả giải quyết hồ sơ: ngày 22 tháng 9 năm 2023",
                      "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Hùng", "qua bưu chính"):
        assert expected in page, expected


def test_the_report_command(known, db_path, tmp_path):
    from tests.test_cli import cli

    known.close()
    r = cli("report", "--period", "2023-09", "--text", db=db_path)
    assert r.returncode == 0 and r.stdout.startswith("Tính đến ngày 30/9/2023")
    out = tmp_path / "r.pdf"
    r = cli("report", "--period", "2023-Q3", "--out", str(out), db=db_path)
    assert r.returncode == 0 and "quý III/2023" in " ".join(text_of(out.read_bytes()))
    assert cli("report", "--period", "2023-09", db=db_path).returncode == 2
    assert cli("report", "--period", "2023-13", "--text", db=db_path).returncode == 1
