"""The period report: its narrative to copy into a letter, the PDF to print, the XLSX."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from core.queries import report
from core.documents import report as report_doc
from gui import messages
from gui.period_picker import PeriodPicker


class ReportPage(QWidget):
    sheet_title = "Báo cáo"

    def __init__(self, store, changes, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store = store
        self.changes = changes
        self._today = today or dt.date.today()
        self.report: report.Report | None = None
        self.preview = None
        last_month = self._today.replace(day=1) - dt.timedelta(days=1)
        self.picker = PeriodPicker(self._today, self, kinds=("month", "quarter", "year"))
        self.picker.set_period("month", last_month.year, last_month.month)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setStyleSheet("font-size: 14px")
        self.copy_button = QPushButton("&Sao chép đoạn văn")
        self.copy_button.clicked.connect(self.copy_text)
        self.preview_button = QPushButton("&Xem trước và in báo cáo…")
        self.preview_button.clicked.connect(lambda: self.show_preview())
        self.xlsx_button = QPushButton("Xuất &XLSX…")
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.issue_button = QPushButton("&Phát hành (chốt số liệu)")
        self.issue_button.setToolTip("Giữ nguyên số liệu như đã báo cáo; sửa hồ sơ sau đó hiện thành chênh lệch")
        self.issue_button.clicked.connect(self.issue)
        self.issue_button.setVisible(store.can("approve"))
        self.reprint_button = QPushButton("In lại số liệu đã &báo cáo…")
        self.reprint_button.clicked.connect(lambda: self.show_preview(as_reported=True))
        self.issued_label = QLabel()
        self.issued_label.setWordWrap(True)
        self.docx_button = QPushButton("Lưu &Word…")
        self.docx_button.clicked.connect(lambda: self.export_docx())
        self.letter_button = QPushButton("Soạn &công văn…")
        self.letter_button.clicked.connect(lambda: self.open_letter())
        self.year_earlier = QCheckBox("So với cùng kỳ năm trước")
        self.year_earlier.toggled.connect(lambda _: self.refresh())
        from gui.keys import page_action

        page_action(self, "Xem trước và in báo cáo", "Ctrl+P", lambda: self.show_preview(), "Báo cáo của kỳ đang xem")
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addWidget(self.year_earlier)
        top.addStretch()
        actions = QHBoxLayout()  # a row of its own: the page stays within 1366 pixels
        actions.addStretch()
        for b in (self.copy_button, self.preview_button, self.docx_button, self.xlsx_button, self.letter_button, self.issue_button,
                  self.reprint_button):
            actions.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.heading)
        layout.addWidget(self.issued_label)
        layout.addWidget(QLabel("Đoạn văn tổng hợp (dán vào công văn, báo cáo):"))
        layout.addWidget(self.text, 1)
        self.picker.changed.connect(self.refresh)
        changes.cases_changed.connect(lambda: self.refresh() if self.isVisible() else setattr(self, "report", None))
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.report is None:
            self.refresh()

    def refresh(self) -> None:
        _, period = self.picker.current()
        self.report = report.build(self.store, period, today=self._today,
                                   compare="year" if self.year_earlier.isChecked() else "previous")
        self.heading.setText(self.report.title)
        self.text.setPlainText(report.narrative(self.report))
        from core.queries import issued

        found = issued.as_reported(self.store, period)
        self.reprint_button.setVisible(found is not None)
        self.issued_label.setText(issued.differences_text(found[0], issued.differences(found[1], self.report))
                                  if found else "Chưa phát hành chính thức.")

    def issue(self) -> None:
        from functools import partial

        from core import ops

        _, period = self.picker.current()
        if not messages.ask(self, f"Phát hành báo cáo {period.label}? Số liệu được giữ nguyên như hôm nay; "
                                  "hồ sơ sửa sau đó hiện thành chênh lệch so với số liệu đã báo cáo."):
            return
        runner = getattr(self.changes, "runner", None)
        op = partial(ops.issue_report, period=period, today=self._today,
                     compare="year" if self.year_earlier.isChecked() else "previous")
        if runner is not None:
            if not runner.run(op, undoable=False, initiator=self):
                return
        else:
            op(self.store)
        self.refresh()

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        messages.info(self, "Đã sao chép đoạn văn: dán (Ctrl+V) vào văn bản.")

    def show_preview(self, as_reported: bool = False):
        from gui.pdf_preview import PdfPreview

        r, day = self.report, self._today
        if as_reported:
            from core.queries import issued

            found = issued.as_reported(self.store, self.report.period)
            if found is None:
                return None
            r, day = found[1], dt.date.fromisoformat(found[0]["issued_at"][:10])
        data = report_doc.render_pdf(r, day, check_code=self.store.audit.check_code())
        self.preview = PdfPreview(data, self.report.summary, f"bao-cao-{self.report.period.code}.pdf", self)
        self.preview.open()
        return self.preview

    def export_xlsx(self, path: Path | None = None) -> None:
        path = path or messages.save_path(self, "Xuất báo cáo", f"bao-cao-{self.report.period.code}.xlsx",
                                          "Excel (*.xlsx)")
        if path is None:
            return
        if not messages.save_file(self, path, lambda tmp: report_doc.to_xlsx(self.report, tmp)):
            return
        messages.info(self, f"Đã xuất báo cáo ra {path}.")

    def export_docx(self, path: Path | None = None) -> Path | None:
        """The report as a Word file to edit before it is signed (the same content as the PDF)."""
        path = path or messages.save_path(self, "Lưu báo cáo", f"bao-cao-{self.report.period.code}.docx",
                                          "Word (*.docx)")
        if path is None:
            return None
        if not messages.save_file(self, path, report_doc.render_docx(self.report, self._today,
                                                                      check_code=self.store.audit.check_code())):
            return None
        messages.info(self, f"Đã lưu báo cáo ra {path}.")
        return path

    def open_letter(self):
        from gui.letter_dialog import LetterDialog

        self.letter = LetterDialog(self.store, self.report, self._today, self,
                                   runner=getattr(self.changes, "runner", None))
        self.letter.open()
        return self.letter
