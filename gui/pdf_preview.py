"""A PDF shown page by page (rendered by PDFium), then printed or saved."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from gui import messages
from gui.keys import fit_to_screen


def render_pages(data: bytes, scale: float) -> list[QImage]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    images = []
    try:
        for page in pdf:
            bitmap = page.render(scale=scale)
            pil = bitmap.to_pil().convert("RGB")
            raw = pil.tobytes("raw", "RGB")
            images.append(QImage(raw, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888).copy())
            page.close()
    finally:
        pdf.close()
    return images


class PdfPreview(QDialog):
    def __init__(self, data: bytes, title: str, suggested_name: str, parent=None):
        super().__init__(parent)
        self.data = data
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self.setSizeGripEnabled(True)
        fit_to_screen(self, 900, 1000)  # never beyond the screen; the pages scroll inside
        self.pages = render_pages(data, scale=1.25)
        column = QWidget()
        layout = QVBoxLayout(column)
        for image in self.pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #999; background: white")
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        self.print_button = QPushButton("&In… (Ctrl+P)")
        self.print_button.setDefault(True)  # Enter prints
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button = QPushButton("&Lưu PDF… (Ctrl+S)")
        self.save_button.clicked.connect(lambda: self.save())
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.save())
        close = QPushButton("Đóng (Esc)")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"{len(self.pages)} trang"))
        buttons.addStretch()
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)

    def save(self, path: Path | None = None) -> Path | None:
        path = path or messages.save_path(self, "Lưu PDF", self.suggested_name, "PDF (*.pdf)")
        if path is None:
            return None
        try:
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(self.data)
            tmp.replace(path)
        except OSError as exc:
            messages.error(self, f"Không lưu được {path}: {exc}")
            return None
        return path

    def choose_printer(self):
        """The printer the user picks in Qt's print dialog, or None when cancelled (tests replace this)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_pdf(self) -> bool:
        printer = self.choose_printer()
        if printer is None:
            return False
        pages = render_pages(self.data, scale=printer.resolution() / 72)
        painter = QPainter(printer)
        try:
            for i, image in enumerate(pages):
                if i:
                    printer.newPage()
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(size))
        finally:
            painter.end()
        self.printed = True
        return True
