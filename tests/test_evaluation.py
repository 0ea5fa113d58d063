import datetime as dt
import io
import sqlite3
import unicodedata

import pytest
from pypdf import PdfReader

from core import ops
from core.queries import evaluation
from core.documents import evaluation_forms
from core.domain import periods
from db.evaluations import EvaluationLocked
from tests.conftest import case

D = dt.date
Q3 = periods.parse("2023-Q3")


def text_of(pdf: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [unicodedata.normalize("NFC", " ".join(p.extract_text().split())) for p in pages]


@pytest.fixture
def office(store):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ",
                        "chairman": "Tấn Văn Duẩn", "parent": ""})
    store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch", "Chứng thực, Hộ tịch")
    store.add_officer("Trần Văn Hùng", "Công chức Văn phòng - Thống kê", "Hộ tịch")
    rows = []
    # Lan: 10 cases, all digitized and on time, 2 e-certified, 1 online
    for i in range(10):
        rows.append(case(f"L{i}", officer="Phạm Thị Lan", received_date=D(2023, 8, 1), due_date=D(2023, 8, 3),
                         resolved_date=D(2023, 8, 2), result_digitized=1, e_certified=int(i < 2),
                         channel=2 if i == 0 else 1))
    # Hùng: 4 cases, 3 digitized, 1 resolved late, 1 open and overdue at the end of September
    for i in range(4):
        rows.append(case(f"H{i}", officer="Trần Văn Hùng", procedure="Đăng ký khai sinh", field="Hộ tịch",
                         received_date=D(2023, 9, 4), due_date=D(2023, 9, 6), digitized=int(i < 3),
                         resolved_date=(D(2023, 9, 8) if i == 0 else None if i == 1 else D(2023, 9, 5)),
                         result_digitized=int(i != 1)))
    store.insert_cases(rows)
    return store


def sheet_of(sheets, name):
    return next(s for s in sheets if s.officer["name"] == name)


def full_marks(store):
    """The leader's full marks on every manual criterion, by criterion key."""
    return {c["key"]: c["max_points"] for c in store.evaluations.template(Q3.end)["criteria"] if c["rule"] == "manual"}


def test_points_follow_the_figures_per_nghi_dinh_335(office):
    sheets = evaluation.build(office, Q3, today=D(2023, 11, 1))
    lan, hung = sheet_of(sheets, "Phạm Thị Lan"), sheet_of(sheets, "Trần Văn Hùng")
    by = {l.criterion["rule"]: l for l in hung.lines if not l.manual}
    # Hùng handled 4 cases: H1 overdue and open (quantity), H0 late (timeliness), H3 not digitized
    # on receipt (quality); each failing case loses 25% of its quarter share of the item:
    # 20 × (1 − 0,25 × 1/4) = 18,75; 25 × (1 − 0,25 × 1/4) = 23,4375 → 23,44
    assert by["quantity"].points == 18.75
    assert by["quality"].points == 23.44
    assert by["timeliness"].points == 23.44
    assert by["timeliness"].note == "4 hồ sơ; 1 giải quyết trễ hạn"
    # Lan: 10 cases, none failing: the whole 70 points of part B
    assert sum(l.points for l in lan.lines if not l.manual) == 70
    # nothing totalled or classified while the manual criteria are not scored
    assert lan.missing and lan.total is None and lan.classification == "chưa chấm đủ"


def test_a_case_is_never_penalised_twice(office):
    # a case late AND not digitized AND without a digitized result counts only as late
    office.insert_cases([case("H9", officer="Trần Văn Hùng", received_date=D(2023, 9, 4), due_date=D(2023, 9, 6),
                              digitized=0, resolved_date=D(2023, 9, 20), result_digitized=0)])
    products = office.evaluations.products(office.officer_id("Trần Văn Hùng"), Q3.start, Q3.end, D(2023, 11, 1))
    assert products == {"products": 5, "overdue": 1, "late": 2, "quality": 1}
    # carried over from Q2: one resolved late in July, one still open and overdue; one closed in June is not a product
    office.insert_cases([
        case("H10", officer="Trần Văn Hùng", received_date=D(2023, 6, 28), due_date=D(2023, 7, 3),
             resolved_date=D(2023, 7, 10), result_digitized=1),
        case("H11", officer="Trần Văn Hùng", received_date=D(2023, 6, 1), due_date=D(2023, 6, 5)),
        case("H12", officer="Trần Văn Hùng", received_date=D(2023, 6, 1), due_date=D(2023, 6, 5),
             resolved_date=D(2023, 6, 2), digitized=0)])
    products = office.evaluations.products(office.officer_id("Trần Văn Hùng"), Q3.start, Q3.end, D(2023, 11, 1))
    assert products == {"products": 7, "overdue": 2, "late": 3, "quality": 1}


def test_four_late_cases_in_150_cost_a_little_not_everything(store):
    store.add_officer("Lê Văn Bốn")
    store.insert_cases([case(f"B{i}", officer="Lê Văn Bốn", received_date=D(2023, 8, 1), due_date=D(2023, 8, 3),
                             resolved_date=D(2023, 8, 10) if i < 4 else D(2023, 8, 2), result_digitized=1)
                        for i in range(150)])
    sheet = evaluation.build(store, Q3, today=D(2023, 11, 1))[0]
    timeliness = next(l for l in sheet.lines if l.criterion["rule"] == "timeliness")
    assert timeliness.points == 24.83  # 25 × (1 − 0,25 × 4/150) = 24,8333…


def test_the_legacy_rules_still_score(office):
    from resources import evaluation_template

    office.evaluations.save_template(evaluation_template(), valid_from=D(2023, 1, 1))
    sheets = evaluation.build(office, Q3, today=D(2023, 11, 1))
    lan, hung = sheet_of(sheets, "Phạm Thị Lan"), sheet_of(sheets, "Trần Văn Hùng")
    by = {l.criterion["name"]: l for l in hung.lines}
    assert by["Giải quyết hồ sơ đúng hạn"].points == round(20 * 2 / 3, 2)     # 2/3 on time
    assert by["Không để hồ sơ quá hạn (mỗi hồ sơ trừ 25% số điểm)"].points == 5.0  # 1 late + 1 overdue
    assert by["Số hoá đầy đủ thành phần hồ sơ khi tiếp nhận"].points == 11.25  # 3/4 of 15
    assert by["Chứng thực điện tử bản sao từ bản chính"].note == "không phát sinh"
    by = {l.criterion["name"]: l for l in lan.lines}
    assert by["Tiếp nhận hồ sơ trực tuyến"].points == 0.5   # 1/10 of 5
    assert by["Chứng thực điện tử bản sao từ bản chính"].points == 5


def test_manual_points_and_classification(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q3", full_marks(office), "Hoàn thành tốt công việc được giao.")
    lan = sheet_of(evaluation.build(office, Q3, today=D(2023, 11, 1)), "Phạm Thị Lan")
    assert not lan.missing
    assert lan.total == 30 + 20 + 25 + 25
    assert lan.classification == "Hoàn thành xuất sắc nhiệm vụ"
    assert evaluation.classify(89.99, lan.thresholds) == "Hoàn thành tốt nhiệm vụ"
    assert evaluation.classify(49.99, lan.thresholds) == "Không hoàn thành nhiệm vụ"


def test_a_disciplinary_measure_forces_the_lowest_classification(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q3", full_marks(office), "", discipline="Khiển trách (QĐ 12/QĐ-UBND)")
    lan = sheet_of(evaluation.build(office, Q3, today=D(2023, 11, 1)), "Phạm Thị Lan")
    assert lan.total == 100 and lan.classification == "Không hoàn thành nhiệm vụ"
    page = text_of(evaluation_forms.pdf([lan], office.settings(), D(2023, 10, 5)))[0]
    assert "Đề xuất xếp loại: Không hoàn thành nhiệm vụ" in page and "Khiển trách" in page
    # a measure in the year holds for the quarters after it, not for the year before
    office.evaluations.save_entry(lan_id, "2023-Q4", full_marks(office), "")
    office.evaluations.save_entry(lan_id, "2024-Q1", full_marks(office), "")
    q4 = sheet_of(evaluation.build(office, periods.parse("2023-Q4"), today=D(2024, 2, 1)), "Phạm Thị Lan")
    next_year = sheet_of(evaluation.build(office, periods.parse("2024-Q1"), today=D(2024, 5, 1)), "Phạm Thị Lan")
    assert q4.classification == "Không hoàn thành nhiệm vụ" and q4.discipline.startswith("Khiển trách")
    assert next_year.classification == "Hoàn thành xuất sắc nhiệm vụ"


def test_the_20_percent_cap_is_a_warning_at_approval(office):
    # both officers at 100 points: 2 "xuất sắc" among 2 rated "tốt" or better, the cap allows 0
    for name in ("Phạm Thị Lan", "Trần Văn Hùng"):
        office.evaluations.save_entry(office.officer_id(name), "2023-Q3", full_marks(office), "")
    sheets = evaluation.build(office, Q3, today=D(2023, 11, 1))
    lan = sheet_of(sheets, "Phạm Thị Lan")
    hung = sheet_of(sheets, "Trần Văn Hùng")
    assert lan.classification == "Hoàn thành xuất sắc nhiệm vụ"
    assert hung.total == 30 + 18.75 + 23.44 + 23.44  # 95,63
    warnings = evaluation.approval_warnings(sheets)
    assert any("vượt quá 20%" in w for w in warnings)
    assert evaluation.approval_warnings([lan]) != [] and evaluation.approval_warnings([]) == []


def test_the_pdf_reads_back_with_names_quarter_figures_and_classification(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.set_settings({"office_head": "Nguyễn Thị Mai"})
    office.evaluations.save_entry(lan_id, "2023-Q3", full_marks(office), "Gương mẫu, tận tụy.",
                                  self_scores={"chinh_tri": 7.5})
    sheets = evaluation.build(office, Q3, today=D(2023, 11, 1))
    pdf = evaluation_forms.pdf(sheets, office.settings(), D(2023, 10, 5), check_code="12-ABCDEF0123")
    pages = text_of(pdf)
    assert len(pages) == 3  # two officers, then the ranking
    lan_page = next(p for p in pages if "Họ và tên: Phạm Thị Lan" in p)
    for expected in ("ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Phượng Kỳ, ngày 05 tháng 10 năm 2023",
                     "QUÝ III NĂM 2023", "Công chức Tư pháp - Hộ tịch", "10/10", "100,00%", "2 bản",
                     "Điểm tối đa", "Tự chấm", "Lãnh đạo chấm", "7,5",
                     "Gương mẫu, tận tụy.", "Tấn Văn Duẩn", "Nguyễn Thị Mai", "NGƯỜI TỰ ĐÁNH GIÁ",
                     "TRƯỞNG BỘ PHẬN MỘT CỬA", "CHỦ TỊCH",
                     "Đề xuất xếp loại: Hoàn thành xuất sắc nhiệm vụ", "Tổng điểm: 100/100",
                     "Mã kiểm tra nhật ký: 12-ABCDEF0123"):
        assert expected in lan_page, expected
    assert "Ký, ghi rõ họ tên" not in lan_page
    hung_page = next(p for p in pages if "Họ và tên: Trần Văn Hùng" in p)
    for expected in ("2/3", "66,67%", "3/4", "75,00%", "18,75", "23,44", "Chưa chấm đủ", "chưa xếp loại"):
        assert expected in hung_page, expected
    assert "Tổng điểm:" not in hung_page
    summary = pages[-1]
    assert "BẢNG TỔNG HỢP" in summary and summary.index("Phạm Thị Lan") < summary.index("Trần Văn Hùng")
    assert "chưa chấm đủ" in summary


def test_one_page_per_officer_whatever_the_office_details(office):
    office.set_settings({"parent": "ỦY BAN NHÂN DÂN HUYỆN BA VÌ"})
    office.add_officer("Nguyễn Văn Ba", "Công chức Địa chính - Xây dựng - Đô thị và Môi trường", "Đất đai, Xây dựng")
    sheets = evaluation.build(office, Q3, today=D(2023, 11, 1))
    assert len(PdfReader(io.BytesIO(evaluation_forms.pdf(sheets, office.settings(), D(2023, 10, 5)))).pages) == 4


def test_a_changed_template_changes_the_form(office):
    template = office.evaluations.template(Q3.end)
    template["title"] = "PHIẾU CHẤM ĐIỂM CÔNG CHỨC MỘT CỬA"
    template["criteria"] = template["criteria"][:4] + [
        {"section": "B. Nhiệm vụ", "name": "Số hoá khi tiếp nhận", "max_points": 70, "rule": "rate",
         "param": "digitized_on_receipt"}]
    template["thresholds"] = [[95, "Xuất sắc"], [0, "Chưa đạt"]]
    office.evaluations.save_template(template)
    hung = sheet_of(evaluation.build(office, Q3, today=D(2023, 11, 1)), "Trần Văn Hùng")
    assert [l.points for l in hung.lines][-1] == 52.5  # 3/4 of 70
    page = next(p for p in text_of(evaluation_forms.pdf([hung], office.settings(), D(2023, 10, 5))))
    assert "PHIẾU CHẤM ĐIỂM CÔNG CHỨC MỘT CỬA" in page and "Số hoá khi tiếp nhận" in page
    assert "Giải quyết hồ sơ đúng hạn" not in page
    assert "Chưa chấm đủ" in page  # the manual criteria are not scored


def test_a_dated_template_applies_from_its_date(office):
    template = office.evaluations.template(Q3.end)
    template["title"] = "MẪU MỚI TỪ NĂM 2024"
    office.evaluations.save_template(template, valid_from=D(2024, 1, 1))
    assert office.evaluations.template(D(2023, 12, 31))["title"] != "MẪU MỚI TỪ NĂM 2024"
    assert office.evaluations.template(D(2024, 3, 31))["title"] == "MẪU MỚI TỪ NĂM 2024"


def test_an_approved_quarter_refuses_edits(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q3", {"chinh_tri": 8}, "")
    ops.approve_quarter(office, periods.parse("2023-Q3"), "Tấn Văn Duẩn")
    with pytest.raises(EvaluationLocked):
        office.evaluations.save_entry(lan_id, "2023-Q3", {"chinh_tri": 2}, "sửa sau khi duyệt")
    # the lock holds in the file itself, whatever writes to it
    with pytest.raises(sqlite3.IntegrityError, match="đã được duyệt"):
        office.db.execute("UPDATE evaluations SET comments = 'x' WHERE quarter = '2023-Q3'")
    with pytest.raises(sqlite3.IntegrityError, match="đã được duyệt"):
        office.db.execute("DELETE FROM evaluations WHERE quarter = '2023-Q3'")
    assert office.evaluations.entry(lan_id, "2023-Q3")["manual"] == {"chinh_tri": 8}
    office.evaluations.save_entry(lan_id, "2023-Q4", {"chinh_tri": 2}, "")  # other quarters stay open


def test_only_quarters_are_evaluated(office):
    with pytest.raises(evaluation.EvaluationError, match="YYYY-Qn"):
        evaluation.build(office, periods.parse("2023-09"))


def test_the_evaluation_command(office, db_path, tmp_path):
    from tests.test_cli import cli

    office.close()
    out = tmp_path / "forms.pdf"
    r = cli("evaluation", "--period", "2023-Q3", "--out", str(out), db=db_path)
    assert r.returncode == 0, r.stderr
    assert "Đã ghi 2 phiếu đánh giá quý III/2023" in r.stdout
    assert len(PdfReader(out).pages) == 3
    r = cli("evaluation", "--period", "2023-Q3", "--out", str(out), "--officer", "Trần Văn Hùng", db=db_path)
    pages = text_of(out.read_bytes())
    assert r.returncode == 0 and len(pages) == 1 and "Họ và tên: Trần Văn Hùng" in pages[0]
    r = cli("evaluation", "--period", "2023-09", "--out", str(out), db=db_path)
    assert r.returncode == 1 and "YYYY-Qn" in r.stderr


def test_the_forms_as_a_word_file_read_back(office, db_path, tmp_path):
    import docx

    from tests.test_cli import cli

    office.set_settings({"office_head": "Nguyễn Thị Mai"})
    office.evaluations.save_entry(office.officer_id("Phạm Thị Lan"), "2023-Q3", full_marks(office), "Gương mẫu.",
                                  self_scores={"chinh_tri": 7.5})
    data = evaluation_forms.docx(evaluation.build(office, Q3, today=D(2023, 11, 1)), office.settings(),
                                 D(2023, 10, 5), check_code="12-ABCDEF0123")
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    for expected in ("Họ và tên: Phạm Thị Lan", "Họ và tên: Trần Văn Hùng", "QUÝ III NĂM 2023",
                     "Đề xuất xếp loại: Hoàn thành xuất sắc nhiệm vụ", "Chưa chấm đủ", "Gương mẫu.", "BẢNG TỔNG HỢP"):
        assert expected in text, expected
    for expected in ("Điểm tối đa", "Tự chấm", "Lãnh đạo chấm", "7,5", "18,75", "NGƯỜI TỰ ĐÁNH GIÁ", "CHỦ TỊCH",
                     "Nguyễn Thị Mai", "Tấn Văn Duẩn", "ỦY\xa0BAN\xa0NHÂN\xa0DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert any(expected in c for c in cells), expected
    assert d.sections[0].footer.paragraphs[0].text == "Mã kiểm tra nhật ký: 12-ABCDEF0123"
    assert d.styles["Normal"].font.name == "Times New Roman"
    office.close()
    r = cli("evaluation", "--period", "2023-Q3", "--out", str(tmp_path / "forms.docx"), db=db_path)
    assert r.returncode == 0 and docx.Document(tmp_path / "forms.docx").paragraphs
