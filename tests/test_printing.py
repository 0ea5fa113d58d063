"""Printing page by page: every page reaches the printer, progress is reported, a cancel stops it."""
import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

from core.documents import official
from gui import pdf_preview
from tests.test_official import SETTINGS


def three_pages() -> bytes:
    doc = official.from_settings(SETTINGS, symbol="UBND-VP", day=dt.date(2023, 10, 3),
                                 body=[official.para("Một đoạn văn dài để kéo sang trang sau. " * 20)
                                       for _ in range(10)])
    data = official.render_pdf(doc)
    assert len(PdfReader(io.BytesIO(data)).pages) == 3
    return data


def pdf_printer(path, dpi=96) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(dpi)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_every_page_is_printed_in_bands_with_progress(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_preview, "BAND_BYTES", 200_000)
    painted = []
    real = pdf_preview.QPainter.drawImage
    monkeypatch.setattr(pdf_preview.QPainter, "drawImage", lambda self, rect, image: painted.append(
        (image.width(), image.height(), rect.top())) or real(self, rect, image))
    steps = []
    out = tmp_path / "printed.pdf"
    n = pdf_preview.print_pages(three_pages(), pdf_printer(out), lambda done, total: steps.append((done, total)))
    assert n == 3 and steps == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert len(PdfReader(out).pages) == 3
    # A4 at 96 dpi is at most 794 × 1123 pixels: 200.000 bytes hold 83 or more rows of ≤ 794 × 3 bytes, so
    # each page is painted in about 13–14 bands, one under the other, none larger than the limit
    assert all(w * h * 3 <= 200_000 + w * 3 for w, h, _ in painted)
    pages = []
    for _, _, top in painted:
        if top == 0:
            pages.append([])
        pages[-1].append(top)
    assert len(pages) == 3 and all(p == sorted(p) and 12 <= len(p) <= 15 for p in pages)


def test_a_cancel_stops_between_pages(qapp, tmp_path):
    out = tmp_path / "printed.pdf"
    with pytest.raises(pdf_preview.PrintCancelled):
        pdf_preview.print_pages(three_pages(), pdf_printer(out), lambda done, total: done < 1)


def test_the_preview_prints_with_a_progress_dialog(qtbot, tmp_path, said):
    preview = pdf_preview.PdfPreview(three_pages(), "Thử", "thu.pdf")
    qtbot.addWidget(preview)
    out = tmp_path / "printed.pdf"
    assert preview.print_to(pdf_printer(out))
    assert preview.progress.value() in (3, -1) and len(PdfReader(out).pages) == 3
