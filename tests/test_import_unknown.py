"""Issue 24: the province's file as it comes (interfaces.md §2.1), and unknown never counted as "no" (§3).

Every file here is shaped like a real export (title rows, date-times, Vietnamese yes/no words, postal
wording, a footer, missing columns, blank cells, the register book, a semicolon CSV from Excel); the
expected figures are counted by hand in each test, never taken from the program.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core import ops
from core.domain import periods
from core.domain.indicators import Filters
from core.files import casefile, headers
from core.queries import figures
from tests.conftest import D

DATA = Path(__file__).parent / "data"
OCT = periods.parse("2026-10")
NOV = periods.parse("2026-11")


def indicators(store, period) -> dict:
    return figures.compute(store, period, Filters(), today=D(2026, 12, 7)).as_json()["indicators"]


# ---- reading values -------------------------------------------------------------------------

@pytest.mark.parametrize("text,meaning", [
    ("1", 1), ("x", 1), ("X", 1), ("✓", 1), ("có", 1), ("Có", 1), ("CÓ", 1), ("co", 1), ("đã", 1), ("yes", 1),
    ("TRUE", 1), ("Đã số hoá", 1), ("Đã số hóa", 1), ("da so hoa", 1), ("Đã thanh toán", 1), ("Có phí", 1),
    ("0", 0), ("không", 0), ("Không", 0), ("khong", 0), ("chưa", 0), ("no", 0), ("false", 0),
    ("Chưa số hoá", 0), ("CHƯA SỐ HÓA", 0), ("Không thu phí", 0), ("chua thanh toan", 0),
    ("", None), ("   ", None),
])
def test_yes_no_words_as_the_production_systems_write_them(text, meaning):
    assert casefile.flag_meaning(text.strip()) == meaning


@pytest.mark.parametrize("text", ["maybe", "Đang số hoá", "2", "scan"])
def test_a_yes_no_value_not_known_is_not_guessed(text):
    with pytest.raises(casefile.UnknownValue):
        casefile.flag_meaning(text)


@pytest.mark.parametrize("text,channel", [
    ("Trực tuyến", 2), ("trực tuyến một phần", 2), ("Trực tuyến toàn trình", 2), ("Online", 2), ("DVC", 2),
    ("Nộp qua DVCQG", 2), ("Cổng dịch vụ công quốc gia", 2), ("Dịch vụ bưu chính công ích", 3), ("BCCI", 3),
    ("Bưu chính", 3), ("Trực tiếp", 1), ("Nộp trực tiếp", 1), ("Tại bộ phận một cửa", 1), ("direct", 1),
])
def test_channel_wording_of_the_production_systems(text, channel):
    assert casefile.channel_meaning(text) == channel


# ---- a province export as it comes -----------------------------------------------------------

HEAD = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Người nộp", "Người tiếp nhận", "Ngày tiếp nhận",
        "Hạn xử lý", "Ngày có kết quả", "Trạng thái", "Số hoá", "Hình thức nộp", "Ghi chú"]
# (code, procedure, received, due, resolved, status, digitized, channel)
ROWS = [
    ("T-1", "Đăng ký khai sinh", "01/10/2026 07:58:32", "01/10/2026 17:00", "01/10/2026", "Đã trả kết quả",
     "Đã số hoá", "Trực tuyến"),
    ("T-2", "Đăng ký khai sinh", "01/10/2026 14:40:00", "02/10/2026 17:00", "02/10/2026", "Đã trả kết quả",
     "Chưa số hoá", "Trực tiếp"),
    ("T-3", "Chứng thực bản sao từ bản chính", "02/10/2026 09:05:10", "02/10/2026 17:00", "02/10/2026",
     "Đã trả kết quả", None, "Dịch vụ bưu chính công ích"),  # a blank cell: unknown
    ("T-4", "Chứng thực bản sao từ bản chính", "05/10/2026 10:00:00", "05/10/2026 17:00", None, "Đang xử lý",
     "Đã số hoá", "Trực tuyến"),
    ("T-5", "Đăng ký kết hôn", "06/10/2026 08:00:00", "06/10/2026 17:00", "06/10/2026", "Đã trả kết quả",
     "đã số hóa", "trực tuyến"),
]


def province_export(path: Path, rows=ROWS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND XÃ PHƯỢNG KỲ - DANH SÁCH HỒ SƠ TIẾP NHẬN"])
    ws.append(["Từ ngày 01/10/2026 đến ngày 31/10/2026"])
    ws.append([])
    ws.append(HEAD)
    for i, (code, proc, received, due, resolved, status, digitized, channel) in enumerate(rows, 1):
        ws.append([i, code, proc, "Hộ tịch", f"Người nộp {i}", "Vũ Thị Hằng", received, due, resolved, status,
                   digitized, channel, None])
    ws.append([])
    ws.append([None, f"Tổng số: {len(rows)} hồ sơ"])
    wb.save(path)
    return path


def test_a_province_export_imports_as_it_comes_and_unknown_stays_unknown(store, tmp_path):
    result = ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    assert result.checked.problems == [] and result.imported == 5
    # the file has no result digitization, fee, payment nor e-certification column: said, and unknown
    assert result.checked.missing_flags == ["result_digitized", "has_fee", "paid_online", "e_certified"]
    stored = {r["code"]: r for r in store.export_rows()}
    assert [stored[c]["digitized"] for c in ("T-1", "T-2", "T-3", "T-4", "T-5")] == [1, 0, None, 1, 1]
    assert [stored[c]["channel"] for c in ("T-1", "T-2", "T-3", "T-4", "T-5")] == [2, 1, 3, 2, 2]
    assert all(stored[c]["result_digitized"] is None and stored[c]["e_certified"] is None for c in stored)
    assert stored["T-2"]["received_time"] == "14:40"  # read from the date-time of receipt
    # stored as NULL on the engine itself, never as 0
    nulls = store.db.execute("SELECT count(*) FROM cases WHERE digitized IS NULL").fetchone()[0]
    assert nulls == 1

    got = indicators(store, OCT)
    # counted by hand from ROWS: 5 received; digitized known for 4 (T-1, T-4, T-5 yes; T-2 no), T-3 unknown
    assert got["digitized_on_receipt"] == {"numerator": 3, "denominator": 4, "rate": 75.0, "target": 100.0,
                                           "unknown": 1}
    # resolved T-1, T-2, T-3, T-5: result digitization unknown for all four: no rate from nothing
    assert got["result_digitized"] == {"numerator": 0, "denominator": 0, "rate": None, "target": 100.0,
                                       "unknown": 4}
    assert got["online"]["unknown"] == 0 and got["online"]["numerator"] == 3 and got["online"]["denominator"] == 5
    # the dashboard's tile counts alike from the monthly totals
    from core.queries import dashboard
    from core.domain.workdays import WorkCalendar

    board = dashboard.build(store, "month", OCT, WorkCalendar(), today=D(2026, 12, 7))
    tiles = {t.key: t for t in board.tiles}
    assert (tiles["digitized_on_receipt"].numerator, tiles["digitized_on_receipt"].denominator,
            tiles["digitized_on_receipt"].unknown) == (3, 4, 1)
    assert tiles["result_digitized"].rate is None
    assert tiles["result_digitized"].unknown_text == "chưa có số liệu số hoá kết quả của 04 hồ sơ"


def test_the_report_and_the_letter_never_state_a_rate_from_nothing(store, tmp_path):
    from core.documents import letter
    from core.queries import report

    ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    r = report.build(store, OCT, today=D(2026, 12, 7))
    text = report.narrative(r)
    assert "chưa có số liệu số hoá kết quả của 04 hồ sơ" in text
    assert "số hoá kết quả giải quyết TTHC là 0/0" not in text and "đạt 0%" not in text
    # a rate from fewer cases says how many are unknown beside it
    assert "3/4 hồ sơ, đạt 75%, chưa có số liệu số hoá khi tiếp nhận của 01 hồ sơ" in text
    drafted = "\n".join(letter.draft(r).paragraphs)
    assert "chưa có số liệu số hoá kết quả của 04 hồ sơ" in drafted


def test_values_the_program_does_not_know_are_listed_per_column_and_nothing_is_written(store, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "Đã scan"
    rows[1][6] = "Đã scan"  # "Đã …" is yes by §2.1: only values with no known beginning are asked
    rows[2][6] = "scan rồi"
    rows[3][6] = "scan rồi"
    rows[4][7] = "Zalo"
    p = province_export(tmp_path / "tinh.xlsx", [tuple(r) for r in rows])
    result = ops.import_file(store, p)
    assert not result.written and store.case_count() == 0
    assert result.checked.unknown_values == {"digitized": {"scan rồi": [2, [7, 8]]}, "channel": {"Zalo": [1, [9]]}}
    # the command line names the column as the file shows it, and the first rows
    from tests.test_cli import cli

    db = tmp_path / "cli.db"
    r = cli("import", str(p), db=db)
    assert r.returncode == 1
    assert "Giá trị chưa rõ nghĩa ở cột «Số hoá»: 'scan rồi': 2 dòng (dòng 7, 8)" in r.stderr
    assert "Giá trị chưa rõ nghĩa ở cột «Hình thức nộp»: 'Zalo': 1 dòng (dòng 9)" in r.stderr
    # what a person says a value means
    r = cli("import", str(p), "--value", "digitized:scan rồi=1", "--value", "channel:Zalo=online", db=db)
    assert r.returncode == 0, r.stderr
    mapping = headers.Mapping(values={"digitized": {headers.fold("scan rồi"): "0"}, "channel": {"zalo": "postal"}})
    checked = casefile.check_file(store, p, mapping=mapping)
    assert checked.problems == []
    by_code = {c["code"]: c for c in checked.cases}
    assert by_code["T-3"]["digitized"] == 0 and by_code["T-5"]["channel"] == 3


def test_fill_gives_a_yes_no_column_the_file_lacks(tmp_path):
    from tests.test_cli import cli

    p = province_export(tmp_path / "tinh.xlsx")
    db = tmp_path / "f.db"
    r = cli("import", str(p), "--fill", "e_certified=0", db=db)
    assert r.returncode == 0, r.stderr
    assert "Tệp không có cột «Số hoá kết quả»" in r.stderr and "Tệp không có cột «Chứng thực điện tử»" not in r.stderr
    from db.store import Store

    s = Store.open(db)
    try:
        assert {r["e_certified"] for r in s.export_rows()} == {0}
        assert {r["result_digitized"] for r in s.export_rows()} == {None}
    finally:
        s.close()


def test_the_catalogue_fee_fills_has_fee_where_the_file_has_none(store, tmp_path):
    if not store.procedure_exists("Chứng thực bản sao từ bản chính"):
        ops.add_procedure(store, "Chứng thực bản sao từ bản chính", "Chứng thực", 0, 1)
    fees = {p["name"]: p["has_fee"] for p in store.procedures()}
    result = ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    stored = {r["code"]: r for r in store.export_rows()}
    # counted by hand: procedures of ROWS found in the catalogue get its fee; the others stay unknown
    expected = {code: fees.get(proc) for code, proc, *_ in ROWS}
    assert {c: stored[c]["has_fee"] for c in stored} == expected
    assert result.checked.fee_from_catalogue == sum(1 for v in expected.values() if v is not None)
    got = indicators(store, OCT)["paid_online"]
    with_fee = sum(1 for v in expected.values() if v == 1)
    unknown_fee = sum(1 for v in expected.values() if v is None)
    # with a fee and the payment unknown (no column), or the fee itself unknown: no rate from nothing
    assert got["denominator"] == 0 and got["rate"] is None and got["unknown"] == with_fee + unknown_fee


def test_unknown_round_trips_through_the_export(store, tmp_path):
    ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    out = tmp_path / "all.csv"
    casefile.export_file(store, out)
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0].split(",")[-1] == "received_time"
    t3 = next(line for line in text if line.startswith("T-3,"))
    assert ",,," in t3  # the unknown values are blank cells, never 0
    from db.store import Store

    other = Store.open(tmp_path / "again.db")
    try:
        assert ops.import_file(other, out).imported == 5
        again = {r["code"]: (r["digitized"], r["result_digitized"], r["has_fee"], r["received_time"])
                 for r in other.export_rows()}
        first = {r["code"]: (r["digitized"], r["result_digitized"], r["has_fee"], r["received_time"])
                 for r in store.export_rows()}
        assert again == first
    finally:
        other.close()


def test_a_semicolon_csv_from_excel_with_x_marks_and_blank_cells(store, tmp_path):
    text = ("Mã hồ sơ;Tên thủ tục;Cán bộ tiếp nhận;Ngày tiếp nhận;Giờ tiếp nhận;Ngày hẹn trả;Hình thức nộp;"
            "Số hoá khi tiếp nhận;Ngày có kết quả;Số hoá kết quả;Có phí, lệ phí;Thanh toán trực tuyến\r\n"
            "E-1;Đăng ký khai sinh;Lê Văn An;05/10/2026;8h15;06/10/2026;Nộp trực tuyến qua DVC;x;06/10/2026;x;;\r\n"
            "E-2;Đăng ký khai sinh;Lê Văn An;05/10/2026;09:30;06/10/2026;Trực tiếp;;06/10/2026;;Có;Chưa\r\n"
            "E-3;Đăng ký khai sinh;Lê Văn An;06/10/2026;;07/10/2026;BCCI;Không;;;Không;\r\n")
    p = tmp_path / "excel.csv"
    p.write_bytes(text.encode("utf-8-sig"))  # Excel's "CSV UTF-8", with the separator of a Vietnamese Windows
    result = ops.import_file(store, p)
    assert result.checked.problems == [] and result.imported == 3, result.checked.problems
    stored = {r["code"]: r for r in store.export_rows()}
    assert [(stored[c]["channel"], stored[c]["digitized"], stored[c]["result_digitized"], stored[c]["has_fee"],
             stored[c]["paid_online"], stored[c]["received_time"]) for c in ("E-1", "E-2", "E-3")] == [
        (2, 1, 1, None, None, "08:15"), (1, None, None, 1, 0, "09:30"), (3, 0, None, 0, 0, None)]
    got = indicators(store, OCT)
    # by hand: digitized known for E-1 (yes) and E-3 (no); resolved E-1 (yes) and E-2 (unknown);
    # fee: E-1 unknown, E-2 with a fee not paid online, E-3 none
    assert (got["digitized_on_receipt"]["numerator"], got["digitized_on_receipt"]["denominator"],
            got["digitized_on_receipt"]["unknown"]) == (1, 2, 1)
    assert (got["result_digitized"]["numerator"], got["result_digitized"]["denominator"],
            got["result_digitized"]["unknown"]) == (1, 1, 1)
    assert (got["paid_online"]["numerator"], got["paid_online"]["denominator"], got["paid_online"]["unknown"]) == (
        0, 1, 1)


def test_a_register_book_without_a_digitization_column_imports_with_it_unknown(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([])
    ws.append(["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân/tổ chức", "Nhận hồ sơ", None,
               "Hẹn trả kết quả", "Ngày có kết quả", "Ghi chú"])
    ws.append([None, None, None, None, "Ngày", "Giờ", None, None, None])
    ws.append([1, "S-1", "Đăng ký khai sinh", "Nguyễn Văn Bình", dt.datetime(2026, 10, 5, 14, 30), "14:30",
               "06/10/2026", "06/10/2026", ""])
    p = tmp_path / "so.xlsx"
    wb.save(p)
    result = ops.import_file(store, p, mapping=headers.Mapping(fills={"officer": "Lê Văn An",
                                                                      "channel": "Trực tiếp"}))
    assert result.checked.problems == [] and result.imported == 1
    row = next(iter(store.export_rows()))
    assert row["digitized"] is None and row["received_time"] == "14:30"


# ---- the two months of the samples, month over month ------------------------------------------

def _hand_count(path: Path) -> dict[str, dict]:
    """Each valid case of a sample as a person would read it off the sheet (code -> what it says)."""
    out = {}
    for r in load_workbook(path).active.iter_rows(min_row=5, values_only=True):
        code = r[1]
        if not code or not str(code).startswith("000."):
            continue
        try:
            received = dt.datetime.strptime(r[6], "%d/%m/%Y %H:%M:%S").date()
            resolved = dt.datetime.strptime(r[8], "%d/%m/%Y").date() if r[8] else None
        except ValueError:
            continue  # a day that does not exist: the row is refused
        if resolved and resolved < received:
            continue
        out[code] = {"received": received, "resolved": resolved, "status": r[9], "digitized": r[10],
                     "channel": r[11]}
    return out


def _month(cases: dict, period) -> dict:
    got = [c for c in cases.values() if period.start <= c["received"] <= period.end]
    resolved = [c for c in cases.values() if c["resolved"] and period.start <= c["resolved"] <= period.end
                and c["status"] not in ("Từ chối", "Rút hồ sơ")]
    return {"received": len(got), "digitized": sum(c["digitized"] == "Đã số hoá" for c in got),
            "digitized_unknown": sum(c["digitized"] is None for c in got),
            "online": sum(c["channel"] == "Trực tuyến" for c in got), "resolved": len(resolved)}


def test_month_over_month_update_with_the_two_samples(tmp_path):
    from db.store import Store
    from tests.test_cli import cli

    first, second = DATA / "tinh-thang10-11.xlsx", DATA / "tinh-thang11-12.xlsx"
    db = tmp_path / "office.db"
    r = cli("import", str(first), "--skip-invalid", db=db)
    assert r.returncode == 0, r.stderr
    r = cli("import", str(second), "--update", db=db)
    assert r.returncode == 0, r.stderr
    cases = _hand_count(first)
    cases.update(_hand_count(second))  # the second month's file gives November's cases their new state
    store = Store.open(db)
    try:
        for period in (OCT, NOV):
            want = _month(cases, period)
            got = json.loads(json.dumps(figures.compute(store, period, Filters(), today=D(2026, 12, 7)).as_json()))
            d = got["indicators"]["digitized_on_receipt"]
            assert got["counts"]["received"] == want["received"]
            assert (d["numerator"], d["denominator"], d["unknown"]) == (
                want["digitized"], want["received"] - want["digitized_unknown"], want["digitized_unknown"])
            assert got["indicators"]["online"]["numerator"] == want["online"]
            # no column for result digitization nor fee: nothing but the count of cases without data
            res = got["indicators"]["result_digitized"]
            assert got["counts"]["resolved"] == want["resolved"]
            assert (res["numerator"], res["denominator"], res["rate"], res["unknown"]) == (0, 0, None,
                                                                                           want["resolved"])
    finally:
        store.close()


# ---- the write reads again what the preview read ---------------------------------------------

def test_a_case_another_desk_changed_since_the_preview_is_not_overwritten(store, tmp_path):
    from db.store import Store

    ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    rows = [list(r) for r in ROWS]
    rows[3][4], rows[3][5] = None, "Đang xử lý"  # T-4 still open in the file
    rows[1][6] = "Đã số hoá"  # T-2 digitized after all
    p = province_export(tmp_path / "lai.xlsx", [tuple(r) for r in rows])
    checked = casefile.check_file(store, p, update=True)
    assert [u["code"] for u in checked.updates] == ["T-2"]
    # meanwhile another desk, on the same file, records T-2's electronic certification (its own write)
    other = Store.open(store.path)
    try:
        ops.toggle_flag(other, other.cases.id_by_code("T-2"), "e_certified")
    finally:
        other.close()
    before = {r["code"]: r for r in store.export_rows()}
    with pytest.raises(ops.ImportConflict) as exc:
        ops.import_cases(store, checked.cases, casefile.updates_of(checked), previewed=checked.updates)
    assert [c["code"] for c in exc.value.conflicts] == ["T-2"]
    assert exc.value.conflicts[0]["changes"]["digitized"] == (0, 1)
    assert "máy khác ghi Không, tệp ghi Có" in str(exc.value)
    assert {r["code"]: r for r in store.export_rows()} == before  # nothing written
    ops.import_cases(store, checked.cases, [], previewed=checked.updates, resolve={"T-2": "keep"})
    assert {r["code"]: r["digitized"] for r in store.export_rows()}["T-2"] == 0
    ops.import_cases(store, checked.cases, [], previewed=checked.updates, resolve={"T-2": "take"})
    assert {r["code"]: r["digitized"] for r in store.export_rows()}["T-2"] == 1


# ---- the evaluation and the people ---------------------------------------------------------------

def test_an_evaluation_rate_with_no_known_case_is_not_scored_as_full_nor_zero():
    from core.domain.indicators import Figures, RATE_KEYS
    from core.queries import evaluation

    # 4 resolved, the result digitization of all four unknown (counted by hand)
    f = Figures.from_counts({"resolved": 4, "result_unknown": 4, "received": 4},
                            {k: 100.0 for k in RATE_KEYS})
    criterion = {"key": "kq", "rule": "rate", "param": "result_digitized", "max_points": 10}
    points, note = evaluation.score(criterion, f, None, {})
    assert points is None and note == "chưa có số liệu số hoá kết quả của 04 hồ sơ: chấm tay"
    points, note = evaluation.score(criterion, f, None, {"kq": 7})
    assert points == 7 and note.startswith("chấm tay")
    # a rate from fewer cases says how many are unknown
    f = Figures.from_counts({"resolved": 4, "result_digitized": 1, "result_unknown": 2, "received": 4},
                            {k: 100.0 for k in RATE_KEYS})
    points, note = evaluation.score(criterion, f, None, {})
    assert points == 5.0 and note == "1/2, đạt 50%; chưa có số liệu số hoá kết quả của 02 hồ sơ"


def test_a_user_named_as_the_files_officer_is_linked_to_it(store, tmp_path):
    ops.add_user(store, "hang", "mật-khẩu-dài-đủ-12", "officer", "Vũ Thị Hằng")
    result = ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    assert result.checked.links == {"Vũ Thị Hằng": next(u["id"] for u in store.users.all() if u["username"] == "hang")}
    user = next(u for u in store.users.all() if u["username"] == "hang")
    assert user["officer"] == "Vũ Thị Hằng"
    # a name written without accents is the same officer, not a new one
    rows = [("T-9", *ROWS[0][1:])]
    p = province_export(tmp_path / "khong-dau.xlsx", rows)
    book = load_workbook(p)
    book.active["F5"] = "vu thi hang"
    book.save(p)
    checked = casefile.check_file(store, p)
    assert checked.cases[0]["officer"] == "Vũ Thị Hằng" and checked.new_officers == []


def test_a_procedure_a_file_brought_in_keeps_its_fee_unknown_for_the_next_file(store, tmp_path):
    """A province file without a fee column brings a procedure the catalogue lacks: its fee is not
    known, and the next file without a fee column gets "unknown" for it from the catalogue, never "no"."""
    new = "Thủ tục chưa có trong danh mục"
    rows = [(f"N-{i}", new, "07/10/2026 09:00:00", "08/10/2026 17:00", None, "Đang xử lý", "Đã số hoá",
             "Trực tiếp") for i in range(1, 3)]
    ops.import_file(store, province_export(tmp_path / "thang10.xlsx", rows))
    catalogue = {p["name"]: p for p in store.procedures()}
    assert catalogue[new]["has_fee"] is None  # nobody has said
    later = [(f"N-{i}", new, "12/10/2026 09:00:00", "13/10/2026 17:00", None, "Đang xử lý", "Đã số hoá",
              "Trực tiếp") for i in range(3, 5)]
    ops.import_file(store, province_export(tmp_path / "thang10b.xlsx", later))
    stored = {r["code"]: r for r in store.export_rows()}
    assert [stored[c]["has_fee"] for c in ("N-1", "N-2", "N-3", "N-4")] == [None] * 4
    # paid online: 4 received, the fee of all four unknown (counted by hand): no rate, 4 unknown
    got = indicators(store, OCT)["paid_online"]
    assert (got["rate"], got["unknown"]) == (None, 4)
    # said by a person in the catalogue: known from then on
    ops.update_procedure(store, catalogue[new]["id"], "has_fee", 1)
    assert {p["name"]: p for p in store.procedures()}[new]["has_fee"] == 1


def test_the_catalogue_page_shows_an_unknown_fee_as_neither_yes_nor_no(qtbot, store, tmp_path):
    from PySide6.QtCore import Qt

    from gui.catalogues import CataloguesPage
    from gui.undo import Changes

    new = "Thủ tục chưa có trong danh mục"
    ops.import_file(store, province_export(tmp_path / "t.xlsx", [(
        "N-1", new, "07/10/2026 09:00:00", "08/10/2026 17:00", None, "Đang xử lý", "Đã số hoá", "Trực tiếp")]))
    page = CataloguesPage(store, Changes())
    qtbot.addWidget(page)
    model = page.procedures
    row = next(i for i, r in enumerate(model.rows) if r["name"] == new)
    col = next(i for i, c in enumerate(model.columns) if c.key == "has_fee")
    index = model.index(row, col)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "chưa rõ"
