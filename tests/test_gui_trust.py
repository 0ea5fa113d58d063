"""pytest-qt tests of issue 12 in the window: the approved quarter in the register, un-approval,
the bin restoring many cases, a restore refused before anything is closed."""
import datetime as dt

import pytest

from core import ops
from core.domain import periods
from tests import windows
from gui import messages
from tests.conftest import case

D = dt.date
TODAY = D(2023, 11, 1)


@pytest.fixture
def office(store):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "chairman": "Tấn Văn Duẩn"})
    store.add_officer("Phạm Thị Lan")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan", store.officer_id("Phạm Thị Lan"))
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    store.insert_cases([case(f"PK-{i}", officer="Phạm Thị Lan", received_date=D(2023, 9, 4), due_date=D(2023, 9, 6),
                             resolved_date=D(2023, 9, 5)) for i in range(3)])
    return store


def window_as(qtbot, store, user, password):
    return windows.window_as(qtbot, store, user, password, TODAY)


def _id(store, code):
    return store.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]


def test_an_edit_inside_an_approved_quarter_asks_first(qtbot, office, said, monkeypatch):
    ops.approve_quarter(office, periods.parse("2023-Q3"), "Tấn Văn Duẩn", today=TODAY)
    w = window_as(qtbot, office, "lan", "motcua2026")
    register = w.page("Sổ hồ sơ")
    register.select_case(_id(office, "PK-0"))
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": said.append(("ask", text)) and False)
    register.toggle("result_digitized")
    assert "2023-Q3" in said[-1][1] and "đã được chủ tịch duyệt" in said[-1][1]
    assert office.cases.values(_id(office, "PK-0"))["result_digitized"] == 0  # answered no: nothing saved
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": said.append(("ask", text)) or True)
    register.toggle("result_digitized")
    assert office.cases.values(_id(office, "PK-0"))["result_digitized"] == 1
    w.close()


def test_the_chairman_unapproves_with_a_reason(qtbot, office, said):
    w = window_as(qtbot, office, "chutich", "chutich2026")
    page = w.page("Đánh giá cán bộ")
    page.year.setValue(2023)
    page.quarter.setCurrentIndex(2)
    page.approve()
    assert office.evaluations.approval("2023-Q3") is not None and page.unapprove_button.isVisible()
    said.text = "Chấm nhầm"
    page.unapprove()
    assert office.evaluations.approval("2023-Q3") is None
    assert office.audit.entries(1)[0]["action"] == "unapprove"
    assert page.status.text() == "Chưa duyệt" and page.approve_button.isEnabled()
    w.close()


def test_the_bin_restores_every_selected_case_at_once(qtbot, office, said):
    w = window_as(qtbot, office, "lan", "motcua2026")
    for code in ("PK-0", "PK-1", "PK-2"):
        office.cases.delete(_id(office, code), "Nhập trùng")
    catalogues = w.page("Danh mục")
    catalogues.deleted.reload()
    assert len(catalogues.deleted.rows) == 3
    catalogues.deleted_view.selectAll()
    catalogues.restore_deleted()
    assert office.case_count() == 3 and catalogues.deleted.rows == []
    w.close()


def test_the_window_refuses_another_databases_backup_and_stays_open(qtbot, office, said, tmp_path):
    from db.store import Store

    other = Store.open(tmp_path / "khac.db")
    foreign = other.backup(tmp_path / "khac-backup.db")
    other.close()
    w = window_as(qtbot, office, "chutich", "chutich2026")
    w.restore_backup(foreign)
    assert said[-1][0] == "error" and "cơ sở dữ liệu khác" in said[-1][1]
    assert office.case_count() == 3 and w.isVisible()  # the store is still open, the window too
    w.close()


def test_the_backup_chooser_offers_only_this_databases_backups(qtbot, tmp_path):
    from db import backups
    from db.store import Store
    from gui.restore_dialog import BackupChooser

    this_year, archive = Store.open(tmp_path / "motcua.db"), Store.open(tmp_path / "motcua-2024.db")
    own = backups.daily_backup(this_year, D(2026, 11, 19))
    backups.daily_backup(archive, D(2026, 11, 20))  # motcua-2024-2026-11-20.db: a look-alike name
    this_year.close(), archive.close()
    dialog = BackupChooser(tmp_path / "motcua.db")
    qtbot.addWidget(dialog)
    assert [dialog.list.item(i).data(256) for i in range(dialog.list.count())] == [str(own)]
    dialog.accept()
    assert dialog.chosen == own


def test_the_report_page_issues_and_shows_later_corrections(qtbot, office, said):
    w = window_as(qtbot, office, "chutich", "chutich2026")
    page = w.page("Báo cáo")
    page.picker.set_period("quarter", 2023, 3)
    assert page.issued_label.text() == "Chưa phát hành chính thức." and not page.reprint_button.isVisible()
    page.issue()
    assert "không có thay đổi sau khi báo cáo" in page.issued_label.text() and page.reprint_button.isVisible()
    office.sign_in_as(None)
    office.cases.update(_id(office, "PK-0"), {"resolved_date": "2023-09-07"})  # now late
    page.refresh()
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn: đã báo cáo 3/3 (100,00%), nay 2/3 (66,67%)" in page.issued_label.text()
    preview = page.show_preview(as_reported=True)
    assert len(preview.pages) >= 1
    preview.reject()
    w.close()


@pytest.mark.parametrize("engine", ["sqlite"])  # entries deleted from the SQLite file with sqlite3
def test_the_window_checks_the_code_printed_on_a_document(qtbot, office, said):
    import sqlite3

    w = window_as(qtbot, office, "chutich", "chutich2026")
    for _ in range(3):
        office.set_district_average("on_time", "2023-09", 90)
    said.text = office.audit.check_code()
    conn = sqlite3.connect(office.path)
    conn.execute("DROP TRIGGER audit_log_append_only_delete")
    conn.execute("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 3)")
    conn.commit()
    conn.close()
    w.check_against_code()
    qtbot.waitUntil(lambda: w.task is None, timeout=20000)
    assert said[-1][0] == "error" and "3 mục cuối đã bị xoá" in said[-1][1]
    w.close()
