"""The chairman's letter drafted from the period's figures, edited here, then saved as DOCX or PDF."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from core.documents import letter as letters
from core.documents import official
from core.domain.indicators import E_CERTIFIED, REGISTRY
from db.audit import PermissionDenied
from gui import messages

# when a directive is proposed: always, with late cases, with no e-certified copy, or a rate under its target
WHEN_LABELS = {"always": "luôn đề xuất", "late": "khi có hồ sơ quá hạn", E_CERTIFIED.key: "khi chưa chứng thực điện tử",
               **{i.key: f"khi {i.narrative} chưa đạt" for i in REGISTRY if i.narrative}}


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [" ".join(line.split()) for line in edit.toPlainText().splitlines() if line.strip()]


class LetterDialog(QDialog):
    """Every part of the letter is plain text to edit; the directives come from the office's list (ticked
    ones go into the letter, in order) and the list itself can be edited and saved for next time."""

    def __init__(self, store, report, today: dt.date, parent=None, runner=None):
        super().__init__(parent)
        self.store, self.report, self.today = store, report, today
        self.runner = runner  # the window's operation runner (gui.operations); None in a bare dialog
        self.settings = store.settings()
        self.setWindowTitle(f"Soạn công văn từ số liệu {report.period.label}")
        self.resize(1200, 720)
        draft = letters.draft(report, self.settings, day=today)
        self.number = QLineEdit()
        self.number.setPlaceholderText("để trống: văn thư ghi số khi ban hành")
        self.about = QLineEdit(draft.about)
        self.sign_mode = QComboBox()
        for code, label in official.SIGN_MODES.items():
            self.sign_mode.addItem(label, code)
        self.sign_mode.setCurrentIndex(max(0, self.sign_mode.findData(self.settings.get("sign_mode") or "")))
        self.recipients = QPlainTextEdit("\n".join(draft.recipients))
        self.body = QPlainTextEdit("\n\n".join(draft.paragraphs))
        self.receivers = QPlainTextEdit("\n".join(draft.receivers))
        for edit, height in ((self.recipients, 70), (self.receivers, 70)):
            edit.setFixedHeight(height)

        self.list = QListWidget()
        self.list.setWordWrap(True)
        chosen = set(draft.directives)
        for d in letters.directives(self.settings):
            self._add_item(d["text"], d["when"], d["text"] in chosen)
        add = QPushButton("Thêm chỉ đạo")
        add.clicked.connect(lambda: self._add_item("Nội dung chỉ đạo mới", "always", True, edit=True))
        remove = QPushButton("Bỏ khỏi danh sách")
        remove.clicked.connect(self.remove_selected)
        keep = QPushButton("Lưu danh sách cho lần sau")
        keep.clicked.connect(self.save_directives)

        form = QFormLayout()
        form.addRow("Số:", self.number)
        form.addRow("V/v:", self.about)
        form.addRow("Kính gửi (mỗi dòng một nơi):", self.recipients)
        form.addRow("Người ký:", self.sign_mode)
        form.addRow("Nơi nhận (mỗi dòng một nơi):", self.receivers)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(form)
        lv.addWidget(QLabel("Nội dung (các đoạn cách nhau một dòng trống; số liệu trong ngoặc in nghiêng):"))
        lv.addWidget(self.body, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("Các chỉ đạo (đánh dấu để đưa vào công văn; nhấp đúp để sửa):"))
        rv.addWidget(self.list, 1)
        row = QHBoxLayout()
        for b in (add, remove, keep):
            row.addWidget(b)
        rv.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([720, 480])

        self.docx_button = QPushButton("Lưu &Word (DOCX)…")
        self.docx_button.clicked.connect(lambda: self.save("docx"))
        self.pdf_button = QPushButton("Lưu &PDF…")
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        for b in (self.docx_button, self.pdf_button, close):
            buttons.addWidget(b)
        outer = QVBoxLayout(self)
        outer.addWidget(split, 1)
        outer.addLayout(buttons)

    def _add_item(self, text: str, when: str, checked: bool, edit: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, when)
        item.setToolTip(f"Đề xuất {WHEN_LABELS.get(when, when)}")
        self.list.addItem(item)
        if edit:
            self.list.setCurrentItem(item)
            self.list.editItem(item)
        return item

    def items(self) -> list[tuple[str, str, bool]]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            out.append((" ".join(item.text().split()), item.data(Qt.ItemDataRole.UserRole) or "always",
                        item.checkState() == Qt.CheckState.Checked))
        return out

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def save_directives(self) -> bool:
        """Keep the list (texts, order, what proposes each) in the settings for the next letters."""
        from functools import partial

        import core.ops as operations

        values = {"letter_directives": letters.directives_json([{"text": t, "when": w} for t, w, _ in self.items()])}
        op = partial(operations.set_settings, values=values)
        if self.runner is not None:
            if not self.runner.run(op, undoable=False):
                return False  # the runner told why
        else:
            try:
                op(self.store)
            except PermissionDenied as exc:
                messages.error(self, str(exc))
                return False
        self.settings = self.store.settings()
        messages.info(self, "Đã lưu danh sách chỉ đạo.")
        return True

    def letter(self) -> letters.Letter:
        paragraphs = [" ".join(p.split()) for p in self.body.toPlainText().split("\n\n") if p.strip()]
        return letters.Letter(about=" ".join(self.about.text().split()), recipients=_lines(self.recipients),
                              paragraphs=paragraphs, directives=[t for t, _, on in self.items() if on and t],
                              receivers=_lines(self.receivers), sign_mode=self.sign_mode.currentData(),
                              number=self.number.text().strip(), day=self.today)

    def problem(self) -> str | None:
        letter = self.letter()
        if not letter.about:
            return "Nhập trích yếu (V/v) của công văn."
        if not letter.recipients:
            return "Nhập ít nhất một nơi nhận ở mục Kính gửi."
        if not letter.paragraphs:
            return "Nội dung công văn đang trống."
        if letter.sign_mode in ("KT", "TM-KT", "Q") and not self.settings.get("signer_name"):
            return "Chưa có họ tên người ký thay: nhập ở Danh mục → Thông tin cơ quan."
        return None

    def save(self, kind: str, path: Path | None = None) -> Path | None:
        problem = self.problem()
        if problem:
            messages.error(self, problem)
            return None
        name = f"cong-van-{self.report.period.code}.{kind}"
        path = path or messages.save_path(self, "Lưu công văn", name,
                                          "Word (*.docx)" if kind == "docx" else "PDF (*.pdf)")
        if path is None:
            return None
        doc = letters.document(self.letter(), self.settings)
        if not messages.save_file(self, path, official.render(doc, kind)):
            return None
        messages.info(self, f"Đã lưu công văn vào {path}.")
        return path
