"""Recording a case's events from the register (issue 14): the dialog (the change itself is
``core.ops.record_event`` through the window's runner) and the notice to copy."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from core.domain import events
from gui.keys import ok_cancel
from gui.case_dialog import from_qdate

# kind -> (menu text, shortcut); the order of the menu
EVENT_ACTIONS = (
    ("supplement_requested", "Yêu cầu bổ sung hồ sơ…", "Ctrl+B"),
    ("supplement_returned", "Nhận hồ sơ bổ sung…", "Ctrl+Shift+B"),
    ("extended", "Xin lỗi và hẹn lại ngày trả…", "Ctrl+L"),
    ("refused", "Từ chối tiếp nhận, giải quyết…", "Ctrl+Shift+R"),
    ("stopped", "Dừng giải quyết…", "Ctrl+Shift+S"),
    ("rated", "Đánh giá của người dân khi trả kết quả…", "Ctrl+Shift+A"),
    ("complaint", "Phản ánh, kiến nghị…", "Ctrl+Shift+N"),
)
NOTE_LABELS = {
    "supplement_requested": "Nội dung cần bổ sung, hoàn thiện (mỗi giấy tờ một dòng):",
    "extended": "Lý do chậm trả kết quả:",
    "refused": "Lý do từ chối:",
    "stopped": "Lý do dừng giải quyết:",
    "complaint": "Nội dung phản ánh, kiến nghị:",
}
# the form printed after an event, if any
FORM_AFTER = {"supplement_requested": "supplement", "extended": "apology", "refused": "refused",
              "stopped": "stopped"}


class EventDialog(QDialog):
    """One event of one case; checked as you type by the rules of ``core.domain.events``."""

    chosen = Signal(dict)

    def __init__(self, case: dict, values: dict, kind: str, calendar, today: dt.date, parent=None):
        super().__init__(parent)
        self.kind = kind
        self._values, self._calendar, self._today = values, calendar, today
        name, day_label = events.KINDS[kind]
        self.setWindowTitle(f"{name}: {case['code']}")
        self.resize(520, 300)
        from gui.date_field import DateField

        self.date = DateField(today, work_calendar=calendar, today=today)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.new_date = DateField(today + dt.timedelta(days=7), work_calendar=calendar, today=today)
        self.rating = QComboBox()
        for key, text in events.SATISFACTION.items():
            self.rating.addItem(text, key)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(QLabel(f"{case['procedure']} — {case['applicant'] or 'không rõ người nộp'}"))
        form.addRow(day_label + ":", self.date)
        if kind == "extended":
            form.addRow("Ngày hẹn trả mới:", self.new_date)
        if kind == "rated":
            form.addRow("Mức độ hài lòng:", self.rating)
        if kind in NOTE_LABELS:
            form.addRow(QLabel(NOTE_LABELS[kind]))
            form.addRow(self.note)
        self.buttons = ok_cancel("Ghi nhận", self._ok, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # the reason is written once a field was left or a save tried, never before anything is typed
        self._reveal = False
        for w in (self.date, self.new_date, self.note):
            w.installEventFilter(self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)
        # Tab from the note goes to "Ghi nhận", never to "Hủy" (where a space would cancel)
        QWidget.setTabOrder(self.note if kind in NOTE_LABELS else self.rating if kind == "rated" else self.date, ok)
        QWidget.setTabOrder(ok, self.buttons.button(QDialogButtonBox.StandardButton.Cancel))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # saves from any field, the note included
            QShortcut(QKeySequence(keys), self, self._ok)
        for signal in (self.date.dateChanged, self.new_date.dateChanged, self.note.textChanged,
                       self.rating.currentIndexChanged):
            signal.connect(self._check)
        self._check()
        self._initial = self._comparable()
        # keyboard first: the date is today's; what is typed is the note (Tab to the dates and buttons)
        (self.note if kind in NOTE_LABELS else self.rating if kind == "rated" else self.date).setFocus()

    def arguments(self) -> dict:
        args = {"day": from_qdate(self.date.date()), "note": self.note.toPlainText()}
        if self.kind == "extended":
            args["new_date"] = from_qdate(self.new_date.date())
        if self.kind == "rated":
            args["rating"] = self.rating.currentData()
        return args

    def _check(self) -> bool:
        args = self.arguments()
        try:
            events.changes(self._values, self.kind, args.pop("day"), calendar=self._calendar, today=self._today,
                           **args)
            reason = ""
        except events.EventError as exc:
            reason = str(exc)
        reason = self.date.problem() or self.new_date.problem() or reason  # a date not read
        self.error.setText(reason)
        self.error.setVisible(self._reveal)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not (reason and self._reveal))
        return not reason

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut and not self._reveal and event.reason() not in (
                Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason):
            self._reveal = True
            self._check()
        return super().eventFilter(watched, event)

    def _comparable(self) -> tuple:
        return (self.date.text(), self.new_date.text(), self.note.toPlainText(), self.rating.currentIndex())

    def is_half_typed(self) -> bool:
        return self._comparable() != self._initial

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.is_half_typed():
            from gui import messages

            if messages.ask(self, "Bỏ những gì đã gõ và đóng?", "Bỏ sự kiện đang nhập"):
                self.reject()
            return
        super().keyPressEvent(event)

    def _ok(self) -> None:
        self._reveal = True
        if self._check():
            self.chosen.emit(self.arguments())
            self.accept()


class NoticeDialog(QDialog):
    """The short notice for Zalo or an SMS, editable before it is copied."""

    def __init__(self, store, case: dict, today: dt.date, parent=None):
        super().__init__(parent)
        from core.documents import notices

        self.setWindowTitle(f"Tin nhắn cho người nộp: {case['code']}")
        self.resize(560, 260)
        self._store, self._case, self._today = store, case, today
        self.kind = QComboBox()
        for key, name in notices.NOTICE_KINDS.items():
            self.kind.addItem(name, key)
        self.text = QPlainTextEdit()
        self.count = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sao chép")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.accepted.connect(self.copy)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Tin nhắn:", self.kind)
        form.addRow(self.text)
        form.addRow(self.count)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self.fill)
        self.text.textChanged.connect(lambda: self.count.setText(f"{len(self.text.toPlainText())} ký tự"))
        state = case.get("state")
        self.kind.setCurrentIndex(max(0, self.kind.findData(
            {"supplement": "supplement", "extended": "apology"}.get(state, "ready" if case.get("resolved_date")
                                                                    else "received"))))
        self.fill()

    def fill(self) -> None:
        from core.documents import notices

        kind = self.kind.currentData()
        event_kind = {"supplement": "supplement_requested", "apology": "extended"}.get(kind)
        event = None
        if event_kind:
            found = [e for e in self._store.events.of_case(self._case["id"]) if e["kind"] == event_kind]
            event = found[-1] if found else None
        self.text.setPlainText(notices.text(kind, self._case, self._store.settings(), self._store.wordings(),
                                            event=event, today=self._today))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
