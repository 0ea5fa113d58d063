"""A PDF shown page by page (rendered by PDFium), then printed or saved.

Printing paints one page at a time, and each page in horizontal bands of a bounded size, so the memory
a print job takes does not grow with the number of pages nor with the printer's resolution
(``benchmarks/print_memory.py`` measures it).
"""
from __future__ import annotations

from pathlib import Path

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (QApplication, QDialog, QHBoxLayout, QLabel, QProgressDialog, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from gui import messages
from gui.keys import fit_to_screen


def iter_pages(data: bytes, scale: float):
    """Each page as a QImage, one at a time (the caller keeps what it needs)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            bitmap = page.render(scale=scale, rev_byteorder=True)
            try:
                fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBX8888
                yield QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            finally:
                bitmap.close()
                page.close()
    finally:
        pdf.close()


def render_pages(data: bytes, scale: float) -> list[QImage]:
    return list(iter_pages(data, scale))


BAND_BYTES = 24 * 1024 * 1024  # the largest piece of a page rendered at once (RGB)


class PrintCancelled(Exception):
    pass


def print_pages(data: bytes, printer, progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint the PDF onto ``printer`` (any QPagedPaintDevice) page by page at the device's resolution.

    Each page is rendered by PDFium in horizontal bands of at most ``BAND_BYTES``, painted and freed before
    the next: the peak memory is one band, whatever the page count or the resolution. ``progress(done,
    total)`` is called before each page and after the last; returning False cancels (``PrintCancelled``).
    Returns the number of pages printed.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    painter = QPainter()
    try:
        total = len(pdf)
        if not painter.begin(printer):
            raise OSError("không mở được máy in")
        for i in range(total):
            if progress and progress(i, total) is False:
                raise PrintCancelled
            if i and not printer.newPage():
                raise OSError("máy in không nhận thêm trang")
            page = pdf[i]
            try:
                _paint_page(page, painter)
            finally:
                page.close()
        if progress:
            progress(total, total)
        return total
    finally:
        if painter.isActive():
            painter.end()
        pdf.close()


def _paint_page(page, painter: QPainter) -> None:
    """One page in bands: PDFium renders rows [r0, r1) of the page at full size into a bitmap of the band's
    height (FPDF_RenderPageBitmap with the page shifted up by r0), so the bands meet to the pixel."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    width_pt, height_pt = page.get_size()
    target = painter.viewport()
    scale = min(target.width() / width_pt, target.height() / height_pt)
    width, height = round(width_pt * scale), round(height_pt * scale)
    rows_per_band = max(1, BAND_BYTES // (width * 3))
    for r0 in range(0, height, rows_per_band):
        rows = min(rows_per_band, height - r0)
        bitmap = pdfium.PdfBitmap.new_native(width, rows, pdfium_c.FPDFBitmap_BGR)
        try:
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, rows)
            pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, -r0, width, height, 0,
                                           pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER)
            image = QImage(bitmap.buffer, width, rows, bitmap.stride, QImage.Format.Format_RGB888)
            painter.drawImage(QRectF(target.x(), target.y() + r0, width, rows), image)
            del image
        finally:
            bitmap.close()


class PdfPreview(QDialog):
    def __init__(self, data: bytes, title: str, suggested_name: str, parent=None):
        super().__init__(parent)
        self.data = data
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self.setSizeGripEnabled(True)
        fit_to_screen(self, 900, 1000)  # never beyond the screen; the pages scroll inside
        # only the pixmaps shown are kept: one image at a time is converted, then dropped
        self.pages = [QPixmap.fromImage(image) for image in iter_pages(data, scale=1.25)]
        column = QWidget()
        layout = QVBoxLayout(column)
        for pixmap in self.pages:
            label = QLabel()
            label.setPixmap(pixmap)
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
        if not messages.save_file(self, path, self.data):
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
        self.printed = self.print_to(printer)
        return self.printed

    def print_to(self, printer) -> bool:
        """Print page by page with a progress dialog that can cancel between pages."""
        progress = QProgressDialog("Đang in…", "Huỷ", 0, len(self.pages), self)
        progress.setWindowTitle("In")
        progress.setMinimumDuration(0)
        self.progress = progress

        def step(done: int, total: int) -> bool:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(f"Đang in trang {min(done + 1, total)}/{total}…")
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            print_pages(self.data, printer, step)
        except PrintCancelled:
            messages.info(self, "Đã huỷ in.")
            return False
        except OSError as exc:
            messages.error(self, f"Không in được: {exc}")
            return False
        finally:
            progress.close()
        return True
