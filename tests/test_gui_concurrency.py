"""The window with other writers on its file: a 100.000-case import in another process, another
desk's save, a page hidden while the figures change."""
import datetime as dt
import sqlite3
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from core import ops
from tests.windows import shown_window
from gui import operations
from tests.conftest import HeldLock
from tests.test_evaluation import office  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
TODAY = dt.date(2023, 11, 1)
HEADER = ("code,procedure,field,applicant,officer,received_date,due_date,processing_days,channel,digitized,"
          "resolved_date,result_digitized,has_fee,paid_online,e_certified,status")


def big_case_file(path: Path, n: int) -> Path:
    """``n`` valid cases as a CSV, written line by line (a second or so for 100.000)."""
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            day = 1 + i % 28
            f.write(f"NHAP-{i:06d},Chứng thực bản sao từ bản chính,Chứng thực,Người nộp {i},Trần Văn Hùng,"
                    f"2023-06-{day:02d},2023-06-{day:02d},0,{1 + i % 3},1,2023-06-{day:02d},1,0,0,0,\n")
    return path


def lock_is_held(path) -> bool:
    """Whether another connection holds the write lock (SQLite: the file's; PostgreSQL: the advisory lock)."""
    from db.dialect import is_url

    if is_url(path):
        import psycopg

        from db.pg import WRITE_LOCK

        with psycopg.connect(path, autocommit=True) as conn:
            conn.execute("BEGIN")
            free = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITE_LOCK]).fetchone()[0]
            conn.execute("ROLLBACK")
        return not free
    probe = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


@pytest.fixture
def window(qtbot, office, said):  # noqa: F811
    w = shown_window(qtbot, office, TODAY)
    yield w
    w.close()


def test_a_window_saving_while_another_process_imports_100000_cases_loses_nothing(window, qtbot, said,
                                                                                   tmp_path):
    store = window.store
    source = big_case_file(tmp_path / "lon.csv", 100_000)
    importer = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(store.path), "import",
                                 str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        qtbot.waitUntil(lambda: lock_is_held(store.path) or importer.poll() is not None, timeout=120_000)
        assert importer.poll() is None, "the import ended before the window could write beside it"
        proc = store.procedures()[0]
        lan = store.officer_id("Phạm Thị Lan")
        l0 = store.db.execute("SELECT id FROM cases WHERE code = 'L0'").fetchone()[0]
        wanted = [partial(ops.add_case, values={
            "code": f"BAN-{i}", "procedure_id": proc["id"], "field_id": proc["field_id"], "officer_id": lan,
            "applicant": f"Người chờ {i}", "received_date": "2023-10-30", "due_date": "2023-10-31",
            "channel": 1, "digitized": 1}, today=TODAY) for i in range(12)]
        wanted += [partial(ops.toggle_flag, case_id=l0, key="e_certified", today=TODAY),
                   partial(ops.update_case, case_id=l0, changes={"applicant": "Sửa khi đang nhập"}, today=TODAY)]
        outcome = {}
        for i, op in enumerate(wanted):
            started = window.ops.run(op, on_done=lambda done, i=i: outcome.__setitem__(i, True),
                                     on_failed=lambda exc, i=i: outcome.__setitem__(i, False))
            if started is not None:
                outcome.setdefault(i, started)
        waiting = len(wanted) - len(outcome)
        assert waiting > 0  # the import held the lock: the saves waited their turn, the window alive
        qtbot.waitUntil(lambda: len(outcome) == len(wanted), timeout=120_000)
        out, err = importer.communicate(timeout=120)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err
    assert "Đã nhập 100.000 hồ sơ." in out
    succeeded = [i for i, ok in outcome.items() if ok]
    failed = [i for i, ok in outcome.items() if not ok]
    assert failed == [] and [t for t in said if t[0] == "error"] == []  # nothing failed, nothing to tell
    assert window.undo_stack.count() == len(succeeded) == len(wanted)  # the undo stack matches the file
    assert store.db.execute("SELECT count(*) FROM cases WHERE code LIKE 'BAN-%'").fetchone()[0] == 12
    assert store.cases.values(l0)["applicant"] == "Sửa khi đang nhập"
    assert store.cases.values(l0)["e_certified"] == 0  # L0 was e-certified; one flip turned it off
    assert store.db.execute("SELECT count(*) FROM cases WHERE code LIKE 'NHAP-%'").fetchone()[0] == 100_000
    assert store.case_count() == 14 + 12 + 100_000


def test_saves_that_cannot_wait_longer_are_each_told_and_leave_no_undo_entry(window, qtbot, said, monkeypatch):
    monkeypatch.setattr(operations, "GIVE_UP_AFTER", 0.3)
    holder = HeldLock(window.store.path)  # another desk in the middle of a write
    outcome = {}
    try:
        l0 = window.store.db.execute("SELECT id FROM cases WHERE code = 'L0'").fetchone()[0]
        for i in range(3):
            window.ops.run(partial(ops.toggle_flag, case_id=l0, key="paid_online" if i == 2 else "e_certified"),
                           on_failed=lambda exc, i=i: outcome.__setitem__(i, exc))
        qtbot.waitUntil(lambda: len(outcome) == 3, timeout=10_000)
    finally:
        holder.close()
    errors_told = [text for kind, text in said if kind == "error"]
    assert len(errors_told) == 3  # every failure told, each once
    assert sum("đang bận" in t for t in errors_told) == 2
    assert any("không có phí" in t for t in errors_told)  # a refusal is told at once, by its rule
    assert window.undo_stack.count() == 0
    assert window.store.cases.values(l0)["e_certified"] == 1


def test_a_hidden_evaluation_page_shows_the_new_figures_when_shown(window, qtbot):
    page = window.page("Đánh giá cán bộ")
    row = [page.table_model.item(r, 0).text() for r in range(page.table_model.rowCount())].index("Phạm Thị Lan")
    assert page.table_model.item(row, 1).text() == "10"
    window.page("Sổ hồ sơ")  # the evaluation page is hidden now
    assert not page.isVisible()
    proc = window.store.procedures()[0]
    assert window.ops.run(partial(ops.add_case, values={
        "code": "L-MOI", "procedure_id": proc["id"], "field_id": proc["field_id"],
        "officer_id": window.store.officer_id("Phạm Thị Lan"), "applicant": "Lê Văn Nộp", "received_date": "2023-09-20",
        "due_date": "2023-09-21", "channel": 1, "digitized": 1}, today=TODAY)) is True
    window.page("Đánh giá cán bộ")
    assert page.table_model.item(row, 1).text() == "11"  # 10 cases in the quarter, and the new one


def test_a_change_by_another_process_shows_in_the_open_window(window, qtbot):
    dashboard = window.page("Bảng điều hành")
    dashboard.set_period("month", 2023, 8)
    before = dashboard.data.tiles[0].denominator
    assert window.check_outside_changes() is False  # nothing new yet
    r = subprocess.run([sys.executable, "-c", (
        "import sys, datetime as dt; sys.path.insert(0, '.');"
        "from db.store import Store; from tests.conftest import case;"
        f"s = Store.open({str(window.store.path)!r});"
        "s.insert_cases([case('KHAC-1', received_date=dt.date(2023, 8, 20), due_date=dt.date(2023, 8, 22))]);"
        "s.close()")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    # the window's timer looks every OUTSIDE_POLL_MS; the test looks at once
    assert window.check_outside_changes() is True
    assert dashboard.data.tiles[0].denominator == before + 1
    register = window.page("Sổ hồ sơ")
    assert register.count.text() == "15 hồ sơ"  # the office's 14 cases and the other desk's one
