"""The case register: the desk officer's page, all day long."""
from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QTableView, QToolBar,
                               QVBoxLayout, QWidget)

from core import ops
from core.domain import periods
from core.domain import vnformat
from core.domain.cases import STATE_NAMES, action_problem, search_problem
from db.register import RegisterFilter
from gui import messages
from gui.case_dialog import CaseDialog, from_qdate
from gui.keys import forbid, ok_cancel, page_action
from gui.register_model import CaseTableModel

ALL = "Tất cả"


class ResolveDialog(QDialog):
    """Mark a case resolved: the date defaults to today; Enter accepts."""

    chosen = Signal(dt.date, bool)

    def __init__(self, case: dict, today: dt.date, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Đã giải quyết: {case['code']}")
        self._received = dt.date.fromisoformat(case["received_date"])
        self._today = today
        from gui.date_field import DateField

        self.date = DateField(today, today=today)
        self.result_digitized = QCheckBox("Đã số hoá kết quả")
        self.result_digitized.setChecked(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{case['procedure']} — {case['applicant'] or 'không rõ người nộp'}"))
        form.addRow("Ngày có kết quả:", self.date)
        form.addRow("", self.result_digitized)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ghi nhận")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.date.dateChanged.connect(self._check)
        self._check()

    def _check(self) -> bool:
        d = from_qdate(self.date.date())
        reason = self.date.problem()
        if reason:
            pass
        elif d < self._received:
            reason = f"Trước ngày tiếp nhận {vnformat.date_short(self._received)}."
        elif d > self._today:
            reason = "Ngày ở tương lai."
        self.error.setText(reason)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not reason)
        return not reason

    def _ok(self) -> None:
        if self._check():
            self.chosen.emit(from_qdate(self.date.date()), self.result_digitized.isChecked())
            self.accept()


class PapersDialog(QDialog):
    """The papers a citizen handed in, one a line, for the receipt slip."""

    chosen = Signal(str)

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Thành phần hồ sơ")
        self.resize(520, 260)
        self.papers = QPlainTextEdit(text)
        self.papers.setTabChangesFocus(True)  # Tab goes on to the button; Enter there prints
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        buttons = ok_cancel("In giấy tiếp nhận", self._ok, self.reject)
        layout = QVBoxLayout(self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+P"):
            QShortcut(QKeySequence(keys), self, activated=self._ok)
        layout.addWidget(QLabel("Thành phần hồ sơ đã nhận, mỗi giấy tờ một dòng (Tab rồi Enter, "
                                "hoặc Ctrl+Enter để in):"))
        layout.addWidget(self.papers, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _ok(self) -> None:
        lines = [line.strip() for line in self.papers.toPlainText().splitlines() if line.strip()]
        if not lines:
            self.error.setText("Ghi ít nhất một giấy tờ đã nhận.")
            return
        self.chosen.emit("\n".join(lines))
        self.accept()


class RegisterPage(QWidget):
    def __init__(self, store, calendar, undo_stack, changes, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store, self.calendar, self.undo_stack, self.changes = store, calendar, undo_stack, changes
        self._today = today
        self.dialog: QDialog | None = None  # the dialog open now, for tests and focus

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm mã hồ sơ, người nộp, thủ tục… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.setToolTip(f"Kỳ tiếp nhận, ví dụ {periods.EXAMPLES}")
        self.officer = QComboBox()
        self.field = QComboBox()
        self.state = QComboBox()
        self.state.addItem(ALL, None)
        for key, name in STATE_NAMES.items():
            self.state.addItem(name, key)
        self.count = QLabel()
        self.period_error = QLabel()
        self.period_error.setStyleSheet("color: #b00020")

        for combo in (self.period, self.officer, self.field, self.state):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        filters = QHBoxLayout()
        for label, w in (("&Kỳ:", self.period), ("Cán &bộ:", self.officer), ("&Lĩnh vực:", self.field),
                         ("&Trạng thái:", self.state)):
            caption = QLabel(label)
            caption.setBuddy(w)
            filters.addWidget(caption)
            filters.addWidget(w, 1)

        self.model = CaseTableModel(store, self, today=today)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((115, 260, 150, 125, 78, 78, 78, 72, 50, 68, 90, 72, 115)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)  # the table scrolls sideways inside the window when narrow
        from gui.register_columns import RegisterColumns

        self.columns = RegisterColumns(self.table)  # state beside the code, sized to content, remembered
        self.table.doubleClicked.connect(lambda _: self.edit_case())

        # the actions: a tool bar (what does not fit goes to its » menu); keys work as soon as the page shows
        self.toolbar = QToolBar("Hồ sơ")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_: dict[str, QAction] = {}
        self.buttons: dict = {}  # widgets beside the tool bar's actions (the events' menu button)
        for key, text, shortcuts, slot, tip in (
            ("new", "Tiếp nhận mới", "Ctrl+N", self.new_case, "Tiếp nhận một hồ sơ mới"),
            ("edit", "Sửa", "", self.edit_case, "Sửa hồ sơ đang chọn (Enter trong bảng)"),
            ("resolve", "Đã giải quyết", "Ctrl+R", self.resolve_case, "Ghi ngày có kết quả"),
            ("result", "Số hoá KQ", "Ctrl+K", lambda: self.toggle("result_digitized"), "Ghi / bỏ số hoá kết quả"),
            ("paid", "TT trực tuyến", "Ctrl+T", lambda: self.toggle("paid_online"),
             "Ghi / bỏ thanh toán trực tuyến phí, lệ phí"),
            ("ecert", "CT điện tử", "Ctrl+E", lambda: self.toggle("e_certified"), "Ghi / bỏ chứng thực điện tử"),
            ("withdraw", "Rút hồ sơ", "Ctrl+Shift+W", self.toggle_withdrawn, "Ghi / bỏ rút hồ sơ"),
            ("slip", "In giấy tiếp nhận", ("Ctrl+P", "Ctrl+G"), self.print_slip,
             "Giấy tiếp nhận và hẹn trả kết quả của hồ sơ đang chọn"),
            ("history", "Lịch sử", "Ctrl+H", self.show_history, "Mọi thay đổi của hồ sơ đang chọn"),
            ("delete", "Xoá…", "Delete", self.delete_case, "Xoá hồ sơ đang chọn (ghi lý do, khôi phục được)"),
        ):
            action = page_action(self, text, shortcuts, slot, tip)
            self.toolbar.addAction(action)
            self.actions_[key] = action
        edit_key = QShortcut(QKeySequence("Return"), self.table, activated=self.edit_case)
        edit_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Enter"), self.table, activated=self.edit_case).setContext(
            Qt.ShortcutContext.WidgetShortcut)
        self._add_event_menus(self.toolbar)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.period_error)
        layout.addWidget(self.toolbar)
        # an empty register says how cases get in (a new office's first day)
        self.empty_hint = QLabel(
            "<p style='font-size:12pt'><b>Sổ chưa có hồ sơ nào.</b></p>"
            "<p style='font-size:11pt'><b>Ctrl+I</b> — nhập hồ sơ từ tệp (bản xuất của hệ thống tỉnh, sổ theo dõi "
            "dạng Excel hoặc CSV)<br><b>Ctrl+N</b> — tiếp nhận một hồ sơ mới, gõ từ bàn phím</p>")
        self.empty_hint.setObjectName("empty_hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("QLabel#empty_hint { background: #f4f7fb; border: 1px solid #c8d3e0; "
                                      "padding: 18px; color: #223; }")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        self.period_error.hide()
        self._apply_rights()

        QShortcut(QKeySequence("Ctrl+F"), self, activated=lambda: (self.search.setFocus(), self.search.selectAll()))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.open_scanned)
        self.period.currentTextChanged.connect(self._search_timer.start)
        for combo in (self.officer, self.field, self.state):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.changes.cases_changed.connect(self.reload)
        self.changes.catalogues_changed.connect(self.load_choices)
        self.load_choices()
        self._show_count()

    sheet_title = "Sổ hồ sơ"

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _apply_rights(self) -> None:
        """What the signed-in role cannot do is disabled, with the reason in its tooltip."""
        officer = self.store.can("cases")
        why = "Chỉ cán bộ một cửa được tiếp nhận và sửa hồ sơ."
        for key in ("new", "edit", "resolve", "result", "paid", "ecert", "withdraw", "delete"):
            forbid(self.actions_[key], officer, why)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.table.setFocus()  # Enter, arrows and Delete act on the table at once
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        QTimer.singleShot(0, self.columns.fit_to_content)

    def open_scanned(self) -> None:
        """A code typed or scanned into the search (a USB scanner types it and Enter) opens that case."""
        code = self.search.text().strip()
        case_id = self.store.cases.id_by_code(code) if code else None
        if case_id is None:
            self.apply_filters()
            if self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)
            return
        self.apply_filters()
        if not self.select_case(case_id):
            return
        self.table.setFocus()
        self.edit_case() if self.store.can("cases") else self.view_case()

    # ---- filters --------------------------------------------------------------------

    def load_choices(self) -> None:
        for combo, rows in ((self.officer, self.store.officers()), (self.field, self.store.fields())):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for r in rows:
                combo.addItem(r["name"], r["id"])
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        if self.period.count() == 0:
            t = self.today
            this_month = periods.month(t.year, t.month)
            choices = [ALL, this_month.label, this_month.previous().label,
                       periods.quarter(t.year, (t.month - 1) // 3 + 1).label, periods.year(t.year).label,
                       periods.year(t.year - 1).label]
            self.period.blockSignals(True)
            self.period.addItems(choices)
            self.period.blockSignals(False)

    def current_filter(self) -> RegisterFilter | None:
        text = self.period.currentText().strip()
        start = end = None
        if text and text != ALL:
            try:
                p = periods.parse(text)
            except periods.PeriodError as exc:
                self.period_error.setText(f"Kỳ: {exc}")
                self.period_error.show()
                return None
            start, end = p.start, p.end
        if problem := search_problem(self.search.text()):
            self.period_error.setText(problem)
            self.period_error.show()
            return None
        self.period_error.hide()
        return RegisterFilter(start=start, end=end, officer_id=self.officer.currentData(),
                              field_id=self.field.currentData(), state=self.state.currentData(),
                              search=self.search.text())

    def apply_filters(self) -> None:
        flt = self.current_filter()
        if flt is None:
            return
        self.model.set_filter(flt)
        self._show_count()

    def reload(self) -> None:
        selected = self.selected_id()
        self.model.refresh()
        self._show_count()
        if selected is not None:
            self.select_case(selected)
        self.columns.fit_to_content()  # the first rows of an empty register (after an import)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(f"{vnformat.number(n)} hồ sơ")
        if hasattr(self, "empty_hint"):
            self.empty_hint.setVisible(n == 0 and self.store.case_count() == 0)

    # ---- selection --------------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else None

    def select_case(self, case_id: int) -> bool:
        row = self.model.find_row(case_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selected_case(self) -> dict | None:
        case_id = self.selected_id()
        if case_id is None:
            messages.info(self, "Chọn một hồ sơ trong bảng trước.")
            return None
        return self.store.cases.get(case_id, today=self.today)

    # ---- actions ----------------------------------------------------------------------

    def _may_change(self) -> bool:
        if self.store.can("cases"):
            return True
        messages.error(self, "Chỉ cán bộ một cửa được tiếp nhận và sửa hồ sơ.")
        return False

    @property
    def ops(self):
        """The window's runner of operations (one of our own when the page stands alone)."""
        if self.changes.runner is None:
            from gui.operations import OpRunner

            OpRunner(self.store, self.changes, self.undo_stack, self.window())
        return self.changes.runner

    def _run(self, op, on_done=None, on_failed=None) -> bool | None:
        """Run a change through the one runner: undo entry after success, every failure told.

        A change to a case inside a quarter whose evaluation is approved says so first."""
        if not self._approved_quarters_agree(op):
            return False
        return self.ops.run(op, on_done=on_done, on_failed=on_failed, initiator=self)

    def _approved_quarters_agree(self, op) -> bool:
        from core.queries import evaluation

        kw = getattr(op, "keywords", None) or {}
        touched = [v for v in (kw.get("changes"), kw.get("values")) if v]
        if kw.get("case_id") is not None:
            try:
                touched.append(self.store.cases.values(kw["case_id"]))
            except KeyError:
                pass
        quarters = evaluation.approved_quarters_for(self.store, touched)
        return not quarters or messages.ask(
            self, f"Hồ sơ thuộc {', '.join(quarters)}, quý đã được chủ tịch duyệt đánh giá. Phiếu đánh giá đã duyệt "
                  "giữ nguyên số liệu lúc duyệt, không đổi theo thay đổi này. Vẫn lưu?")

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        dialog.open()
        dialog.activateWindow()

    def new_case(self) -> None:
        if not self._may_change():
            return
        if not self.store.officers(active_only=True):
            messages.error(self, "Chưa có cán bộ nào: thêm cán bộ ở trang Danh mục trước.")
            return
        dialog = CaseDialog(self.store, self.calendar, self, today=self.today)

        def submit(values: dict, done) -> None:
            def added(result) -> None:
                done(True)
                self.select_case(result.id)

            self._run(partial(ops.add_case, values=values, today=self.today,
                              officer_name=dialog.officer.currentText(),
                              auto_code=values.get("code") == getattr(dialog, "proposed_code", None)),
                      on_done=added, on_failed=lambda exc: done(False))

        dialog.submit = submit
        self._open(dialog)

    def edit_case(self) -> None:
        if not self.store.can("cases"):
            self.view_case()
            return
        case = self._selected_case()
        if case is None:
            return
        dialog = CaseDialog(self.store, self.calendar, self, case_id=case["id"], today=self.today)
        dialog.submit = lambda values, done: self._run(
            partial(ops.update_case, case_id=case["id"], changes=values, today=self.today,
                    text=f"Sửa {case['code']}", version=getattr(dialog, "version", None)),
            on_done=lambda result: done(True), on_failed=lambda exc: done(False))
        self._open(dialog)

    def view_case(self) -> None:
        """The case read only, for a role that may not change it (the chairman's double click)."""
        case = self._selected_case()
        if case is None:
            return
        self._open(CaseDialog(self.store, self.calendar, self, case_id=case["id"], today=self.today,
                              read_only=True))

    def resolve_case(self) -> None:
        if not self._may_change():
            return
        case = self._selected_case()
        if case is None:
            return
        problem = action_problem(case, "resolved_date")
        if problem:
            messages.error(self, problem)
            return
        dialog = ResolveDialog(case, self.today, self)
        dialog.chosen.connect(lambda day, digitized: self._run(partial(
            ops.resolve_case, case_id=case["id"], day=day, digitized=digitized, today=self.today)))
        self._open(dialog)

    def toggle(self, key: str) -> None:
        if not self._may_change():
            return
        case = self._selected_case()
        if case is None:
            return
        self._run(partial(ops.toggle_flag, case_id=case["id"], key=key, today=self.today))

    def delete_case(self) -> None:
        """A soft delete: the case leaves the register with a reason and can be restored."""
        if not self._may_change():
            return
        case = self._selected_case()
        if case is None:
            return
        reason = messages.ask_text(self, f"Lý do xoá hồ sơ {case['code']} (hồ sơ được giữ lại, khôi phục được "
                                         "ở Danh mục → Hồ sơ đã xoá):")
        if reason is None:
            return
        if not reason.strip():
            messages.error(self, "Cần ghi lý do xoá hồ sơ.")
            return
        self._run(partial(ops.delete_case, case_id=case["id"], reason=reason))

    def show_history(self) -> None:
        case = self._selected_case()
        if case is None:
            return
        from gui.history import HistoryDialog

        self._open(HistoryDialog(self.store, case, self))

    def print_slip(self) -> None:
        """Ask for the papers received (kept with the case), then show the slip to print."""
        case = self._selected_case()
        if case is None:
            return
        from core.documents import slip

        dialog = PapersDialog(case["papers"] or "\n".join(slip.default_papers(case["field"])), self)

        def chosen(text: str) -> None:
            if text != (case["papers"] or "") and self.store.can("cases"):
                self._run(partial(ops.set_papers, case_id=case["id"], papers=text))
            from gui.pdf_preview import PdfPreview

            fresh = self.store.cases.get(case["id"], today=self.today)
            self.preview = PdfPreview(slip.render(fresh, self.store.settings()), f"Giấy tiếp nhận {case['code']}",
                                      f"giay-tiep-nhan-{case['code']}.pdf", self)
            self.preview.open()

        dialog.chosen.connect(chosen)
        self._open(dialog)

    def toggle_withdrawn(self) -> None:
        if not self._may_change():
            return
        case = self._selected_case()
        if case is None:
            return
        withdrawing = case["status"] != "withdrawn"
        if withdrawing and not messages.ask(self, f"Ghi hồ sơ {case['code']} là rút hồ sơ?"):
            return
        self._run(partial(ops.set_withdrawn, case_id=case["id"], withdrawn=withdrawing, today=self.today))

    # ---- a case's life (issue 14): events, forms, notices ------------------------------------

    def _add_event_menus(self, actions) -> None:
        """The events' menu, its button at the end of ``actions`` (the tool bar); keys work as soon as
        the page shows (WindowShortcut: a hidden page does not answer)."""
        from PySide6.QtGui import QAction
        from PySide6.QtWidgets import QMenu

        from core.documents import forms
        from gui.case_events import EVENT_ACTIONS

        self.event_menu = QMenu(self)
        self.event_actions: dict[str, QAction] = {}
        for kind, text, shortcut in EVENT_ACTIONS:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, k=kind: self.record_event(k))
            self.event_menu.addAction(action)
            self.addAction(action)
            self.event_actions[kind] = action
        self.print_menu = QMenu(self)
        self.form_actions: dict[str, QAction] = {}
        for kind in forms.FORM_KINDS:
            action = self.print_menu.addAction(forms.wording()[kind]["name"] + "…")
            action.triggered.connect(lambda _=False, k=kind: self.print_form(k))
            self.form_actions[kind] = action
        self.print_menu.addSeparator()
        self.form_actions["book"] = self.print_menu.addAction("Sổ theo dõi hồ sơ của kỳ đang xem…")
        self.form_actions["book"].triggered.connect(self.print_book)
        # one button keeps the row short: the events, then the forms and the notice
        self.event_menu.addSeparator()
        self.print_menu.setTitle("In phiếu")
        self.event_menu.addMenu(self.print_menu)
        notice = QAction("Tin nhắn Zalo/SMS cho người nộp…", self)
        notice.setShortcut(QKeySequence("Ctrl+Shift+M"))
        notice.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        notice.triggered.connect(self.show_notice)
        self.event_menu.addAction(notice)
        self.addAction(notice)
        self.wording_action = self.event_menu.addAction("Sửa lời văn mẫu phiếu, tin nhắn…")
        self.wording_action.triggered.connect(self.edit_wording)
        b = QPushButton("Sự kiện ▾")
        b.setToolTip("Bổ sung, xin lỗi – hẹn lại, từ chối, dừng, đánh giá; in phiếu; tin nhắn (Alt+S)")
        b.setMenu(self.event_menu)
        actions.addWidget(b)
        self.buttons["events"] = b
        sc = QShortcut(QKeySequence("Alt+S"), self)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(b.showMenu)

    def record_event(self, kind: str) -> None:
        """Ask for the event's date and details, record it through the undo stack, then offer its form."""
        if not self._may_change():
            return
        case = self._selected_case()
        if case is None:
            return
        from gui.case_events import FORM_AFTER, EventDialog

        dialog = EventDialog(case, self.store.cases.values(case["id"]), kind, self.calendar, self.today, self)

        def recorded(result) -> None:
            if kind in FORM_AFTER and messages.ask(
                    self, f"Đã ghi. In {self._form_name(FORM_AFTER[kind]).lower()} cho hồ sơ {case['code']}?"):
                self.print_form(FORM_AFTER[kind], event_id=result.id)

        def chosen(arguments: dict) -> None:
            self._run(partial(ops.record_event, case_id=case["id"], kind=kind, today=self.today, **arguments),
                      on_done=recorded)

        dialog.chosen.connect(chosen)
        self._open(dialog)

    @staticmethod
    def _form_name(kind: str) -> str:
        from core.documents import forms

        return forms.wording()[kind]["name"]

    def print_form(self, kind: str, event_id: int | None = None) -> None:
        """A form of the selected case, for its latest event of the form's kind, shown to print or save."""
        case = self._selected_case()
        if case is None:
            return
        from core.documents import forms
        from gui.pdf_preview import PdfPreview

        found = self.store.events.of_case(case["id"])
        event = None
        if kind in forms.EVENT_OF:
            of_kind = [e for e in found if e["kind"] == forms.EVENT_OF[kind]]
            event = next((e for e in of_kind if e["id"] == event_id), of_kind[-1] if of_kind else None)
            if event is None and kind in ("refused", "stopped") and case["status"] == kind:
                event = {"day": case["resolved_date"], "note": ""}
            if event is None:
                messages.error(self, f"Hồ sơ {case['code']} chưa có sự kiện "
                                     f"“{self._form_name(kind).lower()}”: ghi sự kiện trước (menu Sự kiện).")
                return
        data = forms.render(kind, case, self.store.settings(), self.store.wordings(), event=event, events=found,
                            today=self.today)
        self.preview = PdfPreview(data, f"{self._form_name(kind)} {case['code']}", f"{kind}-{case['code']}.pdf", self)
        self.preview.open()

    def print_book(self) -> None:
        """The register book of the cases received in the period the register shows (the month by default)."""
        from core.documents import forms
        from gui.pdf_preview import PdfPreview

        flt = self.current_filter()
        if flt is None:
            return
        if flt.start is None:
            month = periods.month(self.today.year, self.today.month)
            flt = RegisterFilter(start=month.start, end=month.end)
            label = month.label
        else:
            label = periods.parse(self.period.currentText()).label
        rows = self.store.cases.page(RegisterFilter(start=flt.start, end=flt.end), "received_date", False,
                                     limit=100000, today=self.today)
        data = forms.render_book(rows, label, self.store.settings(), self.store.wordings(), today=self.today)
        self.preview = PdfPreview(data, f"Sổ theo dõi hồ sơ {label}", f"so-theo-doi-{label.replace('/', '-')}.pdf",
                                  self)
        self.preview.open()

    def show_notice(self) -> None:
        case = self._selected_case()
        if case is None:
            return
        from gui.case_events import NoticeDialog

        self._open(NoticeDialog(self.store, case, self.today, self))

    def edit_wording(self) -> None:
        """The office's own words for the forms and notices (the chairman's or the administrator's)."""
        from gui.wordings import WordingDialog

        self._open(WordingDialog(self.store, lambda key, value: self._run(
            partial(ops.set_wording, key=key, value=value)), self))
