"""The office's own wording of the case forms and the Zalo/SMS notices (issue 14)."""
from __future__ import annotations

import json

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout)

from core.documents import forms
from core.documents import notices
from gui import messages

PLACEHOLDERS = ("{code} {procedure} {applicant} {officer} {received} {received_short} {due} {due_short} "
                "{new_due} {new_due_short} {event_day} {note} {office} {committee} {committee_short} "
                "{chairman} {period}")


class WordingDialog(QDialog):
    """Pick a form or a notice, change its words, save; "Mặc định" goes back to the shipped text."""

    def __init__(self, store, save, parent=None):
        """``save(key, value_or_None)`` writes one wording (through the window's operation runner)."""
        super().__init__(parent)
        self.store, self._save = store, save
        self.setWindowTitle("Lời văn mẫu phiếu và tin nhắn")
        self.resize(760, 560)
        self.which = QComboBox()
        for kind, form in forms.wording().items():
            self.which.addItem(f"Phiếu: {form['name']}", f"form.{kind}")
        for kind, name in notices.NOTICE_KINDS.items():
            self.which.addItem(f"Tin nhắn: {name}", f"notice.{kind}")
        self.title = QLineEdit()
        self.before = QPlainTextEdit()
        self.after = QPlainTextEdit()
        self.notice = QPlainTextEdit()
        self.form_rows = QFormLayout()
        self.form_rows.addRow("Tên phiếu (in hoa):", self.title)
        self.form_rows.addRow("Các đoạn trước nội dung (mỗi đoạn một dòng):", self.before)
        self.form_rows.addRow("Các đoạn sau nội dung (mỗi đoạn một dòng):", self.after)
        self.form_rows.addRow("Tin nhắn:", self.notice)
        hint = QLabel("Có thể dùng: " + PLACEHOLDERS)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        self.default = QPushButton("Mặc định")
        buttons.addButton(self.default, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.default.clicked.connect(self.reset)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow("Mẫu:", self.which)
        layout.addLayout(top)
        layout.addLayout(self.form_rows)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.which.currentIndexChanged.connect(self.load)
        self.load()

    @property
    def key(self) -> str:
        return self.which.currentData()

    def load(self) -> None:
        stored = self.store.wordings()
        is_form = self.key.startswith("form.")
        for w in (self.title, self.before, self.after):
            w.setVisible(is_form)
            self.form_rows.labelForField(w).setVisible(is_form)
        self.notice.setVisible(not is_form)
        self.form_rows.labelForField(self.notice).setVisible(not is_form)
        if is_form:
            form = forms.wording(stored)[self.key[5:]]
            self.title.setText(form["title"])
            self.before.setPlainText("\n".join(form["paragraphs"]))
            self.after.setPlainText("\n".join(form["after"]))
        else:
            self.notice.setPlainText(notices.wording(stored)[self.key[7:]])

    def value(self) -> str:
        if self.key.startswith("form."):
            lines = lambda w: [line.strip() for line in w.toPlainText().splitlines() if line.strip()]  # noqa: E731
            return json.dumps({"title": self.title.text().strip(), "paragraphs": lines(self.before),
                               "after": lines(self.after)}, ensure_ascii=False)
        return " ".join(self.notice.toPlainText().split())

    def save(self) -> None:
        value = self.value()
        if self.key.startswith("form.") and not json.loads(value)["title"]:
            messages.error(self, "Phiếu cần có tên.")
            return
        if self.key.startswith("notice.") and not value:
            messages.error(self, "Tin nhắn không được để trống: dùng “Mặc định” để trở lại lời văn có sẵn.")
            return
        self._save(self.key, value)
        self.load()

    def reset(self) -> None:
        self._save(self.key, None)
        self.load()
