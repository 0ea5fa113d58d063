"""Measure the memory of printing: the evaluation forms of 30 officers sent to a 600 dpi printer.

    python benchmarks/print_memory.py [--officers 30] [--dpi 600] [--method bands|whole]

Builds a database with ``main.py demo --officers N`` (in a temporary folder), writes the forms PDF with
``main.py evaluation``, then prints it in a CHILD process through ``QPrinter`` (HighResolution, PDF output
to a file, offscreen platform) with ``gui.pdf_preview.print_pages``, and reports the child's peak
resident memory (``ru_maxrss``) beside the same child's peak before printing (Qt and PDFium loaded, the
PDF read). ``--method whole`` measures the former way instead: every page rasterised at the printer's
resolution before the first is painted.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[1])
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QPainter, QPageSize
from PySide6.QtPrintSupport import QPrinter
from gui import pdf_preview

app = QApplication([])
data = open(sys.argv[2], "rb").read()
printer = QPrinter(QPrinter.PrinterMode.HighResolution)
printer.setResolution(int(sys.argv[4]))
printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
printer.setOutputFileName(sys.argv[3])
import pypdfium2
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pages = []
if sys.argv[5] == "whole":
    images = pdf_preview.render_pages(data, scale=printer.resolution() / 72)
    painter = QPainter(printer)
    for i, image in enumerate(images):
        if i:
            printer.newPage()
        painter.drawImage(painter.viewport(), image)
    painter.end()
    n = len(images)
else:
    n = pdf_preview.print_pages(data, printer, lambda done, total: pages.append(done) or True)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pages": n, "before_kb": before, "peak_kb": peak, "progress_calls": len(pages),
                  "resolution": printer.resolution()}))
"""


def measure(forms: Path, dpi: int = 600, method: str = "bands") -> dict:
    """Print ``forms`` (a PDF) in a child process; its page count, peak memory (KB) before and after."""
    with tempfile.TemporaryDirectory() as tmp:
        printed = Path(tmp) / "printed.pdf"
        child = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(forms), str(printed), str(dpi), method],
                               capture_output=True, text=True)
        if child.returncode:
            raise RuntimeError(child.stderr)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["printed_bytes"] = printed.stat().st_size
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--officers", type=int, default=30)
    ap.add_argument("--cases", type=int, default=6000)
    ap.add_argument("--dpi", type=int, default=600)
    ap.add_argument("--method", choices=("bands", "whole"), default="bands")
    ap.add_argument("--quarter", default="2026-Q3")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, forms = Path(tmp) / "office.db", Path(tmp) / "forms.pdf"
        run = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
        subprocess.run(run + ["demo", "--cases", str(args.cases), "--officers", str(args.officers)], check=True,
                       capture_output=True)
        subprocess.run(run + ["evaluation", "--period", args.quarter, "--out", str(forms)], check=True,
                       capture_output=True)
        try:
            result = measure(forms, args.dpi, args.method)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
    mb = lambda kb: f"{kb / 1024:.0f} MB"  # noqa: E731
    print(f"{result['pages']} pages ({args.officers} forms and the summary) at {result['resolution']} dpi, "
          f"method {args.method}: peak {mb(result['peak_kb'])} (before printing {mb(result['before_kb'])}); "
          f"output {result['printed_bytes'] / 1e6:.1f} MB; progress reported {result['progress_calls']} times")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
