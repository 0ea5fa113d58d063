"""The roll-up of units (interfaces.md section 6) on hand-built units whose figures are worked out below.

April 2023, previous month March 2023; each unit's cases (received = resolved day unless said):

unit                      source   March: digitized  result   April: digitized  result   e-cert     data ends
A UBND xã Tái Sơn         db       7/10              10/10    8/10 (25/4)       10/10    none       25/4
B UBND xã Hà Thanh        csv      4/4               4/4      3/5 (26/4)        5/5      1 in March 26/4
C UBND phường An Lạc      db       5/5               5/5      5/5 (27/4)        4/4 (+1 open, due 10/5) 2 in April  27/4
D UBND xã Đại Sơn         db       10/10             10/10    10/10 (3/4)       8/9      none       26/4
                                    April: 6 on time, 3 Hộ tịch due 5/4 resolved 26/4 (one without result),
                                    1 Đất đai due 10/4 still open -> 04 overdue cases
F UBND xã Ngọc Kỳ         db       2/2               2/2      1/2 (20/4)        2/2      none       20/4 (< 25th)
E UBND xã Văn Tố          missing

Pooled digitized on receipt, April: (8+3+5+10+1)/(10+5+5+10+2) = 27/32 = 84,375 -> 84.38
                             March: (7+4+5+10+2)/(10+4+5+10+2) = 28/31 = 90,3225… -> 90.32; change -5.94
Pooled result digitized, April: (10+5+4+8+2)/(10+5+4+9+2) = 29/30 = 96,666… -> 96.67
                         March: 31/31 = 100; change -3.33
"""
import datetime as dt
import json

import pytest

from core import ops
from core.domain import indicators
from core.domain import periods
from core.queries import rollup
from core.documents import rollup_letter
from db.store import Store
from tests.conftest import case

D = dt.date
APRIL = periods.parse("2023-04")
TODAY = D(2023, 5, 10)


def _cases(prefix, day, n, digitized, result, resolved=True, **kw):
    """``n`` cases received (and resolved) on ``day``; the first ``digitized``/``result`` ones carry the flag."""
    return [case(f"{prefix}-{day:%m%d}-{i}", received_date=day, due_date=day,
                 resolved_date=day if resolved else None, digitized=int(i < digitized),
                 result_digitized=int(resolved and i < result), **kw) for i in range(n)]


def _db_unit(path, committee, cases):
    s = Store.open(path)
    s.set_settings({"committee": committee})
    s.insert_cases(cases)
    s.close()
    return path


def _csv_unit(path, rows):
    header = "code,procedure,field,officer,received_date,processing_days,channel,digitized,resolved_date," \
             "result_digitized,e_certified\n"
    lines = [f"{c},Chứng thực bản sao từ bản chính,Chứng thực,Lê Văn Bình,{r},0,direct,{d},{r},1,{e}"
             for c, r, d, e in rows]
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def units(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    _db_unit(folder / "a.db", "ỦY BAN NHÂN DÂN XÃ TÁI SƠN",
             _cases("A", D(2023, 3, 10), 10, 7, 10) + _cases("A", D(2023, 4, 25), 10, 8, 10))
    # B: March 4 cases all digitized, one e-certified; April 5 cases, 3 digitized
    _csv_unit(folder / "UBND xã Hà Thanh.csv",
              [(f"B-3-{i}", "2023-03-10", 1, int(i == 0)) for i in range(4)]
              + [(f"B-4-{i}", "26/04/2023", int(i < 3), 0) for i in range(5)])
    _db_unit(folder / "c.db", "ỦY BAN NHÂN DÂN PHƯỜNG AN LẠC",
             _cases("C", D(2023, 3, 10), 5, 5, 5)
             + _cases("C", D(2023, 4, 27), 4, 4, 4, e_certified=1)[:2] + _cases("C", D(2023, 4, 27), 4, 4, 4)[2:]
             + [case("C-open", received_date=D(2023, 4, 27), due_date=D(2023, 5, 10), digitized=1)])
    late = [case(f"D-late-{i}", field="Hộ tịch", procedure="Đăng ký khai sinh", received_date=D(2023, 4, 3),
                 due_date=D(2023, 4, 5), resolved_date=D(2023, 4, 26), digitized=1, result_digitized=int(i < 2))
            for i in range(3)]
    still_open = [case("D-open", field="Đất đai", procedure="Đăng ký đất đai lần đầu", received_date=D(2023, 4, 3),
                       due_date=D(2023, 4, 10), digitized=1)]
    _db_unit(folder / "d.db", "ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN",
             _cases("D", D(2023, 3, 10), 10, 10, 10) + _cases("D", D(2023, 4, 3), 6, 6, 6) + late + still_open)
    _db_unit(folder / "f.db", "ỦY BAN NHÂN DÂN XÃ NGỌC KỲ",
             _cases("F", D(2023, 3, 10), 2, 2, 2) + _cases("F", D(2023, 4, 20), 2, 1, 2))
    return [folder, tmp_path / "UBND xã Văn Tố.db"]


@pytest.fixture
def result(units):
    return rollup.rollup(units, APRIL, today=TODAY)


def by_unit(result):
    return {r.unit: r for r in result.units}


def test_units_are_named_from_their_office_or_file(result):
    assert set(by_unit(result)) == {"UBND xã Tái Sơn", "UBND xã Hà Thanh", "UBND phường An Lạc",
                                    "UBND xã Đại Sơn", "UBND xã Ngọc Kỳ"}


def test_pooled_average_and_its_change(result):
    dig = result.average.digitized_on_receipt
    assert (dig.numerator, dig.denominator, dig.rate, dig.change) == (27, 32, 84.38, -5.94)
    res = result.average.result_digitized
    assert (res.numerator, res.denominator, res.rate, res.change) == (29, 30, 96.67, -3.33)
    # from 1 January: March and April together, 55/63 = 87,30…; up to March 28/31 = 90.32 -> change -3.02
    year = result.average_year.digitized_on_receipt
    assert (year.numerator, year.denominator, year.rate, year.change) == (55, 63, 87.3, -3.02)


def test_gap_and_change_of_each_unit(result):
    u = by_unit(result)
    got = {name: (r.indicators.digitized_on_receipt.rate, r.indicators.digitized_on_receipt.change,
                  r.indicators.digitized_on_receipt.gap) for name, r in u.items()}
    assert got == {
        "UBND xã Tái Sơn": (80.0, 10.0, -4.38),      # 8/10, March 7/10; 80 - 84.38
        "UBND xã Hà Thanh": (60.0, -40.0, -24.38),   # 3/5, March 4/4
        "UBND phường An Lạc": (100.0, 0.0, 15.62),
        "UBND xã Đại Sơn": (100.0, 0.0, 15.62),
        "UBND xã Ngọc Kỳ": (50.0, -50.0, -34.38),    # 1/2, March 2/2
    }
    d = u["UBND xã Đại Sơn"].indicators.result_digitized
    # 8/9 = 88,888… -> 88.89; March 100; gap 88.89 - 96.67
    assert (d.numerator, d.denominator, d.rate, d.change, d.gap) == (8, 9, 88.89, -11.11, -7.78)


def test_ranking_follows_digitization_on_receipt_then_results(result):
    # An Lạc and Đại Sơn both 100% on receipt; An Lạc 100% results before Đại Sơn 88.89%
    assert [r.unit for r in result.units] == ["UBND phường An Lạc", "UBND xã Đại Sơn", "UBND xã Tái Sơn",
                                                    "UBND xã Hà Thanh", "UBND xã Ngọc Kỳ"]
    assert [r.rank for r in result.units] == [1, 2, 3, 4, 5]


def test_below_average_rising_and_falling(result):
    rising, falling = rollup.below_average(result, "digitized_on_receipt")
    assert [r.unit for r in rising] == ["UBND xã Tái Sơn"]
    assert [r.unit for r in falling] == ["UBND xã Ngọc Kỳ", "UBND xã Hà Thanh"]  # 50% before 60%
    rising, falling = rollup.below_average(result, "result_digitized")
    assert rising == [] and [r.unit for r in falling] == ["UBND xã Đại Sơn"]


def test_praise_at_100_percent_for_both_digitization_rates(result):
    assert [r.unit for r in rollup.praised(result)] == ["UBND phường An Lạc"]


def test_no_e_certification_since_january_and_in_the_month(result):
    u = by_unit(result)
    assert (u["UBND phường An Lạc"].e_certified_month, u["UBND phường An Lạc"].e_certified_year) == (2, 2)
    assert (u["UBND xã Hà Thanh"].e_certified_month, u["UBND xã Hà Thanh"].e_certified_year) == (0, 1)
    year, month = rollup.without_e_certification(result)
    # Vietnamese order (issue 27): Đại before Ngọc (code points put Đ after every Latin letter)
    assert [r.unit for r in year] == ["UBND xã Đại Sơn", "UBND xã Ngọc Kỳ", "UBND xã Tái Sơn"]
    assert [r.unit for r in month] == ["UBND xã Hà Thanh"]


def test_overdue_by_unit_and_field(result):
    # Đại Sơn: 3 Hộ tịch resolved after their due date in April, 1 Đất đai open past due at 30/4
    assert by_unit(result)["UBND xã Đại Sơn"].as_json()["overdue"] == [{"field": "Hộ tịch", "count": 3},
                                                             {"field": "Đất đai", "count": 1}]
    assert [r.unit for r in rollup.overdue_units(result)] == ["UBND xã Đại Sơn"]
    # An Lạc's open case is due 10/5, after the month: not overdue
    assert by_unit(result)["UBND phường An Lạc"].as_json()["overdue"] == []


def test_a_missing_unit_is_not_reported_and_one_whose_data_end_before_the_25th_is(result):
    # issue 27: reported is what the unit sent, not guessed from its last case's date: Ngọc Kỳ sent
    # its file (last case 20/4) and is pooled (27/32 above counts its 1/2), so it has reported
    missing = {m.unit: m.reason for m in result.not_reported}
    assert missing == {"UBND xã Văn Tố": "không có tệp số liệu"}
    assert by_unit(result)["UBND xã Ngọc Kỳ"].reported is True
    assert by_unit(result)["UBND xã Tái Sơn"].reported is True


def test_a_unit_that_sent_no_case_is_not_reported_nor_pooled_nor_praised(units, tmp_path):
    # an empty database sent by Hà Kỳ: listed once, as not reported, and nowhere else; the pooled
    # average stays 27/32 = 84,38% (worked out at the top)
    _db_unit(units[0] / "h.db", "ỦY BAN NHÂN DÂN XÃ HÀ KỲ", [])
    result = rollup.rollup(units, APRIL, today=TODAY)
    assert {m.unit: m.reason for m in result.not_reported}["UBND xã Hà Kỳ"] == "tệp gửi về không có hồ sơ nào"
    assert "UBND xã Hà Kỳ" not in by_unit(result)
    dig = result.average.digitized_on_receipt
    assert (dig.numerator, dig.denominator, dig.rate) == (27, 32, 84.38)
    text = rollup_letter.as_text(rollup_letter.draft(result, today=TODAY))
    assert text.count("UBND xã Hà Kỳ") == 1


def reminders(office, result) -> dict[str, int]:
    """The reminders a roll-up's record keeps, by unit (as each ranked unit carries them)."""
    ops.record_rollup(office, result)
    return {r.unit: r.reminder for r in result.units if r.reminder is not None}


def test_reminder_numbers_over_two_months_and_idempotent(units, tmp_path):
    office = Store.open(tmp_path / "office.db")
    april = rollup.rollup(units, APRIL, today=TODAY)
    assert reminders(office, april) == {"UBND xã Đại Sơn": 1}
    again = rollup.rollup(units, APRIL, today=TODAY)  # the same month twice: the same number
    assert reminders(office, again) == {"UBND xã Đại Sơn": 1}
    # May: Đại Sơn's Đất đai case is still open past its due date -> overdue again, second reminder
    may = rollup.rollup(units, periods.parse("2023-05"), today=D(2023, 6, 5),
                        known=rollup.known_units(office, periods.parse("2023-05")))
    assert by_unit(may)["UBND xã Đại Sơn"].as_json()["overdue"] == [{"field": "Đất đai", "count": 1}]
    # and An Lạc's open case, due 10/5, is past due at 31/5: its first reminder
    assert reminders(office, may) == {"UBND xã Đại Sơn": 2, "UBND phường An Lạc": 1}
    assert [(r["month"], r["number"]) for r in office.rollup.reminders("UBND xã Đại Sơn")] == [("2023-04", 1), ("2023-05", 2)]
    text = rollup_letter.as_text(rollup_letter.draft(may, office.settings(), today=D(2023, 6, 5)))
    assert ". Nhắc nhở lần thứ hai đối với UBND xã Đại Sơn" in text
    assert ". Nhắc nhở lần thứ nhất đối với UBND phường An Lạc" in text
    # each change is in the audit log
    assert office.db.execute("SELECT count(*) FROM audit_log WHERE entity = 'rollup_reminder'").fetchone()[0] == 3
    office.close()


def test_a_unit_ranked_last_month_and_absent_now_is_not_reported(units, tmp_path):
    office = Store.open(tmp_path / "office.db")
    ops.record_rollup(office, rollup.rollup(units, APRIL, today=TODAY))
    only_a = [units[0] / "a.db"]
    may = periods.parse("2023-05")
    result = rollup.rollup(only_a, may, today=D(2023, 6, 5), known=rollup.known_units(office, may))
    absent = {m.unit for m in result.not_reported if m.reason == "không gửi tệp số liệu"}
    assert absent == {"UBND xã Hà Thanh", "UBND phường An Lạc", "UBND xã Đại Sơn", "UBND xã Ngọc Kỳ"}
    office.close()


def test_a_unit_database_is_read_without_migrating_or_writing(units):
    path = units[0] / "a.db"
    before = path.read_bytes()
    s = Store.open(path)
    s.db.execute("PRAGMA user_version = 3")  # as an older program left it
    s.close()
    older = path.read_bytes()
    assert older != before
    files = sorted(p.name for p in path.parent.iterdir())
    rollup.rollup([path], APRIL, today=TODAY)
    assert path.read_bytes() == older
    assert sorted(p.name for p in path.parent.iterdir()) == files  # no journal, no shared-memory file


def test_the_letter_is_worded_as_letter_001(result, tmp_path):
    office = Store.open(tmp_path / "office.db")
    office.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ",
                         "chairman": "Vũ Thị Hà"})
    ops.record_rollup(office, result)
    text = rollup_letter.as_text(rollup_letter.draft(result, office.settings(), today=D(2023, 5, 10)))
    office.close()
    assert ("Kết quả tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận đạt 84,38%, giảm 5,94% so với tháng 3/2023; "
            "tỷ lệ số hoá kết quả giải quyết TTHC đạt 96,67%, giảm 3,33% so với tháng 3/2023.") in text
    assert "(*UBND xã Đại Sơn: 04 hồ sơ*)" in text
    # issue 27: worded as seed 001 words it: "Chủ tịch UBND huyện" (here "xã"), "địa phương" for communes,
    # "mức bình quân chung của huyện" (here "của xã"), units grouped by level in Vietnamese order
    assert "Chủ tịch UBND xã biểu dương 01 địa phương" in text
    assert "UBND phường An Lạc (*tiếp nhận 5/5 hồ sơ, số hoá 4/4 hồ sơ*)" in text
    assert ("+ UBND xã Tái Sơn (*80%*), tăng 10% so với cùng kỳ tháng 3/2023, nhưng vẫn thấp hơn 4,38% "
            "mức bình quân chung của xã.") in text
    assert ("+ UBND xã Hà Thanh (*60%*), giảm 40% so với cùng kỳ tháng 3/2023 và thấp hơn 24,38% "
            "mức bình quân chung của xã.") in text
    assert ("Kể từ đầu năm đến hết ngày 30/4/2023, có 03 địa phương chưa thực hiện chứng thực bản sao điện tử "
            "từ bản chính, gồm UBND các xã: Đại Sơn, Ngọc Kỳ và Tái Sơn.") in text
    assert "Trong tháng 4/2023, có UBND xã Hà Thanh không thực hiện chứng thực bản sao điện tử từ bản chính." in text
    assert "3. Nhắc nhở lần thứ nhất đối với UBND xã Đại Sơn" in text
    assert ("Lý do: Trong tháng 4/2023, xã đã để phát sinh 04 hồ sơ quá hạn thuộc các lĩnh vực: "
            "Hộ tịch (03 hồ sơ), Đất đai (01 hồ sơ)") in text
    assert "UBND xã Văn Tố (*không có tệp số liệu*)" in text


def test_json_on_the_command_line_has_the_section_6_shape(units, tmp_path):
    from tests.test_cli import cli

    r = cli("rollup", "--period", "2023-04", *map(str, units), "--json",
            "--averages", str(tmp_path / "bq.json"), db=tmp_path / "office.db")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["period"] == {"from": "2023-04-01", "to": "2023-04-30"}
    assert set(data["average"]["digitized_on_receipt"]) == {"numerator", "denominator", "rate", "change", "unknown"}
    unit = data["units"][0]
    assert {"unit", "indicators", "e_certified_month", "e_certified_year", "overdue"} <= set(unit)
    assert set(unit["indicators"]["on_time"]) == {"numerator", "denominator", "rate", "change", "gap", "unknown"}
    assert set(unit["indicators"]) == set(indicators.RANKED_KEYS)
    assert data["average"]["digitized_on_receipt"]["rate"] == 84.38
    month, averages = rollup.read_averages((tmp_path / "bq.json").read_bytes())
    assert month == "2023-04" and averages["digitized_on_receipt"] == 84.38


def test_bad_input_on_the_command_line(units, tmp_path):
    from tests.test_cli import cli

    r = cli("rollup", "--period", "2023-Q2", str(units[0]), db=tmp_path / "office.db")
    assert r.returncode == 1 and "YYYY-MM" in r.stderr
    r = cli("rollup", "--period", "2023-04", str(tmp_path / "nothing-here"), db=tmp_path / "office.db")
    assert r.returncode == 1 and "không có tệp số liệu" in r.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    r = cli("rollup", "--period", "2023-04", str(units[0]), str(tmp_path / "junk.db"), db=tmp_path / "office.db")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_a_case_file_with_bad_rows_counts_its_valid_rows(tmp_path):
    path = _csv_unit(tmp_path / "UBND xã Hà Kỳ.csv", [("K-1", "2023-04-26", 1, 0), ("K-2", "31/02/2023", 1, 0)])
    result = rollup.rollup([path], APRIL, today=TODAY)
    assert result.units[0].indicators.digitized_on_receipt.denominator == 1
    assert result.problems["UBND xã Hà Kỳ"][0].startswith("row 3, column received_date")


def test_averages_file_round_trip_into_a_unit(result, store):
    done = ops.import_averages(store, rollup.averages_file(result))
    assert done.text == "Nhập mức bình quân chung tháng 4/2023"
    assert store.district_average("digitized_on_receipt", "2023-04") == 84.38
    assert store.district_average("result_digitized", "2023-04") == 96.67


@pytest.mark.parametrize("data", [b"", b"{}", b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-13"}',
                                  b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-04", "averages": {"x": 1}}',
                                  b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-04", '
                                  b'"averages": {"online": 101}}', b"\xff\xfe"])
def test_a_bad_averages_file_is_refused_and_changes_nothing(store, data):
    with pytest.raises(ops.OpRefused):
        ops.import_averages(store, data)
    assert store.db.execute("SELECT count(*) FROM district_averages").fetchone()[0] == 0


def test_xlsx_holds_the_ranking_and_guards_formulas(result):
    import openpyxl
    import io

    from core.cli import rollup as rollup_cmd

    result.units[0].unit = "=HYPERLINK(\"http://x\")"
    wb = openpyxl.load_workbook(io.BytesIO(rollup_cmd.xlsx(result)))
    ws = wb["Xếp hạng tháng"]
    assert ws.cell(2, 2).value == "Bình quân chung"
    assert ws.cell(2, 5).value == 84.38
    assert ws.cell(3, 2).value == "'=HYPERLINK(\"http://x\")"  # text, never a formula
    assert ws.cell(3, 2).data_type == "s"
    assert [ws.cell(i, 1).value for i in range(3, 8)] == [1, 2, 3, 4, 5]
    lists = [c.value for c in wb["Danh sách"]["A"] if c.value]
    assert "UBND xã Đại Sơn" in lists and any(str(v).startswith("Chưa báo cáo") for v in lists)


def test_unit_names_from_committee():
    assert rollup.unit_name({"committee": "ỦY BAN NHÂN DÂN XÃ TÁI SƠN"}, "x") == "UBND xã Tái Sơn"
    assert rollup.unit_name({"committee": "ỦY BAN NHÂN DÂN THỊ TRẤN TỨ KỲ"}, "x") == "UBND thị trấn Tứ Kỳ"
    assert rollup.unit_name({"committee": "ỦY BAN NHÂN DÂN XÃ"}, "tệp") == "tệp"
    assert rollup.unit_name({"unit_name": "Phòng Văn hoá & Thông tin"}, "x") == "Phòng Văn hoá & Thông tin"
    assert rollup.unit_name({}, "Điểm tiếp nhận số 2") == "Điểm tiếp nhận số 2"


def test_the_letter_read_back_from_docx_and_pdf(result, tmp_path):
    import io

    import docx
    import pypdf

    office = Store.open(tmp_path / "office.db")
    office.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ", "chairman": "Vũ Thị Hà"})
    ops.record_rollup(office, result)
    letter = rollup_letter.draft(result, office.settings(), today=D(2023, 5, 10))
    office.close()
    expected = [rollup_letter.paragraph_text(p, marks=False) for p in letter.paragraphs]

    d = docx.Document(io.BytesIO(rollup_letter.docx(letter)))
    paragraphs = [p.text for p in d.paragraphs]
    for text in expected:
        assert text in paragraphs
    italic = [r.text for p in d.paragraphs for r in p.runs if r.italic]
    assert "tiếp nhận 5/5 hồ sơ, số hoá 4/4 hồ sơ" in italic and "80%" in italic
    cells = " ".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "V/v biểu dương, nhắc nhở" in cells and "Vũ Thị Hà" in cells

    pdf = pypdf.PdfReader(io.BytesIO(rollup_letter.pdf(letter)))
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for text in ("Nhắc nhở lần thứ nhất đối với UBND xã Đại Sơn", "UBND phường An Lạc (tiếp nhận 5/5 hồ sơ, số hoá",
                 "giảm 5,94% so với tháng 3/2023", "CHỦ TỊCH", "Vũ Thị Hà"):
        assert text in words


def test_an_edited_letter_keeps_its_italics_and_items():
    paragraphs = rollup_letter.from_text("1. Biểu dương\n\nUBND xã A (*4/4 hồ sơ*) được biểu dương.\n\n"
                                         "+ UBND xã B (*82,8%*), tăng\n4,11%.")
    assert [p.style for p in paragraphs] == ["heading", "body", "subitem"]
    assert [(r.text, r.italic) for r in paragraphs[1].runs] == [("UBND xã A (", False), ("4/4 hồ sơ", True),
                                                                (") được biểu dương.", False)]
    assert paragraphs[2].text == "UBND xã B (82,8%), tăng 4,11%."


def test_units_chart_draws_every_unit_the_average_and_the_target(result):
    from core.documents.charts import units_chart

    fig = units_chart(result, "digitized_on_receipt", 100.0)
    ax = fig.axes[0]
    lengths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert lengths == [50.0, 60.0, 80.0, 100.0, 100.0]
    lines = {round(line.get_xdata()[0], 2) for line in ax.lines}
    assert lines == {84.38, 100.0}
    # issue 29: the scale starts at 0% and the units' names read horizontally, every one of them
    assert ax.get_xlim()[0] == 0
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert len(names) == 5 and all(n.startswith("UBND") for n in names)
    assert all(t.get_rotation() == 0 for t in ax.get_yticklabels())


def test_rollup_command_imports_no_qt_widgets_nor_matplotlib(units, tmp_path):
    import subprocess
    import sys

    from tests.test_cli import ROOT

    args = ["--db", str(tmp_path / "office.db"), "rollup", "--period", "2023-04", str(units[0]),
            "--text", "--out", str(tmp_path / "cv.pdf")]
    code = (f"import sys, main\nmain.main({args!r})\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6.QtWidgets', 'PySide6.QtGui', 'matplotlib'))]\n"
            "print('BAD', bad)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "BAD []" in r.stdout, r.stdout + r.stderr
    assert "Nhắc nhở lần thứ nhất đối với UBND xã Đại Sơn" in r.stdout


def test_an_officer_ranks_without_keeping_reminders(units, tmp_path):
    office = Store.open(tmp_path / "office.db")
    office.sign_in_as({"username": "lan", "role": "officer", "full_name": "Phạm Thị Lan"})
    result = rollup.rollup(units, APRIL, today=TODAY)
    assert ops.record_rollup_quietly(office, result) is None
    assert office.rollup.reminders() == []
    text = rollup_letter.as_text(rollup_letter.draft(result, {}, today=TODAY))
    assert "3. Nhắc nhở đối với UBND xã Đại Sơn" in text  # no number: nothing was kept
    office.close()


def test_a_unit_open_in_its_own_program_is_read_with_its_log(tmp_path):
    # the unit's program holds the file open: 3 cases committed into the write-ahead log, none checkpointed;
    # April: 2 of the 3 digitized -> 2/3
    live = Store.open(tmp_path / "live.db")
    live.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ AN THANH"})
    live.db.execute("PRAGMA wal_autocheckpoint = 0")
    live.insert_cases(_cases("L", D(2023, 4, 26), 3, 2, 3))
    assert (tmp_path / "live.db-wal").stat().st_size > 0
    result = rollup.rollup([tmp_path / "live.db"], APRIL, today=TODAY)
    item = result.units[0].indicators.digitized_on_receipt
    assert (result.units[0].unit, item.numerator, item.denominator) == ("UBND xã An Thanh", 2, 3)
    live.close()


def test_a_unit_exported_to_xlsx_ranks_as_its_database(units, tmp_path):
    from core.files import casefile

    db = units[0] / "a.db"
    s = Store.open(db)
    casefile.export_file(s, tmp_path / "UBND xã Tái Sơn.xlsx")
    s.close()
    from_db = rollup.rollup([db], APRIL, today=TODAY).units[0]
    from_xlsx = rollup.rollup([tmp_path / "UBND xã Tái Sơn.xlsx"], APRIL, today=TODAY).units[0]
    assert from_xlsx.unit == from_db.unit == "UBND xã Tái Sơn"
    assert from_xlsx.indicators == from_db.indicators
    assert from_xlsx.indicators_year == from_db.indicators_year


def test_praise_with_one_fraction_when_both_rates_share_it():
    # Phòng Văn hoá: 4 received all digitized, 4 resolved all with a digitized result -> "(*4/4 hồ sơ*)"
    counts = {"received": 4, "digitized": 4, "resolved": 4, "result_digitized": 4, "resolved_on_due": 4}
    unit = rollup.UnitData("Phòng Văn hoá & Thông tin", "x.db", months={"2023-04": counts},
                           data_end=D(2023, 4, 28))
    result = rollup.compute([unit], APRIL)
    text = rollup_letter.as_text(rollup_letter.draft(result, {}, today=TODAY))
    assert "biểu dương 01 cơ quan có" in text  # a district department: "cơ quan" (issue 27)
    assert "gồm: Phòng Văn hoá & Thông tin (*4/4 hồ sơ*)." in text
    # no previous month: the pooled rate is stated without a change
    assert "khi tiếp nhận đạt 100%; tỷ lệ số hoá kết quả giải quyết TTHC đạt 100%." in text


def test_an_office_file_we_may_not_write_still_gets_its_letter(units, tmp_path):
    import sqlite3

    from db.migrations import SCHEMA_VERSION
    from tests.test_cli import cli

    office = tmp_path / "office.db"
    Store.open(office).close()
    con = sqlite3.connect(office)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")  # made by a newer program: read, never written
    con.close()
    r = cli("rollup", "--period", "2023-04", str(units[0]), "--text", db=office)
    assert r.returncode == 0, r.stderr
    assert "Không ghi được số lần nhắc nhở" in r.stderr and "Traceback" not in r.stderr
    assert "3. Nhắc nhở đối với UBND xã Đại Sơn" in r.stdout  # the letter, without a number


def test_the_result_is_typed_and_reads_back_from_the_json_the_command_line_prints(units, tmp_path):
    from tests.test_cli import cli

    r = cli("rollup", "--period", "2023-04", *map(str, units), "--json", db=tmp_path / "office.db")
    assert r.returncode == 0, r.stderr
    printed = json.loads(r.stdout)
    back = rollup.RollupResult.from_json(printed)
    assert json.dumps(back.as_json(), ensure_ascii=False, indent=2) + "\n" == r.stdout  # same keys, order, values
    # the same figures as computed here, by attribute; the reminders numbered by the command are kept
    result = rollup.rollup(units, APRIL, today=TODAY)
    assert [u.unit for u in back.units] == [u.unit for u in result.units]
    assert back.average == result.average and back.units[1].indicators == result.units[1].indicators
    assert [e.indicator.key for e in back.average.entries()] == list(indicators.RANKED_KEYS)
    assert back.average.get("on_time") is back.average.on_time
    with pytest.raises(KeyError):
        back.average.get("e_certified")  # not ranked
    assert {u.unit: u.reminder for u in back.units if u.reminder} == {"UBND xã Đại Sơn": 1}
    assert "reminder" not in result.as_json()["units"][0]  # not recorded: not in the JSON, as before
