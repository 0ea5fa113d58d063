"""Several desks in the window: the others' changes shown within seconds, a stale edit refused with
the current values, a new case's code allocated at save. On both engines (the ``window`` fixture)."""
from core import ops
from db.store import Store
from tests.test_gui_register import TODAY, _id, codes, window  # noqa: F401  (the register's window fixture)


def test_another_desks_save_appears_in_the_window(window, db_path):  # noqa: F811
    page = window.page("Sổ hồ sơ")
    window.notice_other_desks()  # the watch starts
    before = codes(page)
    other = Store.open(db_path)
    try:
        proc, officer = other.procedures()[0], other.officers()[0]
        ops.add_case(other, {"code": "PK-230915-0009", "procedure_id": proc["id"], "officer_id": officer["id"],
                             "applicant": "Lê Văn Nộp",
                             "received_date": "2023-09-15", "due_date": "2023-09-20", "channel": 1, "digitized": 1},
                     TODAY)
    finally:
        other.close()
    assert "PK-230915-0009" not in codes(page)
    window.notice_other_desks()  # what the window's timer does every 2 seconds
    assert codes(page) == ["PK-230915-0009", *before]
    assert "5 hồ sơ" in window.status_label.text()
    window.notice_other_desks()
    assert codes(page) == ["PK-230915-0009", *before]


def test_a_stale_edit_in_the_dialog_is_refused_with_the_current_values(window, db_path, said):  # noqa: F811
    page = window.page("Sổ hồ sơ")
    case_id = _id(window, "PK-230905-0001")
    assert page.select_case(case_id)
    page.edit_case()
    dialog = page.dialog
    other = Store.open(db_path)  # another desk saves the same case meanwhile
    try:
        ops.update_case(other, case_id, {"applicant": "Lê Thị Bình (đã sửa ở bàn 2)"}, TODAY,
                        version=other.cases.version(case_id))
    finally:
        other.close()
    dialog.applicant.setText("Lê Thị Bình Sửa Đè")
    dialog._save()
    kind, text = said[-1]
    assert kind == "error" and text.startswith("Hồ sơ vừa được người khác sửa")
    assert "Người nộp: Lê Thị Bình (đã sửa ở bàn 2)" in text  # the current values shown
    assert dialog.isVisible() and dialog.applicant.text() == "Lê Thị Bình Sửa Đè"  # what was typed is kept
    assert window.store.cases.values(case_id)["applicant"] == "Lê Thị Bình (đã sửa ở bàn 2)"
    assert window.undo_stack.count() == 0
    dialog.reject()


def test_a_new_cases_code_is_allocated_when_saved(window, db_path, said):  # noqa: F811
    page = window.page("Sổ hồ sơ")
    page.new_case()
    dialog = page.dialog
    shown = dialog.code.text()
    other = Store.open(db_path)  # another desk saves the code this dialog shows
    try:
        proc, officer = other.procedures()[0], other.officers()[0]
        ops.add_case(other, {"code": shown, "procedure_id": proc["id"], "officer_id": officer["id"],
                             "applicant": "Lê Văn Nộp",
                             "received_date": "2023-09-15", "due_date": "2023-09-20", "channel": 1, "digitized": 1},
                     TODAY, auto_code=True)
    finally:
        other.close()
    dialog.procedure.setCurrentText("Đăng ký khai sinh")
    dialog.applicant.setText("Hoàng Văn Mới")
    dialog._save()
    assert said == [] and not dialog.isVisible()
    code = window.store.db.execute("SELECT code FROM cases WHERE applicant = 'Hoàng Văn Mới'").fetchone()[0]
    assert code != shown and code[:-4] == shown[:-4] and int(code[-4:]) == int(shown[-4:]) + 1


def test_backup_and_restore_from_the_window(window, db_path, said, tmp_path, monkeypatch):  # noqa: F811
    from gui import messages

    monkeypatch.setenv("MOTCUA_BACKUPS", str(tmp_path / "backups"))  # a server's backups folder on this PC
    out = tmp_path / "sao-luu.db"
    monkeypatch.setattr(messages, "save_path", lambda *a, **k: str(out))
    window.backup()
    assert said[-1][0] == "info" and said[-1][1].startswith(f"Đã sao lưu vào {out}.\nMã kiểm tra nhật ký: ")
    case_id = _id(window, "PK-230905-0001")
    ops.update_case(window.store, case_id, {"applicant": "Sau khi sao lưu"}, TODAY)
    window.restore_backup(out)  # asks first (answered yes), then closes the window
    assert said[-2][0] == "ask" and said[-1][0] == "info" and "Đã khôi phục" in said[-1][1]
    store = Store.open(db_path)
    try:
        assert store.cases.values(case_id)["applicant"] == "Lê Thị Bình"
        assert store.check() == []
    finally:
        store.close()


def test_an_event_recorded_at_another_desk_makes_an_open_edit_stale(window, db_path, said):  # noqa: F811
    import datetime as dt

    page = window.page("Sổ hồ sơ")
    case_id = _id(window, "PK-230905-0001")
    assert page.select_case(case_id)
    page.edit_case()
    dialog = page.dialog
    other = Store.open(db_path)  # another desk records a supplement request on the same case
    try:
        other.events.record(case_id, "supplement_requested", dt.date(2023, 9, 6), note="Thiếu tờ khai",
                            today=TODAY)
    finally:
        other.close()
    dialog.applicant.setText("Lê Thị Bình B")
    dialog._save()
    assert said[-1][0] == "error" and said[-1][1].startswith("Hồ sơ vừa được người khác sửa")
    assert window.store.cases.values(case_id)["applicant"] == "Lê Thị Bình"
    dialog.reject()
