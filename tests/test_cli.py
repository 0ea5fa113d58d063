import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, db=None):
    cmd = [sys.executable, str(ROOT / "main.py")]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo.db"
    r = cli("demo", "--cases", "1500", "--seed", "3", db=db)
    assert r.returncode == 0, r.stderr
    assert "Đã tạo 1.500 hồ sơ mẫu." in r.stdout
    return db


def test_indicators_json_has_the_documented_shape(demo_db):
    r = cli("indicators", "--period", "2025", "--json", db=demo_db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert set(data["indicators"]) == {"online", "digitized_on_receipt", "result_digitized", "on_time",
                                       "paid_online", "e_certified", "on_time_766"}
    assert set(data["counts"]) == {"received", "resolved", "resolved_early", "resolved_on_due",
                                   "resolved_late", "carried_over", "open", "open_overdue", "withdrawn",
                                   "refused", "stopped", "supplement_pending"}
    d = data["indicators"]["digitized_on_receipt"]
    assert d["denominator"] == data["counts"]["received"] > 0
    assert d["rate"] == round(100 * d["numerator"] / d["denominator"] + 1e-9, 2)


def test_indicators_table_and_bad_input(demo_db):
    r = cli("indicators", "--period", "2025-Q3", "--officer", "Trần Văn Hùng", db=demo_db)
    assert r.returncode == 0 and "Cán bộ: Trần Văn Hùng" in r.stdout and "%" in r.stdout
    r = cli("indicators", "--period", "2025-13", db=demo_db)
    assert r.returncode == 1 and "kỳ" in r.stderr
    r = cli("indicators", "--period", "2025", "--officer", "Không Ai", db=demo_db)
    assert r.returncode == 1 and "Không Ai" in r.stderr


def test_wrong_usage_exits_2(tmp_path):
    assert cli("indicators", db=tmp_path / "x.db").returncode == 2
    assert cli("frobnicate", db=tmp_path / "x.db").returncode == 2


def test_export_import_round_trip_on_the_command_line(demo_db, tmp_path):
    out = tmp_path / "all.csv"
    r = cli("export", str(out), db=demo_db)
    assert r.returncode == 0 and "1.500" in r.stdout
    fresh = tmp_path / "fresh.db"
    r = cli("import", str(out), db=fresh)
    assert r.returncode == 0, r.stderr
    again = tmp_path / "again.csv"
    cli("export", str(again), db=fresh)
    assert out.read_bytes() == again.read_bytes()
    r = cli("import", str(out), db=fresh)  # every code already stored
    assert r.returncode == 1
    assert "row 2, column code: mã" in r.stderr and "Không nhập hồ sơ nào" in r.stderr


def test_backup_check_and_restore(demo_db, tmp_path):
    copy = tmp_path / "copy.db"
    assert cli("backup", "--out", str(copy), db=demo_db).returncode == 0
    r = cli("check", db=copy)
    assert r.returncode == 0 and "1.500 hồ sơ" in r.stdout
    target = tmp_path / "target.db"
    cli("demo", "--cases", "10", db=target)
    r = cli("restore", str(copy), db=target)
    assert r.returncode == 0, r.stderr
    assert "1.500 hồ sơ" in cli("check", db=target).stdout
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    r = cli("restore", str(garbage), db=target)
    assert r.returncode == 1 and "Không khôi phục" in r.stderr
    assert "1.500 hồ sơ" in cli("check", db=target).stdout


def test_a_garbage_database_gets_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    r = cli("check", db=bad)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "restore" in r.stderr


def test_commands_do_not_import_qt_widgets_or_matplotlib(demo_db):
    code = (
        "import sys, main\n"
        f"main.main(['--db', {str(demo_db)!r}, 'indicators', '--period', '2025', '--json'])\n"
        f"main.main(['--db', {str(demo_db)!r}, 'check'])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6.QtWidgets', 'PySide6.QtGui', 'matplotlib'))]\n"
        "print('BAD', bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "BAD []" in r.stdout, r.stdout + r.stderr


def test_the_period_is_accepted_as_people_write_it(demo_db):
    # "quý 3/2025" and "1/7/2025-30/9/2025" are the quarter 2025-Q3: the same figures, the same period
    script = json.loads(cli("indicators", "--period", "2025-Q3", "--json", db=demo_db).stdout)
    for typed in ("quý 3/2025", "Q3/2025", "từ 1/7/2025 đến 30/9/2025"):
        r = cli("indicators", "--period", typed, "--json", db=demo_db)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["indicators"] == script["indicators"]
        assert json.loads(r.stdout)["period"] == {"from": "2025-07-01", "to": "2025-09-30"}
