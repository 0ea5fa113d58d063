"""Benchmark: the evaluation forms of 30 officers for one quarter, as a whole command.

    python benchmarks/bench_evaluation.py [--cases 100000] [--officers 30] [--runs 5]

Fills a database through ``main.py demo --officers 30`` (reused when present), then
times ``main.py evaluation --period YYYY-Qn --out FILE`` (start to exit) and prints
the median beside a floor: the same process rendering a one-line PDF with reportlab.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, ensure_demo, timed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--officers", type=int, default=30)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", default=str(ROOT / "bench-out" / "officers.db"))
    args = ap.parse_args()
    db = Path(args.db)
    ensure_demo(db, "officers", args.officers, "--cases", str(args.cases), "--officers", str(args.officers))
    today = dt.date.today()
    last = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)  # last full quarter
    quarter = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "forms.pdf"
        cmd = [sys.executable, "main.py", "--db", str(db), "evaluation", "--period", quarter, "--out", str(out)]
        timed(cmd)
        runs = [timed(cmd) for _ in range(args.runs)]
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
        floor_code = ("import io; from reportlab.pdfgen.canvas import Canvas; c = Canvas(io.BytesIO()); "
                      "c.drawString(100, 100, 'x'); c.save()")
        floor = [timed([sys.executable, "-c", floor_code]) for _ in range(args.runs)]
    med, fmed = statistics.median(runs), statistics.median(floor)
    print(f"machine: {platform.machine()}, {platform.platform()}, Python {platform.python_version()}")
    print(f"evaluation --period {quarter}: {args.officers} officers, {pages} pages, {args.cases:,} cases")
    print(f"whole command: median {med * 1000:.0f} ms over {args.runs} runs (min {min(runs) * 1000:.0f}, "
          f"max {max(runs) * 1000:.0f})")
    print(f"floor, python + reportlab one-line PDF: median {fmed * 1000:.0f} ms; ratio {med / fmed:.1f}x")
    print(f"aim 3 s: {'met' if med < 3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
