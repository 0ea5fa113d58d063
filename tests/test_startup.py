"""Start-up costs (issue 30): nothing imported before it is needed.

``indicators`` reads the database and prints: no Qt, no charts, no numpy (sqlite-utils would pull it in),
no lunar-calendar rebuild (the public holidays are a shipped table). The window shows its first page
before matplotlib is imported or a chart drawn: the charts follow the first paint.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_FOR_INDICATORS = ("matplotlib", "numpy", "pandas", "PySide6", "shiboken6", "holidays", "sqlite_utils", "click")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("startup") / "demo.db"
    subprocess.run([sys.executable, "main.py", "--db", str(db), "demo", "--cases", "3000", "--seed", "2"],
                   cwd=ROOT, check=True, capture_output=True)
    return db


def imported_by(args: list[str]) -> list[str]:
    """Every module a command imports, as ``python -X importtime`` lists them."""
    r = subprocess.run([sys.executable, "-X", "importtime", "main.py", *args], cwd=ROOT, capture_output=True,
                       text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr[-2000:]
    return [m[1] for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", r.stderr, re.M)]


def test_indicators_imports_neither_qt_charts_numpy_nor_the_holidays_package(demo_db):
    modules = imported_by(["--db", str(demo_db), "indicators", "--period", "2025", "--json"])
    assert "core.queries.figures" in modules  # the list is real
    heavy = sorted({m.split(".")[0] for m in modules} & set(NOT_FOR_INDICATORS))
    assert heavy == [], f"indicators imports {heavy}"


WINDOW = """
import sys, time
sys.path.insert(0, '.')
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
app = QApplication([])
from db.store import Store
from gui.main_window import MainWindow
store = Store.open(sys.argv[1])
store.sign_in_as(store.users.authenticate('chu_tich', 'matkhau-2026'))
window = MainWindow(store)
page = window._pages[window.nav.currentRow()]
print('built', 'matplotlib' in sys.modules, page.chart_tabs[0].figure is not None, flush=True)
drawn = []
page.chart_drawn.connect(lambda i: drawn.append(page._painted))
window.show()
start = time.time()
while not drawn and time.time() - start < 20:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
print('drawn', 'matplotlib' in sys.modules, drawn, flush=True)
"""


def test_the_window_shows_before_matplotlib_and_draws_the_chart_after_its_first_paint(demo_db):
    code = ("import sys; sys.path.insert(0, '.'); from db.store import Store; s = Store.open(sys.argv[1]); "
            "s.users.add('chu_tich', 'matkhau-2026', 'chairman', 'Chủ tịch') if not any(u['username'] == 'chu_tich' "
            "for u in s.users.all()) else None; s.close()")
    subprocess.run([sys.executable, "-c", code, str(demo_db)], cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([sys.executable, "-c", WINDOW, str(demo_db)], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    lines = [line.split() for line in r.stdout.splitlines() if line.startswith(("built", "drawn"))]
    assert lines[0] == ["built", "False", "False"], r.stdout + r.stderr  # the dashboard built, no chart yet
    assert lines[1] == ["drawn", "True", "[True]"], r.stdout + r.stderr  # drawn once the page was painted


def test_the_suite_check_fails_when_a_limit_is_missed(tmp_path):
    """``benchmarks/suite.py --check`` on a saved run: exit 0 when every stated limit is met, 1 otherwise."""
    def run(results):
        saved = tmp_path / "run.json"
        saved.write_text(json.dumps({"results": results, "skipped": []}), encoding="utf-8")
        return subprocess.run([sys.executable, "benchmarks/suite.py", "--from-json", str(saved), "--check"],
                              cwd=ROOT, capture_output=True, text=True)

    met = [{"key": "start", "ratio_exact": 3.2, "median_s": 0.4},
           {"key": "indicators", "ratio_exact": 5.0, "median_s": 0.3},
           {"key": "register_scroll", "median_s": 0.02},
           {"key": "dashboard_switch_max", "median_s": 0.12},
           {"key": "export_xlsx", "ratio_exact": 1.8, "median_s": 2.0},
           {"key": "indicators_imports", "forbidden": []}]
    assert run(met).returncode == 0
    slow = [dict(r, ratio_exact=4.5) if r["key"] == "start" else r for r in met]
    r = run(slow)
    assert r.returncode == 1 and "MISSED" in r.stdout
    assert run(met[1:]).returncode == 1  # a figure not measured is not a figure met
