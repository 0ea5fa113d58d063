"""Every table model of the window passes pytest-qt's model tester (Qt's QAbstractItemModelTester)."""
import datetime as dt

import pytest

from tests.windows import shown_window
from gui.catalogues import Col, RowsModel
from gui.register_model import CaseTableModel
from tests.test_evaluation import office  # noqa: F401  (the fixture)
from tests.test_rollup import units  # noqa: F401  (the fixture)

TODAY = dt.date(2023, 11, 1)


@pytest.fixture
def window(qtbot, office, said):  # noqa: F811
    w = shown_window(qtbot, office, TODAY)
    yield w
    w.close()


def test_the_register_model(qtmodeltester, office):  # noqa: F811
    model = CaseTableModel(office, today=TODAY)
    assert model.rowCount() == 14
    qtmodeltester.check(model, force_py=True)
    model.sort(3)
    qtmodeltester.check(model, force_py=True)


def test_the_catalogue_rows_model_and_an_edit_through_it(qtmodeltester, office, said):  # noqa: F811
    saved = []
    model = RowsModel([Col("name", "Họ và tên"), Col("active", "Đang làm", "bool"), Col("days", "Ngày", "int")],
                      lambda: [{"name": "Lan", "active": 1, "days": 3}, {"name": "Hùng", "active": 0, "days": 0}],
                      lambda row, key, value: saved.append((row["name"], key, value)))
    qtmodeltester.check(model, force_py=True)
    assert model.setData(model.index(0, 2), "5") and saved == [("Lan", "days", 5)]
    assert not model.setData(model.index(0, 2), "-1") and said[-1][0] == "error"  # refused and told
    qtmodeltester.check(model, force_py=True)


def test_every_table_model_of_every_page(qtmodeltester, window):
    models = [window.page("Sổ hồ sơ").model]
    dashboard = window.page("Bảng điều hành")
    models += [dashboard.overdue_model, dashboard.soon_model]
    evaluation = window.page("Đánh giá cán bộ")
    models += [evaluation.table_model, evaluation.criteria_model]
    catalogues = window.page("Danh mục")
    models += [catalogues.officers, catalogues.procedures, catalogues.targets, catalogues.deleted]
    if window.store.can("users"):
        models.append(window.page("Người dùng").model)
    for model in models:
        qtmodeltester.check(model, force_py=True)
    assert len(models) >= 9


def test_the_rollup_ranking_the_history_and_the_index_models(qtbot, qtmodeltester, office, units):  # noqa: F811
    from core.domain import periods
    from gui.history import HistoryDialog
    from gui.index_dialog import IndexDialog
    from gui.rollup_page import RollupPage

    page = RollupPage(office, today=dt.date(2023, 5, 10))
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)  # empty
    page.picker.set_period("month", 2023, 4)
    page.choose_folder(units[0])
    with qtbot.waitSignal(page.run().succeeded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.result is not None)
    assert page.model.rowCount() > 1
    history = HistoryDialog(office, office.cases.get(1))
    qtbot.addWidget(history)
    qtmodeltester.check(history.model, force_py=True)
    index = IndexDialog(office, periods.parse("2023-Q3"), today=TODAY)
    qtbot.addWidget(index)
    qtmodeltester.check(index.model, force_py=True)
    qtmodeltester.check(page.model, force_py=True)
    qtmodeltester.check(page.proxy, force_py=True)  # the tester keeps watching the last one till the end
