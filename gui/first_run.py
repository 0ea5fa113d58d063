"""The first run: ask for the office's details and offer demo data."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from gui.catalogues import OFFICE_FIELDS


class FirstRunDialog(QDialog):
    def __init__(self, settings: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Thiết lập lần đầu")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        intro = QLabel("Chào mừng! Nhập thông tin cơ quan: các thông tin này in trên báo cáo và phiếu đánh giá. "
                       "Có thể sửa sau ở trang Danh mục.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.fields: dict[str, QLineEdit] = {}
        for key, label, example in OFFICE_FIELDS:
            edit = QLineEdit(settings.get(key, ""))
            edit.setPlaceholderText(example)
            self.fields[key] = edit
            form.addRow(label + ":", edit)
        self.demo = QCheckBox("Tạo dữ liệu mẫu (4.000 hồ sơ, 7 cán bộ) để dùng thử")
        form.addRow("", self.demo)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Bắt đầu")
        self.buttons.accepted.connect(self._ok)
        form.addRow(self.buttons)

    def values(self) -> dict[str, str]:
        return {k: " ".join(e.text().split()) for k, e in self.fields.items()}

    def _ok(self) -> None:
        from core.domain.office import office_problems

        problems = office_problems(self.values())
        if problems:
            self.error.setText(problems[0])
            return
        self.accept()
