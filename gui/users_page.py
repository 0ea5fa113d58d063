"""Managing users (administrators only): add, reset a password, unlock, stop an account."""
from __future__ import annotations

from functools import partial

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from core import ops
from db.audit import ROLE_NAMES
from db.users import lock_time_text
from gui import messages
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
        for text, slot in (("Thêm người dùng…", self.add), ("Đặt lại mật khẩu…", self.reset_password),
                           ("Mở khoá", self.unlock), ("Ngừng / dùng lại tài khoản", self.toggle_active)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.rows = self.store.users()
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
