"""Killing the program (SIGKILL) in the middle of writing loses nothing committed and leaves nothing half-written."""
import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.files import casefile
from core.files import demo
from db.store import Store

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    source = Store.open(folder / "source.db")
    demo.generate(source, cases=12000, seed=5, today=dt.date(2026, 11, 20))
    out = folder / "cases.csv"
    casefile.export_file(source, out)
    source.close()
    empty = folder / "empty.db"
    Store.open(empty).close()
    return out, empty


def kill_after(cmd, delay):
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return child.returncode, out


def test_an_import_killed_at_any_moment_writes_all_or_nothing(big_csv, tmp_path):
    csv_path, empty = big_csv
    # how long a whole import takes on this machine: the kills land inside that time
    whole = tmp_path / "whole.db"
    shutil.copy(empty, whole)
    start = time.perf_counter()
    subprocess.run([sys.executable, "main.py", "--db", str(whole), "import", str(csv_path)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    duration = time.perf_counter() - start
    rng = random.Random(7)
    killed = finished = 0
    for i in range(10):
        db = tmp_path / f"run{i}.db"
        shutil.copy(empty, db)
        code, _ = kill_after([sys.executable, "main.py", "--db", str(db), "import", str(csv_path)],
                             rng.uniform(0.1, 0.9) * duration)
        killed += code == -signal.SIGKILL
        store = Store.open(db)
        n = store.case_count()
        assert n in (0, 12000), f"run {i}: {n} cases, a partial import"
        assert store.check() == [], f"run {i}"
        finished += n == 12000
        store.close()
    assert killed >= 5  # the kills really came in the middle of imports


SAVER = """
import sys, datetime as dt
sys.path.insert(0, {root!r})
from db.store import Store
store = Store.open({db!r})
procedure = store.procedures()[0]
officer = store.officer_id("Phạm Thị Lan") or store.add_officer("Phạm Thị Lan")
for i in range(100000):
    code = f"SAVE-{{i:06d}}"
    case_id = store.cases.add({{"code": code, "procedure_id": procedure["id"], "field_id": procedure["field_id"],
        "officer_id": officer, "received_date": "2026-11-20", "due_date": "2026-11-20", "channel": 2,
        "digitized": 1, "applicant": "Nguyễn Văn An " * 20}})
    store.cases.update(case_id, {{"resolved_date": "2026-11-20", "result_digitized": 1}})
    print(code, flush=True)
"""


def test_saves_killed_at_any_moment_keep_every_committed_case_whole(tmp_path):
    rng = random.Random(11)
    for i in range(6):
        db = tmp_path / f"save{i}.db"
        code, out = kill_after([sys.executable, "-c", SAVER.format(root=str(ROOT), db=str(db))],
                               rng.uniform(0.8, 2.0))
        assert code == -signal.SIGKILL
        committed = out.split()
        store = Store.open(db)
        assert store.check() == [], f"run {i}"
        stored = {r[0]: r[1:] for r in store.db.execute(
            "SELECT code, resolved_date, result_digitized FROM cases")}
        for c in committed:  # every case reported saved (after its commit) is there, with its update
            assert stored[c] == ("2026-11-20", 1), c
        assert len(stored) - len(committed) in (0, 1)  # at most the one being updated when killed
        assert all(v[0] in (None, "2026-11-20") for v in stored.values())
        store.close()
