"""The one runner: undo recorded only after success, every failure told, a busy file waited for."""
import pytest
from PySide6.QtCore import Qt

from gui import operations
from tests.conftest import HeldLock
from tests.test_gui_register import TODAY, _id, window  # noqa: F401  (the register's window fixture)


@pytest.fixture
def lock(window):  # noqa: F811
    """Another desk holding the write lock of the window's file until released."""
    other = HeldLock(window.store.path)
    yield other
    other.close()


def _quick(window, code, key=Qt.Key.Key_E):  # noqa: F811
    page = window.page("Sổ hồ sơ")
    assert page.select_case(_id(window, code))
    page.toggle({Qt.Key.Key_E: "e_certified", Qt.Key.Key_P: "paid_online"}[key])
    return page


def test_a_quick_action_waits_for_another_writer_then_is_recorded(window, lock, qtbot, said):  # noqa: F811
    case_id = _id(window, "PK-230905-0001")
    _quick(window, "PK-230905-0001")
    assert window.store.cases.values(case_id)["e_certified"] == 0  # still waiting its turn
    assert window.undo_stack.count() == 0 and said == []
    assert "Đang chờ" in window.statusBar().currentMessage()
    lock.rollback()  # the other desk finished
    qtbot.waitUntil(lambda: window.store.cases.values(case_id)["e_certified"] == 1, timeout=5000)
    assert window.undo_stack.count() == 1 and said == []
    assert window.undo_action.text() == "Hoàn tác Ghi chứng thực điện tử PK-230905-0001"


def test_a_failed_operation_leaves_no_undo_entry_and_is_told(window, lock, monkeypatch, said):  # noqa: F811
    monkeypatch.setattr(operations, "GIVE_UP_AFTER", 0)
    case_id = _id(window, "PK-230905-0001")
    _quick(window, "PK-230905-0001")
    assert window.store.cases.values(case_id)["e_certified"] == 0
    assert window.undo_stack.count() == 0
    assert said[-1][0] == "error" and "đang bận" in said[-1][1] and "hỏng" not in said[-1][1]


def test_a_refused_quick_action_leaves_no_undo_entry(window, said):  # noqa: F811
    _quick(window, "PK-230905-0001", Qt.Key.Key_P)
    assert said[-1] == ("error", "Hồ sơ PK-230905-0001 không có phí, lệ phí.")
    assert window.undo_stack.count() == 0


def test_an_undo_that_cannot_be_written_is_told_and_leaves_the_stack_as_the_file(window, qtbot, said):  # noqa: F811
    case_id = _id(window, "PK-230905-0001")
    _quick(window, "PK-230905-0001")
    assert window.store.cases.values(case_id)["e_certified"] == 1 and window.undo_stack.count() == 1
    window.store.db.set_busy_timeout(0.1)
    other = HeldLock(window.store.path)
    try:
        window.undo_action.trigger()
    finally:
        other.close()
    assert window.store.cases.values(case_id)["e_certified"] == 1  # the change stays in the file
    assert window.undo_stack.count() == 0  # and no entry pretends it was undone
    assert "đang bận" in said[-1][1]


def test_a_save_in_the_entry_dialog_that_fails_keeps_the_dialog_and_its_values(window, lock, monkeypatch,  # noqa: F811
                                                                               said):
    monkeypatch.setattr(operations, "GIVE_UP_AFTER", 0)
    page = window.page("Sổ hồ sơ")
    page.new_case()
    dialog = page.dialog
    dialog.procedure.setCurrentText("Đăng ký khai sinh")
    dialog.applicant.setText("Hoàng Văn Chờ")
    assert dialog.validate()
    dialog._save()
    assert "đang bận" in said[-1][1]
    assert dialog.isVisible() and dialog.applicant.text() == "Hoàng Văn Chờ"
    assert window.undo_stack.count() == 0
    lock.rollback()
    dialog._save()  # saved again once the other desk is done
    assert not dialog.isVisible()
    assert window.undo_stack.count() == 1
    assert window.store.db.execute("SELECT count(*) FROM cases WHERE applicant = 'Hoàng Văn Chờ'").fetchone()[0] == 1


def test_a_dialog_closed_while_its_save_waits_is_no_trouble(window, lock, qtbot, said):  # noqa: F811
    page = window.page("Sổ hồ sơ")
    page.new_case()
    dialog = page.dialog
    dialog.procedure.setCurrentText("Đăng ký khai sinh")
    dialog.applicant.setText("Đóng khi chờ")
    dialog._save()  # waits its turn behind the other desk
    dialog.reject()
    lock.rollback()
    count = "SELECT count(*) FROM cases WHERE applicant = 'Đóng khi chờ'"
    qtbot.waitUntil(lambda: window.store.db.execute(count).fetchone()[0] == 1, timeout=5000)
    assert window.undo_stack.count() == 1 and said == []


def test_opening_a_file_in_a_read_only_folder_says_so_and_offers_no_backup(tmp_path, said):
    import subprocess

    from db.store import Store
    from gui import app

    path = tmp_path / "office.db"
    Store.open(path).close()
    if subprocess.run(["chattr", "+i", str(tmp_path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i refused here")
    try:
        store = app.open_or_recover(path)
        assert store is not None and store.read_only_reason
        store.close()
    finally:
        subprocess.run(["chattr", "-i", str(tmp_path)])
    assert [kind for kind, _ in said] == ["error"]  # told once; no restore offered for a sound file
    assert "chỉ cho đọc" in said[0][1] and "hỏng" not in said[0][1]


def test_a_quick_action_on_a_full_disk_is_told_as_such_and_leaves_no_undo_entry(qtbot, tmp_path, said):
    import subprocess

    from db.store import Store
    from gui.main_window import MainWindow
    from tests.conftest import case

    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("no tmpfs can be mounted here")
    try:
        store = Store.open(disk / "office.db")
        store.insert_cases([case("DAY-1", received_date=TODAY, due_date=TODAY)])
        window = MainWindow(store, today=TODAY)
        qtbot.addWidget(window)
        # every byte left taken; unbuffered, so that closing the file has nothing left to write
        # (a buffered tail made the close itself fail, depending on how full the disk was)
        with open(disk / "filler", "wb", buffering=0) as filler:
            try:
                while filler.write(b"\0" * 65536):
                    pass
            except OSError:
                pass
        page = window.page("Sổ hồ sơ")
        assert page.select_case(_id(window, "DAY-1"))
        page.toggle("e_certified")
        assert said[-1][0] == "error" and "đầy" in said[-1][1] and "hỏng" not in said[-1][1]
        assert window.undo_stack.count() == 0
        assert store.cases.values(_id(window, "DAY-1"))["e_certified"] == 0
        window.close()
        store.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)])


def test_work_asked_for_as_the_last_task_hands_over_its_result_starts_and_is_not_refused(window, qtbot, said):  # noqa: F811
    """The roll-up page asks for a new run the moment a result arrives ("Tên đơn vị…" right after
    the table shows): the worker that only has to end is free, and its late end clears nothing."""
    import time

    runner, started = window.ops, []

    def slow_end(progress):
        return "first"

    def second(progress):
        time.sleep(0.3)
        return "second"

    results = []

    def on_first(result):
        results.append(result)
        started.append(runner.run_task(second, on_done=results.append))

    assert runner.run_task(slow_end, on_done=on_first)
    qtbot.waitUntil(lambda: results == ["first", "second"], timeout=10000)
    assert started == [True] and not [m for m in said if "Đang có việc chạy" in m[1]]
    qtbot.waitUntil(lambda: runner.task is None, timeout=5000)
