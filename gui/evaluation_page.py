"""The quarterly evaluation: figures and points per officer, manual scores, approval, the forms."""
from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QSpinBox,
                               QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from core import ops
from core.queries import evaluation
from core.domain import discipline as discipline_rules
from core.domain import periods
from core.domain import vnformat
from gui import messages
from gui.date_field import DateField
from gui.catalogues import ChoiceDelegate, Col, RowsModel
from gui.messages import VIETNAMESE
from gui.operations import runner_for
from gui.refresh import follow


def _wrapped(text: str) -> QLabel:
    """A criterion's name that wraps: long names never widen the window past the screen; wide enough
    (beside narrow score boxes) that a name takes two or three lines, not seven."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(260)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


SCORE_WIDTH = 112  # "chưa chấm", "10,0 / 10": the score boxes take no more


PARAM_NAMES = evaluation.PARAM_NAMES
TEMPLATE_COLUMNS = [
    Col("section", "Phần"), Col("name", "Tiêu chí"), Col("max_points", "Điểm tối đa", "int"),
    Col("rule", "Cách chấm", choices=tuple(evaluation.RULES.items())),
    # the indicator of a rate, the per cent lost per late case, or the field of certified copies
    Col("param", "Tham số (chỉ số, % trừ mỗi hồ sơ, lĩnh vực)",
        choices=tuple((k, PARAM_NAMES.get(k, k)) for k in evaluation.RATE_PARAMS), closed=False),
]


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(120)
    return label


class EvaluationPage(QTabWidget):
    sheet_title = "Đánh giá cán bộ"

    def __init__(self, store, changes, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store, self.changes = store, changes
        self.ops = runner_for(store, changes, parent)
        self._today = today or dt.date.today()
        self.sheets: list[evaluation.Sheet] = []
        self.preview = None
        from gui.keys import page_action

        page_action(self, "Xem trước và in phiếu", "Ctrl+P", lambda: self.show_preview(),
                    "Phiếu đánh giá của quý đang xem")
        self.addTab(self._forms_tab(), "Đánh giá theo quý")
        self.addTab(self._template_tab(), "Mẫu phiếu đánh giá")
        # a case saved while the page is hidden shows in its figures when the page is shown again
        follow(self, changes, ("cases", "catalogues", "targets", "evaluations"), self.refresh)
        self.refresh()

    @property
    def own_only(self) -> bool:
        """Whoever does not score (an officer, the administrator) sees only her own form."""
        return not self.store.can("evaluations")

    def _scores_own(self, sheet) -> bool:
        """The signed-in officer types her own self-score (a leader types any)."""
        return sheet.approved is None and (self.store.can("evaluations") or (
            self.store.can("cases") and self.store.actor.get("officer_id") == sheet.officer["id"]))

    def _run(self, op) -> bool:
        """A change through the window's one runner (every failure told), or here when alone."""
        return self.ops.run(op, undoable=False, initiator=self) is True

    # ---- the quarter ----------------------------------------------------------------------

    def _forms_tab(self) -> QWidget:
        last = periods.quarter(self._today.year, (self._today.month - 1) // 3 + 1).previous()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(last.start.year)
        self.quarter = QComboBox()
        for q in range(1, 5):
            self.quarter.addItem(f"Quý {vnformat.roman_quarter(q)}", q)
        self.quarter.setCurrentIndex((last.start.month - 1) // 3)
        self.status = QLabel()  # on a line of its own: "Đã duyệt ngày … bởi …" always readable
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.approve_button = QPushButton("Chủ tịch &duyệt quý")
        self.approve_button.clicked.connect(self.approve)
        self.unapprove_button = QPushButton("&Huỷ duyệt…")
        self.unapprove_button.clicked.connect(self.unapprove)
        self.preview_button = QPushButton("&Xem trước và in phiếu…")
        self.preview_button.clicked.connect(lambda: self.show_preview())
        self.docx_button = QPushButton("Lưu &Word…")
        self.docx_button.clicked.connect(lambda: self.save_docx())
        top = QHBoxLayout()
        for w in (QLabel("Năm:"), self.year, self.quarter):
            top.addWidget(w)
        top.addStretch()
        top.addWidget(self.approve_button)
        top.addWidget(self.unapprove_button)
        top.addWidget(self.preview_button)
        top.addWidget(self.docx_button)

        self.table_model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_officer())

        self.detail = QGroupBox("Chấm điểm")
        self.detail_form = QFormLayout(self.detail)
        self.detail_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.comments = QPlainTextEdit()
        self.comments.setPlaceholderText("Nhận xét của lãnh đạo")
        self.comments.setMaximumHeight(90)
        self.save_button = QPushButton("&Lưu điểm và nhận xét")
        self.save_button.clicked.connect(self.save_entry)
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold")
        self.spins: dict[str, QDoubleSpinBox] = {}  # the leader's score by criterion key
        self.self_spins: dict[str, QDoubleSpinBox] = {}  # the officer's own score

        scroll = QScrollArea()  # many criteria scroll inside the window instead of growing it
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # the total and the save button under the criteria, never scrolled out of sight
        self.footer = QWidget()
        self.footer_layout = QVBoxLayout(self.footer)
        self.footer_layout.setContentsMargins(4, 4, 4, 0)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(scroll, 1)
        right_layout.addWidget(self.footer)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([480, 600])
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.year.valueChanged.connect(self.refresh)
        self.quarter.currentIndexChanged.connect(self.refresh)
        return w

    @property
    def period(self):
        return periods.quarter(self.year.value(), self.quarter.currentData())

    def refresh(self) -> None:
        current = self.selected_sheet()
        self.sheets = evaluation.build(self.store, self.period, today=self._today)
        if self.own_only:  # an officer sees her own form only; the chairman sees all
            self.sheets = [s for s in self.sheets if s.officer["id"] == self.store.actor.get("officer_id")]
        approval = self.store.evaluations.approval(self.period.code)
        self.status.setText(f"Đã duyệt ngày {vnformat.date_time(approval['approved_at'])} bởi {approval['approved_by']}"
                            if approval else "Chưa duyệt")
        if self.own_only and not self.sheets:
            self.status.setText("Tài khoản này chưa gắn với cán bộ nào: nhờ người quản trị gắn ở trang Người dùng."
                                if self.store.actor.get("officer_id") is None else
                                "Quý này chưa có phiếu của bạn." if not approval else self.status.text())
        self.approve_button.setEnabled(approval is None and bool(self.sheets) and self.store.can("approve"))
        self.unapprove_button.setVisible(approval is not None)
        self.unapprove_button.setEnabled(self.store.can("unapprove"))
        self.approve_button.setToolTip(
            "Chỉ chủ tịch duyệt quý." if not self.store.can("approve") else
            "Quý đã duyệt." if approval else "Chưa có cán bộ nào." if not self.sheets else
            "Khoá điểm và nhận xét của cả quý")
        self.table_model.clear()
        self.table_model.setHorizontalHeaderLabels(["Họ và tên", "Hồ sơ tiếp nhận", "Đúng hạn", "Tổng điểm",
                                                    "Xếp loại", "Chưa chấm"])
        for s in self.sheets:
            on_time = s.figures.on_time
            row = [QStandardItem(s.officer["name"]),
                   QStandardItem(vnformat.number(s.figures.counts["received"])),
                   QStandardItem(vnformat.cell_percent(on_time.rate)),
                   QStandardItem(vnformat.decimal(s.total) if s.complete else "—"),
                   QStandardItem(s.classification),
                   QStandardItem(f"{len(s.missing)} tiêu chí" if s.missing else "")]
            self.table_model.appendRow(row)
        self.table.resizeColumnsToContents()
        names = [s.officer["name"] for s in self.sheets]
        row = names.index(current.officer["name"]) if current and current.officer["name"] in names else 0
        if self.sheets:
            self.table.selectRow(row)
        self.show_officer()

    def selected_sheet(self) -> evaluation.Sheet | None:
        index = self.table.currentIndex() if hasattr(self, "table") else None
        if index is None or not index.isValid() or index.row() >= len(self.sheets):
            return None
        return self.sheets[index.row()]

    def show_officer(self) -> None:
        while self.detail_form.rowCount():
            self.detail_form.removeRow(0)
        while self.footer_layout.count():
            item = self.footer_layout.takeAt(0)
            if item.widget() is not None:  # gone at once (its Alt letter too), deleted later
                item.widget().hide()
                item.widget().setParent(None)
                item.widget().deleteLater()
        self.spins, self.self_spins = {}, {}
        sheet = self.selected_sheet()
        if sheet is None:
            return
        locked = sheet.approved is not None or not self.store.can("evaluations")
        self.detail.setTitle(f"Chấm điểm: {sheet.officer['name']}")
        own_editable = self._scores_own(sheet)

        def spin_for(value, top, editable=not locked):
            spin = QDoubleSpinBox()
            spin.setLocale(VIETNAMESE)
            spin.setRange(-0.5, top)  # the minimum reads "chưa chấm": never saved
            spin.setSpecialValueText("chưa chấm")
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setValue(-0.5 if value is None else value)
            spin.setSuffix(f" / {vnformat.decimal(top)}")
            spin.setEnabled(editable)
            spin.setFixedWidth(SCORE_WIDTH)
            # a score above the maximum can be typed, and is refused with a message (never dropped)
            spin.setMaximum(max(top * 10, 99))
            spin.valueChanged.connect(lambda v, s=spin, t=top: s.setStyleSheet(
                "QDoubleSpinBox { border: 2px solid #b00020; }" if v > t else ""))
            spin.setProperty("top", top)
            return spin

        if not sheet.approved:
            self.detail_form.addRow(_wrapped("Mỗi tiêu chí chấm tay: ô trái điểm tự chấm, ô phải điểm lãnh đạo chấm."))
        for line in sheet.lines:
            c = line.criterion
            if line.manual:
                key = c.get("key", c["id"])
                own = spin_for(line.self_points, c["max_points"], own_editable)
                own.setToolTip("Điểm cán bộ tự chấm")
                spin = spin_for(line.points, c["max_points"])
                spin.setToolTip("Điểm lãnh đạo chấm")
                self.self_spins[key], self.spins[key] = own, spin
                both = QHBoxLayout()
                both.addWidget(own)
                both.addWidget(spin)
                both.addStretch()
                self.detail_form.addRow(_wrapped(c["name"]), both)
            else:
                label = QLabel(f"{vnformat.decimal(line.points)} / {vnformat.decimal(c['max_points'])} — {line.note}")
                label.setWordWrap(True)
                label.setContentsMargins(16, 0, 0, 4)
                # a computed criterion: its name across the whole width, the points and why under it
                self.detail_form.addRow(_wrapped(c["name"]))
                self.detail_form.addRow(label)
        own = "" if sheet.approved else self.store.evaluations.entry(sheet.officer["id"], sheet.quarter)["discipline"]
        shown = sheet.discipline if sheet.approved else own
        self._discipline_stored = own
        # a measure is chosen from the list with its date, never typed: a word typed there used to
        # make an officer with 91 points fail without a question (issue 27)
        self.discipline = QComboBox()
        self.discipline.addItem("Không", "")
        for m in discipline_rules.MEASURES:
            self.discipline.addItem(m, m)
        measure, day = discipline_rules.parse(shown)
        if shown and measure is None:  # an older free text: kept as it was until changed
            self.discipline.addItem(shown, None)
            self.discipline.setCurrentIndex(self.discipline.count() - 1)
        elif measure:
            self.discipline.setCurrentIndex(self.discipline.findData(measure))
        self.discipline.setEnabled(not locked)
        self.discipline.setToolTip(
            f"Kỷ luật ghi ở quý trước trong năm: {sheet.discipline}" if sheet.discipline and not own else
            "Hình thức kỷ luật trong năm, nếu có: phiếu xếp loại Không hoàn thành nhiệm vụ")
        self.discipline_day = DateField(day or min(self._today, self.period.end), today=self._today)
        self.discipline_day.setEnabled(not locked)
        self.discipline_day.setToolTip("Ngày của quyết định kỷ luật")
        self.discipline_day.setVisible(bool(self.discipline.currentData()))
        self.discipline.currentIndexChanged.connect(
            lambda _: self.discipline_day.setVisible(bool(self.discipline.currentData())))
        both = QHBoxLayout()
        both.addWidget(self.discipline, 1)
        both.addWidget(self.discipline_day)
        self.detail_form.addRow("Kỷ luật:", both)
        self.comments = QPlainTextEdit(sheet.comments)
        self.comments.setPlaceholderText("Nhận xét của lãnh đạo")
        self.comments.setMaximumHeight(90)
        self.comments.setReadOnly(locked)
        self.detail_form.addRow("Nhận xét:", self.comments)
        self.total = QLabel(f"Tổng điểm {vnformat.decimal(sheet.total)}/{vnformat.decimal(sheet.maximum)} — "
                            f"{sheet.classification}" if sheet.complete else
                            f"Chưa chấm đủ: còn {len(sheet.missing)} tiêu chí, chưa tính tổng điểm và xếp loại")
        self.total.setStyleSheet("font-weight: bold")
        self.total.setWordWrap(True)
        self.footer_layout.addWidget(self.total)
        self_only = locked and own_editable  # the officer at her own form: her column only
        self.save_button = QPushButton("Đã duyệt: không sửa được" if sheet.approved else
                                       "&Lưu điểm tự chấm" if self_only else
                                       "Chỉ lãnh đạo chấm điểm" if locked else "&Lưu điểm và nhận xét")
        self.save_button.setEnabled(not locked or self_only)
        self.save_button.clicked.connect(self.save_self_scores if self_only else self.save_entry)
        self.footer_layout.addWidget(self.save_button)

    def _over_maximum(self, sheet, spins: dict) -> bool:
        """A score above its criterion's maximum: said, the cursor put on it, nothing saved."""
        from core.queries.evaluation import scores_over_maximum

        names = {line.criterion.get("key", line.criterion["id"]): line.criterion for line in sheet.lines}
        problems = scores_over_maximum(names, {k: s.value() for k, s in spins.items()})
        if not problems:
            return False
        key = problems[0][0]
        messages.error(self, "; ".join(t for _, t in problems) + ". Sửa lại rồi lưu.")
        spins[key].setFocus()
        spins[key].selectAll()
        return True

    def save_entry(self) -> None:
        sheet = self.selected_sheet()
        if sheet is None:
            return
        if self._over_maximum(sheet, self.self_spins) or self._over_maximum(sheet, self.spins):
            return
        manual = {key: spin.value() for key, spin in self.spins.items() if spin.value() >= 0}
        own = {key: spin.value() for key, spin in self.self_spins.items() if spin.value() >= 0}
        measure = self.discipline.currentData()  # None: an older free text left as it was
        day = None
        if measure:
            if not self.discipline_day.is_valid():
                messages.error(self, f"Kỷ luật: {self.discipline_day.problem()}")
                return
            day = self.discipline_day.date().toPython()
            if discipline_rules.text(measure, day) != self._discipline_stored:
                lowest = evaluation.lowest(sheet.thresholds) or "Không hoàn thành nhiệm vụ"
                if not messages.ask(self, f"Ghi kỷ luật «{measure}» (quyết định ngày {day:%d/%m/%Y}) cho "
                                          f"{sheet.officer['name']}?\nMột hình thức kỷ luật trong năm buộc phiếu "
                                          f"xếp loại «{lowest}», dù tổng điểm là bao nhiêu."):
                    return
        if self._run(partial(ops.save_evaluation, officer_id=sheet.officer["id"], quarter=sheet.quarter,
                             manual=manual, comments=self.comments.toPlainText().strip(), self_scores=own,
                             discipline=measure, discipline_day=day, today=self._today)):
            self.refresh()

    def save_self_scores(self) -> None:
        """The officer's own column (``core.ops.people.save_self_scores``)."""
        from core.ops.people import save_self_scores

        sheet = self.selected_sheet()
        if sheet is None:
            return
        if self._over_maximum(sheet, self.self_spins):
            return
        own = {key: spin.value() for key, spin in self.self_spins.items() if spin.value() >= 0}
        if self._run(partial(save_self_scores, officer_id=sheet.officer["id"], quarter=sheet.quarter,
                             self_scores=own)):
            self.refresh()

    def approve(self) -> None:
        if not self.sheets:
            return
        text = (f"Duyệt kết quả đánh giá {self.period.label}? Số liệu, điểm và xếp loại được lưu như lúc duyệt: "
                "sửa hồ sơ, mẫu phiếu hay chỉ tiêu sau này không làm đổi phiếu đã duyệt.")
        for warning in evaluation.approval_warnings(self.sheets, self._today):
            text += f"\n{warning}"
        if not messages.ask(self, text):
            return
        who = self.store.actor.get("full_name") or self.store.actor["username"]
        if self._run(partial(ops.approve_quarter, period=self.period, by=who, today=self._today)):
            self.refresh()

    def unapprove(self) -> None:
        reason = messages.ask_text(self, f"Lý do huỷ duyệt kết quả đánh giá {self.period.label}:", "Huỷ duyệt")
        if reason is None or not reason.strip():
            return
        if self._run(partial(ops.unapprove_quarter, quarter=self.period.code, reason=reason)):
            self.refresh()

    def pdf(self) -> bytes:
        from core.documents import evaluation_forms

        return evaluation_forms.pdf(self.sheets, self.store.settings(), self._today,
                                    check_code=self.store.audit.check_code())

    def save_docx(self, path=None):
        """The forms as a Word file, to edit before they are signed."""
        from pathlib import Path

        from core.documents import evaluation_forms

        if not self.sheets:
            messages.info(self, "Chưa có cán bộ nào để đánh giá.")
            return None
        path = path or messages.save_path(self, "Lưu phiếu đánh giá", f"danh-gia-{self.period.code}.docx",
                                          "Word (*.docx)")
        if path is None:
            return None
        path = Path(path)
        if not messages.save_file(self, path, evaluation_forms.docx(self.sheets, self.store.settings(), self._today,
                                                                     check_code=self.store.audit.check_code())):
            return None
        messages.info(self, f"Đã lưu phiếu đánh giá ra {path}.")
        return path

    def show_preview(self):
        if not self.sheets:
            messages.info(self, "Chưa có cán bộ nào để đánh giá.")
            return None
        from gui.pdf_preview import PdfPreview

        self.preview = PdfPreview(self.pdf(), f"Phiếu đánh giá {self.period.label}",
                                  f"danh-gia-{self.period.code}.pdf", self)
        self.preview.open()
        return self.preview

    # ---- the template ---------------------------------------------------------------------

    def _template_tab(self) -> QWidget:
        self.template = self.store.evaluations.template(self._today)
        self.title_edit = QPlainTextEdit(self.template["title"])
        self.title_edit.setMaximumHeight(60)
        self.thresholds_edit = QLineEdit("; ".join(f"{m:g}: {label}" for m, label in self.template["thresholds"]))
        self.criteria_model = RowsModel(
            TEMPLATE_COLUMNS,
            lambda: [dict(c) for c in self.template["criteria"]], lambda row, key, value: None, self)
        view = QTableView()
        view.setModel(self.criteria_model)
        ChoiceDelegate.install(view, TEMPLATE_COLUMNS)
        view.resizeColumnsToContents()
        view.setColumnWidth(1, 380)
        self.template_sum = QLabel()
        add = QPushButton("Thêm tiêu chí")
        add.clicked.connect(self.add_criterion)
        remove = QPushButton("Xoá tiêu chí đã chọn")
        remove.clicked.connect(lambda: self.remove_criterion(view.currentIndex().row()))
        save = QPushButton("Lưu mẫu")
        save.clicked.connect(self.save_template)
        self.criteria_view = view
        w = QWidget()
        layout = QVBoxLayout(w)
        form = QFormLayout()
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self._show_version()
        form.addRow("Phiên bản:", self.version_label)
        form.addRow("Tiêu đề phiếu:", self.title_edit)
        form.addRow("Ngưỡng xếp loại (điểm: xếp loại; …):", self.thresholds_edit)
        layout.addLayout(form)
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        for b in (add, remove):
            row.addWidget(b)
        row.addWidget(self.template_sum)
        row.addStretch()
        row.addWidget(save)
        layout.addLayout(row)
        self.criteria_model.dataChanged.connect(self._show_sum)
        from gui.keys import forbid_buttons

        why = ("templates", "Chỉ chủ tịch được sửa mẫu phiếu đánh giá.")
        forbid_buttons(w, self.store, {"Thêm tiêu chí": why, "Xoá tiêu chí đã chọn": why, "Lưu mẫu": why})
        self._show_sum()
        return w

    def _show_version(self) -> None:
        t = self.template
        self.version_label.setText(
            f"{t.get('version', 1)}, áp dụng từ {vnformat.date_short(dt.date.fromisoformat(t['valid_from']))}. "
            "Lưu mẫu tạo phiên bản mới; quý đã duyệt giữ phiếu như lúc duyệt, điểm đã chấm giữ theo tiêu chí.")

    def _show_sum(self) -> None:
        total = sum(float(r["max_points"] or 0) for r in self.criteria_model.rows)
        self.template_sum.setText(f"Tổng điểm tối đa: {vnformat.decimal(total)}")

    def add_criterion(self) -> None:
        self.criteria_model.beginResetModel()
        self.criteria_model.rows.append({"section": "A. Tiêu chí chung", "name": "Tiêu chí mới", "max_points": 0,
                                         "rule": "manual", "param": ""})
        self.criteria_model.endResetModel()
        self._show_sum()

    def remove_criterion(self, row: int) -> None:
        if 0 <= row < len(self.criteria_model.rows):
            self.criteria_model.beginResetModel()
            del self.criteria_model.rows[row]
            self.criteria_model.endResetModel()
            self._show_sum()

    def template_problems(self) -> tuple[dict | None, str]:
        """The template as edited, checked by the one set of template rules (``core.queries.evaluation``)."""
        thresholds, problem = evaluation.parse_thresholds(self.thresholds_edit.text())
        template = {"id": self.template["id"], "title": self.title_edit.toPlainText().strip(),
                    "thresholds": thresholds or [], "criteria": [dict(r) for r in self.criteria_model.rows]}
        problem = evaluation.template_problem(template) or problem
        return (None, problem) if problem else (template, "")

    def save_template(self) -> bool:
        if not self.store.can("templates"):
            messages.error(self, "Chỉ chủ tịch được sửa mẫu phiếu đánh giá.")
            return False
        template, problem = self.template_problems()
        if template is None:
            messages.error(self, problem)
            return False
        if not self._run(partial(ops.save_template, template=template)):
            return False  # a new version: approved quarters keep theirs
        self.template = self.store.evaluations.template(self._today)
        self._show_version()
        self.criteria_model.reload()
        self.refresh()
        messages.info(self, "Đã lưu mẫu phiếu đánh giá.")
        return True
