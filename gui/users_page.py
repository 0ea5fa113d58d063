"""Managing users (administrators only): add, reset a password, unlock, stop an account, and link an
account to the officer who sits at the desk (issue 29)."""
from __future__ import annotations

from functools import partial

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from core import ops
from core.ops.people import link_officer
from db.audit import ROLE_NAMES
from db.users import lock_time_text
from gui import messages
from gui.keys import ok_cancel
from gui.operations import runner_for
from gui.refresh import follow


class UsersPage(QWidget):
    def __init__(self, store, parent=None, changes=None):
        super().__init__(parent)
        self.store = store
        if changes is None:
            from gui.undo import Changes

            changes = Changes(self)
        self.changes = changes
        follow(self, changes, ("users", "catalogues"), self.reload)
        self.model = QStandardItemModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        buttons = QHBoxLayout()
        # Alt letters clear of the menus' (T, S, R, G)
        for text, slot in (("Thêm &người dùng…", self.add), ("Gắn với &cán bộ…", self.link_officer),
                           ("Đặt lại &mật khẩu…", self.reset_password),
                           ("Mở &khoá", self.unlock), ("Ngừng / &dùng lại tài khoản", self.toggle_active)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.rows = self.store.users.all()
        self.model.clear()
        self.model.setHorizontalHeaderLabels(["Tên đăng nhập", "Họ và tên", "Vai trò", "Cán bộ", "Trạng thái"])
        for u in self.rows:
            state = "ngừng" if not u["active"] else (f"khoá đến {lock_time_text(u['locked_until'])}" if u["locked_until"]
                                                     else "đang dùng")
            self.model.appendRow([QStandardItem(u["username"]), QStandardItem(u["full_name"]),
                                  QStandardItem(ROLE_NAMES[u["role"]]), QStandardItem(u["officer"] or ""),
                                  QStandardItem(state)])
        self.view.resizeColumnsToContents()

    def _selected(self) -> dict | None:
        index = self.view.currentIndex()
        if not index.isValid():
            messages.info(self, "Chọn một người dùng trong bảng.")
            return None
        return self.rows[index.row()]

    def _run(self, op) -> None:
        runner_for(self.store, self.changes, self.window()).run(op)

    def add(self) -> None:
        from gui.sign_in import UserDialog

        dialog = UserDialog(self.store, self)
        dialog.finished.connect(lambda _: self.reload())  # the dialog wrote through core.ops
        dialog.open()
        self.dialog = dialog

    def link_officer(self) -> None:
        """Gắn với cán bộ: which officer this account is (relink, or none)."""
        user = self._selected()
        if user is None:
            return
        dialog = LinkOfficerDialog(self.store, user, self)
        dialog.accepted.connect(lambda: self._run(partial(link_officer, user_id=user["id"],
                                                          officer_id=dialog.officer.currentData())))
        dialog.open()
        self.dialog = dialog

    def reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        password = messages.ask_text(self, f"Mật khẩu mới cho {user['username']} (ít nhất 8 ký tự, có chữ và số):")
        if password is not None:
            self._run(partial(ops.set_password, user_id=user["id"], password=password))

    def unlock(self) -> None:
        user = self._selected()
        if user is not None:
            self._run(partial(ops.unlock_user, user_id=user["id"]))

    def toggle_active(self) -> None:
        user = self._selected()
        if user is None:
            return
        self._run(partial(ops.set_user_active, user_id=user["id"], active=not user["active"]))


class LinkOfficerDialog(QDialog):
    """The officer an account belongs to: her own cases and her own evaluation follow it."""

    def __init__(self, store, user: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Gắn tài khoản với cán bộ")
        self.officer = QComboBox()
        self.officer.addItem("(không gắn với cán bộ)", None)
        for o in store.officers(active_only=True):
            self.officer.addItem(o["name"], o["id"])
        i = self.officer.findData(user["officer_id"]) if user["officer_id"] is not None else -1
        if i < 0 and user["full_name"]:  # not linked yet: the officer of the same name, if any
            i = self.officer.findText(user["full_name"])
        self.officer.setCurrentIndex(max(i, 0))
        form = QFormLayout(self)
        form.addRow(QLabel(f"Tài khoản {user['username']} ({user['full_name'] or 'chưa có họ tên'})"))
        caption = QLabel("Là &cán bộ:")
        caption.setBuddy(self.officer)
        form.addRow(caption, self.officer)
        hint = QLabel("Hồ sơ mới (Ctrl+N) của tài khoản này ghi cho cán bộ đã gắn; cán bộ tự chấm "
                      "phiếu đánh giá của mình.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        form.addRow(hint)
        buttons = ok_cancel("Gắn", self.accept, self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)
        self.officer.setFocus()
