"""Child process of the benchmark suite: start the window on a database, then time what a user does.

Prints one JSON object per line: {"step": ..., "ms": ...}; "ready" when the window is usable.
With --bare it shows a bare PySide6 window with one label instead (the floor).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def say(step: str, ms: float, **extra) -> None:
    print(json.dumps({"step": step, "ms": round(ms, 1), **extra}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--user", default="bench")
    ap.add_argument("--password", default="benchmark2026")
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--steps", action="store_true", help="after start, time register, search and dashboard")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    if args.bare:
        label = QLabel("Một Cửa")
        label.show()
        app.processEvents()
        say("ready", 0)
        return 0
    from gui.app import open_or_recover
    from gui.main_window import MainWindow

    store = open_or_recover(Path(args.db))
    store.sign_in_as(store.authenticate(args.user, args.password))
    window = MainWindow(store)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    say("ready", 0)
    if not args.steps:
        return 0

    def timed(step, fn, **extra):
        start = time.perf_counter()
        fn()
        app.processEvents()
        app.processEvents()
        say(step, (time.perf_counter() - start) * 1000, **extra)

    register = window.page("Sổ hồ sơ")
    timed("register_scroll_to_end", lambda: register.table.scrollToBottom())
    timed("search", lambda: (register.search.setText("Nguyễn Văn An"), register.apply_filters()),
          rows=register.model.rowCount())
    register.search.setText("")
    register.apply_filters()
    dashboard = window.page("Bảng điều hành")
    app.processEvents()
    year = int(os.environ.get("BENCH_YEAR", "2025"))
    for kind, sub in (("month", 9), ("month", 10), ("quarter", 3), ("year", 1), ("ytd", 10), ("month", 3)):
        start = time.perf_counter()
        dashboard.set_period(kind, year, sub)
        figures = (time.perf_counter() - start) * 1000
        app.processEvents()
        app.processEvents()
        say("dashboard_switch", (time.perf_counter() - start) * 1000, figures_ms=round(figures, 1),
            period=f"{kind}-{sub}")
    say("memory", 0, rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
