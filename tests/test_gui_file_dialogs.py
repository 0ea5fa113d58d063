"""File dialogs (issue 29): they open in Documents, then in the last folder used at this desk, never
in the program's own folder; Qt's own dialog in Vietnamese with dates as dd/mm/yyyy HH:mm. The name
is typed and Enter pressed as a person does."""
import datetime as dt
import os

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QLineEdit

from gui import messages


def _answer(qtbot, seen: dict, *typed: str):
    """When the dialog shows: note its folder and what it says, type ``typed`` and press Enter."""
    from PySide6.QtCore import Qt

    def act():
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()),
                      None)
        if dialog is None:
            QTimer.singleShot(50, act)
            return
        try:
            look(dialog)
        except Exception as exc:  # never leave the dialog open: the test fails on what was seen
            seen["error"] = repr(exc)
            dialog.reject()

    def look(dialog):
        seen["folder"] = dialog.directory().absolutePath()
        seen["title"] = dialog.windowTitle()
        model = dialog.findChild(QFileSystemModel)
        sample = seen.get("sample")
        if sample:
            source = model.index(str(sample))
            proxy = dialog.proxyModel()
            seen["date"] = proxy.mapFromSource(source.siblingAtColumn(3)).data()
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        for text in typed:  # a folder's name and Enter goes into it; a file's name and Enter chooses it
            name.setFocus()
            name.selectAll()
            QTest.keyClicks(name, text)
            if name.completer() is not None and name.completer().popup().isVisible():
                name.completer().popup().hide()  # the names offered while typing: a person looks past them
            QTest.keyClick(name, Qt.Key.Key_Return)

    QTimer.singleShot(0, act)


def test_a_file_dialog_opens_in_documents_then_in_the_last_folder_with_vietnamese_dates(qtbot, tmp_path, monkeypatch):
    home = tmp_path / "home"
    documents = home / "Documents"
    (documents / "Bao cao").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    program = tmp_path / "MotCua"  # the program's own folder, where it was started
    program.mkdir()
    monkeypatch.chdir(program)
    sample = documents / "so-lieu-cu.xlsx"
    sample.write_bytes(b"x")
    stamp = dt.datetime(2026, 12, 7, 2, 53).timestamp()
    os.utime(sample, (stamp, stamp))

    seen = {"sample": sample}
    _answer(qtbot, seen, "Bao cao", "bao-cao-thang-11.xlsx")
    chosen = messages.save_path(None, "Lưu báo cáo", "bao-cao.xlsx", "Excel (*.xlsx)")
    assert "error" not in seen, seen
    assert seen["folder"] == str(documents)  # Documents, not the program's folder
    assert chosen == documents / "Bao cao" / "bao-cao-thang-11.xlsx"
    assert seen["date"] == "07/12/2026 02:53"  # not "7 12 2026 02:53"

    (documents / "Bao cao" / "tinh.xlsx").write_bytes(b"x")
    seen = {}
    _answer(qtbot, seen, "tinh.xlsx")
    opened = messages.open_path(None, "Chọn tệp hồ sơ", "", "Bảng tính (*.csv *.xlsx *.txt)")
    assert seen["folder"] == str(documents / "Bao cao")  # the last folder used at this desk
    assert opened == documents / "Bao cao" / "tinh.xlsx"
    assert str(program) not in (seen["folder"], str(opened.parent))
