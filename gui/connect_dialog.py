"""Where the office's data is: a file on this PC, or the office's PostgreSQL server (several desks).

Shown at the first start and from the File menu. Connecting to a server is
tried right here: when it cannot be reached the dialog says why in plain
words, keeps everything typed, and "Thử lại" tries again once it is back.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QSpinBox, QWidget)

from db import errors
from db.store import Store


def pgpass_file() -> Path:
    """Where libpq (and so psycopg) looks for saved passwords."""
    import os
    import sys

    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def remember_password(host: str, port: int, database: str, user: str, password: str) -> None:
    """Keep the password where libpq finds it (readable by this user only), never in the program's
    settings: the URL the program remembers carries no password."""
    import os

    def esc(value) -> str:
        return str(value).replace("\\", "\\\\").replace(":", "\\:")

    path = pgpass_file()
    key = ":".join(esc(v) for v in (host, port, database, user)) + ":"
    lines = [line for line in (path.read_text(encoding="utf-8").splitlines() if path.exists() else [])
             if not line.startswith(key)]
    lines.append(key + esc(password))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def server_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    """``postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME`` (interfaces.md §1)."""
    auth = quote(user.strip(), safe="") + (":" + quote(password, safe="") if password else "")
    where = host.strip() + (f":{port}" if port and port != 5432 else "")
    return f"postgresql://{auth}@{where}/{quote(database.strip(), safe='')}"


class ConnectDialog(QDialog):
    def __init__(self, default_file: Path, parent=None, opener=Store.open):
        super().__init__(parent)
        self.setWindowTitle("Nơi lưu dữ liệu")
        self.setMinimumWidth(560)
        self._open = opener
        self.remember = True  # the password kept in libpq's password file
        self.store: Store | None = None
        self.location = None
        form = QFormLayout(self)
        self.on_file = QRadioButton(f"&Tệp trên máy này (một bàn làm việc): {default_file}")
        self.on_server = QRadioButton("&Máy chủ PostgreSQL của cơ quan (nhiều bàn làm việc dùng chung)")
        group = QButtonGroup(self)
        for b in (self.on_file, self.on_server):
            group.addButton(b)
            form.addRow(b)
        self.on_file.setChecked(True)
        self._file = default_file
        self.server = QWidget()
        sf = QFormLayout(self.server)
        self.host = QLineEdit()
        self.host.setPlaceholderText("ví dụ 192.168.1.10 hoặc may-chu")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("motcua")
        self.user = QLineEdit()
        self.user.setPlaceholderText("tên đăng nhập máy chủ, ví dụ motcua")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in (("Máy &chủ:", self.host), ("Cổng:", self.port), ("Tên cơ sở &dữ liệu:", self.database),
                              ("Tên đăng &nhập:", self.user), ("Mật &khẩu:", self.password)):
            sf.addRow(label, widget)
        form.addRow(self.server)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.connect_button = QPushButton("Mở tệp")  # "Kết nối" only for a server; Enter presses it
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.try_connect)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        box.rejected.connect(self.reject)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(box)
        form.addRow(buttons)
        self.on_server.toggled.connect(self.server.setEnabled)
        self.on_server.toggled.connect(self._name_button)
        self.server.setEnabled(False)

    def _name_button(self) -> None:
        if self.connect_button.text() != "&Thử lại":
            self.connect_button.setText("Kết nối" if self.on_server.isChecked() else "Mở tệp")

    def prefill(self, url: str, problem: str = "") -> None:
        """Show a server's URL in the fields (the one remembered), with why it could not be opened."""
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        self.on_server.setChecked(True)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or 5432)
        self.database.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))
        if problem:
            self.error.setText(problem)
            self.connect_button.setText("&Thử lại")

    def chosen(self):
        """The file's path, or the server's URL, as typed."""
        if self.on_file.isChecked():
            return self._file
        return server_url(self.host.text() or "localhost", self.port.value(), self.database.text(),
                          self.user.text(), self.password.text())

    def try_connect(self) -> bool:
        """Open what was chosen; on failure say why, keep every field, offer to try again."""
        location = self.chosen()
        if self.on_server.isChecked() and not (self.database.text().strip() and self.user.text().strip()):
            self.error.setText("Nhập tên cơ sở dữ liệu và tên đăng nhập máy chủ.")
            return False
        try:
            self.store = self._open(location)
        except errors.StoreError as exc:
            self.error.setText(str(exc))
            self.connect_button.setText("&Thử lại")
            return False
        if self.on_server.isChecked():
            # remembered without its password; the password goes where libpq looks for it
            self.location = server_url(self.host.text() or "localhost", self.port.value(), self.database.text(),
                                       self.user.text())
            if self.password.text() and self.remember:
                try:
                    remember_password(self.host.text() or "localhost", self.port.value(),
                                      self.database.text().strip(), self.user.text().strip(), self.password.text())
                except OSError:
                    pass  # asked again next time
        else:
            self.location = location
        self.accept()
        return True
