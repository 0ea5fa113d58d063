"""Child process of the benchmark suite: start the window on a database, then time what a user does.

Prints one JSON object per line: {"step": ..., "ms": ...}:

- "signed_in": the sign-in's key derivation (scrypt, kept strong on purpose), timed apart; the suite
  takes it out of the start-up figure and shows it on its own row;
- "ready" the moment the window is first painted (a usable window; ``ms`` is the time since the
  probe's first line of Python, for information: the suite times the whole process);
- "charts" when the first chart is drawn (the dashboard, the chairman's landing page).

With --bare it shows a bare PySide6 window with one label instead (the floor), timed the same way.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def say(step: str, ms: float, **extra) -> None:
    print(json.dumps({"step": step, "ms": round(ms, 1), **extra}), flush=True)


def since_start() -> float:
    return (time.perf_counter() - T0) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--user", default="bench")
    ap.add_argument("--password", default="benchmark2026")
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--steps", action="store_true", help="after start, time register, search and dashboard")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from PySide6.QtCore import QEvent, QEventLoop, QObject
    from PySide6.QtWidgets import QApplication, QLabel

    class FirstPaint(QObject):
        """Says "ready" when the watched window gets its first paint (the same test for the floor)."""

        def __init__(self, window):
            super().__init__()
            self.window, self.done = window, False

        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if not self.done and obj is self.window and event.type() == QEvent.Type.Paint:
                self.done = True
                say("ready", since_start())
            return False

    app = QApplication(sys.argv)

    def until(flag, seconds: float = 30.0) -> None:
        deadline = time.perf_counter() + seconds
        while not flag() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    if args.bare:
        label = QLabel("Một Cửa")
        painted = FirstPaint(label)
        label.installEventFilter(painted)
        label.show()
        until(lambda: painted.done)
        return 0
    from gui.app import open_or_recover
    from gui.main_window import MainWindow

    store = open_or_recover(Path(args.db))
    started = time.perf_counter()
    user = store.users.authenticate(args.user, args.password)
    say("signed_in", (time.perf_counter() - started) * 1000)
    store.sign_in_as(user)
    drawn: list[int] = []
    window = MainWindow(store)
    painted = FirstPaint(window)
    window.installEventFilter(painted)
    dashboard = window._pages.get(window.nav.currentRow()) if hasattr(window, "_pages") else None
    if dashboard is not None and hasattr(dashboard, "chart_drawn"):
        dashboard.chart_drawn.connect(drawn.append)
        if not getattr(dashboard, "_dirty_charts", True):
            drawn.append(-1)  # already drawn while the window was built
    window.resize(1400, 900)
    window.show()
    until(lambda: painted.done)
    if dashboard is not None and hasattr(dashboard, "chart_drawn"):
        until(lambda: drawn)
        app.processEvents()
        app.processEvents()
        say("charts", since_start())
    if not args.steps:
        return 0

    def timed(step, fn, **extra):
        start = time.perf_counter()
        fn()
        app.processEvents()
        app.processEvents()
        say(step, (time.perf_counter() - start) * 1000, **extra)

    register = window.page("Sổ hồ sơ")
    app.processEvents()
    timed("register_scroll_to_end", lambda: register.table.scrollToBottom())
    timed("search", lambda: (register.search.setText("Nguyễn Văn An"), register.apply_filters()),
          rows=register.model.rowCount())
    register.search.setText("")
    register.apply_filters()
    dashboard = window.page("Bảng điều hành")
    app.processEvents()
    drawn.clear()
    dashboard.chart_drawn.connect(drawn.append)
    until(lambda: drawn, 5.0)
    app.processEvents()
    year = int(os.environ.get("BENCH_YEAR", "2025"))
    for kind, sub in (("month", 9), ("month", 10), ("quarter", 3), ("year", 1), ("ytd", 10), ("month", 3)):
        drawn.clear()
        start = time.perf_counter()
        dashboard.set_period(kind, year, sub)
        figures = (time.perf_counter() - start) * 1000
        until(lambda: drawn, 5.0)  # the chart in sight redrawn (at once, or after the figures show)
        app.processEvents()
        app.processEvents()
        say("dashboard_switch", (time.perf_counter() - start) * 1000, figures_ms=round(figures, 1),
            period=f"{kind}-{sub}")
    say("memory", 0, rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
