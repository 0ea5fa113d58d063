"""The period report as the letters write it (interfaces.md §4), biểu 06 that adds up, and the report as
an official document read back from the PDF (pypdf) and the DOCX (python-docx)."""
import datetime as dt
import io

import docx
import pytest

from core.domain import periods
from core.domain.indicators import Figures
from core.queries import report
from core.documents import report as report_doc
from tests.conftest import case
from tests.test_official import nfc, pdf_pages, pdf_spans
from tests.test_report import known  # noqa: F401  (the fixture)

D = dt.date
TODAY = D(2023, 10, 3)


@pytest.fixture
def seed003(store):
    """A commune shaped like seed 003's letter for 1/1–29/9/2023, every figure chosen by hand:

    September 1–29: 159 received, all online, 157 digitized, 143 of 159 results digitized, 131 with a fee and
    106 paid online; August: 100 received, 96 digitized, 100 results digitized, 50 with a fee, 10 paid;
    January–July: 1.003 received, 982 digitized; 13 cases of December 2022 resolved in January; results
    digitized 1.010 of those 1.016 resolved; 672 with a fee, 33 paid. Every case is resolved the day it is
    received (the carried-over ones on 5/1), all on time.
    Totals: received 159 + 100 + 1.003 = 1.262; digitized 157 + 96 + 982 = 1.235 (97,86%);
    resolved 1.262 + 13 = 1.275, results 143 + 100 + 1.010 = 1.253 (98,27%); fee 131 + 50 + 672 = 853,
    paid 106 + 10 + 33 = 149 (17,47%). September: 157/159 = 98,74%, 143/159 = 89,94%, 106/131 = 80,92%.
    """
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ",
                        "chairman": "Tấn Văn Duẩn", "office_name": "Bộ phận Một cửa"})
    rows = []

    def add(prefix, n, day, digitized, results, fee, paid, resolved=None, received=None):
        for i in range(n):
            got = received or day
            rows.append(case(f"{prefix}{i}", received_date=got, due_date=resolved or day,
                             resolved_date=resolved or day, channel=2, digitized=int(i < digitized),
                             result_digitized=int(i < results), has_fee=int(i < fee), paid_online=int(i < paid)))

    add("S", 159, D(2023, 9, 20), 157, 143, 131, 106)
    add("A", 100, D(2023, 8, 10), 96, 100, 50, 10)
    add("J", 1003, D(2023, 3, 10), 982, 1003 - 6, 672, 33)
    add("C", 13, None, 13, 13, 0, 0, resolved=D(2023, 1, 5), received=D(2022, 12, 20))
    store.insert_cases(rows)
    return store


def test_a_range_from_january_reads_as_seed_003(seed003):
    r = report.build(seed003, periods.parse("2023-01-01..2023-09-29"), today=TODAY)
    text = report.narrative(r)
    assert text.startswith("Tính đến ngày 29/9/2023, Bộ phận Một cửa đã tiếp nhận 1.262 hồ sơ "
                           "(tháng 9 là 159 hồ sơ), giải quyết 1.275 hồ sơ;")
    # the four rate sentences of the letter, each with September in parentheses and its change from August
    assert ("tỷ lệ hồ sơ tiếp nhận trực tuyến là 1.262/1.262 hồ sơ, đạt 100% "
            "(tháng 9 là 159/159 hồ sơ, đạt 100%; không thay đổi so với tháng 8/2023)") in text
    assert ("tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC khi tiếp nhận là 1.235/1.262 hồ sơ, đạt 97,86% "
            "(tháng 9 là 157/159 hồ sơ, đạt 98,74%; tăng 2,74% so với tháng 8/2023)") in text  # 98,74 − 96
    assert ("tỷ lệ số hoá kết quả giải quyết TTHC là 1.253/1.275 hồ sơ, đạt 98,27% "
            "(tháng 9 là 143/159 hồ sơ, đạt 89,94%; giảm 10,06% so với tháng 8/2023)") in text  # 89,94 − 100
    assert ("tỷ lệ thanh toán trực tuyến là 149/853 hồ sơ, đạt 17,47% "
            "(tháng 9 là 106/131 hồ sơ, đạt 80,92%; tăng 60,92% so với tháng 8/2023)") in text  # 80,92 − 20
    assert "từ 01/01/2023" not in text and "29/09/2023" not in text
    assert text.endswith(" Không có hồ sơ quá hạn từ đầu năm đến ngày 29/9/2023.")
    assert "Các chỉ tiêu chưa đạt: tỷ lệ số hoá đầy đủ" in text and "tỷ lệ thanh toán trực tuyến (17,47%" in text


def test_the_gap_to_the_district_average_whenever_one_is_stored(seed003):
    seed003.set_district_average("digitized_on_receipt", "2023-09", 97.0)
    seed003.set_district_average("result_digitized", "2023-09", 95.0)
    text = report.narrative(report.build(seed003, periods.parse("2023-01-01..2023-09-29"), today=TODAY))
    # September 98,74 − 97 = +1,74; 89,94 − 95 = −5,06
    assert "(tháng 9 là 157/159 hồ sơ, đạt 98,74%; tăng 2,74% so với tháng 8/2023; cao hơn 1,74% mức bình quân " \
           "chung)" in text
    assert "giảm 10,06% so với tháng 8/2023; thấp hơn 5,06% mức bình quân chung)" in text
    assert text.count("mức bình quân chung") == 2
    month = report.narrative(report.build(seed003, periods.parse("2023-09"), today=TODAY))
    assert "thấp hơn 5,06% mức bình quân chung" in month


def test_the_same_period_a_year_earlier_when_asked(known):
    # September 2022 has no case: nothing to compare, so no change is stated; August 2023 against 2022 neither
    r = report.build(known, periods.parse("2023-09"), today=TODAY, compare="year")
    assert r.previous == periods.parse("2022-09")
    assert "so với tháng 8/2023" not in report.narrative(r)
    known.insert_cases([case("OLD", received_date=D(2022, 9, 12), due_date=D(2022, 9, 12),
                             resolved_date=D(2022, 9, 12), digitized=0, result_digitized=1)])
    text = report.narrative(report.build(known, periods.parse("2023-09"), today=TODAY, compare="year"))
    # September 2023 digitized 9/10 = 90% against 0/1 = 0% in September 2022
    assert "(tháng 9 là 9/10 hồ sơ, đạt 90%; tăng 90% so với cùng kỳ năm 2022)" in text


def test_a_period_not_over_is_reported_up_to_today(known):
    text = report.narrative(report.build(known, periods.parse("2023-10"), today=TODAY))
    assert text.startswith("Tính đến ngày 3/10/2023, Bộ phận Một cửa đã tiếp nhận 14 hồ sơ "
                           "(tháng 10 chưa tiếp nhận hồ sơ nào), giải quyết 13 hồ sơ;")
    assert "31/10/2023" not in text and "tháng 10 năm" not in text
    q = report.narrative(report.build(known, periods.parse("2023-Q4"), today=TODAY))
    assert q.startswith("Tính đến ngày 3/10/2023,")


def test_an_empty_period_says_no_case_was_received(known):
    text = report.narrative(report.build(known, periods.parse("2023-06"), today=TODAY))
    assert "chưa tiếp nhận hồ sơ nào" in text and "Không có hồ sơ quá hạn" not in text


def test_counts_below_ten_have_a_leading_zero_and_fractions_do_not(known):
    text = report.narrative(report.build(known, periods.parse("2023-09"), today=TODAY))
    assert "(tháng 9 là 10 hồ sơ)" in text and "(01 hồ sơ)" in text and "(tháng 9 là 03 bản)" in text
    assert "09/10" not in text and "9/10 hồ sơ" in text


def test_cases_without_a_field_are_named_once_and_counted_in_bieu_06(known):
    known.insert_cases([
        case("N1", procedure="Thủ tục khác", field=None, received_date=D(2023, 9, 4), due_date=D(2023, 9, 6),
             resolved_date=D(2023, 9, 8)),
        case("W1", received_date=D(2023, 9, 5), due_date=D(2023, 9, 5), status="withdrawn")])
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    text = report.narrative(r)
    assert "hồ sơ chưa rõ lĩnh vực (01 hồ sơ)" in text and "không rõ lĩnh vực" not in text
    rows = {row.name: row.values for row in r.fields}
    assert rows[report.NO_FIELD]["total"] == 1 and rows[report.NO_FIELD]["resolved_late"] == 1
    assert rows["Chứng thực"]["withdrawn"] == 1
    for key in report.FIELD_COLUMNS:  # the rows add up to the total, column by column
        assert r.total.values[key] == sum(v[key] for v in rows.values()), key
    for values in (*rows.values(), r.total.values):  # and each row balances: in = out
        assert values["total"] == (values["resolved"] + values["open"] + values["withdrawn"] + values["refused"]
                                   + values["stopped"])
        assert values["resolved"] == values["resolved_early"] + values["resolved_on_due"] + values["resolved_late"]
        assert values["open"] == values["open_within"] + values["open_overdue"]
    # September: 8 + 2 + N1 + W1 = 12 received; 10 resolved + 1 open + 1 withdrawn
    assert (r.total.values["total"], r.total.values["resolved"], r.total.values["open"]) == (12, 10, 1)


def test_refusals_and_stops_are_counted_from_their_status(store):
    """Refused and stopped cases exist once the case file takes them (issue 14); the report counts them
    from ``status`` by the date of the refusal, so they appear without a change here."""
    ok = store.db.dialect.table_sql(store.db, "cases")
    if "'refused'" not in ok:
        assert store.ended_counts(D(2023, 9, 1), D(2023, 9, 30)) == {"refused": 0, "stopped": 0}
        return
    store.insert_cases([case("R1", resolved_date=D(2023, 9, 6), status="refused"),
                        case("T1", resolved_date=D(2023, 9, 7), status="stopped")])
    r = report.build(store, periods.parse("2023-09"), today=TODAY)
    assert (r.total.values["refused"], r.total.values["stopped"]) == (1, 1)


def test_the_narrative_sets_parenthesised_figures_in_italics(known):
    parts = report.narrative_parts(report.build(known, periods.parse("2023-09"), today=TODAY))
    italic = [t for t, i in parts if i]
    assert " (tháng 9 là 10 hồ sơ)" in italic
    assert all(t.startswith(" (") and t.endswith(")") for t in italic)
    assert not any("(" in t for t, i in parts if not i)


def test_the_indicator_table_names_a_quarter_in_capitals(known):
    doc = report_doc.document(report.build(known, periods.parse("2023-Q3"), today=TODAY), TODAY, chart=False)
    from core.documents import official

    tables = [b for b in doc.body if isinstance(b, official.Table)]
    assert tables[1].rows[0][4] == "Quý II/2023"


# ---- the report as an official document ------------------------------------------------------

def test_the_report_pdf_has_number_title_italic_asides_bieu_06_receivers_and_signature(known):
    known.set_settings({"sign_mode": "KT", "signer_name": "Đào Văn Soái", "parent": "UBND HUYỆN TỨ KỲ"})
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    data = report_doc.render_pdf(r, TODAY)
    text = " ".join(pdf_pages(data))
    for piece in ("UBND HUYỆN TỨ KỲ ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "Số: /BC-UBND",
                  "Phượng Kỳ, ngày 03 tháng 10 năm 2023", "BÁO CÁO",
                  "Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính tháng 9/2023",
                  "(Từ ngày 01/09/2023 đến ngày 30/09/2023)", "Tính đến ngày 30/9/2023",
                  "Kết thúc khác", "Rút hồ sơ", "Từ chối", "Dừng giải quyết",
                  "Nơi nhận:", "- UBND huyện Tứ Kỳ (để b/c);", "- Lưu: VT.",
                  "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Đào Văn Soái"):
        assert piece in text, piece
    assert "Ký, ghi rõ họ tên" not in text and "NGƯỜI LẬP BÁO CÁO" not in text
    spans = pdf_spans(data)
    aside = [f for t, f, _ in spans if "tháng 9 là 9/10" in t]
    assert aside and all("Italic" in f for f in aside)


def test_the_report_docx_carries_the_same_content(known):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    d = docx.Document(io.BytesIO(report_doc.render_docx(r, TODAY)))
    head = d.tables[0]
    assert nfc(head.cell(1, 0).text) == "Số: /BC-UBND"
    assert head.cell(1, 1).text == "Phượng Kỳ, ngày 03 tháng 10 năm 2023"
    paragraphs = [p for p in d.paragraphs if p.text]
    assert [p.text for p in paragraphs[:2]] == ["BÁO CÁO", r.summary]
    narrative = next(p for p in paragraphs if p.text.startswith("Tính đến"))
    assert narrative.text == report.narrative(r)
    assert [run.text for run in narrative.runs if run.italic][0] == " (tháng 9 là 10 hồ sơ)"
    bieu = d.tables[1]
    assert len(bieu.columns) == 1 + len(report.FIELD_COLUMNS)
    assert [c.text for c in bieu.rows[-1].cells] == ["Tổng cộng"] + [str(r.total.values[k])
                                                                     for k in report.FIELD_COLUMNS]
    assert bieu.rows[1].cells[-3].text == "Rút hồ sơ"
    indicators = d.tables[2]
    assert [c.text for c in indicators.rows[0].cells][4] == "Tháng 8/2023"
    assert d.inline_shapes and len(d.inline_shapes) == 1  # the 12-month chart
    overdue = d.tables[3]
    assert overdue.rows[1].cells[0].text == "H2"
    sign = [p.text for p in d.tables[-1].cell(0, 1).paragraphs if p.text]
    assert sign == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tấn Văn Duẩn"]
    assert [p.text for p in d.tables[-1].cell(0, 0).paragraphs][0] == "Nơi nhận:"


def test_the_report_command_writes_docx_pdf_and_xlsx_by_extension(known, db_path, tmp_path):
    from openpyxl import load_workbook

    from tests.test_cli import cli

    known.close()
    for ext in ("docx", "pdf", "xlsx"):
        out = tmp_path / f"r.{ext}"
        done = cli("report", "--period", "2023-09", "--out", str(out), db=db_path)
        assert done.returncode == 0 and out.stat().st_size > 0, done.stderr
    assert any(p.text.startswith("Tính đến ngày 30/9/2023") for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert "Tính đến ngày 30/9/2023" in " ".join(pdf_pages((tmp_path / "r.pdf").read_bytes()))
    assert load_workbook(tmp_path / "r.xlsx")["Nội dung"]["A1"].value.startswith("Tính đến ngày 30/9/2023")
    bad = cli("report", "--period", "2023-09", "--out", str(tmp_path / "r.odt"), db=db_path)
    assert bad.returncode == 1 and ".docx" in bad.stderr and not (tmp_path / "r.odt").exists()
    year = cli("report", "--period", "2023-09", "--compare", "year", "--text", db=db_path)
    assert year.returncode == 0 and "so với tháng 8/2023" not in year.stdout


def test_the_check_code_line_is_at_the_foot_of_every_page_of_both_documents(known):
    r = report.build(known, periods.parse("2023-09"), today=TODAY)
    pages = pdf_pages(report_doc.render_pdf(r, TODAY, check_code="7F3A-91C2"))
    assert len(pages) >= 2 and all("Mã kiểm tra nhật ký: 7F3A-91C2" in p for p in pages)
    assert "Mã kiểm tra" not in " ".join(pdf_pages(report_doc.render_pdf(r, TODAY)))
    d = docx.Document(io.BytesIO(report_doc.render_docx(r, TODAY, check_code="7F3A-91C2")))
    s = d.sections[0]
    assert s.footer.paragraphs[0].text == s.first_page_footer.paragraphs[0].text == "Mã kiểm tra nhật ký: 7F3A-91C2"


def test_refusals_stops_and_the_766_rate_are_said_once_the_store_counts_them():
    said = []
    # before issue 14: neither the indicator nor the counts exist, nothing is said
    report._national(Figures.from_json({"indicators": {}, "counts": {"received": 3}}), said.append)
    assert said == []
    # 45 of 50 on time by Quyết định 766 = 90%; 2 refused, 1 stopped, 12 waiting for papers
    report._national(Figures.from_json({"indicators": {"on_time_766": {"numerator": 45, "denominator": 50, "rate": 90.0}},
                                        "counts": {"refused": 2, "stopped": 1, "supplement_pending": 12}}), said.append)
    assert "".join(said) == (" Theo cách tính của Quyết định 766/QĐ-TTg, không tính thời gian chờ bổ sung hồ sơ, "
                             "tỷ lệ hồ sơ giải quyết đúng hạn là 45/50 hồ sơ, đạt 90%. Đã từ chối 02 hồ sơ, "
                             "dừng giải quyết 01 hồ sơ. Đến hết kỳ còn 12 hồ sơ chờ người nộp bổ sung.")


def test_a_range_from_january_compares_the_month_of_its_end_in_the_indicator_table(seed003):
    from core.documents import official

    r = report.build(seed003, periods.parse("2023-01-01..2023-09-29"), today=TODAY)
    table = [b for b in report_doc.document(r, TODAY, chart=False).body if isinstance(b, official.Table)][1]
    assert table.rows[0] == ["Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu", "Tháng 9", "Tháng 8/2023", "Thay đổi"]
    digitized = next(row for row in table.rows if row[0].startswith("Tỷ lệ số hoá đầy đủ"))
    # the range 1.235/1.262 = 97,86%; September 98,74% against August 96% = +2,74
    assert digitized[1:] == ["1.235/1.262", "97,86%", "100%", "98,74%", "96,00%", "tăng 2,74%"]
