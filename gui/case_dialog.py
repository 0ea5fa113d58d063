"""Entering and editing one case, keyboard first, checked as you type."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from core.domain import vnformat
from core.domain.cases import cross_problems, entry_problems
from core.domain.workdays import WorkCalendar
from db.errors import StoreError


def to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _date_edit(calendar: WorkCalendar | None = None, today: dt.date | None = None):
    """The one date field of the window (``gui.date_field``): typed as in Excel, F4 for the calendar."""
    from gui.date_field import DateField

    return DateField(today, work_calendar=calendar, today=today)


class CaseDialog(QDialog):
    """Emits ``saved(values)`` with the case's column values (ids, ISO dates) when valid."""

    saved = Signal(dict)
    # submit(values, done): when set, saving goes through it and the dialog closes only once
    # done(True) says the change is in the file; done(False) leaves it open with its values
    submit = None

    def __init__(self, store, calendar: WorkCalendar, parent=None, case_id: int | None = None,
                 today: dt.date | None = None, read_only: bool = False):
        super().__init__(parent)
        self._store = store
        self._calendar = calendar
        self._case_id = case_id
        self._today = today or dt.date.today()
        self._due_by_hand = False
        self._procedures = {p["name"]: p for p in store.procedures()}
        self._officers = store.officers(active_only=case_id is None)
        self.setWindowTitle("Sửa hồ sơ" if case_id else "Tiếp nhận hồ sơ mới")
        self.setMinimumWidth(620)

        self.code = QLineEdit()
        self.procedure = QComboBox()
        self.procedure.setEditable(True)
        self.procedure.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.procedure.addItems(list(self._procedures))
        from gui.completion import FoldingCompleter

        self.procedure.setCompleter(FoldingCompleter(list(self._procedures), self))  # "dang ky" finds "Đăng ký"
        self.procedure.setCurrentIndex(-1)
        self.field = QLabel("—")
        self.applicant = QLineEdit()
        self.officer = QComboBox()
        for o in self._officers:
            self.officer.addItem(o["name"], o["id"])
        self.received = _date_edit(calendar, self._today)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setSuffix(" ngày làm việc")
        self.due = _date_edit(calendar, self._today)
        self.due_note = QLabel()
        self.due_note.setStyleSheet("color: #555")

        self.channel_group = QButtonGroup(self)
        channel_row = QHBoxLayout()
        for code, text in ((1, "&1 Trực tiếp"), (2, "&2 Trực tuyến"), (3, "&3 Bưu chính")):
            b = QRadioButton(text)
            self.channel_group.addButton(b, code)
            channel_row.addWidget(b)
        channel_row.addStretch()
        self.channel_group.button(1).setChecked(True)

        self.digitized = QCheckBox("Số &hoá đầy đủ thành phần hồ sơ khi tiếp nhận")
        self.has_fee = QCheckBox("Có &phí, lệ phí")
        self.paid_online = QCheckBox("Thanh toán trực t&uyến")
        self.e_certified = QCheckBox("Chứng thực điện &tử bản sao từ bản chính")
        self.resolved_check = QCheckBox("Đã có &kết quả, ngày:")
        self.resolved = _date_edit(calendar, self._today)
        self.result_digitized = QCheckBox("Số hoá kết &quả")
        self.withdrawn = QCheckBox("Rút hồ sơ")  # no key: a withdrawal is never one keystroke away

        self.errors: dict[str, QLabel] = {}
        # a problem is written under its field once the field was left or a save tried, not before
        self.shown: set[str] = set()
        self._tried = False
        form = QFormLayout()

        def row(label: str, widget, key: str | None = None) -> None:
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget) if isinstance(widget, QWidget) else box.addLayout(widget)
            if key:
                err = QLabel()
                err.setStyleSheet("color: #b00020")
                err.setObjectName(f"error_{key}")
                err.hide()
                self.errors[key] = err
                box.addWidget(err)
            caption = QLabel(label)
            buddy = widget if isinstance(widget, QWidget) else widget.itemAt(0).widget()
            if buddy is not None:
                caption.setBuddy(buddy)  # Alt + the underlined letter jumps to the field
            form.addRow(caption, box)

        row("&Mã hồ sơ:", self.code, "code")
        row("Thủ tụ&c:", self.procedure, "procedure")
        row("Lĩnh vực:", self.field)
        row("&Người nộp:", self.applicant, "applicant")
        row("Cán &bộ tiếp nhận:", self.officer, "officer")
        row("Ngày t&iếp nhận:", self.received, "received_date")
        row("Thời hạn &giải quyết:", self.days)
        due_box = QHBoxLayout()
        due_box.addWidget(self.due)
        due_box.addWidget(self.due_note, 1)
        row("Ngày hẹn t&rả:", due_box, "due_date")
        row("Hình thức nộp:", channel_row)
        flags = QVBoxLayout()
        for w in (self.digitized, self.has_fee, self.paid_online, self.e_certified):
            flags.addWidget(w)
        row("", flags, "paid_online")
        res = QHBoxLayout()
        res.addWidget(self.resolved_check)
        res.addWidget(self.resolved)
        res.addWidget(self.result_digitized)
        res.addStretch()
        row("Kết quả:", res, "resolved_date")
        row("", self.withdrawn)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.events = None
        if case_id is not None:
            layout.addWidget(self._events_table(store.events.of_case(case_id)))
        layout.addWidget(self.buttons)
        self.read_only = read_only

        self._load()
        self.procedure.currentTextChanged.connect(self._procedure_changed)
        self.received.dateChanged.connect(self._recompute_due)
        self.days.valueChanged.connect(self._recompute_due)
        self.due.dateChanged.connect(self._due_edited)
        for signal in (self.code.textChanged, self.procedure.currentTextChanged, self.received.dateChanged,
                       self.due.dateChanged, self.resolved.dateChanged, self.officer.currentIndexChanged):
            signal.connect(self.validate)
        for box in (self.has_fee, self.paid_online, self.resolved_check, self.result_digitized, self.withdrawn):
            box.toggled.connect(self.validate)
        self.resolved_check.toggled.connect(self.resolved.setEnabled)
        self._left_keys = {self.code: "code", self.procedure: "procedure", self.procedure.lineEdit(): "procedure",
                           self.applicant: "applicant", self.officer: "officer", self.received: "received_date",
                           self.due: "due_date", self.resolved: "resolved_date"}
        for w in self._left_keys:
            w.installEventFilter(self)
        for box, key in ((self.has_fee, "paid_online"), (self.paid_online, "paid_online"),
                         (self.resolved_check, "resolved_date"), (self.result_digitized, "resolved_date")):
            box.toggled.connect(lambda _on, key=key: self._show(key))  # a box ticked is a choice made
        self.applicant.textChanged.connect(self.validate)
        self.validate()
        self._initial = self._comparable()
        self.procedure.setFocus()  # the code is filled in: the officer starts with the procedure
        if read_only:
            self.setWindowTitle("Xem hồ sơ (chỉ đọc)")
            for w in self.findChildren(QWidget):
                if isinstance(w, (QLineEdit, QComboBox, QSpinBox, QCheckBox, QRadioButton)):
                    w.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Save).hide()
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()
        from gui.keys import fit_to_screen

        fit_to_screen(self, max(620, self.sizeHint().width()), self.sizeHint().height())

    def _events_table(self, rows: list[dict]) -> QWidget:
        """The case's life as the register's Sự kiện menu recorded it: supplement rounds, apology and
        new date, refusal, stop, rating, complaints; read here by whoever opens the case."""
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

        from core.domain import events as event_rules

        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 6, 0, 0)
        title = QLabel(f"<b>Sự kiện của hồ sơ</b> ({len(rows)})" if rows else
                       "<b>Sự kiện của hồ sơ</b>: chưa có (bổ sung, xin lỗi – hẹn lại, từ chối, dừng…)")
        v.addWidget(title)
        if not rows:
            return box
        self.events = QTableWidget(len(rows), 3)
        self.events.setHorizontalHeaderLabels(["Ngày", "Sự kiện", "Nội dung"])
        self.events.verticalHeader().hide()
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, e in enumerate(rows):
            note = " ".join((e.get("note") or "").split())
            if e.get("new_date"):
                note = f"hẹn trả lại {dt.date.fromisoformat(e['new_date']):%d/%m/%Y}" + (f"; {note}" if note else "")
            if e["kind"] == "rated":
                note = event_rules.SATISFACTION.get(note, note)
            for c, text in enumerate((dt.date.fromisoformat(e["day"]).strftime("%d/%m/%Y"),
                                      event_rules.KINDS.get(e["kind"], (e["kind"],))[0], note)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.events.setItem(r, c, item)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.events.verticalHeader().setDefaultSectionSize(22)
        self.events.setFixedHeight(min(len(rows), 5) * 22 + self.events.horizontalHeader().sizeHint().height() + 4)
        v.addWidget(self.events)
        return box

    # ---- loading and deriving -------------------------------------------------------

    def _load(self) -> None:
        self.resolved.setEnabled(False)
        if self._case_id is None:
            self.proposed_code = self._store.cases.next_code(self._today)  # allocated anew when saved
            self.code.setText(self.proposed_code)
            self.received.setDate(to_qdate(self._today))
            self.due.setDate(to_qdate(self._today))
            self.resolved.setDate(to_qdate(self._today))
            # the signed-in officer first, else the officer chosen last time
            i = self.officer.findData(self._store.actor.get("officer_id")) \
                if self._store.actor.get("officer_id") is not None else -1
            if i < 0 and self._store.actor.get("full_name"):  # an account not linked yet: her own name
                i = self.officer.findText(self._store.actor["full_name"])
            if i < 0:
                last = self._store.settings().get("last_officer")
                i = self.officer.findText(last) if last else -1
            self.officer.setCurrentIndex(max(i, 0))
            self.digitized.setChecked(True)
            self._recompute_due()
            return
        c = self._store.cases.get(self._case_id)
        self._original_code = c["code"]
        self.version = c.get("version")  # checked when saved: another desk may change the case meanwhile
        self.code.setText(c["code"])
        self.procedure.setCurrentText(c["procedure"])
        self.field.setText(c["field"] or "—")
        self.applicant.setText(c["applicant"])
        i = self.officer.findData(c["officer_id"])
        self.officer.setCurrentIndex(i)
        self.received.setDate(to_qdate(dt.date.fromisoformat(c["received_date"])))
        self.days.setValue(c["processing_days"] or 0)
        self.due.setDate(to_qdate(dt.date.fromisoformat(c["due_date"])))
        self._due_by_hand = True  # keep the stored due date unless the limit changes
        self.channel_group.button(c["channel"]).setChecked(True)
        for box, key in self._flag_boxes():  # an unknown value stays unknown unless the officer sets it
            if c.get(key) is None:
                box.setTristate(True)
                box.setCheckState(Qt.CheckState.PartiallyChecked)
                box.setToolTip("Chưa rõ (tệp đã nhập không có số liệu này): bấm để ghi có hoặc không")
            else:
                box.setChecked(bool(c[key]))
        if c["resolved_date"]:
            self.resolved_check.setChecked(True)
            self.resolved.setEnabled(True)
            self.resolved.setDate(to_qdate(dt.date.fromisoformat(c["resolved_date"])))
        else:
            self.resolved.setDate(to_qdate(self._today))
        self.withdrawn.setChecked(c["status"] == "withdrawn")
        # a refusal or a stop is an event of the case (menu Sự kiện): editing keeps it
        self._ended = c["status"] if c["status"] in ("refused", "stopped") else None
        self.withdrawn.setEnabled(self._ended is None)

    def _flag_boxes(self):
        return ((self.digitized, "digitized"), (self.has_fee, "has_fee"), (self.paid_online, "paid_online"),
                (self.e_certified, "e_certified"), (self.result_digitized, "result_digitized"))

    @staticmethod
    def _flag(box) -> int | None:
        """A check box's value: 1, 0, or None while it still says "chưa rõ" (partially checked)."""
        if box.isTristate() and box.checkState() == Qt.CheckState.PartiallyChecked:
            return None
        return int(box.isChecked())

    def _procedure_changed(self, name: str) -> None:
        p = self._procedures.get(name)
        if p is None:
            self.field.setText("—")
            return
        self.field.setText(p["field"] or "—")
        self.has_fee.setChecked(bool(p["has_fee"]))
        self._due_by_hand = False
        self.days.setValue(p["processing_days"] or 0)
        self._recompute_due()

    def _recompute_due(self) -> None:
        if self._due_by_hand and self.sender() is not self.days:
            return
        self._due_by_hand = False
        due = self._calendar.add_working_days(from_qdate(self.received.date()), self.days.value())
        self.due.blockSignals(True)
        self.due.setDate(to_qdate(due))
        self.due.blockSignals(False)
        self.due_note.setText(f"tự tính: {self.days.value()} ngày làm việc, bỏ qua ngày nghỉ")
        self.validate()

    def _due_edited(self) -> None:
        self._due_by_hand = True
        self.due_note.setText("sửa tay")

    # ---- checking and saving --------------------------------------------------------

    def values(self) -> dict:
        p = self._procedures.get(self.procedure.currentText().strip())
        resolved = from_qdate(self.resolved.date()) if self.resolved_check.isChecked() else None
        return {
            "code": self.code.text().strip(),
            "procedure_id": p["id"] if p else None,
            "field_id": p["field_id"] if p else None,
            "applicant": self.applicant.text().strip(),
            "officer_id": self.officer.currentData(),
            "received_date": from_qdate(self.received.date()),
            "due_date": from_qdate(self.due.date()),
            "processing_days": self.days.value(),
            "channel": self.channel_group.checkedId(),
            "digitized": self._flag(self.digitized),
            "resolved_date": resolved,
            "result_digitized": self._flag(self.result_digitized),
            "has_fee": self._flag(self.has_fee),
            "paid_online": self._flag(self.paid_online),
            "e_certified": self._flag(self.e_certified),
            "status": "withdrawn" if self.withdrawn.isChecked() else getattr(self, "_ended", None),
        }

    def problems(self) -> dict[str, str]:
        v = self.values()
        out: dict[str, str] = {}
        if self._case_id is None:  # a case received at the desk has its applicant (core.domain.cases)
            for column, reason in entry_problems(v):
                out[column] = vnformat.sentence(reason) + "."
        if not v["code"]:
            out["code"] = "Nhập mã hồ sơ."
        elif v["code"] not in (getattr(self, "_original_code", None), getattr(self, "proposed_code", None)) \
                and self._store.existing_codes([v["code"]]):  # a proposed code is allocated anew at save
            out["code"] = f"Mã {v['code']} đã có."
        if v["procedure_id"] is None:
            out["procedure"] = ("Chọn thủ tục trong danh mục." if not self.procedure.currentText().strip()
                                else "Thủ tục không có trong danh mục (thêm ở trang Danh mục).")
        if v["officer_id"] is None:
            out["officer"] = "Chưa có cán bộ: thêm ở trang Danh mục."
        for key, field in (("received_date", self.received), ("due_date", self.due),
                           ("resolved_date", self.resolved)):
            if field.isEnabled() and not field.is_valid():
                out[key] = field.problem()
        for column, reason in cross_problems(v, self._today):
            key = {"result_digitized": "resolved_date"}.get(column, column)
            out.setdefault(key, vnformat.sentence(reason) + ".")
        return out

    def validate(self) -> bool:
        """True when the case can be saved. The reasons are written under their fields once the field
        was left or a save tried; Lưu is greyed only while a shown reason stands."""
        problems = self.problems()
        shown = self.shown | (set(self.errors) if self._tried else set())
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems and key in shown)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            not any(key in shown for key in problems))
        return not problems

    def _show(self, key: str) -> None:
        if key not in self.shown:
            self.shown.add(key)
            self.validate()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in getattr(self, "_left_keys", {}) \
                and event.reason() not in (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason):
            # the completer's list, or another window for a moment, is not leaving the field
            self._show(self._left_keys[watched])
        return super().eventFilter(watched, event)

    def _comparable(self) -> dict:
        v = self.values()
        v["procedure_text"] = self.procedure.currentText()
        return v

    def is_half_typed(self) -> bool:
        """Something was typed or changed since the dialog opened."""
        return not self.read_only and self._comparable() != self._initial

    def keyPressEvent(self, event) -> None:
        # Esc on a half-typed case asks first (the Hủy button is a choice already made)
        if event.key() == Qt.Key.Key_Escape and self.is_half_typed():
            from gui import messages

            if not messages.ask(self, "Bỏ hồ sơ đang nhập? Những gì đã gõ sẽ mất.", "Bỏ hồ sơ đang nhập"):
                return
            self.reject()
            return
        super().keyPressEvent(event)

    def _save(self) -> None:
        self._tried = True
        if not self.validate():
            first = next((k for k in self.errors if self.errors[k].isVisible()), None)
            widget = next((w for w, k in self._left_keys.items() if k == first and w is not self.procedure), None)
            if widget is not None and widget.isEnabled():
                widget.setFocus()  # the cursor to the first field to put right
            return
        v = self.values()
        for key in ("received_date", "due_date", "resolved_date"):
            v[key] = v[key].isoformat() if v[key] else None
        if self._case_id is None and v["received_date"] == self._today.isoformat():
            v["received_time"] = dt.datetime.now().strftime("%H:%M")
        if self.submit is None:
            try:
                self._store.remember("last_officer", self.officer.currentText())
            except StoreError:
                pass  # only a preference: the case itself is what must not be lost
            self.saved.emit(v)
            self.accept()
            return
        # the dialog stays open, its values intact, until the change is in the file
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        self.submit(v, self._submitted)

    def _submitted(self, ok: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if ok:
            self.accept()
