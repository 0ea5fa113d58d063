"""Signing in, and creating the administrator on the first run."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from core import ops
from db.audit import ROLE_NAMES
from db.errors import StoreError
from db.users import AuthError
from gui.keys import ok_cancel
from gui.operations import describe


class SignInDialog(QDialog):
    def __init__(self, store, parent=None, username: str | None = None):
        super().__init__(parent)
        self.store = store
        self.user: dict | None = None
        self.setWindowTitle("Đăng nhập")
        self.setMinimumWidth(440)
        # the name last signed in on this desk, selected: whoever sits down types hers over it
        # (after a sign-out the program passes "": the next person is not offered the last one's)
        self.username = QLineEdit(store.settings().get("last_user", "") if username is None else username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đăng nhập")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.username.setFocus()
        self.username.selectAll()

    def try_sign_in(self) -> bool:
        try:
            self.user = self.store.users.authenticate(self.username.text(), self.password.text())
        except AuthError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            self.adjustSize()  # the whole message shows, never cut at top or bottom
            return False
        except StoreError as exc:  # busy, read-only, …: named by cause, the dialog stays
            self.error.setText(describe(exc, self.store.path))
            return False
        try:
            ops.remember(self.store, "last_user", self.user["username"])
        except StoreError:
            pass  # only a preference (a file opened for reading only keeps none)
        self.accept()
        return True


NEW_OFFICER = -1  # the officer combo's "create her" choice
NEW_OFFICER_TEXT = "(cán bộ mới, theo họ và tên)"


class UserDialog(QDialog):
    """A new user: the administrator on the first run, anyone later (by an administrator)."""

    def __init__(self, store, parent=None, first: bool = False):
        super().__init__(parent)
        self.store = store
        self.user_id: int | None = None
        self.setWindowTitle("Tạo tài khoản quản trị" if first else "Thêm người dùng")
        self.username = QLineEdit("admin" if first else "")
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for key, name in ROLE_NAMES.items():
            if not first or key == "admin":
                self.role.addItem(name, key)
        self.officer = QComboBox()
        self.officer.addItem("(không gắn với cán bộ)", None)
        for o in store.officers():
            self.officer.addItem(o["name"], o["id"])
        # a new office: the officers come with the first import, which finds her under this name
        self.officer.addItem(NEW_OFFICER_TEXT, NEW_OFFICER)
        self._officer_by_hand = False
        self.officer.activated.connect(lambda _: setattr(self, "_officer_by_hand", True))
        self.full_name.textEdited.connect(self._match_officer)
        self.role.currentIndexChanged.connect(lambda _: self._match_officer(self.full_name.text()))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        if first:
            intro = QLabel("Tạo tài khoản quản trị đầu tiên. Người quản trị tạo tài khoản cho cán bộ và chủ tịch.")
            intro.setWordWrap(True)
            form.addRow(intro)
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Họ và tên:", self.full_name)
        form.addRow("Vai trò:", self.role)
        if not first:
            form.addRow("Là cán bộ:", self.officer)
        form.addRow("Mật khẩu (ít nhất 8 ký tự, có chữ và số):", self.password)
        form.addRow("Nhập lại mật khẩu:", self.repeat)
        form.addRow(self.error)
        buttons = ok_cancel("Tạo tài khoản", self.create, self.reject)
        form.addRow(buttons)

    def _match_officer(self, name: str) -> None:
        """An officer's account is her officer: the one of the same name, else a new one of that name."""
        if self._officer_by_hand:
            return
        if self.role.currentData() != "officer":
            self.officer.setCurrentIndex(0)
            return
        i = self.officer.findText(" ".join(name.split()))
        self.officer.setCurrentIndex(i if i > 0 else self.officer.findData(NEW_OFFICER) if name.strip() else 0)

    def create(self) -> bool:
        if self.password.text() != self.repeat.text():
            self.error.setText("Hai lần nhập mật khẩu không khớp.")
            return False
        try:
            if self.officer.currentData() == NEW_OFFICER:
                if self.role.currentData() != "officer":
                    raise ValueError("Chỉ tạo cán bộ mới cho tài khoản có vai trò Cán bộ một cửa.")
                from core.ops.people import add_officer_account

                self.user_id = add_officer_account(self.store, self.username.text(), self.password.text(),
                                                   self.full_name.text()).id
            else:
                self.user_id = ops.add_user(self.store, self.username.text(), self.password.text(),
                                            self.role.currentData(), self.full_name.text(),
                                            self.officer.currentData()).id
        except Exception as exc:  # a rule broken or the file busy: said in the dialog, which stays open
            self.error.setText(describe(exc, self.store.path))
            self.adjustSize()
            return False
        self.accept()
        return True


class PasswordDialog(QDialog):
    """Tệp → Đổi mật khẩu của tôi: the current password, then the new one twice."""

    def __init__(self, store, parent=None, run=None):
        super().__init__(parent)
        self.store = store
        self.run = run  # the window's OpRunner.run
        self.setWindowTitle("Đổi mật khẩu")
        self.setMinimumWidth(440)
        self.current, self.new, self.repeat = QLineEdit(), QLineEdit(), QLineEdit()
        for w in (self.current, self.new, self.repeat):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Người dùng: {store.actor.get('username', '')}"))
        form.addRow("Mật khẩu &hiện tại:", self.current)
        form.addRow("Mật khẩu &mới (ít nhất 8 ký tự, có chữ và số):", self.new)
        form.addRow("&Nhập lại mật khẩu mới:", self.repeat)
        form.addRow(self.error)
        buttons = ok_cancel("Đổi mật khẩu", self.change, self.reject)
        form.addRow(buttons)
        self.current.setFocus()

    def _refuse(self, text: str, field: QLineEdit) -> bool:
        self.error.setText(text)
        field.setFocus()
        field.selectAll()
        self.adjustSize()
        return False

    def change(self) -> bool:
        """Through the window's one runner of operations (``core.ops.change_own_password``)."""
        from functools import partial

        from core.ops import change_own_password

        if self.new.text() != self.repeat.text():
            return self._refuse("Hai lần nhập mật khẩu mới không khớp.", self.repeat)
        failed: list[BaseException] = []
        op = partial(change_own_password, current=self.current.text(), new=self.new.text())
        done = self.run(op, undoable=False, on_failed=failed.append) if self.run else self._run_here(op, failed)
        if not done:
            text = str(failed[0]) if failed else "Chưa đổi được mật khẩu."
            return self._refuse(text, self.current if "hiện tại" in text else self.new)
        self.accept()
        return True

    def _run_here(self, op, failed: list) -> bool:
        try:
            op(self.store)
        except ValueError as exc:
            failed.append(exc)
            return False
        return True
