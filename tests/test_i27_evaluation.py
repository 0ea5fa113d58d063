"""Issue 27: the evaluation page: a disciplinary measure chosen from the list with its date and the
classification it forces confirmed; approval before the quarter ends warns; the approval note shows."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core import ops
from core.ops import OpRefused
from core.queries import evaluation
from core.domain import periods
from tests.test_evaluation import full_marks, office, sheet_of  # noqa: F401  (the fixture)
from tests.test_gui_evaluation import page  # noqa: F401  (the fixture)

D = dt.date
Q3 = periods.parse("2023-Q3")


def test_a_measure_is_one_of_the_list_with_its_date(office):  # noqa: F811
    lan = office.officer_id("Phạm Thị Lan")
    # a word typed where the measure goes is refused, and so is a measure without its date
    with pytest.raises(OpRefused, match="không có trong danh sách"):
        ops.save_evaluation(office, lan, "2023-Q3", full_marks(office), "", discipline="Tốt, nhiệt tình",
                            today=D(2023, 11, 1))
    with pytest.raises(OpRefused, match="ngày của quyết định"):
        ops.save_evaluation(office, lan, "2023-Q3", full_marks(office), "", discipline="Khiển trách",
                            today=D(2023, 11, 1))
    assert office.evaluations.entry(lan, "2023-Q3")["discipline"] == ""
    ops.save_evaluation(office, lan, "2023-Q3", full_marks(office), "", discipline="Khiển trách",
                        discipline_day=D(2023, 8, 12), today=D(2023, 11, 1))
    sheet = sheet_of(evaluation.build(office, Q3, today=D(2023, 11, 1)), "Phạm Thị Lan")
    # 100 points, yet the measure forces the lowest classification
    assert (sheet.total, sheet.classification) == (100, "Không hoàn thành nhiệm vụ")
    assert sheet.discipline == "Khiển trách (quyết định ngày 12/08/2023)"


def test_approving_before_the_quarter_ends_warns(office):  # noqa: F811
    q4 = periods.parse("2023-Q4")
    sheets = evaluation.build(office, q4, today=D(2023, 11, 1))
    assert any("chưa kết thúc (đến hết ngày 31/12/2023)" in w for w in evaluation.approval_warnings(sheets, D(2023, 11, 1)))
    assert not any("chưa kết thúc" in w for w in evaluation.approval_warnings(sheets, D(2024, 1, 2)))


def test_the_page_chooses_the_measure_from_the_list_and_asks_before_it_forces_the_class(page, qtbot, monkeypatch):  # noqa: F811
    from gui import messages

    page.table.selectRow(0)
    for spin in page.spins.values():
        spin.setValue(spin.property("top"))  # the criterion's maximum (the box takes more, refused at save)
    assert [page.discipline.itemText(i) for i in range(page.discipline.count())][:3] == ["Không", "Khiển trách",
                                                                                         "Cảnh cáo"]
    assert not page.discipline_day.isVisible()
    page.discipline.setCurrentIndex(page.discipline.findData("Cảnh cáo"))
    assert page.discipline_day.isVisible()
    page.discipline_day.setDate(D(2023, 9, 5))
    answers = []
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": answers.append(text) or False)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    lan = page.store.officer_id("Phạm Thị Lan")
    assert "Không hoàn thành nhiệm vụ" in answers[-1] and "Cảnh cáo" in answers[-1]
    assert page.store.evaluations.entry(lan, "2023-Q3")["manual"] == {}  # declined: nothing saved
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": answers.append(text) or True)
    page.table.selectRow(0)
    for spin in page.spins.values():
        spin.setValue(spin.property("top"))  # the criterion's maximum (the box takes more, refused at save)
    page.discipline.setCurrentIndex(page.discipline.findData("Cảnh cáo"))
    page.discipline_day.setDate(D(2023, 9, 5))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.store.evaluations.entry(lan, "2023-Q3")["discipline"] == "Cảnh cáo (quyết định ngày 05/09/2023)"
    assert page.table_model.item(0, 4).text() == "Không hoàn thành nhiệm vụ"


def test_approving_a_running_quarter_asks_and_the_approval_note_is_readable(page, qtbot):  # noqa: F811
    page.quarter.setCurrentIndex(3)  # quý IV/2023, today 1/11/2023
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert page.said[-1][0] == "ask" and "chưa kết thúc" in page.said[-1][1]
    assert page.status.text().startswith("Đã duyệt ngày")
    assert page.status.isVisible()
    # the whole note fits its label (an ignored size policy gave it no width)
    assert page.status.width() >= page.status.fontMetrics().horizontalAdvance(page.status.text()) or \
        page.status.height() > page.status.fontMetrics().height()


def test_the_save_operation_refuses_a_score_above_its_criterions_maximum(office):  # noqa: F811
    """The window refuses it before saving (issue 29); the operation, the one door every write takes,
    refuses it too: a score is never cut down to the maximum nor dropped."""
    template = office.evaluations.template(D(2023, 9, 30))
    manual = next(c for c in template["criteria"] if c["rule"] == "manual")
    key, top = manual.get("key", manual.get("id")), float(manual["max_points"])
    lan = office.officer_id("Phạm Thị Lan")
    with pytest.raises(OpRefused, match="vượt điểm tối đa"):
        ops.save_evaluation(office, lan, "2023-Q3", {key: top + 1}, "")
    assert office.evaluations.entry(lan, "2023-Q3")["manual"] == {}
    # the officer's own score above it is refused too, even beside a leader's score in bounds
    with pytest.raises(OpRefused, match="vượt điểm tối đa"):
        ops.save_evaluation(office, lan, "2023-Q3", {key: top}, "", self_scores={key: top + 1})
    assert office.evaluations.entry(lan, "2023-Q3")["manual"] == {}
    ops.save_evaluation(office, lan, "2023-Q3", {key: top}, "")
    assert office.evaluations.entry(lan, "2023-Q3")["manual"] == {key: top}
